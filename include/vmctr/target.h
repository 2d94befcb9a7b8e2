/*
 * vmctr/target.h - what a recommendation can name: four paradigms and ten
 * platforms share one id space ("targets"), as they share one `scores` map
 * in rule files. Their order here is the documented tie-break order.
 */
#ifndef VMCTR_TARGET_H
#define VMCTR_TARGET_H

#include "common.h"

/* Every target as X(id, name), in id order: the enum below, vm_target_name
 * and the JSON writer's keys are made from it. */
#define VM_TARGET_LIST(X)                                                                          \
    X(VM, "vm") X(CONTAINER, "container") X(MICROVM, "microvm") X(HYBRID, "hybrid")                \
    X(VMWARE_ESXI, "vmware-esxi") X(HYPER_V, "hyper-v") X(KVM_OVIRT, "kvm-ovirt")                  \
    X(PROXMOX_VE, "proxmox-ve") X(CLOUD_VM, "cloud-vm")                                            \
    X(DOCKER, "docker") X(KUBERNETES, "kubernetes")                                                \
    X(KATA_CONTAINERS, "kata-containers") X(FIRECRACKER, "firecracker") X(GVISOR, "gvisor")

typedef enum {
#define VM_X_(id, s) VM_T_##id,
    VM_TARGET_LIST(VM_X_)
#undef VM_X_
    VM_TARGET_COUNT
} vm_target;

#define VM_PARADIGM_COUNT 4
/* The longest target or category name (checked where the tables are). */
#define VM_NAME_MAX 21
#define VM_FIRST_PLATFORM VM_T_VMWARE_ESXI

/* A target's name (static); "none" for an id out of range (-1 included). */
const char *vm_target_name(int t);
/* The target named by the len bytes at name; -1 if unknown. */
int vm_target_find(const char *name, size_t len);
/* Whether t is one of the four paradigms (false for -1 and platforms). */
static inline bool vm_target_is_paradigm(int t) { return t >= 0 && t < VM_PARADIGM_COUNT; }
/* The paradigm whose family a platform belongs to (VM_T_VM, VM_T_CONTAINER
 * or VM_T_MICROVM); -1 for a paradigm or an id out of range. */
int vm_platform_family(int platform);
/* Whether a workload of `paradigm` runs on platforms of `family` (VM_T_VM,
 * VM_T_CONTAINER or VM_T_MICROVM): its own family, and for a hybrid the
 * VMs and the containers on them; false for -1 and any other id. */
bool vm_paradigm_runs(int paradigm, int family);
/* The platforms of a family (VM_T_VM, VM_T_CONTAINER or VM_T_MICROVM) are
 * the ids [*lo, *hi]; false, *lo and *hi untouched, for any other id. lo
 * and hi not NULL. */
bool vm_family_range(int family, int *lo, int *hi);
/* Paradigm order as the spec lists them (vm, container, hybrid, microvm),
 * used for JSON key order. */
extern const int vm_paradigm_spec_order[VM_PARADIGM_COUNT];

#endif
