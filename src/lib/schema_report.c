/*
 * schema_report.c - the JSON Schema (draft 2020-12) of the advise JSON
 * report, exactly as report_json.c writes it: every object closed
 * (additionalProperties: false) with every key it always writes required,
 * enums from the target and category tables, number ranges where the
 * engine guarantees them (confidence 0..1, swing and margin >= 0).
 *
 * The shapes are written by the same kind of code as the report (jw), one
 * function per object, so a key added to report_json.c and not here fails
 * the validation test (tests run ajv over real reports). Objects that
 * appear in several places (recommendation, the evaluation keys shared by
 * the profile and each component, the report body reused by what_if) are
 * written by one function each and emitted inline where they occur.
 */
#include "vmctr/schema.h"
#include "vmctr/field.h"
#include "vmctr/target.h"
#include "util/jsonw.h"
#include "vmctr/report.h"

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

/* {"type": "object", "additionalProperties": false, "required": [...], "properties": {  -- caller closes with end_obj */
static void begin_obj(jw *j, const char *desc, const char *const *req, size_t nreq)
{
    jw_obj(j);
    if (desc)
        jw_kstr(j, "description", desc);
    jw_kstr(j, "type", "object");
    jw_kbool(j, "additionalProperties", false);
    kstr_arr(j, "required", req, nreq);
    jw_key(j, "properties");
    jw_obj(j);
}

static void end_obj(jw *j)
{
    jw_obj_end(j); /* properties */
    jw_obj_end(j);
}

static void ref(jw *j, const char *key, const char *target)
{
    jw_key(j, key);
    jw_obj(j);
    jw_kstr(j, "$ref", target);
    jw_obj_end(j);
}

static void type_prop(jw *j, const char *key, const char *type)
{
    jw_key(j, key);
    jw_obj(j);
    jw_kstr(j, "type", type);
    jw_obj_end(j);
}

static void number_prop(jw *j, const char *key, const char *desc, bool has_min, double min, bool has_max, double max)
{
    jw_key(j, key);
    jw_obj(j);
    if (desc)
        jw_kstr(j, "description", desc);
    jw_kstr(j, "type", "number");
    if (has_min)
        jw_knum(j, "minimum", min, 6);
    if (has_max)
        jw_knum(j, "maximum", max, 6);
    jw_obj_end(j);
}

static void int_prop(jw *j, const char *key, const char *desc, long long min)
{
    jw_key(j, key);
    jw_obj(j);
    if (desc)
        jw_kstr(j, "description", desc);
    jw_kstr(j, "type", "integer");
    jw_kint(j, "minimum", min);
    jw_obj_end(j);
}

/* An object whose keys are exactly `keys` (all required), each a number. */
static void number_map(jw *j, const char *key, const char *desc, const int *targets, size_t n)
{
    const char *names[VM_TARGET_COUNT] = {0};
    for (size_t i = 0; i < n; i++)
        names[i] = vm_target_name(targets[i]);
    jw_key(j, key);
    begin_obj(j, desc, names, n);
    for (size_t i = 0; i < n; i++)
        type_prop(j, names[i], "number");
    end_obj(j);
}


static void platform_list(int *out, size_t *n)
{
    *n = 0;
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++)
        out[(*n)++] = t;
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

    jw_key(j, "because");
    jw_obj(j);
    jw_kstr(j, "description", "the profile fields behind a rule, in field order (line and column 0: absent "
                              "or set on the command line)");
    jw_kstr(j, "type", "array");
    jw_key(j, "items");
    {
        static const char *const req[] = {"field", "value", "line", "column"};
        begin_obj(j, NULL, req, 4);
        ref(j, "field", "#/$defs/field_path");
        ref(j, "value", "#/$defs/value");
        int_prop(j, "line", NULL, 0);
        int_prop(j, "column", NULL, 0);
        end_obj(j);
    }
    jw_obj_end(j);

    /* the caller adds its own definitions and closes $defs */
}

/* ---- objects --------------------------------------------------------------------- */

/* report_json.c: recommendation(); margin and platform_margin only for one
 * evaluation (a profile without components, or a component). */
static void recommendation(jw *j, bool margin_required)
{
    static const char *const req[] = {"paradigm", "platform", "container_platform", "confidence", "runner_up",
                                      "platforms", "platform_ties", "platform_confidence", "evidence",
                                      "enough_evidence", "margin", "platform_margin"};
    jw_key(j, "recommendation");
    begin_obj(j,
              margin_required ? "the verdict"
                              : "the verdict; 'margin' and 'platform_margin' only for a profile without components",
              req, margin_required ? 12 : 10);
    ref(j, "paradigm", "#/$defs/paradigm_or_null");
    ref(j, "platform", "#/$defs/platform_or_null");
    jw_key(j, "container_platform");
    jw_obj(j);
    jw_kstr(j, "description",
            "hybrid: the containers' platform (the orchestrator on the VMs; for a system of containers and "
            "micro-VMs, beside the micro-VMs); else null");
    jw_key(j, "enum");
    jw_arr(j);
    jw_str(j, vm_target_name(VM_T_DOCKER));
    jw_str(j, vm_target_name(VM_T_KUBERNETES));
    jw_null(j);
    jw_arr_end(j);
    jw_obj_end(j);
    number_prop(j, "confidence", "margin / (margin + 5 x scale), scale the mean priority / 3, in [0, 1]", true, 0, true, 1);
    ref(j, "runner_up", "#/$defs/paradigm_or_null");
    number_prop(j, "margin", "score of the paradigm minus the runner-up's", true, 0, false, 0);
    {
        static const char *const fams[] = {"vm", "container", "microvm"};
        jw_key(j, "platforms");
        begin_obj(j, "the platform per kind of workload the verdict places (a hybrid: VMs and containers; a system: "
                     "every kind its components run)",
                  NULL, 0);
        for (size_t i = 0; i < 3; i++)
            ref(j, fams[i], "#/$defs/platform_or_null");
        end_obj(j);
    }
    jw_key(j, "platform_ties");
    jw_obj(j);
    jw_kstr(j, "description", "platforms that share the best score with a chosen one (nothing separates them); "
                              "empty when every platform was chosen on evidence");
    jw_kstr(j, "type", "array");
    jw_key(j, "items");
    jw_obj(j);
    jw_kstr(j, "$ref", "#/$defs/platform_or_null");
    jw_obj_end(j);
    jw_obj_end(j);
    number_prop(j, "platform_confidence", "the platform's margin / (margin + 5 x scale); a system: the lowest of its "
                                          "components'", true, 0, true, 1);
    number_prop(j, "platform_margin", "score of the platform minus the next of its family", true, 0, false, 0);
    int_prop(j, "evidence", "known fields read by a fired rule that scores or excludes a paradigm", 0);
    jw_key(j, "enough_evidence");
    jw_obj(j);
    jw_kstr(j, "description", "evidence >= 1; false: too little to decide, the paradigm is the fixed tie order");
    jw_kstr(j, "type", "boolean");
    jw_obj_end(j);
    end_obj(j);
}

static void string_props(jw *j, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        type_prop(j, keys[i], "string");
}

/* `"key": {"description": desc, "type": "array", ["maxItems": max,] "items": `
 * (max < 0: no maxItems); the caller writes the items and closes it. */
static void array_open(jw *j, const char *key, const char *desc, long long max)
{
    jw_key(j, key);
    jw_obj(j);
    jw_kstr(j, "description", desc);
    jw_kstr(j, "type", "array");
    if (max >= 0)
        jw_kint(j, "maxItems", max);
    jw_key(j, "items");
}

/* "scores": per paradigm, per platform, per category */
static void scores_props(jw *j)
{
    int plats[VM_TARGET_COUNT];
    size_t np;
    platform_list(plats, &np);
    jw_key(j, "scores");
    {
        static const char *const req[] = {"paradigms", "platforms", "categories"};
        begin_obj(j, "summed weighted contributions per target", req, 3);
        number_map(j, "paradigms", NULL, vm_paradigm_spec_order, VM_PARADIGM_COUNT);
        number_map(j, "platforms", NULL, plats, np);
        const char *cats[VM_CAT_COUNT];
        for (int c = 0; c < VM_CAT_COUNT; c++)
            cats[c] = vm_category_name(c);
        jw_key(j, "categories");
        begin_obj(j, "paradigm scores per rule category", cats, VM_CAT_COUNT);
        for (int c = 0; c < VM_CAT_COUNT; c++)
            number_map(j, cats[c], NULL, vm_paradigm_spec_order, VM_PARADIGM_COUNT);
        end_obj(j);
        end_obj(j);
    }
}

/* "rationale": its items */
static void rationale_items(jw *j)
{
    /* title, category, effects, reference and rationale are left out of lean reports */
    static const char *const req[] = {"rule", "contribution", "because"};
    begin_obj(j, NULL, req, 3);
    ref(j, "rule", "#/$defs/rule_id");
    type_prop(j, "title", "string");
    ref(j, "category", "#/$defs/category");
    number_prop(j, "contribution", "effect on the margin: to the winner minus to the runner-up", false, 0,
                false, 0);
    jw_key(j, "effects");
    jw_obj(j);
    jw_kstr(j, "description", "weighted score per target the rule scores");
    jw_kstr(j, "type", "object");
    jw_key(j, "propertyNames");
    jw_obj(j);
    jw_kstr(j, "$ref", "#/$defs/target");
    jw_obj_end(j);
    jw_key(j, "additionalProperties");
    jw_obj(j);
    jw_kstr(j, "type", "number");
    jw_obj_end(j);
    jw_obj_end(j);
    static const char *const strs[] = {"reference", "rationale"};
    string_props(j, strs, 2);
    ref(j, "because", "#/$defs/because");
    end_obj(j);
}

/* "blockers": its items */
static void blockers_items(jw *j)
{
    static const char *const req[] = {"rule", "excludes", "because"};
    begin_obj(j, NULL, req, 3);
    ref(j, "rule", "#/$defs/rule_id");
    jw_key(j, "excludes");
    jw_obj(j);
    jw_kstr(j, "type", "array");
    jw_key(j, "items");
    jw_obj(j);
    jw_kstr(j, "$ref", "#/$defs/target");
    jw_obj_end(j);
    jw_kint(j, "minItems", 1);
    jw_kbool(j, "uniqueItems", true);
    jw_obj_end(j);
    static const char *const strs[] = {"reference", "reason"};
    string_props(j, strs, 2);
    ref(j, "because", "#/$defs/because");
    end_obj(j);
}

/* "risks": its items */
static void risks_items(jw *j)
{
    static const char *const req[] = {"rule"};
    static const char *const strs[] = {"text", "reference"};
    begin_obj(j, NULL, req, 1);
    ref(j, "rule", "#/$defs/rule_id");
    string_props(j, strs, 2);
    int_prop(j, "index", "lean reports: the position of the risk in the rule's risks", 0);
    end_obj(j);
}

/* "suggestions": its items */
static void suggestions_items(jw *j)
{
    static const char *const req[] = {"rule", "topic"};
    static const char *const strs[] = {"text", "reference"};
    begin_obj(j, NULL, req, 2);
    ref(j, "rule", "#/$defs/rule_id");
    jw_key(j, "topic");
    jw_obj(j);
    kstr_arr(j, "enum", vm_report_topics, VM_REPORT_TOPIC_COUNT);
    jw_obj_end(j);
    string_props(j, strs, 2);
    int_prop(j, "index", "lean reports: the position of the suggestion in the rule's suggests", 0);
    end_obj(j);
}

/* "unknowns": its items */
static void unknowns_items(jw *j)
{
    static const char *const req[] = {"field", "swing", "could_change", "example", "paradigm"};
    begin_obj(j, NULL, req, 5);
    ref(j, "field", "#/$defs/field_path");
    number_prop(j, "swing", "largest change of the margin an answer could make", true, 0, false, 0);
    type_prop(j, "could_change", "boolean");
    ref(j, "example", "#/$defs/value");
    ref(j, "paradigm", "#/$defs/paradigm_or_null");
    end_obj(j);
}

/* "counterfactuals": its items */
static void counterfactuals_items(jw *j)
{
    static const char *const req[] = {"field", "from", "value", "paradigm", "platform", "container_platform",
                                      "distance"};
    begin_obj(j, NULL, req, 7);
    ref(j, "field", "#/$defs/field_path");
    ref(j, "from", "#/$defs/value");
    ref(j, "value", "#/$defs/value");
    ref(j, "paradigm", "#/$defs/paradigm");
    ref(j, "platform", "#/$defs/platform_or_null");
    ref(j, "container_platform", "#/$defs/platform_or_null");
    int_prop(j, "distance", "steps on an ordered scale, else 1", 0);
    end_obj(j);
}

/* "sensitivity": its items */
static void sensitivity_items(jw *j)
{
    static const char *const req[] = {"category", "priority", "holds_from", "holds_to", "changes"};
    begin_obj(j, NULL, req, 5);
    ref(j, "category", "#/$defs/category");
    int_prop(j, "priority", "the profile's priority (3 when unset)", 0);
    int_prop(j, "holds_from", "lowest priority with the same verdict (contiguous with the profile's)", 0);
    int_prop(j, "holds_to", "highest priority with the same verdict", 0);
    jw_key(j, "changes");
    jw_obj(j);
    jw_kstr(j, "type", "array");
    jw_kint(j, "maxItems", VM_PRIORITY_MAX);
    jw_key(j, "items");
    {
        static const char *const req2[] = {"priority", "paradigm", "platform", "container_platform",
                                           "platforms"};
        static const char *const fams[] = {"vm", "container", "microvm"};
        begin_obj(j, NULL, req2, 5);
        int_prop(j, "priority", NULL, 0);
        ref(j, "paradigm", "#/$defs/paradigm_or_null");
        ref(j, "platform", "#/$defs/platform_or_null");
        ref(j, "container_platform", "#/$defs/platform_or_null");
        jw_key(j, "platforms");
        begin_obj(j, "the platform per kind of workload at that priority, as recommendation.platforms", NULL, 0);
        for (size_t i = 0; i < 3; i++)
            ref(j, fams[i], "#/$defs/platform_or_null");
        end_obj(j);
        end_obj(j);
    }
    jw_obj_end(j);
    end_obj(j);
}

/* report_json.c: evaluation_c - the keys shared by the profile and each
 * component, written into an open "properties" object. */
static void evaluation_props(jw *j)
{
    scores_props(j);
    array_open(j, "rationale", "fired rules with a score, by contribution (descending), then platform effect, "
                "then id", -1);
    rationale_items(j);
    jw_obj_end(j);
    array_open(j, "blockers", "fired rules that rule targets out, in rule-set order", -1);
    blockers_items(j);
    jw_obj_end(j);
    array_open(j, "risks", "risks of the chosen platform, in rule-set order", -1);
    risks_items(j);
    jw_obj_end(j);
    array_open(j, "suggestions", "companion toolchain for the chosen platform, in rule-set order", -1);
    suggestions_items(j);
    jw_obj_end(j);
    array_open(j, "unknowns", "absent fields worth answering: could change first, then swing, then field order",
               VM_REPORT_MAX_UNKNOWNS);
    unknowns_items(j);
    jw_obj_end(j);
    array_open(j, "counterfactuals", "smallest single-field changes that change the paradigm",
               VM_REPORT_MAX_CF);
    counterfactuals_items(j);
    jw_obj_end(j);
    array_open(j, "sensitivity", "per category, in category order: the range of its priority (0..5) over which the "
                "verdict (paradigm and every platform it names) holds with every other field "
                "held, and the verdict at each priority that changes it; a system's is about the "
                "system verdict, the priority varied in the parent and in every component that does "
                "not set it itself (as --what-if does)", VM_CAT_COUNT);
    sensitivity_items(j);
    jw_obj_end(j);
}

static const char *const eval_keys[] = {"scores", "blockers", "rationale", "risks", "suggestions", "unknowns",
                                        "counterfactuals", "sensitivity"};
#define NEVAL (sizeof eval_keys / sizeof *eval_keys)

/* report_json.c: report_body() as the properties of an object; the caller
 * has opened the object and writes "required". */
static void body_props(jw *j)
{
    jw_key(j, "schema");
    jw_obj(j);
    jw_kstr(j, "const", "vmctr.report/v1");
    jw_obj_end(j);

    jw_key(j, "lean");
    jw_obj(j);
    jw_kstr(j, "description", "--format ndjson: what the rule catalogue says (titles, categories, effects, "
                              "rationales, references, risk and suggestion texts) is left out and referenced by "
                              "rule id (and index); 'vmctr rules list --format json' with the same digest has it");
    jw_kbool(j, "const", true);
    jw_obj_end(j);

    jw_key(j, "tool");
    {
        static const char *const req[] = {"name", "version", "rules_digest", "rules"};
        begin_obj(j, "the program and the rule set that made the report", req, 4);
        jw_key(j, "name");
        jw_obj(j);
        jw_kstr(j, "const", "vmctr");
        jw_obj_end(j);
        type_prop(j, "version", "string");
        jw_key(j, "rules_digest");
        jw_obj(j);
        jw_kstr(j, "type", "string");
        jw_kstr(j, "pattern", "^sha256:[0-9a-f]{64}$");
        jw_obj_end(j);
        int_prop(j, "rules", "rules in effect", 0);
        end_obj(j);
    }

    jw_key(j, "profile");
    {
        static const char *const req[] = {"name", "file", "document", "line"};
        begin_obj(j, "which profile this is", req, 4);
        type_prop(j, "name", "string");
        type_prop(j, "file", "string");
        int_prop(j, "document", "0-based index of the document in its file", 0);
        int_prop(j, "line", "line where the document starts", 1);
        end_obj(j);
    }

    recommendation(j, false);

    jw_key(j, "decision");
    {
        static const char *const req[] = {"paradigm", "platform"};
        begin_obj(j, "what the profile proposes (decision.*); null when absent", req, 2);
        ref(j, "paradigm", "#/$defs/paradigm_or_null");
        ref(j, "platform", "#/$defs/platform_or_null");
        end_obj(j);
    }

    evaluation_props(j);

    jw_key(j, "components");
    jw_obj(j);
    jw_kstr(j, "description", "one recommendation per component, in document order; [] without components");
    jw_kstr(j, "type", "array");
    jw_key(j, "items");
    {
        const char *req[3 + NEVAL] = {"name", "line", "recommendation"};
        for (size_t i = 0; i < NEVAL; i++)
            req[3 + i] = eval_keys[i];
        begin_obj(j, NULL, req, 3 + NEVAL);
        type_prop(j, "name", "string");
        int_prop(j, "line", NULL, 1);
        recommendation(j, true);
        evaluation_props(j);
        end_obj(j);
    }
    jw_obj_end(j);
}

static void body_required(jw *j)
{
    static const char *const head[] = {"schema", "tool", "profile", "recommendation", "decision"};
    jw_key(j, "required");
    jw_arr(j);
    for (size_t i = 0; i < 5; i++)
        jw_str(j, head[i]);
    for (size_t i = 0; i < NEVAL; i++)
        jw_str(j, eval_keys[i]);
    jw_str(j, "components");
    jw_arr_end(j);
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

/* The report object: the root of a single report, and an item of a list. */
static void report_def(jw *j)
{
    jw_key(j, "report");
    jw_obj(j);
    jw_kstr(j, "description", "one profile's report");
    jw_kstr(j, "type", "object");
    jw_kbool(j, "additionalProperties", false);
    body_required(j);
    jw_key(j, "properties");
    jw_obj(j);
    body_props(j);
    jw_key(j, "what_if");
    {
        static const char *const req[] = {"set", "report"};
        begin_obj(j, "--what-if: the assignments and the report of the profile with them applied", req, 2);
        jw_key(j, "set");
        jw_obj(j);
        jw_kstr(j, "type", "array");
        jw_key(j, "items");
        jw_obj(j);
        jw_kstr(j, "type", "string");
        jw_kstr(j, "pattern", "^[a-z._]+=");
        jw_obj_end(j);
        jw_kint(j, "minItems", 1);
        jw_obj_end(j);
        jw_key(j, "report");
        jw_obj(j);
        jw_kstr(j, "type", "object");
        jw_kbool(j, "additionalProperties", false);
        body_required(j);
        jw_key(j, "properties");
        jw_obj(j);
        body_props(j);
        jw_obj_end(j);
        margin_rule(j);
        jw_obj_end(j);
        end_obj(j);
    }
    jw_obj_end(j); /* properties */
    margin_rule(j);
    jw_obj_end(j);
}

/* advise's error record (NDJSON line, and an entry of a list's errors). */
static void error_def(jw *j)
{
    static const char *const req[] = {"schema", "file", "document", "line", "errors"};
    jw_key(j, "error");
    begin_obj(j, "a document that failed to load (its diagnostics went to stderr)", req, 5);
    jw_key(j, "schema");
    jw_obj(j);
    jw_kstr(j, "const", "vmctr.error/v1");
    jw_obj_end(j);
    type_prop(j, "file", "string");
    int_prop(j, "document", "0-based index of the document in its file", 0);
    int_prop(j, "line", "line where the document starts", 1);
    int_prop(j, "errors", "how many errors it had", 0);
    end_obj(j);
}

/* --format json over several documents (or an invalid one): one list object. */
static void list_def(jw *j)
{
    static const char *const req[] = {"schema", "items", "errors", "errors_omitted"};
    jw_key(j, "report_list");
    begin_obj(j, "advise --format json over more than one document, or an invalid one: the reports in input "
                 "order and the error records",
              req, 4);
    jw_key(j, "schema");
    jw_obj(j);
    jw_kstr(j, "const", "vmctr.report-list/v1");
    jw_obj_end(j);
    jw_key(j, "items");
    jw_obj(j);
    jw_kstr(j, "type", "array");
    ref(j, "items", "#/$defs/report");
    jw_obj_end(j);
    jw_key(j, "errors");
    jw_obj(j);
    jw_kstr(j, "type", "array");
    jw_kint(j, "maxItems", 10000);
    ref(j, "items", "#/$defs/error");
    jw_obj_end(j);
    int_prop(j, "errors_omitted", "error records left out past the first 10000", 0);
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
