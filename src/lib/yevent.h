/*
 * yevent.h (internal) - libyaml's event parser behind vmctr's own types.
 *
 * This is the only place that sees yaml_* types. It parses one document's
 * bytes (see source.c) and hands out events with 1-based positions already
 * shifted to the file's line numbers. It enforces the nesting limit at the
 * first event past it (libyaml has none), refuses anchors, aliases and tags,
 * and turns libyaml's problems into one-line messages.
 */
#ifndef VMCTR_YEVENT_H
#define VMCTR_YEVENT_H

#include "vmctr/common.h"

typedef enum {
    YE_STREAM_START, YE_STREAM_END, YE_DOC_START, YE_DOC_END,
    YE_MAP_START, YE_MAP_END, YE_SEQ_START, YE_SEQ_END, YE_SCALAR
} ye_kind;

typedef struct {
    ye_kind kind;
    const char *text;      /* YE_SCALAR: bytes, valid until the next ye_next */
    size_t len;
    bool plain;            /* unquoted scalar (so `true`, `~`, `12` have a type) */
    uint32_t line, col;    /* 1-based, in the file */
} ye_event;

typedef struct ye_parser ye_parser;

/* Starts parsing `len` bytes whose first byte is on line `first_line`.
 * Returns NULL when out of memory. */
ye_parser *ye_open(const char *data, size_t len, uint32_t first_line);
/* Next event: true on success. On false nothing is formatted yet (the loop
 * over events is the hot path; errors are rare): ye_error describes it.
 * After an error the parser must be closed. */
bool ye_step(ye_parser *p, ye_event *ev);
/* The message and 1-based file position of the error ye_step last returned
 * false for. */
void ye_error(const ye_parser *p, char *err, size_t errcap, uint32_t *line, uint32_t *col);
/* ye_step and, on error, ye_error: 1 on success, 0 on error with a message
 * in err and its position in *line / *col. */
int ye_next(ye_parser *p, ye_event *ev, char *err, size_t errcap, uint32_t *line, uint32_t *col);
/* Where the event ye_step last returned ends: just past its last
 * character, 1-based, in the file (a multi-line scalar ends on a later
 * line, a block scalar at column 1 of the line after its last one). Kept
 * out of ye_event, which the loader's hot loop fills: only the scan's
 * merge needs it. */
void ye_end(const ye_parser *p, uint32_t *line, uint32_t *col);
void ye_close(ye_parser *p);
/* True when the error ye_step last returned false for is libyaml running
 * out of memory (a system error, exit 5, not a malformed document). */
bool ye_oom(const ye_parser *p);

#endif
