/*
 * fuzz_waivers.c - libFuzzer target for the waiver-file parser: the input
 * bytes are one waiver file given to vm_waivers_parse (no rule set, a fixed
 * today), then every parsed waiver is matched against a few results.
 * Checks that the status agrees with the diagnostics and that what parsed
 * keeps its promises (required fields, the horizon). Built like
 * fuzz_profile.c (libFuzzer binary and corpus replay).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmctr/waiver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_waivers: broken promise: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vm_arena *a = vm_arena_new();
    vm_diags *d = malloc(sizeof *d);
    if (!a || !d)
        abort();
    vm_diags_clear(d);
    const int32_t today = 20428; /* 2025-12-06 */
    vm_waivers w;
    vm_status st = vm_waivers_parse(a, "fuzz.yaml", (const char *)data, size, NULL, today, &w, d);
    check(st == VM_OK || st == VM_ERULES, "status is OK or ERULES");
    check((st == VM_OK) == (d->errors == 0), "status agrees with the errors");
    check(d->count <= VM_LIMIT_ERRORS, "diagnostics capped");
    check(st == VM_OK || w.n == 0, "no waivers from a bad file");
    check(w.n <= VM_LIMIT_WAIVERS, "waivers bounded");
    for (uint32_t i = 0; i < w.n; i++) {
        const vm_waiver *x = &w.items[i];
        check(x->reason && x->owner && (x->profile || x->file), "required fields");
        check(x->expires <= today + (int32_t)VM_WAIVER_MAX_DAYS, "horizon");
        check(strlen(x->expires_text) == 10, "expiry text");
    }
    static const vm_gate_kind kinds[] = {VM_GATE_MISMATCH, VM_GATE_BLOCKER, VM_GATE_NO_DECISION};
    for (size_t k = 0; k < 3; k++) {
        vm_gate_result r = {.component = k ? "c" : NULL, .kind = kinds[k], .outcome = VM_GATE_FAIL};
        int m = vm_waivers_match(&w, "./p/x.yaml", "name", &r, today);
        check(m >= -1 && m < (int)w.n, "match index");
    }
    free(d);
    vm_arena_free(a);
    return 0;
}
