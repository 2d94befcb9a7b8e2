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
 * leaves *out empty (nothing set). A default file found (path NULL) must
 * resolve inside the checkout (vm_cli_in_checkout), and so must the rule
 * directory and waiver file it names (when they exist): else an error, 5. Errors are
 * printed; returns 0, 2 for an invalid config, 5 for I/O. */
int vm_cli_load_config(const vm_cli *cli, const char *path, vm_arena *a, vm_config *out);

#endif
