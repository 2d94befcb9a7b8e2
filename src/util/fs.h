/*
 * util/fs.h (internal) - the one file reader and the one directory walker
 * of the tree's programs (src/cli, src/tools). The library itself reads
 * profiles through vm_source (profile.h) and never walks directories.
 *
 * Reading: a whole file into one malloc'd, NUL-terminated buffer, bounded:
 * at most max + 1 bytes are read, so `*len > max` means "larger than max"
 * (the rest is not read) and the caller says so in its own words.
 *
 * Walking: one directory, or a tree, in readdir order, depth first; entries
 * "." and ".." are never shown; symbolic links are never followed into
 * directories; only regular files (or links to regular files) are ever
 * taken; every failure (opendir, readdir, stat) is reported through the
 * error callback, none is silent; running out of memory stops the walk and
 * is returned. The taken paths come back in a list the caller sorts
 * (vm_pathlist_sort: bytewise) and frees.
 *
 * Symbolic links stay inside the root. The root may be untrusted (a pull
 * request's checkout), and a committed link can lead anywhere: to
 * ~/.aws/credentials, ../../secret.yaml, /dev/zero. A link the caller takes,
 * or would descend (its target is a directory), is resolved (realpath(3))
 * and compared with the resolved root: when it leads outside, it is neither
 * read nor walked and the error callback gets VM_WALK_EOUTSIDE. A link
 * that stays inside is taken when it leads to a regular file; a link to a
 * directory inside is not descended (that directory is walked under its
 * own name; no file is seen twice, no loop is possible).
 */
#ifndef VMCTR_UTIL_FS_H
#define VMCTR_UTIL_FS_H

#include <stdio.h>

#include "vmctr/common.h"

/* Reads the file at path (opened "rb"). Returns 0 with *data (malloc'd,
 * NUL-terminated, the caller frees it) and *len, or -1 with errno set
 * (ENOMEM when out of memory; *data untouched). */
int vm_read_file(const char *path, size_t max, char **data, size_t *len);
/* Whether path, resolved (realpath(3): every link, "..", the directories
 * on the way), is root resolved or lies below it: 0 with *inside set, or
 * -1 with errno (path or root missing, ENOMEM, ...). The walker's rule for
 * links, for a single file the caller did not name itself. */
int vm_path_within(const char *path, const char *root, bool *inside);
/* The checkout the current directory belongs to: the realpath of the
 * nearest directory from "." up (below "/": a /.git is not taken) that
 * holds a ".git" (directory or file: a worktree, a submodule), else of "."
 * itself. malloc'd, or NULL with errno. The boundary for files found
 * rather than named (.vmctr/..., src/cli/found.h). */
char *vm_checkout_root(void);
/* The same from an open stream (stdin), which is not closed. */
int vm_read_stream(FILE *fp, size_t max, char **data, size_t *len);

typedef struct {
    char **v;           /* malloc'd paths */
    size_t n, cap;
} vm_pathlist;

void vm_pathlist_sort(vm_pathlist *l);     /* bytewise (strcmp) */
void vm_pathlist_free(vm_pathlist *l);     /* frees the paths, leaves it empty */

typedef enum {
    VM_ENT_FILE,        /* a regular file */
    VM_ENT_DIR,         /* a directory */
    VM_ENT_LINK,        /* a symbolic link (to anything, or dangling) */
    VM_ENT_OTHER        /* a device, FIFO or socket */
} vm_ent_kind;

typedef struct {
    const char *path;   /* root + "/" + ... + name (no doubled slash after root) */
    const char *name;   /* the last component, inside path */
    int depth;          /* 0 for the root's own entries */
    vm_ent_kind kind;   /* as lstat(2) says */
    vm_ent_kind target; /* a link: what it leads to as stat(2) says (FILE, DIR,
                         * OTHER; LINK when it leads nowhere: dangling, a loop);
                         * otherwise kind. Where it leads is not yet checked. */
} vm_dirent;

typedef enum {
    VM_WALK_SKIP,       /* not wanted */
    VM_WALK_TAKE,       /* add to the list if it is (or links to) a regular file */
    VM_WALK_DESCEND,    /* a directory: walk it; a link to one: refuse it if
                         * it leads outside the root (never walked) */
    VM_WALK_STOP        /* end the whole walk now */
} vm_walk_action;

/* Error codes passed to the error callback besides errno values. */
#define VM_WALK_ENOTREG (-1)   /* taken, but neither a regular file nor a link to one */
#define VM_WALK_EDEPTH  (-2)   /* a directory deeper than max_depth: not walked */
#define VM_WALK_EOUTSIDE (-3)  /* a link taken or descended whose realpath is not
                                * inside the root's: not read, not walked */

typedef struct {
    /* Before anything is asked of the file system: whether to look at this
     * name at all (NULL: every name). */
    bool (*name_ok)(void *ctx, const char *name, int depth);
    /* What to do with an entry (NULL: take it). */
    vm_walk_action (*visit)(void *ctx, const vm_dirent *e);
    /* A failure on path: an errno value (opendir, readdir, lstat, the stat
     * or realpath of a link taken, realpath of the root) or VM_WALK_ENOTREG /
     * VM_WALK_EDEPTH / VM_WALK_EOUTSIDE. NULL: ignored. */
    void (*error)(void *ctx, const char *path, int err);
    void *ctx;
    int max_depth;      /* deepest directory entered is at depth max_depth */
} vm_walk_opts;

/* Walks root (a directory) and appends the taken files to *out, in walk
 * order. Returns 0, or -1 when out of memory (errno ENOMEM; *out keeps
 * what was taken before). */
int vm_walk(const char *root, const vm_walk_opts *o, vm_pathlist *out);

#endif
