/*
 * vmctr/sys/portfolio.h - `vmctr portfolio`'s aggregation (not installed;
 * src/lib/portfolio.c): what one profile contributes (an entry, made from
 * its report wherever it was evaluated) and the summary the entries are
 * folded into, in input order: counts per paradigm and platform, the least
 * confident profiles, the blockers and unknowns that occur most often.
 * Memory does not grow with the number of profiles.
 */
#ifndef VMCTR_SYS_PORTFOLIO_H
#define VMCTR_SYS_PORTFOLIO_H

#include "vmctr/arena.h"
#include "vmctr/common.h"
#include "vmctr/report.h"

#define VM_PORTFOLIO_TOP_MAX 100 /* longest top list (--top) */

/* One profile's part of the summary. */
typedef struct {
    uint32_t doc, line;          /* document index; line of metadata.name (else the document's) */
    int paradigm, platform, cplatform; /* the profile's (a system's composed) verdict, -1 none */
    int xplatform;               /* a system's micro-VM platform beside its VMs, else -1 */
    uint16_t tied;               /* recommendation.platform_ties: bit per platform tied
                                  * with a family's choice; 0 when none is */
    double confidence;
    uint32_t ncomponents;
    const char *name, *file;     /* metadata.name ("" when unset), the input */
    const uint16_t *blockers;    /* rules that fired and exclude something, each once */
    uint32_t nblockers;
    uint64_t unknowns;           /* bit f: field f is an unknown worth answering (profile or component) */
} vm_portfolio_entry;

/* Fills e from a report built with VM_REPORT_UNKNOWNS (at least). The
 * blocker list is allocated in a; name and file point into rep and file.
 * Returns VM_OK or VM_EIO when out of memory. */
vm_status vm_portfolio_entry_of(vm_arena *a, const vm_report *rep, const char *file, uint32_t doc,
                                uint32_t doc_line, vm_portfolio_entry *e);

/* A least-confident entry (its strings owned by the summary). */
typedef struct {
    double confidence;
    uint32_t doc, line;
    int paradigm, platform, cplatform, xplatform;
    uint16_t tied;               /* as vm_portfolio_entry.tied */
    char *name, *file;
} vm_portfolio_low;

typedef struct {
    int top;                     /* length of the top lists, 1..VM_PORTFOLIO_TOP_MAX */
    size_t nrules;
    uint64_t profiles, components, invalid;
    uint64_t paradigm[VM_PARADIGM_COUNT + 1]; /* last: no paradigm */
    uint64_t platform[VM_TARGET_COUNT];       /* a hybrid counts for each of its platforms */
    uint64_t *blockers;          /* per rule: profiles where it blocks */
    uint64_t unknowns[VM_FIELD_COUNT];        /* per field: profiles where it is worth answering */
    vm_portfolio_low low[VM_PORTFOLIO_TOP_MAX]; /* least confident first; earlier wins ties */
    int nlow;
    bool oom;                    /* a least-confident entry could not be kept */
} vm_portfolio;

/* An empty summary for a rule set of nrules rules. Returns VM_OK, or VM_EIO
 * when out of memory (p is then freed). */
vm_status vm_portfolio_init(vm_portfolio *p, size_t nrules, int top);
void vm_portfolio_free(vm_portfolio *p);
/* Folds one entry in (input order). The entry is copied where kept. */
void vm_portfolio_add(vm_portfolio *p, const vm_portfolio_entry *e);

typedef struct {
    int id;
    uint64_t n;
} vm_ranked;

/* The `top` largest counts (> 0) of counts[0..n), by count descending,
 * then id ascending, into out. Returns how many. */
int vm_portfolio_rank(const uint64_t *counts, int n, int top, vm_ranked *out);

#endif
