/*
 * vmctr/profile_write.h - writes profile values as a profile YAML document.
 *
 * The document starts with the yaml-language-server modeline (so editors
 * validate and complete it against the profile schema), then apiVersion,
 * kind, metadata and spec, every section in spec order with a short
 * comment. Fields come from the field table, so the written file always
 * holds exactly the fields the loader accepts; a document written from
 * values the loader accepted loads back to the same values.
 */
#ifndef VMCTR_PROFILE_WRITE_H
#define VMCTR_PROFILE_WRITE_H

#include "buf.h"
#include "profile.h"

#define VM_PROFILE_SCHEMA_URL "https://vmctr.dev/schema/profile-v1.json"

enum {
    /* Every unknown field is written as a commented-out line, under a
     * comment with its help text and allowed values (a template). Without
     * it, each section lists its unknown fields in one comment line. */
    VM_WRITE_TEMPLATE = 1u << 0,
};

/* Appends the document for v to b (flags: VM_WRITE_*); v is only read.
 * metadata.name, when unset, is written as the placeholder "my-workload"
 * so that the document still validates. Out of memory sets b->oom. */
void vm_profile_write_yaml(const vm_values *v, unsigned flags, vm_buf *b);

#endif
