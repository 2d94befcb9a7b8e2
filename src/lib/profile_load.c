/*
 * profile_load.c - decodes one document's YAML events into a vm_profile,
 * driven by the field table. No YAML tree is built: every scalar is checked
 * and converted as it streams past, and only the typed values are kept.
 */
#include "vmctr/profile.h"
#include "yevent.h"
#include "scalar.h"
#include "yreader.h"

#include <stdio.h>
#include <string.h>

/* The event cursor and its helpers are shared with the rule loader. */
typedef yreader ld;

/* ---- scalar values -------------------------------------------------- */

static void enum_list_text(const vm_field_def *f, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < f->nvalues && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? ", " : "", f->values[i]);
}

/* Cold paths: each reports why the scalar at L->ev is no value of field f.
 * Out of line so that parse_value, which runs for every value, keeps a
 * small frame; they return false, parse_value's "nothing stored". */
#if defined(__GNUC__)
#define LD_COLD __attribute__((cold, noinline))
#else
#define LD_COLD
#endif

LD_COLD static bool bad_enum(ld *L, const vm_field_def *f, const yr_path *at)
{
    const ye_event *e = &L->ev;
    char vals[300], word[80];
    enum_list_text(f, vals, sizeof vals);
    snprintf(word, sizeof word, "%.*s", (int)(e->len < 64 ? e->len : 64), e->text);
    const char *s = vm_suggest(word, f->values, f->nvalues);
    char hint[120] = "";
    if (s)
        snprintf(hint, sizeof hint, " (did you mean '%s'?)", s);
    else if (f->type == VM_T_ENUM && e->plain && vm_scalar_bool(e->text, e->len) >= 0)
        snprintf(hint, sizeof hint, " (a boolean is not a value here)");
    yr_err_at(L, e->line, e->col, at, "'%s' is not one of %s%s", word, vals, hint);
    return false;
}

LD_COLD static bool bad_bool(ld *L, const yr_path *at)
{
    const ye_event *e = &L->ev;
    if (e->plain && vm_scalar_yaml11_bool(e->text, e->len))
        yr_err_at(L, e->line, e->col, at,
                  "'%.*s' is not a boolean: YAML 1.2 booleans are true and false",
                  (int)(e->len < 16 ? e->len : 16), e->text);
    else
        yr_err_at(L, e->line, e->col, at, "expected true or false, found %s'%.*s'",
                  e->plain ? "" : "the string ", (int)(e->len < 64 ? e->len : 64), e->text);
    return false;
}

LD_COLD static bool bad_int(ld *L, const vm_field_def *f, const yr_path *at)
{
    const ye_event *e = &L->ev;
    int64_t n;
    const char *why = NULL;
    if (!e->plain)
        why = "a quoted string";
    else if (vm_scalar_int(e->text, e->len, &n, &why)) {
        yr_err_at(L, e->line, e->col, at, "%lld is out of range %lld..%lld", (long long)n,
                  (long long)f->min, (long long)f->max);
        return false;
    }
    yr_err_at(L, e->line, e->col, at, "expected an integer in %lld..%lld, found %s '%.*s'",
              (long long)f->min, (long long)f->max, why, (int)(e->len < 64 ? e->len : 64), e->text);
    return false;
}

LD_COLD static bool bad_name(ld *L, const char *why, const yr_path *at)
{
    const ye_event *e = &L->ev;
    yr_err_at(L, e->line, e->col, at, "'%.*s' %s", (int)(e->len < 80 ? e->len : 80), e->text, why);
    return false;
}

/* The node at L->ev is not of the kind field f takes: reported and skipped. */
LD_COLD static bool bad_kind(ld *L, const vm_field_def *f, const yr_path *at)
{
    const ye_event *e = &L->ev;
    bool list = f->type == VM_T_ENUM_LIST || f->type == VM_T_STR_LIST;
    const char *want = list ? "a list" : f->type == VM_T_STR_MAP ? "a mapping" : "a scalar value";
    yr_err_at(L, e->line, e->col, at, "expected %s, found %s", want, yr_kind_name(e->kind));
    yr_skip(L);
    return false;
}

/* Stores a whole value, so the bytes of the union a type does not use are
 * defined too (component values live in memory that is not cleared). */
static bool store_int(vm_value *v, const ye_event *e, int64_t i)
{
    *v = (vm_value){.set = true, .line = e->line, .col = e->col, .u.i = i};
    return true;
}

/* A copy of the scalar e as the value; out of memory leaves it unknown and
 * stops the document (VM_EIO). */
static bool store_str(ld *L, vm_value *v, const ye_event *e)
{
    const char *s = vm_arena_strndup(L->a, e->text, e->len);
    if (!s) {
        yr_nomem(L);
        *v = (vm_value){0};
        return true;
    }
    *v = (vm_value){.set = true, .line = e->line, .col = e->col, .u.s = s};
    return true;
}

/* A list field (ENUM_LIST or STR_LIST) at L->ev, a sequence. Kept apart from
 * parse_value: its scratch arrays would otherwise weigh on every scalar. */
static void parse_list(ld *L, const vm_field_def *f, vm_value *v, const yr_path *at)
{
    /* set from the start: a list cut short by an error keeps its position */
    *v = (vm_value){.set = true, .line = L->ev.line, .col = L->ev.col};
    /* items are collected into a bounded scratch list, then copied */
    const char *items[VM_LIMIT_ITEMS];
    uint32_t lines[VM_LIMIT_ITEMS], cols[VM_LIMIT_ITEMS];
    uint32_t n = 0, mask = 0;
    bool ok = true;
    while (yr_next(L) && L->ev.kind != YE_SEQ_END) {
        if (L->ev.kind != YE_SCALAR || yr_is_null(&L->ev)) {
            yr_err_at(L, L->ev.line, L->ev.col, at, "list items must be strings, found %s",
                      yr_is_null(&L->ev) ? "null" : yr_kind_name(L->ev.kind));
            ok = false;
            if (!yr_skip(L))
                return;
            continue;
        }
        if (n >= VM_LIMIT_ITEMS) {
            yr_err_at(L, L->ev.line, L->ev.col, at, "more than %u items", VM_LIMIT_ITEMS);
            L->fatal = true;
            return;
        }
        if (f->type == VM_T_ENUM_LIST) {
            n++; /* counted against the limit like any list */
            int idx = vm_field_enum_index(f, L->ev.text, L->ev.len);
            if (idx >= 0)
                mask |= 1u << idx;
            else
                ok = bad_enum(L, f, at);
        } else {
            if (!(items[n] = vm_arena_strndup(L->a, L->ev.text, L->ev.len))) {
                yr_nomem(L);
                break;
            }
            lines[n] = L->ev.line;
            cols[n] = L->ev.col;
            n++;
        }
    }
    if (!ok || L->fatal) {
        *v = (vm_value){0};
        return;
    }
    if (f->type == VM_T_ENUM_LIST) {
        v->u.mask = mask;
    } else {
        v->u.list.n = n;
        v->u.list.items = vm_arena_alloc(L->a, (n ? n : 1) * sizeof(char *));
        v->u.list.lines = vm_arena_alloc(L->a, (n ? n : 1) * sizeof(uint32_t));
        v->u.list.cols = vm_arena_alloc(L->a, (n ? n : 1) * sizeof(uint32_t));
        if (!v->u.list.items || !v->u.list.lines || !v->u.list.cols) {
            yr_nomem(L);
            *v = (vm_value){0};
            return;
        }
        if (n) {
            memcpy(v->u.list.items, items, n * sizeof(char *));
            memcpy(v->u.list.lines, lines, n * sizeof(uint32_t));
            memcpy(v->u.list.cols, cols, n * sizeof(uint32_t));
        }
    }
}

/* A STR_MAP field (labels) at L->ev, a mapping. */
static void parse_map(ld *L, vm_value *v, const yr_path *at)
{
    *v = (vm_value){.set = true, .line = L->ev.line, .col = L->ev.col};
    const char *keys[VM_LIMIT_ITEMS], *vals[VM_LIMIT_ITEMS];
    uint32_t klines[VM_LIMIT_ITEMS];
    uint32_t n = 0;
    while (yr_next(L) && L->ev.kind != YE_MAP_END) {
        if (L->ev.kind != YE_SCALAR) {
            yr_err_at(L, L->ev.line, L->ev.col, at, "keys must be strings, found %s",
                      yr_kind_name(L->ev.kind));
            L->fatal = true;
            return;
        }
        if (n >= VM_LIMIT_ITEMS) {
            yr_err_at(L, L->ev.line, L->ev.col, at, "more than %u items", VM_LIMIT_ITEMS);
            L->fatal = true;
            return;
        }
        const char *k = vm_arena_strndup(L->a, L->ev.text, L->ev.len);
        if (!k) {
            yr_nomem(L);
            *v = (vm_value){0};
            return;
        }
        uint32_t kl = L->ev.line, kc = L->ev.col;
        bool dup = false;
        for (uint32_t i = 0; i < n; i++) /* the first byte settles most pairs */
            if (keys[i][0] == k[0] && strcmp(keys[i], k) == 0) {
                yr_err_at(L, kl, kc, at, "duplicate key '%s' (first defined on line %u)", k,
                          klines[i]);
                dup = true;
            }
        if (!yr_next(L))
            return;
        if (L->ev.kind != YE_SCALAR) {
            yr_err_at(L, L->ev.line, L->ev.col, at, "label values must be strings, found %s",
                      yr_kind_name(L->ev.kind));
            if (!yr_skip(L))
                return;
            continue;
        }
        if (dup)
            continue;
        keys[n] = k;
        klines[n] = kl;
        if (!(vals[n] = vm_arena_strndup(L->a, L->ev.text, L->ev.len))) {
            yr_nomem(L);
            *v = (vm_value){0};
            return;
        }
        n++;
    }
    v->u.map.n = n;
    v->u.map.keys = vm_arena_alloc(L->a, (n ? n : 1) * sizeof(char *));
    v->u.map.vals = vm_arena_alloc(L->a, (n ? n : 1) * sizeof(char *));
    if (!v->u.map.keys || !v->u.map.vals) {
        yr_nomem(L);
        *v = (vm_value){0};
        return;
    }
    if (n) {
        memcpy(v->u.map.keys, keys, n * sizeof(char *));
        memcpy(v->u.map.vals, vals, n * sizeof(char *));
    }
}

/* Parses the node at L->ev as the value of field f; `at` names it in errors.
 * True when all of *v was written (a value, or null: the same as absent);
 * false when a scalar is no value of f, with *v untouched. Runs for every
 * value: the checks are inline, the reports out of line. */
static bool parse_value(ld *L, const vm_field_def *f, vm_value *v, const yr_path *at)
{
    const ye_event *e = &L->ev;
    if (e->kind == YE_SCALAR) {
        if (vm_scalar_is_null(e->text, e->len, e->plain)) {
            *v = (vm_value){0};
            return true;
        }
        switch (f->type) {
        case VM_T_BOOL: {
            int b = e->plain ? vm_scalar_bool(e->text, e->len) : -1;
            return b >= 0 ? store_int(v, e, b) : bad_bool(L, at);
        }
        case VM_T_INT: {
            int64_t n;
            const char *why;
            if (e->plain && vm_scalar_int(e->text, e->len, &n, &why) && n >= f->min && n <= f->max)
                return store_int(v, e, n);
            return bad_int(L, f, at);
        }
        case VM_T_ENUM: {
            int idx = vm_field_enum_index(f, e->text, e->len);
            return idx >= 0 ? store_int(v, e, idx) : bad_enum(L, f, at);
        }
        case VM_T_NAME: {
            const char *why = vm_scalar_dns_label(e->text, e->len);
            if (why)
                return bad_name(L, why, at);
            return store_str(L, v, e);
        }
        case VM_T_STR:
            return store_str(L, v, e);
        default:
            return bad_kind(L, f, at); /* a list or a mapping field */
        }
    }
    if (e->kind == YE_SEQ_START && (f->type == VM_T_ENUM_LIST || f->type == VM_T_STR_LIST))
        parse_list(L, f, v, at);
    else if (e->kind == YE_MAP_START && f->type == VM_T_STR_MAP)
        parse_map(L, v, at);
    else
        return bad_kind(L, f, at);
    return true; /* a list or mapping is stored even when an item is wrong */
}

/* ---- mappings --------------------------------------------------------- */

/* The line where each key of a mapping was first defined (0 = not yet),
 * for duplicate reports (yr_key_value). Documents nearly always list keys
 * in the order of the tables (that is the order of the docs, the schema and
 * `vmctr init`): the lookups (yr_each_key, find_field) first try the word
 * after the last one found. */
typedef uint32_t seen_t;

/* Every field's key with its length, from the field list in vmctr/field.h:
 * a key is compared (vm_bytes_eq) only with the candidates of its length. */
static const struct {
    const char *text;
    size_t len;
} field_keys[VM_FIELD_COUNT] = {
#define FIELD_KEY(id, section, key) [VM_F_##id] = {key, sizeof key - 1},
    VM_FIELD_LIST(FIELD_KEY)
#undef FIELD_KEY
};

/* The field among ids first .. first+n-1 whose key is the scalar at L->ev,
 * or -1. The search starts at *next and wraps around: fields left out
 * (most documents omit some) then cost one length compare each. */
static int find_field(const ld *L, int first, int n, int *next)
{
    int i = *next;
    for (int left = n; left > 0; left--, i++) {
        if (i == first + n)
            i = first;
        if (field_keys[i].len == L->ev.len && vm_bytes_eq(field_keys[i].text, L->ev.text, L->ev.len)) {
            *next = i + 1;
            return i;
        }
    }
    return -1;
}

/* Reports the key at L->ev, which is none of the fields first .. first+n-1.
 * Cold: inlined, its candidate list was set up on every section. */
LD_COLD static void unknown_field(ld *L, const yr_path *where, int first, int n)
{
    const char *cands[16];
    size_t nc = 0;
    for (int i = first; i < first + n && nc < 16; i++)
        cands[nc++] = vm_field(i)->key;
    yr_unknown_key_at(L, where, cands, nc);
}

/* A spec section (workload, ..., priorities, decision) under `parent`
 * (spec, or one component): its keys are fields. Sets bit `id` of *stored
 * for each field whose value is written to vals. */
static void parse_section(ld *L, int sec, const yr_path *parent, vm_values *vals, seen_t *seen,
                          uint64_t *stored)
{
    const yr_path where = {parent, vm_spec_sections[sec], 0};
    if (!yr_expect_map_at(L, &where))
        return;
    int first, nfields;
    vm_section_fields(sec, &first, &nfields);
    int next = first;
    uint32_t count = 0;
    while (yr_next_key_at(L, &where, &count)) {
        int id = find_field(L, first, nfields, &next);
        if (id < 0) {
            unknown_field(L, &where, first, nfields);
            if (!yr_skip_value(L))
                return;
            continue;
        }
        const vm_field_def *f = vm_field(id);
        const yr_path at = {&where, f->key, 0};
        yr_keystep st = yr_key_value(L, &seen[id], &at, f->key);
        if (st != YR_KEY_VALUE) {
            if (st == YR_KEY_STOP)
                return;
            continue;
        }
        if (parse_value(L, f, &vals->v[id], &at))
            *stored |= UINT64_C(1) << id;
    }
}

/* A profile's top-level keys, indexed by the enum. */
enum { R_API_VERSION = YR_H_API_VERSION, R_KIND = YR_H_KIND, R_METADATA = YR_H_COUNT, R_SPEC, R_COUNT };
static const char *const root_keys[] = {"apiVersion", "kind", "metadata", "spec"};
_Static_assert(sizeof root_keys / sizeof root_keys[0] == R_COUNT, "a word per root key");
static const char *const meta_keys[] = {"name", "owner", "description", "labels"};
enum { META_COUNT = sizeof meta_keys / sizeof meta_keys[0] };
_Static_assert(VM_F_META_NAME + META_COUNT <= VM_FIELD_COUNT, "the metadata fields come first, in meta_keys order");

/* What the loader keeps of a component until the parent is complete: its
 * values are merged over the parent's only at the end. Its own values
 * (2.5 KB) are not cleared; `stored` says which of them were written. */
typedef struct {
    const char *name;
    uint32_t line, col;
    uint64_t stored;   /* bit id: own values .v[id] written */
} comp_head;

/* `components` inside a component: said so, not "unknown key" */
static bool nested_components(yreader *r, const yr_path *where, void *ctx)
{
    (void)ctx;
    if (!vm_scalar_eq(r->ev.text, r->ev.len, "components"))
        return false;
    yr_err_at(r, r->ev.line, r->ev.col, where, "components cannot be nested");
    return true;
}

static void parse_components(ld *L, comp_head *comps, vm_values **own, uint32_t *own_n)
{
    const char *where = "spec.components";
    const yr_path list = {NULL, where, 0};
    if (yr_is_null(&L->ev))
        return;
    if (L->ev.kind != YE_SEQ_START) {
        yr_err(L, L->ev.line, L->ev.col, where, "expected a list of components, found %s",
               yr_kind_name(L->ev.kind));
        yr_skip(L);
        return;
    }
    /* a component's keys: its name, then the spec sections but components
     * (comp_keys[CK_FIRST_SECTION + i] is vm_spec_sections[i]) */
    enum { CK_NAME, CK_FIRST_SECTION };
    static const char *const comp_keys[] = {"name", "workload", "isolation", "economics", "delivery",
                                            "team", "strategy", "operations", "priorities",
                                            "decision"};
    const size_t ncomp_keys = sizeof comp_keys / sizeof *comp_keys;
    uint32_t n = 0, item = 0;
    while (yr_next(L) && L->ev.kind != YE_SEQ_END) {
        const yr_path cpath = {&list, NULL, item++};
        if (yr_is_null(&L->ev)) {
            yr_err_at(L, L->ev.line, L->ev.col, &cpath,
                      "expected a component (a mapping with a name), found null");
            continue;
        }
        if (n >= VM_LIMIT_COMPONENTS) {
            yr_err(L, L->ev.line, L->ev.col, where, "more than %u components", VM_LIMIT_COMPONENTS);
            L->fatal = true;
            return;
        }
        comp_head *c = &comps[n];
        own[n] = vm_arena_alloc_uninit(L->a, sizeof(vm_values));
        if (!own[n]) {
            yr_err(L, L->ev.line, L->ev.col, where, "out of memory");
            L->oom = true;
            L->fatal = true;
            return;
        }
        c->name = NULL;
        c->stored = 0;
        c->line = L->ev.line;
        c->col = L->ev.col;
        if (!yr_expect_map_at(L, &cpath)) {
            if (L->fatal)
                return;
            continue;
        }
        seen_t seen[VM_FIELD_COUNT + 1];
        seen_t sec_seen[sizeof comp_keys / sizeof *comp_keys];
        memset(seen, 0, sizeof seen);
        memset(sec_seen, 0, sizeof sec_seen);
        yr_keys keys = {.words = comp_keys, .n = ncomp_keys, .seen = sec_seen, .unknown = nested_components};
        for (int k; (k = yr_each_key(L, &cpath, &keys)) >= 0;) {
            const yr_path kpath = {&cpath, comp_keys[k], 0};
            if (k == CK_NAME) {
                vm_value nv = {0};
                size_t errors = L->d->errors;
                parse_value(L, vm_field(VM_F_META_NAME), &nv, &kpath);
                if (!nv.set && L->d->errors == errors)
                    yr_err_at(L, L->ev.line, L->ev.col, &kpath,
                              "missing required key 'name' (null is the same as absent)");
                if (nv.set) {
                    c->name = nv.u.s;
                    for (uint32_t j = 0; j < n; j++)
                        if (comps[j].name && strcmp(comps[j].name, c->name) == 0)
                            yr_err_at(L, nv.line, nv.col, &kpath,
                                      "duplicate component name '%s' (first used on line %u)",
                                      c->name, comps[j].line);
                }
            } else {
                parse_section(L, k - CK_FIRST_SECTION, &cpath, own[n], seen, &c->stored);
            }
        }
        if (L->fatal)
            return;
        if (!sec_seen[CK_NAME])
            yr_err_at(L, c->line, c->col, &cpath, "missing required key 'name'");
        *own_n = ++n;
    }
}

static void parse_spec(ld *L, vm_profile *out, comp_head *comps, vm_values **own, uint32_t *own_n)
{
    const yr_path spec = {NULL, "spec", 0};
    if (!yr_expect_map_at(L, &spec))
        return;
    seen_t sec_seen[16];
    seen_t seen[VM_FIELD_COUNT + 1];
    memset(sec_seen, 0, sizeof sec_seen);
    memset(seen, 0, sizeof seen);
    uint64_t stored = 0; /* unused: out->values was cleared */
    yr_keys keys = {.words = vm_spec_sections, .n = vm_spec_section_count, .seen = sec_seen};
    for (int k; (k = yr_each_key(L, &spec, &keys)) >= 0;) {
        int first, nfields;
        vm_section_fields(k, &first, &nfields);
        if (nfields == 0) /* the one section without fields: components */
            parse_components(L, comps, own, own_n);
        else
            parse_section(L, k, &spec, &out->values, seen, &stored);
    }
}

static void parse_metadata(ld *L, vm_profile *out, seen_t *seen)
{
    if (!yr_expect_map(L, "metadata"))
        return;
    int next = VM_F_META_NAME;
    uint32_t count = 0;
    while (yr_next_key(L, "metadata", &count)) {
        int id = find_field(L, VM_F_META_NAME, META_COUNT, &next);
        if (id < 0) {
            yr_unknown_key(L, "metadata", meta_keys, META_COUNT);
            if (!yr_skip_value(L))
                return;
            continue;
        }
        const vm_field_def *f = vm_field(id);
        const yr_path at = {NULL, f->path, 0};
        yr_keystep st = yr_key_value(L, &seen[id], &at, f->key);
        if (st != YR_KEY_VALUE) {
            if (st == YR_KEY_STOP)
                return;
            continue;
        }
        size_t errors = L->d->errors;
        parse_value(L, f, &out->values.v[id], &at);
        if (id == VM_F_META_NAME && !out->values.v[id].set && L->d->errors == errors)
            yr_err(L, L->ev.line, L->ev.col, f->path,
                   "missing required key 'metadata.name' (null is the same as absent)");
    }
}

/* apiVersion / kind: a scalar that must equal `want` */
static void check_string_key(ld *L, const char *want, const char *path)
{
    if (L->ev.kind != YE_SCALAR) {
        yr_err(L, L->ev.line, L->ev.col, path, "expected '%s', found %s", want, yr_kind_name(L->ev.kind));
        yr_skip(L);
        return;
    }
    if (vm_scalar_eq(L->ev.text, L->ev.len, want))
        return;
    char word[80];
    snprintf(word, sizeof word, "%.*s", (int)(L->ev.len < 64 ? L->ev.len : 64), L->ev.text);
    if (strcmp(path, "kind") == 0 && strcmp(word, "RuleSet") == 0)
        yr_err(L, L->ev.line, L->ev.col, path,
               "this is a rule file, not a profile (load rules with --rules DIR)");
    else
        yr_err(L, L->ev.line, L->ev.col, path, "'%s' is not supported: expected '%s'", word, want);
}

/* Components inherit the parent's fields and override them field by field.
 * Metadata stays the system's. */
static bool merge_components(vm_arena *a, vm_profile *out, const comp_head *comps,
                             vm_values *const *own, uint32_t n)
{
    if (n == 0)
        return true;
    /* every byte is written below */
    out->components = vm_arena_alloc_uninit(a, n * sizeof(vm_component));
    if (!out->components)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        vm_component *c = &out->components[i];
        c->name = comps[i].name;
        c->line = comps[i].line;
        c->col = comps[i].col;
        c->values = out->values;
        c->own = 0;
        for (uint64_t m = comps[i].stored; m; m &= m - 1) {
            int f = __builtin_ctzll(m);
            if (own[i]->v[f].set) {
                c->values.v[f] = own[i]->v[f];
                c->own |= UINT64_C(1) << f;
            }
        }
    }
    out->ncomponents = n;
    return true;
}

vm_status vm_profile_parse(vm_arena *a, const char *file, const vm_doc *doc, vm_profile *out,
                           bool *empty, vm_diags *d)
{
    memset(out, 0, sizeof *out);
    out->file = file;
    out->doc_index = doc->index;
    out->line = doc->first_line;
    *empty = false;
    size_t errors_before = d->errors;
    if (doc->too_large) {
        vm_diag_add(d, VM_SEV_ERROR, file, doc->first_line, 1, "",
                    "document larger than %u bytes (the limit of one profile)", VM_LIMIT_DOC_BYTES);
        return VM_EPROFILE;
    }
    ld L = {.a = a, .file = file, .d = d};
    L.p = ye_open(doc->data, doc->len, doc->first_line);
    comp_head comps[VM_LIMIT_COMPONENTS];
    vm_values *own[VM_LIMIT_COMPONENTS];
    if (!L.p) {
        ye_close(L.p);
        vm_diag_add(d, VM_SEV_ERROR, file, doc->first_line, 1, "", "out of memory");
        return VM_EIO;
    }
    uint32_t own_n = 0;
    if (!yr_next(&L) || !yr_next(&L))
        goto done;
    if (L.ev.kind == YE_STREAM_END) {
        *empty = true;
        goto done;
    }
    if (!yr_next(&L))
        goto done;
    if (yr_is_null(&L.ev)) {
        *empty = true;
        goto tail;
    }
    if (L.ev.kind != YE_MAP_START) {
        yr_err(&L, L.ev.line, L.ev.col, "",
               "a profile must be a mapping (apiVersion, kind, metadata, spec), found %s",
               yr_kind_name(L.ev.kind));
        L.fatal = true;
        goto done;
    }
    uint32_t root_line = L.ev.line, root_col = L.ev.col;
    seen_t rseen[R_COUNT] = {0};
    seen_t mseen[VM_FIELD_COUNT + 1];
    memset(mseen, 0, sizeof mseen);
    const yr_path top = {NULL, "", 0};
    yr_keys keys = {.words = root_keys, .n = R_COUNT, .seen = rseen};
    for (int k; (k = yr_each_key(&L, &top, &keys)) >= 0;) {
        switch (k) {
        case R_API_VERSION: check_string_key(&L, "vmctr/v1", "apiVersion"); break;
        case R_KIND: check_string_key(&L, "WorkloadProfile", "kind"); break;
        case R_METADATA: parse_metadata(&L, out, mseen); break;
        case R_SPEC: parse_spec(&L, out, comps, own, &own_n); break;
        }
    }
    if (L.fatal)
        goto done;
    yr_header_missing(&L, rseen, root_line, root_col, "WorkloadProfile");
    if (!out->values.v[VM_F_META_NAME].set && !mseen[VM_F_META_NAME])
        yr_err(&L, root_line, root_col, "metadata.name", "missing required key 'metadata.name'");
tail:
    /* The rest of the stream: DOC_END, STREAM_END. The splitter cut these
     * bytes at LF line ends; libyaml also breaks lines at CR, NEL, LS and
     * PS, so a `---` after one of those starts a document the splitter did
     * not see. Never skip it silently: that would let a stream pass the
     * gate with fewer documents checked than it holds. */
    while (yr_next(&L) && L.ev.kind != YE_STREAM_END)
        if (L.ev.kind == YE_DOC_START) {
            yr_err(&L, L.ev.line, L.ev.col, "",
                   "another document starts here after a line break other than LF (CR, NEL U+0085, "
                   "LS U+2028 or PS U+2029); vmctr separates documents at LF line ends only");
            *empty = false;
            break;
        }
done:
    ye_close(L.p);
    if (L.oom)
        return VM_EIO;
    if (d->errors > errors_before)
        return VM_EPROFILE;
    if (!*empty && !merge_components(a, out, comps, own, own_n)) {
        vm_diag_add(d, VM_SEV_ERROR, file, doc->first_line, 1, "", "out of memory");
        return VM_EIO;
    }
    return VM_OK;
}
