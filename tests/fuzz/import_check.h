/*
 * import_check.h - the promise every target that writes profiles checks
 * (import_csv, import_xlsx, invmap, scan): whatever it writes, the profile
 * loader accepts, document by document, and the bytes hold no raw control
 * character but newlines. Include after defining FUZZ_TARGET (harness.h).
 */
#ifndef VMCTR_FUZZ_IMPORT_CHECK_H
#define VMCTR_FUZZ_IMPORT_CHECK_H

#include "harness.h"
#include "vmctr/sys/inventory.h"
#include "vmctr/profile.h"

static inline bool import_check_document(fuzz_loaded *l, void *written)
{
    const vm_buf *b = written;
    if (l->st != VM_OK && b->len) {
        char line[600];
        vm_diag_format(&l->d->items[0], line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    fuzz_check(l->st == VM_OK || b->len == 0, "every document written is a valid profile");
    return true;
}

static inline void import_check_output(const vm_buf *b)
{
    for (size_t i = 0; i < b->len; i++) {
        unsigned char c = (unsigned char)b->data[i];
        fuzz_check(c >= 0x20 || c == '\n', "no raw control characters in the output");
    }
    fuzz_each_profile(b->data ? b->data : "", b->len, "import.yaml", import_check_document, (void *)b);
}

/* The import im, once it succeeded: writing succeeds, and what it writes
 * keeps the promise above. */
static inline void import_check_written(vm_import *im, vm_diags *d)
{
    vm_buf b;
    vm_buf_init(&b);
    vm_diags_clear(d);
    fuzz_check(vm_import_write(im, &b, d) == VM_OK, "writing succeeds");
    import_check_output(&b);
    vm_buf_free(&b);
}

/* An RVTools import's result st: VM_OK, or a refusal (exit 3) with a
 * position; what an import that succeeded writes loads. */
static inline void import_check_result(vm_import *im, vm_status st, vm_diags *d)
{
    fuzz_check(st == VM_OK || st == VM_EPROFILE, "status is OK or EPROFILE");
    fuzz_check(st == VM_OK || (d->errors && d->items[0].line), "a refusal has a position");
    if (st == VM_OK)
        import_check_written(im, d);
}

#endif
