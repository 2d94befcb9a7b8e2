/*
 * fuzz_config.c - libFuzzer target for the repository config parser
 * (vm_config_parse): the status agrees with the diagnostics, diagnostics are
 * capped, and what parsed keeps its promises. Built like fuzz_profile.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "vmctr/sys/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_config: broken promise: %s\n", what);
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
    vm_config c;
    vm_status st = vm_config_parse(a, "fuzz.yaml", (const char *)data, size, &c, d);
    check(st == VM_OK || st == VM_EUSAGE, "status is OK or EUSAGE");
    check((st == VM_OK) == (d->errors == 0), "status agrees with the errors");
    check(d->count <= VM_LIMIT_ERRORS, "diagnostics capped");
    check(c.nexclude <= VM_LIMIT_ITEMS, "excludes bounded");
    for (uint32_t i = 0; i < c.nexclude; i++)
        check(c.exclude[i] && c.exclude[i][0], "exclude globs are non-empty");
    check(!c.has_min_confidence || (c.min_confidence >= 0 && c.min_confidence <= 1), "min_confidence in 0..1");
    check(c.fail_on >= -1 && c.fail_on <= 2, "fail_on");
    check(c.require_decision >= -1 && c.require_decision <= 1, "require_decision");
    free(d);
    vm_arena_free(a);
    return 0;
}
