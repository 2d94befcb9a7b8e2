/*
 * profile_write.c - profile values as a commented YAML document (see
 * profile_write.h). Used by `vmctr init` for the profiles it writes and for
 * `--template`. Everything comes from the field table; only the one-line
 * section comments live here.
 */
#include "vmctr/profile_write.h"
#include "util/buf.h"

#include <stdio.h>
#include <string.h>

#include "yamlsafe.h"

#define WRAP 78

typedef struct {
    const char *name;
    const char *comment;
} section_doc;

static const section_doc sections[] = {
    {"metadata", "Who and what this profile describes."},
    {"workload", "What the application is and what it needs from its host (§14.2 Nature of workload)."},
    {"isolation", "How strongly it must be kept apart from others (§14.2 Isolation requirements)."},
    {"economics", "Money, vendor support and licences (§14.2 Economic considerations)."},
    {"delivery", "How fast it changes and scales (§14.2 Evolution speed, §13.2)."},
    {"team", "What the people who run it know (§14.2 Team competencies and organizational culture)."},
    {"strategy", "Where the organisation is heading (§14.2 Long-term technology strategy, §13.5, §14.3)."},
    {"operations", "How it must be run (§14.1, §13.4)."},
    {"priorities", "How much each category weighs, 0..5 (3 when absent; 0 switches its rules off)."},
    {"decision", "What the team proposes; `vmctr check` tests it against the recommendation."},
};
#define NSECTIONS (sizeof sections / sizeof sections[0])

/* ---- scalars ------------------------------------------------------------ */

static void put_str(vm_buf *b, const char *s)
{
    if (vm_yaml_plain_safe(s, strlen(s))) {
        vm_buf_puts(b, s);
        return;
    }
    vm_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': vm_buf_puts(b, "\\\""); break;
        case '\\': vm_buf_puts(b, "\\\\"); break;
        case '\n': vm_buf_puts(b, "\\n"); break;
        case '\t': vm_buf_puts(b, "\\t"); break;
        case '\r': vm_buf_puts(b, "\\r"); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                vm_buf_printf(b, "\\x%02x", *p);
            else
                vm_buf_putc(b, (char)*p);
        }
    }
    vm_buf_putc(b, '"');
}

static void put_value(vm_buf *b, const vm_field_def *f, const vm_value *v)
{
    switch (f->type) {
    case VM_T_BOOL: vm_buf_puts(b, v->u.i ? "true" : "false"); break;
    case VM_T_INT: vm_buf_printf(b, "%lld", (long long)v->u.i); break;
    case VM_T_ENUM: vm_buf_puts(b, f->values[v->u.i]); break;
    case VM_T_STR:
    case VM_T_NAME: put_str(b, v->u.s); break;
    case VM_T_ENUM_LIST: {
        vm_buf_putc(b, '[');
        int k = 0;
        for (int i = 0; i < f->nvalues; i++)
            if (v->u.mask & (1u << i)) {
                vm_buf_puts(b, k++ ? ", " : "");
                vm_buf_puts(b, f->values[i]);
            }
        vm_buf_putc(b, ']');
        break;
    }
    case VM_T_STR_LIST:
        vm_buf_putc(b, '[');
        for (uint32_t i = 0; i < v->u.list.n; i++) {
            vm_buf_puts(b, i ? ", " : "");
            put_str(b, v->u.list.items[i]);
        }
        vm_buf_putc(b, ']');
        break;
    case VM_T_STR_MAP:
        vm_buf_putc(b, '{');
        for (uint32_t i = 0; i < v->u.map.n; i++) {
            vm_buf_puts(b, i ? ", " : "");
            put_str(b, v->u.map.keys[i]);
            vm_buf_puts(b, ": ");
            put_str(b, v->u.map.vals[i]);
        }
        vm_buf_putc(b, '}');
        break;
    }
}

/* ---- comments ----------------------------------------------------------- */

/* Writes `text` as comment lines at `indent`, wrapped at WRAP columns;
 * continuation lines are indented by `hang` more spaces. */
static void put_comment(vm_buf *b, int indent, int hang, const char *text)
{
    int col = 0;
    const char *p = text;
    bool first = true;
    while (*p) {
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        int wl = (int)(p - w);
        /* \x01 is a space that does not break a line ("|\x01value") */
        if (first || col + 1 + wl > WRAP) {
            if (!first)
                vm_buf_putc(b, '\n');
            int in = indent + (first ? 0 : hang);
            vm_buf_printf(b, "%*s#", indent, "");
            col = indent + 1;
            if (in > indent) {
                vm_buf_printf(b, "%*s", in - indent, "");
                col += in - indent;
            }
            first = false;
        }
        vm_buf_putc(b, ' ');
        for (int i = 0; i < wl; i++)
            vm_buf_putc(b, w[i] == '\x01' ? ' ' : w[i]);
        col += 1 + wl;
        while (*p == ' ')
            p++;
    }
    vm_buf_putc(b, '\n');
}

/* "one of: a | b | c", "true or false", ... */
static void describe_values(const vm_field_def *f, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    switch (f->type) {
    case VM_T_BOOL: snprintf(out, cap, "true or false"); return;
    case VM_T_INT:
        if (strstr(f->help, ".."))
            snprintf(out, cap, "an integer");
        else
            snprintf(out, cap, "an integer, %lld..%lld", (long long)f->min, (long long)f->max);
        return;
    case VM_T_STR: snprintf(out, cap, "a string"); return;
    case VM_T_NAME: snprintf(out, cap, "a DNS label"); return;
    case VM_T_STR_LIST: snprintf(out, cap, "a list of strings"); return;
    case VM_T_STR_MAP: snprintf(out, cap, "a map of strings, e.g. {tier: backend}"); return;
    case VM_T_ENUM:
    case VM_T_ENUM_LIST:
        n = (size_t)snprintf(out, cap, "%s", f->type == VM_T_ENUM ? "one of" : "a list of");
        for (int i = 0; i < f->nvalues && n < cap; i++)
            n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? " |\x01" : " ", f->values[i]);
        return;
    }
}

static const char *section_comment(const char *name)
{
    for (size_t i = 0; i < NSECTIONS; i++)
        if (strcmp(sections[i].name, name) == 0)
            return sections[i].comment;
    return NULL;
}

/* ---- sections ----------------------------------------------------------- */

static void put_field_doc(vm_buf *b, int indent, const vm_field_def *f)
{
    char vals[400], line[700];
    describe_values(f, vals, sizeof vals);
    /* help first, then the values: "application architecture; one of a | b" */
    snprintf(line, sizeof line, "%s; %s", f->help, vals);
    put_comment(b, indent, 2, line);
    vm_buf_printf(b, "%*s# %s:\n", indent, "", f->key);
}

/* Writes one section: `indent` is where its key goes. */
static void put_section(vm_buf *b, const vm_values *v, unsigned flags, const char *section, int indent,
                        bool *first)
{
    bool tmpl = flags & VM_WRITE_TEMPLATE;
    bool is_meta = strcmp(section, "metadata") == 0;
    bool is_opt = strcmp(section, "priorities") == 0 || strcmp(section, "decision") == 0;
    int nset = 0, nunset = 0;
    for (int i = 0; i < VM_FIELD_COUNT; i++) {
        const vm_field_def *f = vm_field(i);
        if (strcmp(f->section, section) != 0)
            continue;
        if (v->v[i].set || (is_meta && i == VM_F_META_NAME))
            nset++;
        else
            nunset++;
    }
    /* priorities and decision are choices, not unknowns: only a template
     * shows them when unset */
    if (!nset && is_opt && !tmpl)
        return;
    const char *c = section_comment(section);
    if (!*first)
        vm_buf_putc(b, '\n');
    *first = false;
    if (c)
        put_comment(b, indent, 0, c);
    if (!nset && !tmpl) {
        char line[800];
        size_t n = (size_t)snprintf(line, sizeof line, "%s: not answered yet (", section);
        int k = 0;
        for (int i = 0; i < VM_FIELD_COUNT && n < sizeof line; i++)
            if (strcmp(vm_field(i)->section, section) == 0)
                n += (size_t)snprintf(line + n, sizeof line - n, "%s%s", k++ ? ", " : "", vm_field(i)->key);
        if (n < sizeof line)
            snprintf(line + n, sizeof line - n, ")");
        put_comment(b, indent, 2, line);
        return;
    }
    vm_buf_printf(b, "%*s%s:\n", indent, "", section);
    int in = indent + 2;
    char line[800];
    size_t un = 0;
    line[0] = '\0';
    for (int i = 0; i < VM_FIELD_COUNT; i++) {
        const vm_field_def *f = vm_field(i);
        if (strcmp(f->section, section) != 0)
            continue;
        const vm_value *x = &v->v[i];
        if (x->set) {
            vm_buf_printf(b, "%*s%s: ", in, "", f->key);
            put_value(b, f, x);
            vm_buf_putc(b, '\n');
        } else if (is_meta && i == VM_F_META_NAME) {
            if (tmpl)
                put_comment(b, in, 2, "required: a lower-case DNS label ([a-z0-9-], 1..63 characters)");
            vm_buf_printf(b, "%*sname: my-workload\n", in, "");
        } else if (tmpl) {
            put_field_doc(b, in, f);
        } else if (!is_meta && !is_opt && un < sizeof line) {
            un += (size_t)snprintf(line + un, sizeof line - un, "%s%s", un ? ", " : "", f->key);
        }
    }
    if (un && !tmpl) {
        char msg[900];
        snprintf(msg, sizeof msg, "not answered yet: %s", line);
        put_comment(b, in, 2, msg);
    }
}

void vm_profile_write_yaml(const vm_values *v, unsigned flags, vm_buf *b)
{
    vm_buf_puts(b, "# yaml-language-server: $schema=" VM_PROFILE_SCHEMA_URL "\n");
    if (flags & VM_WRITE_TEMPLATE)
        put_comment(b, 0, 0,
                    "vmctr workload profile. Every field is optional except metadata.name; an absent field is "
                    "unknown, never a default. Uncomment a line and fill in a value, then run `vmctr validate` "
                    "and `vmctr advise` on this file.");
    else
        put_comment(b, 0, 0,
                    "vmctr workload profile written by `vmctr init`. Absent fields are unknown; answer them "
                    "to sharpen the advice (see `vmctr init --template`), then run `vmctr advise` on this file.");
    vm_buf_puts(b, "apiVersion: vmctr/v1\nkind: WorkloadProfile\n");
    bool first = false;
    put_section(b, v, flags, "metadata", 0, &first);
    vm_buf_puts(b, "\nspec:\n");
    first = true;
    for (size_t s = 0; s < vm_spec_section_count; s++) {
        if (strcmp(vm_spec_sections[s], "components") == 0)
            continue;
        put_section(b, v, flags, vm_spec_sections[s], 2, &first);
    }
}
