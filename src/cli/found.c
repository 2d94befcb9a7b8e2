/* found.c - files found in the checkout, not named (see found.h). */
#include "found.h"
#include "diagprint.h"
#include "util/fs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int vm_cli_in_checkout(const char *path, bool *inside)
{
    char *root = vm_checkout_root();
    if (!root)
        return -1;
    int rc = vm_path_within(path, root, inside);
    int e = errno;
    free(root);
    errno = e;
    return rc;
}

/* "CFG: error: KEY: what" or "PATH: error: what", neutralised. */
static int refuse(const char *path, const char *cfg, const char *key, const char *what)
{
    if (cfg)
        vm_eprintf("%s: %s: error: %s: %s\n", VM_PROG, cfg, key, what);
    else
        vm_eprintf("%s: %s: error: %s\n", VM_PROG, path, what);
    return VM_EIO;
}

static int nomem(void)
{
    fprintf(stderr, "%s: out of memory\n", VM_PROG);
    return VM_EIO;
}

/* The directory path is in ("." for a bare name), malloc'd, or NULL. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

int vm_cli_found_check(const char *path, const char *cfg, const char *key, bool dir_ok)
{
    const char *outside = cfg ? "leads outside the checkout: not read"
                              : "symbolic link points outside the checkout: not read";
    bool inside;
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno != ENOENT && errno != ENOTDIR)
            return refuse(path, cfg, key, strerror(errno));
        /* Nothing there. Whether a file exists outside the checkout must
         * not show either: absent only when its directory resolves inside
         * (a missing or dangling directory on the way is absent too, unless
         * it is a link that cannot be resolved). */
        char *dir = dir_of(path);
        if (!dir)
            return nomem();
        errno = 0;
        int r = vm_cli_in_checkout(dir, &inside);
        int e = errno;
        struct stat dst;
        bool dir_link = lstat(dir, &dst) == 0 && S_ISLNK(dst.st_mode);
        free(dir);
        if (r != 0 && e == ENOMEM)
            return nomem();
        if (r == 0 && !inside)
            return refuse(path, cfg, key, outside);
        if (r != 0 && dir_link)
            return refuse(path, cfg, key, "cannot be resolved: not read");
        return 1;
    }
    errno = 0;
    if (vm_cli_in_checkout(path, &inside) != 0)
        /* it is there but does not resolve: a dangling link, or a /proc
         * link to a pipe, a socket or a deleted file, which open() would
         * still read */
        return errno == ENOMEM ? nomem() : refuse(path, cfg, key, "cannot be resolved: not read");
    if (!inside)
        return refuse(path, cfg, key, outside);
    if (stat(path, &st) != 0)
        return refuse(path, cfg, key, strerror(errno));
    if (!S_ISREG(st.st_mode) && !(dir_ok && S_ISDIR(st.st_mode)))
        return refuse(path, cfg, key, "not a regular file: not read");
    return 0;
}

int vm_cli_default_file(const char *path, const char *dflt, const char **out)
{
    *out = path;
    if (path)
        return 0;
    /* found, not named: an error, not a skip, when it may not be read: a
     * gate that lost its config or waivers unseen would look configured */
    int r = vm_cli_found_check(dflt, NULL, NULL, false);
    if (r == 0)
        *out = dflt;
    return r == 1 ? 0 : r;
}
