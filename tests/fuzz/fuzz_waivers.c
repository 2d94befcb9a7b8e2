/*
 * fuzz_waivers.c - libFuzzer target for the waiver-file parser: the input
 * bytes are one waiver file given to vm_waivers_parse (no rule set, a fixed
 * today), then every parsed waiver is matched against a few results.
 * Checks that the status agrees with the diagnostics and that what parsed
 * keeps its promises (required fields, the horizon). Built like
 * fuzz_profile.c (libFuzzer binary and corpus replay).
 */
#define FUZZ_TARGET "fuzz_waivers"
#include "harness.h"
#include "vmctr/waiver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vm_arena *a = fuzz_arena();
    vm_diags *d = fuzz_diags();
    const int32_t today = 20428; /* 2025-12-06 */
    vm_waivers w;
    vm_status st = vm_waivers_parse(a, "fuzz.yaml", (const char *)data, size, NULL, today, &w, d);
    FUZZ_CHECK_STATUS(st, VM_ERULES, d);
    fuzz_check(st == VM_OK || w.n == 0, "no waivers from a bad file");
    fuzz_check(w.n <= VM_LIMIT_WAIVERS, "waivers bounded");
    for (uint32_t i = 0; i < w.n; i++) {
        const vm_waiver *x = &w.items[i];
        fuzz_check(x->reason && x->owner && (x->profile || x->file), "required fields");
        fuzz_check(x->expires <= today + (int32_t)VM_WAIVER_MAX_DAYS, "horizon");
        fuzz_check(strlen(x->expires_text) == 10, "expiry text");
    }
    static const vm_gate_kind kinds[] = {VM_GATE_MISMATCH, VM_GATE_BLOCKER, VM_GATE_NO_DECISION};
    for (size_t k = 0; k < 3; k++) {
        vm_gate_result r = {.component = k ? "c" : NULL, .kind = kinds[k], .outcome = VM_GATE_FAIL};
        int m = vm_waivers_match(&w, "./p/x.yaml", "name", &r, today);
        fuzz_check(m >= -1 && m < (int)w.n, "match index");
    }
    free(d);
    vm_arena_free(a);
    return 0;
}
