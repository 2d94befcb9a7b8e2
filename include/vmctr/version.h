/*
 * vmctr/version.h - what this build is made of, for tools that pin
 * behaviour (`vmctr version --format json`): vmctr's own version
 * (VMCTR_VERSION in common.h) and the versions of the libraries it runs
 * with. The library versions are those of the shared libraries loaded at
 * run time, asked of the libraries themselves, not the headers built with.
 */
#ifndef VMCTR_VERSION_H
#define VMCTR_VERSION_H

#include "common.h"

/* "0.2.5": libyaml's yaml_get_version_string(), a static string owned by
 * libyaml. Never fails. */
const char *vm_libyaml_version(void);
/* "1.7.15": cJSON's cJSON_Version(), a static string owned by cJSON.
 * Never fails. */
const char *vm_cjson_version(void);

#endif
