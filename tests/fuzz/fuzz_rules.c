/*
 * fuzz_rules.c - libFuzzer target for the rule-file loader: the input bytes
 * are one rule file given to vm_ruleset_add, then the set is finished and
 * linted. Checks that the status agrees with the diagnostics. Built like
 * fuzz_profile.c (libFuzzer binary and corpus replay).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmctr/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_rules: broken promise: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vm_ruleset *rs = vm_ruleset_new();
    vm_diags *d = malloc(sizeof *d);
    if (!rs || !d)
        abort();
    vm_diags_clear(d);
    vm_status st = vm_ruleset_add(rs, "fuzz.yaml", (const char *)data, size, false, d);
    check(st == VM_OK || st == VM_ERULES, "add: status is OK or ERULES");
    check((st == VM_OK) == (d->errors == 0), "add: status agrees with the errors");
    check(d->count <= VM_LIMIT_ERRORS, "diagnostics capped");
    if (st == VM_OK) {
        st = vm_ruleset_finish(rs, d);
        check(st == VM_OK || st == VM_ERULES, "finish: status");
        if (st == VM_OK) {
            vm_ruleset_lint(rs, d);
            size_t n = vm_ruleset_count(rs);
            check(n <= VM_LIMIT_RULES, "rules bounded");
            for (size_t i = 0; i < n; i++) {
                const vm_rule *r = vm_ruleset_rule(rs, i);
                check(r && r->id && vm_ruleset_find(rs, r->id) == r, "rule findable by id");
            }
            check(strncmp(vm_ruleset_digest(rs), "sha256:", 7) == 0, "digest");
        }
    }
    free(d);
    vm_ruleset_free(rs);
    return 0;
}
