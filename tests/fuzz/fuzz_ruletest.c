/*
 * fuzz_ruletest.c - libFuzzer target for the rule test parser
 * (vm_ruletests_parse, no rule set): the status agrees with the
 * diagnostics, and every parsed case's synthetic profile document can be
 * handed to the profile loader without crashing. Built like fuzz_profile.c.
 */
#define FUZZ_TARGET "fuzz_ruletest"
#include "harness.h"
#include "vmctr/profile.h"
#include "vmctr/ruletest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vm_arena *a = fuzz_arena(), *pa = fuzz_arena();
    vm_diags *d = fuzz_diags();
    vm_ruletests ts;
    vm_status st = vm_ruletests_parse(a, "fuzz.test.yaml", (const char *)data, size, NULL, &ts, d);
    FUZZ_CHECK_STATUS(st, VM_ERULES, d);
    fuzz_check(st == VM_OK || ts.n == 0, "no cases from a bad file");
    for (uint32_t i = 0; i < ts.n; i++) {
        const vm_ruletest *t = &ts.items[i];
        fuzz_check(t->name && (t->doc || t->file), "a case has a name and a profile");
        if (!t->doc)
            continue;
        vm_arena_reset(pa);
        vm_diags_clear(d);
        vm_doc doc = {.data = t->doc, .len = t->doc_len, .first_line = t->first_line};
        vm_profile p;
        bool empty;
        vm_status ps = vm_profile_parse(pa, "fuzz.test.yaml", &doc, &p, &empty, d);
        fuzz_check(ps == VM_OK || ps == VM_EPROFILE, "the synthetic profile loads or is refused");
    }
    free(d);
    vm_arena_free(a);
    vm_arena_free(pa);
    return 0;
}
