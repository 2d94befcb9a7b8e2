/*
 * rules.c - loads, checks and compiles rule files (format: docs/rules.md).
 *
 * A rule set owns one arena that holds every string and compiled condition
 * of its rules; the rule array itself grows by doubling up to
 * VM_LIMIT_RULES. Conditions are checked against the field table as they
 * are read, so that a rule naming an unknown field or value never loads.
 */
#include "vmctr/rules.h"
#include "vmctr/arena.h"
#include "vmctr/report.h"
#include "vmctr/sys/builtin.h"
#include "scalar.h"
#include "util/grow.h"
#include "util/sha256.h"
#include "yreader.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct vm_ruleset {
    vm_arena *a;
    vm_rule *rules;
    size_t n, cap;
    vm_sha256 sha;
    char digest[72];
    uint16_t *readers[VM_FIELD_COUNT];
    size_t nreaders[VM_FIELD_COUNT];
    bool finished;
};

/* Readers, id_rank and report entries hold rule indices as uint16_t; node
 * counts and skips of one rule as uint16_t. */
_Static_assert(VM_LIMIT_RULES - 1 <= UINT16_MAX, "rule indices are uint16_t");
_Static_assert(VM_LIMIT_RULE_NODES <= UINT16_MAX, "condition node indices are uint16_t");

static const char *const op_names[] = {"eq", "ne", "in", "not_in", "gt", "gte",
                                       "lt", "lte", "contains", "known", "unknown"};
#define NOPS (sizeof op_names / sizeof *op_names)

static const char *const rule_keys[] = {"id", "title", "category", "reference", "rationale", "when",
                                        "scores", "excludes", "suggests", "risks", "applies_to"};
enum { K_ID, K_TITLE, K_CATEGORY, K_REFERENCE, K_RATIONALE, K_WHEN, K_SCORES, K_EXCLUDES,
       K_SUGGESTS, K_RISKS, K_APPLIES, K_COUNT };

/* "a, b, c": the names of a table, for messages that list the choices (so
 * that a new category or topic needs no message edited). */
static const char *join_names(char *buf, size_t cap, const char *const *names, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? ", " : "", names[i]);
    return buf;
}

static const char *category_list(char *buf, size_t cap)
{
    const char *cats[VM_CAT_COUNT];
    for (int i = 0; i < VM_CAT_COUNT; i++)
        cats[i] = vm_category_name(i);
    return join_names(buf, cap, cats, VM_CAT_COUNT);
}

vm_ruleset *vm_ruleset_new(void)
{
    vm_ruleset *rs = calloc(1, sizeof *rs);
    if (!rs)
        return NULL;
    rs->a = vm_arena_new();
    if (!rs->a) {
        free(rs);
        return NULL;
    }
    vm_sha256_init(&rs->sha);
    return rs;
}

void vm_ruleset_free(vm_ruleset *rs)
{
    if (!rs)
        return;
    vm_arena_free(rs->a);
    free(rs->rules);
    free(rs);
}

size_t vm_ruleset_count(const vm_ruleset *rs) { return rs->n; }
const vm_rule *vm_ruleset_rule(const vm_ruleset *rs, size_t i) { return i < rs->n ? &rs->rules[i] : NULL; }
const char *vm_ruleset_digest(const vm_ruleset *rs) { return rs->digest; }

bool vm_cond_values(const vm_cond *c, uint32_t *out)
{
    if (c->op > VM_OP_LTE || c->field < 0 || c->field >= VM_FIELD_COUNT)
        return false;
    const vm_field_def *f = vm_field(c->field);
    if (f->type != VM_T_BOOL && (f->type != VM_T_ENUM || f->nvalues > 32))
        return false;
    int n = f->type == VM_T_BOOL ? 2 : f->nvalues;
    bool ordered = c->op >= VM_OP_GT;
    if (ordered && f->type == VM_T_ENUM && !f->rank)
        return false;
    uint32_t m = 0;
    for (int i = 0; i < n; i++) {
        int64_t a = ordered && f->type == VM_T_ENUM ? f->rank[i] : i;
        bool t;
        switch (c->op) {
        case VM_OP_EQ: t = i == c->num; break;
        case VM_OP_NE: t = i != c->num; break;
        case VM_OP_IN: t = (c->mask >> i) & 1u; break;
        case VM_OP_NOT_IN: t = !((c->mask >> i) & 1u); break;
        case VM_OP_GT: t = a > c->num; break;
        case VM_OP_GTE: t = a >= c->num; break;
        case VM_OP_LT: t = a < c->num; break;
        default: t = a <= c->num; break;
        }
        if (t)
            m |= 1u << i;
    }
    *out = m;
    return true;
}

const vm_rule *vm_ruleset_find(const vm_ruleset *rs, const char *id)
{
    for (size_t i = 0; i < rs->n; i++)
        if (strcmp(rs->rules[i].id, id) == 0)
            return &rs->rules[i];
    return NULL;
}

const char *vm_ruleset_suggest(const vm_ruleset *rs, const char *id)
{
    size_t n = rs->n;
    const char **ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids)
        return NULL;
    for (size_t i = 0; i < n; i++)
        ids[i] = rs->rules[i].id;
    const char *s = vm_suggest(id, ids, n);
    /* "frequent-release" for "delivery.frequent-releases": try the slugs */
    if (!s && !strchr(id, '.')) {
        for (size_t i = 0; i < n; i++) {
            const char *dot = strchr(ids[i], '.');
            ids[i] = dot ? dot + 1 : ids[i];
        }
        const char *t = vm_suggest(id, ids, n);
        for (size_t i = 0; t && i < n; i++)
            if (ids[i] == t)
                s = rs->rules[i].id;
    }
    free(ids);
    return s;
}

const uint16_t *vm_ruleset_readers(const vm_ruleset *rs, int field, size_t *n)
{
    if (field < 0 || field >= VM_FIELD_COUNT) {
        *n = 0;
        return NULL;
    }
    *n = rs->nreaders[field];
    return rs->readers[field];
}

/* ---- conditions ------------------------------------------------------------ */

typedef struct {
    yreader r;
    vm_cond nodes[VM_LIMIT_RULE_NODES];
    uint16_t n;
    uint64_t reads;
    const char *rule_id;
} cctx;

/* a leaf's value, buffered until field and op are known */
typedef struct {
    bool present, is_list;
    uint32_t line, col, n;
    char *items[32];
    bool plain[32];
    uint32_t ilines[32], icols[32];
} leafval;

static bool read_leafval(cctx *c, leafval *lv, const char *path)
{
    yreader *r = &c->r;
    lv->present = true;
    lv->line = r->ev.line;
    lv->col = r->ev.col;
    if (r->ev.kind == YE_SCALAR) {
        lv->n = 1;
        lv->items[0] = vm_arena_strndup(r->a, r->ev.text, r->ev.len);
        lv->plain[0] = r->ev.plain;
        lv->ilines[0] = r->ev.line;
        lv->icols[0] = r->ev.col;
        return lv->items[0] != NULL || yr_nomem(r);
    }
    if (r->ev.kind != YE_SEQ_START) {
        yr_err(r, r->ev.line, r->ev.col, path, "value must be a scalar or a list of scalars");
        return yr_skip(r) && false;
    }
    lv->is_list = true;
    while (yr_next(r) && r->ev.kind != YE_SEQ_END) {
        if (r->ev.kind != YE_SCALAR) {
            yr_err(r, r->ev.line, r->ev.col, path, "list items must be scalars");
            if (!yr_skip(r))
                return false;
            continue;
        }
        if (lv->n >= 32) {
            yr_err(r, r->ev.line, r->ev.col, path, "more than 32 values");
            r->fatal = true;
            return false;
        }
        if (!(lv->items[lv->n] = vm_arena_strndup(r->a, r->ev.text, r->ev.len)))
            return yr_nomem(r);
        lv->plain[lv->n] = r->ev.plain;
        lv->ilines[lv->n] = r->ev.line;
        lv->icols[lv->n] = r->ev.col;
        lv->n++;
    }
    return !r->fatal;
}

static void field_candidates(const char **cands, size_t *n)
{
    *n = 0;
    for (int i = 0; i < VM_FIELD_COUNT; i++)
        if (vm_field(i)->category >= 0)
            cands[(*n)++] = vm_field(i)->path + 5;
}

/* Converts one scalar of a leaf value for field f. Returns false (reported). */
static bool leaf_scalar(cctx *c, const vm_field_def *f, const leafval *lv, uint32_t i, int op,
                        int64_t *num, const char *path)
{
    yreader *r = &c->r;
    const char *t = lv->items[i];
    size_t tl = strlen(t);
    switch (f->type) {
    case VM_T_BOOL: {
        int b = lv->plain[i] ? vm_scalar_bool(t, tl) : -1;
        if (b < 0) {
            yr_err(r, lv->ilines[i], lv->icols[i], path, "%s is a boolean: expected true or false, found '%s'",
                   f->path + 5, t);
            return false;
        }
        *num = b;
        return true;
    }
    case VM_T_INT: {
        const char *why = NULL;
        if (!lv->plain[i] || !vm_scalar_int(t, tl, num, &why)) {
            yr_err(r, lv->ilines[i], lv->icols[i], path, "%s is an integer: found '%s'", f->path + 5, t);
            return false;
        }
        return true;
    }
    case VM_T_ENUM:
    case VM_T_ENUM_LIST: {
        int idx = vm_field_enum_index(f, t, tl);
        if (idx < 0) {
            char vals[300];
            size_t n = 0;
            vals[0] = '\0';
            for (int k = 0; k < f->nvalues; k++)
                n += (size_t)snprintf(vals + n, sizeof vals - n, "%s%s", k ? ", " : "", f->values[k]);
            const char *s = vm_suggest(t, f->values, f->nvalues);
            yr_err(r, lv->ilines[i], lv->icols[i], path, "'%s' is not a value of %s (one of %s)%s%s%s", t,
                   f->path + 5, vals, s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
            return false;
        }
        *num = (op >= VM_OP_GT && op <= VM_OP_LTE) ? f->rank[idx] : idx;
        return true;
    }
    default:
        *num = 0;
        return true;
    }
}

static bool compile_leaf(cctx *c, vm_cond *node, int field, uint32_t fline, uint32_t fcol, int op,
                         uint32_t oline, uint32_t ocol, leafval *lv, const char *path)
{
    yreader *r = &c->r;
    const vm_field_def *f = vm_field(field);
    node->field = (int16_t)field;
    node->op = (uint8_t)op;
    c->reads |= UINT64_C(1) << field;
    (void)fline;
    (void)fcol;
    bool noval = op == VM_OP_KNOWN || op == VM_OP_UNKNOWN;
    if (noval) {
        if (lv->present) {
            yr_err(r, lv->line, lv->col, path, "op '%s' takes no value", op_names[op]);
            return false;
        }
        return true;
    }
    if (!lv->present) {
        yr_err(r, oline, ocol, path, "op '%s' needs a value", op_names[op]);
        return false;
    }
    /* which ops fit which types */
    bool ok;
    const char *want = "";
    switch (f->type) {
    case VM_T_BOOL: ok = op == VM_OP_EQ || op == VM_OP_NE; want = "eq, ne, known, unknown"; break;
    case VM_T_INT: ok = op <= VM_OP_NE || (op >= VM_OP_GT && op <= VM_OP_LTE);
        want = "eq, ne, gt, gte, lt, lte, known, unknown"; break;
    case VM_T_ENUM:
        ok = op <= VM_OP_NOT_IN || (f->rank && op >= VM_OP_GT && op <= VM_OP_LTE);
        want = f->rank ? "eq, ne, in, not_in, gt, gte, lt, lte, known, unknown"
                       : "eq, ne, in, not_in, known, unknown (it is not an ordered field)";
        break;
    case VM_T_ENUM_LIST:
    case VM_T_STR_LIST: ok = op == VM_OP_CONTAINS; want = "contains, known, unknown"; break;
    default: ok = false; break;
    }
    if (!ok) {
        yr_err(r, oline, ocol, path, "op '%s' does not apply to %s; use %s", op_names[op], f->path + 5,
               want);
        return false;
    }
    bool list_op = op == VM_OP_IN || op == VM_OP_NOT_IN;
    if (list_op != lv->is_list) {
        yr_err(r, lv->line, lv->col, path, list_op ? "op '%s' needs a list value" : "op '%s' needs a single value",
               op_names[op]);
        return false;
    }
    if (list_op) {
        if (lv->n == 0) {
            yr_err(r, lv->line, lv->col, path, "op '%s' needs at least one value", op_names[op]);
            return false;
        }
        for (uint32_t i = 0; i < lv->n; i++) {
            int64_t idx;
            if (!leaf_scalar(c, f, lv, i, op, &idx, path))
                return false;
            node->mask |= 1u << idx;
        }
        return true;
    }
    if (op == VM_OP_CONTAINS && f->type == VM_T_STR_LIST) {
        node->str = lv->items[0];
        return true;
    }
    int64_t num;
    if (!leaf_scalar(c, f, lv, 0, op, &num, path))
        return false;
    if (op == VM_OP_CONTAINS)
        node->mask = 1u << num;
    else
        node->num = num;
    return true;
}

static bool compile_cond(cctx *c, const char *path, int depth);

/* r->ev is the first child of a composite; read children up to SEQ_END (or
 * a single mapping for `not`). */
static bool compile_kids(cctx *c, uint16_t self, bool single, const char *path, int depth)
{
    yreader *r = &c->r;
    if (single) {
        if (!compile_cond(c, path, depth + 1))
            return false;
        c->nodes[self].nkids = 1;
        return true;
    }
    if (r->ev.kind != YE_SEQ_START) {
        yr_err(r, r->ev.line, r->ev.col, path, "'%s' takes a list of conditions",
               c->nodes[self].op == VM_OP_ALL ? "all" : "any");
        yr_skip(r);
        return false;
    }
    uint32_t n = 0;
    bool ok = true;
    while (yr_next(r) && r->ev.kind != YE_SEQ_END) {
        if (!compile_cond(c, path, depth + 1))
            ok = false;
        if (r->fatal)
            return false;
        n++;
    }
    if (n == 0) {
        yr_err(r, r->ev.line, r->ev.col, path, "empty list of conditions");
        ok = false;
    }
    if (n > 255)
        ok = false;
    c->nodes[self].nkids = (uint8_t)n;
    return ok && !r->fatal;
}

/* A condition's keys: a composite (all, any, not) or a leaf (field, op,
 * value). */
enum { CK_ALL, CK_ANY, CK_NOT, CK_FIELD, CK_OP, CK_VALUE, CK_COUNT };
static const char *const cond_keys[CK_COUNT] = {"all", "any", "not", "field", "op", "value"};

typedef struct {
    bool *ok, *misspelt_leaf;
} cond_unknown;

/* An unknown key in a condition: the usual report, and a misspelt field or
 * op is reported once, not also as missing. */
static bool cond_key_unknown(yreader *r, const yr_path *where, void *ctx)
{
    (void)where;
    cond_unknown *cu = ctx;
    char word[80];
    const char *sg = vm_suggest(yr_text(r, word, sizeof word), cond_keys, CK_COUNT);
    if (sg && (strcmp(sg, "field") == 0 || strcmp(sg, "op") == 0))
        *cu->misspelt_leaf = true;
    *cu->ok = false;
    return false;
}

static bool compile_cond(cctx *c, const char *path, int depth)
{
    yreader *r = &c->r;
    if (depth > 8) {
        yr_err(r, r->ev.line, r->ev.col, path, "conditions nested deeper than 8 levels");
        r->fatal = true;
        return false;
    }
    if (r->ev.kind != YE_MAP_START) {
        yr_err(r, r->ev.line, r->ev.col, path,
               "a condition is a mapping: {all: [...]}, {any: [...]}, {not: ...} or {field, op, value}");
        yr_skip(r);
        return false;
    }
    if (c->n >= VM_LIMIT_RULE_NODES) {
        yr_err(r, r->ev.line, r->ev.col, path, "more than %u condition nodes", VM_LIMIT_RULE_NODES);
        r->fatal = true;
        return false;
    }
    uint16_t self = c->n++;
    vm_cond *node = &c->nodes[self];
    memset(node, 0, sizeof *node);
    uint32_t mline = r->ev.line, mcol = r->ev.col;
    int field = -1, op = -1, composite = -1;
    uint32_t fline = 0, fcol = 0, oline = 0, ocol = 0;
    leafval lv;
    memset(&lv, 0, sizeof lv);
    bool ok = true, misspelt_leaf = false;
    const yr_path where = {NULL, path, 0};
    cond_unknown cu = {&ok, &misspelt_leaf};
    yr_keys it = {.words = cond_keys, .n = CK_COUNT, .unknown = cond_key_unknown, .ctx = &cu};
    for (int k; (k = yr_each_key(r, &where, &it)) >= 0;) {
        uint32_t kl = it.line, kc = it.col;
        if (k == CK_ALL || k == CK_ANY || k == CK_NOT) {
            if (composite >= 0 || field >= 0 || op >= 0) {
                yr_err(r, kl, kc, path, "a condition has exactly one of all, any, not, or a field/op leaf");
                ok = false;
                if (!yr_skip(r))
                    return false;
                continue;
            }
            composite = k;
            node->op = (uint8_t)(k == CK_ALL ? VM_OP_ALL : k == CK_ANY ? VM_OP_ANY : VM_OP_NOT);
            char sub[160];
            snprintf(sub, sizeof sub, "%s.%s", path, cond_keys[k]);
            if (!compile_kids(c, self, k == CK_NOT, sub, depth))
                ok = false;
            if (r->fatal)
                return false;
            node = &c->nodes[self];
            continue;
        }
        if (composite >= 0) {
            yr_err(r, kl, kc, path, "a condition has exactly one of all, any, not, or a field/op leaf");
            ok = false;
            if (!yr_skip(r))
                return false;
            continue;
        }
        char word[96];
        if (k == CK_FIELD || k == CK_OP) {
            if (r->ev.kind != YE_SCALAR) {
                yr_err(r, r->ev.line, r->ev.col, path, "'%s' must be a string", cond_keys[k]);
                ok = false;
                if (!yr_skip(r))
                    return false;
                continue;
            }
            yr_text(r, word, sizeof word);
        }
        if (k == CK_FIELD) {
            fline = r->ev.line;
            fcol = r->ev.col;
            field = vm_field_find(word, strlen(word));
            if (field >= 0 && vm_field(field)->category < 0)
                field = -2;
            if (field < 0) {
                const char *cands[VM_FIELD_COUNT];
                size_t nc;
                field_candidates(cands, &nc);
                const char *w = strncmp(word, "spec.", 5) == 0 ? word + 5 : word;
                const char *s = vm_suggest(w, cands, nc);
                yr_err(r, fline, fcol, path, "unknown field '%s'%s%s%s", word, s ? " (did you mean '" : "",
                       s ? s : "", s ? "'?)" : "");
                ok = false;
                field = -2;
            }
        } else if (k == CK_OP) {
            oline = r->ev.line;
            ocol = r->ev.col;
            op = -2;
            for (size_t i = 0; i < NOPS; i++)
                if (strcmp(op_names[i], word) == 0)
                    op = (int)i;
            if (op < 0) {
                const char *s = vm_suggest(word, op_names, NOPS);
                yr_err(r, oline, ocol, path,
                       "unknown op '%s'%s%s%s; the ops are eq, ne, in, not_in, gt, gte, lt, lte, contains, "
                       "known and unknown",
                       word, s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
                ok = false;
            }
        } else {
            if (!read_leafval(c, &lv, path))
                ok = false;
            if (r->fatal)
                return false;
        }
    }
    if (r->fatal)
        return false;
    if (composite >= 0) {
        node->skip = (uint16_t)(c->n - self);
        return ok;
    }
    if (field == -1 || op == -1) {
        if (!misspelt_leaf)
            yr_err(r, mline, mcol, path, "a leaf condition needs 'field' and 'op'");
        return false;
    }
    if (!ok || field < 0 || op < 0)
        return false;
    node->skip = 1;
    return compile_leaf(c, node, field, fline, fcol, op, oline, ocol, &lv, path);
}

/* ---- rules ------------------------------------------------------------------ */

static bool read_string(yreader *r, const char *path, const char **out)
{
    if (r->ev.kind != YE_SCALAR || yr_is_null(&r->ev)) {
        yr_err(r, r->ev.line, r->ev.col, path, "expected a string, found %s",
               yr_is_null(&r->ev) ? "null" : yr_kind_name(r->ev.kind));
        yr_skip(r);
        return false;
    }
    *out = vm_arena_strndup(r->a, r->ev.text, r->ev.len);
    return *out != NULL || yr_nomem(r);
}

/* The paradigm or platform the scalar at r->ev names (its text into
 * word), or -1 after "unknown paradigm or platform" at line:col. */
static int target_of(yreader *r, char *word, size_t cap, uint32_t line, uint32_t col, const char *path)
{
    yr_text(r, word, cap);
    int t = vm_target_find(word, strlen(word));
    if (t < 0) {
        const char *cands[VM_TARGET_COUNT];
        for (int i = 0; i < VM_TARGET_COUNT; i++)
            cands[i] = vm_target_name(i);
        const char *s = vm_suggest(word, cands, VM_TARGET_COUNT);
        yr_err(r, line, col, path, "unknown paradigm or platform '%s'%s%s%s", word, s ? " (did you mean '" : "",
               s ? s : "", s ? "'?)" : "");
    }
    return t;
}

static bool read_targets(yreader *r, const char *path, uint16_t *mask)
{
    if (yr_is_null(&r->ev))
        return true;
    if (!yr_expect_list(r, path, "paradigm or platform ids"))
        return false;
    bool ok = true;
    while (yr_next(r) && r->ev.kind != YE_SEQ_END) {
        char word[64];
        if (r->ev.kind != YE_SCALAR) {
            yr_err(r, r->ev.line, r->ev.col, path, "expected a paradigm or platform id");
            ok = false;
            if (!yr_skip(r))
                return false;
            continue;
        }
        int t = target_of(r, word, sizeof word, r->ev.line, r->ev.col, path);
        if (t < 0) {
            ok = false;
            continue;
        }
        *mask |= (uint16_t)(1u << t);
    }
    return ok && !r->fatal;
}

static bool read_scores(yreader *r, const char *path, float *scores)
{
    if (!yr_expect_map(r, path))
        return !r->fatal;
    bool ok = true;
    uint32_t count = 0;
    bool seen[VM_TARGET_COUNT] = {false};
    while (yr_next_key(r, path, &count)) {
        char word[64];
        uint32_t kl = r->ev.line, kc = r->ev.col;
        int t = target_of(r, word, sizeof word, kl, kc, path);
        if (t < 0) {
            ok = false;
        } else if (seen[t]) {
            yr_err(r, kl, kc, path, "duplicate key '%s'", word);
            ok = false;
            t = -1;
        }
        if (!yr_next(r))
            return false;
        if (r->ev.kind != YE_SCALAR || !r->ev.plain) {
            yr_err(r, r->ev.line, r->ev.col, path, "a weight is a number between -100 and 100");
            ok = false;
            if (!yr_skip(r))
                return false;
            continue;
        }
        char num[64], *end = NULL;
        yr_text(r, num, sizeof num);
        double v = strtod(num, &end);
        if (!num[0] || *end || v < -100 || v > 100 || v != v) {
            yr_err(r, r->ev.line, r->ev.col, path, "a weight is a number between -100 and 100, found '%s'", num);
            ok = false;
            continue;
        }
        if (t >= 0) {
            seen[t] = true;
            scores[t] = (float)v;
        }
    }
    return ok && !r->fatal;
}

static bool read_strings(yreader *r, const char *path, const char *const **out, uint16_t *n)
{
    if (yr_is_null(&r->ev))
        return true;
    if (!yr_expect_list(r, path, "strings"))
        return false;
    const char *tmp[64];
    uint16_t k = 0;
    while (yr_next(r) && r->ev.kind != YE_SEQ_END) {
        if (r->ev.kind != YE_SCALAR || k >= 64) {
            yr_err(r, r->ev.line, r->ev.col, path, k >= 64 ? "more than 64 items" : "expected a string");
            if (!yr_skip(r))
                return false;
            continue;
        }
        if (!(tmp[k++] = vm_arena_strndup(r->a, r->ev.text, r->ev.len)))
            return yr_nomem(r);
    }
    const char **arr = vm_arena_alloc(r->a, (k ? k : 1) * sizeof(char *));
    if (!arr)
        return yr_nomem(r);
    memcpy(arr, tmp, k * sizeof(char *));
    *out = arr;
    *n = k;
    return !r->fatal;
}

static bool read_suggests(yreader *r, const char *path, const vm_suggestion **out, uint16_t *n)
{
    if (yr_is_null(&r->ev))
        return true;
    if (!yr_expect_list(r, path, "{topic, text}"))
        return false;
    vm_suggestion tmp[32];
    uint16_t k = 0;
    bool ok = true;
    while (yr_next(r) && r->ev.kind != YE_SEQ_END) {
        if (k >= 32) {
            yr_err(r, r->ev.line, r->ev.col, path, "more than 32 suggestions");
            r->fatal = true;
            return false;
        }
        uint32_t il = r->ev.line, ic = r->ev.col;
        if (!yr_expect_map(r, path)) {
            ok = false;
            continue;
        }
        vm_suggestion s = {0};
        enum { S_TOPIC, S_TEXT, S_COUNT };
        static const char *const skeys[S_COUNT] = {"topic", "text"};
        const yr_path where = {NULL, path, 0};
        yr_keys it = {.words = skeys, .n = S_COUNT}; /* a repeated key: the last one counts */
        for (int key; (key = yr_each_key(r, &where, &it)) >= 0;) {
            const char *v = NULL;
            if (!read_string(r, path, &v)) {
                ok = false;
                continue;
            }
            if (key == S_TOPIC) {
                bool known = false;
                for (size_t i = 0; i < VM_REPORT_TOPIC_COUNT; i++) /* the report's table: one list */
                    if (strcmp(vm_report_topics[i], v) == 0) {
                        s.topic = vm_report_topics[i];
                        known = true;
                    }
                if (!known) {
                    const char *sg = vm_suggest(v, vm_report_topics, VM_REPORT_TOPIC_COUNT);
                    char list[160];
                    yr_err(r, r->ev.line, r->ev.col, path, "unknown topic '%s' (one of %s)%s%s%s", v,
                           join_names(list, sizeof list, vm_report_topics, VM_REPORT_TOPIC_COUNT),
                           sg ? " (did you mean '" : "", sg ? sg : "", sg ? "'?)" : "");
                    ok = false;
                }
            } else {
                s.text = v;
            }
        }
        if (r->fatal)
            return false;
        if (it.unknowns)
            ok = false;
        if (!s.topic || !s.text) {
            if (ok)
                yr_err(r, il, ic, path, "a suggestion needs 'topic' and 'text'");
            ok = false;
            continue;
        }
        tmp[k++] = s;
    }
    vm_suggestion *arr = vm_arena_alloc(r->a, (k ? k : 1) * sizeof *arr);
    if (!arr)
        return yr_nomem(r);
    memcpy(arr, tmp, k * sizeof *arr);
    *out = arr;
    *n = k;
    return ok && !r->fatal;
}

static bool valid_id(const char *id, int *cat)
{
    const char *dot = strchr(id, '.');
    if (!dot || dot == id)
        return false;
    *cat = vm_category_find(id, (size_t)(dot - id));
    const char *slug = dot + 1;
    if (!*slug || *cat < 0)
        return false;
    for (const char *p = slug; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return false;
    return true;
}

static bool push_rule(vm_ruleset *rs, yreader *r, const vm_rule *rule, bool builtin, const char *path)
{
    for (size_t i = 0; i < rs->n; i++) {
        if (strcmp(rs->rules[i].id, rule->id) != 0)
            continue;
        if (rs->rules[i].builtin == builtin) {
            yr_err(r, rule->line, rule->col, path, "duplicate rule id '%s' (first defined at %s:%u)", rule->id,
                   rs->rules[i].file, rs->rules[i].line);
            return false;
        }
        rs->rules[i] = *rule; /* a user rule replaces the built-in one */
        return true;
    }
    if (rs->n >= VM_LIMIT_RULES) {
        yr_err(r, rule->line, rule->col, "", "more than %u rules", VM_LIMIT_RULES);
        r->fatal = true;
        return false;
    }
    if (!vm_grow(&rs->rules, &rs->cap, rs->n, sizeof *rs->rules, 128))
        return yr_nomem(r);
    rs->rules[rs->n++] = *rule;
    return true;
}

/* An unknown key in a rule: the usual report, and a misspelt required key
 * is reported once, not also as missing (ctx: bool misspelt[K_COUNT]). */
static bool rule_key_unknown(yreader *r, const yr_path *where, void *ctx)
{
    (void)where;
    bool *misspelt = ctx;
    char word[80];
    const char *sg = vm_suggest(yr_text(r, word, sizeof word), rule_keys, K_COUNT);
    for (int i = 0; sg && i < K_COUNT; i++)
        if (strcmp(sg, rule_keys[i]) == 0)
            misspelt[i] = true;
    return false;
}

/* parse_rule's keys that need more than a read: id, category, when. Each
 * returns false when the value is not acceptable (reported). */
static bool read_rule_id(yreader *r, const char *kpath, vm_rule *rule)
{
    uint32_t vl = r->ev.line, vc = r->ev.col;
    if (!read_string(r, kpath, &rule->id))
        return false;
    bool ok = true;
    int cat;
    if (!valid_id(rule->id, &cat)) {
        char list[160];
        yr_err(r, vl, vc, kpath,
               "'%s' is not a rule id: expected <category>.<slug> with a category of %s and a slug "
               "of [a-z0-9-]",
               rule->id, category_list(list, sizeof list));
        ok = false;
    }
    rule->line = vl;
    rule->col = vc;
    return ok;
}

static bool read_rule_category(yreader *r, const char *kpath, vm_rule *rule)
{
    uint32_t vl = r->ev.line, vc = r->ev.col;
    const char *cs = NULL;
    if (!read_string(r, kpath, &cs))
        return false;
    rule->category = vm_category_find(cs, strlen(cs));
    if (rule->category >= 0)
        return true;
    const char *cats[VM_CAT_COUNT];
    for (int i = 0; i < VM_CAT_COUNT; i++)
        cats[i] = vm_category_name(i);
    const char *sg = vm_suggest(cs, cats, VM_CAT_COUNT);
    char list[160];
    yr_err(r, vl, vc, kpath, "unknown category '%s' (one of %s)%s%s%s", cs,
           join_names(list, sizeof list, cats, VM_CAT_COUNT), sg ? " (did you mean '" : "", sg ? sg : "",
           sg ? "'?)" : "");
    return false;
}

static bool read_rule_when(yreader *r, cctx *c, const char *kpath, vm_rule *rule)
{
    c->r = *r;
    c->n = 0;
    c->reads = 0;
    if (yr_is_null(&r->ev))
        return true;
    bool cok = compile_cond(c, kpath, 0);
    *r = c->r;
    if (!cok)
        return false;
    vm_cond *nodes = vm_arena_alloc(r->a, c->n * sizeof(vm_cond));
    if (!nodes)
        return yr_nomem(r);
    memcpy(nodes, c->nodes, c->n * sizeof(vm_cond));
    rule->cond = nodes;
    rule->ncond = c->n;
    rule->reads = c->reads;
    return true;
}

/* After the keys (ok: all of them were acceptable): required keys present,
 * and then the category is the id's prefix. Returns the new ok. */
static bool check_rule(yreader *r, const char *path, const vm_rule *rule, const uint32_t *seen,
                       const bool *misspelt, uint32_t cat_line, uint32_t cat_col, bool ok)
{
    static const int required[] = {K_ID, K_TITLE, K_CATEGORY, K_REFERENCE, K_RATIONALE};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        if (!seen[required[i]] && !misspelt[required[i]]) {
            yr_err(r, rule->line, rule->col, path, "missing required key '%s'%s%s", rule_keys[required[i]],
                   rule->id ? " in rule " : "", rule->id ? rule->id : "");
            ok = false;
        }
    if (ok && rule->id && rule->category >= 0) {
        const char *dot = strchr(rule->id, '.');
        if ((size_t)(dot - rule->id) != strlen(vm_category_name(rule->category)) ||
            strncmp(rule->id, vm_category_name(rule->category), (size_t)(dot - rule->id)) != 0) {
            yr_err(r, cat_line, cat_col, path, "category '%s' does not match the id prefix of '%s'",
                   vm_category_name(rule->category), rule->id);
            ok = false;
        }
    }
    return ok;
}

static void parse_rule(vm_ruleset *rs, yreader *r, uint32_t index, bool builtin)
{
    char path[64];
    snprintf(path, sizeof path, "rules[%u]", index);
    char idpath[80];
    snprintf(idpath, sizeof idpath, "rules[%u].id", index);
    vm_rule rule;
    memset(&rule, 0, sizeof rule);
    rule.file = r->file;
    rule.line = r->ev.line;
    rule.col = r->ev.col;
    rule.builtin = builtin;
    rule.category = -1;
    if (!yr_expect_map(r, path)) {
        if (!r->fatal)
            yr_err(r, rule.line, rule.col, path, "a rule is a mapping");
        return;
    }
    uint32_t seen[K_COUNT] = {0};
    bool misspelt[K_COUNT] = {false};
    bool ok = true;
    uint32_t cat_line = 0, cat_col = 0;
    cctx *c = calloc(1, sizeof *c);
    if (!c) {
        yr_nomem(r);
        return;
    }
    const yr_path where = {NULL, path, 0};
    yr_keys it = {.words = rule_keys, .n = K_COUNT, .seen = seen, .unknown = rule_key_unknown, .ctx = misspelt};
    for (int k; (k = yr_each_key(r, &where, &it)) >= 0;) {
        char kpath[96];
        snprintf(kpath, sizeof kpath, "%s.%s", path, rule_keys[k]);
        uint32_t vl = r->ev.line, vc = r->ev.col;
        switch (k) {
        case K_ID: ok &= read_rule_id(r, kpath, &rule); break;
        case K_TITLE: ok &= read_string(r, kpath, &rule.title); break;
        case K_REFERENCE: ok &= read_string(r, kpath, &rule.reference); break;
        case K_RATIONALE: ok &= read_string(r, kpath, &rule.rationale); break;
        case K_CATEGORY:
            cat_line = vl;
            cat_col = vc;
            ok &= read_rule_category(r, kpath, &rule);
            break;
        case K_WHEN: ok &= read_rule_when(r, c, kpath, &rule); break;
        case K_SCORES: ok &= read_scores(r, kpath, rule.scores); break;
        case K_EXCLUDES: ok &= read_targets(r, kpath, &rule.excludes); break;
        case K_APPLIES: ok &= read_targets(r, kpath, &rule.applies_to); break;
        case K_SUGGESTS: ok &= read_suggests(r, kpath, &rule.suggests, &rule.nsuggests); break;
        case K_RISKS: ok &= read_strings(r, kpath, &rule.risks, &rule.nrisks); break;
        }
        if (r->fatal)
            break;
    }
    free(c);
    if (r->fatal)
        return;
    if (it.unknowns || it.dups)
        ok = false;
    ok = check_rule(r, path, &rule, seen, misspelt, cat_line, cat_col, ok);
    if (ok)
        push_rule(rs, r, &rule, builtin, idpath);
}

/* parse_rule as yr_list_file's item */
struct rule_list {
    vm_ruleset *rs;
    yreader *r;
    bool builtin;
};
static void rule_item(void *ctx, uint32_t i)
{
    struct rule_list *l = ctx;
    parse_rule(l->rs, l->r, i, l->builtin);
}

/* kind: a profile is not a rule file (a scalar: nothing to skip) */
static bool other_kind(yreader *r)
{
    if (!yr_is(r, "WorkloadProfile"))
        return false;
    yr_err(r, r->ev.line, r->ev.col, "kind", "this is a profile, not a rule file");
    return true;
}

vm_status vm_ruleset_add(vm_ruleset *rs, const char *file, const char *data, size_t len, bool builtin,
                         vm_diags *d)
{
    size_t before = d->errors;
    if (yr_too_large(d, file, len, VM_LIMIT_RULE_FILE, "rule file"))
        return VM_ERULES;
    const char *fname = vm_arena_strndup(rs->a, file, strlen(file));
    char *copy = vm_arena_strndup(rs->a, data, len);
    if (!fname || !copy) {
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
        return VM_EIO;
    }
    vm_sha256_update(&rs->sha, fname, strlen(fname) + 1);
    vm_sha256_update(&rs->sha, data, len);
    yreader r = {.a = rs->a, .file = fname, .d = d};
    r.p = ye_open(copy, len, 1);
    if (!r.p) {
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
        return VM_EIO;
    }
    if (!yr_doc_start(&r, "empty rule file"))
        goto done;
    if (r.ev.kind != YE_MAP_START) {
        yr_err(&r, r.ev.line, r.ev.col, "", "a rule file is a mapping (apiVersion, kind, rules), found %s",
               yr_is_null(&r.ev) ? "nothing" : yr_kind_name(r.ev.kind));
        goto done;
    }
    struct rule_list rl = {rs, &r, builtin};
    const yr_list_file f = {.kind = "RuleSet", .key = "rules", .what = "rules", .null_empty = true,
                            .other_kind = other_kind, .item = rule_item, .ctx = &rl};
    if (!yr_list_file_keys(&r, &f))
        goto done;
    yr_doc_end(&r, "a rule file holds one document");
done:
    ye_close(r.p);
    if (r.oom)
        return VM_EIO;
    return d->errors > before ? VM_ERULES : VM_OK;
}

vm_status vm_ruleset_add_precompiled(vm_ruleset *rs, const vm_precompiled *pc, vm_diags *d)
{
    if (rs->n != 0 || rs->finished) {
        vm_diag_add(d, VM_SEV_ERROR, "<rules>", 0, 0, "", "precompiled rules must come first");
        return VM_ERULES;
    }
    if (pc->count > VM_LIMIT_RULES) {
        vm_diag_add(d, VM_SEV_ERROR, "<rules>", 0, 0, "", "more than %u rules", VM_LIMIT_RULES);
        return VM_ERULES;
    }
    size_t cap = pc->count > 128 ? pc->count : 128;
    _Static_assert(offsetof(vm_rule, applies_to) + sizeof(uint16_t) <= 64,
                   "the fields evaluation reads fit 64 bytes (rules.h)");
    vm_rule *p = malloc(cap * sizeof *p);
    if (!p) {
        vm_diag_add(d, VM_SEV_ERROR, "<rules>", 0, 0, "", "out of memory");
        return VM_EIO;
    }
    if (pc->count)
        memcpy(p, pc->rules, pc->count * sizeof *p);
    free(rs->rules);
    rs->rules = p;
    rs->n = pc->count;
    rs->cap = cap;
    memcpy(rs->sha.h, pc->sha_h, sizeof rs->sha.h);
    rs->sha.len = pc->sha_len;
    memcpy(rs->sha.buf, pc->sha_buf, sizeof rs->sha.buf);
    rs->sha.n = pc->sha_n;
    return VM_OK;
}

void vm_ruleset_digest_state(const vm_ruleset *rs, vm_precompiled *out)
{
    memcpy(out->sha_h, rs->sha.h, sizeof out->sha_h);
    out->sha_len = rs->sha.len;
    memcpy(out->sha_buf, rs->sha.buf, sizeof out->sha_buf);
    out->sha_n = (uint32_t)rs->sha.n;
}

vm_status vm_ruleset_finish(vm_ruleset *rs, vm_diags *d)
{
    if (rs->finished)
        return VM_OK;
    for (int f = 0; f < VM_FIELD_COUNT; f++) {
        size_t n = 0;
        for (size_t i = 0; i < rs->n; i++)
            if (rs->rules[i].reads & (UINT64_C(1) << f))
                n++;
        rs->nreaders[f] = n;
        rs->readers[f] = vm_arena_alloc(rs->a, (n ? n : 1) * sizeof(uint16_t));
        if (!rs->readers[f]) {
            vm_diag_add(d, VM_SEV_ERROR, "<rules>", 0, 0, "", "out of memory");
            return VM_EIO;
        }
        n = 0;
        for (size_t i = 0; i < rs->n; i++)
            if (rs->rules[i].reads & (UINT64_C(1) << f))
                rs->readers[f][n++] = (uint16_t)i;
    }
    /* rank of each rule in id order, for cheap deterministic sorting: a
     * merge sort of indices (this runs at every start-up) */
    if (rs->n) {
        uint16_t *idx = malloc(2 * rs->n * sizeof *idx);
        if (!idx) {
            vm_diag_add(d, VM_SEV_ERROR, "<rules>", 0, 0, "", "out of memory");
            return VM_EIO;
        }
        uint16_t *tmp = idx + rs->n;
        for (size_t i = 0; i < rs->n; i++)
            idx[i] = (uint16_t)i;
        for (size_t w = 1; w < rs->n; w *= 2) {
            for (size_t lo = 0; lo < rs->n; lo += 2 * w) {
                size_t mid = lo + w < rs->n ? lo + w : rs->n;
                size_t hi = lo + 2 * w < rs->n ? lo + 2 * w : rs->n;
                size_t a = lo, b = mid, o = lo;
                while (a < mid && b < hi)
                    tmp[o++] = strcmp(rs->rules[idx[b]].id, rs->rules[idx[a]].id) < 0 ? idx[b++] : idx[a++];
                while (a < mid)
                    tmp[o++] = idx[a++];
                while (b < hi)
                    tmp[o++] = idx[b++];
            }
            memcpy(idx, tmp, rs->n * sizeof *idx);
        }
        for (size_t i = 0; i < rs->n; i++) {
            rs->rules[idx[i]].id_rank = (uint16_t)i;
            rs->rules[i].id_len = (uint16_t)strlen(rs->rules[i].id);
        }
        for (size_t i = 0; i < rs->n; i++) {
            vm_rule *r = &rs->rules[i];
            r->scores_any = r->scores_paradigm = false;
            for (int t = 0; t < VM_TARGET_COUNT; t++) {
                r->scores_any |= r->scores[t] != 0;
                r->scores_paradigm |= t < VM_PARADIGM_COUNT && r->scores[t] != 0;
            }
            r->tests_unknown = 0;
            for (uint16_t c = 0; c < r->ncond; c++)
                if (r->cond[c].op == VM_OP_UNKNOWN)
                    r->tests_unknown |= UINT64_C(1) << r->cond[c].field;
        }
        free(idx);
    }
    char hex[65];
    vm_sha256 copy = rs->sha;
    vm_sha256_hex(&copy, hex);
    snprintf(rs->digest, sizeof rs->digest, "sha256:%s", hex);
    rs->finished = true;
    return VM_OK;
}
