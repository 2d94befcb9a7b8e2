/*
 * vmctr/report.h - the report model and its renderers.
 *
 * vm_report_build evaluates a profile (and each of its components) and
 * gathers everything a report shows: recommendation, scores, the rationale
 * sorted by contribution with the profile fields behind each rule, blockers,
 * risks and suggestions for the chosen platform, unknowns and
 * counterfactuals. Everything is allocated from the arena passed in (one
 * arena per report) and lives until it is reset. Renderers write bytes into
 * a vm_buf; they never print.
 *
 * Array orders (documented in docs/report.md): rationale by contribution
 * (descending), then by absolute platform effect, then by rule id; blockers,
 * risks and suggestions in rule-set order; unknowns by (could flip, swing)
 * descending, then field order; counterfactuals known fields first, then
 * smallest change, then clearest flip; components in document order.
 */
#ifndef VMCTR_REPORT_H
#define VMCTR_REPORT_H

#include "buf.h"
#include "engine.h"

#define VM_REPORT_MAX_UNKNOWNS 10
#define VM_REPORT_MAX_CF 8

typedef struct {
    uint16_t rule;
    uint16_t id_rank;        /* the rule's position in id order: the last sort key */
    double contribution;     /* effect on the margin: to the winner minus to the runner-up */
    double platform_effect;  /* effect on the chosen platform */
} vm_reason;

/* One risk or suggestion of a fired rule: the rule, the index in its
 * risks/suggests, and for suggestions the topic (index in vm_report_topics). */
typedef struct {
    uint16_t rule;
    uint16_t index;
    uint8_t topic;
} vm_advice;

/* Priority sensitivity of one category (sensitivity.c): the verdict at
 * each priority 0..VM_PRIORITY_MAX with every other field held, and the
 * range of priorities around the profile's own where it stays the same
 * (paradigm and every platform it names). A system's is about the system
 * verdict: the priority varies in the parent and in every component that
 * does not set it itself (as --what-if does). */
#define VM_PRIORITY_MAX 5
typedef struct {
    uint8_t priority;                         /* the profile's (3 when unset) */
    uint8_t holds_from, holds_to;             /* the verdict holds for priority in [from, to] */
    bool exact_linear;                        /* from the linear scores (else re-evaluated) */
    int8_t paradigm[VM_PRIORITY_MAX + 1];     /* the verdict at each priority */
    int8_t platform[VM_PRIORITY_MAX + 1];
    int8_t container_platform[VM_PRIORITY_MAX + 1];
    int8_t extra_platform[VM_PRIORITY_MAX + 1]; /* systems: see vm_system, else -1 */
} vm_sensitivity;

typedef struct {
    const vm_values *values;
    vm_result res;
    double factor[VM_CAT_COUNT];
    double category[VM_CAT_COUNT][VM_PARADIGM_COUNT]; /* contributions per category to each paradigm */
    vm_reason *reasons;          /* fired rules with a score */
    uint32_t nreasons;
    uint16_t *fired;             /* all fired rules, rule-set order */
    uint32_t nfired;
    vm_advice *risks;            /* risks that apply to the recommendation, rule-set order */
    uint32_t nrisks;
    vm_advice *suggestions;      /* companion practices that apply, rule-set order */
    uint32_t nsuggestions;
    vm_variation unknowns[VM_REPORT_MAX_UNKNOWNS];
    uint32_t nunknowns;
    vm_variation cf[VM_REPORT_MAX_CF];
    uint32_t ncf;
    vm_sensitivity sensitivity[VM_CAT_COUNT]; /* with VM_REPORT_SENSITIVITY */
    bool has_sensitivity;
    uint64_t evidence;           /* bit per known field read by a fired rule that scores
                                  * or excludes a paradigm */
} vm_eval_report;

/* A verdict with fewer known fields of evidence (vm_eval_report.evidence)
 * than this says it has too little to decide (docs/rules.md). */
#define VM_MIN_EVIDENCE 1

/* A verdict as renderers show it: the report's (a system's when it has
 * components) or one evaluation's. */
typedef struct {
    int paradigm, platform, container_platform, runner_up;
    int extra_platform;                 /* a system's micro-VM platform beside its VMs, else -1 */
    int platforms[VM_PARADIGM_COUNT];   /* per family: [VM_T_VM], [VM_T_CONTAINER], [VM_T_MICROVM] */
    uint16_t platform_tied;             /* bit per platform tied with a family's choice */
    double confidence, margin, platform_confidence, platform_margin;
    bool single;                        /* one evaluation: margin and platform_margin apply */
    uint32_t evidence;                  /* known fields of evidence */
} vm_verdict;

typedef struct {
    const vm_component *comp;
    vm_eval_report ev;
} vm_component_report;

typedef struct vm_report {
    const vm_profile *profile;
    const vm_ruleset *rules;
    vm_eval_report main;             /* the profile's own (shared) fields */
    vm_component_report *components;
    uint32_t ncomponents;
    /* the verdict: for a profile without components, main.res's; for a
     * system, composed from its components' (vm_system_compose), and
     * main's unknowns and counterfactuals are the system's */
    int paradigm, platform, container_platform, runner_up;
    double confidence;
    vm_system sys;                   /* systems only */
    /* --what-if: the same profile with these assignments applied */
    const struct vm_report *what_if;
    const char *const *what_if_set;
    uint32_t nwhat_if;
} vm_report;

/* What vm_report_build computes beyond the verdict, the scores and the
 * rationale (each costs time on the hot path; CSV, check and diff show none
 * of them). */
enum {
    VM_REPORT_UNKNOWNS = 1u << 0,
    VM_REPORT_COUNTERFACTUALS = 1u << 1,
    VM_REPORT_ADVICE = 1u << 2,      /* risks and suggestions */
    VM_REPORT_SENSITIVITY = 1u << 3, /* priority sensitivity per category */
    VM_REPORT_ALL = 15u
};

/* Evaluates p (borrowed, and so are e and the rule set: they must outlive
 * the report) into *out, every part allocated from a; flags: VM_REPORT_*.
 * e's state afterwards is unspecified (for a system, the questions vary
 * it part by part): call vm_engine_eval before an engine call that reads
 * the last evaluation's state (vm_engine_unknowns,
 * vm_engine_counterfactuals, vm_engine_questions, vm_engine_contribution).
 * Returns VM_OK, or VM_EIO when out of memory (*out is
 * then unusable). */
vm_status vm_report_build(vm_arena *a, vm_engine *e, const vm_profile *p, unsigned flags, vm_report *out);

/* --what-if: builds the report of rep->profile with the assignments
 * set[0..n) ("delivery.release_frequency=quarterly", as vm_values_set_text
 * reads them) applied to the profile and to every component that does not
 * set the field itself, and attaches it: rep->what_if, what_if_set = set,
 * nwhat_if = n. Allocates in `a`; `set` must outlive rep; e's state is
 * left as the what-if report's. Returns VM_OK; VM_EUSAGE with the reason in
 * err[errcap] for an assignment that does not apply (unknown field, bad
 * value); VM_EIO when out of memory ("out of memory" in err). rep is
 * unchanged on failure. */
vm_status vm_report_what_if(vm_arena *a, vm_engine *e, vm_report *rep, unsigned flags, const char *const *set,
                            uint32_t n, char *err, size_t errcap);

/* Fills ev->sensitivity from a finished evaluation (eval_one's fired rules
 * and result), scratch from a; may run the engine again when a rule reads a
 * priority (its state is then evaluated back to ev's). Does not set
 * ev->has_sensitivity. Returns VM_OK, or VM_EIO when out of memory
 * (ev->sensitivity partly filled). */
vm_status vm_report_sensitivity(vm_arena *a, vm_engine *e, vm_eval_report *ev);
/* A system's sensitivity (rep->main.sensitivity, and sets
 * has_sensitivity), from its components' finished evaluations, scratch
 * from a; runs the engine again only when a rule reads a priority. Returns
 * VM_OK, or VM_EIO when out of memory (rep->main.sensitivity partly
 * filled). */
vm_status vm_report_system_sensitivity(vm_arena *a, vm_engine *e, vm_report *rep);
/* Whether some priority 0..5 gives another verdict than s->priority. */
bool vm_sensitivity_changes(const vm_sensitivity *s);
/* Whether priorities a and b (each 0..VM_PRIORITY_MAX) give the same
 * verdict. */
bool vm_sensitivity_same(const vm_sensitivity *s, int a, int b);
/* The platform per family at priority q (0..VM_PRIORITY_MAX) into out
 * ([VM_T_VM], [VM_T_CONTAINER], [VM_T_MICROVM]; -1 where none), as
 * recommendation.platforms. */
void vm_sensitivity_platforms(const vm_sensitivity *s, int q, int out[VM_PARADIGM_COUNT]);

/* Helpers shared by renderers. None allocates or fails. */
/* The report's verdict (the system's when it has components) into *out, all
 * of it written. */
void vm_report_verdict(const vm_report *r, vm_verdict *out);
/* One evaluation's verdict into *out, all of it written (single: true). */
void vm_eval_verdict(const vm_eval_report *ev, vm_verdict *out);
/* The platform per family ([VM_T_VM], [VM_T_CONTAINER], [VM_T_MICROVM];
 * -1 where none; as recommendation.platforms) of a verdict given as its
 * paradigm, platform, container platform and extra (micro-VM) platform. */
void vm_platforms_by_family(int paradigm, int platform, int cplat, int extra, int out[VM_PARADIGM_COUNT]);
/* "vmware-esxi + firecracker": platform, container platform and extra
 * platform, those that are not -1, "" when none is; into buf[cap] (cut
 * when it does not fit), returns buf. */
const char *vm_platforms_text(int platform, int cplat, int extra, char *buf, size_t cap);
/* "vmware-esxi + kubernetes": the platforms a verdict names, in the order
 * platform, container platform, extra platform; as vm_platforms_text. */
const char *vm_verdict_platform_text(const vm_verdict *v, char *buf, size_t cap);
/* The same for a variation (unknown or counterfactual). */
const char *vm_variation_platform_text(const vm_variation *v, char *buf, size_t cap);
/* " (a platform tie: docker, kubernetes)" when the fixed order chose the
 * variation's platform among tied ones, else "": for the text that names
 * its platforms. */
const char *vm_variation_tie_note(const vm_variation *v, char *buf, size_t cap);
/* The same for a verdict (vm_report_verdict, vm_eval_verdict): its ties
 * when it names a platform, else "". */
const char *vm_verdict_tie_note(const vm_verdict *v, char *buf, size_t cap);
/* The same note for a tie mask (vm_verdict.platform_tied); "" for 0. */
const char *vm_report_tie_note(uint16_t tied, char *buf, size_t cap);
/* The same for the verdict at priority q (0..VM_PRIORITY_MAX) of a
 * sensitivity. */
const char *vm_sensitivity_platform_text(const vm_sensitivity *s, int q, char *buf, size_t cap);
/* "vmware-esxi, hyper-v" for a tie mask (bit per platform; "" for 0) into
 * buf[cap] (cut before a name that does not fit), returns buf. */
const char *vm_report_ties_text(uint16_t tied, char *buf, size_t cap);
/* "vmware-esxi + kubernetes" (or one platform; "none" for -1) into
 * buf[cap], truncated; returns buf. */
const char *vm_report_platform_text(int platform, int container_platform, char *buf, size_t cap);
/* The paradigm the values propose (decision.paradigm), -1 when absent. */
int vm_report_proposed_paradigm(const vm_values *v);
/* The platform the values propose (decision.platform), -1 when absent. */
int vm_report_proposed_platform(const vm_values *v);
/* Whether a profile's proposal (paradigm pp, platform pf; -1 where it
 * proposes none) agrees with a verdict: the verdict's paradigm, and a
 * platform the verdict names (platform, container platform or extra
 * platform). Nothing proposed agrees. */
bool vm_report_proposal_matches(int pp, int pf, int paradigm, int platform, int cplat, int extra);

/* Renderers. */
typedef struct {
    bool color;          /* ANSI colours */
    bool unicode;        /* score bars with block characters */
    bool explain;        /* text: everything, not the concise summary */
    int width;           /* text: wrap width */
} vm_render_opts;

/* Renderers append to b (see buf.h: out of memory sets b->oom and nothing
 * else fails, a temporary that cannot be allocated included); the report
 * is read, never changed, and they keep no memory but b's. */
/* The pretty JSON report (docs/report.md; schema: vm_schema_report). */
void vm_render_json(const vm_report *r, vm_buf *b);
/* One compact line; what the rule catalogue already says (title, category,
 * rationale, reference, per-target effects, risk and suggestion texts) is
 * referenced by rule id and index instead of being repeated in every report
 * ("lean": true); `vmctr rules list --format json` with the same rules
 * digest resolves them. */
void vm_render_ndjson(const vm_report *r, vm_buf *b);
/* The terminal report (wrapped at o->width, 80 when it is 0 or less;
 * colour per o, not NULL); appends to b. */
void vm_render_text(const vm_report *r, const vm_render_opts *o, vm_buf *b);
/* Markdown: an ADR in Nygard's form (docs/report.md). number 0 leaves the
 * title unnumbered, status NULL is "Proposed", date NULL writes no date. */
typedef struct {
    unsigned number;
    const char *status;
    const char *date;
} vm_adr_opts;
/* The Markdown ADR in Nygard form (number, status and date from o; o may
 * be NULL for an unnumbered, Proposed, undated ADR); appends to b. */
void vm_render_adr(const vm_report *r, const vm_adr_opts *o, vm_buf *b);
void vm_render_markdown(const vm_report *r, vm_buf *b); /* vm_render_adr with o NULL */
/* A whole HTML page (vm_html_open ... vm_html_close); appends to b. */
void vm_render_html(const vm_report *r, vm_buf *b);
/* The page frame every HTML report shares (html_page.c): doctype, head
 * with the one stylesheet and `title` (escaped here; NULL: empty),
 * <body><main>; appends to b. */
void vm_html_open(vm_buf *b, const char *title);
/* The end of that frame: </main></body></html>; appends to b. */
void vm_html_close(vm_buf *b);
/* CSV: the header line, once before the rows; appends to b. */
void vm_render_csv_header(vm_buf *b);
/* CSV: one row for the profile and one per component; appends to b. */
void vm_render_csv(const vm_report *r, vm_buf *b);



/* Whether a fired rule's risks and suggestions concern this result: a rule
 * without applies_to always does; otherwise one of the result's paradigm,
 * platform or (hybrid) container platform must be among its targets. Pure. */
bool vm_report_applies(const vm_rule *r, const vm_result *res);

/* Suggestion topics in report order, with headings for human formats. */
#define VM_REPORT_TOPIC_COUNT 5
extern const char *const vm_report_topics[VM_REPORT_TOPIC_COUNT];
extern const char *const vm_report_topic_titles[VM_REPORT_TOPIC_COUNT];

/* The fields behind a fired rule: those its condition reads that are set,
 * plus those it tests as unknown, in field order, into fields[0..cap).
 * Returns the count (at most cap). */
size_t vm_report_because(const vm_rule *rule, const vm_values *v, int *fields, size_t cap);
#endif
