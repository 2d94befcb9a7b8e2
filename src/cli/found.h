/*
 * found.h (internal) - files vmctr finds in the checkout rather than is
 * given: .vmctr/config.yaml, .vmctr/waivers.yaml, and the rule directory
 * and waiver file a found config names (docs/security.md).
 *
 * In CI the current directory is often a pull request's checkout, so what
 * is found there is the pull request's. A committed link to
 * ~/.aws/credentials, or a config's `waivers: /home/runner/.aws/credentials`,
 * would have that file parsed and its keys echoed in the errors. So a found
 * path, and the directory it is in, must resolve inside the checkout: the
 * nearest directory from the current one up that holds .git (util/fs.h
 * vm_checkout_root), else the current directory. A path named on the
 * command line is the user's and is read wherever it is.
 */
#ifndef VMCTR_CLI_FOUND_H
#define VMCTR_CLI_FOUND_H

#include "cli.h"

/* Whether path, resolved, lies in the checkout: 0 with *inside, or -1 with
 * errno. */
int vm_cli_in_checkout(const char *path, bool *inside);

/* Checks a found path before it is read: cfg NULL for a found file (said
 * as "PATH: error: ..."), else the config naming it under key (said as
 * "CFG: error: KEY: ..."). dir_ok: a directory is as good as a regular
 * file. Returns 0 (read it), 1 (absent: nothing there, nor a link, and its
 * directory lies in the checkout), or 5 (VM_EIO) after saying why: it or
 * its directory leads out of the checkout, cannot be resolved, or is not a
 * regular file (a FIFO would block, a device never end). */
int vm_cli_found_check(const char *path, const char *cfg, const char *key, bool dir_ok);

/* An optional file with a default location (.vmctr/config.yaml, the waiver
 * file): *out is path when given, else dflt when vm_cli_found_check lets it
 * be read, else NULL (absent). Returns 0, or 5 after saying why. */
int vm_cli_default_file(const char *path, const char *dflt, const char **out);

#endif
