/* inputs.c - FILE... operands to the files to read (see inputs.h). */
#include "inputs.h"
#include "diagprint.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DIR_DEPTH 64

struct vm_inputs {
    char **ops;
    int nops, next_op;
    char **files;        /* expansion of the current directory operand */
    size_t nfiles, capfiles, next_file;
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

int vm_inputs_new(vm_inputs **out, const vm_cli *cli, char **operands, int n)
{
    *out = NULL;
    if (n <= 0)
        return vm_usage_error(cli, "no input files (give FILE..., a directory, or '-' for stdin)");
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
    for (size_t i = 0; i < in->nfiles; i++)
        free(in->files[i]);
    free(in->files);
    in->files = NULL;
    in->nfiles = in->capfiles = in->next_file = 0;
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

static bool has_yaml_ext(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) || (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

static bool push_file(vm_inputs *in, char *path)
{
    if (in->nfiles == in->capfiles) {
        size_t cap = in->capfiles ? in->capfiles * 2 : 16;
        char **p = realloc(in->files, cap * sizeof *p);
        if (!p) {
            free(path);
            return false;
        }
        in->files = p;
        in->capfiles = cap;
    }
    in->files[in->nfiles++] = path;
    return true;
}

static char *join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    bool slash = dl > 0 && dir[dl - 1] == '/';
    char *p = malloc(dl + nl + 2);
    if (p)
        snprintf(p, dl + nl + 2, "%s%s%s", dir, slash ? "" : "/", name);
    return p;
}

/* Collects the regular YAML files under `dir` (devices, FIFOs and sockets
 * are skipped with a warning). False only when out of memory. */
static bool walk(vm_inputs *in, const char *dir, int depth, size_t root)
{
    if (depth > MAX_DIR_DEPTH) {
        vm_eprintf("%s: %s: directories nested deeper than %d levels\n", VM_PROG, dir,
                MAX_DIR_DEPTH);
        in->status = VM_EIO;
        return true;
    }
    DIR *d = opendir(dir);
    if (!d) {
        io_error(in, dir, errno);
        return true;
    }
    struct dirent *e;
    bool ok = true;
    for (;;) {
        errno = 0;
        e = readdir(d);
        if (!e) {
            if (errno)
                io_error(in, dir, errno);
            break;
        }
        if (e->d_name[0] == '.')
            continue; /* hidden, "." and ".." */
        char *p = join(dir, e->d_name);
        if (!p) {
            ok = false;
            break;
        }
        struct stat st;
        if (lstat(p, &st) != 0) {
            io_error(in, p, errno);
            free(p);
            continue;
        }
        if (in->nexcl && (S_ISDIR(st.st_mode) || has_yaml_ext(e->d_name)) && excluded(in, p, p + root)) {
            free(p);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            ok = walk(in, p, depth + 1, root);
            free(p);
            if (!ok)
                break;
            continue;
        }
        if (!has_yaml_ext(e->d_name)) {
            free(p);
            continue;
        }
        if (S_ISLNK(st.st_mode) && (stat(p, &st) != 0 || S_ISDIR(st.st_mode))) {
            /* a dangling link, or a link to a directory (not followed) */
            if (!S_ISDIR(st.st_mode))
                io_error(in, p, errno);
            free(p);
            continue;
        }
        if (!S_ISREG(st.st_mode)) {
            /* a device (/dev/zero never ends), FIFO (blocks for ever) or
             * socket, directly or through a link: a committed symlink
             * must not hang the CI job. Operands keep `-` and FIFOs. */
            vm_eprintf("%s: warning: %s: not a regular file, skipped\n", VM_PROG, p);
            free(p);
            continue;
        }
        if (!push_file(in, p)) {
            ok = false;
            break;
        }
    }
    closedir(d);
    return ok;
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

const vm_input *vm_inputs_next(vm_inputs *in)
{
    for (;;) {
        if (in->next_file < in->nfiles) {
            const char *p = in->files[in->next_file++];
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
        if (!walk(in, op, 0, root)) {
            fprintf(stderr, "%s: %s: out of memory\n", VM_PROG, op);
            in->status = VM_EIO;
            clear_files(in);
            continue;
        }
        if (in->nfiles == 0)
            vm_eprintf("%s: warning: %s: no .yaml or .yml files in this directory\n", VM_PROG, op);
        if (in->nfiles > 1)
            qsort(in->files, in->nfiles, sizeof *in->files, cmp_path);
    }
}
