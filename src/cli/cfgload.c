/* cfgload.c - the repository config (see cfgload.h). */
#include "cfgload.h"
#include "diagprint.h"
#include "rulesload.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int vm_cli_load_config(const vm_cli *cli, const char *path, vm_arena *a, vm_config *out)
{
    memset(out, 0, sizeof *out);
    out->fail_on = -1;
    out->require_decision = -1;
    if (!path) {
        struct stat st;
        if (stat(VM_DEFAULT_CONFIG, &st) != 0 || !S_ISREG(st.st_mode))
            return 0;
        path = VM_DEFAULT_CONFIG;
    }
    char *data = NULL;
    size_t len = 0;
    if (vm_cli_read_file(path, VM_LIMIT_CONFIG_FILE, &data, &len) != 0) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, path, strerror(errno));
        return VM_EIO;
    }
    vm_diags d;
    vm_diags_clear(&d);
    vm_status st = vm_config_parse(a, path, data, len, out, &d);
    free(data);
    if (d.count || d.dropped)
        vm_diags_print(cli, &d, path);
    return st;
}
