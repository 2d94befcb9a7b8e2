/*
 * report_csv.c - one row per profile plus one per component (RFC 4180).
 *
 * Columns: file, document (0-based), line, name, component (empty on the
 * profile's row), paradigm, platform, container_platform, confidence,
 * runner_up, the four paradigm scores, the number of blockers, the rule
 * that contributed most, and the decision the profile proposes. A field is
 * quoted only when it holds ',', '"', CR or LF; quotes are doubled. Built
 * from plain puts on the hot path: this format is used for whole
 * inventories, so it must keep up with parsing.
 */
#include "vmctr/report.h"

#include <string.h>

static void field(vm_buf *b, const char *s)
{
    if (!s)
        return;
    size_t n = strcspn(s, ",\"\r\n");
    if (!s[n]) {
        vm_buf_put(b, s, n);
        return;
    }
    vm_buf_putc(b, '"');
    for (;;) {
        size_t q = strcspn(s, "\"");
        vm_buf_put(b, s, q);
        if (!s[q])
            break;
        vm_buf_put(b, "\"\"", 2);
        s += q + 1;
    }
    vm_buf_putc(b, '"');
}

static void uint_field(vm_buf *b, uint32_t v)
{
    char tmp[12];
    size_t n = sizeof tmp;
    do {
        tmp[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    vm_buf_put(b, tmp + n, sizeof tmp - n);
}

/* empty when -1 */
static void target(vm_buf *b, int t)
{
    if (t >= 0)
        vm_buf_puts(b, vm_target_name(t));
}

static uint32_t nblockers(const vm_report *r, const vm_eval_report *ev)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < ev->nfired; i++)
        if (vm_ruleset_rule(r->rules, ev->fired[i])->excludes)
            n++;
    return n;
}

static void row(vm_buf *b, const vm_report *r, const char *comp, int paradigm, int platform, int cplat, double conf,
                int runner, const vm_eval_report *ev, int pp, int pf)
{
    const vm_profile *p = r->profile;
    const vm_value *name = &p->values.v[VM_F_META_NAME];
    field(b, p->file);
    vm_buf_putc(b, ',');
    uint_field(b, p->doc_index);
    vm_buf_putc(b, ',');
    uint_field(b, p->line);
    vm_buf_putc(b, ',');
    if (name->set)
        field(b, name->u.s);
    vm_buf_putc(b, ',');
    field(b, comp);
    vm_buf_putc(b, ',');
    target(b, paradigm);
    vm_buf_putc(b, ',');
    target(b, platform);
    vm_buf_putc(b, ',');
    target(b, cplat);
    vm_buf_putc(b, ',');
    vm_buf_num(b, conf, 2);
    vm_buf_putc(b, ',');
    target(b, runner);
    static const int order[VM_PARADIGM_COUNT] = {VM_T_VM, VM_T_CONTAINER, VM_T_HYBRID, VM_T_MICROVM};
    for (int i = 0; i < VM_PARADIGM_COUNT; i++) {
        vm_buf_putc(b, ',');
        vm_buf_num(b, ev->res.score[order[i]], 2);
    }
    vm_buf_putc(b, ',');
    uint_field(b, nblockers(r, ev));
    vm_buf_putc(b, ',');
    if (ev->nreasons)
        field(b, vm_ruleset_rule(r->rules, ev->reasons[0].rule)->id);
    vm_buf_putc(b, ',');
    target(b, pp);
    vm_buf_putc(b, ',');
    target(b, pf);
    vm_buf_putc(b, '\n');
}

void vm_render_csv_header(vm_buf *b)
{
    vm_buf_puts(b, "file,document,line,name,component,paradigm,platform,container_platform,confidence,runner_up,"
                   "score_vm,score_container,score_hybrid,score_microvm,blockers,top_rule,proposed_paradigm,"
                   "proposed_platform\n");
}

void vm_render_csv(const vm_report *r, vm_buf *b)
{
    const vm_values *v = &r->profile->values;
    row(b, r, NULL, r->paradigm, r->platform, r->container_platform, r->confidence, r->runner_up, &r->main,
        vm_report_proposed_paradigm(v), vm_report_proposed_platform(v));
    for (uint32_t i = 0; i < r->ncomponents; i++) {
        const vm_component_report *c = &r->components[i];
        const vm_result *res = &c->ev.res;
        row(b, r, c->comp->name, res->paradigm, res->platform, res->container_platform, res->confidence,
            res->runner_up, &c->ev, vm_report_proposed_paradigm(&c->comp->values),
            vm_report_proposed_platform(&c->comp->values));
    }
}
