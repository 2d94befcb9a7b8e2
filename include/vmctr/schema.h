/*
 * vmctr/schema.h - machine-readable descriptions generated from the field
 * table (field.h), so they cannot drift from the loader.
 */
#ifndef VMCTR_SCHEMA_H
#define VMCTR_SCHEMA_H

#include "common.h"
#include "buf.h"

/* Canonical location of the profile schema (its "$id"). Editors attach it
 * with a first-line comment:
 *   # yaml-language-server: $schema=https://vmctr.dev/schema/profile-v1.json */
#define VM_SCHEMA_PROFILE_ID "https://vmctr.dev/schema/profile-v1.json"

/* Appends the JSON Schema (draft 2020-12) of a profile to `out`: formatted
 * with two-space indentation, keys in a fixed order, ending in a newline.
 * Returns VM_OK, or VM_EIO when out of memory (out->oom set, or nothing
 * appended when building the schema failed). */
vm_status vm_schema_profile(vm_buf *out);

/* Canonical location of the report schema (its "$id"). */
#define VM_SCHEMA_REPORT_ID "https://vmctr.dev/schema/report-v1.json"

/* Appends the JSON Schema (draft 2020-12) of the advise JSON report
 * (vm_render_json) to `out`: every object closed, every key the renderer
 * always writes required, enums from the target/category/field tables,
 * two-space indentation, ending in a newline. Defined in schema_report.c.
 * Returns VM_OK, or VM_EIO when out of memory (out->oom set). */
vm_status vm_schema_report(vm_buf *out);
#define VM_HAVE_SCHEMA_REPORT 1

/* Canonical location of the waiver file schema (its "$id"). */
#define VM_SCHEMA_WAIVERS_ID "https://vmctr.dev/schema/waivers-v1.json"

/* Appends the JSON Schema (draft 2020-12) of a waiver file (waiver.h) to
 * `out`. Defined in schema_waivers.c. Returns VM_OK, or VM_EIO when out of
 * memory (out->oom set). */
vm_status vm_schema_waivers(vm_buf *out);

#endif
