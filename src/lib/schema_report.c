/*
 * schema_report.c - the JSON Schema (draft 2020-12) of the advise JSON
 * report, exactly as report_json.c writes it: every object closed
 * (additionalProperties: false) with every key it always writes required,
 * enums from the target and category tables, number ranges where the
 * engine guarantees them (confidence 0..1, swing and margin >= 0).
 *
 * Each object's "properties" and "required" are generated from the key
 * table the writer also takes its keys from (report_keys.h), so a key is
 * added to both in one place. What the table cannot say in a line (maps
 * keyed by the target and category tables, enums, patterns, the margin
 * rule) is a special_* function below, named by the table. Only the
 * shared $defs (enums from the target, category and field tables, the
 * rule id, a value) are written here by hand.
 * Tests: unit-schema_report walks the table against this output,
 * tests/schema/keys.py and ajv (tests/schema/check.sh) against real reports.
 */
#include "vmctr/schema.h"
#include "vmctr/field.h"
#include "vmctr/target.h"
#include "util/jsonw.h"
#include "vmctr/report.h"
#include "report_keys.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define RULE_ID_PATTERN "^(workload|isolation|economics|delivery|team|strategy|operations)\\.[a-z0-9-]+$"

static void kstr_arr(jw *j, const char *key, const char *const *items, size_t n)
{
    jw_key(j, key);
    jw_arr(j);
    for (size_t i = 0; i < n; i++)
        jw_str(j, items[i]);
    jw_arr_end(j);
}

static void end_obj(jw *j)
{
    jw_obj_end(j); /* properties */
    jw_obj_end(j);
}

static void ref_obj(jw *j, const char *target)
{
    jw_obj(j);
    jw_kstr(j, "$ref", target);
    jw_obj_end(j);
}

/* ---- objects: generated from the key table (report_keys.h) ------------------------ */

/* What the table's X lines become here: one rk_def per key, one list of
 * them per object (rk_objs, indexed by rk_obj). */
enum rk_shape { SH_TYPE, SH_REF, SH_REFS, SH_CONST, SH_INT, SH_NUM, SH_OBJ, SH_ARRAY, SH_INCLUDE, SH_SPECIAL };
enum rk_req { RQ_REQ, RQ_OPT, RQ_SINGLE };

#define RK_OBJ_ID_(o, list) RKO_##o,
enum rk_obj { RK_OBJECTS(RK_OBJ_ID_) RKO_COUNT };

typedef struct rk_def rk_def;
struct rk_def {
    const char *key;
    enum rk_req req;
    enum rk_shape shape;
    const char *arg;                            /* TYPE: the type; REF, REFS: the target; CONST: the value */
    enum rk_obj obj;                            /* OBJ, ARRAY, INCLUDE */
    double lo, hi;                              /* INT: lo; NUM: lo and hi, NAN for none */
    long long max;                              /* ARRAY, REFS: maxItems, -1 for none */
    void (*special)(jw *j, const rk_def *d);    /* SPECIAL */
    const char *desc;
};

/* The special shapes (RK_SPECIAL(name) in the table); each writes the
 * value of its key, d->desc its description. */
#define SPECIAL_FN(name) static void special_##name(jw *j, const rk_def *d)
SPECIAL_FN(what_if_set);
SPECIAL_FN(what_if_report);
SPECIAL_FN(lean);
SPECIAL_FN(recommendation_report);
SPECIAL_FN(recommendation_single);
SPECIAL_FN(digest);
SPECIAL_FN(container_platform);
SPECIAL_FN(families);
SPECIAL_FN(paradigm_scores);
SPECIAL_FN(platform_scores);
SPECIAL_FN(category_scores);
SPECIAL_FN(effects);
SPECIAL_FN(excludes);
SPECIAL_FN(topic);

#define RK_REQ RQ_REQ
#define RK_OPT RQ_OPT
#define RK_SINGLE RQ_SINGLE
#define RK_NONE NAN
#define RK_TYPE(t) .shape = SH_TYPE, .arg = #t
#define RK_REF(def) .shape = SH_REF, .arg = "#/$defs/" #def
#define RK_REFS(def, m) .shape = SH_REFS, .arg = "#/$defs/" #def, .max = (m)
#define RK_CONST(s) .shape = SH_CONST, .arg = (s)
#define RK_INT(min) .shape = SH_INT, .lo = (min)
#define RK_NUM(l, h) .shape = SH_NUM, .lo = (l), .hi = (h)
#define RK_OBJ(o) .shape = SH_OBJ, .obj = RKO_##o
#define RK_ARRAY(o, m) .shape = SH_ARRAY, .obj = RKO_##o, .max = (m)
#define RK_INCLUDE(o) .shape = SH_INCLUDE, .obj = RKO_##o
#define RK_SPECIAL(name) .shape = SH_SPECIAL, .special = special_##name
#define RK_DEF_(o, k, rq, sh, d) {.key = #k, .req = rq, sh, .desc = d},
#define RK_DEFS_(o, list) static const rk_def keys_##o[] = {list(RK_DEF_)};
RK_OBJECTS(RK_DEFS_)

static const struct {
    const rk_def *keys;
    size_t n;
} rk_objs[RKO_COUNT] = {
#define RK_OBJ_ENTRY_(o, list) [RKO_##o] = {keys_##o, sizeof keys_##o / sizeof *keys_##o},
    RK_OBJECTS(RK_OBJ_ENTRY_)
};

/* The object's required keys (those of an include in its place), and with
 * `single` its RK_SINGLE keys after them, in the table's order but for
 * one exception: an evaluation lists "rationale" after "blockers", as this
 * schema always has (its bytes are pinned by the schema-report golden). */
static bool late_key(enum rk_obj o, const char *key) { return o == RKO_evaluation && !strcmp(key, "rationale"); }

static void required_keys(jw *j, enum rk_obj o, bool single)
{
    const rk_def *k = rk_objs[o].keys;
    for (size_t i = 0; i < rk_objs[o].n; i++) {
        if (k[i].shape == SH_INCLUDE)
            required_keys(j, k[i].obj, single);
        else if (k[i].req == RQ_REQ && !late_key(o, k[i].key))
            jw_str(j, k[i].key);
        if (o == RKO_evaluation && !strcmp(k[i].key, "blockers"))
            for (size_t l = 0; l < rk_objs[o].n; l++)
                if (k[l].req == RQ_REQ && late_key(o, k[l].key))
                    jw_str(j, k[l].key);
    }
    for (size_t i = 0; single && i < rk_objs[o].n; i++)
        if (k[i].req == RQ_SINGLE)
            jw_str(j, k[i].key);
}

static void props(jw *j, enum rk_obj o);

/* {["description": desc,] "type": "object", "additionalProperties": false,
 * "required": [...], "properties": {...  -- the caller closes with end_obj
 * (or closes "properties" and adds to the object first) */
static void open_obj(jw *j, const char *desc, enum rk_obj o, bool single)
{
    jw_obj(j);
    if (desc)
        jw_kstr(j, "description", desc);
    jw_kstr(j, "type", "object");
    jw_kbool(j, "additionalProperties", false);
    jw_key(j, "required");
    jw_arr(j);
    required_keys(j, o, single);
    jw_arr_end(j);
    jw_key(j, "properties");
    jw_obj(j);
    props(j, o);
}

/* the value of one key, as its shape says */
static void value_schema(jw *j, const rk_def *d)
{
    if (d->shape == SH_SPECIAL) {
        d->special(j, d);
        return;
    }
    if (d->shape == SH_OBJ) {
        open_obj(j, d->desc, d->obj, false);
        end_obj(j);
        return;
    }
    jw_obj(j);
    if (d->desc)
        jw_kstr(j, "description", d->desc);
    switch (d->shape) {
    case SH_TYPE: jw_kstr(j, "type", d->arg); break;
    case SH_REF: jw_kstr(j, "$ref", d->arg); break;
    case SH_CONST: jw_kstr(j, "const", d->arg); break;
    case SH_INT:
        jw_kstr(j, "type", "integer");
        jw_kint(j, "minimum", (long long)d->lo);
        break;
    case SH_NUM:
        jw_kstr(j, "type", "number");
        if (!isnan(d->lo))
            jw_knum(j, "minimum", d->lo, 6);
        if (!isnan(d->hi))
            jw_knum(j, "maximum", d->hi, 6);
        break;
    case SH_REFS:
        jw_kstr(j, "type", "array");
        if (d->max >= 0)
            jw_kint(j, "maxItems", d->max);
        jw_key(j, "items");
        ref_obj(j, d->arg);
        break;
    case SH_ARRAY:
        jw_kstr(j, "type", "array");
        if (d->max >= 0)
            jw_kint(j, "maxItems", d->max);
        jw_key(j, "items");
        open_obj(j, NULL, d->obj, false);
        end_obj(j);
        break;
    default: break; /* SH_INCLUDE is not a key (props) */
    }
    jw_obj_end(j);
}

/* the object's keys, with their values' schemas, in writing order */
static void props(jw *j, enum rk_obj o)
{
    const rk_def *k = rk_objs[o].keys;
    for (size_t i = 0; i < rk_objs[o].n; i++) {
        if (k[i].shape == SH_INCLUDE) {
            props(j, k[i].obj);
            continue;
        }
        jw_key(j, k[i].key);
        value_schema(j, &k[i]);
    }
}

/* ---- the special shapes ------------------------------------------------------------ */

/* An object whose keys are exactly the targets (all required), each a
 * number, or each a paradigm map (categories). */
static void target_map(jw *j, const char *desc, const int *targets, size_t n)
{
    const char *names[VM_TARGET_COUNT] = {0};
    for (size_t i = 0; i < n; i++)
        names[i] = vm_target_name(targets[i]);
    jw_obj(j);
    if (desc)
        jw_kstr(j, "description", desc);
    jw_kstr(j, "type", "object");
    jw_kbool(j, "additionalProperties", false);
    kstr_arr(j, "required", names, n);
    jw_key(j, "properties");
    jw_obj(j);
    for (size_t i = 0; i < n; i++) {
        jw_key(j, names[i]);
        jw_obj(j);
        jw_kstr(j, "type", "number");
        jw_obj_end(j);
    }
    end_obj(j);
}

SPECIAL_FN(paradigm_scores) { target_map(j, d->desc, vm_paradigm_spec_order, VM_PARADIGM_COUNT); }

SPECIAL_FN(platform_scores)
{
    int plats[VM_TARGET_COUNT];
    size_t np = 0;
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++)
        plats[np++] = t;
    target_map(j, d->desc, plats, np);
}

SPECIAL_FN(category_scores)
{
    const char *cats[VM_CAT_COUNT];
    for (int c = 0; c < VM_CAT_COUNT; c++)
        cats[c] = vm_category_name(c);
    jw_obj(j);
    jw_kstr(j, "description", d->desc);
    jw_kstr(j, "type", "object");
    jw_kbool(j, "additionalProperties", false);
    kstr_arr(j, "required", cats, VM_CAT_COUNT);
    jw_key(j, "properties");
    jw_obj(j);
    for (int c = 0; c < VM_CAT_COUNT; c++) {
        jw_key(j, cats[c]);
        target_map(j, NULL, vm_paradigm_spec_order, VM_PARADIGM_COUNT);
    }
    end_obj(j);
}

/* the platform per kind of workload: {"vm": ..., "container": ..., "microvm": ...}, none required */
SPECIAL_FN(families)
{
    static const int fams[3] = {VM_T_VM, VM_T_CONTAINER, VM_T_MICROVM};
    jw_obj(j);
    jw_kstr(j, "description", d->desc);
    jw_kstr(j, "type", "object");
    jw_kbool(j, "additionalProperties", false);
    kstr_arr(j, "required", NULL, 0);
    jw_key(j, "properties");
    jw_obj(j);
    for (size_t i = 0; i < 3; i++) {
        jw_key(j, vm_target_name(fams[i]));
        ref_obj(j, "#/$defs/platform_or_null");
    }
    end_obj(j);
}

/* margin and platform_margin are required for one evaluation (a profile
 * without components, or a component); margin_rule below ties the
 * report's to its components */
static void recommendation(jw *j, bool single)
{
    open_obj(j,
             single ? "the verdict"
                    : "the verdict; 'margin' and 'platform_margin' only for a profile without components",
             RKO_recommendation, single);
    end_obj(j);
}
SPECIAL_FN(recommendation_report)
{
    (void)d;
    recommendation(j, false);
}
SPECIAL_FN(recommendation_single)
{
    (void)d;
    recommendation(j, true);
}

SPECIAL_FN(container_platform)
{
    jw_obj(j);
    jw_kstr(j, "description", d->desc);
    jw_key(j, "enum");
    jw_arr(j);
    jw_str(j, vm_target_name(VM_T_DOCKER));
    jw_str(j, vm_target_name(VM_T_KUBERNETES));
    jw_null(j);
    jw_arr_end(j);
    jw_obj_end(j);
}

SPECIAL_FN(effects)
{
    jw_obj(j);
    jw_kstr(j, "description", d->desc);
    jw_kstr(j, "type", "object");
    jw_key(j, "propertyNames");
    ref_obj(j, "#/$defs/target");
    jw_key(j, "additionalProperties");
    jw_obj(j);
    jw_kstr(j, "type", "number");
    jw_obj_end(j);
    jw_obj_end(j);
}

SPECIAL_FN(excludes)
{
    (void)d;
    jw_obj(j);
    jw_kstr(j, "type", "array");
    jw_key(j, "items");
    ref_obj(j, "#/$defs/target");
    jw_kint(j, "minItems", 1);
    jw_kbool(j, "uniqueItems", true);
    jw_obj_end(j);
}

SPECIAL_FN(topic)
{
    (void)d;
    jw_obj(j);
    kstr_arr(j, "enum", vm_report_topics, VM_REPORT_TOPIC_COUNT);
    jw_obj_end(j);
}

SPECIAL_FN(lean)
{
    jw_obj(j);
    jw_kstr(j, "description", d->desc);
    jw_kbool(j, "const", true);
    jw_obj_end(j);
}

SPECIAL_FN(digest)
{
    (void)d;
    jw_obj(j);
    jw_kstr(j, "type", "string");
    jw_kstr(j, "pattern", "^sha256:[0-9a-f]{64}$");
    jw_obj_end(j);
}

SPECIAL_FN(what_if_set)
{
    (void)d;
    jw_obj(j);
    jw_kstr(j, "type", "array");
    jw_key(j, "items");
    jw_obj(j);
    jw_kstr(j, "type", "string");
    jw_kstr(j, "pattern", "^[a-z._]+=");
    jw_obj_end(j);
    jw_kint(j, "minItems", 1);
    jw_obj_end(j);
}

/* margin is written exactly when there are no components */
static void margin_rule(jw *j)
{
    jw_key(j, "if");
    jw_obj(j);
    jw_key(j, "properties");
    jw_obj(j);
    jw_key(j, "components");
    jw_obj(j);
    jw_kstr(j, "type", "array");
    jw_kint(j, "maxItems", 0);
    jw_obj_end(j);
    jw_obj_end(j);
    jw_obj_end(j);
    for (int pass = 0; pass < 2; pass++) {
        jw_key(j, pass ? "else" : "then");
        jw_obj(j);
        jw_key(j, "properties");
        jw_obj(j);
        jw_key(j, "recommendation");
        jw_obj(j);
        jw_kstr(j, "type", "object");
        if (pass) {
            jw_key(j, "not");
            jw_obj(j);
            jw_kstr(j, "type", "object");
        }
        static const char *const m[] = {"margin"};
        jw_key(j, "properties");
        jw_obj(j);
        jw_kbool(j, "margin", true);
        jw_obj_end(j);
        kstr_arr(j, "required", m, 1);
        if (pass)
            jw_obj_end(j);
        jw_obj_end(j);
        jw_obj_end(j);
        jw_obj_end(j);
    }
}

/* the what-if report: a report body (no what_if of its own) */
SPECIAL_FN(what_if_report)
{
    (void)d;
    open_obj(j, NULL, RKO_body, false);
    jw_obj_end(j); /* properties */
    margin_rule(j);
    jw_obj_end(j);
}

/* The report object: the root of a single report, and an item of a list. */
static void report_def(jw *j)
{
    jw_key(j, "report");
    open_obj(j, "one profile's report", RKO_report, false);
    jw_obj_end(j); /* properties */
    margin_rule(j);
    jw_obj_end(j);
}

/* ---- $defs ---------------------------------------------------------------------- */

static void enum_def(jw *j, const char *name, const char *desc, int lo, int hi, bool nullable)
{
    jw_key(j, name);
    jw_obj(j);
    jw_kstr(j, "description", desc);
    jw_key(j, "enum");
    jw_arr(j);
    for (int t = lo; t <= hi; t++)
        jw_str(j, vm_target_name(t));
    if (nullable)
        jw_null(j);
    jw_arr_end(j);
    jw_obj_end(j);
}

static void defs(jw *j)
{
    jw_key(j, "$defs");
    jw_obj(j);
    enum_def(j, "paradigm", "a paradigm id", VM_T_VM, VM_T_HYBRID, false);
    enum_def(j, "paradigm_or_null", "a paradigm id, or null when there is none", VM_T_VM, VM_T_HYBRID, true);
    enum_def(j, "platform_or_null", "a platform id, or null when none fits", VM_FIRST_PLATFORM,
             VM_TARGET_COUNT - 1, true);
    enum_def(j, "target", "a paradigm or platform id", 0, VM_TARGET_COUNT - 1, false);

    jw_key(j, "category");
    jw_obj(j);
    jw_kstr(j, "description", "a rule category (a spec section)");
    jw_key(j, "enum");
    jw_arr(j);
    for (int c = 0; c < VM_CAT_COUNT; c++)
        jw_str(j, vm_category_name(c));
    jw_arr_end(j);
    jw_obj_end(j);

    jw_key(j, "rule_id");
    jw_obj(j);
    jw_kstr(j, "description", "a rule id: <category>.<slug>");
    jw_kstr(j, "type", "string");
    jw_kstr(j, "pattern", RULE_ID_PATTERN);
    jw_obj_end(j);

    jw_key(j, "field_path");
    jw_obj(j);
    jw_kstr(j, "description", "a profile field by its document path");
    jw_key(j, "enum");
    jw_arr(j);
    for (int f = 0; f < VM_FIELD_COUNT; f++)
        jw_str(j, vm_field(f)->path);
    jw_arr_end(j);
    jw_obj_end(j);

    jw_key(j, "value");
    jw_obj(j);
    jw_kstr(j, "description", "a profile value as the profile holds it; null when unknown");
    jw_key(j, "anyOf");
    jw_arr(j);
    static const char *const vt[] = {"string", "boolean", "integer", "null"};
    for (size_t i = 0; i < sizeof vt / sizeof *vt; i++) {
        jw_obj(j);
        jw_kstr(j, "type", vt[i]);
        jw_obj_end(j);
    }
    jw_obj(j);
    jw_kstr(j, "type", "array");
    jw_key(j, "items");
    jw_obj(j);
    jw_kstr(j, "type", "string");
    jw_obj_end(j);
    jw_obj_end(j);
    jw_arr_end(j);
    jw_obj_end(j);

    static const rk_def because = {
        .key = "because",
        .shape = SH_ARRAY,
        .obj = RKO_because,
        .max = -1,
        .desc = "the profile fields behind a rule, in field order (line and column 0: absent or set on the "
                "command line)",
    };
    jw_key(j, because.key);
    value_schema(j, &because);

    /* the caller adds its own definitions and closes $defs */
}

/* advise's error record (NDJSON line, and an entry of a list's errors). */
static void error_def(jw *j)
{
    jw_key(j, "error");
    open_obj(j, "a document that failed to load (its diagnostics went to stderr)", RKO_error, false);
    end_obj(j);
}

/* --format json over several documents (or an invalid one): one list object. */
static void list_def(jw *j)
{
    jw_key(j, "report_list");
    open_obj(j, "advise --format json over more than one document, or an invalid one: the reports in input "
                "order and the error records",
             RKO_report_list, false);
    end_obj(j);
}

vm_status vm_schema_report(vm_buf *out)
{
    jw j;
    jw_init(&j, out, true);
    jw_obj(&j);
    jw_kstr(&j, "$schema", "https://json-schema.org/draft/2020-12/schema");
    jw_kstr(&j, "$id", VM_SCHEMA_REPORT_ID);
    jw_kstr(&j, "title", "vmctr report (vmctr.report/v1, vmctr.report-list/v1, vmctr.error/v1)");
    jw_kstr(&j, "description",
            "What 'vmctr advise --format json' writes: one report for one valid document, else a report list; "
            "each line of --format ndjson is a (lean) report or an error record. Generated from vmctr's "
            "tables; do not edit.");
    jw_key(&j, "oneOf");
    jw_arr(&j);
    static const char *const forms[] = {"#/$defs/report", "#/$defs/report_list", "#/$defs/error"};
    for (size_t i = 0; i < 3; i++) {
        jw_obj(&j);
        jw_kstr(&j, "$ref", forms[i]);
        jw_obj_end(&j);
    }
    jw_arr_end(&j);
    defs(&j);
    report_def(&j);
    error_def(&j);
    list_def(&j);
    jw_obj_end(&j); /* $defs */
    jw_obj_end(&j);
    vm_buf_putc(out, '\n');
    return out->oom ? VM_EIO : VM_OK;
}
