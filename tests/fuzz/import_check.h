/*
 * import_check.h - the promise every importer fuzz target checks: whatever
 * an import writes, the profile loader accepts, document by document, and
 * the bytes hold no raw control character but newlines. Included by
 * fuzz_import_csv.c and fuzz_import_xlsx.c.
 */
#ifndef VMCTR_FUZZ_IMPORT_CHECK_H
#define VMCTR_FUZZ_IMPORT_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmctr/sys/inventory.h"
#include "vmctr/profile.h"

static void import_check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_import: broken promise: %s\n", what);
        abort();
    }
}

static void import_check_output(const vm_buf *b)
{
    for (size_t i = 0; i < b->len; i++) {
        unsigned char c = (unsigned char)b->data[i];
        import_check(c >= 0x20 || c == '\n', "no raw control characters in the output");
    }
    vm_source *s = vm_source_mem(b->data ? b->data : "", b->len, "import.yaml");
    vm_arena *a = vm_arena_new();
    vm_diags *d = malloc(sizeof *d);
    import_check(s && a && d, "allocation");
    vm_doc doc;
    char err[256];
    while (vm_source_next(s, &doc, err, sizeof err) == 1) {
        vm_arena_reset(a);
        vm_diags_clear(d);
        vm_profile p;
        bool empty = true;
        vm_status st = vm_profile_parse(a, "import.yaml", &doc, &p, &empty, d);
        if (st != VM_OK && b->len) {
            char line[600];
            vm_diag_format(&d->items[0], line, sizeof line);
            fprintf(stderr, "%s\n", line);
        }
        import_check(st == VM_OK || b->len == 0, "every document written is a valid profile");
    }
    free(d);
    vm_arena_free(a);
    vm_source_free(s);
}

#endif
