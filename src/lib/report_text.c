/* report_text.c - the human report (minimal; extended by --explain). */
#include "vmctr/report.h"

void vm_render_text(const vm_report *r, const vm_render_opts *o, vm_buf *b)
{
    (void)o;
    char plat[64];
    const vm_profile *p = r->profile;
    vm_buf_printf(b, "%s: %s on %s (confidence %.2f)\n",
                  p->values.v[VM_F_META_NAME].set ? p->values.v[VM_F_META_NAME].u.s : "?",
                  vm_target_name(r->paradigm), vm_report_platform_text(r->platform, r->container_platform, plat, sizeof plat),
                  r->confidence);
    for (uint32_t i = 0; i < r->main.nreasons && i < 5; i++) {
        const vm_rule *rule = vm_ruleset_rule(r->rules, r->main.reasons[i].rule);
        vm_buf_printf(b, "  %+.1f  %s (%s)\n", r->main.reasons[i].contribution, rule->title, rule->reference);
    }
    for (uint32_t i = 0; i < r->ncomponents; i++) {
        const vm_component_report *c = &r->components[i];
        vm_buf_printf(b, "  component %s: %s on %s\n", c->comp->name, vm_target_name(c->ev.res.paradigm),
                      vm_report_platform_text(c->ev.res.platform, c->ev.res.container_platform, plat, sizeof plat));
    }
}
