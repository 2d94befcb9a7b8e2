/*
 * test_waiver.c - waiver files (src/lib/waiver.c): the calendar, parsing and
 * validation with positions, the expiry horizon, and matching gate results
 * (expiry day inclusive, globs, components, rule and gate kinds).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

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

static void parses_a_waiver(void **state)
{
    const fixture *f = *state;
    vm_waivers w;
    vm_diags d;
    assert_int_equal(parse(f,
                           HEAD "  - profile: billing-*\n    component: ledger\n    rule: workload.custom-kernel\n"
                                "    reason: replaced by eBPF in Q3\n    owner: team-a\n    expires: 2027-03-01\n"
                                "    ticket: ARB-1\n"
                                "  - file: ./profiles/*.yaml\n    gate: mismatch\n    reason: accepted for the move\n"
                                "    owner: team-b\n    expires: '2026-12-31'\n",
                           day("2026-12-06"), &w, &d),
                     VM_OK);
    assert_int_equal(d.count, 0);
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
    vm_diags d;
    assert_int_equal(parse(f,
                           HEAD "  - profile: bill*\n    component: ledger\n    gate: mismatch\n"
                                "    reason: good reason\n    owner: o\n    expires: 2027-01-01\n"
                                "  - file: legacy/*\n    gate: blocker:workload.custom-kernel\n"
                                "    reason: good reason\n    owner: o\n    expires: 2027-01-01\n"
                                "  - profile: any\n    gate: no-decision\n"
                                "    reason: good reason\n    owner: o\n    expires: 2027-01-01\n",
                           day("2026-12-06"), &w, &d),
                     VM_OK);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calendar_round_trip),
        cmocka_unit_test(parses_a_waiver),
        cmocka_unit_test(rejects_with_positions),
        cmocka_unit_test(matching),
    };
    return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
