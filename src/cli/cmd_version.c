/*
 * cmd_version.c - `vmctr version`: the version, the digest of the built-in
 * rules, the version of every document format vmctr reads or writes and the
 * versions of libyaml and cJSON, as text or JSON (for tools that pin
 * behaviour: a changed rules digest means the same profile may be judged
 * differently). `vmctr --version` stays the two-line GNU form (main.c).
 */
#include "cli.h"

#include <string.h>

#include "rulesload.h"
#include "vmctr/buf.h"
#include "util/jsonw.h"
#include "vmctr/rules.h"
#include "vmctr/version.h"

enum { OPT_FORMAT = 1 };

static const char *const formats[] = {"text", "json", NULL};

static const vm_opt opts[] = {
    {"format", 'f', "FORMAT", "text (default) or json (schema vmctr.version/v1)", OPT_FORMAT, false, formats},
    {0},
};

/* Every document format, as the document names itself: the apiVersion of
 * the YAML inputs, the "schema" member of the JSON outputs. tests/cli/
 * version.sh checks each against what the commands really write. */
static const struct {
    const char *name, *id;
} schemas[] = {
    {"profile", "vmctr/v1"},
    {"rules", "vmctr/v1"},
    {"waivers", "vmctr/v1"},
    {"report", "vmctr.report/v1"},
    {"report-list", "vmctr.report-list/v1"},
    {"error", "vmctr.error/v1"},
    {"check", "vmctr.check/v1"},
    {"portfolio", "vmctr.portfolio/v1"},
    {"diff", "vmctr.diff/v1"},
    {"rules-list", "vmctr.rules-list/v1"},
    {"rules-test", "vmctr.rules-test/v1"},
    {"validate", "vmctr.validate/v1"},
    {"version", "vmctr.version/v1"},
};
#define NSCHEMAS (sizeof schemas / sizeof *schemas)

static int run(vm_cli *cli, int argc, char **argv)
{
    vm_optparse p;
    vm_opt_init(&p, cli, argc, argv);
    const char *format = "text";
    int c;
    while ((c = vm_opt_next(&p)) > 0)
        if (c == OPT_FORMAT)
            format = p.arg;
    if (c < 0)
        return p.status;
    if (p.npos > 0)
        return vm_usage_error(cli, "unexpected argument '%s'", p.pos[0]);

    vm_ruleset *rs = NULL;
    vm_rules_opts ro = {0};
    int rc = vm_cli_load_rules(cli, &ro, &rs);
    if (rc != VM_OK)
        return rc;
    const char *digest = vm_ruleset_digest(rs);
    size_t nrules = vm_ruleset_count(rs);

    vm_buf b;
    vm_buf_init(&b);
    if (strcmp(format, "json") == 0) {
        jw j;
        jw_init(&j, &b, true);
        jw_obj(&j);
        jw_ksym(&j, "schema", "vmctr.version/v1");
        jw_ksym(&j, "name", VM_PROG);
        jw_ksym(&j, "version", VMCTR_VERSION);
        jw_key(&j, "rules");
        jw_obj(&j);
        jw_kint(&j, "count", (long long)nrules);
        jw_ksym(&j, "digest", digest);
        jw_obj_end(&j);
        jw_key(&j, "schemas");
        jw_obj(&j);
        for (size_t i = 0; i < NSCHEMAS; i++)
            jw_ksym(&j, schemas[i].name, schemas[i].id);
        jw_obj_end(&j);
        jw_key(&j, "libraries");
        jw_obj(&j);
        jw_kstr(&j, "libyaml", vm_libyaml_version());
        jw_kstr(&j, "cjson", vm_cjson_version());
        jw_obj_end(&j);
        jw_obj_end(&j);
        vm_buf_puts(&b, "\n");
    } else {
        vm_buf_printf(&b, "%s %s\nrules: %zu built-in, digest %s\nschemas:", VM_PROG, VMCTR_VERSION, nrules,
                      digest);
        for (size_t i = 0; i < NSCHEMAS; i++)
            vm_buf_printf(&b, "%s %s %s", i ? "," : "", schemas[i].name, schemas[i].id);
        vm_buf_printf(&b, "\nlibraries: libyaml %s, cJSON %s\n", vm_libyaml_version(), vm_cjson_version());
    }
    vm_ruleset_free(rs);
    return vm_print_buf(&b, "version");
}

VM_COMMAND(version,
    .summary = "print the version, the rules digest and the formats and libraries in use",
    .usage = "[--format text|json]",
    .description = "Prints vmctr's version, the number and SHA-256 digest of the built-in rules (the digest "
                   "reports carry as tool.rules_digest), the version of every document format vmctr reads "
                   "(profiles, rules) and writes (the \"schema\" member of each JSON output), and the "
                   "versions of the libyaml and cJSON libraries loaded at run time. Tools that pin "
                   "behaviour compare the JSON form; 'vmctr --version' prints only the first line.",
    .examples = "vmctr version\nvmctr version --format json | jq -r .rules.digest"
);
