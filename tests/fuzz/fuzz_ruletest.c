/*
 * fuzz_ruletest.c - libFuzzer target for the rule test parser
 * (vm_ruletests_parse, no rule set): the status agrees with the
 * diagnostics, and every parsed case's synthetic profile document can be
 * handed to the profile loader without crashing. Built like fuzz_profile.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "vmctr/profile.h"
#include "vmctr/ruletest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_ruletest: broken promise: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vm_arena *a = vm_arena_new(), *pa = vm_arena_new();
    vm_diags *d = malloc(sizeof *d);
    if (!a || !pa || !d)
        abort();
    vm_diags_clear(d);
    vm_ruletests ts;
    vm_status st = vm_ruletests_parse(a, "fuzz.test.yaml", (const char *)data, size, NULL, &ts, d);
    check(st == VM_OK || st == VM_ERULES, "status is OK or ERULES");
    check((st == VM_OK) == (d->errors == 0), "status agrees with the errors");
    check(d->count <= VM_LIMIT_ERRORS, "diagnostics capped");
    check(st == VM_OK || ts.n == 0, "no cases from a bad file");
    for (uint32_t i = 0; i < ts.n; i++) {
        const vm_ruletest *t = &ts.items[i];
        check(t->name && (t->doc || t->file), "a case has a name and a profile");
        if (!t->doc)
            continue;
        vm_arena_reset(pa);
        vm_diags_clear(d);
        vm_doc doc = {.data = t->doc, .len = t->doc_len, .first_line = t->first_line};
        vm_profile p;
        bool empty;
        vm_status ps = vm_profile_parse(pa, "fuzz.test.yaml", &doc, &p, &empty, d);
        check(ps == VM_OK || ps == VM_EPROFILE, "the synthetic profile loads or is refused");
    }
    free(d);
    vm_arena_free(a);
    vm_arena_free(pa);
    return 0;
}
