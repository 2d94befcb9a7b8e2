/* waivers.c - the waiver file and today's date for `vmctr check` (see waivers.h). */
#include "waivers.h"
#include "diagprint.h"
#include "rulesload.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

int vm_cli_load_waivers(const vm_cli *cli, const char *path, const vm_ruleset *rs, int32_t today, vm_arena *a,
                        vm_waivers *out, bool *loaded)
{
    memset(out, 0, sizeof *out);
    *loaded = false;
    if (!path) {
        struct stat st;
        if (stat(VM_DEFAULT_WAIVERS, &st) != 0 || !S_ISREG(st.st_mode))
            return 0;
        path = VM_DEFAULT_WAIVERS;
    }
    char *data = NULL;
    size_t len = 0;
    if (vm_cli_read_file(path, VM_LIMIT_WAIVER_FILE, &data, &len) != 0) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, path, strerror(errno));
        return VM_EIO;
    }
    vm_diags d;
    vm_diags_clear(&d);
    vm_status st = vm_waivers_parse(a, path, data, len, rs, today, out, &d);
    free(data);
    if (d.count || d.dropped)
        vm_diags_print(cli, &d, path);
    if (st != VM_OK)
        return st;
    *loaded = true;
    return 0;
}
