/* scanfiles.c - a repository's files into the scan library (see scanfiles.h). */
#include "scanfiles.h"
#include "util/fs.h"
#include "util/grow.h"
#include "cli.h"
#include "diagprint.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

typedef struct {
    char **v;
    size_t n, cap;
    bool too_many, oom;
} plist;

static bool add(plist *l, const char *s, size_t n)
{
    if (l->n >= VM_LIMIT_SCAN_FILES) {
        l->too_many = true;
        return false;
    }
    if (!vm_grow(&l->v, &l->cap, l->n, sizeof *l->v, 1024)) {
        l->oom = true;
        return false;
    }
    char *c = malloc(n + 1);
    if (!c) {
        l->oom = true;
        return false;
    }
    memcpy(c, s, n);
    c[n] = '\0';
    l->v[l->n++] = c;
    return true;
}

static void plist_free(plist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* `git -C DIR ls-files -z`: true with the list when DIR is in a work tree. */
static bool git_files(const char *dir, plist *l)
{
    int fd[2];
    if (pipe(fd) != 0)
        return false;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    posix_spawn_file_actions_addclose(&fa, fd[1]);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    char *args[] = {"git", "-C", (char *)dir, "ls-files", "-z", NULL};
    pid_t pid;
    int e = posix_spawnp(&pid, "git", &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (e != 0) {
        close(fd[0]);
        l->oom = e == ENOMEM;
        return false;
    }
    size_t cap = 1u << 16, n = 0;
    char *buf = malloc(cap);
    bool ok = buf != NULL;
    l->oom = !ok;
    for (;;) {
        if (ok && n == cap) {
            char *p = cap < (512u << 20) ? realloc(buf, cap * 2) : NULL;
            if (!p) {
                l->oom = cap < (512u << 20);
                ok = false;
            } else {
                buf = p;
                cap *= 2;
            }
        }
        char sink[4096];
        ssize_t r = ok ? read(fd[0], buf + n, cap - n) : read(fd[0], sink, sizeof sink);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        if (ok)
            n += (size_t)r;
    }
    close(fd[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    for (size_t i = 0; ok && i < n;) {
        size_t k = strnlen(buf + i, n - i);
        if (k && !add(l, buf + i, k))
            break;
        i += k + 1;
    }
    free(buf);
    return ok;
}

/* Every regular file under the directory (as paths relative to it), not
 * following symbolic links, leaving out .git. An unreadable directory or
 * file is no evidence, not an error; running out of memory is. */
typedef struct {
    plist *l;
    size_t root;    /* strlen of the directory and its slash */
} scan_walk;

static bool not_git(void *ctx, const char *name, int depth)
{
    (void)ctx, (void)depth;
    return strcmp(name, ".git") != 0;
}

static vm_walk_action scan_visit(void *ctx, const vm_dirent *e)
{
    scan_walk *w = ctx;
    if (e->kind == VM_ENT_DIR)
        return VM_WALK_DESCEND;
    if (e->kind != VM_ENT_FILE)
        return VM_WALK_SKIP;
    const char *rel = e->path + w->root;
    size_t n = strlen(rel);
    if (n >= 4096)
        return VM_WALK_SKIP;
    return add(w->l, rel, n) ? VM_WALK_SKIP : VM_WALK_STOP; /* too many, or out of memory */
}

/* Unreadable is no evidence; out of memory (an opendir's ENOMEM) fails. */
static void scan_error(void *ctx, const char *path, int err)
{
    (void)path;
    if (err == ENOMEM)
        ((scan_walk *)ctx)->l->oom = true;
}

static void walk(const char *dir, plist *l)
{
    size_t root = strlen(dir);
    root += root && dir[root - 1] != '/';
    scan_walk w = {l, root};
    vm_walk_opts wo = {not_git, scan_visit, scan_error, &w, 64};
    vm_pathlist none = {0};
    if (vm_walk(dir, &wo, &none) != 0)
        l->oom = true;
    vm_pathlist_free(&none);
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int vm_scan_dir(vm_scan *s, const char *dir, vm_scan_stats *st)
{
    *st = (vm_scan_stats){0};
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, dir, errno ? strerror(errno) : "not a directory");
        return VM_EIO;
    }
    plist l = {0};
    st->git = git_files(dir, &l);
    if (!st->git && !l.oom) {
        plist_free(&l);
        l = (plist){0};
        walk(dir, &l);
    }
    if (l.oom) {
        plist_free(&l);
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    if (l.too_many) {
        vm_eprintf("%s: %s: more than %u files (VM_LIMIT_SCAN_FILES)\n", VM_PROG, dir, VM_LIMIT_SCAN_FILES);
        plist_free(&l);
        return VM_EIO;
    }
    qsort(l.v, l.n, sizeof *l.v, cmp);
    st->listed = l.n;
    char *buf = malloc(VM_LIMIT_SCAN_READ);
    if (!buf) {
        plist_free(&l);
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    for (size_t i = 0; i < l.n; i++) {
        int want = vm_scan_interest(l.v[i]);
        if (want == VM_SCAN_SKIP)
            continue;
        char full[4096];
        if ((size_t)snprintf(full, sizeof full, "%s/%s", dir, l.v[i]) >= sizeof full)
            continue;
        int fd = open(full, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            continue; /* listed by git but gone, a symbolic link, unreadable: no evidence */
        struct stat fsb;
        if (fstat(fd, &fsb) != 0 || !S_ISREG(fsb.st_mode)) {
            close(fd);
            continue;
        }
        size_t n = 0, lim = want == VM_SCAN_CONTENT ? VM_LIMIT_SCAN_READ : 4096; /* a name: its first line */
        {
            while (n < lim) {
                ssize_t r = read(fd, buf + n, lim - n);
                if (r < 0 && errno == EINTR)
                    continue;
                if (r <= 0)
                    break;
                n += (size_t)r;
            }
            st->read++;
        }
        close(fd);
        bool binary = memchr(buf, '\0', n < 8192 ? n : 8192) != NULL;
        st->binary += binary;
        if (!vm_scan_file(s, l.v[i], binary ? NULL : buf, binary ? 0 : n)) {
            free(buf);
            plist_free(&l);
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
            return VM_EIO;
        }
    }
    free(buf);
    plist_free(&l);
    return 0;
}
