/*
 * rules_invariant.c - the isolation invariant of the profile contract
 * (../shared/spec/profile-v1.md, "The isolation invariant"), checked on a
 * rule set: a workload with untrusted code, or multi-tenant with high or
 * strict segregation, or with strict segregation, must never get a shared
 * host kernel (the `container` paradigm or the container side of `hybrid`),
 * and a micro-VM chosen for it must run its operating system (Firecracker,
 * Kata Containers and gVisor run Linux only).
 *
 * The check is about the rule set, not one profile: for each case it takes
 * the rules that fire for EVERY profile of that case (a three-valued
 * evaluation of each condition in which the fields the case fixes have their
 * value and every other field may be anything, or unknown) and requires
 * their excludes to cover the shared-kernel paradigms. Scores cannot keep the
 * invariant, only excludes can. A violation is a warning (`vmctr rules
 * lint`): an organisation may decide otherwise.
 */
#include "vmctr/rules.h"

#include <stdio.h>
#include <string.h>

enum { T3_FALSE, T3_MAYBE, T3_TRUE };

typedef struct {
    int field;
    int value; /* enum index, or 0/1 for a bool */
} fixed_value;

/* T3_TRUE when the subtree at c holds for every profile with the fixed
 * values, T3_FALSE when for none, else T3_MAYBE. */
static int eval3(const vm_cond *c, const fixed_value *fx, int nfx)
{
    switch (c->op) {
    case VM_OP_TRUE:
        return T3_TRUE;
    case VM_OP_ALL:
    case VM_OP_ANY: {
        bool all = c->op == VM_OP_ALL;
        int r = all ? T3_TRUE : T3_FALSE;
        const vm_cond *k = c + 1;
        for (int i = 0; i < c->nkids; i++, k += k->skip) {
            int v = eval3(k, fx, nfx);
            r = all ? (v < r ? v : r) : (v > r ? v : r);
        }
        return r;
    }
    case VM_OP_NOT:
        return T3_TRUE - eval3(c + 1, fx, nfx);
    default:
        break;
    }
    for (int i = 0; i < nfx; i++) {
        if (fx[i].field != c->field)
            continue;
        if (c->op == VM_OP_KNOWN)
            return T3_TRUE;
        if (c->op == VM_OP_UNKNOWN)
            return T3_FALSE;
        uint32_t m;
        if (!vm_cond_values(c, &m))
            return T3_MAYBE;
        return (m >> fx[i].value) & 1u ? T3_TRUE : T3_FALSE;
    }
    return T3_MAYBE;
}

/* The targets excluded by every rule that surely fires in this case. */
static uint16_t sure_excludes(const vm_ruleset *rs, const fixed_value *fx, int nfx)
{
    uint16_t ex = 0;
    for (size_t i = 0; i < vm_ruleset_count(rs); i++) {
        const vm_rule *r = vm_ruleset_rule(rs, i);
        if (r->excludes && (r->ncond == 0 || eval3(r->cond, fx, nfx) == T3_TRUE))
            ex |= r->excludes;
    }
    return ex;
}

static int enum_index(int field, const char *value)
{
    return vm_field_enum_index(vm_field(field), value, strlen(value));
}

static bool reads_case(const vm_rule *r, const fixed_value *fx, int nfx)
{
    for (int j = 0; j < nfx; j++)
        if ((r->reads >> fx[j].field) & 1u)
            return true;
    return false;
}

/* Where to report: the first user rule that reads a field of the case (it
 * most likely changed the built-in behaviour), else the first user rule,
 * else the first rule that reads a field of the case, else the first rule. */
static const vm_rule *blame(const vm_ruleset *rs, const fixed_value *fx, int nfx)
{
    const vm_rule *user = NULL, *reader = NULL;
    for (size_t i = 0; i < vm_ruleset_count(rs); i++) {
        const vm_rule *r = vm_ruleset_rule(rs, i);
        bool reads = reads_case(r, fx, nfx);
        if (!r->builtin && reads)
            return r;
        if (!r->builtin && !user)
            user = r;
        if (reads && !reader)
            reader = r;
    }
    return user ? user : reader ? reader : vm_ruleset_rule(rs, 0);
}

static void names(char *out, size_t cap, uint16_t set)
{
    size_t n = 0;
    out[0] = '\0';
    for (int t = 0; t < VM_TARGET_COUNT && n < cap; t++)
        if ((set >> t) & 1u)
            n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? ", " : "", vm_target_name(t));
}

void vm_ruleset_check_isolation(const vm_ruleset *rs, vm_diags *d)
{
    if (vm_ruleset_count(rs) == 0)
        return;
    const int yes = 1;
    const struct {
        const char *what;
        fixed_value fx[2];
        int nfx;
    } cases[] = {
        {"untrusted code (isolation.untrusted_code: true)",
         {{VM_F_ISOLATION_UNTRUSTED_CODE, yes}}, 1},
        {"multi-tenant segregation (isolation.multi_tenant: true, segregation: high)",
         {{VM_F_ISOLATION_MULTI_TENANT, yes},
          {VM_F_ISOLATION_SEGREGATION, enum_index(VM_F_ISOLATION_SEGREGATION, "high")}}, 2},
        {"strict segregation (isolation.segregation: strict)",
         {{VM_F_ISOLATION_SEGREGATION, enum_index(VM_F_ISOLATION_SEGREGATION, "strict")}}, 1},
    };
    const char *non_linux[] = {"windows", "mixed", "other"};
    const uint16_t shared = (uint16_t)(1u << VM_T_CONTAINER | 1u << VM_T_HYBRID);
    const uint16_t linux_only =
        (uint16_t)(1u << VM_T_KATA_CONTAINERS | 1u << VM_T_FIRECRACKER | 1u << VM_T_GVISOR);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const vm_rule *at = blame(rs, cases[c].fx, cases[c].nfx);
        uint16_t ex = sure_excludes(rs, cases[c].fx, cases[c].nfx);
        if ((ex & shared) != shared) {
            char miss[200];
            names(miss, sizeof miss, (uint16_t)(shared & ~ex));
            vm_diag_add(d, VM_SEV_WARNING, at->file, at->line, at->col, at->id,
                        "isolation invariant: a workload with %s may be placed on a shared host "
                        "kernel: no rule that fires for every such workload excludes %s",
                        cases[c].what, miss);
            continue;
        }
        char oses[64];
        size_t n = 0;
        const vm_rule *oat = at;
        oses[0] = '\0';
        for (size_t o = 0; o < sizeof non_linux / sizeof non_linux[0]; o++) {
            fixed_value fx[3];
            memcpy(fx, cases[c].fx, sizeof cases[c].fx);
            fx[cases[c].nfx] = (fixed_value){VM_F_WORKLOAD_OS, enum_index(VM_F_WORKLOAD_OS, non_linux[o])};
            uint16_t exo = sure_excludes(rs, fx, cases[c].nfx + 1);
            if (!((exo >> VM_T_MICROVM) & 1u) && (exo & linux_only) != linux_only) {
                if (!n)
                    oat = blame(rs, fx, cases[c].nfx + 1);
                n += (size_t)snprintf(oses + n, sizeof oses - n, "%s%s", n ? ", " : "", non_linux[o]);
            }
        }
        if (n)
            vm_diag_add(d, VM_SEV_WARNING, oat->file, oat->line, oat->col, oat->id,
                        "isolation invariant: a workload with %s and workload.os %s may get a "
                        "micro-VM that runs Linux only: no rule that fires for every such workload "
                        "excludes microvm or all of kata-containers, firecracker, gvisor",
                        cases[c].what, oses);
    }
}
