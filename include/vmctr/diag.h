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

/* Empties d (not NULL); a vm_diags needs no other initialisation. */
void vm_diags_clear(vm_diags *d);

/* Adds a diagnostic; printf-style message. */
void vm_diag_add(vm_diags *d, vm_severity sev, const char *file,
                 uint32_t line, uint32_t col, const char *path,
                 const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

/* Formats one diagnostic compiler-style ("file:line:col: error: path: msg")
 * into out (always NUL-terminated). Returns the length written. */
size_t vm_diag_format(const vm_diag *d, char *out, size_t cap);

/* The closest candidate to `word` by edit distance, or NULL when none is
 * close enough to suggest (used for "did you mean"). */
const char *vm_suggest(const char *word, const char *const *cands, size_t n);

#endif
