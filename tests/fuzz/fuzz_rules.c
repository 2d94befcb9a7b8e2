/*
 * fuzz_rules.c - libFuzzer target for the rule-file loader: the input bytes
 * are one rule file given to vm_ruleset_add, then the set is finished and
 * linted. Checks that the status agrees with the diagnostics. Built like
 * fuzz_profile.c (libFuzzer binary and corpus replay).
 */
#define FUZZ_TARGET "fuzz_rules"
#include "harness.h"
#include "vmctr/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vm_ruleset *rs = vm_ruleset_new();
    if (!rs)
        abort();
    vm_diags *d = fuzz_diags();
    vm_status st = vm_ruleset_add(rs, "fuzz.yaml", (const char *)data, size, false, d);
    FUZZ_CHECK_STATUS(st, VM_ERULES, d); /* of the add */
    if (st == VM_OK) {
        st = vm_ruleset_finish(rs, d);
        fuzz_check(st == VM_OK || st == VM_ERULES, "finish: status");
        if (st == VM_OK) {
            vm_ruleset_lint(rs, d);
            size_t n = vm_ruleset_count(rs);
            fuzz_check(n <= VM_LIMIT_RULES, "rules bounded");
            for (size_t i = 0; i < n; i++) {
                const vm_rule *r = vm_ruleset_rule(rs, i);
                fuzz_check(r && r->id && vm_ruleset_find(rs, r->id) == r, "rule findable by id");
            }
            fuzz_check(strncmp(vm_ruleset_digest(rs), "sha256:", 7) == 0, "digest");
        }
    }
    free(d);
    vm_ruleset_free(rs);
    return 0;
}
