/* report_json.c - the JSON report (keys: docs/report.md, schema: vmctr schema --report). */
#include "vmctr/report.h"
#include "vmctr/jsonw.h"

#include <string.h>

static void value(jw *j, const vm_field_def *f, const vm_value *v)
{
    if (!v->set) {
        jw_null(j);
        return;
    }
    switch (f->type) {
    case VM_T_BOOL: jw_bool(j, v->u.i != 0); break;
    case VM_T_INT: jw_int(j, (long long)v->u.i); break;
    case VM_T_ENUM: jw_sym(j, f->values[v->u.i]); break;
    case VM_T_ENUM_LIST:
        jw_arr(j);
        for (int i = 0; i < f->nvalues; i++)
            if (v->u.mask & (1u << i))
                jw_sym(j, f->values[i]);
        jw_arr_end(j);
        break;
    case VM_T_STR_LIST:
        jw_arr(j);
        for (uint32_t i = 0; i < v->u.list.n; i++)
            jw_str(j, v->u.list.items[i]);
        jw_arr_end(j);
        break;
    default: jw_str(j, v->u.s); break;
    }
}

static void target_or_null(jw *j, const char *k, int t)
{
    jw_key(j, k);
    if (t >= 0)
        jw_sym(j, vm_target_name(t));
    else
        jw_null(j);
}

static void recommendation(jw *j, int paradigm, int platform, int cplat, double conf, int runner, double margin,
                           bool with_margin)
{
    jw_key(j, "recommendation");
    jw_obj(j);
    target_or_null(j, "paradigm", paradigm);
    target_or_null(j, "platform", platform);
    target_or_null(j, "container_platform", cplat);
    jw_knum(j, "confidence", conf, 2);
    target_or_null(j, "runner_up", runner);
    if (with_margin)
        jw_knum(j, "margin", margin, 2);
    jw_obj_end(j);
}

/* The JSON of each `because` entry is the same every time a field appears
 * in an evaluation, so in compact mode it is written once and copied after
 * that (rules share fields: this halves the cost of the rationale). */
typedef struct {
    size_t off[VM_FIELD_COUNT];
    uint16_t len[VM_FIELD_COUNT];   /* 0 = not written yet */
} fcache;

#define PUT_LIT(b, lit) vm_buf_put((b), (lit), sizeof(lit) - 1)

static void because_entry(jw *j, const vm_field_def *f, const vm_value *x)
{
    if (!j->pretty) {
        /* compact: the fixed parts in as few writes as possible (hot path) */
        jw_raw(j, "{\"field\":\"", 10);
        vm_buf_puts(j->b, f->path);
        PUT_LIT(j->b, "\",\"value\":");
        j->after_key = true;
        value(j, f, x);
        PUT_LIT(j->b, ",\"line\":");
        vm_buf_int(j->b, x->set ? x->line : 0);
        PUT_LIT(j->b, ",\"column\":");
        vm_buf_int(j->b, x->set ? x->col : 0);
        vm_buf_putc(j->b, '}');
        return;
    }
    jw_obj(j);
    jw_ksym(j, "field", f->path);
    jw_key(j, "value");
    value(j, f, x);
    jw_kint(j, "line", x->set ? x->line : 0);
    jw_kint(j, "column", x->set ? x->col : 0);
    jw_obj_end(j);
}

static void because(jw *j, const vm_rule *rule, const vm_values *v, fcache *fc)
{
    int fields[VM_FIELD_COUNT];
    size_t n = vm_report_because(rule, v, fields, VM_FIELD_COUNT);
    jw_key(j, "because");
    jw_arr(j);
    for (size_t i = 0; i < n; i++) {
        int id = fields[i];
        const vm_field_def *f = vm_field(id);
        const vm_value *x = &v->v[id];
        if (j->pretty || !fc) {
            because_entry(j, f, x);
            continue;
        }
        char tmp[256];
        if (fc->len[id]) {
            memcpy(tmp, j->b->data + fc->off[id], fc->len[id]);
            jw_raw(j, tmp, fc->len[id]);
            continue;
        }
        bool first = j->first[j->depth];
        size_t before = j->b->len;
        because_entry(j, f, x);
        size_t start = before + (first ? 0 : 1); /* skip the comma */
        size_t len = j->b->len - start;
        if (!j->b->oom && len < sizeof tmp) {
            fc->off[id] = start;
            fc->len[id] = (uint16_t)len;
        }
    }
    jw_arr_end(j);
}

static void evaluation(jw *j, const vm_report *rep, const vm_eval_report *ev, bool lean)
{
    const vm_ruleset *rs = rep->rules;
    const vm_result *res = &ev->res;
    fcache fc;
    memset(fc.len, 0, sizeof fc.len);
    jw_key(j, "scores");
    jw_obj(j);
    jw_key(j, "paradigms");
    jw_obj(j);
    for (int i = 0; i < VM_PARADIGM_COUNT; i++) {
        int t = vm_paradigm_spec_order[i];
        jw_knum(j, vm_target_name(t), res->score[t], 2);
    }
    jw_obj_end(j);
    jw_key(j, "platforms");
    jw_obj(j);
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++)
        jw_knum(j, vm_target_name(t), res->score[t], 2);
    jw_obj_end(j);
    jw_key(j, "categories");
    jw_obj(j);
    for (int c = 0; c < VM_CAT_COUNT; c++) {
        const double *s = ev->category[c];
        jw_key(j, vm_category_name(c));
        jw_obj(j);
        for (int i = 0; i < VM_PARADIGM_COUNT; i++) {
            int t = vm_paradigm_spec_order[i];
            jw_knum(j, vm_target_name(t), s[t], 2);
        }
        jw_obj_end(j);
    }
    jw_obj_end(j);
    jw_obj_end(j);

    jw_key(j, "rationale");
    jw_arr(j);
    for (uint32_t i = 0; i < ev->nreasons; i++) {
        const vm_reason *x = &ev->reasons[i];
        const vm_rule *r = vm_ruleset_rule(rs, x->rule);
        double k = ev->factor[r->category];
        jw_obj(j);
        jw_ksym(j, "rule", r->id);
        if (!lean) {
            jw_kstr(j, "title", r->title);
            jw_ksym(j, "category", vm_category_name(r->category));
        }
        jw_knum(j, "contribution", x->contribution, 2);
        if (!lean) {
            jw_key(j, "effects");
            jw_obj(j);
            for (int t = 0; t < VM_TARGET_COUNT; t++)
                if (r->scores[t] != 0)
                    jw_knum(j, vm_target_name(t), r->scores[t] * k, 2);
            jw_obj_end(j);
        }
        if (!lean) {
            jw_kstr(j, "reference", r->reference);
            jw_kstr(j, "rationale", r->rationale);
        }
        because(j, r, ev->values, &fc);
        jw_obj_end(j);
    }
    jw_arr_end(j);

    jw_key(j, "blockers");
    jw_arr(j);
    for (uint32_t i = 0; i < ev->nfired; i++) {
        const vm_rule *r = vm_ruleset_rule(rs, ev->fired[i]);
        if (!r->excludes)
            continue;
        jw_obj(j);
        jw_ksym(j, "rule", r->id);
        jw_key(j, "excludes");
        jw_arr(j);
        for (int t = 0; t < VM_TARGET_COUNT; t++)
            if ((r->excludes >> t) & 1u)
                jw_sym(j, vm_target_name(t));
        jw_arr_end(j);
        if (!lean) {
            jw_kstr(j, "reference", r->reference);
            jw_kstr(j, "reason", r->rationale);
        }
        because(j, r, ev->values, &fc);
        jw_obj_end(j);
    }
    jw_arr_end(j);

    jw_key(j, "risks");
    jw_arr(j);
    for (uint32_t i = 0; i < ev->nrisks; i++) {
        const vm_rule *r = vm_ruleset_rule(rs, ev->risks[i].rule);
        uint16_t k = ev->risks[i].index;
        jw_obj(j);
        jw_ksym(j, "rule", r->id);
        if (lean) {
            jw_kint(j, "index", k);
        } else {
            jw_kstr(j, "text", r->risks[k]);
            jw_kstr(j, "reference", r->reference);
        }
        jw_obj_end(j);
    }
    jw_arr_end(j);

    jw_key(j, "suggestions");
    jw_arr(j);
    for (uint32_t i = 0; i < ev->nsuggestions; i++) {
        const vm_rule *r = vm_ruleset_rule(rs, ev->suggestions[i].rule);
        uint16_t k = ev->suggestions[i].index;
        jw_obj(j);
        jw_ksym(j, "rule", r->id);
        jw_ksym(j, "topic", vm_report_topics[ev->suggestions[i].topic]);
        if (lean) {
            jw_kint(j, "index", k);
        } else {
            jw_kstr(j, "text", r->suggests[k].text);
            jw_kstr(j, "reference", r->reference);
        }
        jw_obj_end(j);
    }
    jw_arr_end(j);

    jw_key(j, "unknowns");
    jw_arr(j);
    for (uint32_t i = 0; i < ev->nunknowns; i++) {
        const vm_variation *u = &ev->unknowns[i];
        const vm_field_def *f = vm_field(u->field);
        jw_obj(j);
        jw_ksym(j, "field", f->path);
        jw_knum(j, "swing", u->swing, 2);
        jw_kbool(j, "could_change", u->flips);
        jw_key(j, "example");
        value(j, f, &u->value);
        target_or_null(j, "paradigm", u->paradigm);
        jw_obj_end(j);
    }
    jw_arr_end(j);

    jw_key(j, "counterfactuals");
    jw_arr(j);
    for (uint32_t i = 0; i < ev->ncf; i++) {
        const vm_variation *c = &ev->cf[i];
        const vm_field_def *f = vm_field(c->field);
        jw_obj(j);
        jw_ksym(j, "field", f->path);
        jw_key(j, "from");
        value(j, f, &ev->values->v[c->field]);
        jw_key(j, "value");
        value(j, f, &c->value);
        target_or_null(j, "paradigm", c->paradigm);
        target_or_null(j, "platform", c->platform);
        jw_kint(j, "distance", c->distance);
        jw_obj_end(j);
    }
    jw_arr_end(j);
}

static void report_body(jw *jp, const vm_report *r, bool lean);

static void render(const vm_report *r, vm_buf *b, bool pretty, bool lean)
{
    jw j;
    jw_init(&j, b, pretty);
    jw_obj(&j);
    report_body(&j, r, lean);
    if (r->what_if) {
        jw_key(&j, "what_if");
        jw_obj(&j);
        jw_key(&j, "set");
        jw_arr(&j);
        for (uint32_t i = 0; i < r->nwhat_if; i++)
            jw_str(&j, r->what_if_set[i]);
        jw_arr_end(&j);
        jw_key(&j, "report");
        jw_obj(&j);
        report_body(&j, r->what_if, lean);
        jw_obj_end(&j);
        jw_obj_end(&j);
    }
    jw_obj_end(&j);
    vm_buf_putc(b, '\n');
}

void vm_render_json(const vm_report *r, vm_buf *b, bool pretty) { render(r, b, pretty, false); }
void vm_render_ndjson(const vm_report *r, vm_buf *b) { render(r, b, false, true); }

static void report_body(jw *jp, const vm_report *r, bool lean)
{
    jw j = *jp;
    const vm_profile *p = r->profile;
    jw_ksym(&j, "schema", "vmctr.report/v1");
    if (lean)
        jw_kbool(&j, "lean", true);
    jw_key(&j, "tool");
    jw_obj(&j);
    jw_ksym(&j, "name", "vmctr");
    jw_ksym(&j, "version", VMCTR_VERSION);
    jw_ksym(&j, "rules_digest", vm_ruleset_digest(r->rules));
    jw_kint(&j, "rules", (long long)vm_ruleset_count(r->rules));
    jw_obj_end(&j);
    jw_key(&j, "profile");
    jw_obj(&j);
    jw_kstr(&j, "name", p->values.v[VM_F_META_NAME].set ? p->values.v[VM_F_META_NAME].u.s : NULL);
    jw_kstr(&j, "file", p->file);
    jw_kint(&j, "document", p->doc_index);
    jw_kint(&j, "line", p->line);
    jw_obj_end(&j);
    recommendation(&j, r->paradigm, r->platform, r->container_platform, r->confidence, r->runner_up,
                   r->main.res.margin, r->ncomponents == 0);
    jw_key(&j, "decision");
    jw_obj(&j);
    int pp = vm_report_proposed_paradigm(&p->values), pf = vm_report_proposed_platform(&p->values);
    target_or_null(&j, "paradigm", pp);
    target_or_null(&j, "platform", pf);
    jw_obj_end(&j);
    evaluation(&j, r, &r->main, lean);
    jw_key(&j, "components");
    jw_arr(&j);
    for (uint32_t i = 0; i < r->ncomponents; i++) {
        const vm_component_report *c = &r->components[i];
        const vm_result *res = &c->ev.res;
        jw_obj(&j);
        jw_kstr(&j, "name", c->comp->name);
        jw_kint(&j, "line", c->comp->line);
        recommendation(&j, res->paradigm, res->platform, res->container_platform, res->confidence,
                       res->runner_up, res->margin, true);
        evaluation(&j, r, &c->ev, lean);
        jw_obj_end(&j);
    }
    jw_arr_end(&j);
    *jp = j;
}
