/*
 * import.c - RVTools inventories into profiles (see vmctr/inventory.h).
 *
 * Rows come from the table readers (csvread.c, xlsx.c) one at a time.
 * vMetaData gives the RVTools version; vInfo makes one record per VM
 * (templates and SRM placeholders skipped and counted); vUSB, vNetwork and
 * vDisk add passthrough evidence to the VM they name. Each filled field
 * keeps its provenance (tab, row, column header, raw value), written as a
 * comment on its line. The mapping, column by column, is documented in
 * docs/import.md; keep the two in step.
 *
 * Headers are matched through an alias table after normalising (lower
 * case, letters and digits only, "mib" read as "mb"), so RVTools' display
 * names, older "MB" names and the camelCase names of its command-line
 * exports (vInfoVMName ...) all land on the same logical column.
 */
#include "vmctr/sys/inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "invmap.h"
#include "invtab.h"
#include "util/grow.h"
#include "vmctr/arena.h"
#include "vmctr/field.h"
#include "yamlsafe.h"

/* ---- logical columns and their aliases ---------------------------------- */

enum {
    C_VM, C_POWER, C_TEMPLATE, C_SRM, C_ANNOT, C_DC, C_CLUSTER, C_HOST, C_FOLDER, C_OS_CFG, C_OS_TOOLS,
    C_FT, C_HA_PRIO, C_DAS, C_UUID, C_DPIO, C_ADAPTER, C_RAW, C_RVVER, C_COUNT
};

static const struct {
    int id;
    const char *norm; /* normalised header */
} aliases[] = {
    {C_VM, "vm"}, {C_VM, "vmname"}, {C_VM, "vinfovmname"},
    {C_POWER, "powerstate"}, {C_POWER, "vinfopowerstate"},
    {C_TEMPLATE, "template"}, {C_TEMPLATE, "vinfotemplate"},
    {C_SRM, "srmplaceholder"}, {C_SRM, "vinfosrmplaceholder"},
    {C_ANNOT, "annotation"}, {C_ANNOT, "vinfoannotation"},
    {C_DC, "datacenter"}, {C_DC, "vinfodatacenter"},
    {C_CLUSTER, "cluster"}, {C_CLUSTER, "vinfocluster"},
    {C_HOST, "host"}, {C_HOST, "vinfohost"},
    {C_FOLDER, "folder"}, {C_FOLDER, "vinfofolder"},
    {C_OS_CFG, "osaccordingtotheconfigurationfile"}, {C_OS_CFG, "vinfoos"},
    {C_OS_TOOLS, "osaccordingtothevmwaretools"}, {C_OS_TOOLS, "vinfoostools"},
    {C_FT, "ftstate"}, {C_FT, "vinfoftstate"},
    {C_HA_PRIO, "harestartpriority"}, {C_HA_PRIO, "vinfoharestartpriority"},
    {C_DAS, "dasprotection"}, {C_DAS, "vinfodasprotection"},
    {C_UUID, "vmuuid"}, {C_UUID, "vinfovmuuid"},
    {C_DPIO, "directpathio"}, {C_DPIO, "vnetworkdirectpathio"},
    {C_ADAPTER, "adapter"}, {C_ADAPTER, "vnetworkadapter"},
    {C_RAW, "raw"}, {C_RAW, "vdiskraw"},
    {C_RVVER, "rvtoolsversion"}, {C_RVVER, "vmetadatarvtoolsversion"},
};

/* Lower case, letters and digits only, "mib" -> "mb". */
static void normalise(const char *h, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    if (n >= 3 && memcmp(h, "\xef\xbb\xbf", 3) == 0)
        h += 3, n -= 3;
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        char c = h[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out[k++] = c;
    }
    out[k] = '\0';
    for (char *m; (m = strstr(out, "mib")) != NULL;)
        memmove(m + 1, m + 2, strlen(m + 2) + 1);
}

/* ---- records ---------------------------------------------------------------- */

/* Where a value came from. */
typedef struct {
    const char *tab;
    const char *unit; /* "line" or "row" */
    uint32_t row;
    const char *col;  /* header as written in the file, or NULL */
    const char *raw;  /* cell as written, or NULL */
    uint32_t rawlen;
    const char *note; /* explanation instead of a column (e.g. every row) */
} prov;

typedef struct {
    const char *val;  /* value written (an enum value, or text) */
    prov p;
} fill;

typedef struct {
    const char *key;
    fill f;
} label;

/* A filled field. `common` marks facts true of every row of the source
 * (the platform of an RVTools row): with --group-by they go on the parent. */
typedef struct {
    int field;        /* vm_field_id */
    bool common;
    fill f;
} fillent;

typedef struct {
    const char *vm;
    uint32_t vmlen;
    uint32_t row;
    const char *unit;
    const char *uuid;
    fillent *fills;
    uint32_t nfills;
    size_t capfills;
    label *labels;
    uint32_t nlabels;
    size_t caplabels;
    const char *name;   /* assigned DNS label */
    const char *group;  /* value of the --group-by label, or NULL */
} vmrec;

typedef struct {
    const char *file;         /* file of the table being read */
    const char *tab;
    int col[C_COUNT];         /* cell index of each logical column, -1 when absent */
    const char **headers;     /* as written */
    uint32_t nheaders;
    uint32_t attr_lo, attr_hi; /* custom attribute columns [lo, hi) */
    int *mcol;                /* with a map: cell index of each map column, -1 when absent */
    int mname;                /* with a map: cell index of the name column */
    bool have_header;
} table;

struct vm_import {
    vm_import_opts o;
    vm_arena *a;
    vmrec *vms;
    size_t nvms, capvms;
    uint32_t *hash;           /* VM name -> index + 1, open addressing */
    size_t hcap;
    const char *rvver;        /* RVTools version from vMetaData */
    const char *source;       /* "rvtools", "azure-migrate", "csv" (document headers) */
    const char *unit_one;     /* "one VM", "one server" */
    const char *name_tab;     /* tab of the name column in provenance ("vInfo") */
    const char *name_label;   /* label holding the original name ("rvtools/vm") */
    const vm_invmap *map;     /* vm_import_csv: the column map */
    const char *src;          /* inventory file (for the document headers) */
    bool saw_vinfo;
    vm_import_stats st;
    vm_status err;
    vm_diags *d;
    table t;
};

vm_import *vm_import_new(const vm_import_opts *o)
{
    vm_import *im = calloc(1, sizeof *im);
    if (!im)
        return NULL;
    if (o)
        im->o = *o;
    im->a = vm_arena_new();
    if (!im->a) {
        free(im);
        return NULL;
    }
    return im;
}

void vm_import_free(vm_import *im)
{
    if (!im)
        return;
    for (size_t i = 0; i < im->nvms; i++) {
        free(im->vms[i].labels);
        free(im->vms[i].fills);
    }
    free(im->vms);
    free(im->hash);
    vm_arena_free(im->a);
    free(im);
}

const vm_import_stats *vm_import_get_stats(const vm_import *im) { return &im->st; }

static uint64_t hash_str(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static long find_vm(const vm_import *im, const char *s, size_t n)
{
    if (!im->hcap)
        return -1;
    for (size_t i = hash_str(s, n) & (im->hcap - 1);; i = (i + 1) & (im->hcap - 1)) {
        uint32_t k = im->hash[i];
        if (!k)
            return -1;
        const vmrec *v = &im->vms[k - 1];
        if (v->vmlen == n && memcmp(v->vm, s, n) == 0)
            return (long)(k - 1);
    }
}

static bool hash_add(vm_import *im, size_t idx)
{
    if ((im->nvms + 1) * 2 > im->hcap) {
        size_t nc = im->hcap ? im->hcap * 2 : 1024;
        uint32_t *h = calloc(nc, sizeof *h);
        if (!h)
            return false;
        free(im->hash);
        im->hash = h;
        im->hcap = nc;
        for (size_t i = 0; i < idx; i++) {
            size_t j = hash_str(im->vms[i].vm, im->vms[i].vmlen) & (nc - 1);
            while (h[j])
                j = (j + 1) & (nc - 1);
            h[j] = (uint32_t)(i + 1);
        }
    }
    size_t j = hash_str(im->vms[idx].vm, im->vms[idx].vmlen) & (im->hcap - 1);
    while (im->hash[j])
        j = (j + 1) & (im->hcap - 1);
    im->hash[j] = (uint32_t)(idx + 1);
    return true;
}

/* ---- cells ------------------------------------------------------------------ */

static const char *cell(const vm_row *r, const table *t, int c, uint32_t *len)
{
    int i = t->col[c];
    if (i < 0 || (uint32_t)i >= r->ncells) {
        *len = 0;
        return NULL;
    }
    *len = r->lens[i];
    return r->cells[i];
}

/* Leading/trailing blanks do not count. */
static const char *trim(const char *s, uint32_t *n)
{
    while (*n && (*s == ' ' || *s == '\t'))
        s++, (*n)--;
    while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t' || s[*n - 1] == '\r'))
        (*n)--;
    return s;
}

static bool is_true(const char *s, uint32_t n)
{
    s = trim(s, &n);
    return (n == 4 && strncasecmp(s, "true", 4) == 0) || (n == 3 && strncasecmp(s, "yes", 3) == 0) ||
           (n == 1 && (s[0] == '1' || s[0] == 'x' || s[0] == 'X')) || (n == 4 && strncasecmp(s, "wahr", 4) == 0);
}

static bool has_ci(const char *s, uint32_t n, const char *w)
{
    size_t k = strlen(w);
    for (uint32_t i = 0; i + k <= n; i++)
        if (strncasecmp(s + i, w, k) == 0)
            return true;
    return false;
}

static bool oom(vm_import *im)
{
    vm_diag_add(im->d, VM_SEV_ERROR, im->t.file, 0, 0, "", "out of memory");
    im->err = VM_EIO;
    return false;
}

/* A fill from cell index `idx` of the row (-1: no cell). */
static fill mkfill_at(vm_import *im, const vm_row *r, int idx, const char *val, const char *note)
{
    fill f = {.val = val, .p = {.tab = im->t.tab, .unit = r->unit, .row = r->line, .note = note}};
    if (idx >= 0 && (uint32_t)idx < r->ncells && (uint32_t)idx < im->t.nheaders) {
        uint32_t n = r->lens[idx];
        const char *s = r->cells[idx];
        f.p.col = im->t.headers[idx];
        f.p.raw = vm_arena_strndup(im->a, s, n > VM_LIMIT_INV_TEXT_BYTES ? VM_LIMIT_INV_TEXT_BYTES + 4 : n);
        f.p.rawlen = n > VM_LIMIT_INV_TEXT_BYTES ? VM_LIMIT_INV_TEXT_BYTES + 4 : n;
    }
    return f;
}

static fill mkfill(vm_import *im, const vm_row *r, int c, const char *val, const char *note)
{
    return mkfill_at(im, r, c >= 0 ? im->t.col[c] : -1, val, note);
}

static bool add_label(vm_import *im, vmrec *v, const char *key, fill f)
{
    for (uint32_t i = 0; i < v->nlabels; i++)
        if (strcmp(v->labels[i].key, key) == 0)
            return true; /* first one wins */
    if (v->nlabels >= VM_LIMIT_ITEMS)
        return true;
    if (!vm_grow(&v->labels, &v->caplabels, v->nlabels, sizeof *v->labels, 8))
        return oom(im);
    v->labels[v->nlabels++] = (label){key, f};
    return true;
}

static const fillent *get_fill(const vmrec *v, int field)
{
    for (uint32_t i = 0; i < v->nfills; i++)
        if (v->fills[i].field == field)
            return &v->fills[i];
    return NULL;
}

/* Fills a field unless the evidence already filled it (first one wins). */
static bool set_fill(vm_import *im, vmrec *v, int field, fill f, bool common)
{
    if (get_fill(v, field))
        return true;
    if (!vm_grow(&v->fills, &v->capfills, v->nfills, sizeof *v->fills, 8))
        return oom(im);
    v->fills[v->nfills++] = (fillent){field, common, f};
    return true;
}

/* A label from a cell, when it is not empty. */
static bool cell_label(vm_import *im, vmrec *v, const vm_row *r, int c, const char *key)
{
    uint32_t n;
    const char *s = cell(r, &im->t, c, &n);
    if (!s)
        return true;
    s = trim(s, &n);
    if (!n)
        return true;
    fill f = mkfill(im, r, c, NULL, NULL);
    f.val = vm_arena_strndup(im->a, s, n);
    return f.val ? add_label(im, v, key, f) : oom(im);
}

/* ---- OS strings --------------------------------------------------------------- */

/* linux, windows, other, or NULL when the string does not say. "Other
 * (64-bit)" and "Other 3.x or later Linux" differ: the first says nothing. */
static const char *os_of(const char *s, uint32_t n)
{
    s = trim(s, &n);
    if (!n)
        return NULL;
    if (has_ci(s, n, "windows"))
        return "windows";
    static const char *const linuxes[] = {"linux", "ubuntu", "debian", "centos", "red hat", "rhel", "suse",
                                          "sles", "fedora", "photon", "coreos", "rocky", "alma",
                                          "asianux", "mandriva", "turbolinux", "oracle linux"};
    for (size_t i = 0; i < sizeof linuxes / sizeof *linuxes; i++)
        if (has_ci(s, n, linuxes[i]))
            return "linux";
    static const char *const others[] = {"freebsd", "netbsd", "openbsd", "solaris", "netware", "os/2",
                                         "ms-dos", "dos ", "mac os", "macos", "darwin", "sco ", "unixware",
                                         "aix", "hp-ux", "esxi", "vmkernel", "ecomstation"};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++)
        if (has_ci(s, n, others[i]))
            return "other";
    return NULL;
}

static const char every_row[] = "every RVTools row is a VM on vSphere";

/* ---- tables ------------------------------------------------------------------- */

static bool read_header(vm_import *im, const vm_row *r)
{
    table *t = &im->t;
    t->have_header = true;
    for (int c = 0; c < C_COUNT; c++)
        t->col[c] = -1;
    t->nheaders = r->ncells;
    t->headers = vm_arena_alloc(im->a, (r->ncells + 1) * sizeof *t->headers);
    if (!t->headers)
        return oom(im);
    for (uint32_t i = 0; i < r->ncells; i++) {
        uint32_t n = r->lens[i];
        const char *s = r->cells[i];
        if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
            s += 3, n -= 3;
        s = trim(s, &n);
        t->headers[i] = vm_arena_strndup(im->a, s, n > 200 ? 200 : n);
        if (!t->headers[i])
            return oom(im);
        char norm[256];
        normalise(s, n, norm, sizeof norm);
        for (size_t k = 0; k < sizeof aliases / sizeof *aliases; k++)
            if (strcmp(norm, aliases[k].norm) == 0 && t->col[aliases[k].id] < 0)
                t->col[aliases[k].id] = (int)i;
    }
    /* RVTools writes the custom attributes between Annotation and Datacenter. */
    t->attr_lo = t->attr_hi = 0;
    if (t->col[C_ANNOT] >= 0 && t->col[C_DC] > t->col[C_ANNOT]) {
        t->attr_lo = (uint32_t)t->col[C_ANNOT] + 1;
        t->attr_hi = (uint32_t)t->col[C_DC];
    }
    return true;
}

/* A new record for the row named (s, n), in input order; NULL when out of
 * memory. A name seen before is warned about and kept (it gets a suffix). */
static vmrec *new_vm(vm_import *im, const vm_row *r, int name_idx, const char *name, uint32_t n)
{
    if (find_vm(im, name, n) >= 0) {
        char q[120];
        vm_yaml_quoted_to(q, sizeof q, name, n);
        vm_diag_add(im->d, VM_SEV_WARNING, im->t.file, r->line, (uint32_t)name_idx + 1, "",
                    "%s %s appears again (first row kept; its name gets a suffix)", im->map ? "name" : "VM", q);
    }
    if (!vm_grow(&im->vms, &im->capvms, im->nvms, sizeof *im->vms, 256))
        return oom(im), NULL;
    vmrec *v = &im->vms[im->nvms];
    *v = (vmrec){.row = r->line, .unit = r->unit};
    v->vm = vm_arena_strndup(im->a, name, n);
    v->vmlen = n;
    if (!v->vm)
        return oom(im), NULL;
    if (find_vm(im, name, n) < 0 && !hash_add(im, im->nvms))
        return oom(im), NULL;
    im->nvms++;
    im->st.vms++;
    return v;
}

static bool vinfo_row(vm_import *im, const vm_row *r)
{
    table *t = &im->t;
    if (t->col[C_VM] < 0) {
        vm_diag_add(im->d, VM_SEV_ERROR, t->file, 1, 1, "",
                    "%s has no 'VM' column: not an RVTools vInfo export", t->tab);
        im->err = VM_EPROFILE;
        return false;
    }
    uint32_t n;
    const char *name = cell(r, t, C_VM, &n);
    if (!name || !(name = trim(name, &n), n))
        return true; /* blank line */
    im->st.rows++;
    uint32_t k;
    const char *s = cell(r, t, C_TEMPLATE, &k);
    if (s && is_true(s, k)) {
        im->st.templates++;
        return true;
    }
    s = cell(r, t, C_SRM, &k);
    if (s && is_true(s, k)) {
        im->st.srm++;
        return true;
    }
    vmrec *v = new_vm(im, r, t->col[C_VM], name, n);
    if (!v)
        return false;

    /* what every RVTools row shows: a VM on vSphere, licensed */
    fill every = {.val = "vmware-esxi", .p = {.tab = t->tab, .unit = r->unit, .row = r->line, .note = every_row}};
    if (!set_fill(im, v, VM_F_STRATEGY_CURRENT_PLATFORM, every, true))
        return false;
    every.val = "vmware";
    if (!set_fill(im, v, VM_F_ECONOMICS_LICENSES, every, true))
        return false;

    /* labels: the name as written, where it lives, its custom attributes */
    fill f = mkfill(im, r, C_VM, v->vm, NULL);
    if (!add_label(im, v, "rvtools/vm", f))
        return false;
    if (!cell_label(im, v, r, C_DC, "rvtools/datacenter") || !cell_label(im, v, r, C_CLUSTER, "rvtools/cluster") ||
        !cell_label(im, v, r, C_HOST, "rvtools/host") || !cell_label(im, v, r, C_FOLDER, "rvtools/folder"))
        return false;
    s = cell(r, t, C_POWER, &k);
    if (s && (s = trim(s, &k), k) && !(k == 9 && strncasecmp(s, "poweredOn", 9) == 0)) {
        if (k == 10 && strncasecmp(s, "poweredOff", 10) == 0)
            im->st.powered_off++;
        if (!cell_label(im, v, r, C_POWER, "rvtools/powerstate"))
            return false;
    }
    for (uint32_t i = t->attr_lo; i < t->attr_hi && i < r->ncells; i++) {
        if (!t->headers[i][0])
            continue;
        int save = t->col[C_RVVER];
        t->col[C_RVVER] = (int)i; /* borrow a slot to reuse cell_label */
        bool ok = cell_label(im, v, r, C_RVVER, t->headers[i]);
        t->col[C_RVVER] = save;
        if (!ok)
            return false;
    }

    /* workload.os: VMware Tools first (what runs), then the configuration file */
    const char *os = NULL;
    int osc = C_OS_TOOLS;
    s = cell(r, t, C_OS_TOOLS, &k);
    if (s)
        os = os_of(s, k);
    if (!os) {
        osc = C_OS_CFG;
        s = cell(r, t, C_OS_CFG, &k);
        if (s)
            os = os_of(s, k);
    }
    if (os)
        if (!set_fill(im, v, VM_F_WORKLOAD_OS, mkfill(im, r, osc, os, NULL), false))
            return false;

    /* operations.availability: Fault Tolerance, then HA restart priority */
    s = cell(r, t, C_FT, &k);
    if (s && (s = trim(s, &k), k) && !(k == 13 && strncasecmp(s, "notConfigured", 13) == 0) &&
        !(k == 8 && strncasecmp(s, "disabled", 8) == 0)) {
        if (!set_fill(im, v, VM_F_OPERATIONS_AVAILABILITY, mkfill(im, r, C_FT, "critical", NULL), false))
            return false;
    } else {
        s = cell(r, t, C_HA_PRIO, &k);
        uint32_t dk;
        const char *das = cell(r, t, C_DAS, &dk);
        bool protected_ = !das || !(das = trim(das, &dk), dk) || is_true(das, dk);
        if (s && protected_ && (s = trim(s, &k), k) &&
            ((k == 4 && strncasecmp(s, "high", 4) == 0) || (k == 7 && strncasecmp(s, "highest", 7) == 0)))
            if (!set_fill(im, v, VM_F_OPERATIONS_AVAILABILITY, mkfill(im, r, C_HA_PRIO, "high", NULL), false))
                return false;
    }

    /* metadata.description: the annotation */
    s = cell(r, t, C_ANNOT, &k);
    if (s && (s = trim(s, &k), k)) {
        fill fd = mkfill(im, r, C_ANNOT, NULL, NULL);
        fd.val = vm_arena_strndup(im->a, s, k);
        fd.p.raw = NULL; /* the value is the cell */
        if (!fd.val || !set_fill(im, v, VM_F_META_DESCRIPTION, fd, false))
            return oom(im);
    }
    s = cell(r, t, C_UUID, &k);
    if (s && k)
        v->uuid = vm_arena_strndup(im->a, s, k);
    return true;
}

/* vUSB, vNetwork, vDisk: passthrough evidence for the VM named in the row. */
static bool device_row(vm_import *im, const vm_row *r, int kind)
{
    table *t = &im->t;
    uint32_t n;
    const char *name = cell(r, t, C_VM, &n);
    if (!name || !(name = trim(name, &n), n))
        return true;
    long i = find_vm(im, name, n);
    if (i < 0 || get_fill(&im->vms[i], VM_F_WORKLOAD_HARDWARE_ACCESS))
        return true;
    vmrec *v = &im->vms[i];
    const int hw = VM_F_WORKLOAD_HARDWARE_ACCESS;
    uint32_t k;
    const char *s;
    if (kind == 'u') {
        return set_fill(im, v, hw, mkfill(im, r, C_VM, "passthrough", "a USB device is connected"), false);
    } else if (kind == 'n') {
        s = cell(r, t, C_DPIO, &k);
        if (s && is_true(s, k))
            return set_fill(im, v, hw, mkfill(im, r, C_DPIO, "passthrough", NULL), false);
        else if ((s = cell(r, t, C_ADAPTER, &k)) && (has_ci(s, k, "sriov") || has_ci(s, k, "sr-iov") ||
                                                     has_ci(s, k, "passthrough")))
            return set_fill(im, v, hw, mkfill(im, r, C_ADAPTER, "passthrough", NULL), false);
    } else if (kind == 'd') {
        s = cell(r, t, C_RAW, &k);
        if (s && is_true(s, k))
            return set_fill(im, v, hw, mkfill(im, r, C_RAW, "passthrough", "a raw device mapping"), false);
    }
    return true;
}

static bool meta_row(vm_import *im, const vm_row *r)
{
    uint32_t k;
    const char *s = cell(r, &im->t, C_RVVER, &k);
    if (s && (s = trim(s, &k), k) && !im->rvver)
        im->rvver = vm_arena_strndup(im->a, s, k > 64 ? 64 : k);
    return true;
}

/* ---- mapped CSV ------------------------------------------------------------ */

static bool on_row(void *ctx, const vm_row *r);

static bool header_is(const char *norm, const char *alias)
{
    char na[256];
    normalise(alias, strlen(alias), na, sizeof na);
    return na[0] && strcmp(norm, na) == 0;
}

static bool map_header(vm_import *im, const vm_row *r)
{
    table *t = &im->t;
    const vm_invmap *m = im->map;
    if (!read_header(im, r))
        return false;
    t->mcol = vm_arena_alloc(im->a, (m->ncols + 1) * sizeof *t->mcol);
    if (!t->mcol)
        return oom(im);
    t->mname = -1;
    for (uint32_t c = 0; c < m->ncols; c++)
        t->mcol[c] = -1;
    for (uint32_t i = 0; i < r->ncells; i++) {
        char norm[256];
        normalise(t->headers[i], strlen(t->headers[i]), norm, sizeof norm);
        for (uint32_t a = 0; t->mname < 0 && a < m->nname; a++)
            if (header_is(norm, m->name_hdr[a]))
                t->mname = (int)i;
        for (uint32_t c = 0; c < m->ncols; c++)
            for (uint32_t a = 0; t->mcol[c] < 0 && a < m->cols[c].nhdr; a++)
                if (header_is(norm, m->cols[c].hdr[a]))
                    t->mcol[c] = (int)i;
    }
    if (t->mname < 0) {
        char q[120];
        vm_yaml_quoted_to(q, sizeof q, m->name_hdr[0], strlen(m->name_hdr[0]));
        vm_diag_add(im->d, VM_SEV_ERROR, t->file, r->line, 1, "", "no name column %s (the map's 'name')", q);
        im->err = VM_EPROFILE;
        return false;
    }
    return true;
}

static bool mapped_row(vm_import *im, const vm_row *r)
{
    table *t = &im->t;
    const vm_invmap *m = im->map;
    if ((uint32_t)t->mname >= r->ncells)
        return true;
    uint32_t n = r->lens[t->mname];
    const char *name = trim(r->cells[t->mname], &n);
    if (!n)
        return true;
    im->st.rows++;
    vmrec *v = new_vm(im, r, t->mname, name, n);
    if (!v)
        return false;
    fill fn = mkfill_at(im, r, t->mname, v->vm, NULL);
    fn.p.raw = NULL;
    if (!add_label(im, v, im->name_label, fn))
        return false;
    for (uint32_t c = 0; c < m->ncols; c++) {
        int idx = t->mcol[c];
        if (idx < 0 || (uint32_t)idx >= r->ncells)
            continue;
        uint32_t k = r->lens[idx];
        const char *s = trim(r->cells[idx], &k);
        if (!k)
            continue;
        const mcol *mc = &m->cols[c];
        const char *val = NULL;
        if (mc->nvals) {
            val = vm_invmap_value(mc, s, k);
            if (!val)
                continue; /* no pattern matched: unknown */
        } else if (vm_invmap_fixed(mc->field)) {
            continue; /* a raw cell is no fixed value (invmap refuses such a column) */
        } else {
            val = vm_arena_strndup(im->a, s, k);
            if (!val)
                return oom(im);
        }
        if (mc->label) {
            fill f = mkfill_at(im, r, idx, val, NULL);
            if (!mc->nvals)
                f.p.raw = NULL;
            if (!add_label(im, v, mc->label, f))
                return false;
            continue;
        }
        const vm_field_def *fd = vm_field(mc->field);
        if (fd->type == VM_T_INT) {
            char *end;
            long long x = strtoll(val, &end, 10);
            if (*end || x < fd->min || x > fd->max)
                continue; /* not a count: unknown */
        }
        fill f = mkfill_at(im, r, idx, val, NULL);
        if (!mc->nvals)
            f.p.raw = NULL;
        if (!set_fill(im, v, mc->field, f, false))
            return false;
    }
    return true;
}

vm_status vm_import_csv(vm_import *im, const vm_invmap *m, const char *source, const void *data, size_t len,
                        const char *file, vm_diags *d)
{
    const char *ffile = vm_arena_strndup(im->a, file, strlen(file));
    const char *fsrc = vm_arena_strndup(im->a, source, strlen(source));
    if (!ffile || !fsrc)
        return VM_EIO;
    im->map = m;
    im->source = fsrc;
    im->unit_one = "one server";
    im->name_tab = "csv";
    im->name_label = "inventory/name";
    im->t = (table){.file = ffile, .tab = "csv"};
    im->d = d;
    im->src = ffile;
    vm_status st = vm_csv_read(data, len, ffile, "csv", on_row, im, d);
    return st ? st : im->err;
}

static bool on_row(void *ctx, const vm_row *r)
{
    vm_import *im = ctx;
    if (im->err)
        return false;
    if (im->map)
        return im->t.have_header ? mapped_row(im, r) : map_header(im, r);
    if (!im->t.have_header)
        return read_header(im, r);
    const char *tab = im->t.tab;
    bool ok = true;
    if (strcasecmp(tab, "vInfo") == 0)
        ok = vinfo_row(im, r);
    else if (strcasecmp(tab, "vMetaData") == 0)
        ok = meta_row(im, r);
    else if (strcasecmp(tab, "vUSB") == 0)
        ok = device_row(im, r, 'u');
    else if (strcasecmp(tab, "vNetwork") == 0)
        ok = device_row(im, r, 'n');
    else if (strcasecmp(tab, "vDisk") == 0)
        ok = device_row(im, r, 'd');
    return ok && !im->err;
}

static void begin_table(vm_import *im, const char *file, const char *tab, vm_diags *d)
{
    im->t = (table){.file = file, .tab = tab};
    im->d = d;
    if (strcasecmp(tab, "vInfo") == 0)
        im->src = file;
}

static bool known_tab(const char *tab)
{
    static const char *const tabs[] = {"vInfo", "vMetaData", "vUSB", "vNetwork", "vDisk"};
    for (size_t i = 0; i < sizeof tabs / sizeof *tabs; i++)
        if (strcasecmp(tab, tabs[i]) == 0)
            return true;
    return false;
}

vm_status vm_import_rvtools_csv(vm_import *im, const char *tab, const void *data, size_t len,
                                const char *file, vm_diags *d)
{
    if (!known_tab(tab))
        return VM_OK;
    if (strcasecmp(tab, "vInfo") != 0 && strcasecmp(tab, "vMetaData") != 0 && !im->saw_vinfo) {
        vm_diag_add(d, VM_SEV_ERROR, file, 1, 1, "", "%s must be read after vInfo", tab);
        return VM_EUSAGE;
    }
    if (strcasecmp(tab, "vInfo") == 0)
        im->saw_vinfo = true;
    const char *ftab = vm_arena_strndup(im->a, tab, strlen(tab));
    const char *ffile = vm_arena_strndup(im->a, file, strlen(file));
    if (!ftab || !ffile)
        return VM_EIO;
    begin_table(im, ffile, ftab, d);
    vm_status st = vm_csv_read(data, len, ffile, ftab, on_row, im, d);
    return st ? st : im->err;
}

vm_status vm_import_rvtools_xlsx(vm_import *im, const void *data, size_t len, const char *file,
                                 vm_diags *d)
{
    const char *ffile = vm_arena_strndup(im->a, file, strlen(file));
    if (!ffile)
        return VM_EIO;
    vm_zip *z = NULL;
    vm_status st = vm_zip_open(data, len, ffile, &z, d);
    if (st)
        return st;
    vm_xlsx *x = NULL;
    st = vm_xlsx_open(z, ffile, &x, d);
    if (st) {
        vm_zip_close(z);
        return st;
    }
    if (!vm_xlsx_has_sheet(x, "vInfo")) {
        vm_diag_add(d, VM_SEV_ERROR, ffile, 1, 1, "", "no vInfo sheet: not an RVTools export");
        st = VM_EPROFILE;
    }
    static const char *const order[] = {"vMetaData", "vInfo", "vUSB", "vNetwork", "vDisk"};
    for (size_t i = 0; !st && i < sizeof order / sizeof *order; i++) {
        begin_table(im, ffile, order[i], d);
        if (strcmp(order[i], "vInfo") == 0)
            im->saw_vinfo = true;
        st = vm_xlsx_rows(x, order[i], on_row, im, d);
        if (!st)
            st = im->err;
    }
    vm_xlsx_close(x);
    vm_zip_close(z);
    return st;
}

/* ---- writing -------------------------------------------------------------------- */

/* A DNS label from any text: lower case, runs of anything else -> '-'. */
static size_t dns_of(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    bool dash = false;
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && k)
                out[k++] = '-';
            dash = false;
            if (k + 1 < cap)
                out[k++] = c;
        } else {
            dash = true;
        }
    }
    if (k > 63)
        k = 63;
    while (k && out[k - 1] == '-')
        k--;
    if (!k) {
        memcpy(out, "vm", 2);
        k = 2;
    }
    out[k] = '\0';
    return k;
}

/* Names in a set are checked by hash: a separate small table. */
typedef struct {
    const char **slot;
    size_t cap, n;
} nhash;

static bool nh_has(const nhash *h, const char *x)
{
    if (!h->cap)
        return false;
    for (size_t i = hash_str(x, strlen(x)) & (h->cap - 1); h->slot[i]; i = (i + 1) & (h->cap - 1))
        if (strcmp(h->slot[i], x) == 0)
            return true;
    return false;
}

static bool nh_add(nhash *h, const char *x)
{
    if ((h->n + 1) * 2 > h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 1024;
        const char **s = calloc(nc, sizeof *s);
        if (!s)
            return false;
        for (size_t i = 0; i < h->cap; i++)
            if (h->slot[i]) {
                size_t j = hash_str(h->slot[i], strlen(h->slot[i])) & (nc - 1);
                while (s[j])
                    j = (j + 1) & (nc - 1);
                s[j] = h->slot[i];
            }
        free(h->slot);
        h->slot = s;
        h->cap = nc;
    }
    size_t j = hash_str(x, strlen(x)) & (h->cap - 1);
    while (h->slot[j])
        j = (j + 1) & (h->cap - 1);
    h->slot[j] = x;
    h->n++;
    return true;
}

/* A unique DNS label from text: base, base-2, base-3 ... */
static const char *unique_name(vm_import *im, nhash *h, const char *s, size_t n)
{
    char base[80], cand[80];
    size_t k = dns_of(s, n, base, sizeof base);
    memcpy(cand, base, k + 1);
    for (unsigned i = 2; nh_has(h, cand); i++) {
        char suf[16];
        int sl = snprintf(suf, sizeof suf, "-%u", i);
        size_t bk = k + (size_t)sl > 63 ? 63 - (size_t)sl : k;
        while (bk && base[bk - 1] == '-')
            bk--;
        memcpy(cand, base, bk);
        memcpy(cand + bk, suf, (size_t)sl + 1);
    }
    const char *r = vm_arena_strndup(im->a, cand, strlen(cand));
    if (!r || !nh_add(h, r))
        return NULL;
    return r;
}

static void put_prov(vm_buf *b, const prov *p)
{
    vm_buf_puts(b, "  # ");
    vm_buf_puts(b, p->tab);
    vm_buf_printf(b, " %s %u", p->unit ? p->unit : "row", p->row);
    if (p->col) {
        vm_buf_puts(b, ", ");
        vm_yaml_quoted(b, p->col, strlen(p->col), 200);
        if (p->raw) {
            vm_buf_puts(b, ": ");
            vm_yaml_quoted(b, p->raw, p->rawlen, VM_LIMIT_INV_TEXT_BYTES);
        }
    }
    if (p->note) {
        vm_buf_puts(b, p->col ? " (" : ": ");
        vm_buf_puts(b, p->note);
        if (p->col)
            vm_buf_putc(b, ')');
    }
    vm_buf_putc(b, '\n');
}


/* One filled field's value, formatted for its type. */
static void put_value(vm_buf *b, int field, const char *val)
{
    const vm_field_def *f = vm_field(field);
    switch (f->type) {
    case VM_T_ENUM_LIST:
        vm_buf_putc(b, '[');
        vm_buf_puts(b, val);
        vm_buf_putc(b, ']');
        break;
    case VM_T_STR:
    case VM_T_NAME: vm_yaml_scalar(b, val, strlen(val), VM_LIMIT_INV_TEXT_BYTES); break;
    case VM_T_STR_LIST:
        vm_buf_putc(b, '[');
        vm_yaml_scalar(b, val, strlen(val), VM_LIMIT_INV_TEXT_BYTES);
        vm_buf_putc(b, ']');
        break;
    default: vm_buf_puts(b, val); break; /* enum values, booleans, integers: checked words */
    }
}

enum { W_ALL, W_OWN, W_COMMON }; /* which fills put_spec writes */

/* The spec sections of one VM at indent `ind` (2 for a profile, 6 in a
 * component), in spec order, each filled field with its provenance. */
static void put_spec(vm_buf *b, const vmrec *v, int ind, int which)
{
    for (int sec = 0; sec < VM_CAT_COUNT; sec++) {
        int first, count;
        vm_section_fields(sec, &first, &count);
        bool opened = false;
        for (int fid = first; fid < first + count; fid++) {
            const fillent *e = get_fill(v, fid);
            if (!e || (which == W_OWN && e->common) || (which == W_COMMON && !e->common))
                continue;
            if (!opened) {
                vm_buf_printf(b, "%*s%s:\n", ind, "", vm_category_name(sec));
                opened = true;
            }
            vm_buf_printf(b, "%*s%s: ", ind + 2, "", vm_field(fid)->key);
            put_value(b, fid, e->f.val);
            put_prov(b, &e->f.p);
        }
    }
}

static void put_doc_head(vm_import *im, vm_buf *b, const char *what)
{
    vm_buf_puts(b, "---\n# vmctr import ");
    vm_buf_puts(b, im->source ? im->source : "rvtools");
    vm_buf_puts(b, ": ");
    vm_buf_puts(b, what);
    vm_buf_puts(b, " from ");
    vm_yaml_quoted(b, im->src ? im->src : "-", strlen(im->src ? im->src : "-"), 200);
    if (im->rvver) {
        vm_buf_puts(b, " (RVTools ");
        vm_yaml_quoted(b, im->rvver, strlen(im->rvver), 64);
        vm_buf_putc(b, ')');
    }
    vm_buf_puts(b, ". Only what the inventory shows is filled; the rest is for people to answer.\n"
                   "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n");
}

static void put_labels(vm_buf *b, const vmrec *v)
{
    if (!v->nlabels)
        return;
    vm_buf_puts(b, "  labels:\n");
    for (uint32_t i = 0; i < v->nlabels; i++) {
        vm_buf_puts(b, "    ");
        vm_yaml_scalar(b, v->labels[i].key, strlen(v->labels[i].key), 200);
        vm_buf_puts(b, ": ");
        vm_yaml_scalar(b, v->labels[i].f.val, strlen(v->labels[i].f.val), VM_LIMIT_INV_TEXT_BYTES);
        prov p = v->labels[i].f.p;
        p.raw = NULL; /* the value is the raw cell */
        put_prov(b, &p);
    }
}

static void put_meta_field(vm_buf *b, const vmrec *v, int field)
{
    const fillent *e = get_fill(v, field);
    if (!e)
        return;
    vm_buf_printf(b, "  %s: ", vm_field(field)->key);
    put_value(b, field, e->f.val);
    put_prov(b, &e->f.p);
}

static void put_one(vm_import *im, vm_buf *b, const vmrec *v)
{
    put_doc_head(im, b, im->unit_one ? im->unit_one : "one VM");
    vm_buf_puts(b, "  name: ");
    vm_yaml_scalar(b, v->name, strlen(v->name), 0);
    char note[80];
    snprintf(note, sizeof note, "from the name (label %s)", im->name_label ? im->name_label : "rvtools/vm");
    prov pn = {.tab = im->name_tab ? im->name_tab : "vInfo", .unit = v->unit, .row = v->row, .note = note};
    put_prov(b, &pn);
    put_meta_field(b, v, VM_F_META_OWNER);
    put_meta_field(b, v, VM_F_META_DESCRIPTION);
    put_labels(b, v);
    vm_buf_puts(b, "spec:\n");
    put_spec(b, v, 2, W_ALL);
    im->st.profiles++;
}

static const char *label_of(const vmrec *v, const char *key)
{
    for (uint32_t i = 0; i < v->nlabels; i++)
        if (strcmp(v->labels[i].key, key) == 0)
            return v->labels[i].f.val;
    return NULL;
}

/* One profile for VMs idx[0..n) of one group (n <= 64). */
static void put_group(vm_import *im, vm_buf *b, const char *name, const char *key, const char *value,
                      const size_t *idx, size_t n, size_t part, size_t parts)
{
    char what[96];
    if (parts > 1)
        snprintf(what, sizeof what, "part %zu of %zu of a group of VMs", part, parts);
    else
        snprintf(what, sizeof what, "a group of %zu VM%s", n, n == 1 ? "" : "s");
    put_doc_head(im, b, what);
    vm_buf_puts(b, "  name: ");
    vm_yaml_scalar(b, name, strlen(name), 0);
    vm_buf_puts(b, "  # from the label ");
    vm_yaml_quoted(b, key, strlen(key), 200);
    vm_buf_puts(b, "\n  labels:\n    ");
    vm_yaml_scalar(b, key, strlen(key), 200);
    vm_buf_puts(b, ": ");
    vm_yaml_scalar(b, value, strlen(value), VM_LIMIT_INV_TEXT_BYTES);
    vm_buf_puts(b, "\nspec:\n");
    put_spec(b, &im->vms[idx[0]], 2, W_COMMON);
    vm_buf_puts(b, "  components:\n");
    for (size_t i = 0; i < n; i++) {
        const vmrec *v = &im->vms[idx[i]];
        vm_buf_puts(b, "    - name: ");
        vm_yaml_scalar(b, v->name, strlen(v->name), 0);
        vm_buf_printf(b, "  # %s %s %u, ", im->name_tab ? im->name_tab : "vInfo", v->unit, v->row);
        vm_yaml_quoted(b, v->vm, v->vmlen, VM_LIMIT_INV_TEXT_BYTES);
        vm_buf_putc(b, '\n');
        put_spec(b, v, 6, W_OWN);
    }
    im->st.profiles++;
}

static const char *group_key(const char *g)
{
    static const char *const short_[] = {"folder", "cluster", "datacenter", "host", "powerstate", "vm"};
    for (size_t i = 0; i < sizeof short_ / sizeof *short_; i++)
        if (strcmp(g, short_[i]) == 0)
            return NULL; /* caller prefixes */
    return g;
}

vm_status vm_import_write(vm_import *im, vm_buf *out, vm_diags *w)
{
    nhash names = {0};
    vm_status st = VM_OK;
    char keybuf[64];
    const char *key = NULL;
    if (im->o.group_by) {
        key = im->map ? im->o.group_by : group_key(im->o.group_by);
        if (!key) {
            snprintf(keybuf, sizeof keybuf, "rvtools/%s", im->o.group_by);
            key = keybuf;
        }
    }
    /* names: every VM, in input order, so the same export names the same way */
    for (size_t i = 0; i < im->nvms; i++) {
        vmrec *v = &im->vms[i];
        v->name = unique_name(im, &names, v->vm, v->vmlen);
        if (!v->name) {
            st = VM_EIO;
            goto out;
        }
        v->group = key ? label_of(v, key) : NULL;
    }
    if (!key) {
        for (size_t i = 0; i < im->nvms; i++)
            put_one(im, out, &im->vms[i]);
        goto out;
    }
    /* groups in order of first appearance; VMs without the label alone */
    bool *done = calloc(im->nvms ? im->nvms : 1, sizeof *done);
    size_t *idx = malloc((im->nvms ? im->nvms : 1) * sizeof *idx);
    if (!done || !idx) {
        free(done);
        free(idx);
        st = VM_EIO;
        goto out;
    }
    /* group -> members through a hash of the first member's index */
    size_t grouped = 0;
    for (size_t i = 0; i < im->nvms; i++) {
        if (done[i])
            continue;
        const vmrec *v = &im->vms[i];
        if (!v->group) {
            put_one(im, out, v);
            done[i] = true;
            continue;
        }
        size_t n = 0;
        for (size_t j = i; j < im->nvms; j++)
            if (!done[j] && im->vms[j].group && strcmp(im->vms[j].group, v->group) == 0) {
                idx[n++] = j;
                done[j] = true;
            }
        grouped += n;
        size_t parts = (n + VM_LIMIT_COMPONENTS - 1) / VM_LIMIT_COMPONENTS;
        if (parts > 1) {
            char q[120];
            vm_yaml_quoted_to(q, sizeof q, v->group, strlen(v->group));
            vm_diag_add(w, VM_SEV_WARNING, im->src, 0, 0, "",
                        "group %s has %zu VMs: split into %zu profiles of at most %u components", q, n, parts,
                        VM_LIMIT_COMPONENTS);
            im->st.split++;
        }
        const char *base = unique_name(im, &names, v->group, strlen(v->group));
        if (!base) {
            st = VM_EIO;
            break;
        }
        for (size_t p = 0; p < parts; p++) {
            const char *pname = base;
            if (parts > 1) {
                char suf[96];
                snprintf(suf, sizeof suf, "%s-part-%zu", base, p + 1);
                pname = unique_name(im, &names, suf, strlen(suf));
                if (!pname) {
                    st = VM_EIO;
                    break;
                }
            }
            size_t from = p * VM_LIMIT_COMPONENTS;
            size_t cnt = n - from < VM_LIMIT_COMPONENTS ? n - from : VM_LIMIT_COMPONENTS;
            put_group(im, out, pname, key, v->group, idx + from, cnt, p + 1, parts);
        }
    }
    if (!grouped && im->nvms) {
        char q[80];
        vm_yaml_quoted_to(q, sizeof q, key, strlen(key));
        vm_diag_add(w, VM_SEV_WARNING, im->src, 0, 0, "", "no VM has the label %s: one profile per VM", q);
    }
    free(done);
    free(idx);
out:
    free(names.slot);
    if (out->oom)
        st = VM_EIO;
    return st;
}
