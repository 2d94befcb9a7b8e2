/* builtin.c - the public door to the built-in catalogue. Linked into the
 * `vmctr` library only (beside the generated rule data), not into the core
 * that vmctr-rulec builds that data with. */
#include "vmctr/rules.h"
#include "vmctr/sys/builtin.h"

vm_status vm_ruleset_add_builtin(vm_ruleset *rs, vm_diags *d)
{
    return vm_ruleset_add_precompiled(rs, &vm_builtin_compiled, d);
}
