/* fs.c - the one file reader and directory walker (see util/fs.h). */
#define _XOPEN_SOURCE 700 /* realpath (glibc declares it for XSI) */
#include "util/fs.h"
#include "util/grow.h"

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
    if (!vm_grow(&l->v, &l->cap, l->n, sizeof *l->v, 16))
        return false;
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

/* One walk: the options, the list, the root and (once a link needs it)
 * the root's realpath, or why it has none. */
typedef struct {
    const vm_walk_opts *o;
    vm_pathlist *out;
    const char *root;
    char *rroot;
    int rroot_err;
} walker;

static void fail(const walker *w, const char *path, int err)
{
    if (w->o->error)
        w->o->error(w->o->ctx, path, err);
}

enum { WALK_ON, WALK_STOPPED, WALK_NOMEM };

/* Whether the resolved path real is the resolved root rroot or below it. */
static bool contains(const char *rroot, const char *real)
{
    size_t n = strlen(rroot);
    return strcmp(rroot, "/") == 0 || (strncmp(real, rroot, n) == 0 && (real[n] == '/' || !real[n]));
}

int vm_path_within(const char *path, const char *root, bool *inside)
{
    char *rroot = realpath(root, NULL);
    if (!rroot)
        return -1;
    char *real = realpath(path, NULL);
    if (!real) {
        int e = errno;
        free(rroot);
        errno = e;
        return -1;
    }
    *inside = contains(rroot, real);
    free(real);
    free(rroot);
    return 0;
}

char *vm_checkout_root(void)
{
    char *dir = realpath(".", NULL);
    if (!dir)
        return NULL;
    size_t n = strlen(dir);
    char *probe = malloc(n + sizeof "/.git");
    if (!probe) {
        free(dir);
        errno = ENOMEM;
        return NULL;
    }
    /* dir[0..len) is the candidate: from the current directory up to the
     * one below "/" (a /.git is not taken: "/" as the boundary would let
     * everything in) */
    for (size_t len = n;;) {
        struct stat st;
        memcpy(probe, dir, len);
        memcpy(probe + len, "/.git", sizeof "/.git");
        if (lstat(probe, &st) == 0) {
            free(probe);
            dir[len] = '\0';
            return dir;
        }
        while (len > 0 && dir[len - 1] != '/')
            len--;
        if (len <= 1)
            break;
        len--; /* the slash before the last component */
    }
    free(probe);
    free(dir);
    return realpath(".", NULL); /* no repository: the current directory */
}

/* Whether the link at path leads inside the root: 0 inside, 1 outside or
 * not resolvable, the link or the root (said through the error callback,
 * on the link), WALK_NOMEM. */
static int outside(walker *w, const char *path)
{
    errno = 0;
    if (!w->rroot && !w->rroot_err && !(w->rroot = realpath(w->root, NULL))) {
        if (errno == ENOMEM)
            return WALK_NOMEM;
        w->rroot_err = errno ? errno : ENOENT;
    }
    if (w->rroot_err) {
        fail(w, path, w->rroot_err);
        return 1;
    }
    char *real = realpath(path, NULL);
    if (!real) {
        if (errno == ENOMEM)
            return WALK_NOMEM;
        fail(w, path, errno ? errno : ENOENT);
        return 1;
    }
    bool in = contains(w->rroot, real);
    free(real);
    if (!in)
        fail(w, path, VM_WALK_EOUTSIDE);
    return !in;
}

/* A taken entry: a regular file, or a link inside the root to one (links
 * to directories inside are skipped silently: they are not followed). */
static int take(walker *w, const vm_dirent *e, char *path, int lerr)
{
    vm_ent_kind kind = e->kind;
    if (kind == VM_ENT_LINK) {
        if (e->target == VM_ENT_LINK) {
            fail(w, path, lerr); /* dangling, or a loop of links */
            free(path);
            return WALK_ON;
        }
        int out = outside(w, path);
        if (out || e->target == VM_ENT_DIR) {
            free(path);
            return out == WALK_NOMEM ? WALK_NOMEM : WALK_ON;
        }
        kind = e->target;
    }
    if (kind != VM_ENT_FILE) {
        fail(w, path, VM_WALK_ENOTREG);
        free(path);
        return WALK_ON;
    }
    if (!push(w->out, path)) {
        free(path);
        return WALK_NOMEM;
    }
    return WALK_ON;
}

static vm_ent_kind kind_of(mode_t m)
{
    return S_ISREG(m) ? VM_ENT_FILE : S_ISDIR(m) ? VM_ENT_DIR : S_ISLNK(m) ? VM_ENT_LINK : VM_ENT_OTHER;
}

static int walk(walker *w, const char *dir, int depth)
{
    const vm_walk_opts *o = w->o;
    DIR *d = opendir(dir);
    if (!d) {
        fail(w, dir, errno);
        return WALK_ON;
    }
    int rc = WALK_ON;
    for (;;) {
        errno = 0;
        struct dirent *de = readdir(d);
        if (!de) {
            if (errno)
                fail(w, dir, errno);
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
            fail(w, path, errno);
            free(path);
            continue;
        }
        vm_dirent e = {path, path + strlen(path) - strlen(name), depth, kind_of(st.st_mode), kind_of(st.st_mode)};
        int lerr = 0;
        if (e.kind == VM_ENT_LINK) {
            if (stat(path, &st) == 0) {
                e.target = kind_of(st.st_mode);
            } else {
                lerr = errno;
                e.target = VM_ENT_LINK;
            }
        }
        vm_walk_action act = o->visit ? o->visit(o->ctx, &e) : VM_WALK_TAKE;
        if (act == VM_WALK_DESCEND && e.kind == VM_ENT_DIR) {
            if (depth + 1 > o->max_depth)
                fail(w, path, VM_WALK_EDEPTH);
            else
                rc = walk(w, path, depth + 1);
            free(path);
        } else if (act == VM_WALK_DESCEND && e.kind == VM_ENT_LINK && e.target == VM_ENT_DIR) {
            rc = outside(w, path) == WALK_NOMEM ? WALK_NOMEM : WALK_ON; /* inside: not followed */
            free(path);
        } else if (act == VM_WALK_TAKE) {
            rc = take(w, &e, path, lerr);
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
    walker w = {o, out, root, NULL, 0};
    int rc = walk(&w, root, 0);
    free(w.rroot);
    if (rc == WALK_NOMEM) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}
