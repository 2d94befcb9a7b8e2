/*
 * dynlib.c - loading a third-party library on first use (see dynlib.h):
 * dlopen() by SONAME, dlsym() of every function in the table, and the
 * error when that cannot be done. The handle stays open until the
 * process exits (never dlclose()d once loaded), like a linked library:
 * nothing to free, nothing for LeakSanitizer to report.
 *
 * Running out of memory is told apart from a missing or broken library:
 * dlopen only gives a message (errno is left as it was), so ld.so's
 * allocation failures are recognised by their words, and a segment it
 * could not map (what an address-space limit gives) counts as memory
 * when a 16 MiB anonymous mapping fails too - the one way to tell ENOMEM
 * from, say, a noexec mount.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS (POSIX has it only from 2024) */
#include "dynlib.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>

/* glibc's dl-load.c words its allocation failures "cannot allocate ...",
 * "cannot create ..." (the object descriptor, search list, scope), some
 * ending in strerror's "Cannot allocate memory"; dlerror's own fallback
 * when it cannot allocate the message is "out of memory". "failed to map
 * segment from shared object" is mmap failing: ENOMEM under an
 * address-space or map count limit, EPERM on a noexec mount; a 16 MiB
 * mapping (libcrypto, the largest library loaded, spans 4.5 MiB) that
 * fails too tells which. A missing or broken library says "cannot open
 * shared object file", "undefined symbol", "wrong ELF class" and so on. */
bool vm_dynlib_oom(const char *e)
{
    if (!e)
        return false;
    /* Not the object's directory: dlerror names the object first
     * ("DIR/libcsv.so.3: file too short"), and DIR comes from
     * LD_LIBRARY_PATH or a RUNPATH, where it can be any text without a
     * ':' ("/tmp/cannot create/libcsv.so.3: ..." is no memory error). */
    const char *colon = strchr(e, ':');
    for (const char *s = e; colon && s < colon; s++)
        if (*s == '/')
            e = s + 1;
    if (strstr(e, "cannot allocate") || strstr(e, "Cannot allocate") || strstr(e, "cannot create") ||
        strstr(e, "out of memory"))
        return true;
    if (!strstr(e, "failed to map segment"))
        return false;
    size_t n = (size_t)16 << 20;
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return errno == ENOMEM;
    munmap(p, n);
    return false;
}

void vm_dynlib_load(vm_dynlib *l)
{
    void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        if (e)
            snprintf(l->why, sizeof l->why, "%s%s", vm_dynlib_oom(e) ? "out of memory: " : "", e);
        else
            snprintf(l->why, sizeof l->why, "%s: not found", l->soname);
        return;
    }
    for (size_t i = 0; i < l->n; i++) {
        l->ptrs[i] = dlsym(h, l->names[i]);
        if (!l->ptrs[i]) {
            snprintf(l->why, sizeof l->why, "%s has no %s", l->soname, l->names[i]);
            dlclose(h);
            return;
        }
    }
    l->fill(l->ptrs);
    l->loaded = true;
}

bool vm_dynlib_ready(vm_dynlib *l, pthread_once_t *once, void (*init)(void), const char *file, vm_diags *d)
{
    if (pthread_once(once, init) == 0 && l->loaded)
        return true;
    vm_diag_add(d, VM_SEV_ERROR, file, 1, 1, "", "cannot read %s: %s could not be loaded (%s)", l->what, l->lib,
                l->why[0] ? l->why : "pthread_once failed");
    return false;
}
