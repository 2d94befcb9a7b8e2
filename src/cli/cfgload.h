/*
 * cfgload.h (internal) - the repository config a command runs with:
 * --config FILE, else .vmctr/config.yaml when present, none with
 * --no-config (see vmctr/config.h and docs/ci.md).
 */
#ifndef VMCTR_CLI_CFGLOAD_H
#define VMCTR_CLI_CFGLOAD_H

#include "cli.h"
#include "vmctr/sys/config.h"

#define VM_DEFAULT_CONFIG ".vmctr/config.yaml"

/* Loads the config into *out (allocated from a); an absent default file
 * leaves *out empty (nothing set). *found: the default file when it was
 * found and read (its paths are the checkout's), else NULL. A found file
 * that may not be read is an error (found.h). Errors are printed; returns
 * 0, 2 for an invalid config, 5 for I/O. */
int vm_cli_load_config(const vm_cli *cli, const char *path, vm_arena *a, vm_config *out, const char **found);

/* The rule directory and waiver file a run takes from the config found at
 * `found` (NULL: none, or named with --config: nothing to check; a path an
 * option replaced is passed as NULL): each must lie in the checkout
 * (vm_cli_found_check). Returns 0, or 5 after saying why. */
int vm_cli_config_paths(const char *found, const char *rules, const char *waivers);

#endif
