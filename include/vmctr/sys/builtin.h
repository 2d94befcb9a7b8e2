/*
 * vmctr/sys/builtin.h (not installed) - the built-in rules, compiled into the binary at build
 * time from the rule files in rules/ (generated sources in the build tree, never
 * committed):
 *
 *  - vm_builtin_rules: the rule files' text (cmake/embed.cmake), for tools
 *    and tests that want the source;
 *  - vm_builtin_compiled: the same rules already checked and compiled by
 *    vmctr-rulec (src/tools/rulec.c), so that start-up parses no YAML. It
 *    carries the digest state after those files, so a rule set built from
 *    it has exactly the digest of one built from the text.
 */
#ifndef VMCTR_BUILTIN_H
#define VMCTR_BUILTIN_H

#include <stddef.h>
#include <stdint.h>

#include "vmctr/rules.h"

typedef struct {
    const char *name;   /* "rules/workload.yaml" */
    const char *data;   /* NUL-terminated */
    size_t len;
} vm_embedded_file;

extern const vm_embedded_file vm_builtin_rules[];
extern const size_t vm_builtin_rules_count;

typedef struct {
    const vm_rule *rules;
    size_t count;
    uint32_t sha_h[8];          /* SHA-256 state after the rule files */
    uint64_t sha_len;
    unsigned char sha_buf[64];
    uint32_t sha_n;
} vm_precompiled;

extern const vm_precompiled vm_builtin_compiled;

/* Writes the digest state of rs (after the files added so far) into the
 * sha_* fields of out: what vmctr-rulec stores beside the compiled rules. */
void vm_ruleset_digest_state(const vm_ruleset *rs, vm_precompiled *out);

/* Adds precompiled rules to an empty rule set (as built-in rules). */
vm_status vm_ruleset_add_precompiled(vm_ruleset *rs, const vm_precompiled *pc, vm_diags *d);

#endif
