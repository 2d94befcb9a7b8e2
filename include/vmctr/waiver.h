/*
 * vmctr/waiver.h - gate waivers: a team accepts one failing check for a
 * while, with a reason and an owner (docs/ci.md, "Waivers").
 *
 * A waiver file is one YAML document, `apiVersion: vmctr/v1`,
 * `kind: WaiverSet`, with a list `waivers`. Each waiver matches a profile
 * (metadata.name glob `profile`, input path glob `file`, or both),
 * optionally a component (glob; absent: the profile and every component),
 * and what it accepts: `rule: ID` (a blocker by that rule) or `gate:`
 * `mismatch`, `blocker`, `blocker:ID` or `no-decision`. A blocker that
 * several fired rules cause is waived only when each of them is covered. `reason`, `owner`
 * and `expires` (YYYY-MM-DD, at most VM_WAIVER_MAX_DAYS after today) are
 * required; `ticket` is optional. Globs are fnmatch(3) patterns without
 * flags: `*` also matches `/`.
 *
 * Dates are days since 1970-01-01 (UTC). The library never reads the clock:
 * callers pass `today`. A waiver is valid through its expiry day; from the
 * day after, it is expired: it no longer matches and the caller reports it.
 */
#ifndef VMCTR_WAIVER_H
#define VMCTR_WAIVER_H

#include "arena.h"
#include "diag.h"
#include "gate.h"
#include "rules.h"

#define VM_WAIVER_MAX_DAYS 365u       /* the furthest `expires` may be after today */
#define VM_LIMIT_WAIVERS 1024u        /* waivers in one file */
#define VM_LIMIT_WAIVER_FILE (1024u * 1024u)

/* What a waiver accepts. */
typedef enum { VM_WAIVE_MISMATCH, VM_WAIVE_BLOCKER, VM_WAIVE_NO_DECISION } vm_waive_kind;

typedef struct {
    const char *profile;       /* glob over metadata.name, or NULL */
    const char *file;          /* glob over the input's path (a leading "./" ignored), or NULL */
    const char *component;     /* glob over the component name, or NULL: any subject */
    vm_waive_kind kind;
    const char *rule;          /* VM_WAIVE_BLOCKER: only this rule's blockers; NULL: any */
    const char *reason, *owner, *ticket;  /* ticket may be NULL; all single-line text */
    int32_t expires;           /* days since 1970-01-01 */
    char expires_text[11];     /* YYYY-MM-DD */
    uint32_t line, col;        /* the waiver's list entry */
} vm_waiver;

typedef struct {
    const char *file;          /* the waiver file's display name */
    vm_waiver *items;
    uint32_t n;
} vm_waivers;

/* Parses and validates a waiver file's bytes into *out: the waivers, their
 * strings, `file` and a copy of data are allocated from a. Rule ids are
 * checked against `rs` (did-you-mean). Returns VM_OK; VM_ERULES with
 * positioned errors in d (a malformed file is an input error like a bad
 * rule file); VM_EIO when out of memory ("out of memory" in d). On
 * failure out->n is 0. */
vm_status vm_waivers_parse(vm_arena *a, const char *file, const char *data, size_t len, const vm_ruleset *rs,
                           int32_t today, vm_waivers *out, vm_diags *d);

/* What the waivers decide for one gate result (vm_waivers_apply). */
typedef struct {
    int waiver;                /* the waiver shown, or -1: not waived (vm_waivers_match) */
    /* a blocker that is not waived: the first of its blockers whose rule no
     * matching waiver covers (the result's rule and blocked target when none
     * is covered); else {NULL, -1} */
    vm_gate_blocker uncovered;
    /* bit i: waiver i accepts the result or covers one of its blocking
     * rules, as the first waiver in file order to do so; such a waiver is
     * used even when another blocking rule keeps the result failing */
    uint64_t used[(VM_LIMIT_WAIVERS + 63) / 64];
} vm_waiver_verdict;

/* Whether the waivers w accept the gate result r (only warnings and
 * failures are waivable), into *out (not NULL); returns out->waiver.
 * A waiver matches r when it has not expired (on `today`), its profile,
 * file and component globs match and its kind is r's. A blocker result
 * is waived only when the rule of every one of its blockers (r->blockers,
 * or {r->rule, r->blocked} alone when r->nblockers is 0) is covered by a
 * matching waiver: one with `rule` equal to that rule's id, or one without
 * `rule`. The
 * waiver shown is the first in file order that matches (a blocker's: that
 * covers its first blocking rule). `path` is the input's display path,
 * `profile` its metadata.name (neither NULL); w may be NULL (nothing is
 * waived). Allocates nothing. */
int vm_waivers_apply(const vm_waivers *w, const char *path, const char *profile, const vm_gate_result *r,
                     int32_t today, vm_waiver_verdict *out);

/* vm_waivers_apply's waiver alone: the index of the waiver shown when the
 * waivers accept r, or -1 (also for a NULL w). Allocates nothing. */
int vm_waivers_match(const vm_waivers *w, const char *path, const char *profile, const vm_gate_result *r,
                     int32_t today);

/* True when w (not NULL) expired before `today` (days since 1970-01-01, as
 * vm_waivers_parse takes it): a waiver holds through its expiry date. */
bool vm_waiver_expired(const vm_waiver *w, int32_t today);

/* Strict YYYY-MM-DD in the n bytes at s (a real calendar date, years
 * 1970..9999) to *days since 1970-01-01; false, *days untouched, if it is
 * not one. */
bool vm_date_parse(const char *s, size_t n, int32_t *days);
/* days since 1970-01-01 to YYYY-MM-DD and a NUL in out (room for 11
 * bytes); years outside 0..9999 are clamped to them. */
void vm_date_format(int32_t days, char out[11]);

#endif
