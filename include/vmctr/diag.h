/*
 * vmctr/diag.h - diagnostics: errors returned as values with file:line:col.
 *
 * A vm_diags is a fixed-capacity list (VM_LIMIT_ERRORS entries; further
 * errors are counted in `dropped`). It never allocates: messages are copied
 * into fixed buffers and truncated if needed. `file` is borrowed and must
 * outlive the list.
 */
#ifndef VMCTR_DIAG_H
#define VMCTR_DIAG_H

#include "common.h"

typedef enum { VM_SEV_ERROR, VM_SEV_WARNING } vm_severity;

typedef struct {
    const char *file;
    uint32_t line, col;      /* 1-based; 0 when unknown */
    vm_severity severity;
    char path[96];           /* document path, e.g. spec.delivery.ci_cd; may be empty */
    char message[400];
} vm_diag;

typedef struct {
    vm_diag items[VM_LIMIT_ERRORS];
    size_t count;
    size_t dropped;          /* errors past the cap */
    size_t errors;           /* errors (not warnings), including dropped ones */
} vm_diags;

/* Empties d (not NULL): count, dropped and errors to 0. A vm_diags needs no
 * other initialisation and owns no memory (nothing to free). */
void vm_diags_clear(vm_diags *d);

/* Adds a diagnostic to d (not NULL): the message (printf-style) and path
 * (NULL: "") are copied and truncated to their buffers; `file` (NULL:
 * "<input>" when formatted) is borrowed. Past VM_LIMIT_ERRORS it is only
 * counted (dropped, and errors for VM_SEV_ERROR), except a message that is
 * exactly "out of memory": that takes the last place (the error there is
 * counted as dropped instead), so it is always shown. Never fails. */
void vm_diag_add(vm_diags *d, vm_severity sev, const char *file,
                 uint32_t line, uint32_t col, const char *path,
                 const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

/* Whether d[from..count) holds an "out of memory" (which vm_diag_add never
 * drops): how a loader tells a system error from bad input. */
bool vm_diags_out_of_memory(const vm_diags *d, size_t from);

/* Formats one diagnostic compiler-style ("file:line:col: error: path: msg")
 * into out[cap], truncated and NUL-terminated when cap > 0. Returns the
 * length written (at most cap - 1; 0 when cap is 0, out untouched). */
size_t vm_diag_format(const vm_diag *d, char *out, size_t cap);

/* The closest of cands[0..n) to `word` (not NULL) by edit distance, or one
 * that starts with it; NULL when none is close enough (used for "did you
 * mean"). Returns one of cands (borrowed); cands may be NULL when n is 0. */
const char *vm_suggest(const char *word, const char *const *cands, size_t n);

#endif
