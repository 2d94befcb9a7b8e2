/*
 * cmd_rules.c - `vmctr rules`: look at and check the rule catalogue.
 *
 *   rules list [--format text|json] [--rules DIR] [--no-builtin-rules]
 *   rules show ID [--rules DIR] [--no-builtin-rules]
 *   rules lint [--strict] [--no-builtin-rules] [DIR|FILE...]
 *
 * Each subcommand is a vm_cmd of its own (name "rules", so messages and
 * "Try 'vmctr help rules'" stay right) with its own option table; the
 * exported cmd_rules only dispatches on the first operand. `show` prints a
 * rule back in the rule-file format (it can be pasted into a --rules file
 * to override it); `lint` loads like every other command and adds the
 * library's lint warnings, then prints "N rules, N errors, N warnings".
 */
#include "cli.h"
#include "diagprint.h"
#include "util/jsonw.h"
#include "rulesload.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "vmctr/sys/builtin.h"
#include "util/buf.h"
#include "util/escape.h"
#include "vmctr/rules.h"
#include "vmctr/sys/rules_write.h"

/* Rules are written back (show: rule-file YAML, list/show: JSON) by
 * src/lib/rules_write.c (vmctr/sys/rules_write.h). */

/* One rule's JSON as a value of the writer j (at its nesting depth). */
static void rule_json(jw *j, const vm_rule *r)
{
    vm_buf one;
    vm_buf_init(&one);
    vm_rule_write_json(r, j->depth, &one);
    jw_raw(j, one.data ? one.data : "", one.len);
    if (one.oom)
        j->b->oom = true;
    vm_buf_free(&one);
}

/* ---- rules list -------------------------------------------------------------- */

enum { OPT_FORMAT = 1, OPT_RULES, OPT_NO_BUILTIN, OPT_STRICT };

static const char *const formats[] = {"text", "json", NULL};

static const vm_opt list_opts[] = {
    {"format", 'f', "FORMAT", "text (a table, default) or json (every field of every rule)", OPT_FORMAT, false,
     formats},
    VM_OPT_RULES_ROWS(OPT_RULES, OPT_NO_BUILTIN),
    {0},
};

/* The options `list` and `show` share: --format and the rule sources.
 * False when the command must stop there (--help, a usage error): its exit
 * status is then p->status. */
static bool parse_format_rules(vm_optparse *p, const char **format, vm_rules_opts *ro)
{
    int c;
    while ((c = vm_opt_next(p)) > 0) {
        switch (c) {
        case OPT_FORMAT: *format = p->arg; break;
        case OPT_RULES: ro->dir = p->arg; break;
        case OPT_NO_BUILTIN: ro->no_builtin = true; break;
        }
    }
    return c == 0;
}

/* What `list` and `show` do around their own parts: the options
 * (parse_format_rules), the operands' check (a usage error, or 0), the
 * rules in effect, then the output write makes (JSON to its jw, with a
 * final newline, for --format json; else text to b) printed whole. write
 * returns a usage error before writing anything, or 0. */
typedef int (*view_operands)(vm_cli *cli, const vm_optparse *p);
typedef int (*view_write)(vm_cli *cli, const vm_ruleset *rs, const char *arg, jw *j, vm_buf *b);

static int run_view(vm_cli *cli, int argc, char **argv, view_operands operands, view_write write)
{
    vm_optparse p;
    vm_opt_init(&p, cli, argc, argv);
    const char *format = "text";
    vm_rules_opts ro = {0};
    if (!parse_format_rules(&p, &format, &ro))
        return p.status;
    int rc = operands(cli, &p);
    if (rc)
        return rc;
    vm_ruleset *rs;
    rc = vm_cli_load_rules(cli, &ro, &rs);
    if (rc)
        return rc;
    vm_buf b;
    vm_buf_init(&b);
    jw j;
    bool json = strcmp(format, "json") == 0;
    if (json)
        jw_init(&j, &b, true);
    rc = write(cli, rs, p.npos ? p.pos[0] : NULL, json ? &j : NULL, &b);
    if (rc) {
        vm_buf_free(&b);
    } else {
        if (json)
            vm_buf_putc(&b, '\n');
        rc = vm_print_buf(&b, "rules");
    }
    vm_ruleset_free(rs);
    return rc;
}

/* One paragraph indented by `indent`, words wrapped at `width` columns (a
 * word longer than a line is written whole). */
static void wrap_to(vm_buf *b, const char *s, int indent, int width)
{
    int col = 0;
    size_t n;
    int wc;
    while ((n = vm_text_word(&s, &wc)) > 0) {
        if (col > indent && col + 1 + wc > width) {
            vm_buf_putc(b, '\n');
            col = 0;
        }
        if (col == 0) {
            vm_buf_printf(b, "%*s", indent, "");
            col = indent;
        } else {
            vm_buf_putc(b, ' ');
            col++;
        }
        vm_esc_term(b, s, n); /* rule text from --rules: escape.h */
        col += wc;
        s += n;
    }
    vm_buf_putc(b, '\n');
}

/* `list`'s operands: none. A usage error, or 0. */
static int list_operands(vm_cli *cli, const vm_optparse *p)
{
    if (p->npos > 0)
        return vm_usage_error(cli, "list: unexpected argument '%s'", p->pos[0]);
    return 0;
}

/* `list`'s output: JSON to j when it is set, else the text table (or one
 * block per rule when the table does not fit the terminal). */
static int list_write(vm_cli *cli, const vm_ruleset *rs, const char *arg, jw *j, vm_buf *b)
{
    (void)cli;
    (void)arg;
    size_t n = vm_ruleset_count(rs);
    if (j) {
        jw_obj(j);
        jw_kstr(j, "schema", "vmctr.rules-list/v1");
        jw_key(j, "items");
        jw_arr(j);
        for (size_t i = 0; i < n; i++)
            rule_json(j, vm_ruleset_rule(rs, i));
        jw_arr_end(j);
        jw_obj_end(j);
        return 0;
    }
    int w[4] = {2, 8, 9, 5}; /* ID, CATEGORY, REFERENCE, TITLE */
    size_t nb = 0;
    for (size_t i = 0; i < n; i++) {
        const vm_rule *r = vm_ruleset_rule(rs, i);
        int ws[4] = {vm_text_width(r->id), vm_text_width(vm_category_name(r->category)),
                     vm_text_width(r->reference), vm_text_width(r->title) + (r->builtin ? 0 : 10)};
        for (int k = 0; k < 4; k++)
            if (ws[k] > w[k])
                w[k] = ws[k];
        nb += r->builtin;
    }
    int width = vm_term_width(stdout);
    if (w[0] + w[1] + w[2] + w[3] + 6 <= width) {
        /* a table when it fits the terminal */
        vm_buf_pad(b, "ID", w[0] + 2);
        vm_buf_pad(b, "CATEGORY", w[1] + 2);
        vm_buf_pad(b, "REFERENCE", w[2] + 2);
        vm_buf_puts(b, "TITLE\n");
        for (size_t i = 0; i < n; i++) {
            const vm_rule *r = vm_ruleset_rule(rs, i);
            vm_buf_pad(b, r->id, w[0] + 2);
            vm_buf_pad(b, vm_category_name(r->category), w[1] + 2);
            vm_buf_pad(b, r->reference, w[2] + 2);
            vm_esc_terms(b, r->title);
            vm_buf_puts(b, r->builtin ? "\n" : " [--rules]\n");
        }
    } else {
        /* else one block per rule, wrapped to the width */
        for (size_t i = 0; i < n; i++) {
            const vm_rule *r = vm_ruleset_rule(rs, i);
            char line[1024];
            vm_buf_puts(b, r->id);
            vm_buf_puts(b, r->builtin ? "\n" : " [--rules]\n");
            wrap_to(b, r->title, 4, width);
            snprintf(line, sizeof line, "%s \xc2\xb7 %s", vm_category_name(r->category), r->reference);
            wrap_to(b, line, 4, width);
        }
    }
    /* the digest is one word: on its own line so the count line fits */
    vm_buf_printf(b, "\n%zu rule%s (%zu built-in, %zu from --rules)\ndigest %s\n", n, n == 1 ? "" : "s", nb, n - nb,
                  vm_ruleset_digest(rs));
    vm_text_fit_tail(b, 0, width); /* the digest and long ids on a narrow terminal */
    return 0;
}

static int run_list(vm_cli *cli, int argc, char **argv)
{
    return run_view(cli, argc, argv, list_operands, list_write);
}

VM_SUBCOMMAND(rules, list,
    .summary = "list the rules in effect",
    .usage = "list [--format text|json] [--rules DIR] [--no-builtin-rules]",
    .description = "Lists the rules in effect (built-in, then those of --rules DIR; a user rule with a built-in "
                   "id takes its place) in rule-set order. The text footer shows the rule-set digest that "
                   "reports carry as tool.rules_digest. JSON gives {\"schema\": \"vmctr.rules-list/v1\", \"items\": [...]}: every field of each rule, its condition, "
                   "the profile fields it reads and where it was defined.",
    .examples = "vmctr rules list\nvmctr rules list --format json | jq '.items[] | select(.category == \"team\") | .id'"
);

/* ---- rules show -------------------------------------------------------------- */

static const vm_opt show_opts[] = {
    VM_OPT_RULES_ROWS(OPT_RULES, OPT_NO_BUILTIN),
    {"format", 'f', "FORMAT", "text (the rule in rule-file form, default) or json", OPT_FORMAT, false, formats},
    {0},
};

/* `show`'s operand: one rule id. A usage error, or 0. */
static int show_operands(vm_cli *cli, const vm_optparse *p)
{
    if (p->npos != 1)
        return vm_usage_error(cli, p->npos ? "show: one rule id at a time" : "show: missing rule id");
    return 0;
}

/* `show`'s output: the rule id's JSON to j when it is set, else its
 * rule-file YAML; an unknown id is a usage error (with a suggestion). */
static int show_write(vm_cli *cli, const vm_ruleset *rs, const char *id, jw *j, vm_buf *b)
{
    const vm_rule *r = vm_ruleset_find(rs, id);
    if (!r) {
        const char *s = vm_ruleset_suggest(rs, id);
        if (s)
            return vm_usage_error(cli, "show: no rule '%s' (did you mean '%s'?)", id, s);
        return vm_usage_error(cli, "show: no rule '%s' (see 'vmctr rules list')", id);
    }
    if (j)
        rule_json(j, r);
    else
        vm_rule_write_yaml(r, b);
    return 0;
}

static int run_show(vm_cli *cli, int argc, char **argv)
{
    return run_view(cli, argc, argv, show_operands, show_write);
}

VM_SUBCOMMAND(rules, show,
    .summary = "show one rule",
    .usage = "show ID [--format text|json] [--rules DIR] [--no-builtin-rules]",
    .description = "Shows everything about one rule, its condition included, in the rule-file format (a comment "
                   "gives where it was defined and the profile fields it reads), so it can be copied into a "
                   "--rules file and changed there. An unknown id is a usage error (exit 2) with a suggestion.",
    .examples = "vmctr rules show delivery.frequent-releases"
);

/* ---- rules lint -------------------------------------------------------------- */

static const vm_opt lint_opts[] = {
    {"strict", 0, NULL, "fail (exit 4) on warnings too", OPT_STRICT, false, NULL},
    {"no-builtin-rules", 0, NULL, "check only the given files, without the built-in rules", OPT_NO_BUILTIN, false,
     NULL},
    {0},
};

typedef struct {
    const vm_cli *cli;
    vm_ruleset *rs;
    vm_diags *d;
    size_t errors, warnings;
    int rc;
} lint_ctx;

static void count_print(lint_ctx *l, const char *file)
{
    for (size_t i = 0; i < l->d->count; i++)
        if (l->d->items[i].severity == VM_SEV_WARNING)
            l->warnings++;
    l->errors += l->d->errors;
    vm_diags_print(l->cli, l->d, file);
}

/* One rule file; from_dir: found in a directory operand, passed by when
 * it is vmctr YAML of another kind (vm_cli_not_rules), as --rules DIR does */
static void lint_file(lint_ctx *l, const char *path, bool from_dir)
{
    char *data = NULL;
    size_t len = 0;
    if (vm_cli_read_input(path, VM_LIMIT_RULE_FILE, &data, &len) != 0) {
        l->rc = vm_worst(l->rc, VM_EIO);
        return;
    }
    if (from_dir && vm_cli_not_rules(data ? data : "", len)) {
        free(data);
        return;
    }
    vm_diags_clear(l->d);
    if (vm_ruleset_add(l->rs, path, data ? data : "", len, false, l->d) == VM_EIO)
        l->rc = vm_worst(l->rc, VM_EIO); /* out of memory: not a rule error */
    free(data);
    count_print(l, path);
}

/* A file, or the *.yaml / *.yml files of a directory in name order (the
 * order --rules DIR loads them in). */
static void lint_path(lint_ctx *l, const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, path, strerror(errno));
        l->rc = vm_worst(l->rc, VM_EIO);
        return;
    }
    if (!S_ISDIR(sb.st_mode)) {
        lint_file(l, path, false);
        return;
    }
    vm_pathlist names;
    l->rc = vm_worst(l->rc, vm_cli_rule_files(path, &names));
    for (size_t i = 0; i < names.n; i++)
        lint_file(l, names.v[i], true);
    vm_pathlist_free(&names);
}

static int run_lint(vm_cli *cli, int argc, char **argv)
{
    vm_optparse p;
    vm_opt_init(&p, cli, argc, argv);
    bool strict = false, no_builtin = false;
    int c;
    while ((c = vm_opt_next(&p)) > 0) {
        switch (c) {
        case OPT_STRICT: strict = true; break;
        case OPT_NO_BUILTIN: no_builtin = true; break;
        }
    }
    if (c < 0)
        return p.status;
    if (no_builtin && p.npos == 0)
        return vm_usage_error(cli, "lint: --no-builtin-rules needs a DIR or FILE to check");
    lint_ctx l = {.cli = cli, .rs = vm_ruleset_new(), .d = malloc(sizeof(vm_diags))};
    if (!l.rs || !l.d) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        vm_ruleset_free(l.rs);
        free(l.d);
        return VM_EIO;
    }
    if (!no_builtin)
        for (size_t i = 0; i < vm_builtin_rules_count; i++) {
            const vm_embedded_file *f = &vm_builtin_rules[i];
            vm_diags_clear(l.d);
            if (vm_ruleset_add(l.rs, f->name, f->data, f->len, true, l.d) == VM_EIO)
                l.rc = vm_worst(l.rc, VM_EIO);
            count_print(&l, f->name);
        }
    for (int i = 0; i < p.npos; i++)
        lint_path(&l, p.pos[i]);
    vm_diags_clear(l.d);
    vm_status fin = vm_ruleset_finish(l.rs, l.d);
    if (fin != VM_OK) {
        if (fin == VM_EIO)
            l.rc = vm_worst(l.rc, VM_EIO);
        count_print(&l, "<rules>");
    } else {
        vm_diags_clear(l.d);
        vm_ruleset_lint(l.rs, l.d);
        count_print(&l, "<rules>");
    }
    size_t n = vm_ruleset_count(l.rs);
    printf("%zu rule%s, %zu error%s, %zu warning%s\n", n, n == 1 ? "" : "s", l.errors, l.errors == 1 ? "" : "s",
           l.warnings, l.warnings == 1 ? "" : "s");
    int rc = l.rc;
    if (l.errors || (strict && l.warnings))
        rc = vm_worst(rc, VM_ERULES);
    vm_ruleset_free(l.rs);
    free(l.d);
    return rc;
}

VM_SUBCOMMAND(rules, lint,
    .summary = "check rule files",
    .usage = "lint [--strict] [--no-builtin-rules] [DIR|FILE...]",
    .description = "Loads the built-in rules and then each DIR (its *.yaml and *.yml files, by name) or FILE, as "
                   "--rules would, and reports every error (bad YAML, unknown keys, fields, values and ops, "
                   "duplicate ids within a layer; exit 4) and every warning (a condition that can never hold, "
                   "a rule with no effect, a rule that always fires, risks without applies_to, an overlong "
                   "rationale, a rule set that breaks the isolation invariant), then prints "
                   "'N rules, N errors, N warnings'. With --strict, warnings fail too. A symbolic link in a "
                   "DIR that leads outside it is not read: an error (exit 5).",
    .examples = "vmctr rules lint policies/\nvmctr rules lint --strict --no-builtin-rules policies/gpu.yaml"
);

/* ---- dispatch ------------------------------------------------------------------ */

extern const vm_cmd cmd_rules_test; /* cmd_rules_test.c */
static const vm_cmd *const subs[] = {&cmd_rules_list, &cmd_rules_show, &cmd_rules_lint, &cmd_rules_test};
static const char *const sub_names[] = {"list", "show", "lint", "test"};

static int run(vm_cli *cli, int argc, char **argv) { return vm_cmd_dispatch(cli, argc, argv, "subcommand"); }

VM_PARENT_COMMAND(rules,
    .summary = "list, show, lint and test the rule catalogue",
    .usage = "list|show|lint|test [OPTIONS] [ARGS]",
    .description = "Subcommands: 'list' the rules in effect, 'show ID' one rule in full, 'lint [DIR|FILE...]' "
                   "check rule files, 'test DIR|FILE...' run rule tests (*.test.yaml). 'vmctr rules SUBCOMMAND --help' shows a subcommand's options.",
    .examples = "vmctr rules list\nvmctr rules show delivery.frequent-releases\nvmctr rules lint policies/\n"
                "vmctr rules test policies/"
);
