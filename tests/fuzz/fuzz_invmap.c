/*
 * fuzz_invmap.c - libFuzzer target for inventory column maps (invmap.c,
 * `vmctr import csv --map`): the bytes are a map file. A refusal has a
 * position; a map that loads is applied to a small CSV and what it writes
 * loads as profiles (import_check.h).
 */
#define FUZZ_TARGET "fuzz_invmap"
#include "import_check.h"

static const char csv[] = "name,os,owner,app,kind,count\n"
                          "srv-1,Windows Server 2019,ops,shop,vm,3\n"
                          "srv 2,Red Hat 8,\"a\nb\",shop,,x\n"
                          "\xe2\x80\xae" "evil,\x1b[31m,,,physical,12\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vm_diags *d = fuzz_diags();
    vm_invmap *m = NULL;
    vm_status st = vm_invmap_load((const char *)data, size, "fuzz.yaml", &m, d);
    fuzz_check(st == VM_OK || st == VM_EPROFILE, "status is OK or EPROFILE");
    fuzz_check((st == VM_OK) == (m != NULL), "a map exactly when OK");
    fuzz_check(st == VM_OK || d->errors > 0, "a refusal has an error");
    if (m) {
        vm_import_opts o = {.group_by = "application"};
        vm_import *im = vm_import_new(&o);
        fuzz_check(im != NULL, "allocation");
        vm_diags_clear(d);
        st = vm_import_csv(im, m, "csv", csv, sizeof csv - 1, "fuzz.csv", d);
        fuzz_check(st == VM_OK || st == VM_EPROFILE, "import status");
        if (st == VM_OK)
            import_check_written(im, d);
        vm_import_free(im);
        vm_invmap_free(m);
    }
    free(d);
    return 0;
}
