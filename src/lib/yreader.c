/* yreader.c - event cursor helpers shared by the loaders (see yreader.h). */
#include "yreader.h"
#include "scalar.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void yr_err(yreader *r, uint32_t line, uint32_t col, const char *path, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    vm_diag_add(r->d, VM_SEV_ERROR, r->file, line, col, path, "%s", msg);
}

bool yr_fail(yreader *r)
{
    char msg[320];
    uint32_t line = 0, col = 0;
    ye_error(r->p, msg, sizeof msg, &line, &col);
    yr_err(r, line, col, "", "%s", msg);
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

bool yr_is_null(const ye_event *e)
{
    return e->kind == YE_SCALAR && vm_scalar_is_null(e->text, e->len, e->plain);
}

bool yr_next_key(yreader *r, const char *path, uint32_t *count)
{
    for (;;) {
        if (!yr_next(r) || r->ev.kind == YE_MAP_END)
            return false;
        if (++*count > VM_LIMIT_ITEMS) {
            yr_err(r, r->ev.line, r->ev.col, path, "more than %u keys", VM_LIMIT_ITEMS);
            r->fatal = true;
            return false;
        }
        if (r->ev.kind == YE_SCALAR)
            return true;
        yr_err(r, r->ev.line, r->ev.col, path, "keys must be plain strings, found %s",
               yr_kind_name(r->ev.kind));
        if (!yr_skip(r) || !yr_next(r) || !yr_skip(r))
            return false;
    }
}

bool yr_expect_map(yreader *r, const char *path)
{
    if (r->ev.kind == YE_MAP_START)
        return true;
    if (yr_is_null(&r->ev))
        return false;
    yr_err(r, r->ev.line, r->ev.col, path, "expected a mapping, found %s", yr_kind_name(r->ev.kind));
    yr_skip(r);
    return false;
}

bool yr_is(const yreader *r, const char *word)
{
    return r->ev.kind == YE_SCALAR && strlen(word) == r->ev.len && memcmp(word, r->ev.text, r->ev.len) == 0;
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

void yr_unknown_key(yreader *r, const char *where, const char *const *cands, size_t n)
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
