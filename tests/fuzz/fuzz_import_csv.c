/*
 * fuzz_import_csv.c - libFuzzer target for `vmctr import rvtools` on CSV:
 * the bytes are a vInfo export (libcsv through csvread.c, then the RVTools
 * mapping of import.c), once alone and once grouped by a custom attribute.
 * Beyond no crash/leak/UB: a refusal is exit 3 with a position, and what is
 * written loads as profiles (import_check.h).
 */
#include "import_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const groups[] = {NULL, "Application"};
    for (int g = 0; g < 2; g++) {
        vm_import_opts o = {.group_by = groups[g]};
        vm_import *im = vm_import_new(&o);
        vm_diags *d = malloc(sizeof *d);
        import_check(im && d, "allocation");
        vm_diags_clear(d);
        vm_status st = vm_import_rvtools_csv(im, "vInfo", data, size, "fuzz.csv", d);
        import_check(st == VM_OK || st == VM_EPROFILE, "status is OK or EPROFILE");
        import_check(st == VM_OK || (d->errors && d->items[0].line), "a refusal has a position");
        if (st == VM_OK) {
            vm_buf b;
            vm_buf_init(&b);
            vm_diags_clear(d);
            import_check(vm_import_write(im, &b, d) == VM_OK, "writing succeeds");
            import_check_output(&b);
            vm_buf_free(&b);
        }
        free(d);
        vm_import_free(im);
    }
    return 0;
}
