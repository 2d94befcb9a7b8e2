/*
 * vmctr/builtin.h - the rule files compiled into the binary at build time
 * (generated from the rules directory by cmake/embed.cmake; never committed).
 */
#ifndef VMCTR_BUILTIN_H
#define VMCTR_BUILTIN_H

#include <stddef.h>

typedef struct {
    const char *name;   /* "rules/workload.yaml" */
    const char *data;   /* NUL-terminated */
    size_t len;
} vm_embedded_file;

extern const vm_embedded_file vm_builtin_rules[];
extern const size_t vm_builtin_rules_count;

#endif
