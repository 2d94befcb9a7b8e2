/*
 * vmctr/vmctr.h - the whole public API of libvmctr in one include.
 *
 *     #include <vmctr/vmctr.h>     (pkg-config --cflags --libs vmctr)
 *
 * The usual path: vm_arena_new (arena.h), vm_profile_load (profile.h) into
 * the arena, a rule set from vm_ruleset_new + vm_ruleset_add_builtin or
 * vm_ruleset_add_file (rules.h), vm_report_build (report.h) and one of the
 * vm_render_* functions into a vm_buf (buf.h). Errors come back as a
 * vm_status (common.h) with positioned diagnostics (diag.h).
 *
 * Ownership (who frees what, which arena holds it), failure and NULL
 * handling follow the conventions written once at the top of common.h;
 * every function's declaration says its own case (ctest header-comments
 * checks that each has a comment). Headers under vmctr/sys/ are the tree's
 * own and not installed.
 */
#ifndef VMCTR_VMCTR_H
#define VMCTR_VMCTR_H

#include "common.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "field.h"
#include "target.h"
#include "profile.h"
#include "profile_write.h"
#include "rules.h"
#include "engine.h"
#include "report.h"
#include "gate.h"
#include "diff.h"
#include "waiver.h"
#include "ruletest.h"
#include "schema.h"
#include "version.h"

#endif
