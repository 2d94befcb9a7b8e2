/*
 * test_rules_write.c - rules written back (src/lib/rules_write.c): every
 * built-in rule, written in the rule-file format and loaded again, is the
 * same rule (it writes the same text); the JSON form nests at any depth.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "vmctr/rules.h"
#include "vmctr/sys/rules_write.h"
#include "util/buf.h"
#include "fixture.h"

static vm_ruleset *builtin(void)
{
    vm_ruleset *rs = fixture_builtin();
    assert_non_null(rs);
    return rs;
}

/* The rule set of one rule file, loaded and finished. */
static vm_ruleset *load(const char *file, const char *text, size_t len)
{
    vm_diags d;
    vm_diags_clear(&d);
    vm_ruleset *rs = vm_ruleset_new();
    assert_non_null(rs);
    assert_int_equal(vm_ruleset_add(rs, file, text, len, false, &d), VM_OK);
    assert_int_equal(vm_ruleset_finish(rs, &d), VM_OK);
    return rs;
}

/* r in the rule-file form into b (initialised here), NUL-terminated. */
static void write_yaml(const vm_rule *r, vm_buf *b)
{
    vm_buf_init(b);
    vm_rule_write_yaml(r, b);
    vm_buf_putc(b, '\0');
}

/* The text after the first line (the origin comment, which names the file). */
static const char *after_origin(const vm_buf *b)
{
    const char *nl = memchr(b->data, '\n', b->len);
    assert_non_null(nl);
    return nl + 1;
}

static void yaml_round_trip(void **state)
{
    (void)state;
    vm_ruleset *rs = builtin();
    size_t n = vm_ruleset_count(rs);
    assert_true(n > 50);
    /* one rule file holding every rule, each as a list item */
    vm_buf file;
    vm_buf_init(&file);
    vm_buf_puts(&file, "apiVersion: vmctr/v1\nkind: RuleSet\nrules:\n");
    for (size_t i = 0; i < n; i++) {
        vm_buf one;
        write_yaml(vm_ruleset_rule(rs, i), &one);
        assert_false(one.oom);
        bool first = true;
        for (char *line = one.data; *line;) {
            char *nl = strchr(line, '\n');
            assert_non_null(nl);
            bool comment = line[0] == '#';
            vm_buf_puts(&file, first && !comment ? "  - " : "    ");
            first = first && comment;
            vm_buf_put(&file, line, (size_t)(nl + 1 - line));
            line = nl + 1;
        }
        vm_buf_free(&one);
    }
    assert_false(file.oom);
    vm_ruleset *back = load("back.yaml", file.data, file.len);
    assert_int_equal(vm_ruleset_count(back), n);
    for (size_t i = 0; i < n; i++) {
        const vm_rule *r = vm_ruleset_rule(rs, i);
        const vm_rule *q = vm_ruleset_find(back, r->id);
        assert_non_null(q);
        vm_buf x, y;
        write_yaml(r, &x);
        write_yaml(q, &y);
        assert_string_equal(after_origin(&x), after_origin(&y));
        assert_memory_equal(y.data, "# back.yaml:", 12);
        assert_non_null(strstr(y.data, "(from --rules)\n"));
        vm_buf_free(&x);
        vm_buf_free(&y);
    }
    vm_buf_free(&file);
    vm_ruleset_free(back);
    vm_ruleset_free(rs);
}

static void yaml_quotes_what_would_not_load(void **state)
{
    (void)state;
    const char *text = "apiVersion: vmctr/v1\nkind: RuleSet\nrules:\n"
                       "  - id: team.odd\n    title: \"yes\"\n    category: team\n"
                       "    reference: \"3.1: a: b\"\n    rationale: \" padded \"\n"
                       "    when: {field: team.culture, op: eq, value: devops}\n"
                       "    scores: {container: 1}\n";
    vm_ruleset *rs = load("odd.yaml", text, strlen(text));
    vm_buf b;
    write_yaml(vm_ruleset_find(rs, "team.odd"), &b);
    assert_non_null(strstr(b.data, "\ntitle: \"yes\"\n"));      /* a YAML 1.1 boolean */
    assert_non_null(strstr(b.data, "\nreference: \"3.1: a: b\"\n"));
    assert_non_null(strstr(b.data, "\nrationale: \" padded \"\n"));
    assert_non_null(strstr(b.data, "\nwhen: {field: team.culture, op: eq, value: devops}\n"));
    assert_non_null(strstr(b.data, "\nscores: {container: 1}\n"));
    vm_buf_free(&b);
    vm_ruleset_free(rs);
}

/* "##[" and "##vso[" (CI log command markers, escape.h) are never written
 * whole: the JSON writer's \u0023, which YAML reads back as '#' */
static void yaml_breaks_log_markers(void **state)
{
    (void)state;
    const char *title = "T ##vso[task.setvariable variable=x]y ##[error] ###VsO[ ## #[";
    char text[512];
    snprintf(text, sizeof text,
             "apiVersion: vmctr/v1\nkind: RuleSet\nrules:\n"
             "  - id: team.marker\n    title: \"%s\"\n    category: team\n"
             "    reference: r\n    rationale: r\n"
             "    when: {field: team.culture, op: eq, value: devops}\n"
             "    scores: {container: 1}\n",
             title);
    vm_ruleset *rs = load("m.yaml", text, strlen(text));
    vm_buf b;
    write_yaml(vm_ruleset_find(rs, "team.marker"), &b);
    assert_non_null(strstr(b.data, "\ntitle: \"T #\\u0023vso[task.setvariable variable=x]y #\\u0023[error] "
                                   "##\\u0023VsO[ ## #[\"\n"));
    /* and read back, it is the same title */
    vm_buf file;
    vm_buf_init(&file);
    vm_buf_puts(&file, "apiVersion: vmctr/v1\nkind: RuleSet\nrules:\n");
    bool first = true;
    for (char *line = b.data; *line;) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        if (line[0] != '#') { /* the origin and `reads` comments */
            vm_buf_puts(&file, first ? "  - " : "    ");
            vm_buf_put(&file, line, (size_t)(nl + 1 - line));
            first = false;
        }
        line = nl + 1;
    }
    vm_ruleset *back = load("back.yaml", file.data, file.len);
    assert_string_equal(vm_ruleset_find(back, "team.marker")->title, title);
    vm_buf_free(&file);
    vm_buf_free(&b);
    vm_ruleset_free(back);
    vm_ruleset_free(rs);
}

/* Every line of s after the first starts with at least `n` spaces, and the
 * last line with exactly n - 2 and a closing brace. */
static void check_nesting(const char *s, int n)
{
    assert_int_equal(s[0], '{');
    const char *last = strrchr(s, '\n');
    assert_non_null(last);
    for (int i = 0; i < n - 2; i++)
        assert_int_equal(last[1 + i], ' ');
    assert_string_equal(last + 1 + n - 2, "}");
    for (const char *p = strchr(s, '\n'); p && p != last; p = strchr(p + 1, '\n'))
        for (int i = 0; i < n; i++)
            assert_int_equal(p[1 + i], ' ');
}

static void json_at_any_depth(void **state)
{
    (void)state;
    vm_ruleset *rs = builtin();
    const vm_rule *r = vm_ruleset_find(rs, "delivery.frequent-releases");
    assert_non_null(r);
    for (int depth = 0; depth < 4; depth++) {
        vm_buf b;
        vm_buf_init(&b);
        vm_rule_write_json(r, depth, &b);
        vm_buf_putc(&b, '\0');
        assert_false(b.oom);
        check_nesting(b.data, 2 * depth + 2);
        char want[64];
        snprintf(want, sizeof want, "{\n%*s\"id\": \"delivery.frequent-releases\",\n", 2 * depth + 2, "");
        assert_memory_equal(b.data, want, strlen(want));
        assert_non_null(strstr(b.data, "\"when\": {"));
        assert_non_null(strstr(b.data, "\"builtin\": true"));
        vm_buf_free(&b);
    }
    vm_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(yaml_round_trip),
        cmocka_unit_test(yaml_quotes_what_would_not_load), cmocka_unit_test(yaml_breaks_log_markers),
        cmocka_unit_test(json_at_any_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
