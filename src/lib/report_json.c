/* report_json.c - the JSON report (keys: docs/report.md, schema: vmctr schema --report). */
#include "vmctr/report.h"
#include "util/buf.h"
#include "report_keys.h"

#include <stdlib.h>
#include <assert.h>
#include <string.h>

/*
 * The one writer of the report: the compact form, written straight into
 * the buffer. NDJSON is its lean variant (rule texts by id); the pretty
 * `--format json` report is its full variant re-indented (reindent below),
 * so there is no second list of keys to keep in step. Its structure is
 * fixed, so it needs no comma and nesting bookkeeping, and each entry is
 * stored through one reservation (vm_buf_cur) instead of a call and a
 * capacity check per key and value. It is the hot part of NDJSON output
 * (about 10 KB a report). Every key comes from the key table
 * (report_keys.h) through RK_KEY and its kin, which expand to the literal
 * itself and do not compile for a key the table lacks; the report schema
 * (schema_report.c) is generated from the same table.
 *
 * Convention: every writer here starts with the comma or bracket that
 * precedes its text, so callers need not track which member came first.
 */

/* A key with its quotes and colon (`"vm":`) in a fixed-size slot, so that
 * it is copied with a constant-size memcpy (a couple of moves) and the
 * cursor then advanced by its real length. Writers reserve the full slot. */
typedef struct {
    char s[24];
    size_t n;
} fkey;

/*
 * The JSON of a `because` entry depends only on the field and its value
 * (with line and column), and the same entry recurs: rules share fields,
 * and a component inherits most of its values from the profile, as the
 * what-if report does from the real one. So each entry is written once per
 * report and copied after that. An entry is reused only for the very same
 * value (see same_value); offsets, not pointers, since the buffer moves.
 */
typedef struct {
    const vm_value *src[VM_FIELD_COUNT]; /* the value it was written from */
    size_t off[VM_FIELD_COUNT];          /* of its text in the buffer */
    uint32_t len[VM_FIELD_COUNT];        /* 0 = none written yet */
} fcache;

/* The keys an evaluation repeats, made at compile time from the names the
 * rest of vmctr uses (target.h, field.h), so they cannot drift apart: a
 * name is at most VM_NAME_MAX bytes (checked where the names are), and the
 * slot holds '"', the name, '"' and ':'. */
_Static_assert(sizeof(((fkey *)0)->s) >= VM_NAME_MAX + 3, "fkey slot shorter than a name");
#define VM_X_(id, s) {"\"" s "\":", sizeof(s) + 2},
static const fkey target_keys[VM_TARGET_COUNT] = {VM_TARGET_LIST(VM_X_)};   /* "vm": */
static const fkey category_keys[VM_CAT_COUNT] = {VM_CATEGORY_LIST(VM_X_)};  /* "workload": */
#undef VM_X_
#define VM_X_(id, s) {"\"" s "\"", sizeof(s) + 1},
static const fkey target_values[VM_TARGET_COUNT] = {VM_TARGET_LIST(VM_X_)}; /* "vm" (as a value) */
#undef VM_X_

/* What one compact render keeps: the key tables and the because cache.
 * Lives on the caller's stack: nothing is shared between threads or kept
 * between reports. */
typedef struct {
    bool lean;
    const fkey *target;   /* target_keys */
    const fkey *tvalue;   /* target_values */
    const fkey *category; /* category_keys */
    fcache fc;
} cctx;

static void cctx_init(cctx *k, bool lean)
{
    k->lean = lean;
    k->target = target_keys;
    k->tvalue = target_values;
    k->category = category_keys;
    memset(k->fc.len, 0, sizeof k->fc.len);
}

static inline char *put_key(char *p, const fkey *k)
{
    memcpy(p, k->s, sizeof k->s);
    return p + k->n;
}

/* A colon key's name as a JSON string (`"workload"` of `"workload":`);
 * needs the room of put_key. */
static inline char *put_name(char *p, const fkey *k)
{
    memcpy(p, k->s, sizeof k->s);
    return p + k->n - 1;
}

/* "s" for a string that needs no escaping; n = strlen(s) */
static inline char *put_sym(char *p, const char *s, size_t n)
{
    *p++ = '"';
    p = vm_cpy(p, s, n);
    *p++ = '"';
    return p;
}

#define PUT_LIT(b, lit) VM_BUF_LIT((b), lit)
/* `,"key":` followed by a JSON string (escaped; NULL writes null) */
#define C_KSTR(b, lit, s) (PUT_LIT((b), lit), vm_buf_json_str((b), (s)))

/* Room for a `{"k":v,...}` map of n numbers. */
#define MAP_MAX(n) ((n) * (1 + sizeof(fkey) + VM_NUM_MAX) + 1)

/* {"vm":1,"container":2,"hybrid":0,"microvm":0} in the spec's order */
static char *paradigm_map(char *p, const cctx *k, const double *s)
{
    for (int i = 0; i < VM_PARADIGM_COUNT; i++) {
        int t = vm_paradigm_spec_order[i];
        *p++ = i ? ',' : '{';
        p = put_key(p, &k->target[t]);
        p = vm_fmt_num(p, s[t], 2);
    }
    *p++ = '}';
    return p;
}

static void scores_c(vm_buf *b, const cctx *k, const vm_eval_report *ev)
{
    const double *score = ev->res.score;
    enum { NPLAT = VM_TARGET_COUNT - VM_FIRST_PLATFORM };
    char *p = vm_buf_cur(b, 64 + MAP_MAX(VM_PARADIGM_COUNT) * (1 + VM_CAT_COUNT) + MAP_MAX(NPLAT) +
                                VM_CAT_COUNT * (1 + sizeof(fkey)));
    if (!p)
        return;
    p = VM_LIT(p, RK_KEY2(",", evaluation, scores, "{", scores, paradigms, ""));
    p = paradigm_map(p, k, score);
    p = VM_LIT(p, RK_KEY(",", scores, platforms, ""));
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++) {
        *p++ = t > VM_FIRST_PLATFORM ? ',' : '{';
        p = put_key(p, &k->target[t]);
        p = vm_fmt_num(p, score[t], 2);
    }
    *p++ = '}';
    p = VM_LIT(p, RK_KEY(",", scores, categories, ""));
    for (int c = 0; c < VM_CAT_COUNT; c++) {
        *p++ = c ? ',' : '{';
        p = put_key(p, &k->category[c]);
        p = paradigm_map(p, k, ev->category[c]);
    }
    vm_buf_commit(b, VM_LIT(p, "}}"));
}

/* Whether value_c writes v through put_scalar: null, booleans, integers and
 * enum values, whose text needs no escaping and has a known bound. */
static inline bool is_scalar(const vm_field_def *f, const vm_value *v)
{
    return !v->set || f->type == VM_T_BOOL || f->type == VM_T_INT || f->type == VM_T_ENUM;
}

/* The enum value's name and its length (sym_len) for put_scalar; NULL for
 * the other kinds. Room put_scalar needs: sym_len + VM_INT_MAX. */
static inline const char *scalar_sym(const vm_field_def *f, const vm_value *v, size_t *sym_len)
{
    if (!v->set || f->type != VM_T_ENUM) {
        *sym_len = 0;
        return NULL;
    }
    const char *s = f->values[v->u.i];
    *sym_len = strlen(s);
    return s;
}

static inline char *put_scalar(char *p, const vm_field_def *f, const vm_value *v, const char *sym, size_t sym_len)
{
    if (!v->set)
        return VM_LIT(p, "null");
    if (sym)
        return put_sym(p, sym, sym_len);
    if (f->type == VM_T_INT)
        return vm_fmt_int(p, (long long)v->u.i);
    return v->u.i ? VM_LIT(p, "true") : VM_LIT(p, "false");
}

/* A field's value: the scalar kinds in place, lists and free text through
 * the escaping writers. */
static void value_c(vm_buf *b, const vm_field_def *f, const vm_value *v)
{
    if (is_scalar(f, v)) {
        size_t sl;
        const char *sym = scalar_sym(f, v, &sl);
        char *p = vm_buf_cur(b, sl + VM_INT_MAX);
        if (p)
            vm_buf_commit(b, put_scalar(p, f, v, sym, sl));
        return;
    }
    switch (f->type) {
    case VM_T_ENUM_LIST: {
        vm_buf_putc(b, '[');
        bool first = true;
        for (int i = 0; i < f->nvalues; i++) {
            if (!(v->u.mask & (1u << i)))
                continue;
            size_t n = strlen(f->values[i]);
            char *p = vm_buf_cur(b, n + 3);
            if (!p)
                return;
            if (!first)
                *p++ = ',';
            vm_buf_commit(b, put_sym(p, f->values[i], n));
            first = false;
        }
        vm_buf_putc(b, ']');
        break;
    }
    case VM_T_STR_LIST:
        vm_buf_putc(b, '[');
        for (uint32_t i = 0; i < v->u.list.n; i++) {
            if (i)
                vm_buf_putc(b, ',');
            vm_buf_json_str(b, v->u.list.items[i]);
        }
        vm_buf_putc(b, ']');
        break;
    default: vm_buf_json_str(b, v->u.s); break;
    }
}

/* A target's name as a JSON string, or null when there is none (-1);
 * needs sizeof(fkey) bytes of room. */
static inline char *put_target(char *p, const cctx *k, int t)
{
    if (t >= 0 && t < VM_TARGET_COUNT)
        return put_key(p, &k->tvalue[t]);
    return t < 0 ? VM_LIT(p, "null") : VM_LIT(p, "\"none\""); /* as vm_target_name says */
}
/* `,"key":` and put_target, through one reservation */
#define TARGET_C(b, k, lit, t)                                                                     \
    do {                                                                                           \
        char *p_ = vm_buf_cur((b), sizeof(lit) - 1 + sizeof(fkey));                                \
        if (p_)                                                                                    \
            vm_buf_commit((b), put_target(VM_LIT(p_, lit), (k), (t)));                             \
    } while (0)

/* The names of the platforms in `tied`, comma-separated, in platform order
 * (a list's items, after its '['); needs VM_TARGET_COUNT x (1 + sizeof(fkey))
 * bytes of room. */
static char *put_ties(char *p, const cctx *k, uint16_t tied)
{
    bool first = true;
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++) {
        if (!((tied >> t) & 1u))
            continue;
        if (!first)
            *p++ = ',';
        first = false;
        p = put_target(p, k, t);
    }
    return p;
}

/* ,"platforms":{...} of a sensitivity's verdict at priority q */
static void platforms_c(vm_buf *b, const cctx *k, const vm_sensitivity *x, int q)
{
    static const int fams[3] = {VM_T_VM, VM_T_CONTAINER, VM_T_MICROVM};
    int pl[VM_PARADIGM_COUNT];
    vm_sensitivity_platforms(x, q, pl);
    char *p = vm_buf_cur(b, 16 + 3 * (2 * sizeof(fkey) + 1));
    if (!p)
        return;
    p = VM_LIT(p, RK_KEY(",", change, platforms, "{"));
    bool first = true;
    for (int i = 0; i < 3; i++) {
        if (pl[fams[i]] < 0)
            continue;
        if (!first)
            *p++ = ',';
        first = false;
        p = put_target(put_key(p, &k->target[fams[i]]), k, pl[fams[i]]);
    }
    *p++ = '}';
    vm_buf_commit(b, p);
}

/* ,{"field":...,"value":...,"line":...,"column":...} (the comma when `comma`) */
static void because_entry_c(vm_buf *b, bool comma, const vm_field_def *f, const vm_value *x)
{
    /* one reservation for the whole entry unless the value is a list or
     * free text, which the escaping writers append on their own */
    size_t pl = f->path_len, sl;
    const char *sym = scalar_sym(f, x, &sl);
    char *p = vm_buf_cur(b, pl + sl + 48 + 3 * VM_INT_MAX);
    if (!p)
        return;
    if (comma)
        *p++ = ',';
    p = VM_LIT(p, RK_KEY("{", because, field, "\""));
    p = vm_cpy(p, f->path, pl);
    p = VM_LIT(p, RK_KEY("\",", because, value, ""));
    if (is_scalar(f, x)) {
        p = put_scalar(p, f, x, sym, sl);
    } else {
        vm_buf_commit(b, p);
        value_c(b, f, x);
        p = vm_buf_cur(b, 24 + 2 * VM_INT_MAX);
        if (!p)
            return;
    }
    p = VM_LIT(p, RK_KEY(",", because, line, ""));
    p = vm_fmt_int(p, x->set ? x->line : 0);
    p = VM_LIT(p, RK_KEY(",", because, column, ""));
    p = vm_fmt_int(p, x->set ? x->col : 0);
    *p++ = '}';
    vm_buf_commit(b, p);
}

/* Whether a and b of field f write the same entry: equal line and column
 * and equal contents, strings and lists compared by identity (a copy of a
 * value shares its text; anything else is merely written again). */
static bool same_value(const vm_field_def *f, const vm_value *a, const vm_value *b)
{
    if (a == b)
        return true;
    if (a->set != b->set)
        return false;
    if (!a->set)
        return true; /* null, line 0, column 0 */
    if (a->line != b->line || a->col != b->col)
        return false;
    switch (f->type) {
    case VM_T_BOOL: return (a->u.i != 0) == (b->u.i != 0);
    case VM_T_INT:
    case VM_T_ENUM: return a->u.i == b->u.i;
    case VM_T_ENUM_LIST: return a->u.mask == b->u.mask;
    case VM_T_STR_LIST: return a->u.list.items == b->u.list.items && a->u.list.n == b->u.list.n;
    default: return a->u.s == b->u.s;
    }
}

/* The entries of a rule's "because" list, after the caller's `"because":[`,
 * then `]}`: the list and the entry holding it end together everywhere. */
static void because_c(vm_buf *b, const vm_rule *rule, const vm_values *v, fcache *fc)
{
    int fields[VM_FIELD_COUNT];
    size_t n = vm_report_because(rule, v, fields, VM_FIELD_COUNT);
    for (size_t i = 0; i < n; i++) {
        int id = fields[i];
        bool comma = i > 0;
        const vm_value *x = &v->v[id];
        const vm_field_def *f = vm_field(id);
        if (fc->len[id] && same_value(f, fc->src[id], x)) {
            char *p = vm_buf_cur(b, 1u + fc->len[id]);
            if (!p)
                return;
            if (comma)
                *p++ = ',';
            /* the earlier copy lies before p: no overlap */
            vm_buf_commit(b, vm_cpy(p, b->data + fc->off[id], fc->len[id]));
            continue;
        }
        size_t start = b->len + comma;
        because_entry_c(b, comma, f, x);
        size_t len = b->len - start;
        if (!b->oom && len <= UINT32_MAX) {
            fc->src[id] = x;
            fc->off[id] = start;
            fc->len[id] = (uint32_t)len;
        }
    }
    PUT_LIT(b, "]}");
}

/* `sep` (',' or '['), then {"key":"s": the opening of a list entry; key is
 * a literal with its quotes and colon, klen its length */
static void open_c(vm_buf *b, char sep, const char *key, size_t klen, const char *s, size_t n)
{
    char *p = vm_buf_cur(b, n + klen + 4);
    if (!p)
        return;
    *p++ = sep;
    *p++ = '{';
    p = vm_cpy(p, key, klen);
    vm_buf_commit(b, put_sym(p, s, n));
}
#define OPEN_C(b, sep, key, s, n) open_c((b), (sep), (key), sizeof(key) - 1, (s), (n))

/* {"rule":"id" (the opening of every entry below) */
static void rule_c(vm_buf *b, char sep, const vm_rule *r)
{
    OPEN_C(b, sep, RK_KEY("", reason, rule, ""), r->id, r->id_len);
}
RK_SHARED(reason, blocker, rule);
RK_SHARED(reason, risk, rule);
RK_SHARED(reason, suggestion, rule);

/* A rationale entry with everything the rule catalogue says (the full report). */
static void reason_full_c(vm_buf *b, const cctx *k, char sep, const vm_rule *r, const vm_reason *x,
                          double factor)
{
    rule_c(b, sep, r);
    C_KSTR(b, RK_KEY(",", reason, title, ""), r->title);
    const char *cat = vm_category_name(r->category);
    size_t n = strlen(cat);
    char *p = vm_buf_cur(b, n + 40 + VM_NUM_MAX + MAP_MAX(VM_TARGET_COUNT));
    if (!p)
        return;
    p = put_sym(VM_LIT(p, RK_KEY(",", reason, category, "")), cat, n);
    p = VM_LIT(p, RK_KEY(",", reason, contribution, ""));
    p = vm_fmt_num(p, x->contribution, 2);
    p = VM_LIT(p, RK_KEY(",", reason, effects, ""));
    char open = '{';
    for (int t = 0; t < VM_TARGET_COUNT; t++) {
        if (r->scores[t] == 0)
            continue;
        *p++ = open;
        open = ',';
        p = put_key(p, &k->target[t]);
        p = vm_fmt_num(p, r->scores[t] * factor, 2);
    }
    vm_buf_commit(b, open == '{' ? VM_LIT(p, "{}") : VM_LIT(p, "}"));
    C_KSTR(b, RK_KEY(",", reason, reference, ""), r->reference);
    C_KSTR(b, RK_KEY(",", reason, rationale, ""), r->rationale);
    PUT_LIT(b, RK_KEY(",", reason, because, "["));
}

static void reason_c(vm_buf *b, const cctx *k, char sep, const vm_rule *r, const vm_reason *x, double factor,
                     const vm_values *v, fcache *fc)
{
    if (k->lean) {
        /* {"rule":"id","contribution":n,"because":[ in one go */
        size_t n = r->id_len;
        char *p = vm_buf_cur(b, n + 40 + VM_NUM_MAX);
        if (!p)
            return;
        *p++ = sep;
        p = put_sym(VM_LIT(p, RK_KEY("{", reason, rule, "")), r->id, n);
        p = VM_LIT(p, RK_KEY(",", reason, contribution, ""));
        p = vm_fmt_num(p, x->contribution, 2);
        vm_buf_commit(b, VM_LIT(p, RK_KEY(",", reason, because, "[")));
    } else {
        reason_full_c(b, k, sep, r, x, factor);
    }
    because_c(b, r, v, fc);
}

static void blocker_c(vm_buf *b, const cctx *k, char sep, const vm_rule *r, const vm_values *v, fcache *fc)
{
    rule_c(b, sep, r);
    char *p = vm_buf_cur(b, 16 + VM_TARGET_COUNT * (1 + sizeof(fkey)));
    if (!p)
        return;
    p = VM_LIT(p, RK_KEY(",", blocker, excludes, ""));
    char open = '[';
    for (int t = 0; t < VM_TARGET_COUNT; t++) {
        if (!((r->excludes >> t) & 1u))
            continue;
        *p++ = open;
        open = ',';
        p = put_key(p, &k->tvalue[t]);
    }
    vm_buf_commit(b, open == '[' ? VM_LIT(p, "[]") : VM_LIT(p, "]"));
    if (!k->lean) {
        C_KSTR(b, RK_KEY(",", blocker, reference, ""), r->reference);
        C_KSTR(b, RK_KEY(",", blocker, reason, ""), r->rationale);
    }
    PUT_LIT(b, RK_KEY(",", blocker, because, "["));
    because_c(b, r, v, fc);
}

/* ,"index":k} */
RK_SHARED(risk, suggestion, index);
static void index_end_c(vm_buf *b, uint16_t index)
{
    char *p = vm_buf_cur(b, 10 + VM_INT_MAX);
    if (!p)
        return;
    p = VM_LIT(p, RK_KEY(",", risk, index, ""));
    p = vm_fmt_int(p, index);
    *p++ = '}';
    vm_buf_commit(b, p);
}

static void risk_c(vm_buf *b, const cctx *k, char sep, const vm_rule *r, uint16_t index)
{
    rule_c(b, sep, r);
    if (k->lean) {
        index_end_c(b, index);
        return;
    }
    C_KSTR(b, RK_KEY(",", risk, text, ""), r->risks[index]);
    C_KSTR(b, RK_KEY(",", risk, reference, ""), r->reference);
    vm_buf_putc(b, '}');
}

static void suggestion_c(vm_buf *b, const cctx *k, char sep, const vm_rule *r, const vm_advice *a)
{
    rule_c(b, sep, r);
    const char *topic = vm_report_topics[a->topic];
    size_t n = strlen(topic);
    char *p = vm_buf_cur(b, n + 12);
    if (!p)
        return;
    vm_buf_commit(b, put_sym(VM_LIT(p, RK_KEY(",", suggestion, topic, "")), topic, n));
    if (k->lean) {
        index_end_c(b, a->index);
        return;
    }
    C_KSTR(b, RK_KEY(",", suggestion, text, ""), r->suggests[a->index].text);
    C_KSTR(b, RK_KEY(",", suggestion, reference, ""), r->reference);
    vm_buf_putc(b, '}');
}

/* {"field":"path" */
static void field_c(vm_buf *b, char sep, const vm_field_def *f)
{
    OPEN_C(b, sep, RK_KEY("", unknown, field, ""), f->path, f->path_len);
}
RK_SHARED(unknown, counterfactual, field);

static void unknown_c(vm_buf *b, const cctx *k, char sep, const vm_variation *u)
{
    const vm_field_def *f = vm_field(u->field);
    field_c(b, sep, f);
    char *p = vm_buf_cur(b, 48 + VM_NUM_MAX);
    if (!p)
        return;
    p = VM_LIT(p, RK_KEY(",", unknown, swing, ""));
    p = vm_fmt_num(p, u->swing, 2);
    p = u->flips ? VM_LIT(p, RK_KEY(",", unknown, could_change, "true"))
                 : VM_LIT(p, RK_KEY(",", unknown, could_change, "false"));
    vm_buf_commit(b, VM_LIT(p, RK_KEY(",", unknown, example, "")));
    value_c(b, f, &u->value);
    char *q = vm_buf_cur(b, 16 + sizeof(fkey));
    if (q)
        vm_buf_commit(b, VM_LIT(put_target(VM_LIT(q, RK_KEY(",", unknown, paradigm, "")), k, u->paradigm), "}"));
}

static void counterfactual_c(vm_buf *b, const cctx *k, char sep, const vm_variation *c, const vm_values *v)
{
    const vm_field_def *f = vm_field(c->field);
    field_c(b, sep, f);
    PUT_LIT(b, RK_KEY(",", counterfactual, from, ""));
    value_c(b, f, &v->v[c->field]);
    PUT_LIT(b, RK_KEY(",", counterfactual, value, ""));
    value_c(b, f, &c->value);
    char *p = vm_buf_cur(b, 64 + 3 * sizeof(fkey) + VM_INT_MAX);
    if (!p)
        return;
    p = put_target(VM_LIT(p, RK_KEY(",", counterfactual, paradigm, "")), k, c->paradigm);
    p = put_target(VM_LIT(p, RK_KEY(",", counterfactual, platform, "")), k, c->platform);
    p = put_target(VM_LIT(p, RK_KEY(",", counterfactual, container_platform, "")), k, c->container_platform);
    p = VM_LIT(p, RK_KEY(",", counterfactual, distance, ""));
    p = vm_fmt_int(p, c->distance);
    if (c->platform >= 0 && c->platform_tied) {
        vm_buf_commit(b, VM_LIT(p, RK_KEY(",", counterfactual, platform_ties, "[")));
        p = vm_buf_cur(b, 4 + VM_TARGET_COUNT * (1 + sizeof(fkey)));
        if (!p)
            return;
        p = put_ties(p, k, c->platform_tied);
        *p++ = ']';
    }
    *p++ = '}';
    vm_buf_commit(b, p);
}

/* The end of a list whose entries each began with '[' or ',': `[]` when
 * there were none. */
static void list_end_c(vm_buf *b, bool empty)
{
    if (empty)
        PUT_LIT(b, "[]");
    else
        vm_buf_putc(b, ']');
}

/* {"category":"c","priority":q,"holds_from":q,"holds_to":q,"changes":[...]}
 * of category c (after `sep`) */
static void sensitivity_c(vm_buf *b, const cctx *k, char sep, int c, const vm_sensitivity *x)
{
    int q0 = x->priority;
    /* priorities are single digits */
    char *p = vm_buf_cur(b, 80 + sizeof(fkey));
    if (!p)
        return;
    *p++ = sep;
    p = put_name(VM_LIT(p, RK_KEY("{", sensitivity, category, "")), &k->category[c]);
    p = VM_LIT(p, RK_KEY(",", sensitivity, priority, ""));
    *p++ = (char)('0' + q0);
    p = VM_LIT(p, RK_KEY(",", sensitivity, holds_from, ""));
    *p++ = (char)('0' + x->holds_from);
    p = VM_LIT(p, RK_KEY(",", sensitivity, holds_to, ""));
    *p++ = (char)('0' + x->holds_to);
    vm_buf_commit(b, VM_LIT(p, RK_KEY(",", sensitivity, changes, "")));
    bool any = false;
    for (int q = 0; q <= VM_PRIORITY_MAX; q++) {
        if (vm_sensitivity_same(x, q, q0))
            continue;
        char *e = vm_buf_cur(b, 16);
        if (!e)
            return;
        *e++ = any ? ',' : '[';
        e = VM_LIT(e, RK_KEY("{", change, priority, ""));
        *e++ = (char)('0' + q);
        vm_buf_commit(b, e);
        any = true;
        TARGET_C(b, k, RK_KEY(",", change, paradigm, ""), x->paradigm[q]);
        TARGET_C(b, k, RK_KEY(",", change, platform, ""), x->platform[q]);
        TARGET_C(b, k, RK_KEY(",", change, container_platform, ""), x->container_platform[q]);
        platforms_c(b, k, x, q);
        vm_buf_putc(b, '}');
    }
    if (any)
        PUT_LIT(b, "]}");
    else
        PUT_LIT(b, "[]}");
}

/* The members of an evaluation, from ,"scores" to ,"sensitivity":[...]. */
static void evaluation_c(vm_buf *b, cctx *k, const vm_report *rep, const vm_eval_report *ev)
{
    const vm_ruleset *rs = rep->rules;
    fcache *fc = &k->fc;
    scores_c(b, k, ev);

    PUT_LIT(b, RK_KEY(",", evaluation, rationale, ""));
    for (uint32_t i = 0; i < ev->nreasons; i++) {
        const vm_reason *x = &ev->reasons[i];
        const vm_rule *r = vm_ruleset_rule(rs, x->rule);
        reason_c(b, k, i ? ',' : '[', r, x, ev->factor[r->category], ev->values, fc);
    }
    list_end_c(b, ev->nreasons == 0);

    PUT_LIT(b, RK_KEY(",", evaluation, blockers, ""));
    char sep = '[';
    for (uint32_t i = 0; i < ev->nfired; i++) {
        const vm_rule *r = vm_ruleset_rule(rs, ev->fired[i]);
        if (!r->excludes)
            continue;
        blocker_c(b, k, sep, r, ev->values, fc);
        sep = ',';
    }
    list_end_c(b, sep == '[');

    PUT_LIT(b, RK_KEY(",", evaluation, risks, ""));
    for (uint32_t i = 0; i < ev->nrisks; i++)
        risk_c(b, k, i ? ',' : '[', vm_ruleset_rule(rs, ev->risks[i].rule), ev->risks[i].index);
    list_end_c(b, ev->nrisks == 0);

    PUT_LIT(b, RK_KEY(",", evaluation, suggestions, ""));
    for (uint32_t i = 0; i < ev->nsuggestions; i++)
        suggestion_c(b, k, i ? ',' : '[', vm_ruleset_rule(rs, ev->suggestions[i].rule), &ev->suggestions[i]);
    list_end_c(b, ev->nsuggestions == 0);

    PUT_LIT(b, RK_KEY(",", evaluation, unknowns, ""));
    for (uint32_t i = 0; i < ev->nunknowns; i++)
        unknown_c(b, k, i ? ',' : '[', &ev->unknowns[i]);
    list_end_c(b, ev->nunknowns == 0);

    PUT_LIT(b, RK_KEY(",", evaluation, counterfactuals, ""));
    for (uint32_t i = 0; i < ev->ncf; i++)
        counterfactual_c(b, k, i ? ',' : '[', &ev->cf[i], ev->values);
    list_end_c(b, ev->ncf == 0);

    PUT_LIT(b, RK_KEY(",", evaluation, sensitivity, ""));
    for (int c = 0; c < VM_CAT_COUNT && ev->has_sensitivity; c++)
        sensitivity_c(b, k, c ? ',' : '[', c, &ev->sensitivity[c]);
    list_end_c(b, !ev->has_sensitivity);
}

/* ,"recommendation":{...} of the report or a component */
RK_SHARED(body, component, recommendation);
static void recommendation_c(vm_buf *b, const cctx *k, const vm_verdict *v)
{
    static const int fams[3] = {VM_T_VM, VM_T_CONTAINER, VM_T_MICROVM};
    char *p = vm_buf_cur(b, 320 + 20 * sizeof(fkey) + 4 * VM_NUM_MAX + VM_INT_MAX);
    if (!p)
        return;
    p = put_target(VM_LIT(p, RK_KEY2(",", body, recommendation, "{", recommendation, paradigm, "")), k, v->paradigm);
    p = put_target(VM_LIT(p, RK_KEY(",", recommendation, platform, "")), k, v->platform);
    p = put_target(VM_LIT(p, RK_KEY(",", recommendation, container_platform, "")), k, v->container_platform);
    p = vm_fmt_num(VM_LIT(p, RK_KEY(",", recommendation, confidence, "")), v->confidence, 2);
    p = put_target(VM_LIT(p, RK_KEY(",", recommendation, runner_up, "")), k, v->runner_up);
    if (v->single)
        p = vm_fmt_num(VM_LIT(p, RK_KEY(",", recommendation, margin, "")), v->margin, 2);
    p = VM_LIT(p, RK_KEY(",", recommendation, platforms, "{"));
    bool first = true;
    for (int i = 0; i < 3; i++) {
        if (v->platforms[fams[i]] < 0)
            continue;
        if (!first)
            *p++ = ',';
        first = false;
        p = put_target(put_key(p, &k->target[fams[i]]), k, v->platforms[fams[i]]);
    }
    p = put_ties(VM_LIT(p, RK_KEY("},", recommendation, platform_ties, "[")), k, v->platform_tied);
    p = vm_fmt_num(VM_LIT(p, RK_KEY("],", recommendation, platform_confidence, "")), v->platform_confidence, 2);
    if (v->single)
        p = vm_fmt_num(VM_LIT(p, RK_KEY(",", recommendation, platform_margin, "")), v->platform_margin, 2);
    p = vm_fmt_int(VM_LIT(p, RK_KEY(",", recommendation, evidence, "")), v->evidence);
    p = v->evidence >= VM_MIN_EVIDENCE ? VM_LIT(p, RK_KEY(",", recommendation, enough_evidence, "true}"))
                                       : VM_LIT(p, RK_KEY(",", recommendation, enough_evidence, "false}"));
    vm_buf_commit(b, p);
}

/* `,"key":` and an integer */
static void kint_c(vm_buf *b, const char *key, size_t kl, long long v)
{
    char *p = vm_buf_cur(b, kl + VM_INT_MAX);
    if (p)
        vm_buf_commit(b, vm_fmt_int(vm_cpy(p, key, kl), v));
}
#define KINT_C(b, lit, v) kint_c((b), (lit), sizeof(lit) - 1, (v))

/* The members of a report, after the caller's `{`. */
static void body_c(vm_buf *b, cctx *k, const vm_report *r)
{
    const vm_profile *p = r->profile;
    if (k->lean)
        PUT_LIT(b, RK_KEY2("", body, schema, "\"" RK_REPORT_SCHEMA "\",", body, lean, "true"));
    else
        PUT_LIT(b, RK_KEY("", body, schema, "\"" RK_REPORT_SCHEMA "\""));
    PUT_LIT(b, RK_KEY4(",", body, tool, "{", tool, name, "\"" RK_TOOL_NAME "\",", tool, version,
                       "\"" VMCTR_VERSION "\",", tool, rules_digest, ""));
    /* "sha256:<hex>" (rules.h): nothing to escape */
    const char *digest = vm_ruleset_digest(r->rules);
    size_t dn = strlen(digest);
    char *dp = vm_buf_cur(b, dn + 2);
    if (dp)
        vm_buf_commit(b, put_sym(dp, digest, dn));
    KINT_C(b, RK_KEY(",", tool, rules, ""), (long long)vm_ruleset_count(r->rules));
    C_KSTR(b, RK_KEY2("},", body, profile, "{", profile, name, ""),
           p->values.v[VM_F_META_NAME].set ? p->values.v[VM_F_META_NAME].u.s : NULL);
    C_KSTR(b, RK_KEY(",", profile, file, ""), p->file);
    KINT_C(b, RK_KEY(",", profile, document, ""), p->doc_index);
    KINT_C(b, RK_KEY(",", profile, line, ""), p->line);
    vm_buf_putc(b, '}');
    vm_verdict vd;
    vm_report_verdict(r, &vd);
    recommendation_c(b, k, &vd);
    TARGET_C(b, k, RK_KEY2(",", body, decision, "{", decision, paradigm, ""), vm_report_proposed_paradigm(&p->values));
    TARGET_C(b, k, RK_KEY(",", decision, platform, ""), vm_report_proposed_platform(&p->values));
    vm_buf_putc(b, '}');
    evaluation_c(b, k, r, &r->main);
    PUT_LIT(b, RK_KEY(",", body, components, ""));
    for (uint32_t i = 0; i < r->ncomponents; i++) {
        const vm_component_report *c = &r->components[i];
        if (i)
            C_KSTR(b, RK_KEY(",{", component, name, ""), c->comp->name);
        else
            C_KSTR(b, RK_KEY("[{", component, name, ""), c->comp->name);
        KINT_C(b, RK_KEY(",", component, line, ""), c->comp->line);
        vm_eval_verdict(&c->ev, &vd);
        recommendation_c(b, k, &vd);
        evaluation_c(b, k, r, &c->ev);
        vm_buf_putc(b, '}');
    }
    list_end_c(b, r->ncomponents == 0);
}

/* One compact report, lean (NDJSON) or full (the pretty report before reindent). */
static void render_c(const vm_report *r, vm_buf *b, bool lean)
{
    cctx k;
    cctx_init(&k, lean);
    vm_buf_putc(b, '{');
    body_c(b, &k, r);
    if (r->what_if) {
        PUT_LIT(b, RK_KEY2(",", report, what_if, "{", what_if, set, "["));
        for (uint32_t i = 0; i < r->nwhat_if; i++) {
            if (i)
                vm_buf_putc(b, ',');
            vm_buf_json_str(b, r->what_if_set[i]);
        }
        PUT_LIT(b, RK_KEY("],", what_if, report, "{"));
        body_c(b, &k, r->what_if);
        PUT_LIT(b, "}}");
    }
    PUT_LIT(b, "}\n");
}

/*
 * The pretty form is the compact form re-indented: two spaces per level,
 * `": "` after a key, an empty object or list as `{}` / `[]` (what a
 * streaming writer with indentation writes). Strings are copied as they
 * are: escaped JSON holds no raw newline or structural character outside
 * its quotes, so the structure is all that changes, never a key or value.
 */
enum { MAX_DEPTH = 16 }; /* the report nests 8 levels deep */

static inline bool structural(char c)
{
    return c == '"' || c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':';
}

/* The end of the string whose opening quote is at s[i]: past its closing
 * quote (one not escaped by an odd run of backslashes). */
static size_t string_end(const char *s, size_t i, size_t n)
{
    for (size_t j = i + 1; j < n;) {
        const char *q = memchr(s + j, '"', n - j);
        if (!q)
            return n;
        size_t k = (size_t)(q - s), bs = 0;
        while (k - bs > i + 1 && s[k - bs - 1] == '\\')
            bs++;
        if (bs % 2 == 0)
            return k + 1;
        j = k + 1;
    }
    return n;
}

static void reindent(vm_buf *b, const char *s, size_t n)
{
    static const char nl[] = "\n                                ";
    _Static_assert(sizeof nl - 2 == 2 * MAX_DEPTH, "one newline and two spaces per level");
    int depth = 0;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && !structural(s[j]))
            j++;
        /* the run before the structural character, then that character
         * with its newline and indentation, through one reservation */
        char *p = vm_buf_cur(b, j - i + 2 + 2 * MAX_DEPTH);
        if (!p)
            return;
        p = vm_cpy(p, s + i, j - i);
        i = j;
        if (i == n) {
            vm_buf_commit(b, p);
            break;
        }
        char c = s[i++];
        switch (c) {
        case '"': {
            vm_buf_commit(b, p);
            size_t e = string_end(s, i - 1, n);
            vm_buf_put(b, s + i - 1, e - (i - 1));
            i = e;
            continue;
        }
        case '{':
        case '[':
            *p++ = c;
            if (i < n && s[i] == (c == '{' ? '}' : ']')) {
                *p++ = s[i++]; /* {} and [] stay on one line */
                break;
            }
            depth += depth < MAX_DEPTH;
            p = vm_cpy(p, nl, 1 + 2 * (size_t)depth);
            break;
        case '}':
        case ']':
            depth -= depth > 0;
            p = vm_cpy(p, nl, 1 + 2 * (size_t)depth);
            *p++ = c;
            break;
        case ',':
            *p++ = ',';
            p = vm_cpy(p, nl, 1 + 2 * (size_t)depth);
            break;
        default: /* ':' */
            *p++ = ':';
            *p++ = ' ';
            break;
        }
        vm_buf_commit(b, p);
    }
}

void vm_render_json(const vm_report *r, vm_buf *b)
{
    /* compact at the end of b (whose capacity is reused from report to
     * report), moved aside, then re-indented in its place */
    size_t start = b->len;
    render_c(r, b, false);
    size_t n = b->len - start;
    char *c = b->oom ? NULL : malloc(n ? n : 1);
    if (!c) {
        b->oom = true;
        return;
    }
    memcpy(c, b->data + start, n);
    b->len = start;
    reindent(b, c, n);
    free(c);
}

void vm_render_ndjson(const vm_report *r, vm_buf *b) { render_c(r, b, true); }
