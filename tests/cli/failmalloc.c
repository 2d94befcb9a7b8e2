/*
 * failmalloc.c - LD_PRELOAD shim for the allocation-failure ("torture")
 * test, in the style of curl's: counts malloc, calloc and realloc calls and
 * makes the Nth fail (returns NULL with errno ENOMEM) when
 * VMCTR_FAIL_AT=N is set. With VMCTR_ALLOC_COUNT=FILE it writes the number
 * of calls to FILE at exit, so the driver knows which N exist; with
 * VMCTR_FAIL_TRACE set, the failing call's backtrace goes to stderr (for
 * debugging: `addr2line -f -e vmctr ADDR`). tests/cli/torture.py drives it.
 * Release builds only: ASan replaces the allocator itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <execinfo.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static atomic_long calls;
static long fail_at = -1;
static int ready;

static void init(void)
{
    if (ready)
        return;
    ready = 1;
    const char *v = getenv("VMCTR_FAIL_AT");
    if (v && *v)
        fail_at = atol(v);
}

static int fail(void)
{
    init();
    long n = atomic_fetch_add(&calls, 1) + 1;
    if (n == fail_at) {
        if (getenv("VMCTR_FAIL_TRACE")) {
            void *bt[32];
            int k = backtrace(bt, 32);
            backtrace_symbols_fd(bt, k, 2);
        }
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *malloc(size_t n) { return fail() ? NULL : __libc_malloc(n); }
void *calloc(size_t a, size_t b) { return fail() ? NULL : __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { return fail() ? NULL : __libc_realloc(p, n); }

__attribute__((destructor)) static void report(void)
{
    const char *f = getenv("VMCTR_ALLOC_COUNT");
    if (!f || !*f)
        return;
    int fd = open(f, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return;
    char buf[32];
    int len = snprintf(buf, sizeof buf, "%ld\n", (long)atomic_load(&calls));
    if (len > 0)
        (void)!write(fd, buf, (size_t)len);
    close(fd);
}
