/* cfgload.c - the repository config (see cfgload.h). */
#include "cfgload.h"
#include "diagprint.h"
#include "found.h"
#include "rulesload.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    vm_arena *a;
    vm_config *out;
} cfg_ctx;

static vm_status cfg_parse(void *ctx, const char *path, const char *data, size_t len, vm_diags *d)
{
    cfg_ctx *c = ctx;
    return vm_config_parse(c->a, path, data, len, c->out, d);
}

int vm_cli_load_config(const vm_cli *cli, const char *path, vm_arena *a, vm_config *out, const char **found)
{
    memset(out, 0, sizeof *out);
    out->fail_on = -1;
    out->require_decision = -1;
    *found = NULL;
    bool given = path != NULL;
    int rc = vm_cli_default_file(path, VM_DEFAULT_CONFIG, &path);
    if (rc || !path)
        return rc;
    vm_diags d;
    cfg_ctx c = {a, out};
    rc = vm_cli_parse_file(cli, path, VM_LIMIT_CONFIG_FILE, cfg_parse, &c, &d);
    if (!rc && !given)
        *found = path;
    return rc;
}

int vm_cli_config_paths(const char *found, const char *rules, const char *waivers)
{
    int rc = 0;
    if (found && rules && (rc = vm_cli_found_check(rules, found, "rules", true)) == 1)
        rc = 0; /* absent: the rule loader says so */
    if (!rc && found && waivers && (rc = vm_cli_found_check(waivers, found, "waivers", false)) == 1)
        rc = 0;
    return rc;
}
