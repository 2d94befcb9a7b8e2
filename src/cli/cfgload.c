/* cfgload.c - the repository config (see cfgload.h). */
#include "cfgload.h"
#include "diagprint.h"
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

int vm_cli_load_config(const vm_cli *cli, const char *path, vm_arena *a, vm_config *out)
{
    memset(out, 0, sizeof *out);
    out->fail_on = -1;
    out->require_decision = -1;
    int rc = vm_cli_default_file(path, VM_DEFAULT_CONFIG, &path);
    if (rc || !path)
        return rc;
    vm_diags d;
    cfg_ctx c = {a, out};
    return vm_cli_parse_file(cli, path, VM_LIMIT_CONFIG_FILE, cfg_parse, &c, &d);
}
