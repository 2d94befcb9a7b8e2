/*
 * answers.c - answers for `vmctr init` (see answers.h): reads a YAML
 * answers document into the an_node tree of answers_int.h (JSON goes
 * through answers_json.c), then applies the tree to profile values, field
 * by field, through the same checks as `--set`.
 */
#include "vmctr/sys/answers.h"
#include "answers_int.h"
#include "scalar.h"
#include "yevent.h"
#include "yreader.h"

#include <stdio.h>
#include <string.h>

void an_append(an_node *parent, an_node *kid)
{
    if (parent->last)
        parent->last->next = kid;
    else
        parent->first = kid;
    parent->last = kid;
    parent->n++;
}

/* ---- YAML -> tree ------------------------------------------------------- */

/* The tree is built on yreader.h's reading state, with ye_next rather than
 * the yr_* readers: of its flags only fatal is used (set on any error). */
static bool ynext(yreader *y)
{
    char err[300];
    uint32_t line = 0, col = 0;
    if (ye_next(y->p, &y->ev, err, sizeof err, &line, &col))
        return true;
    vm_diag_add(y->d, VM_SEV_ERROR, y->file, line, col, "", "%s", err);
    y->fatal = true;
    return false;
}

static void *oom(yreader *y)
{
    vm_diag_add(y->d, VM_SEV_ERROR, y->file, 0, 0, "", "out of memory");
    y->fatal = true;
    return NULL;
}

/* Builds the node that starts at y->ev. */
static an_node *ynode(yreader *y)
{
    an_node *n = vm_arena_alloc(y->a, sizeof *n);
    if (!n)
        return oom(y);
    n->line = y->ev.line;
    n->col = y->ev.col;
    switch (y->ev.kind) {
    case YE_SCALAR:
        if (vm_scalar_is_null(y->ev.text, y->ev.len, y->ev.plain)) {
            n->kind = AN_NULL;
            return n;
        }
        n->kind = AN_SCALAR;
        n->plain = y->ev.plain;
        n->text = vm_arena_strndup(y->a, y->ev.text, y->ev.len);
        return n->text ? n : oom(y);
    case YE_SEQ_START:
    case YE_MAP_START: {
        bool map = y->ev.kind == YE_MAP_START;
        n->kind = map ? AN_MAP : AN_SEQ;
        for (;;) {
            if (!ynext(y))
                return NULL;
            if (y->ev.kind == (map ? YE_MAP_END : YE_SEQ_END))
                return n;
            if (n->n >= VM_LIMIT_ITEMS) {
                vm_diag_add(y->d, VM_SEV_ERROR, y->file, y->ev.line, y->ev.col, "", "more than %u items in one %s",
                            VM_LIMIT_ITEMS, map ? "mapping" : "sequence");
                y->fatal = true;
                return NULL;
            }
            const char *key = NULL;
            uint32_t kl = 0, kc = 0;
            if (map) {
                if (y->ev.kind != YE_SCALAR) {
                    vm_diag_add(y->d, VM_SEV_ERROR, y->file, y->ev.line, y->ev.col, "",
                                "mapping keys must be plain strings");
                    y->fatal = true;
                    return NULL;
                }
                key = vm_arena_strndup(y->a, y->ev.text, y->ev.len);
                kl = y->ev.line;
                kc = y->ev.col;
                if (!key || !ynext(y))
                    return key ? NULL : oom(y);
            }
            an_node *k = ynode(y);
            if (!k)
                return NULL;
            k->key = key;
            k->kline = kl;
            k->kcol = kc;
            an_append(n, k);
        }
    }
    default:
        vm_diag_add(y->d, VM_SEV_ERROR, y->file, y->ev.line, y->ev.col, "", "unexpected YAML event");
        y->fatal = true;
        return NULL;
    }
}

static an_node *yaml_tree(vm_arena *a, const char *file, const char *data, size_t len, vm_diags *d)
{
    yreader y = {.a = a, .file = file, .d = d};
    y.p = ye_open(data, len, 1);
    if (!y.p) {
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
        return NULL;
    }
    an_node *root = NULL;
    /* STREAM_START, DOC_START (or STREAM_END for an empty file) */
    while (ynext(&y) && (y.ev.kind == YE_STREAM_START || y.ev.kind == YE_DOC_START))
        ;
    if (!y.fatal && y.ev.kind == YE_STREAM_END) {
        root = vm_arena_alloc(a, sizeof *root);
        if (root)
            root->kind = AN_NULL;
        else
            oom(&y);
    } else if (!y.fatal) {
        root = ynode(&y);
        if (root && ynext(&y) && y.ev.kind == YE_DOC_END && ynext(&y) && y.ev.kind != YE_STREAM_END) {
            vm_diag_add(d, VM_SEV_ERROR, file, y.ev.line, y.ev.col, "",
                        "an answers file holds one document; found another");
            root = NULL;
        }
        if (y.fatal)
            root = NULL;
    }
    ye_close(y.p);
    return root;
}

/* ---- applying answers --------------------------------------------------- */

typedef struct {
    vm_arena *a;
    const char *file;
    vm_values *vals;
    vm_diags *d;
    uint32_t seen_line[VM_FIELD_COUNT];
    bool seen[VM_FIELD_COUNT];
} ap;

/* An error about a value, at the value. */
static void err(ap *c, const an_node *n, const char *path, const char *fmt, const char *arg)
{
    vm_diag_add(c->d, VM_SEV_ERROR, c->file, n->line, n->col, path, fmt, arg);
}

/* An error about a key, at the key. */
static void errk(ap *c, const an_node *n, const char *path, const char *fmt, const char *arg)
{
    vm_diag_add(c->d, VM_SEV_ERROR, c->file, n->key ? n->kline : n->line, n->key ? n->kcol : n->col, path, fmt,
                arg);
}

static vm_status set_name_like(vm_arena *a, vm_values *vals, int id, const char *text, char *msg, size_t cap)
{
    const vm_field_def *f = vm_field(id);
    if (id == VM_F_META_NAME) {
        const char *why = vm_scalar_dns_label(text, strlen(text));
        if (why) {
            snprintf(msg, cap, "%s: '%.80s' %s", f->path, text, why);
            return VM_EPROFILE;
        }
    }
    if (strlen(text) > VM_LIMIT_SCALAR_BYTES) {
        snprintf(msg, cap, "%s: longer than %u bytes", f->path, VM_LIMIT_SCALAR_BYTES);
        return VM_EPROFILE;
    }
    vm_value v = {.set = true};
    v.u.s = vm_arena_strndup(a, text, strlen(text));
    if (!v.u.s) {
        snprintf(msg, cap, "out of memory");
        return VM_EIO;
    }
    vals->v[id] = v;
    return VM_OK;
}

/* Adds (or replaces) one label. */
static vm_status add_label(vm_arena *a, vm_values *vals, const char *key, size_t klen, const char *val, char *msg,
                           size_t cap)
{
    vm_value *v = &vals->v[VM_F_META_LABELS];
    uint32_t n = v->set ? v->u.map.n : 0;
    for (uint32_t i = 0; i < n; i++)
        if (strlen(v->u.map.keys[i]) == klen && memcmp(v->u.map.keys[i], key, klen) == 0) {
            v->u.map.vals[i] = vm_arena_strndup(a, val, strlen(val));
            if (v->u.map.vals[i])
                return VM_OK;
            snprintf(msg, cap, "out of memory");
            return VM_EIO;
        }
    if (n >= VM_LIMIT_ITEMS) {
        snprintf(msg, cap, "metadata.labels: more than %u items", VM_LIMIT_ITEMS);
        return VM_EPROFILE;
    }
    const char **keys = vm_arena_alloc(a, (n + 1) * sizeof(char *));
    const char **vs = vm_arena_alloc(a, (n + 1) * sizeof(char *));
    if (!keys || !vs) {
        snprintf(msg, cap, "out of memory");
        return VM_EIO;
    }
    if (n) {
        memcpy(keys, v->u.map.keys, n * sizeof(char *));
        memcpy(vs, v->u.map.vals, n * sizeof(char *));
    }
    keys[n] = vm_arena_strndup(a, key, klen);
    vs[n] = vm_arena_strndup(a, val, strlen(val));
    if (!keys[n] || !vs[n]) {
        snprintf(msg, cap, "out of memory");
        return VM_EIO;
    }
    v->set = true;
    v->u.map.keys = keys;
    v->u.map.vals = vs;
    v->u.map.n = n + 1;
    return VM_OK;
}

/* "name" -> VM_F_META_NAME etc.; -1 when `path` is not a metadata field. */
static int meta_field(const char *path, size_t len)
{
    if (len > 9 && memcmp(path, "metadata.", 9) == 0) {
        path += 9;
        len -= 9;
    }
    static const struct {
        const char *k;
        int id;
    } m[] = {{"name", VM_F_META_NAME},
             {"owner", VM_F_META_OWNER},
             {"description", VM_F_META_DESCRIPTION},
             {"labels", VM_F_META_LABELS}};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (strlen(m[i].k) == len && memcmp(m[i].k, path, len) == 0)
            return m[i].id;
    return -1;
}

vm_status vm_answers_set(vm_arena *a, vm_values *vals, const char *assignment, int *field_out, char *msg,
                         size_t cap)
{
    const char *eq = strchr(assignment, '=');
    if (!eq)
        return vm_values_set_text(a, vals, assignment, field_out, msg, cap);
    size_t kl = (size_t)(eq - assignment);
    const char *val = eq + 1;
    /* labels.KEY=VALUE, metadata.labels.KEY=VALUE */
    const char *lk = NULL;
    if (kl > 7 && memcmp(assignment, "labels.", 7) == 0)
        lk = assignment + 7;
    else if (kl > 16 && memcmp(assignment, "metadata.labels.", 16) == 0)
        lk = assignment + 16;
    if (lk) {
        if (field_out)
            *field_out = VM_F_META_LABELS;
        return add_label(a, vals, lk, (size_t)(eq - lk), val, msg, cap);
    }
    int id = meta_field(assignment, kl);
    if (id < 0)
        return vm_values_set_text(a, vals, assignment, field_out, msg, cap);
    if (field_out)
        *field_out = id;
    if (vm_scalar_is_null(val, strlen(val), true) || strcmp(val, "unknown") == 0) {
        memset(&vals->v[id], 0, sizeof vals->v[id]);
        return VM_OK;
    }
    if (id == VM_F_META_LABELS) {
        snprintf(msg, cap, "metadata.labels: set one label with labels.KEY=VALUE");
        return VM_EUSAGE;
    }
    return set_name_like(a, vals, id, val, msg, cap);
}

/* Sets field `id` from node n. */
static void set_field(ap *c, int id, const an_node *n)
{
    const vm_field_def *f = vm_field(id);
    char msg[500];
    vm_status st = VM_OK;
    if (c->seen[id]) {
        char where[200];
        if (c->seen_line[id])
            snprintf(where, sizeof where, "%s is given twice (first on line %u)", f->path, c->seen_line[id]);
        else
            snprintf(where, sizeof where, "%s is given twice", f->path);
        errk(c, n, "", "%s", where);
        return;
    }
    c->seen[id] = true;
    c->seen_line[id] = n->key ? n->kline : n->line;
    vm_value *v = &c->vals->v[id];
    if (n->kind == AN_NULL) {
        memset(v, 0, sizeof *v);
        return;
    }
    bool list = f->type == VM_T_ENUM_LIST || f->type == VM_T_STR_LIST;
    if (f->type == VM_T_STR_MAP) {
        if (n->kind != AN_MAP) {
            err(c, n, f->path, "expected a mapping of strings, e.g. {%s}", "tier: backend");
            return;
        }
        memset(v, 0, sizeof *v);
        for (const an_node *k = n->first; k && st == VM_OK; k = k->next) {
            if (k->kind != AN_SCALAR) {
                err(c, k, f->path, "label '%s' must have a string value", k->key);
                return;
            }
            st = add_label(c->a, c->vals, k->key, strlen(k->key), k->text, msg, sizeof msg);
        }
    } else if (n->kind == AN_SEQ && list) {
        memset(v, 0, sizeof *v);
        uint32_t cnt = 0;
        const char **items = vm_arena_alloc(c->a, (n->n ? n->n : 1) * sizeof(char *));
        if (!items) {
            err(c, n, "", "%s", "out of memory");
            return;
        }
        for (const an_node *k = n->first; k; k = k->next) {
            if (k->kind != AN_SCALAR) {
                err(c, k, f->path, "%s", "list items must be strings");
                return;
            }
            if (f->type == VM_T_ENUM_LIST) {
                int idx = vm_field_enum_index(f, k->text, strlen(k->text));
                if (idx < 0) {
                    const char *s = vm_suggest(k->text, f->values, f->nvalues);
                    char m2[300];
                    snprintf(m2, sizeof m2, "'%.64s' is not a known value%s%s%s", k->text, s ? " (did you mean '" : "",
                             s ? s : "", s ? "'?)" : "");
                    err(c, k, f->path, "%s", m2);
                    memset(v, 0, sizeof *v);
                    return;
                }
                v->u.mask |= 1u << idx;
            } else {
                items[cnt++] = k->text;
            }
        }
        v->set = true;
        if (f->type == VM_T_STR_LIST) {
            v->u.list.n = cnt;
            v->u.list.items = items;
            v->u.list.lines = vm_arena_alloc(c->a, (cnt ? cnt : 1) * sizeof(uint32_t));
            v->u.list.cols = vm_arena_alloc(c->a, (cnt ? cnt : 1) * sizeof(uint32_t));
            if (!v->u.list.lines || !v->u.list.cols) {
                snprintf(msg, sizeof msg, "out of memory");
                st = VM_EIO;
            }
        }
    } else if (n->kind != AN_SCALAR) {
        err(c, n, f->path, "expected %s", list ? "a list" : "a single value");
        return;
    } else if (id == VM_F_META_NAME || id == VM_F_META_OWNER || id == VM_F_META_DESCRIPTION) {
        st = set_name_like(c->a, c->vals, id, n->text, msg, sizeof msg);
    } else {
        if (f->type == VM_T_BOOL && !n->plain) {
            err(c, n, f->path, "expected true or false, found the string '%s'", n->text);
            return;
        }
        size_t pl = strlen(f->path), tl = strlen(n->text);
        char *as = vm_arena_alloc(c->a, pl + tl + 2);
        if (!as) {
            err(c, n, "", "%s", "out of memory");
            return;
        }
        memcpy(as, f->path, pl);
        as[pl] = '=';
        memcpy(as + pl + 1, n->text, tl + 1);
        st = vm_values_set_text(c->a, c->vals, as, NULL, msg, sizeof msg);
    }
    if (st != VM_OK) {
        vm_diag_add(c->d, VM_SEV_ERROR, c->file, n->line, n->col, "", "%s", msg);
        return;
    }
    if (v->set) {
        v->line = n->line;
        v->col = n->col;
    }
}

static bool is_section(const char *s)
{
    if (strcmp(s, "metadata") == 0)
        return true;
    for (size_t i = 0; i < vm_spec_section_count; i++)
        if (strcmp(vm_spec_sections[i], s) == 0)
            return true;
    return false;
}

static void unknown_key(ap *c, const an_node *n, const char *path)
{
    const char *cands[VM_FIELD_COUNT + 4];
    size_t nc = 0;
    for (int i = 0; i < VM_FIELD_COUNT; i++) {
        const char *p = vm_field(i)->path;
        cands[nc++] = strncmp(p, "spec.", 5) == 0 ? p + 5 : p;
    }
    const char *w = strncmp(path, "spec.", 5) == 0 ? path + 5 : path;
    const char *s = NULL;
    /* a bare key ("gui") that one section has: suggest "workload.gui" */
    for (int i = VM_F_WORKLOAD_ARCHITECTURE; i < VM_FIELD_COUNT && !strchr(w, '.'); i++)
        if (strcmp(vm_field(i)->key, w) == 0) {
            s = s ? NULL : cands[i];
            if (!s)
                break;
        }
    if (!s)
        s = vm_suggest(w, cands, nc);
    char m[300];
    if (s)
        snprintf(m, sizeof m, "unknown field '%.100s' (did you mean '%s'?)", path, s);
    else
        snprintf(m, sizeof m, "unknown field '%.100s'", path);
    errk(c, n, "", "%s", m);
}

/* Applies the entries of mapping `map`, whose keys are relative to
 * `prefix` ("" at the top, "metadata", "workload", ...). */
static void apply_map(ap *c, const an_node *map, const char *prefix)
{
    for (const an_node *k = map->first; k; k = k->next) {
        /* duplicate keys in one mapping */
        bool dup = false;
        for (const an_node *o = map->first; o != k; o = o->next)
            if (strcmp(o->key, k->key) == 0) {
                char m[200];
                snprintf(m, sizeof m, "duplicate key '%.80s' (first on line %u)", k->key, o->kline);
                errk(c, k, "", "%s", m);
                dup = true;
                break;
            }
        if (dup)
            continue;
        char path[256];
        if (snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", k->key) >= (int)sizeof path) {
            errk(c, k, "", "%s", "key too long");
            continue;
        }
        const char *p = path;
        if (strncmp(p, "spec.", 5) == 0)
            p += 5;
        if (!*prefix && (strcmp(p, "apiVersion") == 0 || strcmp(p, "kind") == 0)) {
            const char *want = p[0] == 'a' ? "vmctr/v1" : "WorkloadProfile";
            if (k->kind != AN_SCALAR || strcmp(k->text, want) != 0) {
                char m[120];
                snprintf(m, sizeof m, "%s must be '%s'", p, want);
                err(c, k, "", "%s", m);
            }
            continue;
        }
        if (strcmp(p, "components") == 0) {
            errk(c, k, "", "%s", "components are not set by `vmctr init`; add them to the written profile");
            continue;
        }
        int id = -1;
        if (strcmp(p, "spec") == 0 || strcmp(p, "metadata") == 0) {
            id = -1;
        } else if (!*prefix || strcmp(prefix, "metadata") == 0) {
            id = meta_field(p, strlen(p));
        }
        if (id < 0 && strncmp(p, "metadata.", 9) != 0)
            id = vm_field_find(p, strlen(p));
        if (id >= 0) {
            set_field(c, id, k);
            continue;
        }
        /* labels.KEY: value */
        if (strncmp(p, "labels.", 7) == 0 || strncmp(p, "metadata.labels.", 16) == 0) {
            const char *lk = p[0] == 'l' ? p + 7 : p + 16;
            char m[300];
            if (k->kind != AN_SCALAR) {
                err(c, k, "metadata.labels", "label '%s' must have a string value", lk);
            } else if (add_label(c->a, c->vals, lk, strlen(lk), k->text, m, sizeof m) != VM_OK) {
                err(c, k, "", "%s", m);
            }
            continue;
        }
        if (strcmp(p, "spec") == 0 || is_section(p)) {
            if (k->kind == AN_NULL)
                continue;
            if (k->kind != AN_MAP) {
                err(c, k, "", "%s", "a section must be a mapping");
                continue;
            }
            apply_map(c, k, strcmp(p, "spec") == 0 ? "" : p);
            continue;
        }
        unknown_key(c, k, p);
    }
}

/* The status of a load that added errors to d from item `from` on: out of
 * memory is VM_EIO, a system error; anything else is a bad answer. */
static vm_status failed(const vm_diags *d, size_t from)
{
    return vm_diags_out_of_memory(d, from) ? VM_EIO : VM_EPROFILE;
}

vm_status vm_answers_load(vm_arena *a, const char *file, const char *data, size_t len, vm_values *vals,
                          vm_diags *d)
{
    size_t before = d->errors, from = d->count;
    if (len > VM_LIMIT_DOC_BYTES) {
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "larger than %u bytes", VM_LIMIT_DOC_BYTES);
        return VM_EPROFILE;
    }
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    an_node *root = i < len && data[i] == '{' ? vm_answers_json_tree(a, file, data, len, d)
                                              : yaml_tree(a, file, data, len, d);
    if (!root)
        return failed(d, from);
    if (root->kind == AN_NULL)
        return d->errors > before ? failed(d, from) : VM_OK;
    if (root->kind != AN_MAP) {
        vm_diag_add(d, VM_SEV_ERROR, file, root->line, root->col, "",
                    "expected a mapping of answers (field: value)");
        return VM_EPROFILE;
    }
    ap *c = vm_arena_alloc(a, sizeof *c);
    if (!c) {
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
        return VM_EIO;
    }
    c->a = a;
    c->file = file;
    c->vals = vals;
    c->d = d;
    /* a YAML document may nest sections up to VM_LIMIT_DEPTH; apply_map
     * recurses only through section mappings, which are at most 3 deep */
    apply_map(c, root, "");
    return d->errors > before ? failed(d, from) : VM_OK;
}
