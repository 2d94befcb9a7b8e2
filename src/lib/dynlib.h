/*
 * dynlib.h (internal) - a third-party library loaded on first use
 * (docs/architecture.md "Libraries loaded on first use"): libzip
 * (zipread.c), expat (xlsx.c) and libcsv (csvread.c) are not linked into
 * vmctr, so the dynamic linker maps and relocates none of them (nor
 * libzip's libcrypto) at the start of every command; the one file that
 * wraps each library dlopen()s it by its SONAME (read by CMake from the
 * library pkg-config or find_library resolved) the first time it is
 * needed, once per process, and keeps it until exit.
 *
 * In that file, after `typedef RET dl_NAME(ARGS);` for every function of
 * an X-macro list `#define FUNCS(X) X(NAME) ...`, written from the
 * library's header:
 *
 *     VM_DYNLIB(lz, VMCTR_LIBZIP_SONAME, "libzip", ".xlsx files", FUNCS)
 *
 * checks each dl_NAME against the header's prototype at compile time (an
 * unevaluated _Generic: nothing references the library, and nothing
 * links it), declares the table `static struct lz_table {dl_NAME *NAME;
 * ...} lz;` and defines `static bool lz_ready(const char *file, vm_diags
 * *d)`: true once every function is in `lz`; else false with
 * `FILE:1:1: error: cannot read .xlsx files: libzip could not be loaded
 * (WHY)` in d, every time, from any thread. WHY is dlerror()'s, or "SONAME
 * has no NAME"; it starts with "out of memory: " when the loader ran out
 * of memory (its words, or a segment it could not map while a 16 MiB
 * anonymous mapping fails too). The caller returns VM_EIO (exit 5).
 */
#ifndef VMCTR_DYNLIB_H
#define VMCTR_DYNLIB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "vmctr/diag.h"

typedef struct {
    const char *soname;         /* what dlopen() is asked for */
    const char *lib;            /* its name in messages: "libzip" */
    const char *what;           /* what cannot be read without it: ".xlsx files" */
    const char *const *names;   /* the functions, in table order */
    size_t n;
    void **ptrs;                /* n slots for dlsym's results */
    void (*fill)(void *const *ptrs); /* copies them into the typed table */
    bool loaded;
    char why[256];              /* why loading failed */
} vm_dynlib;

/* The load itself, run once through pthread_once by VM_DYNLIB's _ready. */
void vm_dynlib_load(vm_dynlib *l);

/* Runs init once (pthread_once); true if l is loaded, else false with the
 * error at FILE:1:1 added to d. */
bool vm_dynlib_ready(vm_dynlib *l, pthread_once_t *once, void (*init)(void), const char *file, vm_diags *d);

/* Whether dlerror()'s message e says the loader ran out of memory. */
bool vm_dynlib_oom(const char *e);

#define VM_DL_CHECK_(n) _Static_assert(_Generic(&n, dl_##n *: 1, default: 0), #n ": type differs from its header");
#define VM_DL_MEMBER_(n) dl_##n *n;
#define VM_DL_NAME_(n) #n,
/* POSIX makes dlsym's void * usable as a function pointer; copied rather
 * than cast, which ISO C leaves undefined (-Wpedantic) */
#define VM_DL_COPY_(n)                                                                                  \
    _Static_assert(sizeof *p == sizeof t->n, "function and object pointers differ in size");           \
    memcpy(&t->n, p++, sizeof t->n);

#define VM_DYNLIB(T, soname, lib, what, FUNCS)                                                          \
    _Static_assert(sizeof soname > 1, "the SONAME is empty (dlopen(\"\") is the program itself)");     \
    FUNCS(VM_DL_CHECK_)                                                                                 \
    static struct T##_table {                                                                           \
        FUNCS(VM_DL_MEMBER_)                                                                            \
    } T;                                                                                                \
    static const char *const T##_names_[] = {FUNCS(VM_DL_NAME_)};                                      \
    static void *T##_ptrs_[sizeof T##_names_ / sizeof T##_names_[0]];                                  \
    static void T##_fill_(void *const *p)                                                               \
    {                                                                                                   \
        struct T##_table *t = &T;                                                                       \
        FUNCS(VM_DL_COPY_)                                                                              \
    }                                                                                                   \
    static vm_dynlib T##_lib_ = {soname, lib, what, T##_names_, sizeof T##_names_ / sizeof T##_names_[0], \
                                 T##_ptrs_, T##_fill_, false, ""};                                      \
    static pthread_once_t T##_once_ = PTHREAD_ONCE_INIT;                                                \
    static void T##_init_(void) { vm_dynlib_load(&T##_lib_); }                                          \
    static bool T##_ready(const char *file, vm_diags *d)                                                \
    {                                                                                                   \
        return vm_dynlib_ready(&T##_lib_, &T##_once_, T##_init_, file, d);                              \
    }

#endif
