/* fs.c - the one file reader and directory walker (see util/fs.h). */
#include "util/fs.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int vm_read_stream(FILE *fp, size_t max, char **data, size_t *len)
{
    size_t cap = 8192, n = 0, want = max + 1; /* one byte more tells "too large" */
    char *buf = malloc(cap + 1);
    if (!buf) {
        errno = ENOMEM;
        return -1;
    }
    while (n < want) {
        if (n == cap) {
            size_t nc = cap * 2 > want ? want : cap * 2;
            char *p = realloc(buf, nc + 1);
            if (!p) {
                free(buf);
                errno = ENOMEM;
                return -1;
            }
            buf = p;
            cap = nc;
        }
        size_t r = fread(buf + n, 1, cap - n, fp);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(fp)) {
        int e = errno ? errno : EIO;
        free(buf);
        errno = e;
        return -1;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

int vm_read_file(const char *path, size_t max, char **data, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    errno = 0;
    int rc = vm_read_stream(fp, max, data, len);
    int e = errno;
    fclose(fp);
    errno = e;
    return rc;
}

static int cmp_path(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

void vm_pathlist_sort(vm_pathlist *l)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp_path);
}

void vm_pathlist_free(vm_pathlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    *l = (vm_pathlist){0};
}

static bool push(vm_pathlist *l, char *path)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **p = realloc(l->v, cap * sizeof *p);
        if (!p)
            return false;
        l->v = p;
        l->cap = cap;
    }
    l->v[l->n++] = path;
    return true;
}

static char *join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    bool slash = dl > 0 && dir[dl - 1] == '/';
    char *p = malloc(dl + nl + 2);
    if (p) {
        memcpy(p, dir, dl);
        if (!slash)
            p[dl++] = '/';
        memcpy(p + dl, name, nl + 1);
    }
    return p;
}

static void fail(const vm_walk_opts *o, const char *path, int err)
{
    if (o->error)
        o->error(o->ctx, path, err);
}

enum { WALK_ON, WALK_STOPPED, WALK_NOMEM };

/* A taken entry: a regular file, or a link to one (links to directories
 * are skipped silently: they are not followed). */
static int take(const vm_walk_opts *o, vm_dirent *e, char *path, vm_pathlist *out)
{
    if (e->kind == VM_ENT_LINK) {
        struct stat st;
        if (stat(path, &st) != 0) {
            fail(o, path, errno); /* dangling */
            free(path);
            return WALK_ON;
        }
        if (S_ISDIR(st.st_mode)) {
            free(path);
            return WALK_ON;
        }
        e->kind = S_ISREG(st.st_mode) ? VM_ENT_FILE : VM_ENT_OTHER;
    }
    if (e->kind != VM_ENT_FILE) {
        fail(o, path, VM_WALK_ENOTREG);
        free(path);
        return WALK_ON;
    }
    if (!push(out, path)) {
        free(path);
        return WALK_NOMEM;
    }
    return WALK_ON;
}

static int walk(const char *dir, int depth, const vm_walk_opts *o, vm_pathlist *out)
{
    DIR *d = opendir(dir);
    if (!d) {
        fail(o, dir, errno);
        return WALK_ON;
    }
    int rc = WALK_ON;
    for (;;) {
        errno = 0;
        struct dirent *de = readdir(d);
        if (!de) {
            if (errno)
                fail(o, dir, errno);
            break;
        }
        const char *name = de->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        if (o->name_ok && !o->name_ok(o->ctx, name, depth))
            continue;
        char *path = join(dir, name);
        if (!path) {
            rc = WALK_NOMEM;
            break;
        }
        struct stat st;
        if (lstat(path, &st) != 0) {
            fail(o, path, errno);
            free(path);
            continue;
        }
        vm_dirent e = {path, path + strlen(path) - strlen(name), depth,
                       S_ISREG(st.st_mode)   ? VM_ENT_FILE
                       : S_ISDIR(st.st_mode) ? VM_ENT_DIR
                       : S_ISLNK(st.st_mode) ? VM_ENT_LINK
                                             : VM_ENT_OTHER};
        vm_walk_action act = o->visit ? o->visit(o->ctx, &e) : VM_WALK_TAKE;
        if (act == VM_WALK_DESCEND && e.kind == VM_ENT_DIR) {
            if (depth + 1 > o->max_depth)
                fail(o, path, VM_WALK_EDEPTH);
            else
                rc = walk(path, depth + 1, o, out);
            free(path);
        } else if (act == VM_WALK_TAKE) {
            rc = take(o, &e, path, out);
        } else {
            free(path);
            if (act == VM_WALK_STOP)
                rc = WALK_STOPPED;
        }
        if (rc != WALK_ON)
            break;
    }
    closedir(d);
    return rc;
}

int vm_walk(const char *root, const vm_walk_opts *o, vm_pathlist *out)
{
    if (walk(root, 0, o, out) == WALK_NOMEM) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}
