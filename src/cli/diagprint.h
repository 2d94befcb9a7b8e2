/*
 * diagprint.h (internal) - diagnostics as the user sees them: compiler-style
 * lines on stderr (coloured only when stderr is a colour terminal), or JSON
 * objects for --format json.
 */
#ifndef VMCTR_CLI_DIAGPRINT_H
#define VMCTR_CLI_DIAGPRINT_H

#include "cli.h"
#include "util/buf.h"
#include "vmctr/diag.h"

/* Prints every diagnostic of `d` on stderr, one line each
 * ("file:line:col: error: path: message"), then, when some were dropped
 * past the cap, "FILE: note: N more errors not shown". Each line goes
 * through the terminal neutraliser (escape.h), or workflow-command
 * escaping when GITHUB_ACTIONS=true: file names and echoed key text cannot
 * start a line, forge an annotation or move the terminal. */
void vm_diags_print(const vm_cli *cli, const vm_diags *d, const char *file);

/* Appends diagnostic g as one neutralised line (as vm_diags_print writes
 * it, without colour or newline), for output collected by threads. */
void vm_diag_put(vm_buf *b, const vm_diag *g);
/* Appends "FILE: note: N more errors not shown", neutralised, no newline. */
void vm_note_put(vm_buf *b, const char *file, size_t dropped);

/* printf to stderr for messages that carry file names or input text: the
 * formatted line (one trailing newline is dropped and added back) is
 * neutralised as diagnostics are. Allocates; out-of-memory messages use
 * plain fprintf. */
void vm_eprintf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Appends the diagnostics as JSON objects
 *   {"file": .., "line": N|null, "column": N|null, "severity": "error"|"warning"|"note",
 *    "path": "..", "message": ".."}
 * to an array being written into b: each object on its own line, indented
 * two spaces, preceded by ",\n" (or "\n" for the first, *count == 0); the
 * caller writes "[" before and "\n]" (or "]" when *count is 0) after.
 * Dropped diagnostics become one "note" object with null line and column.
 * *count is increased by the number of objects written. */
void vm_diags_json(vm_buf *b, const vm_diags *d, const char *file, size_t *count);

#endif
