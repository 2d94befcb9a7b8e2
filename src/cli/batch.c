/* batch.c - ordered, bounded, optionally parallel document processing (see batch.h). */
#include "batch.h"
#include "inputs.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *display;
    uint32_t src;             /* input sequence number */
    char *data;
    size_t len, cap;
    vm_doc doc;
    vm_buf out, err;
    int status;
    bool done;
} job;

typedef struct {
    const vm_batch *b;
    job *ring;
    size_t nring;
    size_t head, tail, next;  /* head: oldest not written; next: first not taken; tail: first free */
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    bool stop;
} pool;

void vm_batch_diags(vm_buf *err, const vm_diags *d)
{
    char line[640];
    for (size_t i = 0; i < d->count; i++) {
        size_t n = vm_diag_format(&d->items[i], line, sizeof line);
        vm_buf_put(err, line, n);
        vm_buf_putc(err, '\n');
    }
    if (d->dropped && d->count)
        vm_buf_printf(err, "%s: note: %zu more errors not shown\n", d->items[0].file, d->dropped);
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
    vm_arena_reset(w->arena);
    vm_diags_clear(&w->diags);
    j->status = b->process(b->ctx, w, j->display, &j->doc, &j->out, &j->err);
}

static void *worker_main(void *arg)
{
    pool *p = arg;
    vm_worker w;
    bool ok = worker_init(&w, p->b);
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
            vm_buf_reset(&j->out);
            vm_buf_reset(&j->err);
            vm_buf_printf(&j->err, "%s: out of memory\n", VM_PROG);
            j->status = VM_EIO;
        }
        pthread_mutex_lock(&p->mu);
        j->done = true;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    worker_fini(&w);
    return NULL;
}

typedef struct {
    uint32_t src;
    const char *display;
    uint32_t nonempty;
    bool any;
    char last_display[512];
} emitter;

static int flush_source(emitter *e, const vm_batch *b)
{
    (void)b;
    if (e->any && e->nonempty == 0) {
        fprintf(stderr, "%s:1:1: error: empty file: no profile\n", e->last_display);
        e->any = false;
        return VM_EPROFILE;
    }
    e->any = false;
    return 0;
}

static int emit(emitter *e, const vm_batch *b, job *j)
{
    int rc = 0;
    if (!e->any || e->src != j->src) {
        rc = flush_source(e, b);
        e->src = j->src;
        e->nonempty = 0;
        e->any = true;
        snprintf(e->last_display, sizeof e->last_display, "%s", j->display);
    }
    if (b->collect)
        b->collect(b->ctx, j->status, &j->out);
    if (j->out.len)
        fwrite(j->out.data, 1, j->out.len, b->out);
    if (j->err.len) {
        fflush(b->out);
        fwrite(j->err.data, 1, j->err.len, stderr);
    }
    if (j->out.oom || j->err.oom) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        rc = vm_worst(rc, VM_EIO);
    }
    if (j->status != VM_BATCH_EMPTY) {
        e->nonempty++;
        rc = vm_worst(rc, j->status);
    }
    return rc;
}

static bool job_fill(job *j, const char *display, uint32_t src, const vm_doc *doc)
{
    size_t dl = strlen(display) + 1;
    char *d = realloc(j->display, dl);
    if (!d)
        return false;
    j->display = d;
    memcpy(j->display, display, dl);
    if (j->cap < doc->len + 1) {
        char *p = realloc(j->data, doc->len + 1);
        if (!p)
            return false;
        j->data = p;
        j->cap = doc->len + 1;
    }
    memcpy(j->data, doc->data, doc->len);
    j->data[doc->len] = '\0';
    j->len = doc->len;
    j->doc = *doc;
    j->doc.data = j->data;
    j->src = src;
    j->done = false;
    return true;
}

int vm_batch_run(const vm_batch *b, const vm_cli *cli, char **operands, int n)
{
    vm_inputs *inputs;
    int rc = vm_inputs_new(&inputs, cli, operands, n);
    if (rc)
        return rc;
    int jobs = b->jobs < 1 ? 1 : b->jobs > VM_MAX_JOBS ? VM_MAX_JOBS : b->jobs;
    pool p = {.b = b};
    p.nring = jobs == 1 ? 1 : (size_t)jobs * 8;
    p.ring = calloc(p.nring, sizeof(job));
    pthread_t threads[VM_MAX_JOBS];
    int nthreads = 0;
    vm_worker inline_worker;
    bool inline_ok = false;
    if (!p.ring) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        vm_inputs_free(inputs);
        return VM_EIO;
    }
    if (jobs == 1) {
        inline_ok = worker_init(&inline_worker, b);
        if (!inline_ok) {
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
            rc = VM_EIO;
            goto out;
        }
    } else {
        pthread_mutex_init(&p.mu, NULL);
        pthread_cond_init(&p.work, NULL);
        pthread_cond_init(&p.done, NULL);
        for (int i = 0; i < jobs; i++)
            if (pthread_create(&threads[nthreads], NULL, worker_main, &p) == 0)
                nthreads++;
        if (nthreads == 0) {
            fprintf(stderr, "%s: cannot start threads\n", VM_PROG);
            rc = VM_EIO;
            goto out;
        }
    }
    emitter em = {0};
    uint32_t src = 0;
    for (const vm_input *in; (in = vm_inputs_next(inputs)); src++) {
        char err[256];
        vm_source *s = vm_source_open(in->path, in->display, err, sizeof err);
        if (!s) {
            fprintf(stderr, "%s: %s: %s\n", VM_PROG, in->display, err);
            rc = vm_worst(rc, VM_EIO);
            continue;
        }
        for (;;) {
            vm_doc doc;
            int r = vm_source_next(s, &doc, err, sizeof err);
            if (r < 0) {
                fprintf(stderr, "%s: %s: %s\n", VM_PROG, in->display, err);
                rc = vm_worst(rc, VM_EIO);
                break;
            }
            if (r == 0)
                break;
            if (jobs == 1) {
                job *j = &p.ring[0];
                if (!job_fill(j, in->display, src, &doc)) {
                    rc = vm_worst(rc, VM_EIO);
                    break;
                }
                run_job(b, &inline_worker, j);
                rc = vm_worst(rc, emit(&em, b, j));
                continue;
            }
            pthread_mutex_lock(&p.mu);
            /* ring full: write out the oldest first */
            while (p.tail - p.head == p.nring) {
                job *old = &p.ring[p.head % p.nring];
                while (!old->done)
                    pthread_cond_wait(&p.done, &p.mu);
                pthread_mutex_unlock(&p.mu);
                rc = vm_worst(rc, emit(&em, b, old));
                pthread_mutex_lock(&p.mu);
                p.head++;
            }
            job *j = &p.ring[p.tail % p.nring];
            pthread_mutex_unlock(&p.mu);
            bool ok = job_fill(j, in->display, src, &doc);
            pthread_mutex_lock(&p.mu);
            if (ok) {
                p.tail++;
                pthread_cond_signal(&p.work);
            }
            /* write whatever is done, in order, without waiting */
            while (p.head < p.tail && p.ring[p.head % p.nring].done) {
                job *old = &p.ring[p.head % p.nring];
                pthread_mutex_unlock(&p.mu);
                rc = vm_worst(rc, emit(&em, b, old));
                pthread_mutex_lock(&p.mu);
                p.head++;
            }
            pthread_mutex_unlock(&p.mu);
            if (!ok) {
                fprintf(stderr, "%s: out of memory\n", VM_PROG);
                rc = vm_worst(rc, VM_EIO);
                break;
            }
        }
        vm_source_free(s);
    }
    if (jobs > 1) {
        pthread_mutex_lock(&p.mu);
        while (p.head < p.tail) {
            job *old = &p.ring[p.head % p.nring];
            while (!old->done)
                pthread_cond_wait(&p.done, &p.mu);
            pthread_mutex_unlock(&p.mu);
            rc = vm_worst(rc, emit(&em, b, old));
            pthread_mutex_lock(&p.mu);
            p.head++;
        }
        p.stop = true;
        pthread_cond_broadcast(&p.work);
        pthread_mutex_unlock(&p.mu);
    }
    rc = vm_worst(rc, flush_source(&em, b));
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
    for (size_t i = 0; i < p.nring; i++) {
        free(p.ring[i].display);
        free(p.ring[i].data);
        vm_buf_free(&p.ring[i].out);
        vm_buf_free(&p.ring[i].err);
    }
    free(p.ring);
    rc = vm_worst(rc, vm_inputs_status(inputs));
    vm_inputs_free(inputs);
    return rc;
}
