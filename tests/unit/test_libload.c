/*
 * test_libload.c - libraries loaded on first use (src/lib/dynlib.h) that
 * cannot be loaded, and a loader that runs out of memory. This program is
 * linked with its own copies of src/lib/zipread.c, xlsx.c and csvread.c,
 * compiled with SONAMEs that do not exist (tests/CMakeLists.txt), so
 * their dlopen() fails as it would on a system without libzip4, libexpat1
 * or libcsv3: reading an .xlsx or a CSV file is then an error at the
 * file's line 1 (VM_EIO: exit 5, docs/import.md), every time it is tried
 * and from any thread, never a crash. The real libzip (VMCTR_TEST_REAL_SONAME),
 * loaded under an address-space limit in a child process, says "out of
 * memory", as `ulimit -v` gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dynlib.h"
#include "invtab.h"
#include "vmctr/sys/inventory.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

static char *fixture;
static size_t fixture_len;
static const char csv[] = "VM,Powerstate\r\nweb-01,poweredOn\r\n";

static void read_fixture(void)
{
    FILE *f = fopen(VMCTR_TESTS_DIR "/fuzz/corpus/import_xlsx/small.xlsx", "rb");
    assert_non_null(f);
    fixture = malloc(1 << 20);
    assert_non_null(fixture);
    fixture_len = fread(fixture, 1, 1 << 20, f);
    fclose(f);
    assert_true(fixture_len > 4 && memcmp(fixture, "PK\x03\x04", 4) == 0);
}

/* ---- a library that is not there ----------------------------------------- */

static bool no_rows(void *ctx, const vm_row *r)
{
    (void)ctx, (void)r;
    return false;
}

/* Reads with library k (0 libzip, 1 expat, 2 libcsv) into d: expat is
 * asked for by vm_xlsx_open before it touches the archive, which cannot
 * be opened here (libzip is missing too). */
static vm_status read_with(int k, vm_diags *d)
{
    if (k == 0) {
        vm_zip *z = (vm_zip *)1;
        vm_status st = vm_zip_open(fixture, fixture_len, "small.xlsx", &z, d);
        return st == VM_EIO && z != NULL ? VM_OK : st;
    }
    if (k == 1) {
        vm_xlsx *x = (vm_xlsx *)1;
        vm_status st = vm_xlsx_open(NULL, "small.xlsx", &x, d);
        return st == VM_EIO && x != NULL ? VM_OK : st;
    }
    return vm_csv_read(csv, sizeof csv - 1, "vinfo.csv", "vInfo", no_rows, NULL, d);
}

static const struct {
    const char *want, *soname;
} refusal[] = {
    {"small.xlsx:1:1: error: cannot read .xlsx files: libzip could not be loaded (", VMCTR_LIBZIP_SONAME},
    {"small.xlsx:1:1: error: cannot read .xlsx files: libexpat could not be loaded (", VMCTR_EXPAT_SONAME},
    {"vinfo.csv:1:1: error: cannot read CSV files: libcsv could not be loaded (", VMCTR_LIBCSV_SONAME},
};

/* One read with library k: VM_EIO and exactly one error, at 1:1, whose
 * dlerror() words name the SONAME asked for. */
static void refused(int k)
{
    vm_diags *d = malloc(sizeof *d);
    assert_non_null(d);
    vm_diags_clear(d);
    assert_int_equal(read_with(k, d), VM_EIO);
    assert_int_equal(d->errors, 1);
    assert_int_equal(d->count, 1);
    char line[1024];
    vm_diag_format(&d->items[0], line, sizeof line);
    if (strncmp(line, refusal[k].want, strlen(refusal[k].want)) != 0)
        fail_msg("got: %s\nwant: %s...", line, refusal[k].want);
    if (!strstr(line, refusal[k].soname))
        fail_msg("the message does not name %s: %s", refusal[k].soname, line);
    free(d);
}

/* libzip through the importer: the same error, and nothing else */
static void import_refused(void)
{
    vm_import_opts o = {.group_by = "folder"};
    vm_import *im = vm_import_new(&o);
    assert_non_null(im);
    vm_diags *d = malloc(sizeof *d);
    assert_non_null(d);
    vm_diags_clear(d);
    assert_int_equal(vm_import_rvtools_xlsx(im, fixture, fixture_len, "small.xlsx", d), VM_EIO);
    assert_int_equal(d->count, 1);
    char line[1024];
    vm_diag_format(&d->items[0], line, sizeof line);
    if (strncmp(line, refusal[0].want, strlen(refusal[0].want)) != 0)
        fail_msg("got: %s", line);
    free(d);
    vm_import_free(im);
}

static void load_failure_is_an_error(void **state)
{
    (void)state;
    import_refused();
    for (int k = 0; k < 3; k++)
        refused(k);
}

static void load_failure_is_remembered(void **state)
{
    (void)state;
    import_refused();
    for (int k = 0; k < 3; k++) {
        refused(k);
        refused(k);
    }
}

static void *read_in_thread(void *arg)
{
    vm_diags *d = malloc(sizeof *d);
    if (!d)
        return (void *)1;
    vm_diags_clear(d);
    bool ok = read_with((int)(intptr_t)arg % 3, d) == VM_EIO && d->count == 1 && d->items[0].line == 1 &&
              d->items[0].col == 1;
    free(d);
    return ok ? NULL : (void *)1;
}

/* the first use of each library is in several threads at once */
static void load_failure_from_threads(void **state)
{
    (void)state;
    pthread_t t[6];
    for (int i = 0; i < 6; i++)
        assert_int_equal(pthread_create(&t[i], NULL, read_in_thread, (void *)(intptr_t)i), 0);
    for (int i = 0; i < 6; i++) {
        void *r = (void *)1;
        assert_int_equal(pthread_join(t[i], &r), 0);
        assert_null(r);
    }
}

/* ---- out of memory ---------------------------------------------------------- */

#ifndef UNDER_ASAN
static void no_fill(void *const *p) { (void)p; }

/* Loads the real libzip in a child whose address space is limited to what
 * it already has plus 64 KiB (libzip brings libcrypto): not loaded, and
 * the reason says "out of memory: ". Exit status 0 when so. */
static int load_under_limit(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (!f || fscanf(f, "%lu", &pages) != 1)
        return 3;
    fclose(f);
    static const char *const names[] = {"zip_open_from_source"};
    static void *ptrs[1];
    static vm_dynlib l = {VMCTR_TEST_REAL_SONAME, "libzip", ".xlsx files", names, 1, ptrs, no_fill, false, ""};
    rlim_t lim = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + (64u << 10);
    struct rlimit rl = {lim, lim};
    if (setrlimit(RLIMIT_AS, &rl) != 0)
        return 3;
    vm_dynlib_load(&l);
    if (!l.loaded && strncmp(l.why, "out of memory: ", 15) == 0)
        return 0;
    fprintf(stderr, "under RLIMIT_AS=%lu: loaded %d, why: %s\n", (unsigned long)lim, (int)l.loaded, l.why);
    return 2;
}
#endif

/* Not built under ASan, whose shadow memory needs more address space than
 * any limit here: the release and clang builds run it (a cmocka skip()
 * would count as a pass in ctest). */
#ifndef UNDER_ASAN
static void load_out_of_memory(void **state)
{
    (void)state;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(load_under_limit());
    int ws = 0;
    assert_int_equal(waitpid(pid, &ws, 0), pid);
    assert_true(WIFEXITED(ws));
    assert_int_equal(WEXITSTATUS(ws), 0);
}
#endif

static void oom_words(void **state)
{
    (void)state;
    assert_true(vm_dynlib_oom("libz.so.1: cannot create shared object descriptor: Cannot allocate memory"));
    assert_true(vm_dynlib_oom("cannot allocate symbol search list"));
    assert_true(vm_dynlib_oom("out of memory"));
    assert_false(vm_dynlib_oom(NULL));
    assert_false(vm_dynlib_oom("libcsv.so.3: cannot open shared object file: No such file or directory"));
    assert_false(vm_dynlib_oom("/x/libexpat.so.1: wrong ELF class: ELFCLASS32"));
    /* the words in the object's directory (LD_LIBRARY_PATH) are not the loader's */
    assert_false(vm_dynlib_oom("/tmp/cannot create/libcsv.so.3: file too short"));
    assert_false(vm_dynlib_oom("lib/out of memory/libzip.so.4: invalid ELF header"));
    assert_true(vm_dynlib_oom("/usr/lib/libcrypto.so.3: cannot create shared object descriptor: Cannot allocate memory"));
    assert_true(vm_dynlib_oom("cannot create RUNPATH/RPATH copy: Cannot allocate memory"));
    /* a segment could not be mapped, but 16 MiB can: not memory (noexec) */
    assert_false(vm_dynlib_oom("libzip.so.4: failed to map segment from shared object"));
}

int main(void)
{
    read_fixture();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(load_failure_from_threads),
        cmocka_unit_test(load_failure_is_an_error),
        cmocka_unit_test(load_failure_is_remembered),
#ifndef UNDER_ASAN
        cmocka_unit_test(load_out_of_memory),
#endif
        cmocka_unit_test(oom_words),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(fixture);
    return rc;
}
