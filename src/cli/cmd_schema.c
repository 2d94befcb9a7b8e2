/* cmd_schema.c - `vmctr schema`: print the JSON Schema of a profile, of the
 * JSON report or of a waiver file. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "vmctr/schema.h"

enum { OPT_OUTPUT = 1, OPT_REPORT, OPT_WAIVERS, OPT_INSTALL };

static const vm_opt opts[] = {
    {"output", 'o', "FILE", "write to FILE (atomically: a temporary file renamed into place); '-' is stdout",
     OPT_OUTPUT, false, NULL},
    {"report", 0, NULL, "print the schema of the JSON report (vmctr advise --format json) instead",
     OPT_REPORT, false, NULL},
    {"waivers", 0, NULL, "print the schema of a waiver file (vmctr check --waivers) instead", OPT_WAIVERS, false,
     NULL},
    {"install", 0, "DIR", "write every schema into DIR (profile-v1.json, report-v1.json, waivers-v1.json) and say "
                          "how to point an editor at them",
     OPT_INSTALL, false, NULL},
    {0},
};

/* --install DIR: the three schemas as files, then the modeline and the VS
 * Code setting that use them (to stderr). */
static int install(const char *dir)
{
    static const char *const names[] = {"profile-v1.json", "report-v1.json", "waivers-v1.json"};
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "%s schema: %s: %s\n", VM_PROG, dir, strerror(errno));
        return VM_EIO;
    }
    int rc = VM_OK;
    for (int i = 0; i < 3; i++) {
        vm_buf b;
        vm_buf_init(&b);
        vm_status st = i == 0 ? vm_schema_profile(&b)
#ifdef VM_HAVE_SCHEMA_REPORT
                       : i == 1 ? vm_schema_report(&b)
#else
                       : i == 1 ? VM_EUSAGE
#endif
                                : vm_schema_waivers(&b);
        if (st == VM_EUSAGE) {
            vm_buf_free(&b);
            continue;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        vm_out *o = st == VM_OK && !b.oom ? vm_out_open(path) : NULL;
        if (!o) {
            vm_buf_free(&b);
            return VM_EIO;
        }
        fwrite(b.data, 1, b.len, vm_out_fp(o));
        vm_buf_free(&b);
        rc = vm_worst(rc, vm_out_commit(o));
    }
    /* an absolute path: a modeline's relative path is taken from the profile's folder */
    char abs[4096], cwd[2048];
    const char *shown = dir;
    if (dir[0] != '/' && getcwd(cwd, sizeof cwd)) {
        snprintf(abs, sizeof abs, "%s/%s", cwd, dir);
        shown = abs;
    }
    fprintf(stderr,
            "Wrote %s/profile-v1.json, report-v1.json and waivers-v1.json.\n"
            "Point a profile at the schema with its first line:\n"
            "  # yaml-language-server: $schema=%s/profile-v1.json\n"
            "(vmctr init --schema-url %s/profile-v1.json writes it), or for every profile in VS Code\n"
            "(YAML extension), in .vscode/settings.json:\n"
            "  \"yaml.schemas\": {\"%s/profile-v1.json\": [\"profiles/*.yaml\"]}\n",
            shown, shown, shown, shown);
    return rc;
}

static int run(vm_cli *cli, int argc, char **argv)
{
    vm_optparse p;
    vm_opt_init(&p, cli, argc, argv);
    const char *output = NULL;
    bool report = false, waivers = false;
    const char *install_dir = NULL;
    int c;
    while ((c = vm_opt_next(&p)) > 0) {
        switch (c) {
        case OPT_OUTPUT: output = p.arg; break;
        case OPT_REPORT: report = true; break;
        case OPT_WAIVERS: waivers = true; break;
        case OPT_INSTALL: install_dir = p.arg; break;
        }
    }
    if (c < 0)
        return p.status;
    if (p.npos > 0)
        return vm_usage_error(cli, "unexpected argument '%s'", p.pos[0]);
    if (install_dir) {
        if (report || waivers || output)
            return vm_usage_error(cli, "--install writes every schema: no --report, --waivers or -o with it");
        return install(install_dir);
    }
    if (report && waivers)
        return vm_usage_error(cli, "--report and --waivers: choose one schema");

    vm_buf b;
    vm_buf_init(&b);
    vm_status st;
    if (waivers) {
        st = vm_schema_waivers(&b);
    } else if (report) {
#ifdef VM_HAVE_SCHEMA_REPORT
        st = vm_schema_report(&b);
#else
        vm_buf_free(&b);
        return vm_usage_error(cli, "--report is not available yet");
#endif
    } else {
        st = vm_schema_profile(&b);
    }
    if (st != VM_OK) {
        vm_buf_free(&b);
        fprintf(stderr, "%s schema: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    return vm_out_write_buf(output, &b);
}

VM_COMMAND(schema,
    .summary = "print the JSON Schema of a workload profile (or of the report, or of a waiver file)",
    .usage = "[--report|--waivers] [-o FILE] | --install DIR",
    .description =
        "Prints the JSON Schema (draft 2020-12) of a vmctr/v1 profile, generated from the same field "
        "table the loader uses. Editors that speak yaml-language-server attach it with a first line\n"
        "  # yaml-language-server: $schema=" VM_SCHEMA_PROFILE_ID,
    .examples = "vmctr schema -o build/schema/profile.json\n"
                "vmctr schema --install .vmctr/schema && vmctr init --schema-url .vmctr/schema/profile-v1.json\n"
                "vmctr schema | ajv compile -s /dev/stdin --spec=draft2020"
);
