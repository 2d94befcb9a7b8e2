/*
 * batch.c - ordered, bounded, optionally parallel document processing (see
 * batch.h).
 *
 * With -j N the main thread cuts documents and packs them into jobs of up
 * to JOB_DOCS documents (or JOB_BYTES of input) from one input; N workers
 * take jobs from a ring and the main thread writes finished jobs strictly in
 * order. Grouping documents keeps the locking, wake-ups and copies per
 * document small, so two threads come close to twice the throughput of
 * one. With -j 1 each document is processed inline, as a job of one.
 */
#include "batch.h"
#include "diagprint.h"
#include "inputs.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JOB_DOCS 32   /* batch.h and docs/architecture.md quote it */
#define JOB_BYTES ((size_t)256 * 1024)
/*
 * Memory bound at any -j (docs/performance.md): a job is also cut when its
 * expected output (input bytes times the largest output/input ratio seen;
 * one document per job until one has been written) passes the pool's
 * job_out (job_out_for). The
 * main thread keeps one job in flight until one has finished, then at most
 * HELD_MAX / (the most memory one finished job used: its input copy,
 * output, diagnostics and its thread's arena) jobs, and none while the
 * finished, unwritten jobs hold more than HELD_MAX. After a job is written
 * its buffers over KEEP_MAX are released when the ring holds more than
 * HELD_MAX / 2 or its output passed 2 * job_out; after a job a thread's
 * arena is trimmed to KEEP_ARENA. So in-flight memory stays near HELD_MAX whatever
 * N is, plus N trimmed arenas.
 */
#define JOB_OUT_MIN ((size_t)256 * 1024)
#define JOB_OUT_MAX ((size_t)1024 * 1024)
#define HELD_MAX ((size_t)16 * 1024 * 1024)
#define KEEP_MAX ((size_t)64 * 1024)
#define KEEP_ARENA ((size_t)256 * 1024)
#define JOB_OUT_FIRST ((size_t)64 * 1024 - 1) /* -j 1: the output buffer's first size, with its NUL */

typedef struct {
    vm_doc doc;               /* doc.data points into the job's data */
    size_t off;               /* of the document's bytes in data */
    int status;
    size_t out_end, err_end;  /* where its output ends in out / err */
} jdoc;

typedef struct {
    char *display;
    uint32_t src;             /* input sequence number */
    char *data;               /* the documents' bytes, one after another */
    size_t len, cap;
    jdoc docs[JOB_DOCS];
    int ndocs;
    vm_buf out, err;
    bool done;
    size_t held;              /* bytes of data/out/err counted in pool.held */
    size_t arena_peak;        /* the most arena memory one of its documents used */
} job;

typedef struct {
    const vm_batch *b;
    job *ring;
    size_t nring;
    size_t head, tail, next;  /* head: oldest not written; next: first not taken; tail: first free */
    size_t held;              /* sum of the jobs' held bytes (under mu) */
    double ratio;             /* largest output/input bytes of a written job; 0: none yet */
    size_t job_max;           /* largest memory (buffers + arena) of a finished job; 0: none yet */
    size_t job_out;           /* expected output at which a job is cut (job_out_for) */
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    bool stop;
} pool;

void vm_batch_diags(vm_buf *err, const vm_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        vm_diag_put(err, &d->items[i]); /* neutralised: escape.h */
        vm_buf_putc(err, '\n');
    }
    if (d->dropped && d->count) {
        vm_note_put(err, d->items[0].file ? d->items[0].file : "<input>", d->dropped);
        vm_buf_putc(err, '\n');
    }
}

/* ---- records (batch.h) ------------------------------------------------------ */

void vm_rec_put_u32(vm_buf *b, uint32_t x) { vm_buf_put(b, (const char *)&x, sizeof x); }
void vm_rec_put_i32(vm_buf *b, int32_t x) { vm_buf_put(b, (const char *)&x, sizeof x); }
void vm_rec_put_u64(vm_buf *b, uint64_t x) { vm_buf_put(b, (const char *)&x, sizeof x); }
void vm_rec_put_f64(vm_buf *b, double x) { vm_buf_put(b, (const char *)&x, sizeof x); }

void vm_rec_put_str(vm_buf *b, const char *s)
{
    vm_buf_puts(b, s ? s : "");
    vm_buf_putc(b, '\0');
}

void vm_rec_reader_init(vm_rec_reader *r, const char *data, size_t len)
{
    r->p = data ? data : "";
    r->end = r->p + (data ? len : 0);
    r->ok = true;
}

static void get(vm_rec_reader *r, void *out, size_t n)
{
    if (!r->ok || (size_t)(r->end - r->p) < n) {
        r->ok = false;
        memset(out, 0, n);
        return;
    }
    memcpy(out, r->p, n);
    r->p += n;
}

uint32_t vm_rec_get_u32(vm_rec_reader *r) { uint32_t x; get(r, &x, sizeof x); return x; }
int32_t vm_rec_get_i32(vm_rec_reader *r) { int32_t x; get(r, &x, sizeof x); return x; }
uint64_t vm_rec_get_u64(vm_rec_reader *r) { uint64_t x; get(r, &x, sizeof x); return x; }
double vm_rec_get_f64(vm_rec_reader *r) { double x; get(r, &x, sizeof x); return x; }

const char *vm_rec_get_str(vm_rec_reader *r)
{
    const char *s = r->p;
    const char *z = r->ok ? memchr(r->p, '\0', (size_t)(r->end - r->p)) : NULL;
    if (!z) {
        r->ok = false;
        return "";
    }
    r->p = z + 1;
    return s;
}

int vm_batch_jobs_arg(const vm_cli *cli, const char *arg, int *jobs)
{
    char *end;
    long n = strtol(arg, &end, 10);
    if (!*arg || *end || n < 1 || n > VM_MAX_JOBS)
        return vm_usage_error(cli, "-j takes a number from 1 to %d", VM_MAX_JOBS);
    *jobs = (int)n;
    return 0;
}

vm_profile *vm_batch_profile(vm_worker *w, const char *file, const vm_doc *doc, vm_buf *err, int *status)
{
    vm_profile *prof = vm_arena_alloc(w->arena, sizeof *prof);
    if (!prof) {
        vm_buf_printf(err, "%s: out of memory\n", VM_PROG);
        *status = VM_EIO;
        return NULL;
    }
    bool empty = false;
    vm_status st = vm_profile_parse(w->arena, file, doc, prof, &empty, &w->diags);
    if (st != VM_OK) {
        vm_batch_diags(err, &w->diags);
        *status = st;
        return NULL;
    }
    if (empty) {
        *status = VM_BATCH_EMPTY;
        return NULL;
    }
    *status = VM_OK;
    return prof;
}

static bool worker_init(vm_worker *w, const vm_batch *b)
{
    memset(w, 0, sizeof *w);
    w->arena = vm_arena_new();
    if (b->rules)
        w->engine = vm_engine_new(b->rules);
    return w->arena && (!b->rules || w->engine);
}

static void worker_fini(vm_worker *w)
{
    vm_arena_free(w->arena);
    vm_engine_free(w->engine);
}

static void run_job(const vm_batch *b, vm_worker *w, job *j)
{
    vm_buf_reset(&j->out);
    vm_buf_reset(&j->err);
    j->arena_peak = 0;
    for (int i = 0; i < j->ndocs; i++) {
        jdoc *d = &j->docs[i];
        d->doc.data = j->data + d->off;
        vm_arena_reset(w->arena);
        vm_diags_clear(&w->diags);
        d->status = b->process(b->ctx, w, j->display, &d->doc, &j->out, &j->err);
        d->out_end = j->out.len;
        d->err_end = j->err.len;
        size_t used = vm_arena_used(w->arena);
        if (used > j->arena_peak)
            j->arena_peak = used;
    }
    vm_arena_trim(w->arena, KEEP_ARENA);
}

/* A job that a worker without memory took: every document fails (exit 5).
 * `say`: the first such job of that worker says why; its later ones do not
 * repeat it (one failure, one message). */
static void run_job_oom(job *j, bool say)
{
    vm_buf_reset(&j->out);
    vm_buf_reset(&j->err);
    if (say)
        vm_buf_printf(&j->err, "%s: out of memory\n", VM_PROG);
    for (int i = 0; i < j->ndocs; i++) {
        j->docs[i].status = VM_EIO;
        j->docs[i].out_end = 0;
        j->docs[i].err_end = j->err.len;
    }
}

/* Bytes a job's buffers hold now. */
static size_t job_bytes(const job *j) { return j->cap + j->out.cap + j->err.cap; }

/* Brings pool.held up to date with job j (under mu, or single-threaded). */
static void account(pool *p, job *j)
{
    size_t now = job_bytes(j);
    p->held = p->held - j->held + now;
    j->held = now;
}

/* After a job is written: releases buffers grown past KEEP_MAX, so idle
 * ring slots do not keep the largest output they ever held. */
static void trim(job *j)
{
    if (j->out.cap > KEEP_MAX)
        vm_buf_free(&j->out);
    if (j->err.cap > KEEP_MAX)
        vm_buf_free(&j->err);
    if (j->cap > KEEP_MAX) {
        free(j->data);
        j->data = NULL;
        j->cap = 0;
        j->len = 0;
    }
}

static void *worker_main(void *arg)
{
    pool *p = arg;
    vm_worker w;
    bool ok = worker_init(&w, p->b), said = false;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->next == p->tail)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->next == p->tail && p->stop)
            break;
        job *j = &p->ring[p->next % p->nring];
        p->next++;
        pthread_mutex_unlock(&p->mu);
        if (ok) {
            run_job(p->b, &w, j);
        } else {
            run_job_oom(j, !said);
            said = true;
        }
        pthread_mutex_lock(&p->mu);
        j->done = true;
        account(p, j);
        if (job_bytes(j) + j->arena_peak > p->job_max)
            p->job_max = job_bytes(j) + j->arena_peak;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    worker_fini(&w);
    return NULL;
}

/* Writes results in input order and notices inputs with no profile. */
typedef struct {
    uint32_t src;
    uint32_t nonempty;
    uint32_t total;           /* non-empty documents of every source */
    bool any;
    char last_display[512];
    vm_buf scratch;           /* one document's output, for collect() */
    size_t bytes;             /* reports written so far, up to SHORT_OUTPUT */
} emitter;

/* Until SHORT_OUTPUT bytes of reports are written, stdio's buffer (256 KB,
 * output.c) is written out before it would pass SHORT_FLUSH: a short run
 * then touches 16 of its 64 pages (on a virtual machine a first touch is
 * a page fault of about 15-20 us of wall time), a long one writes 256 KB
 * a call. Only where the write(2)s fall changes, never the bytes. */
#define SHORT_OUTPUT ((size_t)16 * 1024 * 1024)
#define SHORT_FLUSH ((size_t)64 * 1024)

static void put_report(emitter *e, FILE *out, const char *s, size_t n)
{
    if (e->bytes < SHORT_OUTPUT) {
        size_t held = __fpending(out);
        if (held && held + n > SHORT_FLUSH)
            fflush(out);
        e->bytes += n;
    }
    fwrite(s, 1, n, out);
}

static int flush_source(emitter *e, FILE *out)
{
    int rc = 0;
    if (e->any && e->nonempty == 0) {
        fflush(out); /* after the reports before it, in a merged stream too */
        vm_eprintf("%s:1:1: error: empty file: no profile\n", e->last_display);
        rc = VM_EPROFILE;
    }
    e->any = false;
    return rc;
}

static int emit(emitter *e, const vm_batch *b, job *j)
{
    int rc = 0;
    if (!e->any || e->src != j->src) {
        rc = flush_source(e, b->out);
        e->src = j->src;
        e->nonempty = 0;
        e->any = true;
        snprintf(e->last_display, sizeof e->last_display, "%s", j->display);
    }
    size_t out0 = 0, err0 = 0;
    for (int i = 0; i < j->ndocs; i++) {
        const jdoc *d = &j->docs[i];
        const char *out = j->out.data ? j->out.data + out0 : "";
        size_t outn = d->out_end - out0;
        if (b->collect) {
            vm_buf_reset(&e->scratch);
            vm_buf_put(&e->scratch, out, outn);
            b->collect(b->ctx, d->status, &e->scratch);
            out = e->scratch.data ? e->scratch.data : "";
            outn = e->scratch.len;
            if (e->scratch.oom) {
                fprintf(stderr, "%s: out of memory\n", VM_PROG);
                e->scratch.oom = false; /* reused for the next document: said once */
                rc = vm_worst(rc, VM_EIO);
            }
        }
        if (outn)
            put_report(e, b->out, out, outn);
        if (d->err_end > err0) {
            fflush(b->out);
            fwrite(j->err.data + err0, 1, d->err_end - err0, stderr);
        }
        out0 = d->out_end;
        err0 = d->err_end;
        if (d->status != VM_BATCH_EMPTY) {
            e->nonempty++;
            e->total++;
            rc = vm_worst(rc, d->status);
        }
    }
    if (j->out.oom || j->err.oom) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        j->out.oom = j->err.oom = false; /* the slot takes another job: said once */
        rc = vm_worst(rc, VM_EIO);
    }
    return rc;
}

/* Starts a job for input `src`. A slot that last held a job of the same
 * input keeps its copy of the display name: with -j 1 every document is a
 * job in the same slot, and copying the name each time was a realloc per
 * document. */
static bool job_start(job *j, const char *display, uint32_t src)
{
    if (!j->display || j->src != src) {
        size_t dl = strlen(display) + 1;
        char *d = realloc(j->display, dl);
        if (!d)
            return false;
        j->display = d;
        memcpy(j->display, display, dl);
    }
    j->src = src;
    j->len = 0;
    j->ndocs = 0;
    j->done = false;
    return true;
}

/* The expected output at which a job is cut with `jobs` threads: HELD_MAX /
 * (4 x jobs), within [JOB_OUT_MIN, JOB_OUT_MAX]. Large, because a system can
 * write 25 times its input: at 256 KiB such a ratio cut jobs to about 7
 * documents and tripled the hand-overs (-j 2 at 1.67x -j 1 instead of 1.83x
 * at 1 MiB: bench/profiling.md item 24). Not larger, because a job's output
 * buffer doubles past it (up to 2 x job_out) and the in-flight bound admits
 * HELD_MAX / (the largest job) jobs: about 2 x jobs of them, so that every
 * thread has one, whatever -j. */
static size_t job_out_for(int jobs)
{
    size_t v = HELD_MAX / (4 * (size_t)(jobs < 1 ? 1 : jobs));
    return v < JOB_OUT_MIN ? JOB_OUT_MIN : v > JOB_OUT_MAX ? JOB_OUT_MAX : v;
}

static bool job_full(const job *j, const vm_doc *doc, double ratio, size_t job_out)
{
    if (j->ndocs == 0)
        return false;
    if (j->ndocs == JOB_DOCS || j->len + doc->len + 1 > JOB_BYTES || ratio == 0)
        return true;
    return (double)(j->len + doc->len + 1) * ratio > (double)job_out;
}

/* Copies a document into the job (the source's buffer moves on). */
static bool job_add(job *j, const vm_doc *doc)
{
    if (j->cap < j->len + doc->len + 1) {
        size_t cap = j->cap ? j->cap : 4096;
        while (cap < j->len + doc->len + 1)
            cap *= 2;
        char *p = realloc(j->data, cap);
        if (!p)
            return false;
        j->data = p;
        j->cap = cap;
    }
    jdoc *d = &j->docs[j->ndocs++];
    d->doc = *doc;
    d->off = j->len;
    memcpy(j->data + j->len, doc->data, doc->len);
    j->len += doc->len;
    j->data[j->len++] = '\0';
    return true;
}

/* The parallel pipeline: the main thread's side. */
typedef struct {
    pool *p;
    emitter *em;
    job *cur;                 /* being filled, not yet handed to workers */
    int rc;
} feeder;

/* Writes every finished job at the head of the ring (wait: block for the oldest). */
static void drain(feeder *f, bool wait)
{
    pool *p = f->p;
    pthread_mutex_lock(&p->mu);
    while (p->head < p->tail) {
        job *old = &p->ring[p->head % p->nring];
        bool pressure = p->held > HELD_MAX / 2;
        if (!old->done) {
            if (!wait)
                break;
            pthread_cond_wait(&p->done, &p->mu);
            continue;
        }
        pthread_mutex_unlock(&p->mu);
        f->rc = vm_worst(f->rc, emit(f->em, p->b, old));
        double r = old->len ? (double)(old->out.len + old->err.len) / (double)old->len : 0;
        if (pressure || old->out.cap > 2 * p->job_out)
            trim(old);
        pthread_mutex_lock(&p->mu);
        if (r > p->ratio || p->ratio == 0)
            p->ratio = r > 0 ? r : 1e-9;
        account(p, old);
        p->head++;
        wait = false; /* one slot is enough */
    }
    pthread_mutex_unlock(&p->mu);
}

static void submit(feeder *f)
{
    pool *p = f->p;
    if (!f->cur)
        return;
    pthread_mutex_lock(&p->mu);
    account(p, f->cur);
    p->tail++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    f->cur = NULL;
    drain(f, false);
}

/* A free job slot (waiting for the oldest job to be written if needed). */
static job *slot(feeder *f)
{
    pool *p = f->p;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        /* in flight: at most HELD_MAX / (the largest job seen) jobs, one
         * until a job has finished; finished jobs count what they hold */
        size_t inflight = p->tail - p->head;
        bool full = inflight == p->nring ||
                    (inflight > 0 && (p->job_max == 0 || p->held > HELD_MAX ||
                                      (inflight + 1) * p->job_max > HELD_MAX));
        job *j = full ? NULL : &p->ring[p->tail % p->nring];
        pthread_mutex_unlock(&p->mu);
        if (j)
            return j;
        drain(f, true);
    }
}

/* A file from a directory that is not for vmctr: counted, and named on
 * stderr with --verbose. api: its apiVersion, or NULL (no document). */
static void skip_foreign(const vm_batch *b, vm_batch_stats *st, const char *display, const char *api)
{
    st->foreign++;
    if (!b->verbose)
        return;
    fflush(b->out);
    /* one line through vm_eprintf: the file name and the apiVersion are
     * the input's, neutralised as every diagnostic is */
    if (!api)
        vm_eprintf("%s: %s: skipped: no document\n", VM_PROG, display);
    else if (strncmp(api, "vmctr/", 6) == 0)
        vm_eprintf("%s: %s: skipped: a vmctr file of another kind than WorkloadProfile\n", VM_PROG, display);
    else if (*api)
        vm_eprintf("%s: %s: skipped: apiVersion '%s' is not vmctr's\n", VM_PROG, display, api);
    else
        vm_eprintf("%s: %s: skipped: no apiVersion: vmctr/v1\n", VM_PROG, display);
}

/* What one vm_batch_run keeps while it reads its inputs. */
typedef struct {
    const vm_batch *b;
    int jobs;
    pool *p;
    feeder *f;
    emitter *em;
    vm_worker *inline_worker;
    vm_batch_stats *stats;
    int rc;
} runner;

/* Hands one document to the inline worker (-j 1, processed and written at
 * once) or to the job being filled. False when out of memory (said). */
static bool feed(runner *r, const vm_doc *doc, const char *display, uint32_t src)
{
    if (r->jobs == 1) {
        job *j = &r->p->ring[0];
        if (!job_start(j, display, src) || !job_add(j, doc)) {
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
            r->rc = vm_worst(r->rc, VM_EIO);
            return false;
        }
        /* room for the largest report at once: grown by doubling, the
         * buffer would move through 1 KB ... 64 KB blocks, each new
         * memory (about twice the pages, each a page fault) */
        if (j->out.cap == 0 && !vm_buf_reserve(&j->out, JOB_OUT_FIRST))
            j->out.oom = false; /* not needed: it grows as before */
        run_job(r->b, r->inline_worker, j);
        r->rc = vm_worst(r->rc, emit(r->em, r->b, j));
        return true;
    }
    feeder *f = r->f;
    if (f->cur) {
        pthread_mutex_lock(&r->p->mu);
        double ratio = r->p->ratio;
        pthread_mutex_unlock(&r->p->mu);
        if (f->cur->src != src || job_full(f->cur, doc, ratio, r->p->job_out))
            submit(f);
    }
    if (!f->cur) {
        f->cur = slot(f);
        if (!job_start(f->cur, display, src)) {
            f->cur = NULL;
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
            r->rc = vm_worst(r->rc, VM_EIO);
            return false;
        }
    }
    if (!job_add(f->cur, doc)) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        r->rc = vm_worst(r->rc, VM_EIO);
        return false;
    }
    return true;
}

/* Reads every document of one input. A file of a directory is skipped when
 * its first non-empty document is not a vmctr one (vm_batch.detect), or is
 * vmctr YAML of another kind (a config, rules, waivers...) with no other
 * non-empty document after it; with more documents, every document from
 * that first one on is read, so the loader reports the wrong kind and no
 * profile in the file goes unchecked. */
static void read_input(runner *r, const vm_input *in, uint32_t src)
{
    char err[256];
    vm_source *s = vm_source_open(in->path, in->display, err, sizeof err);
    if (!s) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, in->display, err);
        r->rc = vm_worst(r->rc, VM_EIO);
        return;
    }
    bool decided = !(r->b->detect && in->from_dir), skipped = false;
    /* the first document when it is of another vmctr kind: a copy, since
     * the source's buffer moves on, until the next non-empty one decides */
    vm_doc held = {0};
    char *held_data = NULL;
    char api[64] = "";
    for (;;) {
        vm_doc doc;
        int k = vm_source_next(s, &doc, err, sizeof err);
        if (k < 0) {
            vm_eprintf("%s: %s: %s\n", VM_PROG, in->display, err);
            r->rc = vm_worst(r->rc, VM_EIO);
            skipped = true;
            break;
        }
        if (k == 0)
            break;
        if (!decided) {
            char next[sizeof api]; /* a later document's: the skip names the first's */
            int d = doc.too_large ? VM_DOC_PROFILE : vm_doc_api(&doc, held_data ? next : api, sizeof api);
            if (d == VM_DOC_EMPTY)
                continue; /* the next document decides */
            if (!held_data && d == VM_DOC_FOREIGN) {
                skip_foreign(r->b, r->stats, in->display, api);
                skipped = true;
                break;
            }
            if (!held_data && d == VM_DOC_OTHER_KIND) {
                held = doc;
                held_data = malloc(doc.len ? doc.len : 1);
                if (!held_data) {
                    fprintf(stderr, "%s: out of memory\n", VM_PROG);
                    r->rc = vm_worst(r->rc, VM_EIO);
                    skipped = true;
                    break;
                }
                memcpy(held_data, doc.data, doc.len);
                held.data = held_data;
                continue;
            }
            decided = true;
            if (held_data && !feed(r, &held, in->display, src))
                break;
        }
        if (!feed(r, &doc, in->display, src))
            break;
    }
    if (!decided && !skipped) /* nothing but empty documents, after one of another kind or none */
        skip_foreign(r->b, r->stats, in->display, held_data ? api : NULL);
    free(held_data);
    vm_source_free(s);
}

/* -j N after the last input: hands out the last job, writes every result
 * in order, then stops the workers. Returns the emitter's worst status. */
static int finish_jobs(feeder *f, pool *p)
{
    if (f->cur && f->cur->ndocs == 0)
        f->cur = NULL; /* started but empty: never handed out */
    submit(f);
    drain(f, false);
    pthread_mutex_lock(&p->mu);
    while (p->head < p->tail) {
        pthread_mutex_unlock(&p->mu);
        drain(f, true);
        pthread_mutex_lock(&p->mu);
    }
    p->stop = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    return f->rc;
}

/* Starts the threads of -j N; false (said) when none starts. */
static bool start_threads(pool *p, int jobs, pthread_t *threads, int *nthreads)
{
#if defined(__GLIBC__)
    /* glibc gives each thread a malloc arena of its own, up to 8 per core,
     * and memory freed in one stays mapped there: at -j 64 that was about
     * a sixth of the peak and most of its spread from run to run (53-69
     * MB). Two per online CPU serve every thread that can run at once;
     * -j N beyond that shares them. Set here, not at start: counting the
     * CPUs reads sysfs, which -j 1 does not need. */
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    mallopt(M_ARENA_MAX, ncpu > 0 && ncpu < 1024 ? (int)(2 * ncpu) : 8);
#endif
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    for (int i = 0; i < jobs; i++)
        if (pthread_create(&threads[*nthreads], NULL, worker_main, p) == 0)
            (*nthreads)++;
    if (*nthreads == 0)
        vm_eprintf("%s: cannot start threads\n", VM_PROG);
    return *nthreads > 0;
}

static void free_ring(pool *p)
{
    for (size_t i = 0; i < p->nring; i++) {
        free(p->ring[i].display);
        free(p->ring[i].data);
        vm_buf_free(&p->ring[i].out);
        vm_buf_free(&p->ring[i].err);
    }
    free(p->ring);
}

int vm_batch_run(const vm_batch *b, const vm_cli *cli, char **operands, int n)
{
    vm_inputs *inputs;
    int rc = vm_inputs_new(&inputs, cli, operands, n);
    if (rc)
        return rc;
    vm_inputs_exclude(inputs, b->exclude, b->nexclude);
    vm_batch_stats stats = {0};
    int jobs = b->jobs < 1 ? 1 : b->jobs > VM_MAX_JOBS ? VM_MAX_JOBS : b->jobs;
    pool p = {.b = b};
    p.nring = jobs == 1 ? 1 : (size_t)jobs * 2;
    p.job_out = job_out_for(jobs);
    p.ring = calloc(p.nring, sizeof(job));
    pthread_t threads[VM_MAX_JOBS];
    int nthreads = 0;
    vm_worker inline_worker;
    bool inline_ok = false;
    emitter em;
    memset(&em, 0, sizeof em);
    feeder f = {.p = &p, .em = &em};
    runner r = {.b = b, .jobs = jobs, .p = &p, .f = &f, .em = &em, .inline_worker = &inline_worker,
                .stats = &stats};
    if (!p.ring) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        vm_inputs_free(inputs);
        return VM_EIO;
    }
    if (jobs == 1) {
        inline_ok = worker_init(&inline_worker, b);
        if (!inline_ok) {
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
            r.rc = VM_EIO;
            goto out;
        }
    } else if (!start_threads(&p, jobs, threads, &nthreads)) {
        r.rc = VM_EIO;
        goto out;
    }
    uint32_t src = 0;
    for (const vm_input *in; (in = vm_inputs_next(inputs)); src++)
        read_input(&r, in, src);
    if (jobs > 1)
        r.rc = vm_worst(r.rc, finish_jobs(&f, &p));
    r.rc = vm_worst(r.rc, flush_source(&em, b->out));
out:
    for (int i = 0; i < nthreads; i++)
        pthread_join(threads[i], NULL);
    if (jobs > 1) {
        pthread_mutex_destroy(&p.mu);
        pthread_cond_destroy(&p.work);
        pthread_cond_destroy(&p.done);
    }
    if (inline_ok)
        worker_fini(&inline_worker);
    free_ring(&p);
    vm_buf_free(&em.scratch);
    rc = vm_worst(r.rc, vm_inputs_status(inputs));
    stats.documents = em.total;
    stats.excluded = (uint32_t)vm_inputs_excluded(inputs);
    if (b->stats)
        *b->stats = stats;
    vm_inputs_free(inputs);
    return rc;
}
