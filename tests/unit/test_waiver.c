/*
 * test_waiver.c - waiver files (src/lib/waiver.c): the calendar, parsing and
 * validation with positions, the expiry horizon, and matching gate results
 * (expiry day inclusive, globs, components, rule and gate kinds; a blocker
 * waived only when each of its blocking rules is, also on generated
 * profiles and waiver sets).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "vmctr/gate.h"
#include "vmctr/target.h"
#include "vmctr/waiver.h"
#include "fixture.h"

static int32_t day(const char *s)
{
    int32_t d;
    assert_true(vm_date_parse(s, strlen(s), &d));
    return d;
}

/* Every day from 1970 to 2200 formats to a date that parses back to it,
 * consecutive days format to increasing strings, and the known anchors hold. */
static void calendar_round_trip(void **state)
{
    (void)state;
    char prev[11] = "", cur[11];
    for (int32_t z = 0; z < 84000; z++) {
        vm_date_format(z, cur);
        int32_t back;
        assert_true(vm_date_parse(cur, 10, &back));
        assert_int_equal(back, z);
        assert_true(strcmp(prev, cur) < 0);
        memcpy(prev, cur, sizeof cur);
    }
    assert_int_equal(day("1970-01-01"), 0);
    assert_int_equal(day("2000-03-01") - day("2000-02-28"), 2); /* 2000 is a leap year */
    assert_int_equal(day("2100-03-01") - day("2100-02-28"), 1); /* 2100 is not */
    const char *bad[] = {"2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "1969-12-31", "2026-1-01",
                         "2026/01/01", "20260101", "2026-01-01x", "", "2026-01-0a"};
    int32_t d;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(vm_date_parse(bad[i], strlen(bad[i]), &d));
}

/* text parsed into f's arena, against f's rule set */
static vm_status parse(const fixture *f, const char *text, int32_t today, vm_waivers *w, vm_diags *d)
{
    vm_diags_clear(d);
    return vm_waivers_parse(f->a, "w.yaml", text, strlen(text), f->rs, today, w, d);
}

/* a waiver file that is refused gives no waivers */
static vm_status parse_refused(vm_arena *a, const char *text, vm_diags *d, void *rs)
{
    vm_waivers w;
    vm_status st = vm_waivers_parse(a, "w.yaml", text, strlen(text), rs, day("2026-12-06"), &w, d);
    assert_int_equal(w.n, 0);
    return st;
}

#define HEAD "apiVersion: vmctr/v1\nkind: WaiverSet\nwaivers:\n"

/* text parsed as of 2026-12-06 into w: it must load without a diagnostic */
static void parse_clean(const fixture *f, const char *text, vm_waivers *w)
{
    vm_diags d;
    assert_int_equal(parse(f, text, day("2026-12-06"), w, &d), VM_OK);
    assert_int_equal(d.count, 0);
}

static void parses_a_waiver(void **state)
{
    const fixture *f = *state;
    vm_waivers w;
    parse_clean(f,
                HEAD "  - profile: billing-*\n    component: ledger\n    rule: workload.custom-kernel\n"
                     "    reason: replaced by eBPF in Q3\n    owner: team-a\n    expires: 2027-03-01\n"
                     "    ticket: ARB-1\n"
                     "  - file: ./profiles/*.yaml\n    gate: mismatch\n    reason: accepted for the move\n"
                     "    owner: team-b\n    expires: '2026-12-31'\n",
                &w);
    assert_int_equal(w.n, 2);
    assert_string_equal(w.items[0].profile, "billing-*");
    assert_string_equal(w.items[0].component, "ledger");
    assert_int_equal(w.items[0].kind, VM_WAIVE_BLOCKER);
    assert_string_equal(w.items[0].rule, "workload.custom-kernel");
    assert_string_equal(w.items[0].expires_text, "2027-03-01");
    assert_string_equal(w.items[0].ticket, "ARB-1");
    assert_int_equal(w.items[0].line, 4);
    assert_int_equal(w.items[0].col, 5);
    assert_string_equal(w.items[1].file, "profiles/*.yaml");
    assert_null(w.items[1].ticket);
}

/* One bad waiver at a time: the error's position and text. */
static void rejects_with_positions(void **state)
{
    const fixture *f = *state;
    static const fixture_error_case cases[] = {
        {"  - profile: a\n    gate: mismach\n    reason: good reason\n    owner: o\n    expires: 2027-01-01\n", 5, 11,
         "did you mean 'mismatch'"},
        {"  - profile: a\n    gate: mismatch\n    reasn: good reason\n    owner: o\n    expires: 2027-01-01\n", 6, 5,
         "did you mean 'reason'"},
        {"  - profile: a\n    rule: workload.custom-kernal\n    reason: good reason\n    owner: o\n    expires: "
         "2027-01-01\n",
         5, 11, "did you mean 'workload.custom-kernel'"},
        {"  - profile: a\n    gate: mismatch\n    reason: good reason\n    owner: o\n    expires: 2027-12-07\n", 8, 14,
         "more than 365 days"},
        {"  - profile: a\n    gate: mismatch\n    reason: good reason\n    owner: o\n    expires: 2027-02-29\n", 8, 14,
         "YYYY-MM-DD"},
        {"  - profile: a\n    gate: mismatch\n    reason: TODO fill\n    owner: o\n    expires: 2027-01-01\n", 6, 13,
         "not a TODO"},
        {"  - profile: a\n    gate: mismatch\n    reason: \"two\\nlines\"\n    owner: o\n    expires: 2027-01-01\n",
         6, 13, "control characters"},
        {"  - profile: a\n    gate: mismatch\n    owner: o\n    expires: 2027-01-01\n", 4, 5,
         "missing required key 'reason'"},
        {"  - gate: mismatch\n    reason: good reason\n    owner: o\n    expires: 2027-01-01\n", 4, 5,
         "names the profile"},
        {"  - profile: a\n    reason: good reason\n    owner: o\n    expires: 2027-01-01\n", 4, 5, "says what it accepts"},
        {"  - profile: a\n    gate: mismatch:x\n    reason: good reason\n    owner: o\n    expires: 2027-01-01\n", 5, 11,
         "not a gate outcome"},
        {"  - profile: a\n    profile: b\n    gate: mismatch\n    reason: good reason\n    owner: o\n    expires: "
         "2027-01-01\n",
         5, 5, "duplicate key"},
        {"  - 12\n", 4, 5, "a waiver is a mapping"},
    };
    fixture_expect_errors(f->a, cases, sizeof cases / sizeof *cases, HEAD, VM_ERULES, parse_refused, f->rs);
    /* the document itself */
    const char *docs[] = {"", "[]\n", "apiVersion: vmctr/v1\nkind: WorkloadProfile\nwaivers: []\n",
                          "apiVersion: vmctr/v2\nkind: WaiverSet\nwaivers: []\n", "kind: WaiverSet\nwaivers: []\n",
                          HEAD "  []\n---\n" HEAD};
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        vm_waivers w;
        vm_diags d;
        vm_arena_reset(f->a);
        assert_int_equal(parse(f, docs[i], 0, &w, &d), VM_ERULES);
        assert_true(d.count >= 1);
    }
}

static void matching(void **state)
{
    const fixture *f = *state;
    vm_waivers w;
    parse_clean(f,
                HEAD "  - profile: bill*\n    component: ledger\n    gate: mismatch\n"
                     "    reason: good reason\n    owner: o\n    expires: 2027-01-01\n"
                     "  - file: legacy/*\n    gate: blocker:workload.custom-kernel\n"
                     "    reason: good reason\n    owner: o\n    expires: 2027-01-01\n"
                     "  - profile: any\n    gate: no-decision\n"
                     "    reason: good reason\n    owner: o\n    expires: 2027-01-01\n",
                &w);
    const vm_rule *ck = vm_ruleset_find(f->rs, "workload.custom-kernel");
    assert_non_null(ck);
    int32_t today = day("2026-12-06"), last = day("2027-01-01");
    vm_gate_result r = {.component = "ledger", .kind = VM_GATE_MISMATCH, .outcome = VM_GATE_FAIL};
    assert_int_equal(vm_waivers_match(&w, "x.yaml", "billing", &r, today), 0);
    assert_int_equal(vm_waivers_match(&w, "x.yaml", "billing", &r, last), 0);      /* the expiry day counts */
    assert_int_equal(vm_waivers_match(&w, "x.yaml", "billing", &r, last + 1), -1); /* the day after does not */
    assert_int_equal(vm_waivers_match(&w, "x.yaml", "shop", &r, today), -1);
    r.outcome = VM_GATE_WARN;
    assert_int_equal(vm_waivers_match(&w, "x.yaml", "billing", &r, today), 0);
    r.outcome = VM_GATE_PASS; /* nothing to waive */
    assert_int_equal(vm_waivers_match(&w, "x.yaml", "billing", &r, today), -1);
    r.outcome = VM_GATE_FAIL;
    r.component = NULL; /* a waiver naming a component does not cover the profile itself */
    assert_int_equal(vm_waivers_match(&w, "x.yaml", "billing", &r, today), -1);
    vm_gate_result b = {.kind = VM_GATE_BLOCKER, .outcome = VM_GATE_FAIL, .rule = ck};
    assert_int_equal(vm_waivers_match(&w, "./legacy/a.yaml", "p", &b, today), 1);
    assert_int_equal(vm_waivers_match(&w, "legacy/sub/a.yaml", "p", &b, today), 1); /* '*' matches '/' */
    assert_int_equal(vm_waivers_match(&w, "new/a.yaml", "p", &b, today), -1);
    b.rule = vm_ruleset_rule(f->rs, 0) == ck ? vm_ruleset_rule(f->rs, 1) : vm_ruleset_rule(f->rs, 0);
    assert_int_equal(vm_waivers_match(&w, "legacy/a.yaml", "p", &b, today), -1); /* another rule's blocker */
    vm_gate_result n = {.kind = VM_GATE_NO_DECISION, .outcome = VM_GATE_FAIL, .component = "c"};
    assert_int_equal(vm_waivers_match(&w, "x.yaml", "any", &n, today), 2); /* no component: every subject */
    assert_int_equal(vm_waivers_match(NULL, "x.yaml", "any", &n, today), -1);
}

/* The gate results of the one document in `text` (f's arena is reset);
 * *report (when not NULL) gets its report. */
static size_t judge(fixture *f, const char *text, vm_gate_result *out, const vm_report **report)
{
    vm_arena_reset(f->a);
    vm_profile *p = NULL;
    vm_report *rep = fixture_report(f, text, 0, &p);
    if (report)
        *report = rep;
    vm_gate_policy pol = VM_GATE_POLICY_INIT;
    bool oom = false;
    size_t n = vm_gate_judge(rep, p, &pol, f->a, out, &oom);
    assert_false(oom);
    return n;
}

static bool used(const vm_waiver_verdict *v, uint32_t i) { return (v->used[i / 64] >> (i % 64)) & 1u; }

/* The waivers of `body` (after HEAD) applied to r, parsed into a second
 * arena (f's holds r). */
static int apply(const fixture *f, const char *body, const vm_gate_result *r, vm_waiver_verdict *v)
{
    vm_arena *a = vm_arena_new();
    assert_non_null(a);
    char text[2048];
    snprintf(text, sizeof text, HEAD "%s", body);
    vm_waivers w;
    vm_diags d;
    vm_diags_clear(&d);
    int32_t today = day("2026-06-01");
    assert_int_equal(vm_waivers_parse(a, "w.yaml", text, strlen(text), f->rs, today, &w, &d), VM_OK);
    int i = vm_waivers_apply(&w, "p.yaml", "kiosk", r, today, v);
    assert_int_equal(vm_waivers_match(&w, "p.yaml", "kiosk", r, today), i);
    vm_arena_free(a);
    return i;
}

#define W_TAIL "    reason: good reason\n    owner: o\n    expires: 2026-12-31\n"
#define W_OS "  - profile: kiosk\n    rule: workload.windows-os\n" W_TAIL
#define W_KERNEL "  - profile: kiosk\n    rule: workload.custom-kernel\n" W_TAIL

/* kiosk proposes microvm/gvisor: workload.windows-os excludes microvm,
 * workload.custom-kernel gvisor. One waiver is not enough, whichever it
 * is; the result then names the first blocker left uncovered. */
static void blockers_each_need_a_waiver(void **state)
{
    fixture *f = *state;
    vm_gate_result r[VM_GATE_MAX_RESULTS];
    judge(f,
          "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: kiosk}\nspec:\n"
          "  workload: {os: windows, custom_kernel: true}\n"
          "  decision: {paradigm: microvm, platform: gvisor}\n",
          r, NULL);
    assert_int_equal(r[0].kind, VM_GATE_BLOCKER);
    assert_int_equal(r[0].nblockers, 2);
    vm_waiver_verdict v;
    /* no waivers: the first blocker is the one named */
    assert_int_equal(vm_waivers_apply(NULL, "p.yaml", "kiosk", &r[0], 0, &v), -1);
    assert_ptr_equal(v.uncovered.rule, r[0].rule);
    assert_int_equal(v.uncovered.target, VM_T_MICROVM);
    /* the paradigm's blocker waived: fails on the platform's */
    assert_int_equal(apply(f, W_OS, &r[0], &v), -1);
    assert_string_equal(v.uncovered.rule->id, "workload.custom-kernel");
    assert_int_equal(v.uncovered.target, VM_T_GVISOR);
    assert_true(used(&v, 0)); /* it covers a rule of a failing check: not unused */
    /* the platform's blocker waived: fails on the paradigm's */
    assert_int_equal(apply(f, W_KERNEL, &r[0], &v), -1);
    assert_string_equal(v.uncovered.rule->id, "workload.windows-os");
    assert_int_equal(v.uncovered.target, VM_T_MICROVM);
    /* both, in either order: waived, shown by the one that covers the
     * named rule, and both used */
    assert_int_equal(apply(f, W_OS W_KERNEL, &r[0], &v), 0);
    assert_null(v.uncovered.rule);
    assert_true(used(&v, 0) && used(&v, 1));
    assert_int_equal(apply(f, W_KERNEL W_OS, &r[0], &v), 1);
    assert_true(used(&v, 0) && used(&v, 1));
    /* gate: blocker:ID is the same as rule: ID */
    assert_int_equal(apply(f, W_OS "  - profile: kiosk\n    gate: blocker:workload.custom-kernel\n" W_TAIL, &r[0], &v),
                     0);
    /* a blocker waiver without a rule covers every rule */
    assert_int_equal(apply(f, "  - profile: kiosk\n    gate: blocker\n" W_TAIL, &r[0], &v), 0);
    assert_null(v.uncovered.rule);
    assert_true(used(&v, 0) && !used(&v, 1));
    /* a second waiver of a rule already covered is not used */
    assert_int_equal(apply(f, "  - profile: kiosk\n    gate: blocker\n" W_TAIL W_KERNEL, &r[0], &v), 0);
    assert_false(used(&v, 1));
    /* each covering waiver must match the subject: another profile's
     * waiver of the second rule does not count */
    assert_int_equal(apply(f, W_OS "  - profile: shop\n    rule: workload.custom-kernel\n" W_TAIL, &r[0], &v), -1);
    assert_string_equal(v.uncovered.rule->id, "workload.custom-kernel");
    assert_false(used(&v, 1));
    /* an expired one no longer covers its rule */
    assert_int_equal(apply(f,
                           W_OS "  - profile: kiosk\n    rule: workload.custom-kernel\n"
                                "    reason: good reason\n    owner: o\n    expires: 2026-05-31\n",
                           &r[0], &v),
                     -1);
    assert_string_equal(v.uncovered.rule->id, "workload.custom-kernel");
}

static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static const char *pick(uint64_t *seed, const char *const *from, size_t n) { return from[rng_next(seed) % n]; }
#define PICK(seed, arr) pick(seed, arr, sizeof arr / sizeof *arr)

/* A profile with a decision whose workload and isolation fields are those
 * the built-in blockers read: sometimes a system of two components, which
 * may propose something of their own. */
static void random_profile(uint64_t *seed, int k, char *text, size_t cap)
{
    static const char *const os[] = {"linux", "windows", "mixed", "other"};
    static const char *const tf[] = {"true", "false"};
    static const char *const hw[] = {"none", "gpu", "passthrough"};
    static const char *const seg[] = {"standard", "high", "strict"};
    static const char *const host[] = {"on-prem", "hybrid-cloud", "multi-cloud", "public-cloud"};
    char part[3][400];
    for (int i = 0; i < 3; i++)
        snprintf(part[i], sizeof part[i],
                 "workload: {os: %s, custom_kernel: %s, hardware_access: %s}\n"
                 "%sisolation: {untrusted_code: %s, multi_tenant: %s, segregation: %s, guest_kernel: %s}\n"
                 "%sstrategy: {hosting: %s}\n",
                 PICK(seed, os), PICK(seed, tf), PICK(seed, hw), i ? "      " : "  ", PICK(seed, tf), PICK(seed, tf),
                 PICK(seed, seg), PICK(seed, tf), i ? "      " : "  ", PICK(seed, host));
    char decision[3][96];
    for (int i = 0; i < 3; i++) {
        int pp = (int)(rng_next(seed) % VM_PARADIGM_COUNT);
        int pq = VM_FIRST_PLATFORM + (int)(rng_next(seed) % (VM_TARGET_COUNT - VM_FIRST_PLATFORM));
        switch (rng_next(seed) % 4) {
        case 0: snprintf(decision[i], sizeof decision[i], "{paradigm: %s}", vm_target_name(pp)); break;
        case 1: snprintf(decision[i], sizeof decision[i], "{platform: %s}", vm_target_name(pq)); break;
        default:
            snprintf(decision[i], sizeof decision[i], "{paradigm: %s, platform: %s}", vm_target_name(pp),
                     vm_target_name(pq));
            break;
        }
    }
    int len;
    if (rng_next(seed) % 3 == 0)
        len = snprintf(text, cap,
                       "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: g%d}\nspec:\n"
                       "  decision: %s\n  components:\n"
                       "    - name: a\n      %s%s"
                       "    - name: b\n      %s",
                       k, decision[0], part[1], rng_next(seed) % 2 ? "" : "      decision: {paradigm: vm}\n",
                       part[2]);
    else
        len = snprintf(text, cap, "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: g%d}\nspec:\n  %s"
                       "  decision: %s\n", k, part[0], decision[0]);
    assert_true(len > 0 && (size_t)len < cap);
}

/* Whether a system's proposal of paradigm pp and target t binds a part
 * with result c, as docs/ci.md puts it: a paradigm (vm, container,
 * microvm) binds every part; so does a platform under a proposal of one of
 * those paradigms (every part is put on it); otherwise a platform binds the
 * parts of its family (a hybrid part is VMs and containers), or every part
 * when none runs that family. fams: the families the parts run, as bits. */
static bool part_bound(const vm_result *c, int t, int pp, unsigned fams)
{
    if (t < VM_FIRST_PLATFORM)
        return t != VM_T_HYBRID;
    if (pp == VM_T_VM || pp == VM_T_CONTAINER || pp == VM_T_MICROVM)
        return true;
    int fam = vm_platform_family(t);
    if (!((fams >> fam) & 1u))
        return true;
    if (c->paradigm == VM_T_HYBRID)
        return fam == VM_T_VM || fam == VM_T_CONTAINER;
    return fam == c->paradigm;
}

static unsigned parts_run(const vm_report *rep)
{
    unsigned fams = 0;
    for (uint32_t c = 0; c < rep->ncomponents; c++) {
        int p = rep->components[c].ev.res.paradigm;
        if (p == VM_T_HYBRID)
            fams |= (1u << VM_T_VM) | (1u << VM_T_CONTAINER);
        else if (p >= 0)
            fams |= 1u << p;
    }
    return fams;
}

/* Appends a waiver of `kind` (rule: only that rule's blockers) for
 * profiles `glob` to items[*n], and what it covers to of[*n]. */
static void add(vm_waiver *items, int *of, uint32_t *n, const char *glob, vm_waive_kind kind, const char *rule,
                int covers)
{
    items[*n] = (vm_waiver){.profile = glob, .kind = kind, .rule = rule, .reason = "good reason", .owner = "o"};
    of[(*n)++] = covers;
}

/* Generated profiles and waiver sets: a blocker result is waived exactly
 * when the waivers cover every one of its blocking rules (a random subset
 * of them, in random order, among waivers of rules that do not block it
 * and of other gates), unless a waiver without a rule covers them all;
 * when it is not, the result names the first blocker left uncovered; the
 * waivers used are those that cover a blocking rule. */
static void generated_waiver_sets(void **state)
{
    fixture *f = *state;
    uint64_t seed = 0x9e3779b97f4a7c15u;
    const int32_t today = day("2026-06-01");
    size_t nrules = vm_ruleset_count(f->rs);
    unsigned blockers = 0, multi = 0, waived = 0, refused = 0, sys_checked = 0;
    for (int k = 0; k < 3000; k++) {
        char text[2048];
        random_profile(&seed, k, text, sizeof text);
        vm_gate_result r[VM_GATE_MAX_RESULTS];
        const vm_report *rep;
        size_t n = judge(f, text, r, &rep);
        for (size_t i = 0; i < n; i++) {
            if (r[i].kind != VM_GATE_BLOCKER)
                continue;
            blockers++;
            uint32_t nb = r[i].nblockers;
            assert_true(nb >= 1 && nb <= 16);
            assert_ptr_equal(r[i].blockers[0].rule, r[i].rule);
            assert_int_equal(r[i].blockers[0].target, r[i].blocked);
            multi += nb > 1;
            for (uint32_t j = 0; j < nb; j++) {
                assert_true((r[i].blockers[j].rule->excludes >> r[i].blockers[j].target) & 1u);
                for (uint32_t m = 0; m < j; m++)
                    assert_ptr_not_equal(r[i].blockers[m].rule, r[i].blockers[j].rule);
            }
            if (!rep->ncomponents) {
                /* a plain profile: exactly the fired rules that exclude its
                 * proposed paradigm, or its platform when one excludes it */
                const vm_eval_report *ev = &rep->main;
                uint32_t want = 0;
                for (uint32_t q = 0; q < ev->nfired; q++) {
                    const vm_rule *x = vm_ruleset_rule(f->rs, ev->fired[q]);
                    bool para = r[i].pp >= 0 && ((ev->res.excluded >> r[i].pp) & 1u) && ((x->excludes >> r[i].pp) & 1u);
                    bool plat = r[i].pq >= 0 && ((ev->res.excluded >> r[i].pq) & 1u) && ((x->excludes >> r[i].pq) & 1u);
                    if (!para && !plat)
                        continue;
                    want++;
                    bool listed = false;
                    for (uint32_t j = 0; j < nb; j++)
                        listed |= r[i].blockers[j].rule == x;
                    assert_true(listed);
                }
                assert_int_equal(want, nb);
            } else {
                /* a system or one of its components: every listed rule
                 * fired in a part the proposal binds (its own fields for a
                 * component; for the system, any part for a paradigm, the
                 * parts of the platform's family for a platform), and every
                 * rule such a part fired that excludes a listed target is
                 * listed (spec: a component's blockers bind it alone) */
                unsigned fams = parts_run(rep);
                for (uint32_t c = 0; c < rep->ncomponents; c++) {
                    const vm_eval_report *ev = &rep->components[c].ev;
                    bool mine = r[i].component && strcmp(r[i].component, rep->components[c].comp->name) == 0;
                    for (uint32_t j = 0; j < nb; j++) {
                        int t = r[i].blockers[j].target;
                        bool bound = mine || (!r[i].component && part_bound(&ev->res, t, r[i].pp, fams));
                        for (uint32_t q = 0; q < ev->nfired && bound; q++) {
                            const vm_rule *x = vm_ruleset_rule(f->rs, ev->fired[q]);
                            if (!((x->excludes >> t) & 1u))
                                continue;
                            bool listed = false;
                            for (uint32_t m = 0; m < nb; m++)
                                listed |= r[i].blockers[m].rule == x;
                            assert_true(listed);
                        }
                    }
                }
                for (uint32_t j = 0; j < nb; j++) {
                    int t = r[i].blockers[j].target;
                    bool found = false;
                    for (uint32_t c = 0; c < rep->ncomponents && !found; c++) {
                        const vm_eval_report *ev = &rep->components[c].ev;
                        bool bound = r[i].component ? strcmp(r[i].component, rep->components[c].comp->name) == 0
                                                    : part_bound(&ev->res, t, r[i].pp, fams);
                        for (uint32_t q = 0; q < ev->nfired && bound; q++)
                            found |= vm_ruleset_rule(f->rs, ev->fired[q]) == r[i].blockers[j].rule;
                    }
                    assert_true(found);
                    sys_checked++;
                }
            }
            const uint32_t all = (1u << nb) - 1u;
            uint32_t subset = (uint32_t)rng_next(&seed) & all;
            if (rng_next(&seed) % 4 == 0)
                subset = all; /* often all of them */
            bool anyrule = rng_next(&seed) % 10 == 0;
            /* the waiver set: the subset, a rule-less one maybe, and noise */
            vm_waiver items[32];
            int of[32]; /* the blocker a waiver covers; -2 every one; -1 none */
            uint32_t nw = 0;
            for (uint32_t j = 0; j < nb; j++)
                if ((subset >> j) & 1u)
                    add(items, of, &nw, "*", VM_WAIVE_BLOCKER, r[i].blockers[j].rule->id, (int)j);
            if (anyrule)
                add(items, of, &nw, "g*", VM_WAIVE_BLOCKER, NULL, -2);
            for (int x = (int)(rng_next(&seed) % 4); x > 0; x--) {
                const vm_rule *o = vm_ruleset_rule(f->rs, rng_next(&seed) % nrules);
                bool blocking = false;
                for (uint32_t j = 0; j < nb; j++)
                    blocking |= r[i].blockers[j].rule == o;
                if (!blocking)
                    add(items, of, &nw, "*", VM_WAIVE_BLOCKER, o->id, -1);
            }
            add(items, of, &nw, "*", VM_WAIVE_MISMATCH, NULL, -1);
            /* shuffle */
            for (uint32_t a = nw; a > 1; a--) {
                uint32_t b = (uint32_t)(rng_next(&seed) % a);
                vm_waiver t = items[a - 1];
                items[a - 1] = items[b];
                items[b] = t;
                int u = of[a - 1];
                of[a - 1] = of[b];
                of[b] = u;
            }
            for (uint32_t a = 0; a < nw; a++)
                items[a].expires = today;
            vm_waivers w = {.file = "w.yaml", .items = items, .n = nw};
            vm_waiver_verdict v;
            int got = vm_waivers_apply(&w, "p.yaml", "g1", &r[i], today, &v);
            bool want = anyrule || subset == all;
            assert_int_equal(got >= 0, want);
            assert_int_equal(vm_waivers_match(&w, "p.yaml", "g1", &r[i], today), got);
            if (want) {
                waived++;
                assert_null(v.uncovered.rule);
                /* shown: the first waiver in file order that covers the
                 * named rule */
                int first = -1;
                for (uint32_t a = 0; a < nw && first < 0; a++)
                    if (of[a] == 0 || of[a] == -2)
                        first = (int)a;
                assert_int_equal(got, first);
            } else {
                refused++;
                uint32_t j = 0;
                while ((subset >> j) & 1u)
                    j++;
                assert_ptr_equal(v.uncovered.rule, r[i].blockers[j].rule);
                assert_int_equal(v.uncovered.target, r[i].blockers[j].target);
            }
            /* used: the first waiver in file order covering each rule */
            for (uint32_t a = 0; a < nw; a++) {
                bool first_for_some = false;
                for (uint32_t j = 0; j < nb; j++) {
                    uint32_t b = 0;
                    while (b < nw && of[b] != (int)j && of[b] != -2)
                        b++;
                    first_for_some |= b == a;
                }
                assert_int_equal(used(&v, a), first_for_some);
            }
            /* the day after, nothing holds */
            assert_int_equal(vm_waivers_apply(&w, "p.yaml", "g1", &r[i], today + 1, &v), -1);
            assert_ptr_equal(v.uncovered.rule, r[i].rule);
        }
    }
    /* the generator reaches every case */
    assert_true(blockers > 500);
    assert_true(multi > 100);
    assert_true(sys_checked > 100);
    assert_true(waived > 100);
    assert_true(refused > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calendar_round_trip),
        cmocka_unit_test(parses_a_waiver),
        cmocka_unit_test(rejects_with_positions),
        cmocka_unit_test(matching),
        cmocka_unit_test(blockers_each_need_a_waiver),
        cmocka_unit_test(generated_waiver_sets),
    };
    return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
