/*
 * test_loader.c - the profile loader (source.c + yevent.c + profile_load.c)
 * on in-memory documents: typed values with exact positions, merging of
 * components, multi-document streams, and every error class with its exact
 * line:column and message. Positions are 1-based, as users count them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmctr/profile.h"
#include "fixture.h"

#define HEAD "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: demo\nspec:\n"
/* HEAD is lines 1-5; spec content starts on line 6. */

static vm_arena *A;
static vm_profile P;
static vm_diags D;
static bool EMPTY;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void dump_diags(const vm_diags *d)
{
    char line[600];
    for (size_t i = 0; i < d->count; i++) {
        vm_diag_format(&d->items[i], line, sizeof line);
        print_message("  diag: %s\n", line);
    }
    if (d->dropped)
        print_message("  (%zu dropped)\n", d->dropped);
}

/* Parses the first document of `text`; asserts the stream has no other. */
static vm_status load_n(const char *text, size_t len)
{
    vm_arena_reset(A);
    vm_diags_clear(&D);
    vm_source *s = vm_source_mem(text, len, "t.yaml");
    assert_non_null(s);
    vm_doc doc;
    char err[128];
    assert_int_equal(vm_source_next(s, &doc, err, sizeof err), 1);
    vm_status st = vm_profile_parse(A, "t.yaml", &doc, &P, &EMPTY, &D);
    /* the status and the diagnostics agree */
    if (st == VM_OK)
        assert_int_equal(D.errors, 0);
    else
        assert_true(D.errors > 0);
    assert_true(D.count <= VM_LIMIT_ERRORS);
    assert_int_equal(vm_source_next(s, &doc, err, sizeof err), 0);
    vm_source_free(s);
    return st;
}

static vm_status load(const char *text) { return load_n(text, strlen(text)); }

static void load_ok(const char *text)
{
    vm_status st = load(text);
    if (st != VM_OK)
        dump_diags(&D);
    assert_int_equal(st, VM_OK);
    assert_int_equal(D.count, 0);
    assert_false(EMPTY);
}

/* Finds a diagnostic at line:col with the exact path whose message contains
 * `frag`. */
static const vm_diag *find_diag(uint32_t line, uint32_t col, const char *path, const char *frag)
{
    for (size_t i = 0; i < D.count; i++) {
        const vm_diag *g = &D.items[i];
        if (g->line == line && g->col == col && strcmp(g->path, path) == 0 &&
            strstr(g->message, frag) && strcmp(g->file, "t.yaml") == 0 &&
            g->severity == VM_SEV_ERROR)
            return g;
    }
    print_message("expected %u:%u %s: ...%s...\n", line, col, path, frag);
    dump_diags(&D);
    return NULL;
}

#define HAS_ERROR(line, col, path, frag) assert_non_null(find_diag(line, col, path, frag))

/* Exactly one error, and it is this one. */
#define ONLY_ERROR(text, line, col, path, frag)            \
    do {                                                   \
        assert_int_equal(load(text), VM_EPROFILE);         \
        HAS_ERROR(line, col, path, frag);                  \
        if (D.count != 1)                                  \
            dump_diags(&D);                                \
        assert_int_equal(D.count, 1);                      \
    } while (0)

static const vm_value *val(vm_field_id id) { return &P.values.v[id]; }

static void expect_at(const vm_value *v, uint32_t line, uint32_t col)
{
    assert_true(v->set);
    assert_int_equal(v->line, line);
    assert_int_equal(v->col, col);
}

static int setup(void **state)
{
    (void)state;
    A = vm_arena_new();
    return A ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    vm_arena_free(A);
    A = NULL;
    return 0;
}

/* ---- typed values and positions ----------------------------------------- */

static void typed_values(void **state)
{
    (void)state;
    load_ok(HEAD
            "  workload:\n"                         /* 6 */
            "    architecture: microservices\n"     /* 7 */
            "    custom_kernel: true\n"             /* 8 */
            "    gui: false\n"                      /* 9 */
            "  isolation:\n"                        /* 10 */
            "    compliance: [pci-dss, hipaa]\n"    /* 11 */
            "  economics:\n"                        /* 12 */
            "    licenses:\n"                       /* 13 */
            "      - vmware\n"                      /* 14 */
            "      - suse\n"                        /* 15 */
            "  operations:\n"                       /* 16 */
            "    instances: 120\n"                  /* 17 */
            "  priorities:\n"                       /* 18 */
            "    team: 0\n");                       /* 19 */
    const vm_value *v = val(VM_F_WORKLOAD_ARCHITECTURE);
    expect_at(v, 7, 19);
    assert_string_equal(vm_field(VM_F_WORKLOAD_ARCHITECTURE)->values[v->u.i], "microservices");
    v = val(VM_F_WORKLOAD_CUSTOM_KERNEL);
    expect_at(v, 8, 20);
    assert_int_equal(v->u.i, 1);
    v = val(VM_F_WORKLOAD_GUI);
    expect_at(v, 9, 10);
    assert_int_equal(v->u.i, 0);
    v = val(VM_F_ISOLATION_COMPLIANCE);
    expect_at(v, 11, 17);
    assert_int_equal(v->u.list.n, 2);
    assert_string_equal(v->u.list.items[0], "pci-dss");
    assert_string_equal(v->u.list.items[1], "hipaa");
    assert_int_equal(v->u.list.lines[0], 11);
    assert_int_equal(v->u.list.cols[0], 18);
    assert_int_equal(v->u.list.lines[1], 11);
    assert_int_equal(v->u.list.cols[1], 27);
    v = val(VM_F_ECONOMICS_LICENSES);
    expect_at(v, 14, 7);
    assert_int_equal(v->u.mask, (1u << 1) | (1u << 3)); /* vmware, suse */
    v = val(VM_F_OPERATIONS_INSTANCES);
    expect_at(v, 17, 16);
    assert_int_equal(v->u.i, 120);
    v = val(VM_F_PRIORITIES_TEAM);
    expect_at(v, 19, 11);
    assert_int_equal(v->u.i, 0); /* 0 is a value, not "absent" */
    /* name */
    v = val(VM_F_META_NAME);
    expect_at(v, 4, 9);
    assert_string_equal(v->u.s, "demo");
    /* everything else is unknown */
    int set = 0;
    for (int i = 0; i < VM_FIELD_COUNT; i++)
        set += P.values.v[i].set;
    assert_int_equal(set, 8);
    assert_int_equal(P.ncomponents, 0);
    assert_null(P.components);
    assert_int_equal(P.doc_index, 0);
    assert_int_equal(P.line, 1);
    assert_string_equal(P.file, "t.yaml");
}

static void metadata_values(void **state)
{
    (void)state;
    load_ok("apiVersion: vmctr/v1\n"
            "kind: WorkloadProfile\n"
            "metadata:\n"
            "  name: billing-api\n"                            /* 4 */
            "  owner: \"payments team\"\n"                     /* 5 */
            "  labels: {tier: backend, zone: \"eu-1\"}\n"      /* 6 */
            "  description: >-\n"                              /* 7 */
            "    Card billing,\n"
            "    \xc3\xa9t\xc3\xa9 2024\n"
            "spec: {}\n");
    assert_string_equal(val(VM_F_META_NAME)->u.s, "billing-api");
    expect_at(val(VM_F_META_OWNER), 5, 10);
    assert_string_equal(val(VM_F_META_OWNER)->u.s, "payments team");
    const vm_value *v = val(VM_F_META_LABELS);
    expect_at(v, 6, 11);
    assert_int_equal(v->u.map.n, 2);
    assert_string_equal(v->u.map.keys[0], "tier");
    assert_string_equal(v->u.map.vals[0], "backend");
    assert_string_equal(v->u.map.keys[1], "zone");
    assert_string_equal(v->u.map.vals[1], "eu-1");
    expect_at(val(VM_F_META_DESCRIPTION), 7, 16);
    assert_string_equal(val(VM_F_META_DESCRIPTION)->u.s, "Card billing, \xc3\xa9t\xc3\xa9 2024");
}

static void every_enum_value_loads(void **state)
{
    (void)state;
    /* every value of every enum field, plain and quoted */
    char doc[512];
    for (int i = 0; i < VM_FIELD_COUNT; i++) {
        const vm_field_def *f = vm_field(i);
        if (f->type != VM_T_ENUM)
            continue;
        for (int k = 0; k < f->nvalues; k++) {
            for (int q = 0; q < 3; q++) {
                const char *quote = q == 0 ? "" : q == 1 ? "\"" : "'";
                snprintf(doc, sizeof doc, HEAD "  %s:\n    %s: %s%s%s\n", f->section, f->key, quote,
                         f->values[k], quote);
                load_ok(doc);
                expect_at(val(i), 7, (uint32_t)(4 + strlen(f->key) + 2 + 1));
                assert_int_equal(val(i)->u.i, k);
            }
        }
    }
}

static void integers(void **state)
{
    (void)state;
    load_ok(HEAD "  operations: {instances: 1000000}\n");
    assert_int_equal(val(VM_F_OPERATIONS_INSTANCES)->u.i, 1000000);
    load_ok(HEAD "  operations: {instances: 1}\n");
    assert_int_equal(val(VM_F_OPERATIONS_INSTANCES)->u.i, 1);
    load_ok(HEAD "  operations: {instances: +7}\n");
    assert_int_equal(val(VM_F_OPERATIONS_INSTANCES)->u.i, 7);
    load_ok(HEAD "  priorities: {workload: 5, isolation: 0}\n");
    assert_int_equal(val(VM_F_PRIORITIES_WORKLOAD)->u.i, 5);
    assert_int_equal(val(VM_F_PRIORITIES_ISOLATION)->u.i, 0);
    expect_at(val(VM_F_PRIORITIES_ISOLATION), 6, 40);
}

static void nulls_are_absent(void **state)
{
    (void)state;
    load_ok(HEAD
            "  workload:\n"
            "    os: ~\n"
            "    gui: null\n"
            "    architecture:\n"
            "    lifecycle: Null\n"
            "    stateful: NULL\n"
            "  isolation:\n"
            "    compliance: ~\n"
            "  economics:\n"
            "    licenses: null\n"
            "  operations: ~\n"
            "  delivery:\n"
            "  components: ~\n");
    for (int i = VM_F_WORKLOAD_ARCHITECTURE; i < VM_FIELD_COUNT; i++)
        assert_false(P.values.v[i].set);
    load_ok("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\n  labels: ~\n"
            "  owner:\nspec: ~\n");
    assert_false(val(VM_F_META_LABELS)->set);
    assert_false(val(VM_F_META_OWNER)->set);
    /* a quoted "~" is a string, not null */
    ONLY_ERROR(HEAD "  workload:\n    os: \"~\"\n", 7, 9, "spec.workload.os", "'~' is not one of");
}

/* ---- components ------------------------------------------------------------ */

static void components_merge(void **state)
{
    (void)state;
    load_ok(HEAD
            "  workload:\n"                                   /* 6 */
            "    os: linux\n"                                 /* 7 */
            "    architecture: monolith\n"                    /* 8 */
            "  isolation:\n"                                  /* 9 */
            "    compliance: [pci-dss]\n"                     /* 10 */
            "  delivery: {ci_cd: basic}\n"                    /* 11 */
            "  priorities: {team: 4, delivery: 1}\n"          /* 12 */
            "  components:\n"                                 /* 13 */
            "    - name: ledger\n"                            /* 14 */
            "      workload: {os: windows}\n"                 /* 15 */
            "      priorities: {delivery: 5}\n"               /* 16 */
            "    - name: api\n"                               /* 17 */
            "      isolation: {compliance: [hipaa, gdpr]}\n"  /* 18 */
            "      workload: {os: ~}\n"                       /* 19 */
            "      delivery: {ci_cd: advanced}\n"             /* 20 */
            "    - name: plain\n");                           /* 21 */
    assert_int_equal(P.ncomponents, 3);
    const vm_component *c = &P.components[0];
    assert_string_equal(c->name, "ledger");
    assert_int_equal(c->line, 14);
    assert_int_equal(c->col, 7);
    const vm_values *cv = &c->values;
    assert_int_equal(cv->v[VM_F_WORKLOAD_OS].u.i, 1); /* windows: its own */
    assert_int_equal(cv->v[VM_F_WORKLOAD_OS].line, 15);
    assert_int_equal(cv->v[VM_F_WORKLOAD_ARCHITECTURE].u.i, 0); /* monolith: the parent's, same section */
    assert_int_equal(cv->v[VM_F_WORKLOAD_ARCHITECTURE].line, 8);
    assert_int_equal(cv->v[VM_F_ISOLATION_COMPLIANCE].u.list.n, 1);
    assert_string_equal(cv->v[VM_F_ISOLATION_COMPLIANCE].u.list.items[0], "pci-dss");
    assert_int_equal(cv->v[VM_F_DELIVERY_CI_CD].u.i, 1); /* basic */
    assert_int_equal(cv->v[VM_F_PRIORITIES_TEAM].u.i, 4); /* priorities merge too */
    assert_int_equal(cv->v[VM_F_PRIORITIES_DELIVERY].u.i, 5);
    assert_int_equal(cv->v[VM_F_PRIORITIES_DELIVERY].line, 16);
    assert_string_equal(cv->v[VM_F_META_NAME].u.s, "demo"); /* metadata stays the system's */

    c = &P.components[1];
    cv = &c->values;
    assert_string_equal(c->name, "api");
    assert_int_equal(c->line, 17);
    assert_int_equal(cv->v[VM_F_WORKLOAD_OS].u.i, 0); /* null: inherits linux */
    assert_int_equal(cv->v[VM_F_WORKLOAD_OS].line, 7);
    /* lists replace, never append */
    const vm_strlist *l = &cv->v[VM_F_ISOLATION_COMPLIANCE].u.list;
    assert_int_equal(l->n, 2);
    assert_string_equal(l->items[0], "hipaa");
    assert_string_equal(l->items[1], "gdpr");
    assert_int_equal(cv->v[VM_F_DELIVERY_CI_CD].u.i, 2);
    assert_int_equal(cv->v[VM_F_DELIVERY_CI_CD].line, 20);
    assert_int_equal(cv->v[VM_F_PRIORITIES_DELIVERY].u.i, 1);

    c = &P.components[2];
    assert_string_equal(c->name, "plain");
    assert_memory_equal(&c->values, &P.values, sizeof P.values); /* all inherited */

    /* the parent is untouched */
    assert_int_equal(val(VM_F_WORKLOAD_OS)->u.i, 0);
    assert_int_equal(val(VM_F_DELIVERY_CI_CD)->u.i, 1);
    assert_int_equal(val(VM_F_PRIORITIES_DELIVERY)->u.i, 1);
    assert_int_equal(val(VM_F_ISOLATION_COMPLIANCE)->u.list.n, 1);

    /* an empty list */
    load_ok(HEAD "  components: []\n");
    assert_int_equal(P.ncomponents, 0);
}

static void components_errors(void **state)
{
    (void)state;
    ONLY_ERROR(HEAD "  components:\n    - workload: {os: linux}\n", 7, 7, "spec.components[0]",
               "missing required key 'name'");
    ONLY_ERROR(HEAD "  components:\n    - name: a\n    - name: a\n", 8, 13, "spec.components[1].name",
               "duplicate component name 'a' (first used on line 7)");
    ONLY_ERROR(HEAD "  components:\n    - name: a\n      components: []\n", 8, 7, "spec.components[0]",
               "components cannot be nested");
    ONLY_ERROR(HEAD "  components:\n    - name: a\n      workloads: {}\n", 8, 7,
               "spec.components[0].workloads",
               "unknown key 'workloads' in spec.components[0] (did you mean 'workload'?)");
    ONLY_ERROR(HEAD "  components:\n    - name: a\n      metadata: {}\n", 8, 7,
               "spec.components[0].metadata", "unknown key 'metadata' in spec.components[0]");
    ONLY_ERROR(HEAD "  components:\n    - name: Bad_Name\n", 7, 13, "spec.components[0].name",
               "'Bad_Name' is not a DNS label");
    ONLY_ERROR(HEAD "  components:\n    - name: a\n      workload: {os: beos}\n", 8, 22,
               "spec.components[0].workload.os", "'beos' is not one of linux, windows, mixed, other");
    ONLY_ERROR(HEAD "  components: {name: a}\n", 6, 15, "spec.components",
               "expected a list of components, found a mapping");
    ONLY_ERROR(HEAD "  components:\n    - just-a-string\n", 7, 7, "spec.components[0]",
               "expected a mapping, found a scalar");
    ONLY_ERROR(HEAD "  components:\n    - name: a\n      name: b\n", 8, 7, "spec.components[0].name",
               "duplicate key 'name' (first defined on line 7)");
}

static void component_order(void **state)
{
    (void)state;
    char doc[4096];
    size_t n = (size_t)snprintf(doc, sizeof doc, HEAD "  components:\n");
    for (int i = 0; i < 20; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n, "    - {name: c%02d}\n", 19 - i);
    load_ok(doc);
    assert_int_equal(P.ncomponents, 20);
    for (int i = 0; i < 20; i++) {
        char want[8];
        snprintf(want, sizeof want, "c%02d", 19 - i);
        assert_string_equal(P.components[i].name, want); /* document order, not sorted */
        assert_int_equal(P.components[i].line, 7 + (uint32_t)i);
        assert_int_equal(P.components[i].col, 7);
    }
}

/* ---- streams ------------------------------------------------------------------ */

typedef struct {
    vm_status st;
    bool empty;
    uint32_t index, line;
    char name[64];
    vm_diags d;
} docres;

/* Parses every document; returns how many. */
static int load_stream(const char *text, size_t len, docres *out, int max)
{
    vm_source *s = vm_source_mem(text, len, "t.yaml");
    vm_doc doc;
    char err[128];
    int n = 0;
    while (vm_source_next(s, &doc, err, sizeof err) == 1) {
        assert_true(n < max);
        docres *r = &out[n++];
        vm_arena_reset(A);
        vm_diags_clear(&r->d);
        vm_profile p;
        r->st = vm_profile_parse(A, "t.yaml", &doc, &p, &r->empty, &r->d);
        r->index = p.doc_index;
        r->line = p.line;
        snprintf(r->name, sizeof r->name, "%s",
                 p.values.v[VM_F_META_NAME].set ? p.values.v[VM_F_META_NAME].u.s : "");
    }
    vm_source_free(s);
    return n;
}

#define DOC(name) "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: " name "\n"

static void multi_document_stream(void **state)
{
    (void)state;
    static const char text[] =
        "# a stream of profiles\n"           /* 1 */
        "%YAML 1.2\n"                        /* 2 */
        "---\n"                              /* 3 */
        DOC("one")                           /* 4-7 */
        "...\n"                              /* 8 */
        "%YAML 1.2\n"                        /* 9 */
        "--- # second\n"                     /* 10 */
        DOC("two")                           /* 11-14 */
        "spec:\n"                            /* 15 */
        "  workload: {os: plan9}\n"          /* 16 */
        "---\n"                              /* 17 */
        "# comment only\n"                   /* 18 */
        "---\n"                              /* 19 */
        DOC("four")                          /* 20-23 */
        "---\n";                             /* 24 */
    docres r[8];
    int n = load_stream(text, sizeof text - 1, r, 8);
    assert_int_equal(n, 5);
    for (int i = 0; i < n; i++)
        assert_int_equal(r[i].index, (uint32_t)i);
    assert_int_equal(r[0].st, VM_OK);
    assert_string_equal(r[0].name, "one");
    assert_int_equal(r[0].line, 1);
    assert_int_equal(r[1].st, VM_EPROFILE);
    assert_string_equal(r[1].name, "two");
    assert_int_equal(r[1].line, 9);
    assert_int_equal(r[1].d.count, 1);
    assert_int_equal(r[1].d.items[0].line, 16);
    assert_int_equal(r[1].d.items[0].col, 18);
    assert_string_equal(r[1].d.items[0].path, "spec.workload.os");
    assert_int_equal(r[2].st, VM_OK); /* comment-only document */
    assert_true(r[2].empty);
    assert_int_equal(r[2].line, 17);
    assert_int_equal(r[3].st, VM_OK);
    assert_false(r[3].empty);
    assert_string_equal(r[3].name, "four");
    assert_int_equal(r[3].line, 19);
    assert_int_equal(r[4].st, VM_OK); /* the trailing `---` */
    assert_true(r[4].empty);
    assert_int_equal(r[4].line, 24);
}

static void broken_document_does_not_hide_next(void **state)
{
    (void)state;
    static const char text[] =
        DOC("one")                          /* 1-4 */
        "---\n"                             /* 5 */
        "metadata: {name: [unclosed\n"      /* 6 */
        "---\n"                             /* 7 */
        DOC("three")                        /* 8-11 */
        "spec: {workload: {gui: yes}}\n";   /* 12 */
    docres r[4];
    int n = load_stream(text, sizeof text - 1, r, 4);
    assert_int_equal(n, 3);
    assert_int_equal(r[0].st, VM_OK);
    assert_int_equal(r[1].st, VM_EPROFILE);
    assert_int_equal(r[1].d.count, 2);
    assert_string_equal(r[1].d.items[0].message, "expected a scalar value, found a list");
    assert_int_equal(r[1].d.items[1].line, 7); /* where the document ends */
    assert_int_equal(r[1].d.items[1].col, 1);
    assert_string_equal(r[1].d.items[1].message, "malformed YAML: did not find expected ',' or ']' "
                                                 "while parsing a flow sequence (line 6)");
    assert_int_equal(r[2].st, VM_EPROFILE);
    assert_int_equal(r[2].d.count, 1);
    assert_int_equal(r[2].d.items[0].line, 12);
    assert_int_equal(r[2].d.items[0].col, 24);
}

static void empty_documents(void **state)
{
    (void)state;
    const char *empties[] = {"", "\n\n", "# nothing here\n", "---\n", "--- ~\n", "---\n...\n",
                             "\xEF\xBB\xBF", "%YAML 1.2\n---\n"};
    for (size_t i = 0; i < sizeof empties / sizeof *empties; i++) {
        assert_int_equal(load(empties[i]), VM_OK);
        assert_true(EMPTY);
        assert_int_equal(D.count, 0);
        assert_false(P.values.v[VM_F_META_NAME].set);
    }
}

/* ---- errors ---------------------------------------------------------------------- */

static void wrong_types(void **state)
{
    (void)state;
    ONLY_ERROR(HEAD "  workload: [a]\n", 6, 13, "spec.workload", "expected a mapping, found a list");
    ONLY_ERROR(HEAD "  workload: linux\n", 6, 13, "spec.workload", "expected a mapping, found a scalar");
    ONLY_ERROR(HEAD "  workload:\n    os: [linux]\n", 7, 9, "spec.workload.os",
               "expected a scalar value, found a list");
    ONLY_ERROR(HEAD "  workload:\n    os: {a: b}\n", 7, 9, "spec.workload.os",
               "expected a scalar value, found a mapping");
    ONLY_ERROR(HEAD "  isolation:\n    compliance: pci-dss\n", 7, 17, "spec.isolation.compliance",
               "expected a list, found a scalar");
    ONLY_ERROR(HEAD "  isolation:\n    compliance: [pci, [x]]\n", 7, 23, "spec.isolation.compliance",
               "list items must be strings, found a list");
    ONLY_ERROR(HEAD "  isolation:\n    compliance: [pci, ~]\n", 7, 23, "spec.isolation.compliance",
               "list items must be strings, found null");
    ONLY_ERROR(HEAD "  economics:\n    licenses: [vmware, oracle]\n", 7, 24, "spec.economics.licenses",
               "'oracle' is not one of windows-datacenter, vmware, red-hat, suse");
    ONLY_ERROR("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\n  labels: [a]\n", 5, 11,
               "metadata.labels", "expected a mapping, found a list");
    ONLY_ERROR("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\n  labels: {a: [b]}\n",
               5, 15, "metadata.labels", "label values must be strings, found a list");
    assert_int_equal(load("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: x\n"), VM_EPROFILE);
    HAS_ERROR(3, 11, "metadata", "expected a mapping, found a scalar");
    HAS_ERROR(1, 1, "metadata.name", "missing required key 'metadata.name'");
    assert_int_equal(D.count, 2);
    ONLY_ERROR("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: x}\nspec: [1]\n", 4, 7,
               "spec", "expected a mapping, found a list");
    ONLY_ERROR(HEAD "  workload:\n    [a]: b\n", 7, 5, "spec.workload", "keys must be plain strings, found a list");
}

static void unknown_values(void **state)
{
    (void)state;
    assert_int_equal(load(HEAD "  delivery:\n    release_frequency: dayly\n"), VM_EPROFILE);
    assert_int_equal(D.count, 1);
    const vm_diag *g = &D.items[0];
    assert_int_equal(g->line, 7);
    assert_int_equal(g->col, 24);
    assert_string_equal(g->path, "spec.delivery.release_frequency");
    assert_string_equal(g->message, "'dayly' is not one of on-demand, daily, weekly, monthly, "
                                    "quarterly, yearly (did you mean 'daily'?)");
    char line[600];
    vm_diag_format(g, line, sizeof line);
    assert_string_equal(line, "t.yaml:7:24: error: spec.delivery.release_frequency: 'dayly' is not one "
                              "of on-demand, daily, weekly, monthly, quarterly, yearly (did you mean 'daily'?)");
    /* no suggestion when nothing is close */
    ONLY_ERROR(HEAD "  workload:\n    os: solaris\n", 7, 9, "spec.workload.os",
               "'solaris' is not one of linux, windows, mixed, other");
    assert_null(strstr(D.items[0].message, "did you mean"));
    /* enums are case-sensitive */
    ONLY_ERROR(HEAD "  workload:\n    os: Linux\n", 7, 9, "spec.workload.os", "(did you mean 'linux'?)");
    /* a boolean where an enum goes */
    ONLY_ERROR(HEAD "  delivery:\n    ci_cd: true\n", 7, 12, "spec.delivery.ci_cd",
               "'true' is not one of none, basic, advanced (a boolean is not a value here)");
}

static void unknown_keys(void **state)
{
    (void)state;
    ONLY_ERROR(HEAD "  workload:\n    architecure: monolith\n", 7, 5, "spec.workload.architecure",
               "unknown key 'architecure' in spec.workload (did you mean 'architecture'?)");
    ONLY_ERROR(HEAD "  workloads: {}\n", 6, 3, "spec.workloads",
               "unknown key 'workloads' in spec (did you mean 'workload'?)");
    ONLY_ERROR(HEAD "  wibble: 1\n", 6, 3, "spec.wibble", "unknown key 'wibble' in spec");
    assert_null(strstr(D.items[0].message, "did you mean"));
    ONLY_ERROR("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: x}\nspecs: {}\n", 4, 1,
               "specs", "unknown key 'specs' in the document (did you mean 'spec'?)");
    ONLY_ERROR("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: x, onwer: me}\n", 3, 21,
               "metadata.onwer", "unknown key 'onwer' in metadata (did you mean 'owner'?)");
    /* a field of another section */
    ONLY_ERROR(HEAD "  workload: {os: linux, budget: ample}\n", 6, 25, "spec.workload.budget",
               "unknown key 'budget' in spec.workload");
}

static void duplicate_keys(void **state)
{
    (void)state;
    ONLY_ERROR(HEAD "  workload:\n    os: linux\n    os: windows\n", 8, 5, "spec.workload.os",
               "duplicate key 'os' (first defined on line 7)");
    ONLY_ERROR(HEAD "  workload: {os: linux}\n  workload: {gui: true}\n", 7, 3, "spec.workload",
               "duplicate key 'workload' (first defined on line 6)");
    ONLY_ERROR(HEAD "  workload: {os: linux, os: linux}\n", 6, 25, "spec.workload.os",
               "duplicate key 'os' (first defined on line 6)");
    ONLY_ERROR("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: x}\nkind: WorkloadProfile\n",
               4, 1, "kind", "duplicate key 'kind' (first defined on line 2)");
    ONLY_ERROR("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\n  name: y\n", 5, 3,
               "metadata.name", "duplicate key 'name' (first defined on line 4)");
    ONLY_ERROR("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\n"
               "  labels:\n    a: 1\n    a: 2\n", 7, 5, "metadata.labels",
               "duplicate key 'a' (first defined on line 6)");
    ONLY_ERROR(HEAD "  priorities:\n    team: 1\n    team: 2\n", 8, 5, "spec.priorities.team",
               "duplicate key 'team' (first defined on line 7)");
    /* the same key in two sections is no duplicate */
    load_ok(HEAD "  team: {linux: basic}\n  priorities: {team: 2}\n");
}

static void envelope(void **state)
{
    (void)state;
    ONLY_ERROR("kind: WorkloadProfile\nmetadata: {name: x}\n", 1, 1, "apiVersion",
               "missing required key 'apiVersion' (expected 'vmctr/v1')");
    ONLY_ERROR("apiVersion: vmctr/v2\nkind: WorkloadProfile\nmetadata: {name: x}\n", 1, 13, "apiVersion",
               "'vmctr/v2' is not supported: expected 'vmctr/v1'");
    ONLY_ERROR("apiVersion: [vmctr/v1]\nkind: WorkloadProfile\nmetadata: {name: x}\n", 1, 13, "apiVersion",
               "expected 'vmctr/v1', found a list");
    ONLY_ERROR("apiVersion: vmctr/v1\nmetadata: {name: x}\n", 1, 1, "kind",
               "missing required key 'kind' (expected 'WorkloadProfile')");
    ONLY_ERROR("apiVersion: vmctr/v1\nkind: Profile\nmetadata: {name: x}\n", 2, 7, "kind",
               "'Profile' is not supported: expected 'WorkloadProfile'");
    ONLY_ERROR("apiVersion: vmctr/v1\nkind: WorkloadProfile\nspec: {}\n", 1, 1, "metadata.name",
               "missing required key 'metadata.name'");
    ONLY_ERROR("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {owner: me}\n", 1, 1,
               "metadata.name", "missing required key 'metadata.name'");
    ONLY_ERROR("  apiVersion: vmctr/v1\n  kind: WorkloadProfile\n", 1, 3, "metadata.name",
               "missing required key 'metadata.name'");
    /* null is absent, also for the required name */
    assert_int_equal(load("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: ~\n"), VM_EPROFILE);
    assert_int_equal(D.count, 1);
    assert_string_equal(D.items[0].path, "metadata.name");
    assert_non_null(strstr(D.items[0].message, "missing required key 'metadata.name'"));
    /* a rule file given as a profile */
    assert_int_equal(load("apiVersion: vmctr/v1\nkind: RuleSet\nrules: []\n"), VM_EPROFILE);
    HAS_ERROR(2, 7, "kind", "this is a rule file, not a profile (load rules with --rules DIR)");
    /* names */
    ONLY_ERROR("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: Billing_API\n", 4, 9,
               "metadata.name", "'Billing_API' is not a DNS label (lower-case letters, digits and '-' only)");
    ONLY_ERROR("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: -api\n", 4, 9,
               "metadata.name", "it must not start or end with '-'");
    ONLY_ERROR("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: \"\"\n", 4, 9,
               "metadata.name", "is not a DNS label (1 to 63 characters)");
    char doc[256];
    snprintf(doc, sizeof doc, "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: %064d\n", 0);
    ONLY_ERROR(doc, 4, 9, "metadata.name", "is not a DNS label (1 to 63 characters)");
    snprintf(doc, sizeof doc, "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: %063d\n", 0);
    load_ok(doc);
    /* quoted envelope values are fine */
    load_ok("apiVersion: \"vmctr/v1\"\nkind: 'WorkloadProfile'\nmetadata: {name: 'x-1'}\n");
}

static void malformed_yaml(void **state)
{
    (void)state;
    /* libyaml hands out the scalar `a` before it sees the second colon */
    assert_int_equal(load(HEAD "  workload: a: b\n"), VM_EPROFILE);
    HAS_ERROR(6, 14, "", "malformed YAML: mapping values are not allowed in this context");
    ONLY_ERROR(HEAD "  workload: {os: linux\n", 7, 1, "",
               "malformed YAML: did not find expected ',' or '}' while parsing a flow mapping (line 6)");
    ONLY_ERROR(HEAD "  workload:\n    os: linux\n   gui: true\n", 8, 4, "", "malformed YAML");
    ONLY_ERROR(HEAD "  workload: \"unterminated\n", 7, 1, "", "malformed YAML");
    ONLY_ERROR(HEAD "  workload: {os: linux}}\n", 6, 24, "", "malformed YAML: did not find expected key");
    /* a tab used for indentation, with a hint */
    ONLY_ERROR(HEAD "  workload:\n\tos: linux\n", 7, 1, "",
               "(tabs are not allowed for indentation; use spaces)");
    ONLY_ERROR(HEAD "\tworkload: {}\n", 6, 1, "", "tabs are not allowed");
    /* a tab inside a value is fine */
    load_ok(HEAD "  workload: {os:\tlinux}\n");
    load_ok("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\n  owner: \"a\tb\"\n");
    assert_string_equal(val(VM_F_META_OWNER)->u.s, "a\tb");
}

static void bad_bytes(void **state)
{
    (void)state;
    ONLY_ERROR(HEAD "  workload:\n    os: lin\xffux\n", 7, 12, "", "invalid UTF-8");
    /* the column of the offending byte: the bad trailing octet */
    ONLY_ERROR(HEAD "  # comment \xc3\x28\n", 6, 14, "", "invalid UTF-8 (invalid trailing UTF-8 octet)");
    /* a byte order mark does not shift the columns of line 1 */
    ONLY_ERROR("\xEF\xBB\xBF" "apiVersion: \xff\n", 1, 13, "", "invalid UTF-8 (invalid leading UTF-8 octet)");
    /* truncated sequence at the very end */
    ONLY_ERROR(HEAD "  workload: {}\n#\xe2\x82", 7, 2, "", "invalid UTF-8");
    /* NUL bytes */
    static const char nul[] = "apiVersion: vmctr/v1\nkind: Work\0Profile\n";
    assert_int_equal(load_n(nul, sizeof nul - 1), VM_EPROFILE);
    assert_int_equal(D.count, 1);
    HAS_ERROR(2, 11, "", "NUL byte in input: profiles are UTF-8 text");
    /* other control characters */
    ONLY_ERROR(HEAD "  workload: {os: lin\x01ux}\n", 6, 21, "", "control character U+0001");
}

static void scalar_and_sequence_roots(void **state)
{
    (void)state;
    ONLY_ERROR("hello\n", 1, 1, "",
               "a profile must be a mapping (apiVersion, kind, metadata, spec), found a scalar");
    ONLY_ERROR("- a\n- b\n", 1, 1, "", "a profile must be a mapping (apiVersion, kind, metadata, spec), found a list");
    ONLY_ERROR("# c\n\n  \"quoted\"\n", 3, 3, "", "found a scalar");
    ONLY_ERROR("--- [1, 2]\n", 1, 5, "", "found a list");
}

static void numbers(void **state)
{
    (void)state;
    ONLY_ERROR(HEAD "  operations:\n    instances: 99999999999999999999\n", 7, 16, "spec.operations.instances",
               "expected an integer in 1..1000000, found an integer too large to represent '99999999999999999999'");
    ONLY_ERROR(HEAD "  operations:\n    instances: -9223372036854775809\n", 7, 16,
               "spec.operations.instances", "an integer too large to represent");
    ONLY_ERROR(HEAD "  operations:\n    instances: 0\n", 7, 16, "spec.operations.instances",
               "0 is out of range 1..1000000");
    ONLY_ERROR(HEAD "  operations:\n    instances: 1000001\n", 7, 16, "spec.operations.instances",
               "1000001 is out of range 1..1000000");
    ONLY_ERROR(HEAD "  operations:\n    instances: -5\n", 7, 16, "spec.operations.instances",
               "-5 is out of range 1..1000000");
    ONLY_ERROR(HEAD "  operations:\n    instances: 9223372036854775807\n", 7, 16,
               "spec.operations.instances", "9223372036854775807 is out of range 1..1000000");
    ONLY_ERROR(HEAD "  operations:\n    instances: 1.5\n", 7, 16, "spec.operations.instances",
               "found a non-integer '1.5'");
    ONLY_ERROR(HEAD "  operations:\n    instances: 0x10\n", 7, 16, "spec.operations.instances",
               "found a non-integer '0x10'");
    ONLY_ERROR(HEAD "  operations:\n    instances: 1e3\n", 7, 16, "spec.operations.instances",
               "found a non-integer '1e3'");
    ONLY_ERROR(HEAD "  operations:\n    instances: \"12\"\n", 7, 16, "spec.operations.instances",
               "found a quoted string '12'");
    ONLY_ERROR(HEAD "  operations:\n    instances: +\n", 7, 16, "spec.operations.instances",
               "found a non-number '+'");
    ONLY_ERROR(HEAD "  priorities:\n    team: 6\n", 7, 11, "spec.priorities.team",
               "6 is out of range 0..5");
    ONLY_ERROR(HEAD "  priorities:\n    team: high\n", 7, 11, "spec.priorities.team",
               "expected an integer in 0..5, found a non-integer 'high'");
}

static void booleans(void **state)
{
    (void)state;
    const char *yes[] = {"yes", "no", "on", "off", "y", "n", "Yes", "NO", "On"};
    char doc[256];
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        snprintf(doc, sizeof doc, HEAD "  workload:\n    gui: %s\n", yes[i]);
        char frag[128];
        snprintf(frag, sizeof frag, "'%s' is not a boolean: YAML 1.2 booleans are true and false", yes[i]);
        ONLY_ERROR(doc, 7, 10, "spec.workload.gui", frag);
    }
    ONLY_ERROR(HEAD "  workload:\n    gui: \"true\"\n", 7, 10, "spec.workload.gui",
               "expected true or false, found the string 'true'");
    ONLY_ERROR(HEAD "  workload:\n    gui: 'false'\n", 7, 10, "spec.workload.gui",
               "expected true or false, found the string 'false'");
    ONLY_ERROR(HEAD "  workload:\n    gui: 1\n", 7, 10, "spec.workload.gui", "expected true or false, found '1'");
    const char *ok[] = {"true", "True", "TRUE", "false", "False", "FALSE"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        snprintf(doc, sizeof doc, HEAD "  workload:\n    gui: %s\n", ok[i]);
        load_ok(doc);
        assert_int_equal(val(VM_F_WORKLOAD_GUI)->u.i, i < 3);
    }
}

static void anchors_aliases_tags(void **state)
{
    (void)state;
    ONLY_ERROR(HEAD "  workload: &w\n    os: linux\n", 6, 13, "",
               "YAML anchors (&w) are not supported: write the value out");
    ONLY_ERROR(HEAD "  workload: {os: &o linux}\n", 6, 18, "", "YAML anchors (&o) are not supported");
    ONLY_ERROR(HEAD "  workload: *w\n", 6, 13, "", "YAML aliases (*w) are not supported: write the value out");
    ONLY_ERROR(HEAD "  workload:\n    os: !!str linux\n", 7, 9, "",
               "YAML tags (tag:yaml.org,2002:str) are not supported");
    /* the billion laughs: refused at the first anchor, without expanding */
    size_t cap = 64 * 1024, n = 0;
    char *doc = malloc(cap);
    n += (size_t)snprintf(doc + n, cap - n, "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'z'; c++)
        n += (size_t)snprintf(doc + n, cap - n, "%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n", c, c,
                              c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
    double t0 = now();
    assert_int_equal(load_n(doc, n), VM_EPROFILE);
    assert_true(now() - t0 < 1.0);
    HAS_ERROR(1, 4, "", "YAML anchors (&a) are not supported");
    free(doc);
}

static void size_limits(void **state)
{
    (void)state;
    /* a document over VM_LIMIT_DOC_BYTES is refused, and the next one parses */
    size_t cap = VM_LIMIT_DOC_BYTES + 4096, n = 0;
    char *text = malloc(cap);
    n += (size_t)snprintf(text + n, cap - n, DOC("big") "spec:\n");
    uint32_t lines = 5;
    while (n < VM_LIMIT_DOC_BYTES + 100) {
        n += (size_t)snprintf(text + n, cap - n, "  # %060d\n", 0);
        lines++;
    }
    n += (size_t)snprintf(text + n, cap - n, "---\n" DOC("small"));
    docres r[4];
    int nd = load_stream(text, n, r, 4);
    assert_int_equal(nd, 2);
    assert_int_equal(r[0].st, VM_EPROFILE);
    assert_int_equal(r[0].d.count, 1);
    assert_int_equal(r[0].d.items[0].line, 1);
    assert_int_equal(r[0].d.items[0].col, 1);
    assert_string_equal(r[0].d.items[0].message, "document larger than 1048576 bytes (the limit of one profile)");
    assert_int_equal(r[1].st, VM_OK);
    assert_int_equal(r[1].index, 1);
    assert_int_equal(r[1].line, lines + 1);
    assert_string_equal(r[1].name, "small");

    /* a single line longer than a whole document, then a good document */
    n = 0;
    n += (size_t)snprintf(text + n, cap - n, DOC("long") "  description: ");
    while (n < VM_LIMIT_DOC_BYTES + 2000)
        text[n++] = 'x';
    n += (size_t)snprintf(text + n, cap - n, "\n---\n" DOC("after"));
    nd = load_stream(text, n, r, 4);
    assert_int_equal(nd, 2);
    assert_int_equal(r[0].st, VM_EPROFILE);
    assert_non_null(strstr(r[0].d.items[0].message, "document larger than"));
    assert_int_equal(r[1].st, VM_OK);
    assert_int_equal(r[1].line, 6);
    assert_string_equal(r[1].name, "after");
    free(text);

    /* scalars: 4096 bytes are fine, 4097 are not */
    char *doc = malloc(VM_LIMIT_SCALAR_BYTES + 256);
    n = (size_t)sprintf(doc, DOC("x") "  description: ");
    memset(doc + n, 'd', VM_LIMIT_SCALAR_BYTES);
    strcpy(doc + n + VM_LIMIT_SCALAR_BYTES, "\n");
    load_ok(doc);
    assert_int_equal(strlen(val(VM_F_META_DESCRIPTION)->u.s), VM_LIMIT_SCALAR_BYTES);
    memset(doc + n, 'd', VM_LIMIT_SCALAR_BYTES + 1);
    strcpy(doc + n + VM_LIMIT_SCALAR_BYTES + 1, "\n");
    ONLY_ERROR(doc, 5, 16, "", "scalar longer than 4096 bytes");
    free(doc);
}

static void nesting_limits(void **state)
{
    (void)state;
    /* 16 levels are fine (as a label value they are refused for their type, not depth) */
    char doc[512];
    size_t n = (size_t)snprintf(doc, sizeof doc, HEAD "  workload: ");
    for (int i = 0; i < 14; i++)
        doc[n++] = '[';
    for (int i = 0; i < 14; i++)
        doc[n++] = ']';
    strcpy(doc + n, "\n");
    assert_int_equal(load(doc), VM_EPROFILE);
    assert_int_equal(D.count, 1);
    HAS_ERROR(6, 13, "spec.workload", "expected a mapping, found a list");
    /* 17 levels: the depth error at the 17th */
    n = (size_t)snprintf(doc, sizeof doc, HEAD "  workload: ");
    for (int i = 0; i < 15; i++)
        doc[n++] = '[';
    for (int i = 0; i < 15; i++)
        doc[n++] = ']';
    strcpy(doc + n, "\n");
    assert_int_equal(load(doc), VM_EPROFILE);
    HAS_ERROR(6, 27, "", "nesting deeper than 16 levels");
    /* block mappings count the same */
    n = 0;
    for (int i = 0; i < 20; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n, "%*sk%d:\n", i, "", i);
    assert_int_equal(load(doc), VM_EPROFILE);
    HAS_ERROR(17, 17, "", "nesting deeper than 16 levels");

    /* 100,000 `[` are refused fast: libyaml is never asked for more than the
     * first events past the limit */
    size_t deep = 100000, hl = strlen(HEAD "  workload: ");
    char *big = malloc(hl + deep + 1);
    memcpy(big, HEAD "  workload: ", hl);
    memset(big + hl, '[', deep);
    big[hl + deep] = '\0';
    double t0 = now();
    assert_int_equal(load_n(big, hl + deep), VM_EPROFILE);
    assert_true(now() - t0 < 1.0);
    HAS_ERROR(6, 13, "spec.workload", "expected a mapping, found a list");
    HAS_ERROR(6, 27, "", "nesting deeper than 16 levels");
    assert_int_equal(D.count, 2);
    /* a root of 100,000 `{`: the keys are refused, then the depth */
    memset(big, '{', deep);
    big[deep] = '\0';
    t0 = now();
    assert_int_equal(load_n(big, deep), VM_EPROFILE);
    assert_true(now() - t0 < 1.0);
    HAS_ERROR(1, 17, "", "nesting deeper than 16 levels");
    free(big);
}

static void item_limits(void **state)
{
    (void)state;
    size_t cap = 64 * 1024, n;
    char *doc = malloc(cap);
    /* 256 list items are fine, 257 are not */
    n = (size_t)snprintf(doc, cap, HEAD "  isolation:\n    compliance:\n");
    for (int i = 0; i < 256; i++)
        n += (size_t)snprintf(doc + n, cap - n, "      - r%d\n", i);
    load_ok(doc);
    assert_int_equal(val(VM_F_ISOLATION_COMPLIANCE)->u.list.n, 256);
    assert_string_equal(val(VM_F_ISOLATION_COMPLIANCE)->u.list.items[255], "r255");
    assert_int_equal(val(VM_F_ISOLATION_COMPLIANCE)->u.list.lines[255], 8 + 255);
    n += (size_t)snprintf(doc + n, cap - n, "      - r256\n");
    ONLY_ERROR(doc, 8 + 256, 9, "spec.isolation.compliance", "more than 256 items");
    /* labels: 257 keys */
    n = (size_t)snprintf(doc, cap, DOC("x") "  labels:\n");
    for (int i = 0; i < 257; i++)
        n += (size_t)snprintf(doc + n, cap - n, "    k%d: v\n", i);
    ONLY_ERROR(doc, 6 + 256, 5, "metadata.labels", "more than 256 items");
    /* enum lists */
    n = (size_t)snprintf(doc, cap, HEAD "  economics:\n    licenses: [");
    for (int i = 0; i < 257; i++)
        n += (size_t)snprintf(doc + n, cap - n, "%svmware", i ? "," : "");
    n += (size_t)snprintf(doc + n, cap - n, "]\n");
    assert_int_equal(load(doc), VM_EPROFILE);
    assert_int_equal(D.count, 1);
    assert_non_null(strstr(D.items[0].message, "more than 256 items"));
    /* components: 64 are fine, 65 are not */
    n = (size_t)snprintf(doc, cap, HEAD "  components:\n");
    for (int i = 0; i < 64; i++)
        n += (size_t)snprintf(doc + n, cap - n, "    - name: c%d\n", i);
    load_ok(doc);
    assert_int_equal(P.ncomponents, 64);
    n += (size_t)snprintf(doc + n, cap - n, "    - name: c64\n");
    ONLY_ERROR(doc, 7 + 64, 7, "spec.components", "more than 64 components");
    /* a mapping with more than 256 keys */
    n = (size_t)snprintf(doc, cap, HEAD "  workload:\n");
    for (int i = 0; i < 257; i++)
        n += (size_t)snprintf(doc + n, cap - n, "    os: linux\n");
    assert_int_equal(load(doc), VM_EPROFILE);
    assert_int_equal(D.errors, 255 + 1); /* 255 duplicates + the key limit */
    free(doc);
}

static void errors_capped(void **state)
{
    (void)state;
    char doc[4096];
    size_t n = (size_t)snprintf(doc, sizeof doc, HEAD "  workload:\n");
    for (int i = 0; i < 30; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n, "    os: bogus%d\n", i);
    assert_int_equal(load(doc), VM_EPROFILE);
    assert_int_equal(D.count, VM_LIMIT_ERRORS);
    assert_int_equal(D.errors, 30);
    assert_int_equal(D.dropped, 30 - VM_LIMIT_ERRORS);
    /* the first error is the first in the document */
    assert_int_equal(D.items[0].line, 7);
    assert_int_equal(D.items[1].line, 8);
    assert_non_null(strstr(D.items[1].message, "duplicate key 'os'"));
}

/* ---- accepted inputs ------------------------------------------------------------ */

static void accepted_forms(void **state)
{
    (void)state;
    /* UTF-8 byte order mark: positions unchanged */
    load_ok("\xEF\xBB\xBF" HEAD "  workload: {os: linux}\n");
    expect_at(val(VM_F_META_NAME), 4, 9);
    expect_at(val(VM_F_WORKLOAD_OS), 6, 18);
    /* CRLF line endings */
    load_ok("apiVersion: vmctr/v1\r\nkind: WorkloadProfile\r\nmetadata:\r\n  name: demo\r\n"
            "spec:\r\n  workload:\r\n    os: windows\r\n    gui: true\r\n");
    expect_at(val(VM_F_WORKLOAD_OS), 7, 9);
    assert_int_equal(val(VM_F_WORKLOAD_OS)->u.i, 1);
    expect_at(val(VM_F_WORKLOAD_GUI), 8, 10);
    assert_string_equal(val(VM_F_META_NAME)->u.s, "demo");
    /* errors in a CRLF file are positioned the same */
    ONLY_ERROR("apiVersion: vmctr/v1\r\nkind: WorkloadProfile\r\nmetadata:\r\n  name: demo\r\n"
               "spec:\r\n  workload:\r\n    os: wnidows\r\n", 7, 9, "spec.workload.os",
               "(did you mean 'windows'?)");
    /* comments everywhere */
    load_ok("# yaml-language-server: $schema=./profile.schema.json\n"
            "apiVersion: vmctr/v1 # version\n"
            "kind: WorkloadProfile\n"
            "metadata:\n"
            "  # the name\n"
            "  name: demo   # trailing\n"
            "spec:\n"
            "  workload:\n"
            "    # os: windows\n"
            "    os: linux # not windows\n");
    assert_int_equal(val(VM_F_WORKLOAD_OS)->u.i, 0);
    assert_string_equal(val(VM_F_META_NAME)->u.s, "demo");
    /* flow style throughout */
    load_ok("{apiVersion: vmctr/v1, kind: WorkloadProfile, metadata: {name: flow},"
            " spec: {workload: {os: mixed}, isolation: {compliance: [a, \"b c\"]},"
            " components: [{name: x, team: {linux: basic}}]}}");
    assert_int_equal(val(VM_F_WORKLOAD_OS)->u.i, 2);
    assert_int_equal(val(VM_F_ISOLATION_COMPLIANCE)->u.list.n, 2);
    assert_string_equal(val(VM_F_ISOLATION_COMPLIANCE)->u.list.items[1], "b c");
    assert_int_equal(P.ncomponents, 1);
    assert_int_equal(P.components[0].values.v[VM_F_TEAM_LINUX].u.i, 1);
    expect_at(val(VM_F_WORKLOAD_OS), 1, 93);
    /* quoted scalars for enums and strings */
    load_ok(HEAD "  workload:\n    os: \"windows\"\n    lifecycle: 'legacy'\n"
            "  isolation:\n    compliance: ['pci-dss', \"gdpr\"]\n");
    assert_int_equal(val(VM_F_WORKLOAD_OS)->u.i, 1);
    assert_int_equal(val(VM_F_WORKLOAD_LIFECYCLE)->u.i, 0);
    assert_string_equal(val(VM_F_ISOLATION_COMPLIANCE)->u.list.items[0], "pci-dss");
    /* explicit document markers */
    load_ok("---\n" HEAD "  workload: {os: linux}\n...\n");
    expect_at(val(VM_F_WORKLOAD_OS), 7, 18);
    /* no spec at all: a profile with everything unknown */
    load_ok(DOC("bare"));
    for (int i = VM_F_WORKLOAD_ARCHITECTURE; i < VM_FIELD_COUNT; i++)
        assert_false(P.values.v[i].set);
    /* empty sections */
    load_ok(HEAD "  workload: {}\n  team:\n");
}

static void scenario_files(void **state)
{
    (void)state;
    /* every scenario under tests/acceptance loads without errors */
    static const char *const files[] = {"nodejs-microservices.yaml", "erp-plus-new-services.yaml",
                                        "legacy-dotnet-windows.yaml", "untrusted-tenant-code.yaml"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char err[128];
        vm_source *s = fixture_acceptance(files[i]);
        vm_doc doc;
        int docs = 0;
        while (vm_source_next(s, &doc, err, sizeof err) == 1) {
            vm_arena_reset(A);
            vm_diags_clear(&D);
            vm_status st = vm_profile_parse(A, files[i], &doc, &P, &EMPTY, &D);
            if (st != VM_OK)
                dump_diags(&D);
            assert_int_equal(st, VM_OK);
            assert_false(EMPTY);
            docs++;
        }
        assert_int_equal(docs, 1);
        vm_source_free(s);
    }
}

/* vm_doc_api (detect.c): which documents a directory scan takes as vmctr's
 * (VM_DOC_PROFILE 1, VM_DOC_FOREIGN 0, VM_DOC_EMPTY -1), and which are
 * vmctr YAML of another kind. */
static void doc_api_detection(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int want;
        const char *api;
    } cases[] = {
        {"apiVersion: vmctr/v1\nkind: WorkloadProfile\n", 1, "vmctr/v1"},
        {"kind: WorkloadProfile\nmetadata: {name: a}\napiVersion: vmctr/v2\n", 1, "vmctr/v2"},
        {"metadata:\n  apiVersion: vmctr/v1\n  x: [1, {apiVersion: vmctr/v1}]\napiVersion: apps/v1\n", 0, "apps/v1"},
        {"apiVersion: apps/v1\nkind: Deployment\n", 0, "apps/v1"},
        {"on: [push]\njobs: {}\n", 0, ""},
        {"- a\n- b\n", 0, ""},
        {"just text\n", 0, ""},
        {"# only a comment\n", -1, ""},
        {"", -1, ""},
        {"~\n", -1, ""},
        {"apiVersion: [vmctr/v1]\n", 0, ""},
        {"apiVersion: vmctr/v1\nspec: {a: [\n", 1, "vmctr/v1"},  /* broken later: the loader reports it */
        {"spec: {a: [\napiVersion: x\n", 1, ""},                  /* unreadable: the loader reports it */
        {"apiVersion: \"vmctr/v1\"\n", 1, "vmctr/v1"},
        {"apiVersion: vmctrx/v1\n", 0, "vmctrx/v1"},
        /* vmctr YAML of another kind: told apart from foreign YAML, so that
         * a directory walk still checks such a file when documents follow */
        {"apiVersion: vmctr/v1\nkind: Config\ncheck: {fail_on: blocker}\n", VM_DOC_OTHER_KIND, "vmctr/v1"},
        {"kind: WaiverSet\napiVersion: vmctr/v1\nwaivers: []\n", VM_DOC_OTHER_KIND, "vmctr/v1"},
        {"apiVersion: vmctr/v1\nkind: RuleSet\n", VM_DOC_OTHER_KIND, "vmctr/v1"},
        {"apiVersion: vmctr/v1\nkind: RuleTest\n", VM_DOC_OTHER_KIND, "vmctr/v1"},
        {"apiVersion: vmctr/v1\nkind: InventoryMap\n", VM_DOC_OTHER_KIND, "vmctr/v1"},
        {"apiVersion: vmctr/v1\nkind: Configs\n", VM_DOC_PROFILE, "vmctr/v1"}, /* the loader names the kind */
        {"apiVersion: vmctr/v1\nkind: Config\nspec: {a: [\n", VM_DOC_OTHER_KIND, "vmctr/v1"},
        {"apiVersion: apps/v1\nkind: Config\n", VM_DOC_FOREIGN, "apps/v1"},
        {"kind: Config\n", VM_DOC_FOREIGN, ""},
        {"metadata: {kind: Config}\napiVersion: vmctr/v1\n", VM_DOC_PROFILE, "vmctr/v1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        vm_doc doc = {.data = cases[i].text, .len = strlen(cases[i].text), .first_line = 1};
        char api[32];
        int k = vm_doc_api(&doc, api, sizeof api);
        if (k != cases[i].want || strcmp(api, cases[i].api) != 0)
            fail_msg("case %zu: got %d '%s'", i, k, api);
    }
}

/* vm_doc_kind (detect.c, the same scan): the kind of a vmctr document, for
 * a rule directory to pass by the files of another kind than RuleSet;
 * VM_KIND_NONE whenever the loader must judge. */
static void doc_kind_detection(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int want;
    } cases[] = {
        {"apiVersion: vmctr/v1\nkind: WorkloadProfile\nspec: {}\n", VM_KIND_PROFILE},
        {"kind: RuleSet\napiVersion: vmctr/v1\nrules: []\n", VM_KIND_RULES},
        {"apiVersion: vmctr/v1\nkind: WaiverSet\n", VM_KIND_WAIVERS},
        {"apiVersion: vmctr/v1\nkind: RuleTest\n", VM_KIND_RULE_TEST},
        {"apiVersion: vmctr/v1\nkind: InventoryMap\n", VM_KIND_INVENTORY_MAP},
        {"apiVersion: vmctr/v1\nkind: Config\n", VM_KIND_CONFIG},
        {"apiVersion: vmctr/v1\nkind: WorkloadProfile\nspec: {a: [\n", VM_KIND_PROFILE}, /* broken after */
        {"apiVersion: vmctr/v1\nspec: {}\n", VM_KIND_NONE},                    /* no kind */
        {"apiVersion: vmctr/v1\nkind: RuleSets\n", VM_KIND_NONE},              /* not one of vmctr's */
        {"apiVersion: vmctr/v1\nkind: ruleset\n", VM_KIND_NONE},
        {"apiVersion: apps/v1\nkind: RuleSet\n", VM_KIND_NONE},                /* foreign */
        {"kind: WorkloadProfile\n", VM_KIND_NONE},                              /* no apiVersion */
        {"apiVersion: vmctr/v1\nkind: RuleSet\nkind: WorkloadProfile\n", VM_KIND_NONE}, /* twice */
        {"apiVersion: vmctr/v1\nkind: [RuleSet]\n", VM_KIND_NONE},
        {"metadata: {kind: WorkloadProfile}\napiVersion: vmctr/v1\n", VM_KIND_NONE},
        {"spec: {a: [\napiVersion: vmctr/v1\nkind: WorkloadProfile\n", VM_KIND_NONE}, /* unreadable first */
        {"- apiVersion: vmctr/v1\n  kind: WorkloadProfile\n", VM_KIND_NONE},
        {"# only a comment\n", VM_KIND_NONE},
        {"", VM_KIND_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        vm_doc doc = {.data = cases[i].text, .len = strlen(cases[i].text), .first_line = 1};
        int k = vm_doc_kind(&doc);
        if (k != cases[i].want)
            fail_msg("case %zu: got %d, want %d", i, k, cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(typed_values),
        cmocka_unit_test(metadata_values),
        cmocka_unit_test(every_enum_value_loads),
        cmocka_unit_test(integers),
        cmocka_unit_test(nulls_are_absent),
        cmocka_unit_test(components_merge),
        cmocka_unit_test(components_errors),
        cmocka_unit_test(component_order),
        cmocka_unit_test(multi_document_stream),
        cmocka_unit_test(broken_document_does_not_hide_next),
        cmocka_unit_test(empty_documents),
        cmocka_unit_test(wrong_types),
        cmocka_unit_test(unknown_values),
        cmocka_unit_test(unknown_keys),
        cmocka_unit_test(duplicate_keys),
        cmocka_unit_test(envelope),
        cmocka_unit_test(malformed_yaml),
        cmocka_unit_test(bad_bytes),
        cmocka_unit_test(scalar_and_sequence_roots),
        cmocka_unit_test(numbers),
        cmocka_unit_test(booleans),
        cmocka_unit_test(anchors_aliases_tags),
        cmocka_unit_test(size_limits),
        cmocka_unit_test(nesting_limits),
        cmocka_unit_test(item_limits),
        cmocka_unit_test(errors_capped),
        cmocka_unit_test(accepted_forms),
        cmocka_unit_test(scenario_files),
        cmocka_unit_test(doc_api_detection),
        cmocka_unit_test(doc_kind_detection),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
