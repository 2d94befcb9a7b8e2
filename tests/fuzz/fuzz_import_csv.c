/*
 * fuzz_import_csv.c - libFuzzer target for `vmctr import rvtools` on CSV:
 * the bytes are a vInfo export (libcsv through csvread.c, then the RVTools
 * mapping of import.c), once alone and once grouped by a custom attribute.
 * Beyond no crash/leak/UB: a refusal is exit 3 with a position, and what is
 * written loads as profiles (import_check.h).
 */
#define FUZZ_TARGET "fuzz_import_csv"
#include "import_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const groups[] = {NULL, "Application"};
    for (int g = 0; g < 2; g++) {
        vm_import_opts o = {.group_by = groups[g]};
        vm_import *im = vm_import_new(&o);
        fuzz_check(im != NULL, "allocation");
        vm_diags *d = fuzz_diags();
        import_check_result(im, vm_import_rvtools_csv(im, "vInfo", data, size, "fuzz.csv", d), d);
        free(d);
        vm_import_free(im);
    }
    return 0;
}
