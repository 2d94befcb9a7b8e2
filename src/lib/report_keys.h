/*
 * report_keys.h - the keys of the JSON report: the one table both the
 * writer (report_json.c) and the report schema (schema_report.c, `vmctr
 * schema --report`) are made from. Internal: not installed.
 *
 * RK_<OBJECT>(X) lists an object's keys in the order the writer writes
 * them, one X(object, key, req, shape, description) each:
 *   key    the key, as an identifier (the writer and the schema spell it
 *          with #key, so the two cannot differ)
 *   req    RK_REQ     written in every report: in the schema's "required"
 *          RK_OPT     written in some reports only (full or lean, or on a
 *                     condition): a property, not required
 *          RK_SINGLE  a recommendation's key written for a single
 *                     evaluation only (a profile without components, or a
 *                     component): required in a component's recommendation
 *   shape  the value, for the schema:
 *          RK_TYPE(t)            {"type": "t"}
 *          RK_REF(def)           {"$ref": "#/$defs/def"}
 *          RK_REFS(def, max)     a list of those; max items or -1
 *          RK_CONST(s)           {"const": s}
 *          RK_INT(min)           an integer >= min
 *          RK_NUM(lo, hi)        a number; lo and hi each a bound or
 *                                RK_NONE (none)
 *          RK_OBJ(object)        an object: the keys of RK_<OBJECT>
 *          RK_ARRAY(object, max) a list of such objects; max items or -1
 *          RK_INCLUDE(object)    not a key: the keys of RK_<OBJECT> are
 *                                this object's too, here (their required
 *                                ones in its "required")
 *          RK_SPECIAL(name)      written by schema_report.c's special_<name>
 *                                (maps keyed by the target and category
 *                                tables, enums, patterns)
 *   description  the schema's "description" of the key, or NULL
 *
 * Adding a report field: add its X line here, in writing order, and write
 * it in report_json.c with the RK_* key macros there (a key not in this
 * table does not compile); the schema follows (docs/architecture.md).
 */
#ifndef VMCTR_REPORT_KEYS_H
#define VMCTR_REPORT_KEYS_H

/* the values of a report's "schema" and "tool.name" (the writer's and the
 * schema's const) */
#define RK_REPORT_SCHEMA "vmctr.report/v1"
#define RK_TOOL_NAME "vmctr"

/* the report: its body and, at the top level only, what_if */
#define RK_REPORT(X)                                                                                             \
    X(report, body, RK_REQ, RK_INCLUDE(body), NULL)                                                              \
    X(report, what_if, RK_OPT, RK_OBJ(what_if),                                                                  \
      "--what-if: the assignments and the report of the profile with them applied")

#define RK_WHAT_IF(X)                                                                                            \
    X(what_if, set, RK_REQ, RK_SPECIAL(what_if_set), NULL)                                                       \
    X(what_if, report, RK_REQ, RK_SPECIAL(what_if_report), NULL)

/* one profile's report (also the what-if report) */
#define RK_BODY(X)                                                                                               \
    X(body, schema, RK_REQ, RK_CONST(RK_REPORT_SCHEMA), NULL)                                                    \
    X(body, lean, RK_OPT, RK_SPECIAL(lean),                                                                      \
      "--format ndjson: what the rule catalogue says (titles, categories, effects, rationales, references, "     \
      "risk and suggestion texts) is left out and referenced by rule id (and index); 'vmctr rules list "         \
      "--format json' with the same digest has it")                                                              \
    X(body, tool, RK_REQ, RK_OBJ(tool), "the program and the rule set that made the report")                     \
    X(body, profile, RK_REQ, RK_OBJ(profile), "which profile this is")                                           \
    X(body, recommendation, RK_REQ, RK_SPECIAL(recommendation_report), NULL)                                     \
    X(body, decision, RK_REQ, RK_OBJ(decision), "what the profile proposes (decision.*); null when absent")      \
    X(body, evaluation, RK_REQ, RK_INCLUDE(evaluation), NULL)                                                    \
    X(body, components, RK_REQ, RK_ARRAY(component, -1),                                                         \
      "one recommendation per component, in document order; [] without components")

#define RK_TOOL(X)                                                                                               \
    X(tool, name, RK_REQ, RK_CONST(RK_TOOL_NAME), NULL)                                                          \
    X(tool, version, RK_REQ, RK_TYPE(string), NULL)                                                              \
    X(tool, rules_digest, RK_REQ, RK_SPECIAL(digest), NULL)                                                      \
    X(tool, rules, RK_REQ, RK_INT(0), "rules in effect")

#define RK_PROFILE(X)                                                                                            \
    X(profile, name, RK_REQ, RK_TYPE(string), NULL)                                                              \
    X(profile, file, RK_REQ, RK_TYPE(string), NULL)                                                              \
    X(profile, document, RK_REQ, RK_INT(0), "0-based index of the document in its file")                         \
    X(profile, line, RK_REQ, RK_INT(1), "line where the document starts")

#define RK_DECISION(X)                                                                                           \
    X(decision, paradigm, RK_REQ, RK_REF(paradigm_or_null), NULL)                                                \
    X(decision, platform, RK_REQ, RK_REF(platform_or_null), NULL)

#define RK_COMPONENT(X)                                                                                          \
    X(component, name, RK_REQ, RK_TYPE(string), NULL)                                                            \
    X(component, line, RK_REQ, RK_INT(1), NULL)                                                                  \
    X(component, recommendation, RK_REQ, RK_SPECIAL(recommendation_single), NULL)                                \
    X(component, evaluation, RK_REQ, RK_INCLUDE(evaluation), NULL)

#define RK_RECOMMENDATION(X)                                                                                     \
    X(recommendation, paradigm, RK_REQ, RK_REF(paradigm_or_null), NULL)                                          \
    X(recommendation, platform, RK_REQ, RK_REF(platform_or_null), NULL)                                          \
    X(recommendation, container_platform, RK_REQ, RK_SPECIAL(container_platform),                                \
      "hybrid: the containers' platform (the orchestrator on the VMs; for a system of containers and "           \
      "micro-VMs, beside the micro-VMs); else null")                                                             \
    X(recommendation, confidence, RK_REQ, RK_NUM(0, 1),                                                          \
      "margin / (margin + 5 x scale), scale the mean priority / 3, in [0, 1]")                                   \
    X(recommendation, runner_up, RK_REQ, RK_REF(paradigm_or_null), NULL)                                         \
    X(recommendation, margin, RK_SINGLE, RK_NUM(0, RK_NONE), "score of the paradigm minus the runner-up's")      \
    X(recommendation, platforms, RK_REQ, RK_SPECIAL(families),                                                   \
      "the platform per kind of workload the verdict places (a hybrid: VMs and containers; a system: every "     \
      "kind its components run)")                                                                                \
    X(recommendation, platform_ties, RK_REQ, RK_REFS(platform_or_null, -1),                                      \
      "platforms that share the best score with a chosen one (nothing separates them); empty when every "        \
      "platform was chosen on evidence")                                                                         \
    X(recommendation, platform_confidence, RK_REQ, RK_NUM(0, 1),                                                 \
      "the platform's margin / (margin + 5 x scale); a system: the lowest of its components'")                   \
    X(recommendation, platform_margin, RK_SINGLE, RK_NUM(0, RK_NONE),                                            \
      "score of the platform minus the next of its family")                                                      \
    X(recommendation, evidence, RK_REQ, RK_INT(0),                                                               \
      "known fields read by a fired rule that scores or excludes a paradigm")                                    \
    X(recommendation, enough_evidence, RK_REQ, RK_TYPE(boolean),                                                 \
      "evidence >= 1; false: too little to decide, the paradigm is the fixed tie order")

/* the keys shared by the profile's report and each component */
#define RK_EVALUATION(X)                                                                                         \
    X(evaluation, scores, RK_REQ, RK_OBJ(scores), "summed weighted contributions per target")                    \
    X(evaluation, rationale, RK_REQ, RK_ARRAY(reason, -1),                                                       \
      "fired rules with a score, by contribution (descending), then platform effect, then id")                   \
    X(evaluation, blockers, RK_REQ, RK_ARRAY(blocker, -1), "fired rules that rule targets out, in rule-set order") \
    X(evaluation, risks, RK_REQ, RK_ARRAY(risk, -1), "risks of the chosen platform, in rule-set order")          \
    X(evaluation, suggestions, RK_REQ, RK_ARRAY(suggestion, -1),                                                 \
      "companion toolchain for the chosen platform, in rule-set order")                                          \
    X(evaluation, unknowns, RK_REQ, RK_ARRAY(unknown, VM_REPORT_MAX_UNKNOWNS),                                   \
      "absent fields worth answering: could change first, then swing, then field order")                         \
    X(evaluation, counterfactuals, RK_REQ, RK_ARRAY(counterfactual, VM_REPORT_MAX_CF),                           \
      "smallest single-field changes that change the paradigm")                                                  \
    X(evaluation, sensitivity, RK_REQ, RK_ARRAY(sensitivity, VM_CAT_COUNT),                                      \
      "per category, in category order: the range of its priority (0..5) over which the verdict (paradigm and "  \
      "every platform it names) holds with every other field held, and the verdict at each priority that "       \
      "changes it; a system's is about the system verdict, the priority varied in the parent and in every "      \
      "component that does not set it itself (as --what-if does)")

/* the maps are keyed by the target and category tables (target.h) */
#define RK_SCORES(X)                                                                                             \
    X(scores, paradigms, RK_REQ, RK_SPECIAL(paradigm_scores), NULL)                                              \
    X(scores, platforms, RK_REQ, RK_SPECIAL(platform_scores), NULL)                                              \
    X(scores, categories, RK_REQ, RK_SPECIAL(category_scores), "paradigm scores per rule category")

/* a rationale entry; the lean report leaves out what the catalogue says */
#define RK_REASON(X)                                                                                             \
    X(reason, rule, RK_REQ, RK_REF(rule_id), NULL)                                                               \
    X(reason, title, RK_OPT, RK_TYPE(string), NULL)                                                              \
    X(reason, category, RK_OPT, RK_REF(category), NULL)                                                          \
    X(reason, contribution, RK_REQ, RK_NUM(RK_NONE, RK_NONE),                                                    \
      "effect on the margin: to the winner minus to the runner-up")                                              \
    X(reason, effects, RK_OPT, RK_SPECIAL(effects), "weighted score per target the rule scores")                 \
    X(reason, reference, RK_OPT, RK_TYPE(string), NULL)                                                          \
    X(reason, rationale, RK_OPT, RK_TYPE(string), NULL)                                                          \
    X(reason, because, RK_REQ, RK_REF(because), NULL)

#define RK_BLOCKER(X)                                                                                            \
    X(blocker, rule, RK_REQ, RK_REF(rule_id), NULL)                                                              \
    X(blocker, excludes, RK_REQ, RK_SPECIAL(excludes), NULL)                                                     \
    X(blocker, reference, RK_OPT, RK_TYPE(string), NULL)                                                         \
    X(blocker, reason, RK_OPT, RK_TYPE(string), NULL)                                                            \
    X(blocker, because, RK_REQ, RK_REF(because), NULL)

/* full reports: text and reference; lean ones: index */
#define RK_RISK(X)                                                                                               \
    X(risk, rule, RK_REQ, RK_REF(rule_id), NULL)                                                                 \
    X(risk, text, RK_OPT, RK_TYPE(string), NULL)                                                                 \
    X(risk, reference, RK_OPT, RK_TYPE(string), NULL)                                                            \
    X(risk, index, RK_OPT, RK_INT(0), "lean reports: the position of the risk in the rule's risks")

#define RK_SUGGESTION(X)                                                                                         \
    X(suggestion, rule, RK_REQ, RK_REF(rule_id), NULL)                                                           \
    X(suggestion, topic, RK_REQ, RK_SPECIAL(topic), NULL)                                                        \
    X(suggestion, text, RK_OPT, RK_TYPE(string), NULL)                                                           \
    X(suggestion, reference, RK_OPT, RK_TYPE(string), NULL)                                                      \
    X(suggestion, index, RK_OPT, RK_INT(0), "lean reports: the position of the suggestion in the rule's suggests")

#define RK_UNKNOWN(X)                                                                                            \
    X(unknown, field, RK_REQ, RK_REF(field_path), NULL)                                                          \
    X(unknown, swing, RK_REQ, RK_NUM(0, RK_NONE), "largest change of the margin an answer could make")           \
    X(unknown, could_change, RK_REQ, RK_TYPE(boolean), NULL)                                                     \
    X(unknown, example, RK_REQ, RK_REF(value), NULL)                                                             \
    X(unknown, paradigm, RK_REQ, RK_REF(paradigm_or_null), NULL)

#define RK_COUNTERFACTUAL(X)                                                                                     \
    X(counterfactual, field, RK_REQ, RK_REF(field_path), NULL)                                                   \
    X(counterfactual, from, RK_REQ, RK_REF(value), NULL)                                                         \
    X(counterfactual, value, RK_REQ, RK_REF(value), NULL)                                                        \
    X(counterfactual, paradigm, RK_REQ, RK_REF(paradigm), NULL)                                                  \
    X(counterfactual, platform, RK_REQ, RK_REF(platform_or_null), NULL)                                          \
    X(counterfactual, container_platform, RK_REQ, RK_REF(platform_or_null), NULL)                                \
    X(counterfactual, distance, RK_REQ, RK_INT(0), "steps on an ordered scale, else 1")                          \
    X(counterfactual, platform_ties, RK_OPT, RK_REFS(platform_or_null, -1),                                      \
      "only when the fixed order chose the platform among tied ones: those platforms")

#define RK_SENSITIVITY(X)                                                                                        \
    X(sensitivity, category, RK_REQ, RK_REF(category), NULL)                                                     \
    X(sensitivity, priority, RK_REQ, RK_INT(0), "the profile's priority (3 when unset)")                         \
    X(sensitivity, holds_from, RK_REQ, RK_INT(0),                                                                \
      "lowest priority with the same verdict (contiguous with the profile's)")                                   \
    X(sensitivity, holds_to, RK_REQ, RK_INT(0), "highest priority with the same verdict")                        \
    X(sensitivity, changes, RK_REQ, RK_ARRAY(change, VM_PRIORITY_MAX), NULL)

/* a priority at which a sensitivity's verdict changes */
#define RK_CHANGE(X)                                                                                             \
    X(change, priority, RK_REQ, RK_INT(0), NULL)                                                                 \
    X(change, paradigm, RK_REQ, RK_REF(paradigm_or_null), NULL)                                                  \
    X(change, platform, RK_REQ, RK_REF(platform_or_null), NULL)                                                  \
    X(change, container_platform, RK_REQ, RK_REF(platform_or_null), NULL)                                        \
    X(change, platforms, RK_REQ, RK_SPECIAL(families),                                                           \
      "the platform per kind of workload at that priority, as recommendation.platforms")

/* an entry of a "because" list (#/$defs/because) */
#define RK_BECAUSE(X)                                                                                            \
    X(because, field, RK_REQ, RK_REF(field_path), NULL)                                                          \
    X(because, value, RK_REQ, RK_REF(value), NULL)                                                               \
    X(because, line, RK_REQ, RK_INT(0), NULL)                                                                    \
    X(because, column, RK_REQ, RK_INT(0), NULL)

/* advise's error record and report list: written by src/cli/cmd_advise.c
 * (not through RK_KEY); the schema's from here */
#define RK_ERROR(X)                                                                                              \
    X(error, schema, RK_REQ, RK_CONST("vmctr.error/v1"), NULL)                                                   \
    X(error, file, RK_REQ, RK_TYPE(string), NULL)                                                                \
    X(error, document, RK_REQ, RK_INT(0), "0-based index of the document in its file")                           \
    X(error, line, RK_REQ, RK_INT(1), "line where the document starts")                                          \
    X(error, errors, RK_REQ, RK_INT(0), "how many errors it had")

#define RK_REPORT_LIST(X)                                                                                        \
    X(report_list, schema, RK_REQ, RK_CONST("vmctr.report-list/v1"), NULL)                                       \
    X(report_list, items, RK_REQ, RK_REFS(report, -1), NULL)                                                     \
    X(report_list, errors, RK_REQ, RK_REFS(error, 10000), NULL)                                                  \
    X(report_list, errors_omitted, RK_REQ, RK_INT(0), "error records left out past the first 10000")

/* Every object: O(object, RK_<OBJECT>) */
#define RK_OBJECTS(O)                                                                                            \
    O(report, RK_REPORT)                                                                                         \
    O(what_if, RK_WHAT_IF)                                                                                       \
    O(body, RK_BODY)                                                                                             \
    O(tool, RK_TOOL)                                                                                             \
    O(profile, RK_PROFILE)                                                                                       \
    O(decision, RK_DECISION)                                                                                     \
    O(component, RK_COMPONENT)                                                                                   \
    O(recommendation, RK_RECOMMENDATION)                                                                         \
    O(evaluation, RK_EVALUATION)                                                                                 \
    O(scores, RK_SCORES)                                                                                         \
    O(reason, RK_REASON)                                                                                         \
    O(blocker, RK_BLOCKER)                                                                                       \
    O(risk, RK_RISK)                                                                                             \
    O(suggestion, RK_SUGGESTION)                                                                                 \
    O(unknown, RK_UNKNOWN)                                                                                       \
    O(counterfactual, RK_COUNTERFACTUAL)                                                                         \
    O(sensitivity, RK_SENSITIVITY)                                                                               \
    O(change, RK_CHANGE)                                                                                         \
    O(because, RK_BECAUSE)                                                                                       \
    O(error, RK_ERROR)                                                                                           \
    O(report_list, RK_REPORT_LIST)

/* RK_<object>_<key>: one constant per key of the table. */
#define RK_ENUM_(o, k, req, shape, desc) RK_##o##_##k,
#define RK_ENUM_OBJ_(o, list) list(RK_ENUM_)
enum rk_key { RK_OBJECTS(RK_ENUM_OBJ_) RK_KEY_COUNT };

/*
 * The writer's key literals: `pre "key": post` as one string literal,
 * through _Generic over the key's constant, so that a key the table does
 * not have does not compile while the literal (and the constant-size copy
 * made of it) stays exactly what it was written as. RK_KEY2 and RK_KEY4
 * put two and four keys in one literal.
 */
#define RK_Q_(k) "\"" #k "\":"
#define RK_KEY(pre, o, k, post) _Generic(RK_##o##_##k, default: pre RK_Q_(k) post)
#define RK_KEY2(pre, o1, k1, mid, o2, k2, post)                                                                  \
    _Generic(RK_##o1##_##k1 + RK_##o2##_##k2, default: pre RK_Q_(k1) mid RK_Q_(k2) post)
#define RK_KEY4(pre, o1, k1, m1, o2, k2, m2, o3, k3, m3, o4, k4, post)                                           \
    _Generic(RK_##o1##_##k1 + RK_##o2##_##k2 + RK_##o3##_##k3 + RK_##o4##_##k4,                                  \
             default: pre RK_Q_(k1) m1 RK_Q_(k2) m2 RK_Q_(k3) m3 RK_Q_(k4) post)
/* One writer writes key k for objects o1 and o2 (with o1's RK_KEY): at
 * file scope, it compiles only if both have the key. */
#define RK_SHARED(o1, o2, k) _Static_assert(RK_##o1##_##k >= 0 && RK_##o2##_##k >= 0, #k " of " #o1 " and " #o2)

#endif
