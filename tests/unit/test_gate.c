/*
 * test_gate.c - the CI gate's decision (src/lib/gate.c): the policy over
 * every kind, confidence and option, and vm_gate_judge on real profiles
 * (subjects, kinds, blockers, where results point).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "vmctr/engine.h"
#include "vmctr/gate.h"
#include "vmctr/profile.h"
#include "vmctr/target.h"
#include "fixture.h"


/* Judges the one document in `text`; returns the number of results. */
static size_t judge(fixture *f, const char *text, const vm_gate_policy *pol, vm_gate_result *out)
{
    vm_arena_reset(f->a);
    vm_profile *p = NULL;
    vm_report *rep = fixture_report(f, text, 0, &p);
    bool oom = false;
    size_t n = vm_gate_judge(rep, p, pol, f->a, out, &oom);
    assert_false(oom);
    return n;
}

/* The policy, exhaustively over kinds, options and confidences around
 * the threshold: a match always passes, a blocker always fails, no
 * decision notes unless required, a mismatch fails at or above the
 * threshold unless --fail-on blocker, and --fail-on warning makes every
 * warning a failure. */
static void policy_table(void **state)
{
    (void)state;
    const double confs[] = {0.0, 0.39, 0.4, 0.41, 0.6, 0.5999999, 1.0};
    const double mins[] = {0.0, 0.4, 0.6, 1.0};
    for (int fo = VM_FAIL_ON_BLOCKER; fo <= VM_FAIL_ON_WARNING; fo++)
        for (int req = 0; req < 2; req++)
            for (size_t m = 0; m < sizeof mins / sizeof *mins; m++)
                for (size_t c = 0; c < sizeof confs / sizeof *confs; c++) {
                    vm_gate_policy pol = {(vm_fail_on)fo, mins[m], req != 0};
                    double x = confs[c];
                    assert_int_equal(vm_gate_outcome_of(VM_GATE_MATCH, x, &pol), VM_GATE_PASS);
                    assert_int_equal(vm_gate_outcome_of(VM_GATE_BLOCKER, x, &pol), VM_GATE_FAIL);
                    assert_int_equal(vm_gate_outcome_of(VM_GATE_NO_DECISION, x, &pol),
                                     req ? VM_GATE_FAIL : VM_GATE_NOTE);
                    vm_gate_outcome mm = vm_gate_outcome_of(VM_GATE_MISMATCH, x, &pol);
                    if (fo == VM_FAIL_ON_WARNING)
                        assert_int_equal(mm, VM_GATE_FAIL);
                    else if (fo == VM_FAIL_ON_BLOCKER)
                        assert_int_equal(mm, VM_GATE_WARN);
                    else
                        assert_int_equal(mm, x >= mins[m] - 1e-12 ? VM_GATE_FAIL : VM_GATE_WARN);
                }
    assert_string_equal(vm_gate_outcome_name(VM_GATE_WAIVED), "waived");
    assert_string_equal(vm_gate_kind_name(VM_GATE_NO_DECISION), "no-decision");
}

/* Which platforms a paradigm runs on: its own family's; a hybrid, the VMs'
 * and the containers'; nothing for a platform id, -1 or out of range. */
static void paradigm_runs_families(void **state)
{
    (void)state;
    for (int p = -2; p <= VM_TARGET_COUNT; p++)
        for (int f = -2; f <= VM_TARGET_COUNT; f++) {
            bool fam = f == VM_T_VM || f == VM_T_CONTAINER || f == VM_T_MICROVM;
            bool want = fam && (p == f || (p == VM_T_HYBRID && f != VM_T_MICROVM));
            assert_int_equal(vm_paradigm_runs(p, f), want);
        }
    assert_true(vm_paradigm_runs(VM_T_HYBRID, vm_platform_family(VM_T_KUBERNETES)));
    assert_false(vm_paradigm_runs(VM_T_HYBRID, vm_platform_family(VM_T_FIRECRACKER)));
}

/* Blockers under system proposals (docs/ci.md): a component's own platform
 * under an inherited hybrid paradigm is its own proposal and applies; a
 * proposal of one paradigm puts every component on its platform; a platform
 * of a kind no component runs is blocked when every component excludes it. */
static void system_proposals_bind(void **state)
{
    fixture *f = *state;
    vm_gate_policy pol = VM_GATE_POLICY_INIT;
    vm_gate_result r[VM_GATE_MAX_RESULTS];
    /* untrusted sandbox names kubernetes itself, under the parent's hybrid */
    size_t n = judge(f,
                     "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: shop}\nspec:\n"
                     "  decision: {paradigm: hybrid}\n"
                     "  components:\n"
                     "    - name: web\n      workload: {architecture: microservices}\n"
                     "      delivery: {scaling: elastic, release_frequency: daily}\n"
                     "    - name: sandbox\n      isolation: {untrusted_code: true, multi_tenant: true}\n"
                     "      decision: {platform: kubernetes}\n",
                     &pol, r);
    assert_int_equal(n, 3);
    assert_string_equal(r[2].component, "sandbox");
    assert_int_equal(r[2].kind, VM_GATE_BLOCKER);
    assert_int_equal(r[2].blocked, VM_T_KUBERNETES);
    assert_int_equal(r[2].outcome, VM_GATE_FAIL);
    assert_int_equal(r[2].line, 12); /* its own decision.platform */
    /* vm/vmware-esxi puts the public-cloud web tier on esxi too */
    n = judge(f,
              "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: mixed}\nspec:\n"
              "  decision: {paradigm: vm, platform: vmware-esxi}\n"
              "  components:\n"
              "    - name: ledger\n      workload: {architecture: monolith, custom_kernel: true}\n"
              "    - name: web\n      workload: {architecture: microservices}\n"
              "      delivery: {scaling: elastic, release_frequency: daily}\n"
              "      strategy: {hosting: public-cloud}\n",
              &pol, r);
    assert_null(r[0].component);
    assert_int_equal(r[0].kind, VM_GATE_BLOCKER);
    assert_int_equal(r[0].blocked, VM_T_VMWARE_ESXI);
    assert_string_equal(r[0].rule->id, "strategy.public-cloud-vms");
    /* hybrid on kubernetes where every part is untrusted: no part can be
     * the containers */
    n = judge(f,
              "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: all-untrusted}\nspec:\n"
              "  isolation: {untrusted_code: true}\n"
              "  decision: {paradigm: hybrid, platform: kubernetes}\n"
              "  components:\n"
              "    - name: a\n      workload: {architecture: monolith}\n"
              "    - name: b\n      workload: {architecture: microservices}\n",
              &pol, r);
    assert_null(r[0].component);
    assert_int_equal(r[0].kind, VM_GATE_BLOCKER);
    assert_int_equal(r[0].blocked, VM_T_KUBERNETES);
    assert_int_equal(r[0].nblockers, 1);
    /* ... but one part that could run it: a mismatch, not a blocker */
    n = judge(f,
              "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: one-untrusted}\nspec:\n"
              "  decision: {paradigm: hybrid, platform: kubernetes}\n"
              "  components:\n"
              "    - name: a\n      workload: {architecture: monolith, os: windows}\n"
              "    - name: b\n      isolation: {untrusted_code: true}\n",
              &pol, r);
    assert_null(r[0].component);
    assert_int_not_equal(r[0].kind, VM_GATE_BLOCKER);
}

static void blocker_names_the_rule(void **state)
{
    fixture *f = *state;
    vm_gate_policy pol = VM_GATE_POLICY_INIT;
    vm_gate_result r[VM_GATE_MAX_RESULTS];
    size_t n = judge(f,
                     "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: k\nspec:\n"
                     "  workload: {architecture: monolith, os: linux, custom_kernel: true}\n"
                     "  decision: {paradigm: container, platform: kubernetes}\n",
                     &pol, r);
    assert_int_equal(n, 1);
    assert_null(r[0].component);
    assert_int_equal(r[0].kind, VM_GATE_BLOCKER);
    assert_int_equal(r[0].outcome, VM_GATE_FAIL);
    assert_int_equal(r[0].blocked, VM_T_CONTAINER);
    assert_non_null(r[0].rule);
    assert_string_equal(r[0].rule->id, "workload.custom-kernel");
    /* it excludes both container and kubernetes: one blocker */
    assert_int_equal(r[0].nblockers, 1);
    assert_ptr_equal(r[0].blockers[0].rule, r[0].rule);
    assert_int_equal(r[0].blockers[0].target, VM_T_CONTAINER);
    /* points at decision.paradigm */
    assert_int_equal(r[0].line, 7);
    assert_int_equal(r[0].col, 24);
    /* --fail-on blocker does not soften a blocker */
    pol.fail_on = VM_FAIL_ON_BLOCKER;
    judge(f,
          "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: k\nspec:\n"
          "  workload: {architecture: monolith, os: linux, custom_kernel: true}\n"
          "  decision: {paradigm: container}\n",
          &pol, r);
    assert_int_equal(r[0].outcome, VM_GATE_FAIL);
}

/* Two fired rules exclude what kiosk proposes: windows-os the paradigm,
 * custom-kernel the platform. Both are its blockers, the paradigm's first
 * (the one the result names); other kinds have none. */
static void every_blocking_rule(void **state)
{
    fixture *f = *state;
    vm_gate_policy pol = VM_GATE_POLICY_INIT;
    vm_gate_result r[VM_GATE_MAX_RESULTS];
    judge(f,
          "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: kiosk}\nspec:\n"
          "  workload: {os: windows, custom_kernel: true}\n"
          "  decision: {paradigm: microvm, platform: gvisor}\n",
          &pol, r);
    assert_int_equal(r[0].kind, VM_GATE_BLOCKER);
    assert_int_equal(r[0].blocked, VM_T_MICROVM);
    assert_string_equal(r[0].rule->id, "workload.windows-os");
    assert_int_equal(r[0].nblockers, 2);
    assert_ptr_equal(r[0].blockers[0].rule, r[0].rule);
    assert_int_equal(r[0].blockers[0].target, VM_T_MICROVM);
    assert_string_equal(r[0].blockers[1].rule->id, "workload.custom-kernel");
    assert_int_equal(r[0].blockers[1].target, VM_T_GVISOR);
    /* only the platform is excluded: custom-kernel alone */
    judge(f,
          "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: kiosk}\nspec:\n"
          "  workload: {os: linux, custom_kernel: true}\n"
          "  decision: {paradigm: microvm, platform: gvisor}\n",
          &pol, r);
    assert_int_equal(r[0].kind, VM_GATE_BLOCKER);
    assert_int_equal(r[0].blocked, VM_T_GVISOR);
    assert_int_equal(r[0].nblockers, 1);
    assert_string_equal(r[0].blockers[0].rule->id, "workload.custom-kernel");
    /* a system: a rule that fires in two components is listed once */
    judge(f,
          "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: sys}\nspec:\n"
          "  decision: {paradigm: microvm}\n"
          "  components:\n"
          "    - name: a\n      workload: {os: windows}\n"
          "    - name: b\n      workload: {os: windows}\n",
          &pol, r);
    assert_int_equal(r[0].kind, VM_GATE_BLOCKER);
    assert_null(r[0].component);
    assert_int_equal(r[0].nblockers, 1);
    assert_string_equal(r[0].blockers[0].rule->id, "workload.windows-os");
    /* no blocker, no list */
    judge(f,
          "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: w}\nspec:\n"
          "  workload: {os: windows}\n  decision: {paradigm: vm}\n",
          &pol, r);
    assert_int_not_equal(r[0].kind, VM_GATE_BLOCKER);
    assert_int_equal(r[0].nblockers, 0);
    assert_null(r[0].blockers);
}

static void match_and_mismatch(void **state)
{
    fixture *f = *state;
    vm_gate_policy pol = VM_GATE_POLICY_INIT;
    vm_gate_result r[VM_GATE_MAX_RESULTS];
    const char *head = "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: a\nspec:\n"
                       "  workload: {architecture: microservices, lifecycle: greenfield, os: linux, "
                       "packaging: container-image, twelve_factor: true}\n"
                       "  delivery: {release_frequency: daily, scaling: elastic, ci_cd: advanced}\n";
    char text[1024];
    /* whatever vmctr recommends, proposing exactly that passes */
    snprintf(text, sizeof text, "%s", head);
    judge(f, text, &pol, r);
    assert_int_equal(r[0].kind, VM_GATE_NO_DECISION);
    assert_int_equal(r[0].outcome, VM_GATE_NOTE);
    assert_int_equal(r[0].line, 4); /* metadata.name */
    int rp = r[0].rp;
    assert_true(rp >= 0);
    snprintf(text, sizeof text, "%s  decision: {paradigm: %s}\n", head, vm_target_name(rp));
    judge(f, text, &pol, r);
    assert_int_equal(r[0].kind, VM_GATE_MATCH);
    assert_int_equal(r[0].outcome, VM_GATE_PASS);
    /* every other non-excluded paradigm is a mismatch with a reason */
    for (int t = 0; t < VM_PARADIGM_COUNT; t++) {
        if (t == rp)
            continue;
        snprintf(text, sizeof text, "%s  decision: {paradigm: %s}\n", head, vm_target_name(t));
        judge(f, text, &pol, r);
        assert_true(r[0].kind == VM_GATE_MISMATCH || r[0].kind == VM_GATE_BLOCKER);
        if (r[0].kind == VM_GATE_MISMATCH) {
            assert_int_equal(r[0].outcome, vm_gate_outcome_of(VM_GATE_MISMATCH, r[0].conf, &pol));
            assert_non_null(r[0].rule);
            assert_true(r[0].reason[0] != '\0');
        }
    }
}

/* A platform the fixed tie order passed over is as good as the one it
 * picked: for profiles with and without a platform tie, proposing each
 * platform of the recommended paradigm's family matches exactly when it is
 * the recommended one or tied with it, and the result carries the tie. */
static void tied_platform_matches(void **state)
{
    fixture *f = *state;
    vm_gate_policy pol = VM_GATE_POLICY_INIT;
    vm_gate_result r[VM_GATE_MAX_RESULTS];
    static const char *const specs[] = {
        "  workload: {os: other}\n",                                       /* five VM platforms tie */
        "  workload: {architecture: batch, os: linux}\n",                  /* docker and kubernetes */
        "  workload: {os: windows}\n  strategy: {current_platform: vmware-esxi}\n", /* no tie */
        "  workload: {os: linux, gui: true}\n  team: {windows: advanced}\n",
    };
    int ties = 0;
    for (size_t i = 0; i < sizeof specs / sizeof *specs; i++) {
        char text[1024];
        snprintf(text, sizeof text, "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: t}\nspec:\n%s",
                 specs[i]);
        judge(f, text, &pol, r);
        int rp = r[0].rp, rq = r[0].rq;
        uint16_t tied = r[0].platform_tied;
        assert_true(rp >= 0 && rq >= 0);
        ties += tied != 0;
        int lo, hi;
        assert_true(vm_family_range(rp == VM_T_HYBRID ? VM_T_VM : rp, &lo, &hi));
        for (int q = lo; q <= hi; q++) {
            snprintf(text, sizeof text,
                     "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: t}\nspec:\n%s"
                     "  decision: {paradigm: %s, platform: %s}\n",
                     specs[i], vm_target_name(rp), vm_target_name(q));
            judge(f, text, &pol, r);
            if (r[0].kind == VM_GATE_BLOCKER)
                continue;
            bool want = q == rq || ((tied >> q) & 1u);
            assert_int_equal(r[0].kind, want ? VM_GATE_MATCH : VM_GATE_MISMATCH);
            assert_int_equal(r[0].platform_tied, tied);
        }
    }
    assert_true(ties >= 2); /* the cases above do hold ties */
    /* the note check's messages carry names every platform of a tie, even
     * when both of a hybrid's families tie (a 64-byte buffer cut it) */
    char note[160];
    uint16_t all = 0;
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++)
        all |= (uint16_t)(1u << t);
    vm_report_tie_note(all, note, sizeof note);
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++)
        assert_non_null(strstr(note, vm_target_name(t)));
    assert_int_equal(note[strlen(note) - 1], ')');
    vm_report_tie_note(0, note, sizeof note);
    assert_string_equal(note, "");
    /* a verdict's note: its ties, none when it names no platform */
    vm_verdict v = {.platform = VM_T_DOCKER, .platform_tied = (uint16_t)(1u << VM_T_DOCKER | 1u << VM_T_KUBERNETES)};
    assert_string_equal(vm_verdict_tie_note(&v, note, sizeof note), " (a platform tie: docker, kubernetes)");
    v.platform = -1;
    assert_string_equal(vm_verdict_tie_note(&v, note, sizeof note), "");
}

/* What the reports print as "matches"/"differs": the proposed paradigm is
 * the verdict's and the proposed platform any one the verdict names. */
static void proposal_matches_verdict(void **state)
{
    (void)state;
    int hy = VM_T_HYBRID, esxi = VM_T_VMWARE_ESXI, k8s = VM_T_KUBERNETES, fc = VM_T_FIRECRACKER;
    assert_true(vm_report_proposal_matches(-1, -1, hy, esxi, k8s, fc));
    assert_true(vm_report_proposal_matches(hy, -1, hy, esxi, k8s, fc));
    assert_true(vm_report_proposal_matches(-1, esxi, hy, esxi, k8s, fc));
    assert_true(vm_report_proposal_matches(hy, k8s, hy, esxi, k8s, fc));
    assert_true(vm_report_proposal_matches(-1, fc, hy, esxi, k8s, fc));
    assert_false(vm_report_proposal_matches(VM_T_VM, -1, hy, esxi, k8s, fc));
    assert_false(vm_report_proposal_matches(hy, VM_T_DOCKER, hy, esxi, k8s, fc));
    assert_false(vm_report_proposal_matches(-1, VM_T_DOCKER, VM_T_CONTAINER, k8s, -1, -1));
}

static void components_are_subjects(void **state)
{
    fixture *f = *state;
    vm_gate_policy pol = VM_GATE_POLICY_INIT;
    vm_gate_result r[VM_GATE_MAX_RESULTS];
    /* only a component decides: the system itself is not checked */
    size_t n = judge(f,
                     "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: shop\nspec:\n"
                     "  components:\n"
                     "    - name: web\n"
                     "      workload: {architecture: microservices, os: linux, packaging: container-image}\n"
                     "      decision: {paradigm: container}\n"
                     "    - name: batch\n"
                     "      workload: {architecture: batch, os: linux}\n",
                     &pol, r);
    assert_int_equal(n, 2);
    assert_string_equal(r[0].component, "web");
    assert_string_equal(r[1].component, "batch");
    assert_int_equal(r[1].kind, VM_GATE_NO_DECISION);
    assert_int_equal(r[1].line, 10); /* the component's entry */
    /* a system decision: the system first, then every component */
    n = judge(f,
              "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: sys\nspec:\n"
              "  decision: {paradigm: hybrid}\n"
              "  components:\n"
              "    - name: a\n      workload: {os: linux}\n"
              "    - name: b\n      workload: {os: windows}\n",
              &pol, r);
    assert_int_equal(n, 3);
    assert_null(r[0].component);
    assert_true(strstr(r[0].reason, "components: a ") == r[0].reason);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(policy_table),
        cmocka_unit_test(paradigm_runs_families),
        cmocka_unit_test(system_proposals_bind),
        cmocka_unit_test(blocker_names_the_rule),
        cmocka_unit_test(every_blocking_rule),
        cmocka_unit_test(match_and_mismatch),
        cmocka_unit_test(proposal_matches_verdict),
        cmocka_unit_test(components_are_subjects),
        cmocka_unit_test(tied_platform_matches),
    };
    return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
