/*
 * report_csv.c - one row per profile plus one per component (RFC 4180).
 *
 * Columns: file, document (0-based), line, name, component (empty on the
 * profile's row), paradigm, platform, container_platform, confidence,
 * runner_up, the four paradigm scores, the number of blockers, the rule
 * that contributed most, the decision the profile proposes, the platform
 * per kind of workload (`vm=vmware-esxi;container=kubernetes`; a system's
 * micro-VM part shows here) and the platforms tied for a choice
 * (`vmware-esxi;hyper-v`, empty when none). A field is quoted only when it
 * holds ',' or '"' (control characters are escaped as on a terminal,
 * escape.h); quotes are doubled; a text cell starting with = + - @ tab or
 * CR gets a leading ' (no formula). Written through buffer cursors on the
 * hot path: this format is used for whole inventories, so it must keep up
 * with parsing.
 */
#include "util/escape.h"
#include "vmctr/report.h"

#include <string.h>

/* A free-text cell: RFC 4180 quoting and formula neutralisation
 * (escape.h). */
static void field(vm_buf *b, const char *s) { vm_esc_csvs(b, s); }

/* A target's name and its length; empty when -1. */
typedef struct {
    const char *s;
    size_t n;
} tname;

static inline tname target_of(int t)
{
    if (t < 0)
        return (tname){"", 0};
    const char *s = vm_target_name(t);
    return (tname){s, strlen(s)};
}

static uint32_t nblockers(const vm_report *r, const vm_eval_report *ev)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < ev->nfired; i++)
        if (vm_ruleset_rule(r->rules, ev->fired[i])->excludes)
            n++;
    return n;
}

/*
 * One row. The free-text columns (file, name, component, top rule) go
 * through field() for quoting; the runs of numbers and target names
 * between them have a known bound, so each run is stored through one
 * cursor reservation instead of a put per column and comma.
 */
static void row(vm_buf *b, const vm_report *r, const char *comp, int paradigm, int platform, int cplat, double conf,
                int runner, const vm_eval_report *ev, int pp, int pf, const vm_verdict *vd)
{
    static const int order[VM_PARADIGM_COUNT] = {VM_T_VM, VM_T_CONTAINER, VM_T_HYBRID, VM_T_MICROVM};
    const vm_profile *p = r->profile;
    const vm_value *name = &p->values.v[VM_F_META_NAME];
    field(b, p->file);
    char *c = vm_buf_cur(b, 3 + 2 * VM_INT_MAX);
    if (!c)
        return;
    *c++ = ',';
    c = vm_fmt_int(c, p->doc_index);
    *c++ = ',';
    c = vm_fmt_int(c, p->line);
    *c++ = ',';
    vm_buf_commit(b, c);
    if (name->set)
        field(b, name->u.s);
    vm_buf_putc(b, ',');
    field(b, comp);
    tname tp = target_of(paradigm), tf = target_of(platform), tc = target_of(cplat), tr = target_of(runner);
    c = vm_buf_cur(b, 11 + tp.n + tf.n + tc.n + tr.n + (1 + VM_PARADIGM_COUNT) * VM_NUM_MAX + VM_INT_MAX);
    if (!c)
        return;
    *c++ = ',';
    c = vm_cpy(c, tp.s, tp.n);
    *c++ = ',';
    c = vm_cpy(c, tf.s, tf.n);
    *c++ = ',';
    c = vm_cpy(c, tc.s, tc.n);
    *c++ = ',';
    c = vm_fmt_num(c, conf, 2);
    *c++ = ',';
    c = vm_cpy(c, tr.s, tr.n);
    for (int i = 0; i < VM_PARADIGM_COUNT; i++) {
        *c++ = ',';
        c = vm_fmt_num(c, ev->res.score[order[i]], 2);
    }
    *c++ = ',';
    c = vm_fmt_int(c, nblockers(r, ev));
    *c++ = ',';
    vm_buf_commit(b, c);
    if (ev->nreasons)
        field(b, vm_ruleset_rule(r->rules, ev->reasons[0].rule)->id);
    tname tpp = target_of(pp), tpf = target_of(pf);
    c = vm_buf_cur(b, 3 + tpp.n + tpf.n);
    if (!c)
        return;
    *c++ = ',';
    c = vm_cpy(c, tpp.s, tpp.n);
    *c++ = ',';
    c = vm_cpy(c, tpf.s, tpf.n);
    *c++ = ',';
    vm_buf_commit(b, c);
    static const int fams[3] = {VM_T_VM, VM_T_CONTAINER, VM_T_MICROVM};
    bool first = true;
    for (int i = 0; i < 3; i++) {
        if (vd->platforms[fams[i]] < 0)
            continue;
        vm_buf_printf(b, "%s%s=%s", first ? "" : ";", vm_target_name(fams[i]), vm_target_name(vd->platforms[fams[i]]));
        first = false;
    }
    vm_buf_putc(b, ',');
    first = true;
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++) {
        if (!((vd->platform_tied >> t) & 1u))
            continue;
        vm_buf_printf(b, "%s%s", first ? "" : ";", vm_target_name(t));
        first = false;
    }
    vm_buf_putc(b, '\n');
}

void vm_render_csv_header(vm_buf *b)
{
    vm_buf_puts(b, "file,document,line,name,component,paradigm,platform,container_platform,confidence,runner_up,"
                   "score_vm,score_container,score_hybrid,score_microvm,blockers,top_rule,proposed_paradigm,"
                   "proposed_platform,platforms,platform_ties\n");
}

void vm_render_csv(const vm_report *r, vm_buf *b)
{
    const vm_values *v = &r->profile->values;
    vm_verdict vd;
    vm_report_verdict(r, &vd);
    row(b, r, NULL, r->paradigm, r->platform, r->container_platform, r->confidence, r->runner_up, &r->main,
        vm_report_proposed_paradigm(v), vm_report_proposed_platform(v), &vd);
    for (uint32_t i = 0; i < r->ncomponents; i++) {
        const vm_component_report *c = &r->components[i];
        const vm_result *res = &c->ev.res;
        row(b, r, c->comp->name, res->paradigm, res->platform, res->container_platform, res->confidence,
            res->runner_up, &c->ev, vm_report_proposed_paradigm(&c->comp->values),
            vm_report_proposed_platform(&c->comp->values), (vm_eval_verdict(&c->ev, &vd), &vd));
    }
}
