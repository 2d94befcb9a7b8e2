/*
 * vmctr/sys/config.h (not installed) - a repository's defaults for vmctr (.vmctr/config.yaml).
 *
 *     apiVersion: vmctr/v1
 *     kind: Config
 *     check:
 *       exclude: [vendor, deploy/k8s]          # globs, as --exclude
 *       rules: policy/                         # as --rules DIR
 *       waivers: .vmctr/waivers.yaml           # as --waivers FILE
 *       min_confidence: 0.6                    # as --min-confidence
 *       fail_on: mismatch                      # as --fail-on
 *       require_decision: false                # as --require-decision
 *
 * Every key is optional. Command-line options win over the file, the file
 * over the built-in defaults; --exclude adds to the file's excludes.
 */
#ifndef VMCTR_CONFIG_H
#define VMCTR_CONFIG_H

#include "vmctr/arena.h"
#include "vmctr/diag.h"

#define VM_LIMIT_CONFIG_FILE (64u * 1024u)

typedef struct {
    const char **exclude;      /* globs */
    uint32_t nexclude;
    const char *rules;         /* NULL: not set */
    const char *waivers;       /* NULL: not set */
    bool has_min_confidence;
    double min_confidence;
    int fail_on;               /* -1 not set, else vm_fail_on (gate.h) */
    int require_decision;      /* -1 not set, 0 or 1 */
} vm_config;

/* Parses a config file's bytes into *out (allocated from a). Returns
 * VM_OK, or VM_EUSAGE with positioned errors in d (a bad config is a bad
 * invocation), VM_EIO when out of memory. */
vm_status vm_config_parse(vm_arena *a, const char *file, const char *data, size_t len, vm_config *out,
                          vm_diags *d);

#endif
