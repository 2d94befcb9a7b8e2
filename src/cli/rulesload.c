/* rulesload.c - built-in plus --rules DIR rule sets (see rulesload.h). */
#include "rulesload.h"
#include "diagprint.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


int vm_cli_read_file(const char *path, size_t max, char **data, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            if (cap > max + 1)
                break;
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - n, fp);
        n += r;
        if (r == 0)
            break;
    }
    bool bad = ferror(fp);
    fclose(fp);
    if (!buf || bad) {
        free(buf);
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_yaml(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && ((n > 5 && strcmp(name + n - 5, ".yaml") == 0) || (n > 4 && strcmp(name + n - 4, ".yml") == 0));
}

static int add_file(vm_ruleset *rs, const char *path, bool builtin, vm_diags *d)
{
    char *data;
    size_t len;
    if (vm_cli_read_file(path, VM_LIMIT_RULE_FILE, &data, &len) != 0) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, path, strerror(errno ? errno : EIO));
        return VM_EIO;
    }
    vm_status st = vm_ruleset_add(rs, path, data, len, builtin, d);
    free(data);
    return st;
}

int vm_cli_add_rules_path(const vm_cli *cli, vm_ruleset *rs, const char *path, bool builtin, vm_diags *d)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, path, strerror(errno));
        return VM_EIO;
    }
    int rc = 0;
    if (!S_ISDIR(sb.st_mode)) {
        vm_diags_clear(d);
        rc = add_file(rs, path, builtin, d);
        vm_diags_print(cli, d, path);
        return rc;
    }
    DIR *dir = opendir(path);
    if (!dir) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, path, strerror(errno));
        return VM_EIO;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        if (!is_yaml(e->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **p = realloc(names, cap * sizeof *p);
            if (!p)
                break;
            names = p;
        }
        size_t l = strlen(path) + strlen(e->d_name) + 2;
        names[n] = malloc(l);
        if (!names[n])
            break;
        snprintf(names[n], l, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(dir);
    if (n)
        qsort(names, n, sizeof *names, cmpstr);
    for (size_t i = 0; i < n; i++) {
        vm_diags_clear(d);
        rc = vm_worst(rc, add_file(rs, names[i], builtin, d));
        vm_diags_print(cli, d, names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

int vm_cli_load_rules(const vm_cli *cli, const vm_rules_opts *o, vm_ruleset **out)
{
    *out = NULL;
    vm_ruleset *rs = vm_ruleset_new();
    vm_diags *d = malloc(sizeof *d);
    if (!rs || !d) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        vm_ruleset_free(rs);
        free(d);
        return VM_EIO;
    }
    vm_diags_clear(d);
    int rc = 0;
    if (!o->no_builtin) {
        /* compiled at build time by vmctr-rulec: no YAML to parse at start-up */
        vm_diags_clear(d);
        rc = vm_ruleset_add_builtin(rs, d);
        vm_diags_print(cli, d, "<built-in rules>");
    }
    if (o->dir)
        rc = vm_worst(rc, vm_cli_add_rules_path(cli, rs, o->dir, false, d));
    if (rc == 0) {
        vm_diags_clear(d);
        rc = vm_ruleset_finish(rs, d);
        vm_diags_print(cli, d, "<rules>");
    }
    if (rc == 0 && vm_ruleset_count(rs) == 0) {
        vm_eprintf("%s: no rules to evaluate (--no-builtin-rules without --rules DIR?)\n", VM_PROG);
        rc = VM_ERULES;
    }
    free(d);
    if (rc) {
        vm_ruleset_free(rs);
        return rc;
    }
    *out = rs;
    return 0;
}
