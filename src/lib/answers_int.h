/*
 * answers_int.h (internal) - the small tree an answers file is read into,
 * whatever its syntax: answers.c builds it from YAML events, answers_json.c
 * from cJSON (the only file that sees cJSON types), and answers.c applies
 * it to profile values. Nodes live in the arena.
 */
#ifndef VMCTR_ANSWERS_INT_H
#define VMCTR_ANSWERS_INT_H

#include "vmctr/arena.h"
#include "vmctr/diag.h"

typedef enum { AN_NULL, AN_SCALAR, AN_SEQ, AN_MAP } an_kind;

typedef struct an_node an_node;
struct an_node {
    an_kind kind;
    const char *text;        /* AN_SCALAR: NUL-terminated */
    bool plain;              /* unquoted (YAML) or not a JSON string */
    uint32_t line, col;      /* 1-based; 0 for JSON */
    const char *key;         /* when this node is a mapping's value */
    uint32_t kline, kcol;
    an_node *first, *last;   /* children: sequence items or mapping values */
    an_node *next;
    uint32_t n;
};

/* Appends a child to a sequence or mapping node. */
void an_append(an_node *parent, an_node *kid);

/* Parses JSON text into a tree; NULL on error with a diagnostic in d. */
an_node *vm_answers_json_tree(vm_arena *a, const char *file, const char *data, size_t len, vm_diags *d);

#endif
