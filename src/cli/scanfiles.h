/*
 * scanfiles.h (internal) - the files of a repository for the scan library:
 * listed (git ls-files in a git work tree, else a walk), sorted, read
 * (bounded, regular files only, no symbolic links) and handed to
 * vm_scan_file. Shared by `vmctr scan` and `vmctr check --evidence`.
 */
#ifndef VMCTR_CLI_SCANFILES_H
#define VMCTR_CLI_SCANFILES_H

#include <stdbool.h>
#include <stddef.h>

#include "vmctr/sys/scan.h"

typedef struct {
    size_t listed, read, binary;
    bool git;
} vm_scan_stats;

/* Scans DIR into s. Returns 0, or prints the error and returns 5 (DIR
 * unreadable, too many files). */
int vm_scan_dir(vm_scan *s, const char *dir, vm_scan_stats *st);

/* `vmctr check --evidence DIR`: scans DIR, then prints a warning for every
 * field of the operands' profiles that the evidence contradicts
 * (check_evidence.c). Returns 0, or 5 when DIR cannot be scanned. */
struct vm_cli;
int vm_check_evidence(const struct vm_cli *cli, const char *dir, char **operands, int n);

#endif
