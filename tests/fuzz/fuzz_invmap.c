/*
 * fuzz_invmap.c - libFuzzer target for inventory column maps (invmap.c,
 * `vmctr import csv --map`): the bytes are a map file. A refusal has a
 * position; a map that loads is applied to a small CSV and what it writes
 * loads as profiles (import_check.h).
 */
#include "import_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char csv[] = "name,os,owner,app,kind,count\n"
                          "srv-1,Windows Server 2019,ops,shop,vm,3\n"
                          "srv 2,Red Hat 8,\"a\nb\",shop,,x\n"
                          "\xe2\x80\xae" "evil,\x1b[31m,,,physical,12\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vm_diags *d = malloc(sizeof *d);
    import_check(d != NULL, "allocation");
    vm_diags_clear(d);
    vm_invmap *m = NULL;
    vm_status st = vm_invmap_load((const char *)data, size, "fuzz.yaml", &m, d);
    import_check(st == VM_OK || st == VM_EPROFILE, "status is OK or EPROFILE");
    import_check((st == VM_OK) == (m != NULL), "a map exactly when OK");
    import_check(st == VM_OK || d->errors > 0, "a refusal has an error");
    if (m) {
        vm_import_opts o = {.group_by = "application"};
        vm_import *im = vm_import_new(&o);
        import_check(im != NULL, "allocation");
        vm_diags_clear(d);
        st = vm_import_csv(im, m, "csv", csv, sizeof csv - 1, "fuzz.csv", d);
        import_check(st == VM_OK || st == VM_EPROFILE, "import status");
        if (st == VM_OK) {
            vm_buf b;
            vm_buf_init(&b);
            import_check(vm_import_write(im, &b, d) == VM_OK, "writing succeeds");
            import_check_output(&b);
            vm_buf_free(&b);
        }
        vm_import_free(im);
        vm_invmap_free(m);
    }
    free(d);
    return 0;
}
