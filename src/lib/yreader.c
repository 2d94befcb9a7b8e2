/* yreader.c - event cursor helpers shared by the loaders (see yreader.h). */
#include "yreader.h"
#include "scalar.h"
#include "vmctr/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Room for a path's text: diagnostics keep 96 bytes of it, and the longest
 * `where` an unknown key is reported in (spec.components[N].section) is far
 * shorter. */
#define PATH_MAX_TEXT 160

static size_t path_put(const yr_path *p, char *buf, size_t cap)
{
    size_t n = p->up ? path_put(p->up, buf, cap) : 0;
    if (p->key)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? "." : "", p->key);
    else
        n += (size_t)snprintf(buf + n, cap - n, "[%u]", p->index);
    return n < cap ? n : cap - 1;
}

const char *yr_path_text(const yr_path *p, char *buf, size_t cap)
{
    buf[0] = '\0';
    path_put(p, buf, cap);
    return buf;
}

static void verr(yreader *r, uint32_t line, uint32_t col, const char *path, const char *fmt,
                 va_list ap)
{
    char msg[400];
    vsnprintf(msg, sizeof msg, fmt, ap);
    vm_diag_add(r->d, VM_SEV_ERROR, r->file, line, col, path, "%s", msg);
}

void yr_err(yreader *r, uint32_t line, uint32_t col, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr(r, line, col, path, fmt, ap);
    va_end(ap);
}

void yr_err_at(yreader *r, uint32_t line, uint32_t col, const yr_path *at, const char *fmt, ...)
{
    char path[PATH_MAX_TEXT];
    va_list ap;
    va_start(ap, fmt);
    verr(r, line, col, yr_path_text(at, path, sizeof path), fmt, ap);
    va_end(ap);
}

bool yr_fail(yreader *r)
{
    char msg[320];
    uint32_t line = 0, col = 0;
    ye_error(r->p, msg, sizeof msg, &line, &col);
    yr_err(r, line, col, "", "%s", msg);
    r->fatal = true;
    if (ye_oom(r->p))
        r->oom = true;
    return false;
}

bool yr_nomem(yreader *r)
{
    if (!r->oom)
        yr_err(r, r->ev.line, r->ev.col, "", "out of memory");
    r->oom = true;
    r->fatal = true;
    return false;
}

const char *yr_kind_name(ye_kind k)
{
    switch (k) {
    case YE_MAP_START: return "a mapping";
    case YE_SEQ_START: return "a list";
    case YE_SCALAR: return "a scalar";
    default: return "nothing";
    }
}

bool yr_skip(yreader *r)
{
    if (r->ev.kind == YE_SCALAR)
        return true;
    int depth = 0;
    do {
        if (r->ev.kind == YE_MAP_START || r->ev.kind == YE_SEQ_START)
            depth++;
        else if (r->ev.kind == YE_MAP_END || r->ev.kind == YE_SEQ_END)
            depth--;
        if (depth == 0)
            return true;
    } while (yr_next(r));
    return false;
}

bool yr_odd_key(yreader *r, const yr_path *at, uint32_t *count)
{
    for (;;) {
        if (*count > VM_LIMIT_ITEMS) {
            yr_err_at(r, r->ev.line, r->ev.col, at, "more than %u keys", VM_LIMIT_ITEMS);
            r->fatal = true;
            return false;
        }
        if (r->ev.kind == YE_SCALAR)
            return true;
        yr_err_at(r, r->ev.line, r->ev.col, at, "keys must be plain strings, found %s",
                  yr_kind_name(r->ev.kind));
        if (!yr_skip(r) || !yr_next(r) || !yr_skip(r))
            return false;
        if (!yr_next(r) || r->ev.kind == YE_MAP_END)
            return false;
        ++*count;
    }
}

bool yr_next_key(yreader *r, const char *path, uint32_t *count)
{
    yr_path at = {NULL, path, 0};
    return yr_next_key_at(r, &at, count);
}

bool yr_expect_map_at(yreader *r, const yr_path *at)
{
    if (r->ev.kind == YE_MAP_START)
        return true;
    if (yr_is_null(&r->ev))
        return false;
    yr_err_at(r, r->ev.line, r->ev.col, at, "expected a mapping, found %s", yr_kind_name(r->ev.kind));
    yr_skip(r);
    return false;
}

bool yr_expect_map(yreader *r, const char *path)
{
    yr_path at = {NULL, path, 0};
    return yr_expect_map_at(r, &at);
}

bool yr_expect_list(yreader *r, const char *path, const char *what)
{
    if (r->ev.kind == YE_SEQ_START)
        return true;
    yr_err(r, r->ev.line, r->ev.col, path, "expected a list of %s", what);
    yr_skip(r);
    return false;
}

bool yr_expect_text(yreader *r, const char *path)
{
    if (r->ev.kind == YE_SCALAR && !yr_is_null(&r->ev) && r->ev.len > 0)
        return true;
    yr_err(r, r->ev.line, r->ev.col, path, "expected a non-empty string, found %s",
           yr_is_null(&r->ev) ? "null" : yr_kind_name(r->ev.kind));
    yr_skip(r);
    return false;
}

bool yr_is(const yreader *r, const char *word)
{
    return r->ev.kind == YE_SCALAR && vm_scalar_eq(r->ev.text, r->ev.len, word);
}

const char *yr_text(const yreader *r, char *buf, size_t cap)
{
    size_t n = r->ev.kind == YE_SCALAR ? r->ev.len : 0;
    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(buf, r->ev.text, n);
    buf[n] = '\0';
    return buf;
}

static void unknown_key(yreader *r, const char *where, const char *const *cands, size_t n)
{
    char word[80], path[128];
    yr_text(r, word, sizeof word);
    snprintf(path, sizeof path, "%s%s%s", where, where[0] ? "." : "", word);
    const char *s = vm_suggest(word, cands, n);
    if (s)
        yr_err(r, r->ev.line, r->ev.col, path, "unknown key '%s' in %s (did you mean '%s'?)", word,
               where[0] ? where : "the document", s);
    else
        yr_err(r, r->ev.line, r->ev.col, path, "unknown key '%s' in %s", word,
               where[0] ? where : "the document");
}

void yr_unknown_key(yreader *r, const char *where, const char *const *cands, size_t n)
{
    unknown_key(r, where, cands, n);
}

void yr_unknown_key_at(yreader *r, const yr_path *where, const char *const *cands, size_t n)
{
    char text[PATH_MAX_TEXT];
    unknown_key(r, yr_path_text(where, text, sizeof text), cands, n);
}

bool yr_dup_key(yreader *r, const uint32_t *seen, const yr_path *at, const char *key)
{
    yr_err_at(r, r->ev.line, r->ev.col, at, "duplicate key '%s' (first defined on line %u)", key, *seen);
    return false;
}

int yr_each_key(yreader *r, const yr_path *where, yr_keys *it)
{
    while (yr_next_key_at(r, where, &it->count)) {
        size_t i = it->next;
        int k = -1;
        if (i < it->n && vm_scalar_eq(r->ev.text, r->ev.len, it->words[i]))
            k = (int)i;
        else
            for (i = 0; i < it->n; i++)
                if (vm_scalar_eq(r->ev.text, r->ev.len, it->words[i])) {
                    k = (int)i;
                    break;
                }
        if (k < 0) {
            it->unknowns++;
            if (!it->unknown || !it->unknown(r, where, it->ctx))
                yr_unknown_key_at(r, where, it->words, it->n);
            if (!yr_skip_value(r))
                return -1;
            continue;
        }
        it->next = (size_t)k + 1;
        it->line = r->ev.line;
        it->col = r->ev.col;
        const yr_path at = {where, it->words[k], 0};
        switch (yr_key_value(r, it->seen ? &it->seen[k] : NULL, &at, it->words[k])) {
        case YR_KEY_VALUE: return k;
        case YR_KEY_SKIPPED: it->dups++; continue;
        case YR_KEY_STOP: return -1;
        }
    }
    return -1;
}

bool yr_header_value(yreader *r, int h, const char *kind)
{
    const char *key = h == YR_H_API_VERSION ? "apiVersion" : "kind";
    const char *want = h == YR_H_API_VERSION ? "vmctr/v1" : kind;
    if (yr_is(r, want))
        return true;
    char w[64];
    yr_err(r, r->ev.line, r->ev.col, key, "'%s' is not supported: expected '%s'", yr_text(r, w, sizeof w), want);
    return yr_skip(r);
}

void yr_header_missing(yreader *r, const uint32_t *seen, uint32_t line, uint32_t col, const char *kind)
{
    if (!seen[YR_H_API_VERSION])
        yr_err(r, line, col, "apiVersion", "missing required key 'apiVersion' (expected 'vmctr/v1')");
    if (!seen[YR_H_KIND])
        yr_err(r, line, col, "kind", "missing required key 'kind' (expected '%s')", kind);
}

bool yr_too_large(vm_diags *d, const char *file, size_t len, uint32_t max, const char *what)
{
    if (len <= max)
        return false;
    vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "%s larger than %u bytes", what, max);
    return true;
}

bool yr_doc_start(yreader *r, const char *empty)
{
    if (!yr_next(r) || !yr_next(r))
        return false;
    if (r->ev.kind == YE_STREAM_END) {
        if (empty)
            yr_err(r, 1, 1, "", "%s", empty);
        return false;
    }
    return yr_next(r);
}

void yr_doc_end(yreader *r, const char *msg)
{
    while (yr_next(r) && r->ev.kind != YE_STREAM_END)
        if (r->ev.kind == YE_DOC_START) {
            yr_err(r, r->ev.line, r->ev.col, "", "%s", msg);
            break;
        }
}

bool yr_list(yreader *r, const char *key, const char *what, bool null_empty)
{
    if (!null_empty)
        return yr_expect_list(r, key, what);
    if (yr_is_null(&r->ev))
        return false;
    if (r->ev.kind == YE_SEQ_START)
        return true;
    yr_err(r, r->ev.line, r->ev.col, key, "expected a list of %s, found %s", what, yr_kind_name(r->ev.kind));
    yr_skip(r);
    return false;
}

bool yr_list_file_keys(yreader *r, const yr_list_file *f)
{
    enum { K_LIST = YR_H_COUNT, K_COUNT };
    const char *const words[K_COUNT] = {"apiVersion", "kind", f->key};
    uint32_t rl = r->ev.line, rc = r->ev.col, seen[K_COUNT] = {0};
    const yr_path top = {NULL, "", 0};
    yr_keys it = {.words = words, .n = K_COUNT, .seen = seen};
    for (int k; (k = yr_each_key(r, &top, &it)) >= 0;) {
        if (k == YR_H_KIND && f->other_kind && f->other_kind(r)) {
            if (!yr_skip(r))
                return false;
            continue;
        }
        if (k < YR_H_COUNT) {
            if (!yr_header_value(r, k, f->kind))
                return false;
            continue;
        }
        if (yr_list(r, f->key, f->what, f->null_empty))
            for (uint32_t i = 0; yr_item(r); i++)
                f->item(f->ctx, i);
    }
    if (r->fatal)
        return false;
    yr_header_missing(r, seen, rl, rc, f->kind);
    if (!seen[K_LIST])
        yr_err(r, rl, rc, f->key, "missing required key '%s'", f->key);
    return true;
}

bool yr_rule_known(yreader *r, const vm_ruleset *rs, const char *id, uint32_t line, uint32_t col, const char *path)
{
    if (!rs || vm_ruleset_find(rs, id))
        return true;
    const char *s = vm_ruleset_suggest(rs, id);
    yr_err(r, line, col, path, "unknown rule '%s'%s%s%s", id, s ? " (did you mean '" : "", s ? s : "",
           s ? "'?)" : "");
    return false;
}
