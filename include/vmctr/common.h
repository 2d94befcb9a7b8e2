/*
 * vmctr/common.h - status codes, version and the documented input limits.
 *
 * Conventions, once for the whole library; a declaration states only its
 * own case and any exception:
 * - Ownership: an object from a `vm_*_new`, `vm_*_open` or `vm_source_mem`
 *   belongs to the caller and is released with the matching `vm_*_free`,
 *   which accepts NULL as a no-op. What a function allocates "from a" (its
 *   vm_arena argument) lives in that arena until vm_arena_reset or
 *   vm_arena_free and is never freed alone. Pointers handed out by getters
 *   are borrowed and live as long as their parent; names from the static
 *   tables (targets, fields, categories) live forever. Pointers passed in are
 *   borrowed for the call, unless the declaration says they must outlive
 *   something.
 * - NULL: no pointer argument may be NULL unless its declaration says what
 *   NULL means.
 * - Failure: a vm_status function returns VM_OK or a status its
 *   declaration names, with the reasons in a vm_diags (diag.h) or an
 *   err/errcap text; out of memory is VM_EIO. After a failure an
 *   out-parameter holds nothing usable unless the declaration says more.
 *   Writers into a vm_buf never fail: out of memory sets its `oom` (buf.h).
 * - Text into (buf, cap): cap must be at least 1; the text is truncated to
 *   fit and always NUL-terminated.
 * The library never prints, exits or reads the environment.
 */
#ifndef VMCTR_COMMON_H
#define VMCTR_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define VMCTR_VERSION "0.1.0"

/* Status codes double as the CLI's documented exit codes. */
typedef enum {
    VM_OK = 0,
    VM_FAIL = 1,          /* check: the proposal fails the gate */
    VM_EUSAGE = 2,        /* usage error */
    VM_EPROFILE = 3,      /* invalid profile */
    VM_ERULES = 4,        /* invalid rules */
    VM_EIO = 5            /* I/O or system error (incl. out of memory) */
} vm_status;

/* Input limits. Each one is named in docs/profile.md and tested. */
#define VM_LIMIT_DOC_BYTES     (1024u * 1024u) /* one YAML document */
#define VM_LIMIT_DEPTH         16u    /* nesting of mappings/sequences */
#define VM_LIMIT_SCALAR_BYTES  4096u  /* one scalar */
#define VM_LIMIT_ITEMS         256u   /* entries in one mapping or sequence */
#define VM_LIMIT_COMPONENTS    64u    /* spec.components items */
#define VM_LIMIT_ERRORS        20u    /* diagnostics kept per document */
#define VM_LIMIT_RULES         4096u  /* rules in one rule set */
#define VM_LIMIT_RULE_NODES    64u    /* condition nodes in one rule */
#define VM_LIMIT_RULE_FILE     (4u * 1024u * 1024u)

#endif
