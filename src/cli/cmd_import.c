/*
 * cmd_import.c - `vmctr import`: profiles from inventory exports.
 *
 *   import rvtools [-o FILE] [--group-by LABEL] PATH
 *   import azure-migrate [-o FILE] [--group-by LABEL] PATH
 *   import csv --map FILE [-o FILE] [--group-by LABEL] PATH
 *
 * PATH is an RVTools .xlsx (recognised by its zip signature, whatever its
 * name), a directory holding RVTools CSV exports (RVTools_tabvInfo.csv,
 * RVTools_tabvUSB.csv ...) or one CSV export (its tab taken from the
 * RVTools_tab<TAB>.csv name; any other name is read as vInfo). The files
 * are read here, bounded by VM_LIMIT_INV_FILE_BYTES; the mapping is the
 * library's (src/lib/import.c). Like `rules`, each subcommand is a vm_cmd
 * of its own and the exported cmd_import dispatches on the first operand.
 */
#include "cli.h"
#include "util/fs.h"
#include "diagprint.h"
#include "inputs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "vmctr/sys/inventory.h"

enum { OPT_OUTPUT = 1, OPT_GROUP_BY, OPT_QUIET, OPT_MAP = 10 };

/* Reads a whole file (or stdin for "-"), at most VM_LIMIT_INV_FILE_BYTES:
 * a regular file over the limit is refused by its size before a byte is
 * read; a pipe is read up to one byte past the limit (vm_read_stream),
 * then refused. Returns 0, or prints the error and returns the exit code. */
static int read_all(const char *path, char **data, size_t *len)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!fp) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, path, strerror(errno));
        return VM_EIO;
    }
    struct stat sb;
    bool big = fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > (off_t)VM_LIMIT_INV_FILE_BYTES;
    errno = 0;
    int r = big ? 0 : vm_read_stream(fp, VM_LIMIT_INV_FILE_BYTES, data, len);
    int err = errno;
    if (fp != stdin)
        fclose(fp);
    if (r != 0) {
        vm_eprintf(err == ENOMEM ? "%s: %s: out of memory\n" : "%s: %s: read error\n", VM_PROG, path);
        return VM_EIO;
    }
    if (big || *len > VM_LIMIT_INV_FILE_BYTES) {
        if (!big)
            free(*data);
        vm_eprintf("%s: %s: error: larger than %u MiB (VM_LIMIT_INV_FILE_BYTES)\n", VM_PROG, path,
                   VM_LIMIT_INV_FILE_BYTES >> 20);
        return VM_EPROFILE;
    }
    return 0;
}

/* The tab of an RVTools CSV file name ("RVTools_tabvUSB.csv" -> vUSB), or
 * NULL when the name does not follow that pattern. */
static const char *tab_of(const char *name)
{
    static const char *const tabs[] = {"vMetaData", "vInfo", "vUSB", "vNetwork", "vDisk"};
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    if (strncasecmp(base, "RVTools_tab", 11) != 0)
        return NULL;
    base += 11;
    for (size_t i = 0; i < sizeof tabs / sizeof *tabs; i++) {
        size_t n = strlen(tabs[i]);
        if (strncasecmp(base, tabs[i], n) == 0 && strcasecmp(base + n, ".csv") == 0)
            return tabs[i];
    }
    return NULL;
}

typedef struct {
    const vm_cli *cli;
    vm_import *im;
    vm_diags d;
} ictx;

static int report(ictx *c, const char *file, vm_status st)
{
    if (c->d.count || c->d.dropped)
        vm_diags_print(c->cli, &c->d, file);
    /* the library read nothing itself: a VM_EIO it did not explain (there
     * may be warnings) is memory */
    if (st == VM_EIO && !c->d.errors)
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
    vm_diags_clear(&c->d);
    return (int)st;
}

static int import_csv(ictx *c, const char *path, const char *tab)
{
    char *data = NULL;
    size_t len = 0;
    int rc = read_all(path, &data, &len);
    if (rc)
        return rc;
    vm_status st = vm_import_rvtools_csv(c->im, tab, data, len, path, &c->d);
    free(data);
    return report(c, path, st);
}

/* The walker's view of an RVTools directory: only names of RVTools tabs
 * are looked at (nothing below it); every failure is said and remembered. */
static bool tab_name(void *ctx, const char *name, int depth)
{
    (void)ctx;
    (void)depth;
    return tab_of(name) != NULL;
}

static vm_walk_action tab_visit(void *ctx, const vm_dirent *e)
{
    (void)ctx;
    return e->kind == VM_ENT_DIR ? VM_WALK_SKIP : VM_WALK_TAKE;
}

static int import_dir(ictx *c, const char *dir)
{
    static const char *const order[] = {"vMetaData", "vInfo", "vUSB", "vNetwork", "vDisk"};
    vm_walk_status tw = {dir, 0}; /* any error fails: a link outside too (util/fs.h) */
    vm_pathlist files = {0};
    vm_walk_opts wo = {tab_name, tab_visit, vm_walk_fail, &tw, 0};
    if (vm_walk(dir, &wo, &files) != 0) {
        vm_pathlist_free(&files);
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    if (tw.rc) {
        vm_pathlist_free(&files);
        return VM_EIO;
    }
    /* bytewise order, so that two spellings of one tab (RVTools_tabvInfo.csv,
     * rvtools_tabvinfo.CSV) pick the same file on every file system */
    vm_pathlist_sort(&files);
    const char *found[5] = {0};
    for (size_t f = 0; f < files.n; f++) {
        const char *t = tab_of(files.v[f]);
        for (size_t i = 0; t && i < 5; i++)
            if (t == order[i] && !found[i])
                found[i] = files.v[f];
    }
    int rc = VM_OK;
    if (!found[1]) {
        vm_eprintf("%s: %s: error: no RVTools_tabvInfo.csv in this directory\n", VM_PROG, dir);
        rc = VM_EPROFILE;
    }
    for (size_t i = 0; !rc && i < 5; i++)
        if (found[i])
            rc = import_csv(c, found[i], order[i]);
    vm_pathlist_free(&files);
    return rc;
}

static int import_path(ictx *c, const char *path)
{
    struct stat sb;
    if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return import_dir(c, path);
    char *data = NULL;
    size_t len = 0;
    int rc = read_all(path, &data, &len);
    if (rc)
        return rc;
    vm_status st;
    if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
        st = vm_import_rvtools_xlsx(c->im, data, len, path, &c->d);
    } else {
        const char *tab = tab_of(path);
        if (tab && strcmp(tab, "vInfo") != 0 && strcmp(tab, "vMetaData") != 0) {
            free(data);
            vm_eprintf("%s: %s: error: a %s export alone names no VMs; give the directory or the vInfo CSV\n",
                    VM_PROG, path, tab);
            return VM_EUSAGE;
        }
        st = vm_import_rvtools_csv(c->im, tab ? tab : "vInfo", data, len, path, &c->d);
    }
    free(data);
    return report(c, path, st);
}

/* ---- import rvtools -------------------------------------------------------- */

static const vm_opt rvtools_opts[] = {
    {"output", 'o', "FILE", "write the profiles to FILE (atomically) instead of standard output", OPT_OUTPUT,
     false, NULL},
    {"group-by", 'g', "LABEL",
     "one profile per value of LABEL (a custom attribute, or folder, cluster, datacenter, host) with one "
     "component per VM",
     OPT_GROUP_BY, false, NULL},
    {"quiet", 'q', NULL, "no summary line on standard error", OPT_QUIET, false, NULL},
    {0},
};

/* Writes the stream and the summary (what: "rows", "servers"; NULL for
 * RVTools' VMs); frees nothing. */
static int finish(ictx *c, const char *path, const char *out, bool quiet, const char *what)
{
    vm_buf b;
    vm_buf_init(&b);
    vm_status st = vm_import_write(c->im, &b, &c->d);
    int rc = report(c, path, st); /* says out of memory once */
    if (!rc)
        rc = vm_out_write(out, b.data, b.len);
    if (!rc && !quiet) {
        const vm_import_stats *s = vm_import_get_stats(c->im);
        if (what)
            fprintf(stderr, "%s import: %zu %s -> %zu profiles\n", VM_PROG, s->vms, what, s->profiles);
        else
            fprintf(stderr,
                    "%s import: %zu VMs -> %zu profiles (%zu powered off, labelled); skipped %zu templates, %zu "
                    "SRM placeholders\n",
                    VM_PROG, s->vms, s->profiles, s->powered_off, s->templates, s->srm);
    }
    vm_buf_free(&b);
    return rc;
}

typedef struct {
    const char *out, *group, *map;
    bool quiet;
} iopts;

/* Parses an import subcommand's options and its one PATH (p->pos[0]):
 * -1 to go on, else the exit code (--help's 0, a usage error's). */
static int parse_opts(vm_cli *cli, vm_optparse *p, const char *sub, const char *what_path, bool need_map, iopts *o)
{
    int c;
    while ((c = vm_opt_next(p)) > 0)
        switch (c) {
        case OPT_OUTPUT: o->out = p->arg; break;
        case OPT_GROUP_BY: o->group = p->arg; break;
        case OPT_QUIET: o->quiet = true; break;
        case OPT_MAP: o->map = p->arg; break;
        }
    if (c < 0)
        return p->status;
    if (p->npos != 1)
        return p->npos < 1 ? vm_usage_error(cli, "%s: missing PATH (%s)", sub, what_path)
                           : vm_usage_error(cli, "%s: one PATH at a time", sub);
    if (need_map && !o->map)
        return vm_usage_error(cli, "csv: --map FILE is required (see examples/maps/)");
    if (o->group && !o->group[0])
        return vm_usage_error(cli, "--group-by: empty label");
    return -1;
}

/* Makes the importer; false after saying "out of memory". */
static bool ictx_init(ictx *c, vm_cli *cli, const char *group)
{
    vm_import_opts io = {.group_by = group};
    *c = (ictx){.cli = cli, .im = vm_import_new(&io)};
    if (!c->im) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        return false;
    }
    vm_diags_clear(&c->d);
    return true;
}

static int run_rvtools(vm_cli *cli, int argc, char **argv)
{
    vm_optparse p;
    vm_opt_init(&p, cli, argc, argv);
    iopts o = {0};
    int rc = parse_opts(cli, &p, "rvtools", "an .xlsx, a CSV or a directory of CSVs", false, &o);
    if (rc >= 0)
        return rc;
    const char *path = p.pos[0];
    ictx c;
    if (!ictx_init(&c, cli, o.group))
        return VM_EIO;
    rc = import_path(&c, path);
    if (!rc)
        rc = finish(&c, path, o.out, o.quiet, NULL);
    vm_import_free(c.im);
    return rc;
}

VM_SUBCOMMAND(import, rvtools,
    .summary = "profiles from an RVTools export",
    .usage = "rvtools [-o FILE] [--group-by LABEL] PATH",
    .description =
        "Reads an RVTools export (an .xlsx workbook, a directory of its CSV files, or the vInfo CSV alone) and "
        "writes one profile per VM (or, with --group-by, one per group with one component per VM; groups over "
        "64 VMs are split with a warning). Filled from the inventory: metadata.name (the VM name as a unique "
        "DNS label; the original in the label rvtools/vm), metadata.description (Annotation), labels (folder, "
        "cluster, datacenter, host, power state, custom attributes), workload.os, workload.hardware_access "
        "(passthrough: USB devices, DirectPath I/O, raw device mappings), operations.availability (Fault "
        "Tolerance: critical; HA restart priority high: high), strategy.current_platform: vmware-esxi and "
        "economics.licenses: [vmware]. Each filled field carries a comment naming tab, row, column and raw "
        "value. Everything else stays absent, for people to answer. Templates and SRM placeholders are skipped "
        "and counted. CSV files may be UTF-8, Latin-1 or UTF-16 with a byte-order mark, separated by , ; or "
        "TAB. See docs/import.md for every column and limit.\n\n"
        "Exit status: 0 ok, 2 usage error, 3 the export is malformed or refused (zip bombs, entity expansion, "
        "path traversal, lying zip sizes, unpaired UTF-16 surrogates, files over 256 MiB, cells or rows over "
        "the limits), 5 a file could not be read or memory ran out.",
    .examples = "vmctr import rvtools export.xlsx > estate.yaml\n"
                "vmctr import rvtools --group-by Application export.xlsx | vmctr portfolio -\n"
                "vmctr import rvtools -o estate.yaml csv-exports/"
);

/* ---- import azure-migrate / import csv --map ---------------------------------- */


static const vm_opt azure_opts[] = {
    {"output", 'o', "FILE", "write the profiles to FILE (atomically) instead of standard output", OPT_OUTPUT,
     false, NULL},
    {"group-by", 'g', "LABEL", "one profile per value of LABEL with one component per server", OPT_GROUP_BY, false,
     NULL},
    {"quiet", 'q', NULL, "no summary line on standard error", OPT_QUIET, false, NULL},
    {0},
};

static const vm_opt csv_opts[] = {
    {"map", 'm', "FILE", "the column map (required; see examples/maps/)", OPT_MAP, false, NULL},
    {"output", 'o', "FILE", "write the profiles to FILE (atomically) instead of standard output", OPT_OUTPUT,
     false, NULL},
    {"group-by", 'g', "LABEL", "one profile per value of LABEL (a label the map writes) with one component per row",
     OPT_GROUP_BY, false, NULL},
    {"quiet", 'q', NULL, "no summary line on standard error", OPT_QUIET, false, NULL},
    {0},
};

static int run_mapped(vm_cli *cli, int argc, char **argv, bool azure)
{
    vm_optparse p;
    vm_opt_init(&p, cli, argc, argv);
    iopts o = {0};
    const char *sub = azure ? "azure-migrate" : "csv";
    int rc = parse_opts(cli, &p, sub, "a CSV file, or - for standard input", !azure, &o);
    if (rc >= 0)
        return rc;
    const char *mapfile = o.map;
    vm_diags d;
    vm_diags_clear(&d);
    vm_invmap *map = NULL;
    if (azure) {
        rc = (int)vm_invmap_builtin("azure-migrate", &map, &d);
    } else {
        char *data = NULL;
        size_t len = 0;
        rc = read_all(mapfile, &data, &len);
        if (rc)
            return rc;
        rc = (int)vm_invmap_load(data, len, mapfile, &map, &d);
        free(data);
    }
    if (rc) {
        vm_diags_print(cli, &d, mapfile ? mapfile : sub);
        return rc;
    }
    ictx c;
    if (!ictx_init(&c, cli, o.group)) {
        vm_invmap_free(map);
        return VM_EIO;
    }
    const char *path = p.pos[0];
    char *data = NULL;
    size_t len = 0;
    rc = read_all(path, &data, &len);
    if (!rc) {
        vm_status st = vm_import_csv(c.im, map, sub, data, len, path, &c.d);
        rc = report(&c, path, st);
    }
    free(data);
    if (!rc)
        rc = finish(&c, path, o.out, o.quiet, azure ? "servers" : "rows");
    vm_import_free(c.im);
    vm_invmap_free(map);
    return rc;
}

static int run_azure(vm_cli *cli, int argc, char **argv) { return run_mapped(cli, argc, argv, true); }
static int run_csv(vm_cli *cli, int argc, char **argv) { return run_mapped(cli, argc, argv, false); }

VM_SUBCOMMAND(import, azure,
    .summary = "profiles from an Azure Migrate import CSV",
    .usage = "azure-migrate [-o FILE] [--group-by LABEL] PATH",
    .description =
        "Reads Azure Migrate's discovery import CSV (the template's '*Server name', '*OS name' ... columns; "
        "header spellings with or without '*') and writes one profile per server: metadata.name from Server "
        "name, workload.os from OS name (Windows, Linux distributions; Solaris, FreeBSD, AIX, HP-UX: other), "
        "and OS version, cores, memory and firmware as labels. The CSV does not say which hypervisor the "
        "server ran on, so strategy.current_platform stays unknown, like everything else it does not show.",
    .examples = "vmctr import azure-migrate AzureMigrateImport.csv | vmctr portfolio -"
);

VM_SUBCOMMAND(import, csv,
    .summary = "profiles from any CSV inventory through a column map",
    .usage = "csv --map FILE [-o FILE] [--group-by LABEL] PATH",
    .description =
        "Reads a CSV inventory (ServiceNow CMDB, AWS Application Discovery Service, Google Migration Center "
        "or your own) through a column map: which column names each row, which columns fill which profile "
        "fields (with value maps from cell patterns to values) or labels. Defaults are forbidden: what no "
        "cell shows stays unknown. Maps for those three exports ship in examples/maps/; the format is in "
        "docs/import.md. A bad map is exit 3 with its positions.",
    .examples = "vmctr import csv --map examples/maps/servicenow-cmdb.yaml cmdb_ci_server.csv\n"
                "vmctr import csv --map examples/maps/aws-ads.yaml --group-by application servers.csv"
);

/* ---- dispatch --------------------------------------------------------------- */

static const vm_cmd *const subs[] = {&cmd_import_rvtools, &cmd_import_azure, &cmd_import_csv};
static const char *const sub_names[] = {"rvtools", "azure-migrate", "csv"};

static int run(vm_cli *cli, int argc, char **argv) { return vm_cmd_dispatch(cli, argc, argv, "source"); }

VM_PARENT_COMMAND(import,
    .summary = "write profiles from inventory exports (RVTools, Azure Migrate, any CSV)",
    .usage = "rvtools|azure-migrate|csv [OPTIONS] PATH",
    .description = "Sources: 'rvtools PATH' (an RVTools .xlsx, a directory of its CSV exports, or the vInfo CSV), "
                   "'azure-migrate PATH' (Azure Migrate's import CSV), 'csv --map FILE PATH' (any CSV through a "
                   "column map). 'vmctr import SOURCE --help' shows a source's options.",
    .examples = "vmctr import rvtools export.xlsx | vmctr portfolio -"
);
