/*
 * vmctr/common.h - status codes, version and the documented input limits.
 *
 * Ownership, once for the whole library: an object returned by a `vm_*_new`
 * or `vm_*_open` function belongs to the caller and is released with the
 * matching `vm_*_free`, which accepts NULL as a no-op. Everything a profile
 * or report points into lives in the arena it was built in and dies with
 * `vm_arena_reset`/`vm_arena_free`. Pointers handed out by getters are
 * borrowed and live as long as their parent. The library never prints,
 * exits or reads the environment: failures come back as a vm_status plus
 * diagnostics (see diag.h).
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
