/* cfgload.c - the repository config (see cfgload.h). */
#include "cfgload.h"
#include "diagprint.h"
#include "rulesload.h"

#include <errno.h>
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
    bool given = path != NULL;
    int rc = vm_cli_default_file(path, VM_DEFAULT_CONFIG, &path);
    if (rc || !path)
        return rc;
    vm_diags d;
    cfg_ctx c = {a, out};
    rc = vm_cli_parse_file(cli, path, VM_LIMIT_CONFIG_FILE, cfg_parse, &c, &d);
    if (rc || given)
        return rc;
    /* A found config is the checkout's: the rule directory and waiver file
     * it names must not lead out of it either (vm_cli_default_file), or a
     * pull request's `waivers: /home/runner/.aws/credentials` would have
     * that file parsed and its keys echoed. A path that does not exist is
     * left to its loader to report. */
    const char *const named[2][2] = {{"rules", out->rules}, {"waivers", out->waivers}};
    for (int i = 0; i < 2; i++) {
        bool inside = true;
        if (!named[i][1])
            continue;
        errno = 0;
        if (vm_cli_in_checkout(named[i][1], &inside) != 0 && errno == ENOMEM) {
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
            return VM_EIO;
        }
        if (inside)
            continue;
        vm_eprintf("%s: %s: error: %s: leads outside the checkout: not read\n", VM_PROG, path,
                   named[i][0]);
        return VM_EIO;
    }
    return 0;
}
