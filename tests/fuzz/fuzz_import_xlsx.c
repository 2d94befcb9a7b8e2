/*
 * fuzz_import_xlsx.c - libFuzzer target for `vmctr import rvtools` on
 * .xlsx: the bytes are a workbook (libzip through zipread.c, expat through
 * xlsx.c, then import.c). A refusal is exit 3 with a position; what is
 * written loads as profiles (import_check.h).
 */
#define FUZZ_TARGET "fuzz_import_xlsx"
#include "import_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vm_import_opts o = {.group_by = "folder"};
    vm_import *im = vm_import_new(&o);
    fuzz_check(im != NULL, "allocation");
    vm_diags *d = fuzz_diags();
    import_check_result(im, vm_import_rvtools_xlsx(im, data, size, "fuzz.xlsx", d), d);
    free(d);
    vm_import_free(im);
    return 0;
}
