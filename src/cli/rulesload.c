/* rulesload.c - built-in plus --rules DIR rule sets (see rulesload.h). */
#include "rulesload.h"
#include "diagprint.h"
#include "inputs.h"
#include "vmctr/profile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


static bool is_yaml(void *ctx, const char *name, int depth)
{
    (void)ctx, (void)depth;
    return name[0] != '.' && vm_yaml_name(name);
}

/* ctx: a vm_walk_status; as inputs.c, a file that is not regular is
 * skipped with a warning, a link leading outside is an error */
static void rule_dir_error(void *ctx, const char *path, int err)
{
    if (err == VM_WALK_ENOTREG)
        vm_eprintf("%s: warning: %s: not a regular file, skipped\n", VM_PROG, path);
    else
        vm_walk_fail(ctx, path, err);
}

int vm_cli_rule_files(const char *dir, vm_pathlist *out)
{
    *out = (vm_pathlist){0};
    vm_walk_status r = {dir, 0};
    vm_walk_opts wo = {is_yaml, NULL, rule_dir_error, &r, 0};
    if (vm_walk(dir, &wo, out) != 0) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        vm_pathlist_free(out);
        return VM_EIO;
    }
    vm_pathlist_sort(out);
    return r.rc;
}

bool vm_cli_not_rules(const char *data, size_t len)
{
    vm_source *s = vm_source_mem(data, len, NULL);
    if (!s)
        return false; /* out of memory: the loader reports it */
    int kind = VM_KIND_NONE;
    vm_doc doc;
    char err[64];
    while (vm_source_next(s, &doc, err, sizeof err) == 1 && !doc.too_large) {
        if (vm_doc_api(&doc, NULL, 0) == VM_DOC_EMPTY)
            continue; /* comments, a stray `---`: the next document decides */
        kind = vm_doc_kind(&doc);
        break;
    }
    vm_source_free(s);
    return kind != VM_KIND_NONE && kind != VM_KIND_RULES;
}

int vm_cli_read_input(const char *path, size_t max, char **data, size_t *len)
{
    if (vm_cli_read_file(path, max, data, len) != 0) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, path, strerror(errno ? errno : EIO));
        return VM_EIO;
    }
    return 0;
}

int vm_cli_parse_file(const vm_cli *cli, const char *path, size_t max, vm_cli_parse_fn parse, void *ctx,
                      vm_diags *d)
{
    char *data;
    size_t len;
    vm_diags_clear(d);
    if (vm_cli_read_input(path, max, &data, &len) != 0)
        return VM_EIO;
    vm_status st = parse(ctx, path, data, len, d);
    free(data);
    vm_diags_print(cli, d, path);
    return st;
}

typedef struct {
    vm_ruleset *rs;
    bool builtin;
    bool from_dir; /* found in a directory: vmctr YAML of another kind is passed by */
} add_ctx;

static vm_status add_parse(void *ctx, const char *path, const char *data, size_t len, vm_diags *d)
{
    const add_ctx *c = ctx;
    if (c->from_dir && vm_cli_not_rules(data, len))
        return VM_OK;
    return vm_ruleset_add(c->rs, path, data, len, c->builtin, d);
}

static int add_file(const vm_cli *cli, vm_ruleset *rs, const char *path, bool builtin, bool from_dir,
                    vm_diags *d)
{
    add_ctx c = {rs, builtin, from_dir};
    return vm_cli_parse_file(cli, path, VM_LIMIT_RULE_FILE, add_parse, &c, d);
}

int vm_cli_add_rules_path(const vm_cli *cli, vm_ruleset *rs, const char *path, bool builtin, vm_diags *d)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, path, strerror(errno));
        return VM_EIO;
    }
    int rc = 0;
    if (!S_ISDIR(sb.st_mode))
        return add_file(cli, rs, path, builtin, false, d);
    vm_pathlist names;
    rc = vm_cli_rule_files(path, &names);
    for (size_t i = 0; i < names.n; i++)
        rc = vm_worst(rc, add_file(cli, rs, names.v[i], builtin, true, d));
    vm_pathlist_free(&names);
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
