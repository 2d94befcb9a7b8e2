/*
 * invmap.h (internal) - a loaded inventory column map (invmap.c), as
 * import.c applies it to rows. The public side is vmctr/inventory.h.
 */
#ifndef VMCTR_INVMAP_H
#define VMCTR_INVMAP_H

#include "vmctr/arena.h"
#include "vmctr/sys/inventory.h"

typedef struct {
    const char *pat;   /* cell pattern, '*' = any run, case-insensitive */
    const char *val;   /* field value */
} vm_pair;

typedef struct {
    const char **hdr;  /* header aliases as written */
    uint32_t nhdr;
    int field;         /* vm_field_id, or -1 for a label */
    const char *label; /* label key */
    vm_pair *vals;     /* value map; none: the cell itself (text and integer fields) */
    uint32_t nvals;
    uint32_t line, col;
} mcol;

/* Whether a column filling `field` (a vm_field_id, or -1 for a label) must
 * go through its value map: enums, lists of enums and booleans take fixed
 * values, so a raw cell is never one of them. */
bool vm_invmap_fixed(int field);

struct vm_invmap {
    vm_arena *a;
    const char *file;
    const char *source;
    const char **name_hdr;
    uint32_t nname;
    mcol *cols;
    uint32_t ncols;
};

/* The value a cell maps to through c's value map (first match), or NULL. */
const char *vm_invmap_value(const mcol *c, const char *cell, size_t n);

#endif
