/*
 * inputs.h (internal) - expands FILE... operands into the files to read.
 *
 * A regular file (or any non-directory: a FIFO, /dev/stdin) is taken as
 * given; a directory is searched recursively for `*.yaml` and `*.yml`,
 * skipping entries whose name starts with '.' or that an exclude glob
 * matches, not following symbolic links to directories, taking regular
 * files only (a device, FIFO or socket, or a link to one, is skipped with a
 * warning: /dev/zero or a FIFO would never end), refusing a symbolic link
 * (to a file or a directory) that leads outside the operand's realpath
 * ("vmctr: PATH: error: symbolic link points outside DIR: not read", status
 * 5; util/fs.h), and yielding the files sorted bytewise by path; `-` is
 * standard input (at most once, shown as "<stdin>" in messages). A path
 * that cannot be read is reported on stderr ("vmctr: PATH: reason") and
 * skipped; vm_inputs_status then returns 5 so the command can finish the
 * other inputs and still fail.
 *
 *     vm_inputs *in;
 *     int rc = vm_inputs_new(&in, cli, p.pos, p.npos);
 *     if (rc) return rc;
 *     for (const vm_input *f; (f = vm_inputs_next(in)); )
 *         ... f->path, f->display ...
 *     rc = vm_worst(rc, vm_inputs_status(in));
 *     vm_inputs_free(in);
 */
#ifndef VMCTR_CLI_INPUTS_H
#define VMCTR_CLI_INPUTS_H

#include "cli.h"

typedef struct {
    const char *path;     /* to open ("-" for stdin) */
    const char *display;  /* for messages */
    bool is_stdin;
    bool from_dir;        /* found by searching a directory operand */
} vm_input;

typedef struct vm_inputs vm_inputs;

/* Checks the operands (`-` at most once, at least one operand). Returns 0,
 * or 2 after printing a usage error, or 5 when out of memory. The operand
 * strings are borrowed. */
int vm_inputs_new(vm_inputs **out, const vm_cli *cli, char **operands, int n);
/* The usage error vm_inputs_new gives for no operand at all, for a command
 * that checks for operands before it loads anything: prints it, returns 2. */
int vm_inputs_missing(const vm_cli *cli);
/* Paths found in directories that match one of these fnmatch(3) globs
 * (no flags: `*` also matches `/`; tried on the path with a leading "./"
 * removed) are skipped, and so are the directories that match (not
 * searched). Explicit operands are never excluded. Borrowed; call before
 * the first vm_inputs_next. */
void vm_inputs_exclude(vm_inputs *in, const char *const *globs, size_t n);
/* How many directory entries --exclude skipped so far. */
size_t vm_inputs_excluded(const vm_inputs *in);
/* The next input, or NULL at the end. Borrowed until the next call. */
const vm_input *vm_inputs_next(vm_inputs *in);
/* 0, or 5 if some path could not be read. */
int vm_inputs_status(const vm_inputs *in);
void vm_inputs_free(vm_inputs *in);

/* Whether a file name ends in ".yaml" or ".yml": the files a directory
 * operand (and --rules DIR) is searched for. */
bool vm_yaml_name(const char *name);
/* A walk that fails on any error: vm_walk's on_error (util/fs.h) with a
 * vm_walk_status as its ctx. It prints the error at path, below dir, on
 * stderr: a symbolic link leading outside dir as "vmctr: PATH: error:
 * symbolic link points outside DIR: not read" (the target unnamed), else
 * "vmctr: PATH: REASON" ("not a regular file" for VM_WALK_ENOTREG, else
 * strerror); and sets rc to 5. */
typedef struct {
    const char *dir;  /* the directory walked */
    int rc;           /* 0, or 5 after an error */
} vm_walk_status;
void vm_walk_fail(void *ctx, const char *path, int err);

#endif
