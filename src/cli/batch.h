/*
 * batch.h (internal) - runs a per-document function over every document of
 * every input, in order, optionally on several threads.
 *
 * The main thread cuts documents from the inputs (vm_source) and hands a
 * copy of each to a worker; each worker owns an arena and an engine, so a
 * document is processed without sharing anything. Results (stdout bytes,
 * stderr bytes, status) are written strictly in input order, so the output
 * of `-j N` is byte-identical to `-j 1`. At most 2 x N jobs of up to 32
 * documents each are in flight, and fewer when they are large: in-flight
 * memory is bounded by bytes (batch.c: about HELD_MAX, 16 MiB, whatever N
 * is, plus one trimmed arena per thread), so it does not grow with the
 * number of profiles.
 */
#ifndef VMCTR_CLI_BATCH_H
#define VMCTR_CLI_BATCH_H

#include "cli.h"
#include "vmctr/arena.h"
#include "util/buf.h"
#include "vmctr/engine.h"
#include "vmctr/profile.h"

#define VM_BATCH_EMPTY (-1)   /* process(): the document held no profile */
#define VM_MAX_JOBS 64

typedef struct {
    vm_arena *arena;          /* reset before each document */
    vm_engine *engine;        /* NULL when the batch has no rules */
    vm_diags diags;
    void *scratch;            /* the command's per-worker state */
} vm_worker;

/* What a run saw beyond the documents' own results (vm_batch.stats). */
typedef struct {
    uint32_t documents;       /* documents that held something (a profile or an invalid one) */
    uint32_t foreign;         /* files from directories skipped as not vmctr (vm_batch.detect) */
    uint32_t excluded;        /* directory entries skipped by vm_batch.exclude */
} vm_batch_stats;

typedef struct {
    /* Processes one document; writes what goes to stdout into out and what
     * goes to stderr into err. Returns an exit status or VM_BATCH_EMPTY. */
    int (*process)(void *ctx, vm_worker *w, const char *file, const vm_doc *doc, vm_buf *out, vm_buf *err);
    /* Optional: called in input order with each document's status and
     * output before it is written (e.g. to aggregate a summary). */
    void (*collect)(void *ctx, int status, vm_buf *out);
    void *ctx;
    const vm_ruleset *rules;
    int jobs;                 /* threads; 1 = inline */
    FILE *out;
    /* Files found in directory operands whose first non-empty document
     * does not declare apiVersion vmctr/..., or is of another vmctr kind
     * and followed by no other non-empty document, are skipped
     * (vm_doc_api); with verbose each is named on stderr. Explicit files
     * are always read. */
    bool detect, verbose;
    const char *const *exclude;  /* globs, see vm_inputs_exclude */
    size_t nexclude;
    vm_batch_stats *stats;       /* optional: filled by vm_batch_run */
} vm_batch;

/* The -j option row, and its argument check: 0, or the usage error's exit
 * code after printing it. */
#define VM_OPT_JOBS_ROW(id) {"jobs", 'j', "N", "evaluate with N threads (output is identical to -j 1)", (id), false, NULL}
int vm_batch_jobs_arg(const vm_cli *cli, const char *arg, int *jobs);

/* Runs the batch over the operands (files, directories, `-`). Returns the
 * worst exit status. */
int vm_batch_run(const vm_batch *b, const vm_cli *cli, char **operands, int n);

/* The first step of every per-document function: parses the document into
 * a profile in the worker's arena. Returns it, or NULL with *status set:
 * VM_EPROFILE / VM_EIO after writing the diagnostics into err, or
 * VM_BATCH_EMPTY for a document with no profile. */
vm_profile *vm_batch_profile(vm_worker *w, const char *file, const vm_doc *doc, vm_buf *err, int *status);

/* Formats a diagnostics list into err, one compiler-style line each. */
void vm_batch_diags(vm_buf *err, const vm_diags *d);

/*
 * Records: what a worker's process() hands to the command's collect()
 * through the document's output buffer (check, portfolio). A record is a
 * sequence of fields written with vm_rec_put_* and read back in the same
 * order with vm_rec_get_*; numbers are stored as their bytes (writer and
 * reader are the same process), strings whole with a terminating NUL, never
 * truncated. A reader that runs out of data or meets a string without its
 * NUL is marked bad: further gets return 0 and "", and vm_rec_ok is false.
 * Strings read point into the buffer and live as long as it does.
 */
typedef struct {
    const char *p, *end;
    bool ok;
} vm_rec_reader;

void vm_rec_put_u32(vm_buf *b, uint32_t x);
void vm_rec_put_i32(vm_buf *b, int32_t x);
void vm_rec_put_u64(vm_buf *b, uint64_t x);
void vm_rec_put_f64(vm_buf *b, double x);
void vm_rec_put_str(vm_buf *b, const char *s); /* NULL is written as "" */

void vm_rec_reader_init(vm_rec_reader *r, const char *data, size_t len);
uint32_t vm_rec_get_u32(vm_rec_reader *r);
int32_t vm_rec_get_i32(vm_rec_reader *r);
uint64_t vm_rec_get_u64(vm_rec_reader *r);
double vm_rec_get_f64(vm_rec_reader *r);
const char *vm_rec_get_str(vm_rec_reader *r);
/* Whether every get so far found its data. */
static inline bool vm_rec_ok(const vm_rec_reader *r) { return r->ok; }
/* Whether the reader is good and data is left (another record follows). */
static inline bool vm_rec_more(const vm_rec_reader *r) { return r->ok && r->p < r->end; }

#endif
