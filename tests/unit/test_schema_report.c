/*
 * test_schema_report.c - the report schema (vmctr schema --report,
 * src/lib/schema_report.c) is generated from the key table
 * (src/lib/report_keys.h) the writer also takes its keys from: for every
 * object of the table, the schema's object there has exactly the table's
 * keys as "properties", in table order (an RK_INCLUDE's keys in its
 * place), and exactly its RK_REQ keys (plus RK_SINGLE ones in a single
 * evaluation's recommendation) as "required". So a key added to the table
 * is in the schema, and nothing else is; tests/schema/keys.py and ajv
 * compare the schema with real reports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "vmctr/buf.h"
#include "vmctr/report.h"
#include "vmctr/schema.h"
#include "vmctr/target.h"
#include "report_keys.h"

/* The table as this test reads it: object, key, req and an include's object. */
typedef struct {
    const char *obj, *key, *inc;
    int req;
} tkey;

enum { REQ, OPT, SINGLE };
#define RK_REQ REQ
#define RK_OPT OPT
#define RK_SINGLE SINGLE
#define RK_TYPE(t) .inc = NULL
#define RK_REF(d) .inc = NULL
#define RK_REFS(d, m) .inc = NULL
#define RK_CONST(s) .inc = NULL
#define RK_INT(m) .inc = NULL
#define RK_NUM(l, h) .inc = NULL
#define RK_OBJ(o) .inc = NULL
#define RK_ARRAY(o, m) .inc = NULL
#define RK_SPECIAL(f) .inc = NULL
#define RK_INCLUDE(o) .inc = #o
#define T_KEY(o, k, rq, sh, d) {.obj = #o, .key = #k, .req = rq, sh},
#define T_OBJ(o, list) list(T_KEY)
static const tkey table[] = {RK_OBJECTS(T_OBJ)};
#define NTABLE (sizeof table / sizeof *table)

/* The object's keys in table tb (includes expanded) in order; with `req`,
 * only the required ones (RK_SINGLE too when `single`). */
static size_t expected(const tkey *tb, size_t nt, const char *obj, bool req, bool single, const char **out, size_t n)
{
    for (size_t i = 0; i < nt && n < 64; i++) {
        const tkey *t = &tb[i];
        if (strcmp(t->obj, obj) != 0)
            continue;
        if (t->inc) {
            n = expected(tb, nt, t->inc, req, single, out, n);
            continue;
        }
        if (!req || t->req == REQ || (single && t->req == SINGLE))
            out[n++] = t->key;
    }
    return n;
}

/* Where each object of the table is in the schema: a path of keys from
 * the root; NULL ends it. Objects checked elsewhere too are listed again
 * under another path (the evaluation's lists in a component and in the
 * what-if report). */
typedef struct {
    const char *obj;
    bool single;
    const char *path[16];
} place;

#define R "$defs", "report", "properties"
#define C R, "components", "items", "properties"
#define W R, "what_if", "properties", "report", "properties"
static const place places[] = {
    {"report", false, {"$defs", "report"}},
    {"what_if", false, {R, "what_if"}},
    {"body", false, {R, "what_if", "properties", "report"}},
    {"tool", false, {R, "tool"}},
    {"profile", false, {R, "profile"}},
    {"decision", false, {R, "decision"}},
    {"component", false, {R, "components", "items"}},
    {"recommendation", false, {R, "recommendation"}},
    {"recommendation", true, {C, "recommendation"}},
    {"recommendation", false, {W, "recommendation"}},
    {"scores", false, {R, "scores"}},
    {"reason", false, {R, "rationale", "items"}},
    {"blocker", false, {R, "blockers", "items"}},
    {"risk", false, {R, "risks", "items"}},
    {"suggestion", false, {R, "suggestions", "items"}},
    {"unknown", false, {R, "unknowns", "items"}},
    {"counterfactual", false, {R, "counterfactuals", "items"}},
    {"sensitivity", false, {R, "sensitivity", "items"}},
    {"change", false, {R, "sensitivity", "items", "properties", "changes", "items"}},
    {"scores", false, {C, "scores"}},
    {"reason", false, {C, "rationale", "items"}},
    {"blocker", false, {C, "blockers", "items"}},
    {"risk", false, {W, "risks", "items"}},
    {"suggestion", false, {W, "suggestions", "items"}},
    {"change", false, {W, "sensitivity", "items", "properties", "changes", "items"}},
    {"because", false, {"$defs", "because", "items"}},
    {"error", false, {"$defs", "error"}},
    {"report_list", false, {"$defs", "report_list"}},
};

static cJSON *schema_json(void)
{
    vm_buf b;
    vm_buf_init(&b);
    assert_int_equal(vm_schema_report(&b), VM_OK);
    cJSON *root = cJSON_ParseWithLength(b.data, b.len);
    vm_buf_free(&b);
    assert_non_null(root);
    return root;
}

static const cJSON *at(const cJSON *root, const char *const *path)
{
    const cJSON *n = root;
    for (size_t i = 0; path[i] && n; i++)
        n = cJSON_GetObjectItemCaseSensitive(n, path[i]);
    return n;
}

static bool has(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i], s))
            return true;
    return false;
}

/* Where the schema object at p differs from table tb: a message, or
 * NULL when its properties are the table's keys in order and its required
 * keys the table's required ones (each once; the order has one documented
 * exception, schema_report.c:required_keys). */
static const char *mismatch(const cJSON *root, const place *p, const tkey *tb, size_t nt)
{
    static char msg[256];
    const char *want[64], *req[64], *got[64];
    size_t nwant = expected(tb, nt, p->obj, false, false, want, 0);
    size_t nreq = expected(tb, nt, p->obj, true, p->single, req, 0), ngot = 0, i = 0;
    const cJSON *o = at(root, p->path);
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(o, "properties");
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(o, "required");
    const cJSON *closed = cJSON_GetObjectItemCaseSensitive(o, "additionalProperties");
    if (!o || !props || !cJSON_IsArray(r) || !cJSON_IsFalse(closed))
        snprintf(msg, sizeof msg, "%s: no closed object with properties and required there", p->obj);
    else
        msg[0] = '\0';
    for (const cJSON *k = props ? props->child : NULL; k && !msg[0]; k = k->next, i++) {
        if (i >= nwant)
            snprintf(msg, sizeof msg, "%s: the schema has property '%s' the table has not", p->obj, k->string);
        else if (strcmp(k->string, want[i]) != 0)
            snprintf(msg, sizeof msg, "%s: property %zu is '%s', the table says '%s'", p->obj, i, k->string,
                     want[i]);
    }
    if (!msg[0] && i != nwant)
        snprintf(msg, sizeof msg, "%s: the schema lacks the table's '%s'", p->obj, want[i]);
    for (const cJSON *k = r ? r->child : NULL; k && !msg[0]; k = k->next) {
        if (!cJSON_IsString(k) || ngot == 64)
            snprintf(msg, sizeof msg, "%s: a required entry that is not a key", p->obj);
        else if (has(got, ngot, k->valuestring))
            snprintf(msg, sizeof msg, "%s: '%s' required twice", p->obj, k->valuestring);
        else if (!has(req, nreq, k->valuestring))
            snprintf(msg, sizeof msg, "%s: '%s' is required, the table says it is not", p->obj, k->valuestring);
        else
            got[ngot++] = k->valuestring;
    }
    for (size_t q = 0; q < nreq && !msg[0]; q++)
        if (!has(got, ngot, req[q]))
            snprintf(msg, sizeof msg, "%s: the table requires '%s', the schema does not", p->obj, req[q]);
    return msg[0] ? msg : NULL;
}

static void every_object_matches_the_table(void **state)
{
    (void)state;
    cJSON *root = schema_json();
    for (size_t i = 0; i < sizeof places / sizeof *places; i++) {
        const char *m = mismatch(root, &places[i], table, NTABLE);
        if (m)
            fail_msg("%s", m);
    }
    cJSON_Delete(root);
}

/* every object of the table is checked somewhere (an included one through
 * its includers) */
static void every_object_is_placed(void **state)
{
    (void)state;
    for (size_t i = 0; i < NTABLE; i++) {
        const char *o = table[i].obj;
        bool found = false;
        for (size_t p = 0; p < sizeof places / sizeof *places && !found; p++)
            found = !strcmp(places[p].obj, o);
        for (size_t k = 0; k < NTABLE && !found; k++)
            found = table[k].inc && !strcmp(table[k].inc, o);
        if (!found)
            fail_msg("object '%s' of the table is not checked: add it to places[]", o);
    }
}

/* The check is not blind: against a table with one key more, or one key
 * required that is not, the schema generated from the real table differs
 * (so a key added to the table must appear in the schema for the test
 * above to pass, and the generator is what puts it there). */
static void a_changed_table_is_seen(void **state)
{
    (void)state;
    cJSON *root = schema_json();
    static const place reason = {"reason", false, {R, "rationale", "items"}};
    static const place rec1 = {"recommendation", true, {C, "recommendation"}};
    tkey t[NTABLE + 1];
    memcpy(t, table, sizeof table);
    assert_null(mismatch(root, &reason, t, NTABLE));
    assert_null(mismatch(root, &rec1, t, NTABLE));

    size_t last = 0; /* after the last key of reason */
    for (size_t i = 0; i < NTABLE; i++)
        if (!strcmp(t[i].obj, "reason"))
            last = i + 1;
    memmove(t + last + 1, t + last, (NTABLE - last) * sizeof *t);
    t[last] = (tkey){.obj = "reason", .key = "added", .req = OPT};
    assert_non_null(mismatch(root, &reason, t, NTABLE + 1));

    memcpy(t, table, sizeof table);
    for (size_t i = 0; i < NTABLE; i++)
        if (!strcmp(t[i].obj, "reason") && !strcmp(t[i].key, "title"))
            t[i].req = REQ;
    assert_non_null(mismatch(root, &reason, t, NTABLE));

    memcpy(t, table, sizeof table);
    for (size_t i = 0; i < NTABLE; i++)
        if (!strcmp(t[i].obj, "recommendation") && !strcmp(t[i].key, "margin"))
            t[i].req = OPT;
    assert_non_null(mismatch(root, &rec1, t, NTABLE));
    cJSON_Delete(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_object_matches_the_table),
        cmocka_unit_test(every_object_is_placed),
        cmocka_unit_test(a_changed_table_is_seen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
