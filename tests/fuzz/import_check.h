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

static inline bool import_has_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\n')
            return true;
    return false;
}

static inline void import_check_output(const vm_buf *b)
{
    fuzz_check(!import_has_control(b->data, b->len), "no raw control characters in the output");
    fuzz_each_profile(b->data ? b->data : "", b->len, "import.yaml", import_check_document, (void *)b);
}

/* What `scan --base` writes: the base profile's own lines are kept byte for
 * byte (docs/scan.md), tabs and carriage returns included, and the lines
 * the merge adds come in between. So the base's lines are a subsequence of
 * the output's; a line that is not the next of them was added by vmctr and
 * must hold no raw control character, and when the base ends its lines
 * with CR LF (its first line does), it ends with CR LF too. Then the same
 * as above. */
static inline void import_check_merged(const vm_buf *b, const char *base, size_t n)
{
    const char *first = memchr(base, '\n', n);
    bool crlf = first && first > base && first[-1] == '\r';
    const char *o = b->data ? b->data : "", *oe = o + b->len;
    const char *p = base, *pe = base + n;
    while (o < oe) {
        const char *ol = memchr(o, '\n', (size_t)(oe - o));
        size_t on = ol ? (size_t)(ol - o) : (size_t)(oe - o);
        const char *pl = p < pe ? memchr(p, '\n', (size_t)(pe - p)) : NULL;
        size_t pn = p < pe ? (pl ? (size_t)(pl - p) : (size_t)(pe - p)) : 0;
        /* the base's last line, if it has no line end, gets one */
        size_t cut = !pl && crlf && on == pn + 1 && o[pn] == '\r' ? 1 : 0;
        if (p < pe && on - cut == pn && memcmp(o, p, pn) == 0) {
            p = pl ? pl + 1 : pe; /* the base's own line */
        } else {
            bool cr = crlf && ol && on > 0 && o[on - 1] == '\r';
            fuzz_check(!crlf || !ol || cr, "the lines the merge adds end as the base's do (CR LF)");
            fuzz_check(!import_has_control(o, on - cr), "no raw control characters in the lines the merge adds");
        }
        o = ol ? ol + 1 : oe;
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
