/*
 * vmctr/sys/answers.h (not installed) - answers for `vmctr init`: a file of answers (YAML or
 * JSON) and single `field=value` assignments, turned into profile values.
 *
 * An answers file is one mapping. Its keys may be flat field paths
 * (`delivery.release_frequency: daily`, `spec.team.culture: devops`,
 * `metadata.name: billing-api`, or just `name`, `owner`, `description`,
 * `labels`), nested sections (`workload: {os: linux}`), a whole profile's
 * `metadata` and `spec` mappings, or any mix of these. `apiVersion` and
 * `kind` are accepted when they hold the profile's values. A null value
 * leaves the field unknown. Lists may be sequences or comma-separated
 * strings. Values are checked like the profile loader checks them; every
 * problem becomes a diagnostic (JSON input has no positions: line 0).
 *
 * The input is bounded like a profile document (VM_LIMIT_DOC_BYTES, depth,
 * items, no anchors or aliases). Everything allocated lives in the arena.
 */
#ifndef VMCTR_ANSWERS_H
#define VMCTR_ANSWERS_H

#include "vmctr/arena.h"
#include "vmctr/diag.h"
#include "vmctr/profile.h"

/* Applies the answers in `data` (YAML, or JSON when the first non-blank
 * byte is '{') to *vals. `file` names the input in diagnostics (borrowed).
 * Returns VM_OK, or VM_EPROFILE with the problems in d (vals then holds
 * the answers that were valid), or VM_EIO when out of memory ("out of
 * memory" in d; vals is then incomplete). */
vm_status vm_answers_load(vm_arena *a, const char *file, const char *data, size_t len,
                          vm_values *vals, vm_diags *d);

/* Like vm_values_set_text, and also accepts the metadata fields
 * (`name=x`, `metadata.owner=x`, `description=x`, `labels.KEY=VALUE` or
 * `metadata.labels.KEY=VALUE`, which adds one label). Returns VM_OK,
 * VM_EUSAGE (unknown field, no '=') or VM_EPROFILE (bad value) with a
 * message in err; *field_out, when not NULL, receives the field id. */
vm_status vm_answers_set(vm_arena *a, vm_values *vals, const char *assignment, int *field_out,
                         char *err, size_t errcap);

#endif
