/*
 * test_portfolio.c - portfolio aggregation (src/lib/portfolio.c): the
 * entry of a real profile, counting, the least-confident list (bounded,
 * ties to the earlier profile, strings kept whole) and ranking.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "vmctr/engine.h"
#include "vmctr/profile.h"
#include "vmctr/sys/portfolio.h"
#include "fixture.h"

static vm_portfolio_entry entry(double conf, int paradigm, int platform, int cplatform, const char *name)
{
    return (vm_portfolio_entry){.paradigm = paradigm, .platform = platform, .cplatform = cplatform,
                                .xplatform = -1, .confidence = conf, .name = name, .file = "f.yaml"};
}

static void counts(void **state)
{
    (void)state;
    vm_portfolio p;
    assert_int_equal(vm_portfolio_init(&p, 4, 10), VM_OK);
    uint16_t blk[] = {1, 3};
    vm_portfolio_entry e = entry(0.5, VM_T_HYBRID, VM_T_VMWARE_ESXI, VM_T_KUBERNETES, "a");
    e.ncomponents = 2;
    e.blockers = blk;
    e.nblockers = 2;
    e.unknowns = (UINT64_C(1) << VM_F_WORKLOAD_OS) | (UINT64_C(1) << VM_F_TEAM_IAC);
    vm_portfolio_add(&p, &e);
    vm_portfolio_entry none = entry(0, -1, -1, -1, "b");
    vm_portfolio_add(&p, &none);
    /* a system of VMs and micro-VMs: its micro-VM platform counts too */
    vm_portfolio_entry x = entry(0.7, VM_T_HYBRID, VM_T_VMWARE_ESXI, -1, "c");
    x.xplatform = VM_T_FIRECRACKER;
    vm_portfolio_add(&p, &x);
    assert_int_equal(p.profiles, 3);
    assert_int_equal(p.components, 2);
    assert_int_equal(p.paradigm[VM_T_HYBRID], 2);
    assert_int_equal(p.paradigm[VM_PARADIGM_COUNT], 1); /* no paradigm */
    /* a hybrid counts for each of its platforms */
    assert_int_equal(p.platform[VM_T_VMWARE_ESXI], 2);
    assert_int_equal(p.platform[VM_T_KUBERNETES], 1);
    assert_int_equal(p.platform[VM_T_FIRECRACKER], 1);
    assert_int_equal(p.low[2].xplatform, VM_T_FIRECRACKER); /* kept with the entry */
    assert_int_equal(p.blockers[0], 0);
    assert_int_equal(p.blockers[1], 1);
    assert_int_equal(p.blockers[3], 1);
    assert_int_equal(p.unknowns[VM_F_WORKLOAD_OS], 1);
    assert_int_equal(p.unknowns[VM_F_TEAM_IAC], 1);
    assert_int_equal(p.unknowns[VM_F_TEAM_LINUX], 0);
    vm_portfolio_free(&p);
}

static void least_confident(void **state)
{
    (void)state;
    vm_portfolio p;
    assert_int_equal(vm_portfolio_init(&p, 1, 3), VM_OK);
    const double conf[] = {0.9, 0.2, 0.5, 0.2, 0.1, 0.95, 0.5};
    char long_file[600];
    memset(long_file, 'd', sizeof long_file - 1);
    long_file[sizeof long_file - 1] = '\0';
    for (size_t i = 0; i < sizeof conf / sizeof *conf; i++) {
        char name[16];
        snprintf(name, sizeof name, "p%zu", i);
        vm_portfolio_entry e = entry(conf[i], VM_T_VM, -1, -1, name);
        e.doc = (uint32_t)i;
        e.file = long_file;
        vm_portfolio_add(&p, &e); /* name is reused: the summary keeps copies */
    }
    assert_int_equal(p.nlow, 3);
    /* the three lowest, lowest first; of the two at 0.2 the earlier first */
    assert_string_equal(p.low[0].name, "p4");
    assert_string_equal(p.low[1].name, "p1");
    assert_string_equal(p.low[2].name, "p3");
    assert_int_equal(p.low[2].doc, 3);
    assert_int_equal(strlen(p.low[0].file), sizeof long_file - 1); /* never truncated */
    assert_false(p.oom);
    vm_portfolio_free(&p);
}

static void ranking(void **state)
{
    (void)state;
    const uint64_t c[] = {0, 5, 2, 5, 0, 9, 1};
    vm_ranked r[7];
    int n = vm_portfolio_rank(c, 7, 3, r);
    assert_int_equal(n, 3);
    assert_int_equal(r[0].id, 5);
    assert_int_equal(r[1].id, 1); /* ties: the lower id first */
    assert_int_equal(r[2].id, 3);
    assert_int_equal(r[2].n, 5);
    n = vm_portfolio_rank(c, 7, 7, r);
    assert_int_equal(n, 5); /* zero counts are left out */
    assert_int_equal(r[4].id, 6);
}

static void entry_of_a_system(void **state)
{
    fixture *f = *state;
    const vm_ruleset *rs = f->rs;
    vm_arena *a = f->a;
    const char *text = "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: sys\nspec:\n"
                       "  workload: {os: windows, gui: true}\n  components:\n"
                       "    - {name: one, workload: {custom_kernel: true}}\n"
                       "    - {name: two, workload: {custom_kernel: true}}\n";
    const vm_report *rep = fixture_report(f, text, VM_REPORT_UNKNOWNS, NULL);
    vm_portfolio_entry pe;
    assert_int_equal(vm_portfolio_entry_of(a, rep, "s.yaml", 4, 1, &pe), VM_OK);
    assert_string_equal(pe.name, "sys");
    assert_int_equal(pe.line, 4); /* metadata.name's line */
    assert_int_equal(pe.doc, 4);
    assert_int_equal(pe.ncomponents, 2);
    assert_int_equal(pe.paradigm, rep->paradigm);
    /* recommendation.platform_ties of the system; its micro-VM platform */
    assert_int_equal(pe.tied, rep->sys.platform_tied);
    assert_int_equal(pe.xplatform, rep->sys.extra_platform);
    /* each blocking rule once, though both components fire it */
    assert_true(pe.nblockers > 0);
    for (uint32_t i = 0; i < pe.nblockers; i++) {
        assert_true(vm_ruleset_rule(rs, pe.blockers[i])->excludes != 0);
        for (uint32_t j = 0; j < i; j++)
            assert_int_not_equal(pe.blockers[i], pe.blockers[j]);
    }
    /* the union of the unknowns of the profile and its components */
    uint64_t want = 0;
    for (uint32_t k = 0; k <= rep->ncomponents; k++) {
        const vm_eval_report *ev = k ? &rep->components[k - 1].ev : &rep->main;
        for (uint32_t i = 0; i < ev->nunknowns; i++)
            want |= UINT64_C(1) << ev->unknowns[i].field;
    }
    assert_int_equal(pe.unknowns, want);
    /* a profile that answers little has unknowns worth answering */
    rep = fixture_report(f, "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: few}\n",
                          VM_REPORT_UNKNOWNS, NULL);
    assert_int_equal(vm_portfolio_entry_of(a, rep, "f.yaml", 0, 1, &pe), VM_OK);
    assert_true(rep->main.nunknowns > 0);
    assert_int_equal(pe.tied, rep->main.res.platform_tied);
    assert_int_equal(pe.xplatform, -1);
    for (uint32_t i = 0; i < rep->main.nunknowns; i++)
        assert_true((pe.unknowns >> rep->main.unknowns[i].field) & 1u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts),
        cmocka_unit_test(least_confident),
        cmocka_unit_test(ranking),
        cmocka_unit_test(entry_of_a_system),
    };
    return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
