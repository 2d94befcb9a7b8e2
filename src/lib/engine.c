/* engine.c - rule evaluation, decision, unknowns and counterfactuals. */
#include "vmctr/engine.h"
#include "memo.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The values tried per field (VM_ENGINE_MAX_CANDIDATES, docs/rules.md):
 * every value of an enum or bool, the thresholds of integer tests (each
 * -1, 0, +1) and the strings of `contains` tests (plus one other). A field
 * with more is cut to the first ones; vm_engine_candidates says so, rules
 * lint warns, and the questions make no claim of a cut field that its
 * tried values do not support (see vm_engine_questions). */
#define MAX_CANDS VM_ENGINE_MAX_CANDIDATES

/* A field's candidates while they are collected (field_cands)... */
typedef struct {
    vm_value v[MAX_CANDS];
    uint8_t n;
    bool cut;               /* some value worth trying did not fit */
    int cut_rule;           /* the first rule whose value did not fit, or -1 */
} cbuild;

/* ...and as the engine keeps them: n values in its one pool (cand_pool).
 * A cbuild per field would be VM_FIELD_COUNT x MAX_CANDS values (80 KB
 * today, 20 pages that every process touches at start, each a page fault)
 * for about 200 values. */
typedef struct {
    const vm_value *v;
    uint8_t n;
    bool cut;
} cands_t;

/* A condition node as the engine runs it. Leaves over booleans and small
 * enums (and KNOWN/UNKNOWN on any field) become one mask test against the
 * field's code (see code_of), so most rules fire or not in a single AND;
 * other leaves run eval_leaf on the rule's own node. A `not` of a mask
 * leaf is a mask leaf (a code is never 0), an `any` of mask leaves is one
 * N_ANYMASK node. The layout mirrors the rule's vm_cond array node for node
 * (same nkids and skip; a folded node's children are then skipped). */
enum { N_MASK, N_ANYMASK, N_LEAF, N_ALL, N_ANY, N_NOT, N_TRUE };

typedef struct {
    uint8_t kind;           /* N_* */
    uint8_t nkids;
    uint16_t skip;
    int16_t field;          /* N_MASK */
    uint32_t mask;          /* N_MASK: the codes that make the leaf true */
    const vm_cond *leaf;    /* N_LEAF */
} enode;

/* A rule as the engine runs it: a single mask test when its whole condition
 * is one (field ALWAYS for a rule without condition), else its nodes. */
typedef struct {
    int16_t field;          /* the mask test; ALWAYS/1 for a program */
    uint32_t mask;
    int32_t prog;           /* first node in e->nodes, or -1 */
    uint32_t cmask;         /* the mask test over field's candidates (see cand_mask) */
} erule;

/* code_of: bit i for value index i of a bool/enum, the item bits of an enum
 * list, CODE_KNOWN for any other known value, CODE_UNKNOWN when unknown. */
#define CODE_UNKNOWN (1u << 31)
#define CODE_KNOWN (1u << 30)
#define CODE_MAX_VALUES 30
#define ALWAYS VM_FIELD_COUNT   /* code slot that is always 1 */
/* The value bits 0..CODE_MAX_VALUES-1 never touch the two flag bits, so a
 * mask leaf tests value, known and unknown alike in one AND. */
_Static_assert(CODE_MAX_VALUES <= 30 && CODE_KNOWN == 1u << CODE_MAX_VALUES && CODE_UNKNOWN == CODE_KNOWN << 1,
               "code layout: value bits, then KNOWN, then UNKNOWN");
/* Fired-rule lists, readers and the program list hold rule indices as
 * uint16_t; enode/erule hold a field id (or ALWAYS) as int16_t and a node's
 * kids as uint8_t. */
_Static_assert(VM_LIMIT_RULES - 1 <= UINT16_MAX, "rule indices are uint16_t");
_Static_assert(VM_FIELD_COUNT + 1 <= INT16_MAX, "field ids are int16_t in compiled rules");
_Static_assert(VM_LIMIT_RULE_NODES <= UINT8_MAX && VM_LIMIT_RULE_NODES <= UINT16_MAX,
               "a rule's kids count is uint8_t, its skip uint16_t");

struct vm_engine {
    const vm_ruleset *rs;
    size_t nrules;
    const vm_rule *rules;           /* the rule set's array, nrules long */
    erule *er;                      /* per rule */
    enode *nodes;                   /* the programs of the non-mask rules */
    uint32_t code[VM_FIELD_COUNT + 1]; /* per field, for the values of the last eval */
    uint8_t *fired;                 /* per rule, for the last eval */
    uint16_t *progs;                /* the rules that run a program */
    size_t nprogs;
    uint16_t *list;                 /* scratch: fired rules */
    uint32_t *ncmask;               /* per node of a mask leaf: cand_mask of its test */
    /* scratch of reader_changes: the readers of one field that some
     * candidate changes, in reader order (rule index, and the candidates
     * that change it), and the union of those candidates */
    uint32_t *ch;
    uint16_t *chr;
    size_t nch;
    uint32_t chall;
    double factor[VM_CAT_COUNT];    /* priority / 3 of the last eval */
    uint16_t excl_count[VM_TARGET_COUNT];
    cands_t cands[VM_FIELD_COUNT];  /* values worth trying per field */
    vm_value *cand_pool;            /* every field's candidates, field by field */
    /* bound[f][w][p][c]: sum over the rules reading field f in category c of
     * |score(p) - score(w)|: how far varying f can move p against w, before
     * the priority factor, whatever fires (see may_flip). */
    float bound[VM_FIELD_COUNT][VM_PARADIGM_COUNT][VM_PARADIGM_COUNT][VM_CAT_COUNT];
    /* unit_reach[w][f][p]: the sum of bound[f][w][p][c] over c, as
     * may_flip_in adds it when every factor is 1 (most profiles set no
     * priorities): one read per paradigm, the fields of one winner side
     * by side, instead of a category loop over scattered rows */
    double unit_reach[VM_PARADIGM_COUNT][VM_FIELD_COUNT][VM_PARADIGM_COUNT];
    bool excludes_paradigm[VM_FIELD_COUNT]; /* a reader excludes some paradigm */
    struct {
        uint32_t key;
        void *block;                /* malloc'ed, freed with e; NULL: slot free */
    } memo[VM_ENGINE_MEMO_SLOTS];   /* see memo.h */
    uint32_t nmemo;                 /* slots taken */
};

/* ---- condition evaluation ------------------------------------------------- */

/* The values a condition is evaluated against: a profile's, optionally with
 * one field replaced (what unknowns and counterfactuals try), so that a
 * variation needs no copy of the values. */
typedef struct {
    const vm_values *v;
    int field;              /* replaced field, or -1 */
    const vm_value *x;      /* its value */
} vview;

static inline const vm_value *vget(const vview *w, int f)
{
    return f == w->field ? w->x : &w->v->v[f];
}

static bool value_known(const vm_field_def *f, const vm_value *x)
{
    if (!x->set)
        return false;
    if (f->type == VM_T_STR_LIST)
        return x->u.list.n > 0;
    if (f->type == VM_T_ENUM_LIST)
        return x->u.mask != 0;
    return true;
}

static bool eval_leaf(const vm_cond *c, const vview *vals)
{
    const vm_value *x = vget(vals, c->field);
    const vm_field_def *f = vm_field(c->field);
    bool known = value_known(f, x);
    if (c->op == VM_OP_UNKNOWN)
        return !known;
    if (!known)
        return false;
    switch (c->op) {
    case VM_OP_KNOWN: return true;
    case VM_OP_EQ: return x->u.i == c->num;
    case VM_OP_NE: return x->u.i != c->num;
    case VM_OP_IN: return (c->mask >> x->u.i) & 1u;
    case VM_OP_NOT_IN: return !((c->mask >> x->u.i) & 1u);
    case VM_OP_GT:
    case VM_OP_GTE:
    case VM_OP_LT:
    case VM_OP_LTE: {
        int64_t a = f->type == VM_T_ENUM ? f->rank[x->u.i] : x->u.i;
        switch (c->op) {
        case VM_OP_GT: return a > c->num;
        case VM_OP_GTE: return a >= c->num;
        case VM_OP_LT: return a < c->num;
        default: return a <= c->num;
        }
    }
    case VM_OP_CONTAINS:
        if (f->type == VM_T_ENUM_LIST)
            return (x->u.mask & c->mask) != 0;
        for (uint32_t i = 0; i < x->u.list.n; i++)
            if (strcasecmp(x->u.list.items[i], c->str) == 0)
                return true;
        return false;
    default: return false;
    }
}

/* ---- compiled conditions ------------------------------------------------------ */

/* Fields whose known values fit in a code's value bits. */
static bool codable(const vm_field_def *f)
{
    switch (f->type) {
    case VM_T_BOOL: return true;
    case VM_T_ENUM:
    case VM_T_ENUM_LIST: return f->nvalues <= CODE_MAX_VALUES;
    default: return false;
    }
}

static uint32_t code_of(const vm_field_def *f, const vm_value *x)
{
    if (!value_known(f, x))
        return CODE_UNKNOWN;
    if (!codable(f))
        return CODE_KNOWN;
    if (f->type == VM_T_ENUM_LIST)
        return x->u.mask;
    return x->u.i >= 0 && x->u.i < CODE_MAX_VALUES ? 1u << x->u.i : CODE_KNOWN;
}

static bool is_leaf(int op) { return op <= VM_OP_UNKNOWN; }

/* The codes for which leaf c is true, when a mask can say it exactly:
 * eval_leaf(c) == ((code_of(value) & mask) != 0) for every value. */
static bool leaf_mask(const vm_cond *c, uint32_t *out)
{
    const vm_field_def *f = vm_field(c->field);
    if (c->op == VM_OP_UNKNOWN) {
        *out = CODE_UNKNOWN;
        return true;
    }
    if (c->op == VM_OP_KNOWN) {
        *out = ~CODE_UNKNOWN;
        return true;
    }
    if (!codable(f))
        return false;
    if (f->type == VM_T_ENUM_LIST) {
        if (c->op != VM_OP_CONTAINS)
            return false;
        *out = c->mask & ((1u << f->nvalues) - 1);
        return true;
    }
    /* a bool or an enum: the value set is the mask, as codes are 1 << index */
    return vm_cond_values(c, out);
}

static bool run(const enode *n, const uint32_t *code, const vview *vals);

/* a child node: mask leaves and any-of-masks, the common cases, without a
 * call */
static inline bool run_kid(const enode *k, const uint32_t *code, const vview *vals)
{
    if (k->kind == N_MASK)
        return (code[k->field] & k->mask) != 0;
    if (k->kind == N_ANYMASK) {
        const enode *x = k + 1;
        bool any = false;
        for (int i = 0; i < k->nkids; i++, x += x->skip)
            any |= (code[x->field] & x->mask) != 0;
        return any;
    }
    return run(k, code, vals);
}

static bool run(const enode *n, const uint32_t *code, const vview *vals)
{
    /* Tests in order of frequency rather than a switch: a jump table's
     * indirect branch is the one CPUs predict worst here. Every child of
     * all/any is evaluated, without stopping early: which child decides
     * depends on the profile, so an exit there would be mispredicted, while
     * a child is a few loads. */
    if (n->kind == N_ALL || n->kind == N_ANY) {
        const enode *k = n + 1;
        bool all = true, any = false;
        for (int i = 0; i < n->nkids; i++, k += k->skip) {
            bool t = run_kid(k, code, vals);
            all &= t;
            any |= t;
        }
        return n->kind == N_ALL ? all : any;
    }
    if (n->kind == N_MASK || n->kind == N_ANYMASK)
        return run_kid(n, code, vals);
    if (n->kind == N_NOT)
        return !run(n + 1, code, vals);
    if (n->kind == N_TRUE)
        return true;
    return eval_leaf(n->leaf, vals);
}

/* Folds, children first (they follow their parent): not(mask) -> mask,
 * any(masks) -> N_ANYMASK. */
static void fold(enode *nodes, size_t n)
{
    for (size_t i = n; i-- > 0;) {
        enode *x = &nodes[i];
        if (x->kind == N_NOT && x[1].kind == N_MASK) {
            x->kind = N_MASK;
            x->field = x[1].field;
            x->mask = ~x[1].mask;
        } else if (x->kind == N_ANY) {
            bool masks = true;
            const enode *k = x + 1;
            for (int j = 0; j < x->nkids; j++, k += k->skip)
                masks &= k->kind == N_MASK;
            if (masks)
                x->kind = N_ANYMASK;
        }
    }
}

static bool compile(vm_engine *e)
{
    size_t total = 0;
    for (size_t i = 0; i < e->nrules; i++)
        total += e->rules[i].ncond;
    e->er = calloc(e->nrules ? e->nrules : 1, sizeof *e->er);
    e->nodes = calloc(total ? total : 1, sizeof *e->nodes);
    e->progs = calloc(e->nrules ? e->nrules : 1, sizeof *e->progs);
    e->list = calloc(e->nrules ? e->nrules : 1, sizeof *e->list);
    e->ncmask = calloc(total ? total : 1, sizeof *e->ncmask);
    e->ch = calloc(e->nrules ? e->nrules : 1, sizeof *e->ch);
    e->chr = calloc(e->nrules ? e->nrules : 1, sizeof *e->chr);
    if (!e->er || !e->nodes || !e->progs || !e->list || !e->ncmask || !e->ch || !e->chr)
        return false;
    e->code[ALWAYS] = 1;
    size_t at = 0;
    for (size_t i = 0; i < e->nrules; i++) {
        const vm_rule *r = &e->rules[i];
        erule *x = &e->er[i];
        uint32_t m;
        x->prog = -1;
        if (r->ncond == 0 || r->cond[0].op == VM_OP_TRUE) {
            x->field = ALWAYS;
            x->mask = 1;
            continue;
        }
        if (is_leaf(r->cond[0].op) && leaf_mask(&r->cond[0], &m)) {
            x->field = r->cond[0].field;
            x->mask = m;
            continue;
        }
        x->field = ALWAYS;
        x->mask = 1;
        x->prog = (int32_t)at;
        e->progs[e->nprogs++] = (uint16_t)i;
        for (uint16_t k = 0; k < r->ncond; k++) {
            const vm_cond *c = &r->cond[k];
            enode *n = &e->nodes[at++];
            n->nkids = c->nkids;
            n->skip = c->skip;
            switch (c->op) {
            case VM_OP_ALL: n->kind = N_ALL; break;
            case VM_OP_ANY: n->kind = N_ANY; break;
            case VM_OP_NOT: n->kind = N_NOT; break;
            case VM_OP_TRUE: n->kind = N_TRUE; break;
            default:
                if (leaf_mask(c, &m)) {
                    n->kind = N_MASK;
                    n->field = c->field;
                    n->mask = m;
                } else {
                    n->kind = N_LEAF;
                    n->leaf = c;
                }
            }
        }
        fold(&e->nodes[x->prog], r->ncond);
        if (e->nodes[x->prog].kind == N_MASK) { /* e.g. `not` of one leaf */
            x->field = e->nodes[x->prog].field;
            x->mask = e->nodes[x->prog].mask;
            x->prog = -1;
            e->nprogs--;
        }
    }
    return true;
}

/* ---- construction ----------------------------------------------------------- */

static void add_cand(cbuild *c, const vm_value *v)
{
    if (c->n < MAX_CANDS)
        c->v[c->n++] = *v;
    else
        c->cut = true;
}

static void collect_int_cands(cbuild *cs, const vm_cond *c, int field)
{
    const vm_field_def *f = vm_field(field);
    if (c->field != field || c->op > VM_OP_LTE || c->skip != 1)
        return;
    for (int64_t d = -1; d <= 1; d++) {
        int64_t x = c->num + d;
        if (x < f->min || x > f->max)
            continue;
        bool dup = false;
        for (int i = 0; i < cs->n; i++)
            dup |= cs->v[i].u.i == x;
        if (!dup) {
            vm_value v = {.set = true};
            v.u.i = x;
            add_cand(cs, &v);
        }
    }
}

/* The values worth trying for field fid under the rules of rs, into c
 * (cleared first); `other` is the placeholder item of a string list. */
static const char *const other_item = "other";

static void field_cands(const vm_ruleset *rs, int fid, cbuild *c)
{
    memset(c, 0, sizeof *c);
    c->cut_rule = -1;
    const vm_field_def *f = vm_field(fid);
    if (!f || f->category < 0)
        return;
    vm_value v = {.set = true};
    switch (f->type) {
    case VM_T_BOOL:
    case VM_T_ENUM: {
        int n = f->type == VM_T_BOOL ? 2 : f->nvalues;
        for (int i = 0; i < n; i++) {
            v.u.i = i;
            add_cand(c, &v);
        }
        break;
    }
    case VM_T_ENUM_LIST:
        for (int i = 0; i < f->nvalues; i++) {
            v.u.mask = 1u << i;
            add_cand(c, &v);
        }
        break;
    case VM_T_INT: {
        size_t nr;
        const uint16_t *rd = vm_ruleset_readers(rs, fid, &nr);
        for (size_t i = 0; i < nr; i++) {
            const vm_rule *r = vm_ruleset_rule(rs, rd[i]);
            for (uint16_t k = 0; k < r->ncond; k++)
                collect_int_cands(c, &r->cond[k], fid);
            if (c->cut && c->cut_rule < 0)
                c->cut_rule = rd[i];
        }
        break;
    }
    case VM_T_STR_LIST: {
        size_t nr;
        const uint16_t *rd = vm_ruleset_readers(rs, fid, &nr);
        for (size_t i = 0; i < nr; i++) {
            const vm_rule *r = vm_ruleset_rule(rs, rd[i]);
            for (uint16_t k = 0; k < r->ncond; k++) {
                const vm_cond *cd = &r->cond[k];
                if (cd->field != fid || cd->op != VM_OP_CONTAINS || cd->skip != 1)
                    continue;
                bool dup = false;
                for (int j = 0; j < c->n; j++)
                    dup |= strcasecmp(c->v[j].u.list.items[0], cd->str) == 0;
                if (dup)
                    continue;
                v.u.list.n = 1;
                v.u.list.items = (const char **)&cd->str;
                add_cand(c, &v);
            }
            if (c->cut && c->cut_rule < 0)
                c->cut_rule = rd[i];
        }
        v.u.list.n = 1;
        v.u.list.items = (const char **)&other_item;
        add_cand(c, &v);
        break;
    }
    default: break;
    }
}

static bool build_cands(vm_engine *e)
{
    cbuild c;
    size_t at = 0, cap = 0, off[VM_FIELD_COUNT] = {0};
    for (int fid = VM_F_WORKLOAD_ARCHITECTURE; fid < VM_FIELD_COUNT; fid++) {
        field_cands(e->rs, fid, &c);
        if (at + c.n > cap) {
            size_t ncap = cap ? 2 * cap : 256;
            while (ncap < at + c.n)
                ncap *= 2;
            vm_value *np = realloc(e->cand_pool, ncap * sizeof *np);
            if (!np)
                return false;
            e->cand_pool = np;
            cap = ncap;
        }
        memcpy(e->cand_pool + at, c.v, c.n * sizeof *c.v);
        off[fid] = at;
        e->cands[fid] = (cands_t){NULL, c.n, c.cut};
        at += c.n;
    }
    for (int fid = VM_F_WORKLOAD_ARCHITECTURE; fid < VM_FIELD_COUNT; fid++)
        e->cands[fid].v = e->cand_pool ? e->cand_pool + off[fid] : NULL;
    return true;
}

size_t vm_ruleset_candidates(const vm_ruleset *rs, int field, bool *cut, int *cut_rule)
{
    cbuild c = {.cut_rule = -1};
    if (rs && field >= VM_F_WORKLOAD_ARCHITECTURE && field < VM_FIELD_COUNT)
        field_cands(rs, field, &c);
    if (cut)
        *cut = c.cut;
    if (cut_rule)
        *cut_rule = c.cut_rule;
    return c.n;
}

/* Bit c set when the mask test (field, mask) holds for candidate c of
 * field: the test of every candidate at once, as code_of would code it. It
 * depends on the rule set only, so it is computed once per engine. */
static uint32_t cand_mask(const vm_engine *e, int field, uint32_t mask)
{
    if (field < 0 || field >= VM_FIELD_COUNT)
        return 0;
    const cands_t *cd = &e->cands[field];
    uint32_t m = 0;
    for (int c = 0; c < cd->n; c++)
        m |= (uint32_t)((code_of(vm_field(field), &cd->v[c]) & mask) != 0) << c;
    return m;
}

static void cand_masks(vm_engine *e)
{
    for (size_t i = 0; i < e->nrules; i++)
        e->er[i].cmask = cand_mask(e, e->er[i].field, e->er[i].mask);
    /* the nodes of the rules that run a program (a program is its rule's
     * ncond nodes from er.prog) */
    for (size_t j = 0; j < e->nprogs; j++) {
        const erule *x = &e->er[e->progs[j]];
        for (size_t k = (size_t)x->prog; k < (size_t)x->prog + e->rules[e->progs[j]].ncond; k++)
            if (e->nodes[k].kind == N_MASK)
                e->ncmask[k] = cand_mask(e, e->nodes[k].field, e->nodes[k].mask);
    }
}

vm_engine *vm_engine_new(const vm_ruleset *rs)
{
    vm_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->rs = rs;
    e->nrules = vm_ruleset_count(rs);
    e->rules = e->nrules ? vm_ruleset_rule(rs, 0) : NULL;
    e->fired = calloc(e->nrules ? e->nrules : 1, 1);
    if (!e->fired || !compile(e)) {
        vm_engine_free(e);
        return NULL;
    }
    if (!build_cands(e)) {
        vm_engine_free(e);
        return NULL;
    }
    cand_masks(e);
    for (int f = 0; f < VM_FIELD_COUNT; f++) {
        size_t nr;
        const uint16_t *rd = vm_ruleset_readers(rs, f, &nr);
        for (size_t i = 0; i < nr; i++) {
            const vm_rule *r = vm_ruleset_rule(rs, rd[i]);
            if (r->excludes & ((1u << VM_PARADIGM_COUNT) - 1))
                e->excludes_paradigm[f] = true;
            for (int w = 0; w < VM_PARADIGM_COUNT; w++)
                for (int p = 0; p < VM_PARADIGM_COUNT; p++)
                    e->bound[f][w][p][r->category] += fabsf(r->scores[p] - r->scores[w]);
        }
        for (int w = 0; w < VM_PARADIGM_COUNT; w++)
            for (int p = 0; p < VM_PARADIGM_COUNT; p++) {
                double reach = 0; /* in may_flip_in's order: the same double */
                for (int c = 0; c < VM_CAT_COUNT; c++)
                    reach += e->bound[f][w][p][c] * 1.0;
                e->unit_reach[w][f][p] = reach;
            }
    }
    return e;
}

/* Whether varying field f could possibly change the paradigm of base.
 * Counterfactuals skip the fields whose readers cannot close the margin;
 * both tests are upper bounds, so no flip is ever missed. First the bound
 * precomputed per category (cheap): the readers moving every paradigm
 * against the winner w by |score p - score w| x factor. Then, for the fields
 * that pass, one from the fired state of the last eval: a reader that fires
 * now can only stop firing and one that does not can only start, so each
 * moves p against w by at most max(0, -/+(score p - score w) x factor). */
static bool may_flip_in(const vm_engine *e, int f, const vm_result *base, const uint8_t *fired,
                        const double *factor);
/* The bounds are a filter, not the answer: an over-estimate only costs an
 * evaluation, an under-estimate would lose a flip. So a reach within
 * REACH_SLACK (far above VM_SCORE_EPS) of the gap still counts. */
#define REACH_SLACK 1e-6
/* (checked by assert in may_flip: a floating comparison is not an integer
 * constant expression, so C17 does not allow it in _Static_assert) */

static bool may_flip(const vm_engine *e, int f, const vm_result *base)
{
    assert(REACH_SLACK > VM_SCORE_EPS && "the flip filter must be looser than a tie");
    return may_flip_in(e, f, base, e->fired, e->factor);
}

static bool may_flip_in(const vm_engine *e, int f, const vm_result *base, const uint8_t *fired,
                        const double *factor)
{
    if (e->excludes_paradigm[f])
        return true;
    int w = base->paradigm;
    bool loose = false;
    /* every factor 1 (a factor is a priority / 3: 1.0 exactly or not at all) */
    _Static_assert(VM_CAT_COUNT == 7, "ones[] holds a 1 per category");
    static const double ones[VM_CAT_COUNT] = {1, 1, 1, 1, 1, 1, 1};
    bool unit = memcmp(factor, ones, sizeof ones) == 0;
    for (int p = 0; p < VM_PARADIGM_COUNT && !loose; p++) {
        if (p == w || ((base->excluded >> p) & 1u))
            continue;
        double reach = 0;
        if (unit) {
            reach = e->unit_reach[w][f][p];
        } else {
            const float *bd = e->bound[f][w][p];
            for (int c = 0; c < VM_CAT_COUNT; c++)
                reach += bd[c] * factor[c];
        }
        loose = reach + REACH_SLACK >= base->score[w] - base->score[p];
    }
    if (!loose)
        return false;
    size_t nr;
    const uint16_t *rd = vm_ruleset_readers(e->rs, f, &nr);
    double reach[VM_PARADIGM_COUNT] = {0};
    for (size_t i = 0; i < nr; i++) {
        const vm_rule *r = &e->rules[rd[i]];
        double k = fired[rd[i]] ? -factor[r->category] : factor[r->category];
        for (int p = 0; p < VM_PARADIGM_COUNT; p++) {
            double d = (r->scores[p] - r->scores[w]) * k;
            reach[p] += d > 0 ? d : 0;
        }
    }
    for (int p = 0; p < VM_PARADIGM_COUNT; p++) {
        if (p == w || ((base->excluded >> p) & 1u))
            continue;
        if (reach[p] + REACH_SLACK >= base->score[w] - base->score[p])
            return true;
    }
    return false;
}

void vm_engine_free(vm_engine *e)
{
    if (!e)
        return;
    free(e->fired);
    free(e->er);
    free(e->nodes);
    free(e->progs);
    free(e->list);
    free(e->ncmask);
    free(e->ch);
    free(e->cand_pool);
    free(e->chr);
    for (size_t i = 0; i < VM_ENGINE_MEMO_SLOTS; i++)
        free(e->memo[i].block);
    free(e);
}

/* Open addressing with linear probing from a multiplicative hash. */
_Static_assert((VM_ENGINE_MEMO_SLOTS & (VM_ENGINE_MEMO_SLOTS - 1)) == 0, "memo slots are a power of two");
static uint32_t memo_slot(uint32_t key) { return (key * 2654435761u) >> 16 & (VM_ENGINE_MEMO_SLOTS - 1); }

void *vm_engine_memo_get(const vm_engine *e, uint32_t key)
{
    for (uint32_t i = memo_slot(key);; i = (i + 1) & (VM_ENGINE_MEMO_SLOTS - 1)) {
        if (!e->memo[i].block)
            return NULL;
        if (e->memo[i].key == key)
            return e->memo[i].block;
    }
}

bool vm_engine_memo_room(const vm_engine *e) { return e->nmemo < VM_ENGINE_MEMO_SLOTS / 4 * 3; }

uint32_t vm_engine_memo_count(const vm_engine *e) { return e->nmemo; }

bool vm_engine_memo_put(vm_engine *e, uint32_t key, void *block)
{
    if (!vm_engine_memo_room(e))
        return false;
    uint32_t i = memo_slot(key);
    while (e->memo[i].block)
        i = (i + 1) & (VM_ENGINE_MEMO_SLOTS - 1);
    e->memo[i].key = key;
    e->memo[i].block = block;
    e->nmemo++;
    return true;
}

const vm_ruleset *vm_engine_rules(const vm_engine *e) { return e->rs; }

/* ---- decision ------------------------------------------------------------------ */

static const int tie_order[] = {VM_T_VM, VM_T_CONTAINER, VM_T_MICROVM, VM_T_HYBRID};
_Static_assert(sizeof tie_order / sizeof tie_order[0] == VM_PARADIGM_COUNT, "every paradigm once");

static int best_in(const vm_result *r, int lo, int hi, int skip)
{
    int best = -1;
    for (int t = lo; t <= hi; t++) {
        if (t == skip || (r->excluded >> t) & 1u)
            continue;
        if (best < 0 || r->score[t] > r->score[best] + VM_SCORE_EPS)
            best = t;
    }
    return best;
}

/* margin / (margin + K x scale), snapped to a multiple of 1e-9. Margins
 * and scales are sums of thirds (priority / 3) and carry their rounding:
 * ratios that are equal in exact arithmetic (every priority times the same
 * factor, docs/rules.md "Confidence") can differ in the last bits, and a
 * ratio that is exactly a printed half (0.375) would then print 0.37 at one
 * scale and 0.38 at another. Snapped, they are the same double. */
static double confidence_of(double margin, double scale)
{
    double k = VM_CONFIDENCE_K * (scale > 0 ? scale : 1.0);
    double c = margin / (margin + k);
    return c >= 0 && c <= 1 ? (double)(int64_t)(c * 1e9 + 0.5) * 1e-9 : c;
}

/* The platform of a family: the best one that is not excluded, the ties
 * with it (when two or more share the best score), its margin over the
 * next one and the confidence of that margin. */
static void decide_platform(vm_result *r, int family)
{
    int lo, hi;
    r->platform = -1;
    r->platform_tied = 0;
    r->platform_margin = 0;
    r->platform_confidence = 0;
    if (!vm_family_range(family, &lo, &hi))
        return;
    int best = best_in(r, lo, hi, -1);
    if (best < 0)
        return;
    r->platform = best;
    int second = best_in(r, lo, hi, best);
    if (second < 0) {
        r->platform_confidence = 1;
        return;
    }
    r->platform_margin = r->score[best] - r->score[second];
    if (r->platform_margin < VM_SCORE_EPS) {
        r->platform_margin = 0;
        for (int t = lo; t <= hi; t++)
            if (!((r->excluded >> t) & 1u) && r->score[t] > r->score[best] - VM_SCORE_EPS)
                r->platform_tied |= (uint16_t)(1u << t);
    }
    r->platform_confidence = confidence_of(r->platform_margin, r->scale);
}

/* The paradigm, runner-up, margin and confidence of r (the platforms still
 * undecided: -1, none tied); then decide_platforms does the rest. */
static void decide_paradigm(vm_result *r)
{
    r->paradigm = r->runner_up = r->platform = r->container_platform = -1;
    r->platform_tied = 0;
    r->platform_margin = r->platform_confidence = 0;
    for (int i = 0; i < VM_PARADIGM_COUNT; i++) {
        int t = tie_order[i];
        if ((r->excluded >> t) & 1u)
            continue;
        if (r->paradigm < 0 || r->score[t] > r->score[r->paradigm] + VM_SCORE_EPS) {
            r->runner_up = r->paradigm;
            r->paradigm = t;
        } else if (r->runner_up < 0 || r->score[t] > r->score[r->runner_up] + VM_SCORE_EPS) {
            r->runner_up = t;
        }
    }
    if (r->paradigm < 0) {
        r->margin = 0;
        r->confidence = 0;
        return;
    }
    if (r->runner_up < 0) {
        r->margin = 0;
        r->confidence = 1;
    } else {
        r->margin = r->score[r->paradigm] - r->score[r->runner_up];
        r->confidence = confidence_of(r->margin, r->scale);
    }
}

/* The platforms of a result whose paradigm decide_paradigm chose. */
static void decide_platforms(vm_result *r)
{
    if (r->paradigm < 0)
        return;
    decide_platform(r, r->paradigm == VM_T_HYBRID ? VM_T_VM : r->paradigm);
    if (r->paradigm == VM_T_HYBRID) {
        /* VMs hosting an orchestrator: Kubernetes unless it is ruled out */
        r->container_platform = !((r->excluded >> VM_T_KUBERNETES) & 1u) ? VM_T_KUBERNETES
                                : !((r->excluded >> VM_T_DOCKER) & 1u)   ? VM_T_DOCKER
                                                                         : -1;
    }
}

void vm_result_decide(vm_result *r)
{
    decide_paradigm(r);
    decide_platforms(r);
}

/* ---- evaluation ---------------------------------------------------------------- */

/* The priority factors, and their mean: the scale of every score. */
static double compute_factors(vm_engine *e, const vm_values *v)
{
    double sum = 0;
    for (int c = 0; c < VM_CAT_COUNT; c++) {
        const vm_value *p = &v->v[VM_F_PRIORITIES_WORKLOAD + c];
        e->factor[c] = p->set ? (double)p->u.i / 3.0 : 1.0;
        sum += e->factor[c];
    }
    return sum / VM_CAT_COUNT;
}

double vm_engine_contribution(const vm_engine *e, size_t rule, int target)
{
    const vm_rule *r = vm_ruleset_rule(e->rs, rule);
    return r->scores[target] * e->factor[r->category];
}

void vm_engine_eval(vm_engine *e, const vm_values *v, vm_result *out, uint16_t *fired)
{
    memset(out, 0, sizeof *out);
    memset(e->excl_count, 0, sizeof e->excl_count);
    out->scale = compute_factors(e, v);
    for (int f = 0; f < VM_FIELD_COUNT; f++)
        e->code[f] = code_of(vm_field(f), &v->v[f]);
    /* Which rules fire, then the list of those: no branch depends on the
     * profile until the fired rules are summed (in rule order). */
    vview view = {v, -1, NULL};
    const erule *er = e->er;
    for (size_t i = 0; i < e->nrules; i++)
        e->fired[i] = (e->code[er[i].field] & er[i].mask) != 0;
    for (size_t j = 0; j < e->nprogs; j++) {
        size_t i = e->progs[j];
        e->fired[i] = run(&e->nodes[er[i].prog], e->code, &view);
    }
    uint16_t *list = fired ? fired : e->list;
    uint32_t nf = 0;
    for (size_t i = 0; i < e->nrules; i++) {
        list[nf] = (uint16_t)i;
        nf += e->fired[i];
    }
    for (uint32_t j = 0; j < nf; j++) {
        const vm_rule *r = &e->rules[list[j]];
        double k = e->factor[r->category];
        for (int t = 0; t < VM_TARGET_COUNT; t++)
            out->score[t] += r->scores[t] * k;
        if (r->excludes)
            for (int t = 0; t < VM_TARGET_COUNT; t++)
                if ((r->excludes >> t) & 1u)
                    e->excl_count[t]++;
    }
    for (int t = 0; t < VM_TARGET_COUNT; t++)
        if (e->excl_count[t])
            out->excluded |= (uint16_t)(1u << t);
    out->nfired = nf;
    vm_result_decide(out);
}

/* ---- variation -------------------------------------------------------------- */

/* A field's candidates (at most MAX_CANDS) as the bits of a uint32_t. */
_Static_assert(MAX_CANDS <= 32, "a set of candidates is a uint32_t mask");
#define CANDS_ALL(n) ((n) >= 32 ? UINT32_MAX : (1u << (n)) - 1u)

/* Node n under every candidate of field fid at once: bit c is what run
 * returns with fid's value replaced by candidate c. A node that does not
 * read fid is run once for all; a mask test on fid is its precomputed
 * cand_mask; only a leaf on fid that is not a mask (integers, string lists)
 * is evaluated per candidate. */
static uint32_t run_c(const vm_engine *e, const enode *n, int fid, uint32_t all, const vview *vals,
                      const cands_t *cd);

/* A mask test under every candidate (the common node, without a call). */
static inline uint32_t mask_c(const vm_engine *e, const enode *n, int fid, uint32_t all)
{
    return n->field == fid ? e->ncmask[n - e->nodes] : (e->code[n->field] & n->mask) != 0 ? all : 0;
}

static uint32_t run_c(const vm_engine *e, const enode *n, int fid, uint32_t all, const vview *vals,
                      const cands_t *cd)
{
    if (n->kind == N_MASK)
        return mask_c(e, n, fid, all);
    if (n->kind == N_ALL || n->kind == N_ANY || n->kind == N_ANYMASK) {
        const enode *k = n + 1;
        uint32_t a = all, o = 0;
        for (int i = 0; i < n->nkids; i++, k += k->skip) {
            uint32_t t = k->kind == N_MASK ? mask_c(e, k, fid, all) : run_c(e, k, fid, all, vals, cd);
            a &= t;
            o |= t;
        }
        return n->kind == N_ALL ? a : o;
    }
    if (n->kind == N_NOT)
        return all & ~run_c(e, n + 1, fid, all, vals, cd);
    if (n->kind == N_TRUE)
        return all;
    const vm_cond *c = n->leaf;
    if (c->field != fid)
        return eval_leaf(c, vals) ? all : 0;
    uint32_t m = 0;
    for (int k = 0; k < cd->n; k++) {
        vview w = {vals->v, fid, &cd->v[k]};
        m |= (uint32_t)eval_leaf(c, &w) << k;
    }
    return m;
}

/* The readers rd[0..nr) of field fid that would fire otherwise than in the
 * last evaluation (of v) under some candidate of fid, into e->chr/e->ch
 * (e->nch of them, in reader order, with those candidates as a mask) and
 * e->chall (every candidate that changes anything). One pass over the
 * readers serves every candidate (see vary). */
static void reader_changes(vm_engine *e, const vm_values *v, int fid, const uint16_t *rd, size_t nr)
{
    const cands_t *cd = &e->cands[fid];
    uint32_t all = CANDS_ALL(cd->n);
    vview base = {v, -1, NULL};
    size_t m = 0;
    uint32_t any = 0;
    for (size_t i = 0; i < nr; i++) {
        const erule *x = &e->er[rd[i]];
        uint32_t f;
        if (x->prog >= 0)
            f = run_c(e, &e->nodes[x->prog], fid, all, &base, cd);
        else
            f = x->field == fid ? x->cmask : (e->code[x->field] & x->mask) != 0 ? all : 0;
        f ^= e->fired[rd[i]] ? all : 0;
        e->chr[m] = rd[i];
        e->ch[m] = f;
        m += f != 0; /* written in any case, kept when it changes */
        any |= f;
    }
    e->nch = m;
    e->chall = any;
}

/* Result with field fid set to its candidate c, from the readers' changes
 * (reader_changes, for the same values and field): the readers that change
 * move the scores and exclusions of base, in reader order as a full
 * evaluation would add them. Only the paradigm is decided when anything
 * changed, and true is returned: decide_platforms finishes it when its
 * platforms are wanted (the questions want them only of the candidate they
 * keep). False: nothing changed, out is base. */
static bool vary(vm_engine *e, const vm_result *base, int c, vm_result *out)
{
    uint32_t bit = 1u << c;
    *out = *base;
    if (!(e->chall & bit))
        return false; /* no rule changes: the base result stands */
    uint16_t excl[VM_TARGET_COUNT];
    bool excl_moved = false;
    for (size_t i = 0; i < e->nch; i++) {
        if (!(e->ch[i] & bit))
            continue;
        const vm_rule *r = &e->rules[e->chr[i]];
        bool now = !e->fired[e->chr[i]];
        double k = (now ? 1.0 : -1.0) * e->factor[r->category];
        for (int t = 0; t < VM_TARGET_COUNT; t++)
            out->score[t] += r->scores[t] * k;
        if (r->excludes) {
            if (!excl_moved)
                memcpy(excl, e->excl_count, sizeof excl);
            excl_moved = true;
            for (int t = 0; t < VM_TARGET_COUNT; t++)
                if ((r->excludes >> t) & 1u)
                    excl[t] = (uint16_t)(excl[t] + (now ? 1 : -1));
        }
    }
    /* no changed rule excludes anything (the usual case): base's set stands */
    if (excl_moved) {
        out->excluded = 0;
        for (int t = 0; t < VM_TARGET_COUNT; t++)
            if (excl[t])
                out->excluded |= (uint16_t)(1u << t);
    }
    decide_paradigm(out);
    return true;
}

static bool same_value(const vm_field_def *f, const vm_value *a, const vm_value *b)
{
    if (a->set != b->set)
        return false;
    if (!a->set)
        return true;
    switch (f->type) {
    case VM_T_ENUM_LIST: return a->u.mask == b->u.mask;
    case VM_T_STR_LIST:
        return a->u.list.n == 1 && b->u.list.n == 1 && strcasecmp(a->u.list.items[0], b->u.list.items[0]) == 0;
    default: return a->u.i == b->u.i;
    }
}

/* What base_margin_in returns when r excludes the base winner: far below
 * any real margin (scores are bounded by the rules' weights), so that a
 * swing test `m <= MARGIN_EXCLUDED_BELOW` tells it from a real margin. */
#define MARGIN_EXCLUDED (-1e6)
#define MARGIN_EXCLUDED_BELOW (MARGIN_EXCLUDED / 10)
/* (asserted in base_margin_in; floating, so not a _Static_assert) */

/* margin of the base winner over the base runner-up under result r */
static double base_margin_in(const vm_result *base, const vm_result *r)
{
    assert(MARGIN_EXCLUDED < MARGIN_EXCLUDED_BELOW && MARGIN_EXCLUDED_BELOW < 0 &&
           "the excluded-winner sentinel must sit below its test threshold");
    if (base->paradigm < 0)
        return 0;
    if ((r->excluded >> base->paradigm) & 1u)
        return MARGIN_EXCLUDED;
    if (base->runner_up < 0)
        return 0;
    return r->score[base->paradigm] - r->score[base->runner_up];
}

/* Inserts v into the ranked list out[0..n) (at most cap long), after every
 * entry it does not come before: ties keep field order. Returns the new n. */
static size_t insert_ranked(vm_variation *out, size_t n, size_t cap, const vm_variation *v,
                            bool (*before)(const vm_variation *, const vm_variation *))
{
    size_t pos = n;
    while (pos > 0 && before(v, &out[pos - 1]))
        pos--;
    if (pos >= cap)
        return n;
    size_t last = n < cap ? n : cap - 1;
    memmove(&out[pos + 1], &out[pos], (last - pos) * sizeof *out);
    out[pos] = *v;
    return n < cap ? n + 1 : n;
}

/* unknowns: could flip first, then the larger swing */
static bool unknown_before(const vm_variation *a, const vm_variation *b)
{
    return (a->flips && !b->flips) || (a->flips == b->flips && a->swing > b->swing + VM_SCORE_EPS);
}

/* counterfactuals: a change of an answer given (swing 0) before answering an
 * unknown (swing 1), then the smaller distance, then the clearer flip */
static bool counterfactual_before(const vm_variation *a, const vm_variation *b)
{
    if (a->swing != b->swing)
        return a->swing < b->swing;
    if (a->distance != b->distance)
        return a->distance < b->distance;
    return a->margin > b->margin + VM_SCORE_EPS;
}

static int distance(const vm_field_def *f, const vm_value *from, const vm_value *to)
{
    if (!from->set)
        return 1;
    if (f->type == VM_T_ENUM && f->rank)
        return abs((int)f->rank[from->u.i] - (int)f->rank[to->u.i]);
    return 1;
}

static const vm_variation NO_VARIATION = {.paradigm = -1, .platform = -1, .container_platform = -1,
                                          .extra_platform = -1};

/* An unknown's best candidate so far: could flip first, then the larger
 * swing. *partial: r's platforms are still to be decided (see vary). */
static void unknown_take(vm_variation *best, bool *any, const vm_value *cand, vm_result *r, bool *partial,
                         double swing, bool flips)
{
    if (*any && !(flips && !best->flips) && !(flips == best->flips && swing > best->swing + VM_SCORE_EPS))
        return;
    if (*partial)
        decide_platforms(r);
    *partial = false;
    best->value = *cand;
    best->platform_tied = r->platform_tied;
    best->swing = swing;
    best->flips = flips;
    best->paradigm = r->paradigm;
    best->platform = r->platform;
    best->container_platform = r->container_platform;
    best->margin = r->margin;
    *any = true;
}

/* A counterfactual's best candidate so far: the smaller distance, then the
 * clearer flip. */
static void counterfactual_take(vm_variation *best, bool *any, const vm_value *cand, vm_result *r, bool *partial,
                                int dist)
{
    if (*any && !(dist < best->distance || (dist == best->distance && r->margin > best->margin + VM_SCORE_EPS)))
        return;
    if (*partial)
        decide_platforms(r);
    *partial = false;
    best->value = *cand;
    best->platform_tied = r->platform_tied;
    best->paradigm = r->paradigm;
    best->platform = r->platform;
    best->container_platform = r->container_platform;
    best->margin = r->margin;
    best->distance = dist;
    best->flips = true;
    *any = true;
}

/* A field's answers into the rankings: its unknown when `unknown`, its
 * counterfactual when `counterfactual` (`known`: the field is set). */
static void questions_add(vm_questions *q, bool unknown, const vm_variation *bu, bool counterfactual,
                          vm_variation *bc, bool known)
{
    if (unknown)
        q->nunknowns = insert_ranked(q->unknowns, q->nunknowns, q->unknowns_cap, bu, unknown_before);
    if (counterfactual) {
        bc->swing = known ? 0 : 1; /* sort key: known fields first */
        q->ncf = insert_ranked(q->cf, q->ncf, q->cf_cap, bc, counterfactual_before);
    }
}

/* The counterfactuals' sort key is not reported: 0, as for every variation. */
static void questions_finish(vm_questions *q)
{
    for (size_t i = 0; i < q->ncf; i++)
        q->cf[i].swing = 0;
}

struct vm_kept {
    vm_result *cell[VM_FIELD_COUNT];   /* per candidate of the field, or NULL */
    uint8_t *partial[VM_FIELD_COUNT];  /* per candidate: only its paradigm decided */
};

/* Both questions in one pass over the fields: an absent field's candidates
 * are varied once and serve its unknown and its counterfactual alike (the
 * answers are those of asking each question on its own). With q->keep,
 * every candidate of a field asked is varied and kept (vm_kept). */
vm_status vm_engine_questions(vm_engine *e, const vm_values *v, const vm_result *base, vm_questions *q)
{
    vm_status st = VM_OK;
    q->nunknowns = q->ncf = 0;
    q->kept = q->keep ? vm_arena_alloc(q->keep, sizeof *q->kept) : NULL;
    if (q->keep && !q->kept)
        st = VM_EIO;
    bool want_u = q->unknowns_cap > 0, want_cf = q->cf_cap > 0 && base->paradigm >= 0;
    double bm = base_margin_in(base, base);
    for (int fid = VM_F_WORKLOAD_ARCHITECTURE; fid < VM_FIELD_COUNT; fid++) {
        const vm_field_def *f = vm_field(fid);
        if (f->category < 0)
            continue;
        size_t nr;
        const uint16_t *rd = vm_ruleset_readers(e->rs, fid, &nr);
        if (nr == 0)
            continue;
        const vm_value *now = &v->v[fid];
        bool ask_u = want_u && !now->set;
        bool ask_cf = want_cf && may_flip(e, fid, base);
        if (!ask_u && !ask_cf)
            continue;
        reader_changes(e, v, fid, rd, nr);
        vm_variation bu = NO_VARIATION, bc = NO_VARIATION;
        bu.field = bc.field = fid;
        bool any_u = false, any_cf = false;
        double top = 0; /* the largest swing of any candidate, the one reported */
        int ncand = e->cands[fid].n;
        vm_result *cells = NULL;
        uint8_t *kp = NULL;
        if (q->kept) {
            cells = vm_arena_alloc_uninit(q->keep, (size_t)ncand * sizeof *cells);
            kp = vm_arena_alloc_uninit(q->keep, (size_t)ncand);
            if (!cells || !kp) {
                q->kept = NULL; /* the answers go on; the caller reports VM_EIO */
                cells = NULL;
                st = VM_EIO;
            } else {
                q->kept->cell[fid] = cells;
                q->kept->partial[fid] = kp;
            }
        }
        for (int i = 0; i < ncand; i++) {
            const vm_value *cand = &e->cands[fid].v[i];
            bool try_cf = ask_cf && !same_value(f, now, cand);
            if (!ask_u && !try_cf) {
                if (cells)
                    kp[i] = vary(e, base, i, &cells[i]);
                continue;
            }
            vm_result r;
            bool partial = vary(e, base, i, &r);
            if (ask_u) {
                double m = base_margin_in(base, &r);
                double swing = m <= MARGIN_EXCLUDED_BELOW ? bm + 1.0 : fabs(m - bm);
                top = swing > top ? swing : top;
                unknown_take(&bu, &any_u, cand, &r, &partial, swing, r.paradigm != base->paradigm);
            }
            if (try_cf && r.paradigm != base->paradigm && r.paradigm >= 0)
                counterfactual_take(&bc, &any_cf, cand, &r, &partial, distance(f, now, cand));
            if (cells) {
                cells[i] = r;
                kp[i] = partial;
            }
        }
        /* the example answer is the one that flips, else the largest
         * swing; the swing reported is the largest of any answer */
        bu.swing = top;
        /* a cut field's tried values cannot say that answering it would
         * not change the paradigm: only a flip found is claimed */
        bool claim_u = any_u && bu.swing >= VM_SCORE_EPS && (bu.flips || !e->cands[fid].cut);
        questions_add(q, claim_u, &bu, any_cf, &bc, now->set);
    }
    questions_finish(q);
    return st;
}

size_t vm_engine_unknowns(vm_engine *e, const vm_values *v, const vm_result *base, vm_variation *out,
                          size_t cap)
{
    vm_questions q = {.unknowns = out, .unknowns_cap = cap};
    vm_engine_questions(e, v, base, &q);
    return q.nunknowns;
}

size_t vm_engine_counterfactuals(vm_engine *e, const vm_values *v, const vm_result *base,
                                 vm_variation *out, size_t cap)
{
    vm_questions q = {.cf = out, .cf_cap = cap};
    vm_engine_questions(e, v, base, &q);
    return q.ncf;
}

/* ---- saved state ------------------------------------------------------------ */

/* Layout: factor, code, excl_count, then fired (nrules bytes). */
#define ST_FACTOR 0
#define ST_CODE (ST_FACTOR + sizeof(double) * VM_CAT_COUNT)
#define ST_EXCL (ST_CODE + sizeof(uint32_t) * (VM_FIELD_COUNT + 1))
#define ST_FIRED (ST_EXCL + sizeof(uint16_t) * VM_TARGET_COUNT)

size_t vm_engine_state_size(const vm_engine *e) { return ST_FIRED + e->nrules; }

void vm_engine_save(const vm_engine *e, void *state)
{
    char *p = state;
    memcpy(p + ST_FACTOR, e->factor, sizeof e->factor);
    memcpy(p + ST_CODE, e->code, sizeof e->code);
    memcpy(p + ST_EXCL, e->excl_count, sizeof e->excl_count);
    memcpy(p + ST_FIRED, e->fired, e->nrules);
}

void vm_engine_restore(vm_engine *e, const void *state)
{
    const char *p = state;
    memcpy(e->factor, p + ST_FACTOR, sizeof e->factor);
    memcpy(e->code, p + ST_CODE, sizeof e->code);
    memcpy(e->excl_count, p + ST_EXCL, sizeof e->excl_count);
    memcpy(e->fired, p + ST_FIRED, e->nrules);
}

/* ---- systems ------------------------------------------------------------------ */

/* The platform a family's components chose: the one chosen by most, a tie
 * by their summed scores of it, then platform id order. Its ties: the
 * platforms level with it on both counts, and when no component chose it
 * on evidence (each had it tied), the ties they had. `banned`: the
 * platforms of the family that some component of it excludes (a blocker
 * binds its component, and the system's platform of a kind is where every
 * component of that kind runs): while a chosen platform is not banned,
 * only such platforms are considered, in the votes, the pool and the ties. */
static int family_choice(int family, const int *votes, const double *sum, uint16_t untied_winner_mask,
                         const uint16_t *tied_with, uint16_t pool, uint16_t banned, uint16_t *tied, bool *by_votes)
{
    int lo, hi, best = -1;
    vm_family_range(family, &lo, &hi);
    uint16_t voted = 0;
    for (int t = lo; t <= hi; t++)
        voted |= votes[t] ? (uint16_t)(1u << t) : 0;
    /* what may be chosen: the platforms no component of the family
     * excludes, first among the votes, then among the tied components'
     * platforms (a vote for a banned platform does not outweigh them);
     * when every candidate is banned, every one */
    uint16_t ok = (uint16_t)~banned;
    if (voted & ok) {
        voted &= ok;
        pool &= ok;
    } else if (pool & ok) {
        voted = 0; /* the votes all went to banned platforms */
        pool &= ok;
    } else {
        ok = (uint16_t)0xFFFFu;
    }
    for (int t = lo; t <= hi; t++) {
        if (!((voted >> t) & 1u))
            continue;
        if (best < 0 || votes[t] > votes[best] || (votes[t] == votes[best] && sum[t] > sum[best] + VM_SCORE_EPS))
            best = t;
    }
    if (best < 0 && pool) {
        /* no component of the family chose its platform on evidence (each
         * had a tie): the summed scores decide among their tied platforms,
         * and level sums are a tie of the system */
        for (int t = lo; t <= hi; t++)
            if (((pool >> t) & 1u) && (best < 0 || sum[t] > sum[best] + VM_SCORE_EPS))
                best = t;
        uint16_t tie = 0;
        for (int t = lo; t <= hi; t++)
            if (((pool >> t) & 1u) && fabs(sum[t] - sum[best]) < VM_SCORE_EPS)
                tie |= (uint16_t)(1u << t);
        if (tie & (uint16_t)~(1u << best))
            *tied |= tie;
        *by_votes = false;
        return best;
    }
    if (best < 0)
        return -1;
    for (int t = lo; t <= hi; t++)
        if (t != best && ((voted >> t) & 1u) && votes[t] == votes[best])
            *by_votes = false;
    uint16_t tie = 0;
    for (int t = lo; t <= hi; t++)
        if (t != best && ((voted >> t) & 1u) && votes[t] == votes[best] && fabs(sum[t] - sum[best]) < VM_SCORE_EPS)
            tie |= (uint16_t)(1u << t);
    if (tie)
        tie |= (uint16_t)(1u << best);
    if (!((untied_winner_mask >> best) & 1u))
        tie |= tied_with[best] & ok;
    if (!(tie & (uint16_t)~(1u << best)))
        tie = 0;
    *tied |= tie;
    return best;
}

void vm_system_compose(const vm_result *const *parts, uint32_t n, vm_system *out)
{
    int votes[VM_TARGET_COUNT] = {0};
    double sum[VM_TARGET_COUNT] = {0};
    uint16_t untied = 0;                    /* platforms some component chose on evidence */
    uint16_t tied_with[VM_TARGET_COUNT] = {0}; /* the ties of the components that chose it tied */
    uint16_t pool[VM_PARADIGM_COUNT] = {0};    /* per family: the platforms its tied components
                                                * left to the fixed order (they cast no vote) */
    uint16_t banned[VM_PARADIGM_COUNT] = {0};  /* per family: the platforms a component of it excludes */
    bool abstained = false;
    bool present[VM_PARADIGM_COUNT] = {false};
    int common = -2;
    bool none = n == 0;
    out->confidence = n ? 1.0 : 0.0;
    out->platform_confidence = n ? 1.0 : 0.0;
    for (uint32_t i = 0; i < n; i++) {
        const vm_result *c = parts[i];
        if (c->paradigm < 0) {
            none = true;
            continue;
        }
        common = common == -2 ? c->paradigm : common == c->paradigm ? common : VM_T_HYBRID;
        if (c->confidence < out->confidence)
            out->confidence = c->confidence;
        if (c->platform_confidence < out->platform_confidence)
            out->platform_confidence = c->platform_confidence;
        /* the families this component runs, with the platform it chose for each */
        int fam[2] = {c->paradigm == VM_T_HYBRID ? VM_T_VM : c->paradigm, -1};
        int plat[2] = {c->platform, -1};
        uint16_t ties[2] = {c->platform_tied, c->platform_tied};
        if (c->paradigm == VM_T_HYBRID) {
            fam[1] = VM_T_CONTAINER;
            plat[1] = c->container_platform;
        }
        for (int k = 0; k < 2 && fam[k] >= 0; k++) {
            int lo, hi;
            present[fam[k]] = true;
            vm_family_range(fam[k], &lo, &hi);
            for (int t = lo; t <= hi; t++) {
                sum[t] += c->score[t];
                banned[fam[k]] |= c->excluded & (uint16_t)(1u << t);
            }
            if (plat[k] < 0)
                continue;
            if (ties[k] & (uint16_t)(1u << plat[k])) {
                /* the fixed order picked it: no choice, no vote (spec: the
                 * platform the components chose) */
                tied_with[plat[k]] |= ties[k];
                pool[fam[k]] |= ties[k];
                abstained = true;
                continue;
            }
            votes[plat[k]]++;
            untied |= (uint16_t)(1u << plat[k]);
        }
    }
    out->paradigm = none || common < 0 ? -1 : common;
    out->platform_tied = 0;
    for (int f = 0; f < VM_PARADIGM_COUNT; f++)
        out->platforms[f] = -1;
    out->platform = out->container_platform = out->extra_platform = -1;
    out->by_votes = true;
    if (out->paradigm < 0) {
        out->confidence = out->platform_confidence = 0;
        return;
    }
    static const int fams[3] = {VM_T_VM, VM_T_CONTAINER, VM_T_MICROVM};
    for (int k = 0; k < 3; k++)
        if (present[fams[k]])
            out->platforms[fams[k]] =
                family_choice(fams[k], votes, sum, untied, tied_with, pool[fams[k]], banned[fams[k]], &out->platform_tied,
                              &out->by_votes);
    /* whether a tied component votes depends on its scores, not only on its
     * choice: the shortcut that keeps a verdict when every part keeps its
     * choice (by_votes) does not hold then */
    if (abstained)
        out->by_votes = false;
    const int *pl = out->platforms;
    if (out->paradigm != VM_T_HYBRID) {
        out->platform = pl[out->paradigm];
    } else if (present[VM_T_VM]) {
        out->platform = pl[VM_T_VM];
        out->container_platform = pl[VM_T_CONTAINER];
        out->extra_platform = pl[VM_T_MICROVM];
    } else if (present[VM_T_MICROVM]) {
        out->platform = pl[VM_T_MICROVM];
        out->container_platform = pl[VM_T_CONTAINER];
    } else {
        out->platform = pl[VM_T_CONTAINER];
    }
}

/* Scratch layout: the results tab[MAX_CANDS * n], the row pointers
 * ptrs[n], then partial[MAX_CANDS * n] (see vary_parts). */
size_t vm_engine_system_scratch(uint32_t nparts)
{
    return (size_t)nparts * (MAX_CANDS * sizeof(vm_result) + sizeof(vm_result *) + MAX_CANDS);
}

/* Whether some part inherits field f (does not set it itself) and, with
 * `prune`, whether the paradigm of such a part may change at all (*may). */
static bool inherited(const vm_engine *e, const vm_part *parts, uint32_t n, int f, bool prune, bool *may)
{
    bool any = false;
    *may = false;
    for (uint32_t i = 0; i < n; i++) {
        if ((parts[i].own >> f) & 1u)
            continue;
        any = true;
        if (prune && !*may) {
            const char *st = parts[i].state;
            *may = may_flip_in(e, f, parts[i].res, (const uint8_t *)(st + ST_FIRED), (const double *)(st + ST_FACTOR));
        }
    }
    return any;
}

/* Varies field f over its candidates in every part that inherits it:
 * tab[c * n + i] is part i's result with candidate c (its own result when f
 * is its own), with only its paradigm decided when partial[c * n + i] (see
 * vary; finish_row decides the rest). */
static void vary_parts(vm_engine *e, const vm_part *parts, uint32_t n, int f, vm_result *tab, uint8_t *partial)
{
    const cands_t *cd = &e->cands[f];
    size_t nr;
    const uint16_t *rd = vm_ruleset_readers(e->rs, f, &nr);
    for (uint32_t i = 0; i < n; i++) {
        if ((parts[i].own >> f) & 1u) {
            for (int c = 0; c < cd->n; c++) {
                tab[(size_t)c * n + i] = *parts[i].res;
                partial[(size_t)c * n + i] = 0;
            }
            continue;
        }
        if (parts[i].kept && parts[i].kept->cell[f]) {
            /* the component's own questions varied f the same way */
            for (int c = 0; c < cd->n; c++) {
                tab[(size_t)c * n + i] = parts[i].kept->cell[f][c];
                partial[(size_t)c * n + i] = parts[i].kept->partial[f][c];
            }
            continue;
        }
        vm_engine_restore(e, parts[i].state);
        reader_changes(e, parts[i].values, f, rd, nr);
        for (int c = 0; c < cd->n; c++)
            partial[(size_t)c * n + i] = vary(e, parts[i].res, c, &tab[(size_t)c * n + i]);
    }
}

/* The system paradigm of a row, as vm_system_compose decides it: from the
 * parts' paradigms alone. */
static int row_paradigm(const vm_result *row, uint32_t n)
{
    int common = -2;
    bool none = n == 0;
    for (uint32_t i = 0; i < n; i++) {
        int p = row[i].paradigm;
        if (p < 0) {
            none = true;
            continue;
        }
        common = common == -2 ? p : common == p ? common : VM_T_HYBRID;
    }
    return none || common < 0 ? -1 : common;
}

/* Decides the platforms of a row's partial results, then composes it. */
static void compose_row(vm_result *row, uint8_t *partial, uint32_t n, const vm_result **ptrs, vm_system *out)
{
    for (uint32_t i = 0; i < n; i++) {
        if (partial[i])
            decide_platforms(&row[i]);
        partial[i] = 0;
        ptrs[i] = &row[i];
    }
    vm_system_compose(ptrs, n, out);
}

static void set_from_system(vm_variation *v, const vm_system *s)
{
    v->paradigm = s->paradigm;
    v->platform = s->platform;
    v->container_platform = s->container_platform;
    v->extra_platform = s->extra_platform;
    v->platform_tied = s->platform_tied;
    v->margin = s->confidence;
}

/* The largest change of an inheriting part's margin in row. */
static double system_swing(const vm_part *parts, uint32_t n, int fid, const vm_result *row)
{
    double swing = 0;
    for (uint32_t i = 0; i < n; i++) {
        if ((parts[i].own >> fid) & 1u)
            continue;
        double bm = base_margin_in(parts[i].res, parts[i].res);
        double m = base_margin_in(parts[i].res, &row[i]);
        double s = m <= MARGIN_EXCLUDED_BELOW ? bm + 1.0 : fabs(m - bm);
        if (s > swing)
            swing = s;
    }
    return swing;
}

/* Both of a system's questions in one pass over the fields; a field's
 * candidates are varied and composed once for both. */
void vm_engine_system_questions(vm_engine *e, const vm_values *parent, const vm_part *parts, uint32_t n,
                                const vm_system *base, void *scratch, vm_questions *q)
{
    vm_result *tab = scratch;
    const vm_result **ptrs = (const vm_result **)(tab + (size_t)MAX_CANDS * n);
    uint8_t *partial = (uint8_t *)(ptrs + n);
    q->nunknowns = q->ncf = 0;
    bool want_u = q->unknowns_cap > 0, want_cf = q->cf_cap > 0 && base->paradigm >= 0;
    for (int fid = VM_F_WORKLOAD_ARCHITECTURE; fid < VM_FIELD_COUNT; fid++) {
        const vm_field_def *f = vm_field(fid);
        if (f->category < 0)
            continue;
        size_t nr;
        vm_ruleset_readers(e->rs, fid, &nr);
        const vm_value *now = &parent->v[fid];
        bool ask_u = want_u && !now->set, may = false;
        if (nr == 0 || (!ask_u && !want_cf) || !inherited(e, parts, n, fid, want_cf, &may))
            continue;
        bool ask_cf = want_cf && may;
        if (!ask_u && !ask_cf)
            continue;
        vary_parts(e, parts, n, fid, tab, partial);
        vm_variation bu = NO_VARIATION, bc = NO_VARIATION;
        bu.field = bc.field = fid;
        bool any_u = false, any_cf = false;
        double top = 0; /* as in vm_engine_questions */
        for (int c = 0; c < e->cands[fid].n; c++) {
            const vm_value *cand = &e->cands[fid].v[c];
            bool try_cf = ask_cf && !same_value(f, now, cand);
            if (!ask_u && !try_cf)
                continue;
            /* the paradigm first; composed in full only for a candidate
             * that is kept or that flips it */
            vm_result *row = &tab[(size_t)c * n];
            uint8_t *rp = &partial[(size_t)c * n];
            int sp = row_paradigm(row, n);
            vm_system sys;
            bool composed = false;
            if (ask_u) {
                double swing = system_swing(parts, n, fid, row);
                top = swing > top ? swing : top;
                bool flips = sp != base->paradigm;
                if (!any_u || (flips && !bu.flips) || (flips == bu.flips && swing > bu.swing + VM_SCORE_EPS)) {
                    compose_row(row, rp, n, ptrs, &sys);
                    composed = true;
                    bu.value = *cand;
                    bu.swing = swing;
                    bu.flips = flips;
                    set_from_system(&bu, &sys);
                    any_u = true;
                }
            }
            if (!try_cf || sp == base->paradigm || sp < 0)
                continue;
            if (!composed)
                compose_row(row, rp, n, ptrs, &sys);
            int dist = distance(f, now, cand);
            if (!any_cf || dist < bc.distance || (dist == bc.distance && sys.confidence > bc.margin + VM_SCORE_EPS)) {
                bc.value = *cand;
                set_from_system(&bc, &sys);
                bc.distance = dist;
                bc.flips = true;
                any_cf = true;
            }
        }
        bu.swing = top;
        bool claim_u = any_u && !(bu.swing < VM_SCORE_EPS && !bu.flips) && (bu.flips || !e->cands[fid].cut);
        questions_add(q, claim_u, &bu, any_cf, &bc, now->set);
    }
    questions_finish(q);
}

size_t vm_engine_system_unknowns(vm_engine *e, const vm_values *parent, const vm_part *parts, uint32_t n,
                                 const vm_system *base, void *scratch, vm_variation *out, size_t cap)
{
    vm_questions q = {.unknowns = out, .unknowns_cap = cap};
    vm_engine_system_questions(e, parent, parts, n, base, scratch, &q);
    return q.nunknowns;
}

size_t vm_engine_system_counterfactuals(vm_engine *e, const vm_values *parent, const vm_part *parts, uint32_t n,
                                        const vm_system *base, void *scratch, vm_variation *out, size_t cap)
{
    vm_questions q = {.cf = out, .cf_cap = cap};
    vm_engine_system_questions(e, parent, parts, n, base, scratch, &q);
    return q.ncf;
}
