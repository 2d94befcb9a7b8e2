/*
 * rules_write.c - a rule written back (vmctr/sys/rules_write.h): in the
 * rule-file format (`vmctr rules show`, which can be pasted into a --rules
 * file) and as JSON (`rules list` and `rules show --format json`). Beside
 * profile_write.c, which does the same for profiles.
 */
#include "vmctr/sys/rules_write.h"
#include "util/buf.h"
#include "util/escape.h"
#include "util/jsonw.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const op_names[] = {"eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte",
                                       "contains", "known", "unknown", "all", "any", "not"};

/* A double-quoted YAML scalar: JSON's escapes are valid YAML, and the JSON
 * writer already writes the second '#' of a CI log command marker ("##[",
 * "##vso[": escape.h) as \u0023, which YAML reads back as '#'. */
static void yaml_quoted(vm_buf *b, const char *s) { vm_buf_json_str(b, s); }

/* A YAML scalar: plain when that is unambiguous, else double-quoted. */
static void yaml_scalar(vm_buf *b, const char *s)
{
    static const char *const reserved[] = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"};
    bool plain = s[0] != '\0' && s[0] != ' ' && s[0] != '-' && s[strlen(s) - 1] != ' ';
    for (const char *p = s; plain && *p; p++) {
        unsigned char c = (unsigned char)*p;
        plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
                c == '.' || c == '_' || c == '/' || c == '-' || c == '(' || c == ')';
    }
    if (plain && ((s[0] >= '0' && s[0] <= '9') || s[0] == '.'))
        plain = false;
    for (size_t i = 0; plain && i < sizeof reserved / sizeof *reserved; i++)
        if (strcasecmp(s, reserved[i]) == 0)
            plain = false;
    if (plain)
        vm_buf_puts(b, s);
    else
        yaml_quoted(b, s);
}

/* Enum value whose rank (ordered comparisons) or index is `num`. */
static const char *enum_value(const vm_field_def *f, int64_t num, bool by_rank)
{
    for (int i = 0; i < f->nvalues; i++)
        if ((by_rank && f->rank ? f->rank[i] : i) == num)
            return f->values[i];
    return "?";
}

static void leaf_value(vm_buf *b, const vm_cond *c)
{
    const vm_field_def *f = vm_field(c->field);
    switch (c->op) {
    case VM_OP_IN:
    case VM_OP_NOT_IN: {
        vm_buf_putc(b, '[');
        bool first = true;
        int n = f->type == VM_T_BOOL ? 2 : f->nvalues;
        for (int i = 0; i < n; i++)
            if ((c->mask >> i) & 1u) {
                vm_buf_puts(b, first ? "" : ", ");
                yaml_scalar(b, f->values[i]);
                first = false;
            }
        vm_buf_putc(b, ']');
        return;
    }
    case VM_OP_CONTAINS:
        if (f->type == VM_T_STR_LIST) {
            yaml_scalar(b, c->str);
        } else {
            for (int i = 0; i < f->nvalues; i++)
                if ((c->mask >> i) & 1u)
                    yaml_scalar(b, f->values[i]);
        }
        return;
    default: break;
    }
    if (f->type == VM_T_BOOL)
        vm_buf_puts(b, c->num ? "true" : "false");
    else if (f->type == VM_T_INT)
        vm_buf_printf(b, "%lld", (long long)c->num);
    else
        yaml_scalar(b, enum_value(f, c->num, c->op >= VM_OP_GT && c->op <= VM_OP_LTE));
}

static void leaf_flow(vm_buf *b, const vm_cond *c)
{
    vm_buf_printf(b, "{field: %s, op: %s", vm_field(c->field)->path + 5, op_names[c->op]);
    if (c->op != VM_OP_KNOWN && c->op != VM_OP_UNKNOWN) {
        vm_buf_puts(b, ", value: ");
        leaf_value(b, c);
    }
    vm_buf_putc(b, '}');
}

static void indent(vm_buf *b, int n)
{
    for (int i = 0; i < n; i++)
        vm_buf_putc(b, ' ');
}

/* Writes condition node c as YAML; the cursor is already at column `ind`
 * (after the indentation or after "- "). Leaves are flow mappings on one
 * line; all/any take a block list, not a single condition. */
static void cond_yaml(vm_buf *b, const vm_cond *c, int ind)
{
    if (c->op != VM_OP_ALL && c->op != VM_OP_ANY && c->op != VM_OP_NOT) {
        leaf_flow(b, c);
        vm_buf_putc(b, '\n');
        return;
    }
    vm_buf_printf(b, "%s:", op_names[c->op]);
    if (c->op == VM_OP_NOT) {
        if (c[1].skip == 1) {
            vm_buf_putc(b, ' ');
            cond_yaml(b, c + 1, ind + 2);
        } else {
            vm_buf_putc(b, '\n');
            indent(b, ind + 2);
            cond_yaml(b, c + 1, ind + 2);
        }
        return;
    }
    vm_buf_putc(b, '\n');
    const vm_cond *k = c + 1;
    for (int i = 0; i < c->nkids; i++, k += k->skip) {
        indent(b, ind + 2);
        vm_buf_puts(b, "- ");
        cond_yaml(b, k, ind + 4);
    }
}

static void targets_flow(vm_buf *b, uint16_t mask)
{
    vm_buf_putc(b, '[');
    bool first = true;
    for (int t = 0; t < VM_TARGET_COUNT; t++)
        if ((mask >> t) & 1u) {
            vm_buf_printf(b, "%s%s", first ? "" : ", ", vm_target_name(t));
            first = false;
        }
    vm_buf_putc(b, ']');
}

static bool has_scores(const vm_rule *r)
{
    for (int t = 0; t < VM_TARGET_COUNT; t++)
        if (r->scores[t] != 0)
            return true;
    return false;
}

/* "spec.a.b, spec.c.d" of the fields the condition reads, in field order. */
static void fields_text(vm_buf *b, const vm_rule *r, const char *sepr)
{
    bool first = true;
    for (int f = 0; f < VM_FIELD_COUNT; f++)
        if ((r->reads >> f) & 1u) {
            vm_buf_printf(b, "%s%s", first ? "" : sepr, vm_field(f)->path);
            first = false;
        }
}

/* The rule in rule-file form, preceded by a comment with its origin. */
static void rule_yaml(vm_buf *b, const vm_rule *r)
{
    vm_buf_puts(b, "# ");
    vm_esc_terms(b, r->file); /* a comment: one line */
    vm_buf_printf(b, ":%u:%u (%s)\n", r->line, r->col, r->builtin ? "built-in" : "from --rules");
    vm_buf_printf(b, "id: %s\ntitle: ", r->id);
    yaml_scalar(b, r->title);
    vm_buf_printf(b, "\ncategory: %s\nreference: ", vm_category_name(r->category));
    yaml_scalar(b, r->reference);
    vm_buf_puts(b, "\nrationale: ");
    yaml_scalar(b, r->rationale);
    vm_buf_puts(b, "\nwhen:");
    if (!r->ncond) {
        vm_buf_puts(b, " ~  # always\n");
    } else if (r->cond->skip == 1) {
        vm_buf_putc(b, ' ');
        cond_yaml(b, r->cond, 2);
    } else {
        vm_buf_puts(b, "\n  ");
        cond_yaml(b, r->cond, 2);
    }
    if (has_scores(r)) {
        vm_buf_puts(b, "scores: {");
        bool first = true;
        for (int t = 0; t < VM_TARGET_COUNT; t++)
            if (r->scores[t] != 0) {
                vm_buf_printf(b, "%s%s: ", first ? "" : ", ", vm_target_name(t));
                vm_buf_num(b, r->scores[t], 2);
                first = false;
            }
        vm_buf_puts(b, "}\n");
    }
    if (r->excludes) {
        vm_buf_puts(b, "excludes: ");
        targets_flow(b, r->excludes);
        vm_buf_putc(b, '\n');
    }
    if (r->applies_to) {
        vm_buf_puts(b, "applies_to: ");
        targets_flow(b, r->applies_to);
        vm_buf_putc(b, '\n');
    }
    if (r->nsuggests) {
        vm_buf_puts(b, "suggests:\n");
        for (uint16_t i = 0; i < r->nsuggests; i++) {
            vm_buf_printf(b, "  - topic: %s\n    text: ", r->suggests[i].topic);
            yaml_scalar(b, r->suggests[i].text);
            vm_buf_putc(b, '\n');
        }
    }
    if (r->nrisks) {
        vm_buf_puts(b, "risks:\n");
        for (uint16_t i = 0; i < r->nrisks; i++) {
            vm_buf_puts(b, "  - ");
            yaml_scalar(b, r->risks[i]);
            vm_buf_putc(b, '\n');
        }
    }
    if (r->reads) {
        vm_buf_puts(b, "# reads: ");
        fields_text(b, r, ", ");
        vm_buf_putc(b, '\n');
    }
}

/* Condition as JSON: {"all": [...]}, {"not": {...}}, {"field","op","value"}. */
static const vm_cond *cond_json(jw *j, const vm_cond *c)
{
    jw_obj(j);
    if (c->op == VM_OP_ALL || c->op == VM_OP_ANY) {
        jw_key(j, op_names[c->op]);
        jw_arr(j);
        const vm_cond *k = c + 1;
        for (int i = 0; i < c->nkids; i++)
            k = cond_json(j, k);
        jw_arr_end(j);
    } else if (c->op == VM_OP_NOT) {
        jw_key(j, "not");
        cond_json(j, c + 1);
    } else {
        const vm_field_def *f = vm_field(c->field);
        jw_kstr(j, "field", f->path + 5);
        jw_kstr(j, "op", op_names[c->op]);
        if (c->op != VM_OP_KNOWN && c->op != VM_OP_UNKNOWN) {
            jw_key(j, "value");
            if (c->op == VM_OP_IN || c->op == VM_OP_NOT_IN) {
                jw_arr(j);
                for (int i = 0; i < f->nvalues; i++)
                    if ((c->mask >> i) & 1u)
                        jw_str(j, f->values[i]);
                jw_arr_end(j);
            } else if (c->op == VM_OP_CONTAINS) {
                if (f->type == VM_T_STR_LIST)
                    jw_str(j, c->str);
                else
                    for (int i = 0; i < f->nvalues; i++)
                        if ((c->mask >> i) & 1u)
                            jw_str(j, f->values[i]);
            } else if (f->type == VM_T_BOOL) {
                jw_bool(j, c->num != 0);
            } else if (f->type == VM_T_INT) {
                jw_int(j, (long long)c->num);
            } else {
                jw_str(j, enum_value(f, c->num, c->op >= VM_OP_GT && c->op <= VM_OP_LTE));
            }
        }
    }
    jw_obj_end(j);
    return c + c->skip;
}

static void targets_json(jw *j, const char *key, uint16_t mask)
{
    jw_key(j, key);
    jw_arr(j);
    for (int t = 0; t < VM_TARGET_COUNT; t++)
        if ((mask >> t) & 1u)
            jw_str(j, vm_target_name(t));
    jw_arr_end(j);
}

static void rule_json(jw *j, const vm_rule *r)
{
    jw_obj(j);
    jw_kstr(j, "id", r->id);
    jw_kstr(j, "title", r->title);
    jw_kstr(j, "category", vm_category_name(r->category));
    jw_kstr(j, "reference", r->reference);
    jw_kstr(j, "rationale", r->rationale);
    jw_key(j, "when");
    if (r->ncond)
        cond_json(j, r->cond);
    else
        jw_null(j);
    jw_key(j, "scores");
    jw_obj(j);
    for (int t = 0; t < VM_TARGET_COUNT; t++)
        if (r->scores[t] != 0)
            jw_knum(j, vm_target_name(t), r->scores[t], 2);
    jw_obj_end(j);
    targets_json(j, "excludes", r->excludes);
    targets_json(j, "applies_to", r->applies_to);
    jw_key(j, "suggests");
    jw_arr(j);
    for (uint16_t i = 0; i < r->nsuggests; i++) {
        jw_obj(j);
        jw_kstr(j, "topic", r->suggests[i].topic);
        jw_kstr(j, "text", r->suggests[i].text);
        jw_obj_end(j);
    }
    jw_arr_end(j);
    jw_key(j, "risks");
    jw_arr(j);
    for (uint16_t i = 0; i < r->nrisks; i++)
        jw_str(j, r->risks[i]);
    jw_arr_end(j);
    jw_key(j, "fields");
    jw_arr(j);
    for (int f = 0; f < VM_FIELD_COUNT; f++)
        if ((r->reads >> f) & 1u)
            jw_str(j, vm_field(f)->path);
    jw_arr_end(j);
    char src[512];
    snprintf(src, sizeof src, "%s:%u", r->file, r->line);
    jw_kstr(j, "source", src);
    jw_kbool(j, "builtin", r->builtin);
    jw_obj_end(j);
}

void vm_rule_write_yaml(const vm_rule *r, vm_buf *b) { rule_yaml(b, r); }

void vm_rule_write_json(const vm_rule *r, int depth, vm_buf *b)
{
    jw j;
    jw_init(&j, b, true);
    /* as a value at `depth`: the writer is placed after a key there, so the
     * object opens at the cursor and its members indent one level deeper */
    j.depth = depth < 0 ? 0 : depth > 30 ? 30 : depth;
    j.after_key = true;
    rule_json(&j, r);
}
