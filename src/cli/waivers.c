/* waivers.c - the waiver file and today's date for `vmctr check` (see waivers.h). */
#include "waivers.h"
#include "found.h"
#include "diagprint.h"
#include "rulesload.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int vm_cli_today(const vm_cli *cli, const char *arg, int32_t *out)
{
    if (arg) {
        if (!vm_date_parse(arg, strlen(arg), out))
            return vm_usage_error(cli, "--today takes a date YYYY-MM-DD, not '%s'", arg);
        return 0;
    }
    *out = (int32_t)(time(NULL) / 86400);
    return 0;
}

typedef struct {
    vm_arena *a;
    const vm_ruleset *rs;
    int32_t today;
    vm_waivers *out;
} waiver_ctx;

static vm_status waiver_parse(void *ctx, const char *path, const char *data, size_t len, vm_diags *d)
{
    waiver_ctx *c = ctx;
    return vm_waivers_parse(c->a, path, data, len, c->rs, c->today, c->out, d);
}

int vm_cli_load_waivers(const vm_cli *cli, const char *path, const vm_ruleset *rs, int32_t today, vm_arena *a,
                        vm_waivers *out, bool *loaded)
{
    memset(out, 0, sizeof *out);
    *loaded = false;
    int rc = vm_cli_default_file(path, VM_DEFAULT_WAIVERS, &path);
    if (rc || !path)
        return rc;
    vm_diags d;
    waiver_ctx c = {a, rs, today, out};
    int st = vm_cli_parse_file(cli, path, VM_LIMIT_WAIVER_FILE, waiver_parse, &c, &d);
    if (st != VM_OK)
        return st;
    *loaded = true;
    return 0;
}
