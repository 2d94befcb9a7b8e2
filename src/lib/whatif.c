/*
 * whatif.c - the --what-if report (vm_report_what_if, vmctr/report.h): the
 * same profile with some answers changed, evaluated like the real one and
 * attached to its report, so every renderer shows both.
 */
#include "vmctr/report.h"

#include <stdio.h>
#include <string.h>

/* A copy of p whose components can be changed without touching p's. */
static vm_profile *copy_profile(vm_arena *a, const vm_profile *p)
{
    vm_profile *alt = vm_arena_alloc(a, sizeof *alt);
    if (!alt)
        return NULL;
    *alt = *p;
    if (p->ncomponents) {
        alt->components = vm_arena_alloc(a, p->ncomponents * sizeof(vm_component));
        if (!alt->components)
            return NULL;
        memcpy(alt->components, p->components, p->ncomponents * sizeof(vm_component));
    }
    return alt;
}

vm_status vm_report_what_if(vm_arena *a, vm_engine *e, vm_report *rep, unsigned flags, const char *const *set,
                            uint32_t n, char *err, size_t errcap)
{
    vm_profile *alt = copy_profile(a, rep->profile);
    vm_report *wrep = vm_arena_alloc(a, sizeof *wrep);
    if (!alt || !wrep) {
        snprintf(err, errcap, "out of memory");
        return VM_EIO;
    }
    for (uint32_t i = 0; i < n; i++) {
        /* an answer applies wherever the field does: the parent and every
         * component that inherits it, not one that sets it itself */
        int fid = -1;
        vm_status st = vm_values_set_text(a, &alt->values, set[i], &fid, err, errcap);
        if (st != VM_OK)
            return st == VM_EIO ? VM_EIO : VM_EUSAGE; /* out of memory is not the user's mistake */
        /* the same text applies to each component (it did to the parent):
         * only out of memory can fail here */
        for (uint32_t c = 0; c < alt->ncomponents; c++)
            if ((fid < 0 || !((alt->components[c].own >> fid) & 1u)) &&
                vm_values_set_text(a, &alt->components[c].values, set[i], NULL, err, errcap) != VM_OK)
                return VM_EIO;
    }
    if (vm_report_build(a, e, alt, flags, wrep) != VM_OK) {
        snprintf(err, errcap, "out of memory");
        return VM_EIO;
    }
    rep->what_if = wrep;
    rep->what_if_set = set;
    rep->nwhat_if = n;
    return VM_OK;
}
