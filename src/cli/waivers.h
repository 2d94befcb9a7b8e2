/*
 * waivers.h (internal) - the waiver file `vmctr check` runs with (--waivers
 * FILE, else .vmctr/waivers.yaml when present, none with --no-waivers) and
 * today's date (--today, else the system clock in UTC). The library never
 * reads the clock; this is the one place that does.
 */
#ifndef VMCTR_CLI_WAIVERS_H
#define VMCTR_CLI_WAIVERS_H

#include "cli.h"
#include "vmctr/waiver.h"

#define VM_DEFAULT_WAIVERS ".vmctr/waivers.yaml"

/* Today as days since 1970-01-01: `arg` (YYYY-MM-DD) when given, else the
 * clock. Returns 0, or 2 after a usage error. */
int vm_cli_today(const vm_cli *cli, const char *arg, int32_t *out);

/* Loads the waiver file into *out (allocated from a): `path` when not NULL
 * (it must exist), else VM_DEFAULT_WAIVERS when it exists. *loaded says
 * whether a file was read. Errors are printed; returns 0, 4 invalid waivers,
 * 5 I/O. */
int vm_cli_load_waivers(const vm_cli *cli, const char *path, const vm_ruleset *rs, int32_t today, vm_arena *a,
                        vm_waivers *out, bool *loaded);

#endif
