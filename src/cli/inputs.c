/* inputs.c - FILE... operands to the files to read (see inputs.h). */
#include "inputs.h"
#include "diagprint.h"
#include "util/fs.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DIR_DEPTH 64

struct vm_inputs {
    char **ops;
    int nops, next_op;
    vm_pathlist files;   /* expansion of the current directory operand */
    size_t next_file, root;
    const char *op;      /* the directory operand being walked */
    vm_input cur;
    int status;
    const char *const *excl;
    size_t nexcl, excluded;
};

void vm_inputs_exclude(vm_inputs *in, const char *const *globs, size_t n)
{
    in->excl = globs;
    in->nexcl = n;
}

size_t vm_inputs_excluded(const vm_inputs *in) { return in->excluded; }

/* Whether a glob matches the path (a leading "./" removed) or the path
 * relative to the directory operand it was found under (rel). */
static bool excluded(vm_inputs *in, const char *path, const char *rel)
{
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    for (size_t i = 0; i < in->nexcl; i++)
        if (fnmatch(in->excl[i], path, 0) == 0 || fnmatch(in->excl[i], rel, 0) == 0) {
            in->excluded++;
            return true;
        }
    return false;
}

int vm_inputs_missing(const vm_cli *cli)
{
    return vm_usage_error(cli, "no input files (give FILE..., a directory, or '-' for stdin)");
}

int vm_inputs_new(vm_inputs **out, const vm_cli *cli, char **operands, int n)
{
    *out = NULL;
    if (n <= 0)
        return vm_inputs_missing(cli);
    int dashes = 0;
    for (int i = 0; i < n; i++)
        dashes += strcmp(operands[i], "-") == 0;
    if (dashes > 1)
        return vm_usage_error(cli, "'-' (standard input) given more than once");
    vm_inputs *in = calloc(1, sizeof *in);
    if (!in) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    in->ops = operands;
    in->nops = n;
    *out = in;
    return 0;
}

static void clear_files(vm_inputs *in)
{
    vm_pathlist_free(&in->files);
    in->next_file = 0;
}

void vm_inputs_free(vm_inputs *in)
{
    if (!in)
        return;
    clear_files(in);
    free(in);
}

int vm_inputs_status(const vm_inputs *in) { return in->status; }

static void io_error(vm_inputs *in, const char *path, int err)
{
    vm_eprintf("%s: %s: %s\n", VM_PROG, path, strerror(err));
    in->status = VM_EIO;
}

bool vm_yaml_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) || (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

static bool not_hidden(void *ctx, const char *name, int depth)
{
    (void)ctx, (void)depth;
    return name[0] != '.'; /* hidden, "." and ".." */
}

/* The regular YAML files under a directory operand (devices, FIFOs and
 * sockets are skipped with a warning); --exclude prunes files and
 * directories. A directory reached through a symbolic link is asked for
 * like any other: the walker refuses it when it leads outside the operand
 * and otherwise does not follow it. */
static vm_walk_action visit(void *ctx, const vm_dirent *e)
{
    vm_inputs *in = ctx;
    bool dir = e->target == VM_ENT_DIR;
    if (in->nexcl && (dir || vm_yaml_name(e->name)) && excluded(in, e->path, e->path + in->root))
        return VM_WALK_SKIP;
    if (dir)
        return VM_WALK_DESCEND;
    return vm_yaml_name(e->name) ? VM_WALK_TAKE : VM_WALK_SKIP;
}

/* A walk error at path below dir, on stderr (vm_walk_fail's message) */
static void walk_error_print(const char *dir, const char *path, int err)
{
    if (err == VM_WALK_EOUTSIDE)
        vm_eprintf("%s: %s: error: symbolic link points outside %s: not read\n", VM_PROG, path, dir);
    else
        vm_eprintf("%s: %s: %s\n", VM_PROG, path, err == VM_WALK_ENOTREG ? "not a regular file" : strerror(err));
}

static void walk_error(void *ctx, const char *path, int err)
{
    vm_inputs *in = ctx;
    if (err == VM_WALK_EDEPTH) {
        vm_eprintf("%s: %s: directories nested deeper than %d levels\n", VM_PROG, path, MAX_DIR_DEPTH);
        in->status = VM_EIO;
    } else if (err == VM_WALK_ENOTREG) {
        /* a device (/dev/zero never ends), FIFO (blocks for ever) or
         * socket, directly or through a link: a committed symlink
         * must not hang the CI job. Operands keep `-` and FIFOs. */
        vm_eprintf("%s: warning: %s: not a regular file, skipped\n", VM_PROG, path);
    } else {
        /* VM_WALK_EOUTSIDE: a committed link to ~/.aws/credentials or
         * ../../secret.yaml: its parse errors would echo the file's keys
         * into the CI log. An error, not a skip: a file the gate does not
         * read must not look checked. The target is not named. */
        walk_error_print(in->op, path, err);
        in->status = VM_EIO;
    }
}

void vm_walk_fail(void *ctx, const char *path, int err)
{
    vm_walk_status *st = ctx;
    walk_error_print(st->dir, path, err);
    st->rc = VM_EIO;
}

const vm_input *vm_inputs_next(vm_inputs *in)
{
    for (;;) {
        if (in->next_file < in->files.n) {
            const char *p = in->files.v[in->next_file++];
            in->cur = (vm_input){p, p, false, true};
            return &in->cur;
        }
        clear_files(in);
        if (in->next_op >= in->nops)
            return NULL;
        const char *op = in->ops[in->next_op++];
        if (strcmp(op, "-") == 0) {
            in->cur = (vm_input){"-", "<stdin>", true, false};
            return &in->cur;
        }
        struct stat st;
        if (stat(op, &st) != 0) {
            io_error(in, op, errno);
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            in->cur = (vm_input){op, op, false, false};
            return &in->cur;
        }
        size_t root = strlen(op);
        root += root && op[root - 1] != '/';
        in->root = root;
        in->op = op;
        vm_walk_opts wo = {not_hidden, visit, walk_error, in, MAX_DIR_DEPTH};
        if (vm_walk(op, &wo, &in->files) != 0) {
            fprintf(stderr, "%s: out of memory\n", VM_PROG); /* no path: printing it safely allocates */
            in->status = VM_EIO;
            clear_files(in);
            continue;
        }
        if (in->files.n == 0)
            vm_eprintf("%s: warning: %s: no .yaml or .yml files in this directory\n", VM_PROG, op);
        vm_pathlist_sort(&in->files);
    }
}
