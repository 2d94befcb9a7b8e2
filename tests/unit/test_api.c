/*
 * test_api.c - what the public headers promise about NULL and failure
 * (include/vmctr/common.h "Conventions" and each declaration): every
 * vm_*_free accepts NULL, the arguments documented as "may be NULL" may be,
 * and out of memory comes back as VM_EIO rather than as a user error or a
 * NULL hidden in a result.
 *
 * Out of memory is made with the linker: this test is linked with
 * -Wl,--wrap for malloc, calloc and realloc (tests/CMakeLists.txt), so
 * every allocation in libvmctr's objects goes through the wrappers below
 * and fails while `fail_malloc` is set (after `malloc_budget` more
 * successes). All three are wrapped: an optimising build turns a malloc
 * followed by a memset into a calloc, and the buffers grow by realloc, so
 * wrapping malloc alone left those paths untried. The arena takes its blocks
 * from malloc; an arena filled to leave `room` bytes in its block makes the
 * allocation that does not fit fail, at every point of a parse in turn.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "vmctr/vmctr.h"
#include "vmctr/sys/answers.h"
#include "vmctr/sys/config.h"
#include "fixture.h"

void *__real_malloc(size_t n);
void *__wrap_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);
/* volatile: the compiler takes malloc and its kin for functions that touch
 * no variable of this file, and would otherwise move or drop the stores
 * around a call (seen with GCC's LTO and clang's ThinLTO). */
static volatile bool fail_malloc;
static volatile int malloc_budget = -1; /* with fail_malloc: allocations that still succeed (-1: none) */
static volatile bool fail_once;         /* only the allocation after the budget fails, later ones succeed */
static volatile unsigned malloc_refused; /* allocations failed so far */
/* Whether the next allocation fails: malloc, calloc and realloc share one
 * budget (the compiler may turn a malloc and memset into a calloc). */
static bool refuse(void)
{
    if (!fail_malloc)
        return false;
    int left = malloc_budget;
    malloc_budget = left - 1;
    if (fail_once ? left != 0 : left > 0)
        return false;
    malloc_refused = malloc_refused + 1;
    return true;
}
void *__wrap_malloc(size_t n) { return refuse() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) { return refuse() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t n) { return refuse() ? NULL : __real_realloc(p, n); }

static bool says_out_of_memory(const vm_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        if (strcmp(d->items[i].message, "out of memory") == 0)
            return true;
    return false;
}

/* A parse that did not succeed under malloc budget / arena room failed
 * for want of memory: VM_EIO, and a diagnostic says so. */
static void expect_out_of_memory(const char *what, int budget, size_t room, vm_status st, const vm_diags *d)
{
    if (st != VM_EIO)
        fail_msg("%sbudget %d room %zu: status %d, %s", what, budget, room, st, d->count ? d->items[0].message : "");
    assert_true(says_out_of_memory(d));
}

/* An arena whose first block (64 KiB, arena.c BLOCK_MIN) has `room` bytes
 * left: the next allocation past them needs a new block from malloc. */
static vm_arena *arena_with_room(size_t room)
{
    vm_arena *a = vm_arena_new();
    assert_non_null(a);
    assert_non_null(vm_arena_alloc_uninit(a, 64u * 1024u - room));
    return a;
}

static void frees_accept_null(void **state)
{
    (void)state;
    vm_arena_free(NULL);
    vm_arena_reset(NULL);
    assert_int_equal(vm_arena_trim(NULL, 0), 0);
    assert_int_equal(vm_arena_used(NULL), 0);
    vm_buf_free(NULL);
    vm_engine_free(NULL);
    vm_ruleset_free(NULL);
    vm_source_free(NULL);
}

static void documented_nulls(void **state)
{
    (void)state;
    /* vm_source_mem: display may be NULL, and the name is then NULL */
    vm_source *s = vm_source_mem("a: 1\n", 5, NULL);
    assert_non_null(s);
    assert_null(vm_source_name(s));
    vm_source_free(s);
    /* vm_field_value_help(_count): NULL field */
    assert_null(vm_field_value_help(NULL, 0));
    assert_int_equal(vm_field_value_help_count(NULL), 0);
    /* vm_diag_add: path and file may be NULL */
    vm_diags d;
    vm_diags_clear(&d);
    vm_diag_add(&d, VM_SEV_ERROR, NULL, 2, 3, NULL, "bad %s", "thing");
    char line[64];
    assert_int_equal(vm_diag_format(&d.items[0], line, sizeof line), strlen("<input>:2:3: error: bad thing"));
    assert_string_equal(line, "<input>:2:3: error: bad thing");
    /* vm_suggest: cands may be NULL when n is 0 */
    assert_null(vm_suggest("word", NULL, 0));
    /* vm_waivers_match: w may be NULL */
    vm_gate_result r = {.outcome = VM_GATE_FAIL, .kind = VM_GATE_MISMATCH};
    assert_int_equal(vm_waivers_match(NULL, "p.yaml", "p", &r, 0), -1);
    /* vm_html_open: title may be NULL */
    vm_buf b;
    vm_buf_init(&b);
    vm_html_open(&b, NULL);
    assert_false(b.oom);
    assert_non_null(strstr(b.data, "<title></title>"));
    vm_buf_free(&b);
    assert_null(b.data);
    /* vm_system_compose: no parts */
    vm_system sys;
    vm_system_compose(NULL, 0, &sys);
    assert_int_equal(sys.paradigm, -1);
}

/* The length vm_diag_format returns is what it wrote, and cap 0 writes
 * nothing (it returned SIZE_MAX before, cap - 1 on an unsigned 0). */
static void diag_format_caps(void **state)
{
    (void)state;
    vm_diags d;
    vm_diags_clear(&d);
    vm_diag_add(&d, VM_SEV_WARNING, "f.yaml", 1, 2, "spec.x", "message");
    char out[8] = "xxxxxxx";
    assert_int_equal(vm_diag_format(&d.items[0], out, 0), 0);
    assert_string_equal(out, "xxxxxxx");
    assert_int_equal(vm_diag_format(&d.items[0], out, 1), 0);
    assert_string_equal(out, "");
    assert_int_equal(vm_diag_format(&d.items[0], out, sizeof out), 7);
    assert_string_equal(out, "f.yaml:");
}

/* vm_values_set_text: out of memory while copying a list's items is
 * VM_EIO, never VM_OK with a NULL item, and vals is unchanged on failure. */
static void set_text_out_of_memory(void **state)
{
    (void)state;
    bool eio = false, ok = false;
    for (size_t room = 0; room <= 256; room += 16) {
        vm_arena *a = arena_with_room(room);
        vm_values vals;
        memset(&vals, 0, sizeof vals);
        char err[64] = "";
        fail_malloc = true;
        vm_status st = vm_values_set_text(a, &vals, "isolation.compliance=pci-dss,hipaa", NULL, err, sizeof err);
        fail_malloc = false;
        const vm_value *v = &vals.v[VM_F_ISOLATION_COMPLIANCE];
        if (st == VM_OK) {
            ok = true;
            assert_true(v->set);
            assert_int_equal(v->u.list.n, 2);
            assert_string_equal(v->u.list.items[0], "pci-dss");
            assert_string_equal(v->u.list.items[1], "hipaa");
        } else {
            assert_int_equal(st, VM_EIO);
            assert_string_equal(err, "out of memory");
            assert_false(v->set);
            eio = true;
        }
        vm_arena_free(a);
    }
    assert_true(eio); /* both outcomes were reached: the loop covers the copies */
    assert_true(ok);
}

/* vm_report_what_if: out of memory is VM_EIO, not VM_EUSAGE (the assignment
 * is a valid one), and rep is unchanged on failure. */
static void what_if_out_of_memory(void **state)
{
    fixture *f = *state;
    vm_report *rep = fixture_report(f,
                                    "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: svc}\n"
                                    "spec:\n  workload: {architecture: microservices, os: linux}\n",
                                    0, NULL);
    static const char *const set[] = {"isolation.compliance=pci-dss,hipaa"};
    bool eio = false, ok = false;
    for (size_t room = 0; room <= 8192; room += 16) {
        vm_arena *a = arena_with_room(room);
        char err[64] = "";
        rep->what_if = NULL;
        fail_malloc = true;
        vm_status st = vm_report_what_if(a, f->e, rep, 0, set, 1, err, sizeof err);
        fail_malloc = false;
        if (st == VM_OK) {
            ok = true;
            assert_non_null(rep->what_if);
        } else {
            assert_int_equal(st, VM_EIO);
            assert_string_equal(err, "out of memory");
            assert_null(rep->what_if);
            eio = true;
        }
        vm_arena_free(a);
    }
    assert_true(eio);
    assert_true(ok);
}

/* vm_gate_judge: out of memory for a blocker's list of blocking rules
 * leaves the list empty with the first rule still named, and says so;
 * waivers then judge that rule alone (gate.h, waiver.h). */
static void gate_blockers_out_of_memory(void **state)
{
    fixture *f = *state;
    vm_profile *p = NULL;
    vm_report *rep = fixture_report(f,
                                    "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: kiosk}\n"
                                    "spec:\n  workload: {os: windows, custom_kernel: true}\n"
                                    "  decision: {paradigm: microvm, platform: gvisor}\n",
                                    0, &p);
    vm_gate_policy pol = VM_GATE_POLICY_INIT;
    vm_gate_result r[VM_GATE_MAX_RESULTS];
    vm_arena *a = arena_with_room(0);
    bool oom = false;
    unsigned refused = malloc_refused;
    fail_malloc = true;
    vm_gate_judge(rep, p, &pol, a, r, &oom);
    fail_malloc = false;
    assert_int_equal(r[0].kind, VM_GATE_BLOCKER);
    assert_string_equal(r[0].rule->id, "workload.windows-os");
    if (malloc_refused != refused) {
        assert_true(oom);
        assert_null(r[0].blockers);
        assert_int_equal(r[0].nblockers, 0);
    } else { /* link-time optimisation kept the arena's malloc from the wrapper */
        assert_false(oom);
        assert_int_equal(r[0].nblockers, 2);
    }
    vm_arena_free(a);
    /* room for it: no out of memory, nothing changed */
    a = vm_arena_new();
    oom = false;
    vm_gate_judge(rep, p, &pol, a, r, &oom);
    assert_false(oom);
    assert_int_equal(r[0].nblockers, 2);
    vm_arena_free(a);
}

/* vm_engine_questions with q->keep: out of memory while keeping is
 * VM_EIO with q->kept NULL, and the answers are those asked without
 * keeping (engine.h), wherever in the fields the arena runs out. In the
 * release build's link-time optimisation --wrap=malloc may miss the
 * arena's malloc on this path (no malloc is refused): then only the
 * answers are compared; the ASan build (no LTO) reaches both outcomes. */
static void questions_keep_out_of_memory(void **state)
{
    fixture *f = *state;
    vm_profile *p = NULL;
    fixture_report(f,
                   "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: svc}\n"
                   "spec:\n  workload: {architecture: microservices, os: linux}\n",
                   0, &p);
    vm_result base;
    vm_engine_eval(f->e, &p->values, &base, NULL);
    vm_variation u0[VM_REPORT_MAX_UNKNOWNS], c0[VM_REPORT_MAX_CF];
    memset(u0, 0, sizeof u0), memset(c0, 0, sizeof c0);
    vm_questions q0 = {.unknowns = u0, .unknowns_cap = VM_REPORT_MAX_UNKNOWNS, .cf = c0, .cf_cap = VM_REPORT_MAX_CF};
    assert_int_equal(vm_engine_questions(f->e, &p->values, &base, &q0), VM_OK);
    assert_true(q0.nunknowns > 0);
    bool eio = false, ok = false;
    unsigned refused = malloc_refused;
    for (size_t room = 0; room <= 65536; room += 256) {
        vm_arena *a = arena_with_room(room);
        vm_variation u[VM_REPORT_MAX_UNKNOWNS], cf[VM_REPORT_MAX_CF];
        memset(u, 0, sizeof u), memset(cf, 0, sizeof cf);
        vm_questions q = {.unknowns = u, .unknowns_cap = VM_REPORT_MAX_UNKNOWNS, .cf = cf,
                          .cf_cap = VM_REPORT_MAX_CF, .keep = a};
        fail_malloc = true;
        vm_status st = vm_engine_questions(f->e, &p->values, &base, &q);
        fail_malloc = false;
        if (st == VM_OK) {
            assert_non_null(q.kept);
            ok = true;
        } else {
            assert_int_equal(st, VM_EIO);
            assert_null(q.kept);
            eio = true;
        }
        assert_int_equal(q.nunknowns, q0.nunknowns);
        assert_int_equal(q.ncf, q0.ncf);
        assert_memory_equal(u, u0, q0.nunknowns * sizeof *u);
        assert_memory_equal(cf, c0, q0.ncf * sizeof *cf);
        vm_arena_free(a);
    }
    assert_true(eio); /* both outcomes were reached */
    assert_true(malloc_refused != refused);
    assert_true(ok);
}

/* A rule file padded so that its copy leaves `room` bytes in the rule
 * set's first arena block: the rules' strings then need a new block. */
static const char RULES[] =
    "apiVersion: vmctr/v1\nkind: RuleSet\nrules:\n"
    "  - id: delivery.frequent-releases\n    title: Frequent releases favour containers\n"
    "    category: delivery\n    reference: \"fixture\"\n    rationale: Weekly or faster releases.\n"
    "    when: {any: [{field: delivery.release_frequency, op: in, value: [daily, weekly]},"
    " {field: isolation.compliance, op: contains, value: pci-dss}]}\n"
    "    scores: {container: 3, kubernetes: 1}\n    risks: [\"Clusters need someone to run them\"]\n"
    "    suggests: [{topic: pipeline, text: Build images in CI}]\n    applies_to: [container, kubernetes]\n"
    "  - id: workload.custom-kernel\n    title: A custom kernel needs a VM\n    category: workload\n"
    "    reference: \"fixture\"\n    rationale: Containers share the host kernel.\n"
    "    when: {field: workload.custom_kernel, op: eq, value: true}\n    excludes: [container, docker]\n";

/* vm_ruleset_add: out of memory anywhere in a rule file is VM_EIO with
 * "out of memory", never VM_ERULES, a crash on a NULL string, or VM_OK
 * with a rule silently missing. */
static void ruleset_add_out_of_memory(void **state)
{
    (void)state;
    size_t body = sizeof RULES - 1;
    bool eio = false, ok = false;
    for (int budget = 0; budget <= 8; budget++)
        for (size_t room = 0; room <= 1024; room += 16) {
            /* fname ("r.yaml": 16 bytes) and the copy (n + 1 rounded to 16)
             * take 64 KiB - room of the first block */
            size_t n = 64u * 1024u - 16u - room - 16u;
            char *text = malloc(n + 1);
            assert_non_null(text);
            memset(text, '#', n);
            memcpy(text + n - body, RULES, body);
            text[n - body - 1] = '\n';
            vm_ruleset *rs = vm_ruleset_new();
            assert_non_null(rs);
            vm_diags d;
            vm_diags_clear(&d);
            fail_malloc = true;
            malloc_budget = budget;
            vm_status st = vm_ruleset_add(rs, "r.yaml", text, n, false, &d);
            fail_malloc = false;
            if (st == VM_OK) {
                ok = true;
                assert_int_equal(vm_ruleset_count(rs), 2);
                assert_string_equal(vm_ruleset_rule(rs, 0)->risks[0], "Clusters need someone to run them");
            } else {
                expect_out_of_memory("", budget, room, st, &d);
                eio = true;
            }
            vm_ruleset_free(rs);
            free(text);
        }
    assert_true(eio);
    assert_true(ok);
}

/* vm_waivers_parse and vm_ruletests_parse: the same, with the caller's
 * arena left with `room` bytes. */
static void waivers_and_ruletests_out_of_memory(void **state)
{
    (void)state;
    fail_malloc = false; /* a crash in the previous test may have left it set */
    vm_diags d;
    vm_diags_clear(&d);
    vm_ruleset *rs = vm_ruleset_new();
    assert_non_null(rs);
    assert_int_equal(vm_ruleset_add(rs, "r.yaml", RULES, sizeof RULES - 1, false, &d), VM_OK);
    assert_int_equal(vm_ruleset_finish(rs, &d), VM_OK);
    static const char waivers[] =
        "apiVersion: vmctr/v1\nkind: WaiverSet\nwaivers:\n"
        "  - profile: billing-*\n    component: ledger\n    rule: workload.custom-kernel\n"
        "    reason: replaced by eBPF in Q3\n    owner: team-a\n    expires: 2027-03-01\n    ticket: ARB-1\n"
        "  - file: ./profiles/*.yaml\n    gate: mismatch\n    reason: accepted for the move\n"
        "    owner: team-b\n    expires: '2026-12-31'\n";
    static const char tests[] =
        "apiVersion: vmctr/v1\nkind: RuleTest\ntests:\n"
        "  - name: kernel\n    profile: {workload: {os: linux, custom_kernel: true}}\n"
        "    expect: {fires: [workload.custom-kernel], not_fires: [delivery.frequent-releases],"
        " excludes: [container], contribution: [{rule: workload.custom-kernel, min: 0}]}\n"
        "  - name: releases\n    profile: {delivery: {release_frequency: daily}}\n"
        "    expect: {fires: [delivery.frequent-releases]}\n";
    int32_t today;
    assert_true(vm_date_parse("2026-12-06", 10, &today));
    bool weio = false, wok = false, teio = false, tok = false;
    for (int budget = 0; budget <= 8; budget++) /* a parser, a block, a case's profile text, ... */
        for (size_t room = 0; room <= 2048; room += 16) {
            vm_arena *a = arena_with_room(room);
            vm_waivers w;
            vm_diags_clear(&d);
            fail_malloc = true;
            malloc_budget = budget;
            vm_status st = vm_waivers_parse(a, "w.yaml", waivers, sizeof waivers - 1, rs, today, &w, &d);
            fail_malloc = false;
            if (st == VM_OK) {
                wok = true;
                assert_int_equal(w.n, 2);
                assert_string_equal(w.items[1].owner, "team-b");
            } else {
                expect_out_of_memory("waivers: ", budget, room, st, &d);
                assert_int_equal(w.n, 0);
                weio = true;
            }
            vm_arena_free(a);

            a = arena_with_room(room);
            vm_ruletests ts;
            vm_diags_clear(&d);
            fail_malloc = true;
            malloc_budget = budget;
            st = vm_ruletests_parse(a, "t.test.yaml", tests, sizeof tests - 1, rs, &ts, &d);
            fail_malloc = false;
            if (st == VM_OK) {
                tok = true;
                assert_int_equal(ts.n, 2);
                assert_int_equal(ts.items[0].nfires, 1);
                assert_string_equal(ts.items[0].fires[0], "workload.custom-kernel");
                assert_int_equal(ts.items[0].ncontribution, 1);
            } else {
                expect_out_of_memory("rule tests: ", budget, room, st, &d);
                assert_int_equal(ts.n, 0);
                teio = true;
            }
            vm_arena_free(a);
        }
    if (!(weio && wok && teio && tok))
        fail_msg("reached: waivers eio %d ok %d, rule tests eio %d ok %d", weio, wok, teio, tok);
    vm_ruleset_free(rs);
}

/* vm_config_parse: out of memory anywhere in a config (the parser, the
 * exclude list, the paths) is VM_EIO with "out of memory" -- exit 5 --,
 * never VM_EUSAGE (exit 2, "a bad invocation"), which it was before. */
static void config_out_of_memory(void **state)
{
    (void)state;
    fail_malloc = false;
    static const char cfg[] = "apiVersion: vmctr/v1\nkind: Config\ncheck:\n"
                              "  exclude: ['examples/**', 'tests/*.yaml', 'vendor/**']\n"
                              "  rules: policy/rules\n  waivers: policy/waivers.yaml\n"
                              "  min_confidence: 0.6\n  fail_on: mismatch\n";
    bool eio = false, ok = false;
    for (int budget = 0; budget <= 6; budget++)
        for (size_t room = 0; room <= 1024; room += 16) {
            vm_arena *a = arena_with_room(room);
            vm_config c;
            vm_diags d;
            vm_diags_clear(&d);
            fail_malloc = true;
            malloc_budget = budget;
            vm_status st = vm_config_parse(a, ".vmctr/config.yaml", cfg, sizeof cfg - 1, &c, &d);
            fail_malloc = false;
            if (st == VM_OK) {
                ok = true;
                assert_int_equal(c.nexclude, 3);
                assert_string_equal(c.waivers, "policy/waivers.yaml");
            } else {
                expect_out_of_memory("config: ", budget, room, st, &d);
                eio = true;
            }
            vm_arena_free(a);
        }
    if (!(eio && ok))
        fail_msg("reached: eio %d ok %d", eio, ok);
}

/* vm_answers_load (init --answers): out of memory in the YAML or JSON tree
 * or while applying an answer is VM_EIO -- exit 5 --, never VM_EPROFILE
 * ("invalid answers", exit 3), which it was before. */
static void answers_out_of_memory(void **state)
{
    (void)state;
    fail_malloc = false;
    static const char *const docs[] = {
        "metadata.name: shop\nspec.workload.os: linux\ndelivery:\n  release_frequency: daily\n"
        "team: {containers: advanced}\nmetadata.labels: {tier: web}\n",
        "{\"metadata.name\": \"shop\", \"spec\": {\"workload\": {\"os\": \"linux\"}}, \"team.iac\": \"partial\"}",
    };
    for (size_t k = 0; k < sizeof docs / sizeof *docs; k++) {
        bool eio = false, ok = false;
        for (int budget = 0; budget <= 6; budget++)
            for (size_t room = 0; room <= 1024; room += 8) {
                vm_arena *a = arena_with_room(room);
                vm_values v;
                memset(&v, 0, sizeof v);
                vm_diags d;
                vm_diags_clear(&d);
                fail_malloc = true;
                malloc_budget = budget;
                vm_status st = vm_answers_load(a, "answers.yaml", docs[k], strlen(docs[k]), &v, &d);
                fail_malloc = false;
                if (st == VM_OK) {
                    ok = true;
                    assert_true(v.v[VM_F_META_NAME].set);
                    assert_string_equal(v.v[VM_F_META_NAME].u.s, "shop");
                } else {
                    expect_out_of_memory(k ? "answers (JSON): " : "answers (YAML): ", budget, room, st, &d);
                    eio = true;
                }
                vm_arena_free(a);
            }
        if (!(eio && ok))
            fail_msg("document %zu reached: eio %d ok %d", k, eio, ok);
    }
}

/* vm_profile_parse: out of memory anywhere in a document (strings, lists,
 * labels, components) is VM_EIO with "out of memory", never a crash on a
 * NULL string or VM_OK with a value missing. */
static void profile_parse_out_of_memory(void **state)
{
    (void)state;
    fail_malloc = false;
    static const char text[] =
        "apiVersion: vmctr/v1\nkind: WorkloadProfile\n"
        "metadata: {name: billing, owner: team-a, description: Ledger and invoices,"
        " labels: {tier: gold, region: eu-west}}\n"
        "spec:\n  workload: {architecture: microservices, os: linux}\n"
        "  isolation: {compliance: [pci-dss, hipaa, sox]}\n"
        "  components:\n    - name: ledger\n      workload: {custom_kernel: true}\n"
        "    - name: web\n      isolation: {compliance: [gdpr]}\n";
    vm_doc doc = {.data = text, .len = sizeof text - 1, .first_line = 1};
    bool eio = false, ok = false;
    for (int budget = 0; budget <= 2; budget++)
        for (size_t room = 0; room <= 8192; room += 16) {
            vm_arena *a = arena_with_room(room);
            vm_profile p;
            bool empty = false;
            vm_diags d;
            vm_diags_clear(&d);
            fail_malloc = true;
            malloc_budget = budget;
            vm_status st = vm_profile_parse(a, "p.yaml", &doc, &p, &empty, &d);
            fail_malloc = false;
            if (st == VM_OK) {
                ok = true;
                const vm_values *v = &p.values;
                assert_string_equal(v->v[VM_F_META_DESCRIPTION].u.s, "Ledger and invoices");
                assert_int_equal(v->v[VM_F_META_LABELS].u.map.n, 2);
                assert_string_equal(v->v[VM_F_META_LABELS].u.map.vals[1], "eu-west");
                assert_int_equal(v->v[VM_F_ISOLATION_COMPLIANCE].u.list.n, 3);
                assert_string_equal(v->v[VM_F_ISOLATION_COMPLIANCE].u.list.items[2], "sox");
                assert_int_equal(p.ncomponents, 2);
                assert_string_equal(p.components[1].name, "web");
                assert_string_equal(p.components[1].values.v[VM_F_ISOLATION_COMPLIANCE].u.list.items[0], "gdpr");
            } else {
                expect_out_of_memory("", budget, room, st, &d);
                eio = true;
            }
            vm_arena_free(a);
        }
    assert_true(eio);
    assert_true(ok);
}

/* The constructors documented "NULL when out of memory": NULL whenever an
 * allocation failed, never a half-built object (one returned although an
 * allocation failed fails here; one not freed, the sanitizer build's leak
 * check), and the object once enough allocations succeed. */
enum { C_ARENA, C_RULESET, C_ENGINE, C_COUNT };
static void *construct(int which, const vm_ruleset *rs)
{
    switch (which) {
    case C_ARENA: return vm_arena_new();
    case C_RULESET: return vm_ruleset_new();
    default: return vm_engine_new(rs);
    }
}
static void destroy(int which, void *x)
{
    switch (which) {
    case C_ARENA: vm_arena_free(x); break;
    case C_RULESET: vm_ruleset_free(x); break;
    default: vm_engine_free(x); break;
    }
}
static void constructors_out_of_memory(void **state)
{
    fixture *f = *state;
    for (int which = 0; which < C_COUNT; which++) {
        unsigned nulls = 0, made = 0;
        for (int budget = 0; budget <= 64; budget++) {
            unsigned refused = malloc_refused;
            fail_malloc = true;
            malloc_budget = budget;
            void *volatile x = construct(which, f->rs);
            fail_malloc = false;
            if (x && malloc_refused != refused)
                fail_msg("constructor %d, budget %d: an object although an allocation failed", which, budget);
            x ? made++ : nulls++;
            destroy(which, x);
        }
        if (!nulls || !made)
            fail_msg("constructor %d: %u NULL, %u made", which, nulls, made);
    }
}

/* narrow: long words are broken, through a temporary of their own */
static void render_text_all(const vm_report *r, vm_buf *b)
{
    const vm_render_opts o = {.color = true, .unicode = true, .explain = true, .width = 20};
    vm_render_text(r, &o, b);
}

/* A renderer out of memory sets the buffer's oom flag: its output is never
 * cut short without it. Every report format, a system with components (the
 * largest report), at every allocation in turn: every allocation from there
 * on failing, and that one alone (so that a failure a later buffer growth
 * would flag anyway is seen on its own). */
static void render_out_of_memory(void **state)
{
    fixture *f = *state;
    vm_report *rep = fixture_report(f,
                                    "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: shop}\n"
                                    "spec:\n  workload: {architecture: microservices, os: linux}\n"
                                    "  isolation: {compliance: [pci-dss]}\n"
                                    "  components:\n    - name: ledger\n      workload: {architecture: monolith, "
                                    "custom_kernel: true}\n    - name: web\n"
                                    "      delivery: {release_frequency: daily}\n",
                                    VM_REPORT_ALL, NULL);
    void (*const render[])(const vm_report *, vm_buf *) = {vm_render_ndjson, vm_render_json, vm_render_csv,
                                                            vm_render_html, vm_render_markdown, render_text_all};
    for (size_t i = 0; i < sizeof render / sizeof *render; i++) {
        vm_buf ref;
        vm_buf_init(&ref);
        render[i](rep, &ref);
        assert_false(ref.oom);
        for (int once = 0; once <= 1; once++) {
            bool cut = false, whole = false;
            for (int budget = 0; budget <= 4096 && !whole; budget++) {
                vm_buf b;
                vm_buf_init(&b);
                fail_once = once;
                fail_malloc = true;
                malloc_budget = budget;
                render[i](rep, &b);
                fail_malloc = false;
                fail_once = false;
                if (b.oom) {
                    cut = true;
                } else {
                    if (b.len != ref.len || memcmp(b.data, ref.data, ref.len) != 0)
                        fail_msg("format %zu, budget %d%s: %zu bytes of %zu without the oom flag", i, budget,
                                 once ? " (once)" : "", b.len, ref.len);
                    whole = true;
                }
                vm_buf_free(&b);
            }
            if (!cut || !whole)
                fail_msg("format %zu%s: cut %d, whole %d", i, once ? " (once)" : "", cut, whole);
        }
        vm_buf_free(&ref);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(frees_accept_null),
        cmocka_unit_test(documented_nulls),
        cmocka_unit_test(diag_format_caps),
        cmocka_unit_test(set_text_out_of_memory),
        cmocka_unit_test(what_if_out_of_memory),
        cmocka_unit_test(questions_keep_out_of_memory),
        cmocka_unit_test(gate_blockers_out_of_memory),
        cmocka_unit_test(ruleset_add_out_of_memory),
        cmocka_unit_test(waivers_and_ruletests_out_of_memory),
        cmocka_unit_test(config_out_of_memory),
        cmocka_unit_test(answers_out_of_memory),
        cmocka_unit_test(profile_parse_out_of_memory),
        cmocka_unit_test(constructors_out_of_memory),
        cmocka_unit_test(render_out_of_memory),
    };
    return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
