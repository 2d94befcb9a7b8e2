/*
 * harness.h - what every fuzz target of tests/fuzz shares. A target
 * defines FUZZ_TARGET (its name, for the abort message) and includes this
 * first; it then writes only its own promises:
 *
 *   fuzz_check(ok, what)     a broken promise prints "FUZZ_TARGET: broken
 *                            promise: what" and aborts (libFuzzer and the
 *                            ctest replay, replay.c, both report the input);
 *   fuzz_arena(), fuzz_diags()
 *                            an arena and a cleared heap vm_diags (too big
 *                            for libFuzzer's stack), abort when out of memory;
 *   FUZZ_CHECK_STATUS(st, REFUSED, d)
 *                            a loader's promise on its result: the status is
 *                            VM_OK or REFUSED, VM_OK exactly when it reported
 *                            no error, and the diagnostics are capped;
 *   fuzz_each_profile(data, size, name, fn, ctx)
 *                            the CLI's loading loop: bytes cut into documents
 *                            (vm_source), each parsed with vm_profile_parse
 *                            into an arena reset per document, and handed
 *                            to fn.
 *
 * Header-only, static: every target is its own program.
 */
#ifndef VMCTR_FUZZ_HARNESS_H
#define VMCTR_FUZZ_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmctr/arena.h"
#include "vmctr/diag.h"
#include "vmctr/profile.h"

#ifndef FUZZ_TARGET
#error "define FUZZ_TARGET (the target's name) before including harness.h"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void fuzz_check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, FUZZ_TARGET ": broken promise: %s\n", what);
        abort();
    }
}

static inline vm_arena *fuzz_arena(void)
{
    vm_arena *a = vm_arena_new();
    if (!a)
        abort();
    return a;
}

static inline vm_diags *fuzz_diags(void)
{
    vm_diags *d = malloc(sizeof *d);
    if (!d)
        abort();
    vm_diags_clear(d);
    return d;
}

static inline void fuzz_check_status(vm_status st, vm_status refused, const char *ok_or_refused,
                                     const vm_diags *d)
{
    fuzz_check(st == VM_OK || st == refused, ok_or_refused);
    fuzz_check((st == VM_OK) == (d->errors == 0), "status agrees with the errors");
    fuzz_check(d->count <= VM_LIMIT_ERRORS, "diagnostics capped");
}
#define FUZZ_CHECK_STATUS(st, refused, d) fuzz_check_status(st, refused, "status is OK or " #refused, d)

/* One document of fuzz_each_profile, loaded. */
typedef struct {
    const vm_doc *doc;
    vm_arena *a;  /* p lives here; reset before the next document */
    vm_diags *d;  /* the document's diagnostics */
    vm_status st; /* of vm_profile_parse */
    vm_profile p; /* when st is VM_OK and !empty */
    bool empty;
} fuzz_loaded;

/* fn returns false to stop before the next document. */
typedef bool fuzz_profile_fn(fuzz_loaded *l, void *ctx);

/* Cuts size bytes of data into documents named name, as the CLI does, and
 * hands each, parsed, to fn. Returns vm_source_next's last result (0: the
 * end, -1: the source failed; 1: fn stopped). */
static inline int fuzz_each_profile(const char *data, size_t size, const char *name, fuzz_profile_fn *fn, void *ctx)
{
    vm_source *s = vm_source_mem(data, size, name);
    if (!s)
        abort();
    fuzz_loaded l = {.a = fuzz_arena(), .d = fuzz_diags()};
    vm_doc doc;
    char err[256];
    int r;
    while ((r = vm_source_next(s, &doc, err, sizeof err)) == 1) {
        vm_arena_reset(l.a);
        vm_diags_clear(l.d);
        l.doc = &doc;
        l.empty = true;
        l.st = vm_profile_parse(l.a, name, &doc, &l.p, &l.empty, l.d);
        if (!fn(&l, ctx))
            break;
    }
    free(l.d);
    vm_arena_free(l.a);
    vm_source_free(s);
    return r;
}

#endif
