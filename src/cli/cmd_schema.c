/* cmd_schema.c - `vmctr schema`: print the JSON Schema of a profile, of the
 * JSON report or of a waiver file. */
#include "cli.h"

#include <string.h>

#include "util/buf.h"
#include "vmctr/schema.h"

enum { OPT_OUTPUT = 1, OPT_REPORT, OPT_WAIVERS };

static const vm_opt opts[] = {
    {"output", 'o', "FILE", "write to FILE (atomically: a temporary file renamed into place); '-' is stdout",
     OPT_OUTPUT, false, NULL},
    {"report", 0, NULL, "print the schema of the JSON report (vmctr advise --format json) instead",
     OPT_REPORT, false, NULL},
    {"waivers", 0, NULL, "print the schema of a waiver file (vmctr check --waivers) instead", OPT_WAIVERS, false,
     NULL},
    {0},
};

static int run(vm_cli *cli, int argc, char **argv)
{
    vm_optparse p;
    vm_opt_init(&p, cli, argc, argv);
    const char *output = NULL;
    bool report = false, waivers = false;
    int c;
    while ((c = vm_opt_next(&p)) > 0) {
        switch (c) {
        case OPT_OUTPUT: output = p.arg; break;
        case OPT_REPORT: report = true; break;
        case OPT_WAIVERS: waivers = true; break;
        }
    }
    if (c < 0)
        return p.status;
    if (p.npos > 0)
        return vm_usage_error(cli, "unexpected argument '%s'", p.pos[0]);
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
    vm_out *out = vm_out_open(output);
    if (!out) {
        vm_buf_free(&b);
        return VM_EIO;
    }
    fwrite(b.data, 1, b.len, vm_out_fp(out));
    vm_buf_free(&b);
    return vm_out_commit(out);
}

const vm_cmd cmd_schema = {
    .name = "schema",
    .summary = "print the JSON Schema of a workload profile (or of the report, or of a waiver file)",
    .usage = "[--report|--waivers] [-o FILE]",
    .opts = opts,
    .run = run,
    .description =
        "Prints the JSON Schema (draft 2020-12) of a vmctr/v1 profile, generated from the same field "
        "table the loader uses. Editors that speak yaml-language-server attach it with a first line\n"
        "  # yaml-language-server: $schema=" VM_SCHEMA_PROFILE_ID,
    .examples = "vmctr schema -o build/schema/profile.json\n"
                "vmctr schema | ajv compile -s /dev/stdin --spec=draft2020",
};
