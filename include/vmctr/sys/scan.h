/*
 * vmctr/sys/scan.h (not installed) - profile fields from a repository's files (`vmctr scan`,
 * `vmctr check --evidence`).
 *
 * The CLI lists the files (git-tracked ones in a git work tree), asks
 * vm_scan_interest which it needs, reads those (bounded by
 * VM_LIMIT_SCAN_READ; binary files skipped) and hands each to
 * vm_scan_file, in path order. The library matches the signals of
 * docs/scan.md and keeps, per signal, its first piece of evidence
 * (path, line, the line's text). It reads no file itself.
 */
#ifndef VMCTR_SCAN_H
#define VMCTR_SCAN_H

#include "vmctr/buf.h"
#include "vmctr/diag.h"
#include "vmctr/profile.h"

/* Limits on a scan; each is named in docs/scan.md and tested. */
#define VM_LIMIT_SCAN_FILES  1000000u        /* files listed */
#define VM_LIMIT_SCAN_READ   (256u * 1024u)  /* bytes read of one file */

typedef struct vm_scan vm_scan;

/* What a signal says about a field. A hint is written as a suggestion in a
 * comment and never fills the field. */
typedef struct {
    const char *rule;     /* "docker.dockerfile" */
    int field;            /* vm_field_id */
    const char *value;    /* "container-image" */
    bool hint;
    const char *path;     /* evidence: file (relative to the scanned directory) */
    uint32_t line;        /* 1-based */
    const char *text;     /* the line (raw, cut to 200 bytes; neutralised when written) */
} vm_evidence;

enum { VM_SCAN_SKIP = 0, VM_SCAN_NAME = 1, VM_SCAN_CONTENT = 2 };

vm_scan *vm_scan_new(void);
void vm_scan_free(vm_scan *s);
/* Whether a path (relative, '/'-separated) matters: not at all, by its
 * name only, or by its content. */
int vm_scan_interest(const char *path);
/* One file: data NULL for a name-only match (or a binary file). False when
 * memory ran out copying its evidence (then and after, the scan is
 * incomplete: it must not be written). */
bool vm_scan_file(vm_scan *s, const char *path, const char *data, size_t len);
/* The evidence found, one entry per signal that matched, in signal order. */
size_t vm_scan_count(const vm_scan *s);
const vm_evidence *vm_scan_get(const vm_scan *s, size_t i);

/* A new profile named `name` (made a DNS label) from the evidence, each
 * filled field with an "# evidence: PATH:LINE: text" comment. `what`
 * names the scanned directory in the header comment. */
void vm_scan_write(const vm_scan *s, const char *name, const char *what, vm_buf *out);
/* The profile document `base` (one document, loaded and checked first:
 * VM_EPROFILE with diagnostics when invalid) with the evidence merged in:
 * fields the person set are never changed (evidence that disagrees is a
 * warning in w); fields they left out are added in their section with the
 * evidence comment. VM_EIO when memory ran out anywhere (a scratch buffer
 * included): then `out` is not a profile and must not be written. */
vm_status vm_scan_merge(const vm_scan *s, const char *base, size_t len, const char *file, vm_buf *out,
                        vm_diags *w);

/* Warnings (into w) for every field of `v` that the evidence contradicts,
 * in field order, one per field: "the profile says 'installer' but the
 * repository shows 'container-image' (evidence ...); also seen:
 * 'os-package'", at the value's position. A value that agrees with any of
 * the field's evidence is no contradiction. `where` ("spec.components[2]")
 * replaces "spec" in the field path, or NULL. Hints never warn. */
void vm_scan_compare(const vm_scan *s, const vm_values *v, const char *file, const char *where, vm_diags *w);

#endif
