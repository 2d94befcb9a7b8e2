/* target.c - paradigm and platform ids (see target.h). */
#include "vmctr/target.h"
#include "scalar.h"

/* Each name is checked against VM_NAME_MAX at compile time (the JSON
 * writer keeps keys in fixed-size slots): a longer one does not build. */
#define NAME(s) ((s) + 0 * sizeof(char[sizeof(s) - 1 <= VM_NAME_MAX ? 1 : -1]))

static const char *const names[] = {
#define VM_X_(id, s) NAME(s),
    VM_TARGET_LIST(VM_X_)
#undef VM_X_
};
_Static_assert(sizeof names / sizeof names[0] == VM_TARGET_COUNT, "a name per vm_target");
/* excluded, applies_to, platform_tied: a bit per target in a uint16_t */
_Static_assert(VM_TARGET_COUNT <= 16, "target bit sets are uint16_t");

const int vm_paradigm_spec_order[] = {
    VM_T_VM, VM_T_CONTAINER, VM_T_HYBRID, VM_T_MICROVM,
};
_Static_assert(sizeof vm_paradigm_spec_order / sizeof vm_paradigm_spec_order[0] == VM_PARADIGM_COUNT,
               "every paradigm once");
_Static_assert(VM_T_VM == 0 && VM_T_HYBRID == VM_PARADIGM_COUNT - 1 && VM_FIRST_PLATFORM == VM_PARADIGM_COUNT,
               "paradigms are the ids below VM_PARADIGM_COUNT, platforms the ones after");

const char *vm_target_name(int t)
{
    return t >= 0 && t < VM_TARGET_COUNT ? names[t] : "none";
}

int vm_target_find(const char *name, size_t len)
{
    return vm_scalar_index(name, len, names, VM_TARGET_COUNT);
}

int vm_platform_family(int p)
{
    if (p >= VM_T_VMWARE_ESXI && p <= VM_T_CLOUD_VM)
        return VM_T_VM;
    if (p == VM_T_DOCKER || p == VM_T_KUBERNETES)
        return VM_T_CONTAINER;
    if (p >= VM_T_KATA_CONTAINERS && p <= VM_T_GVISOR)
        return VM_T_MICROVM;
    return -1;
}

bool vm_paradigm_runs(int paradigm, int family)
{
    if (family != VM_T_VM && family != VM_T_CONTAINER && family != VM_T_MICROVM)
        return false;
    return paradigm == family || (paradigm == VM_T_HYBRID && family != VM_T_MICROVM);
}

bool vm_family_range(int family, int *lo, int *hi)
{
    switch (family) {
    case VM_T_VM: *lo = VM_T_VMWARE_ESXI; *hi = VM_T_CLOUD_VM; return true;
    case VM_T_CONTAINER: *lo = VM_T_DOCKER; *hi = VM_T_KUBERNETES; return true;
    case VM_T_MICROVM: *lo = VM_T_KATA_CONTAINERS; *hi = VM_T_GVISOR; return true;
    default: return false;
    }
}
