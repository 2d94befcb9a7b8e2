/* target.c - paradigm and platform ids (see target.h). */
#include "vmctr/target.h"

#include <string.h>

static const char *const names[VM_TARGET_COUNT] = {
    "vm", "container", "microvm", "hybrid",
    "vmware-esxi", "hyper-v", "kvm-ovirt", "proxmox-ve", "cloud-vm",
    "docker", "kubernetes",
    "kata-containers", "firecracker", "gvisor",
};

const int vm_paradigm_spec_order[VM_PARADIGM_COUNT] = {
    VM_T_VM, VM_T_CONTAINER, VM_T_HYBRID, VM_T_MICROVM,
};

const char *vm_target_name(int t)
{
    return t >= 0 && t < VM_TARGET_COUNT ? names[t] : "none";
}

int vm_target_find(const char *name, size_t len)
{
    for (int i = 0; i < VM_TARGET_COUNT; i++)
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
            return i;
    return -1;
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

bool vm_family_range(int family, int *lo, int *hi)
{
    switch (family) {
    case VM_T_VM: *lo = VM_T_VMWARE_ESXI; *hi = VM_T_CLOUD_VM; return true;
    case VM_T_CONTAINER: *lo = VM_T_DOCKER; *hi = VM_T_KUBERNETES; return true;
    case VM_T_MICROVM: *lo = VM_T_KATA_CONTAINERS; *hi = VM_T_GVISOR; return true;
    default: return false;
    }
}
