/*
 * check.h (internal) - the results of `vmctr check` and their renderers.
 *
 * The gate runs in two stages so that `-j N` stays byte-identical to -j 1
 * and memory stays flat: batch workers evaluate each document and encode
 * its outcome as records (ck_put, in batch.h's record format) into the output
 * buffer; the batch `collect` callback, called in input order on the main
 * thread, decodes them (ck_next) and renders the chosen format (ck_render_*)
 * in their place. Only JUnit holds back output: one input file's test cases,
 * because a <testsuite> carries its counts as attributes.
 *
 * Records: an item per checked subject (a profile or one of its components),
 * an error per diagnostic of an invalid document, a use of a waiver beyond
 * the one an item shows (it covers another of a blocker's rules: counted,
 * never rendered), or (after all inputs) a waiver that expired or matched
 * nothing. Decoded strings point
 * into the record buffer and live as long as it does.
 */
#ifndef VMCTR_CLI_CHECK_H
#define VMCTR_CLI_CHECK_H

#include <stdio.h>

#include "util/buf.h"
#include "vmctr/gate.h"
#include "vmctr/waiver.h"
#include "vmctr/rules.h"

/* What the gate decided for one subject, after --fail-on (vmctr/gate.h). */
enum { CK_PASS = VM_GATE_PASS, CK_NOTE = VM_GATE_NOTE, CK_WARN = VM_GATE_WARN, CK_FAIL = VM_GATE_FAIL,
       CK_ERROR = VM_GATE_ERROR, CK_WAIVED = VM_GATE_WAIVED, CK_NOUTCOMES };
/* What was found; CK_INVALID: a document that is not a valid profile. */
enum { CK_MATCH = VM_GATE_MATCH, CK_MISMATCH = VM_GATE_MISMATCH, CK_BLOCKER = VM_GATE_BLOCKER,
       CK_NO_DECISION = VM_GATE_NO_DECISION, CK_INVALID, CK_WAIVER_EXPIRED, CK_WAIVER_UNUSED };

typedef enum { CK_FMT_TEXT, CK_FMT_JSON, CK_FMT_SARIF, CK_FMT_JUNIT, CK_FMT_GITHUB } ck_format;

typedef struct {
    char tag;                  /* 'I' item, 'E' error of an invalid document, 'U' a waiver's use, 'W' a waiver's
                                  problem */
    const char *file;
    uint32_t doc;              /* 0-based document index */
    uint32_t doc_line;         /* line where the document starts */
    uint32_t line, col;        /* where the result points (see docs/ci.md) */
    /* items */
    const char *profile;       /* metadata.name */
    const char *component;     /* "" for the profile itself */
    int pp, pq;                /* proposed paradigm / platform, -1 when absent */
    int rp, rq, rcq;           /* recommended paradigm, platform, hybrid's container platform */
    int rxq;                   /* a system's micro-VM platform beside its VMs, else -1 */
    int tied;                  /* bit per platform tied with a recommended one, 0 when none */
    double conf;
    int kind, outcome;         /* CK_ kind, CK_ outcome */
    int blocked;               /* blocker: the excluded target the team proposed, else -1 */
    int waiver;                /* 1 + index of the waiver applied ('I'), used ('U') or reported ('W'); 0 none */
    int orig;                  /* waived: the outcome before the waiver */
    const char *rule_id;       /* blocker: the excluding rule; else the top reason; "" if none */
    const char *rule_title;
    const char *reason;        /* one line: why vmctr recommends what it does; may be "" */
    /* errors */
    const char *text;          /* "spec.x: message" */
} ck_rec;

void ck_put(vm_buf *b, const ck_rec *r);
/* Decodes the record at *pos of [data, data+len); advances *pos. Returns
 * false at the end (or on a malformed buffer). */
bool ck_next(const char *data, size_t len, size_t *pos, ck_rec *out);

typedef struct {
    ck_format format;
    vm_gate_policy pol;
    const vm_waivers *waivers; /* NULL: no waiver file */
    uint32_t *uses;            /* per waiver: results it waived */
    int32_t today;             /* days since 1970-01-01 */
    bool notes;                /* --notes: notes in sarif and github too */
    bool quiet;                /* --quiet: text and github show failures only */
    uint32_t skipped_files;    /* files of directories that are not vmctr files */
    uint32_t excluded;         /* directory entries --exclude skipped */
    uint32_t waivers_expired, waivers_unused, waivers_failed; /* 'W' records; failing ones */
    const vm_ruleset *rules;
    /* totals */
    uint32_t n[CK_NOUTCOMES];  /* per outcome */
    uint32_t invalid_docs;
    bool any;                  /* a result/element was written (separators) */
    /* JUnit: the test suite being gathered */
    char *suite_file;
    vm_buf suite;
    uint32_t s_tests, s_fail, s_err, s_skip;
    uint64_t *names;           /* hashes of the suite's test case names */
    size_t nnames, capnames;
    bool oom;
} ck_render;

void ck_render_init(ck_render *r);
void ck_render_free(ck_render *r);
void ck_render_begin(ck_render *r, vm_buf *b);
/* Renders the records of one document (in input order). */
void ck_render_doc(ck_render *r, const char *data, size_t len, vm_buf *b);
/* Closes the document; rc is the run's exit status so far. */
void ck_render_end(ck_render *r, vm_buf *b, int rc);

/* Appends the 'W' records of the waivers: expired (a failure) and, if it
 * waived nothing, unused (a warning, a failure with --fail-on warning).
 * Returns whether one fails. */
bool ck_waiver_records(const ck_render *r, const char *file, vm_buf *b);

const char *ck_outcome_name(int o);
const char *ck_kind_name(int k);

#endif
