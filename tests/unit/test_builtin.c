/*
 * test_builtin.c - the rules compiled ahead of time by vmctr-rulec are the
 * rules vmctr would load from the rule files' text: same rules, same
 * compiled conditions, same digest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vmctr/sys/builtin.h"
#include "vmctr/rules.h"

/* The built-in rules, loaded from the rule files' text or from the compiled
 * tables, then (when not NULL) the user file org/extra.yaml; finished. */
static vm_ruleset *builtin_set(bool compiled, const char *user)
{
    vm_ruleset *rs = vm_ruleset_new();
    vm_diags d;
    vm_diags_clear(&d);
    if (compiled)
        assert_int_equal(vm_ruleset_add_precompiled(rs, &vm_builtin_compiled, &d), VM_OK);
    else
        for (size_t i = 0; i < vm_builtin_rules_count; i++) {
            const vm_embedded_file *f = &vm_builtin_rules[i];
            assert_int_equal(vm_ruleset_add(rs, f->name, f->data, f->len, true, &d), VM_OK);
        }
    if (user)
        assert_int_equal(vm_ruleset_add(rs, "org/extra.yaml", user, strlen(user), false, &d), VM_OK);
    assert_int_equal(vm_ruleset_finish(rs, &d), VM_OK);
    return rs;
}

static void same_string(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static void compiled_equals_text(void **state)
{
    (void)state;
    vm_ruleset *a = builtin_set(false, NULL), *b = builtin_set(true, NULL);
    assert_true(vm_ruleset_count(a) > 60);
    assert_int_equal(vm_ruleset_count(a), vm_ruleset_count(b));
    assert_string_equal(vm_ruleset_digest(a), vm_ruleset_digest(b));
    for (size_t i = 0; i < vm_ruleset_count(a); i++) {
        const vm_rule *x = vm_ruleset_rule(a, i), *y = vm_ruleset_rule(b, i);
        same_string(x->id, y->id);
        same_string(x->title, y->title);
        same_string(x->reference, y->reference);
        same_string(x->rationale, y->rationale);
        same_string(x->file, y->file);
        assert_int_equal(x->category, y->category);
        assert_int_equal(x->line, y->line);
        assert_int_equal(x->col, y->col);
        assert_true(y->builtin);
        assert_memory_equal(x->scores, y->scores, sizeof x->scores);
        assert_int_equal(x->excludes, y->excludes);
        assert_int_equal(x->applies_to, y->applies_to);
        assert_int_equal(x->reads, y->reads);
        assert_int_equal(x->id_rank, y->id_rank);
        /* the length the JSON writer uses instead of strlen */
        assert_int_equal(x->id_len, strlen(x->id));
        assert_int_equal(y->id_len, strlen(y->id));
        assert_int_equal(x->ncond, y->ncond);
        for (uint16_t k = 0; k < x->ncond; k++) {
            const vm_cond *c = &x->cond[k], *e = &y->cond[k];
            assert_int_equal(c->op, e->op);
            assert_int_equal(c->nkids, e->nkids);
            assert_int_equal(c->skip, e->skip);
            assert_int_equal(c->field, e->field);
            assert_int_equal(c->num, e->num);
            assert_int_equal(c->mask, e->mask);
            same_string(c->str, e->str);
        }
        assert_int_equal(x->nsuggests, y->nsuggests);
        for (uint16_t k = 0; k < x->nsuggests; k++) {
            same_string(x->suggests[k].topic, y->suggests[k].topic);
            same_string(x->suggests[k].text, y->suggests[k].text);
        }
        assert_int_equal(x->nrisks, y->nrisks);
        for (uint16_t k = 0; k < x->nrisks; k++)
            same_string(x->risks[k], y->risks[k]);
    }
    vm_ruleset_free(a);
    vm_ruleset_free(b);
}

static void user_rules_continue_the_digest(void **state)
{
    (void)state;
    /* text of the built-ins + a user file == compiled built-ins + the same file */
    static const char user[] = "apiVersion: vmctr/v1\nkind: RuleSet\nrules: []\n";
    vm_ruleset *a = builtin_set(false, user), *b = builtin_set(true, user);
    assert_string_equal(vm_ruleset_digest(a), vm_ruleset_digest(b));
    /* and a different file gives a different digest */
    vm_ruleset *c = builtin_set(true, NULL);
    assert_string_not_equal(vm_ruleset_digest(a), vm_ruleset_digest(c));
    vm_ruleset_free(a);
    vm_ruleset_free(b);
    vm_ruleset_free(c);
}

static void precompiled_must_come_first(void **state)
{
    (void)state;
    vm_diags d;
    vm_diags_clear(&d);
    vm_ruleset *rs = vm_ruleset_new();
    static const char one[] =
        "apiVersion: vmctr/v1\nkind: RuleSet\nrules:\n"
        "  - {id: team.x, title: t, category: team, reference: r, rationale: r,\n"
        "     when: {field: team.iac, op: eq, value: full}, scores: {vm: 1}}\n";
    assert_int_equal(vm_ruleset_add(rs, "a.yaml", one, sizeof one - 1, false, &d), VM_OK);
    assert_int_equal(vm_ruleset_add_precompiled(rs, &vm_builtin_compiled, &d), VM_ERULES);
    vm_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compiled_equals_text),
        cmocka_unit_test(user_rules_continue_the_digest),
        cmocka_unit_test(precompiled_must_come_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
