/*
 * fuzz_config.c - libFuzzer target for the repository config parser
 * (vm_config_parse): the status agrees with the diagnostics, diagnostics are
 * capped, and what parsed keeps its promises. Built like fuzz_profile.c.
 */
#define FUZZ_TARGET "fuzz_config"
#include "harness.h"
#include "vmctr/sys/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vm_arena *a = fuzz_arena();
    vm_diags *d = fuzz_diags();
    vm_config c;
    vm_status st = vm_config_parse(a, "fuzz.yaml", (const char *)data, size, &c, d);
    FUZZ_CHECK_STATUS(st, VM_EUSAGE, d);
    fuzz_check(c.nexclude <= VM_LIMIT_ITEMS, "excludes bounded");
    for (uint32_t i = 0; i < c.nexclude; i++)
        fuzz_check(c.exclude[i] && c.exclude[i][0], "exclude globs are non-empty");
    fuzz_check(!c.has_min_confidence || (c.min_confidence >= 0 && c.min_confidence <= 1), "min_confidence in 0..1");
    fuzz_check(c.fail_on >= -1 && c.fail_on <= 2, "fail_on");
    fuzz_check(c.require_decision >= -1 && c.require_decision <= 1, "require_decision");
    free(d);
    vm_arena_free(a);
    return 0;
}
