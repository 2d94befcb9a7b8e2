/* jw.c - streaming JSON writer (see jw.h). */
#include "util/jsonw.h"

#include <string.h>

void jw_init(jw *j, vm_buf *b, bool pretty)
{
    j->b = b;
    j->pretty = pretty;
    j->depth = 0;
    j->first[0] = true;
    j->after_key = false;
}

static void indent(jw *j)
{
    if (!j->pretty)
        return;
    vm_buf_putc(j->b, '\n');
    for (int i = 0; i < j->depth; i++)
        vm_buf_put(j->b, "  ", 2);
}

/* before any value or key */
static void sep(jw *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (j->depth > 0) {
        if (!j->first[j->depth])
            vm_buf_putc(j->b, ',');
        indent(j);
    }
    j->first[j->depth] = false;
}

static void open(jw *j, char c)
{
    sep(j);
    vm_buf_putc(j->b, c);
    if (j->depth < 31)
        j->depth++;
    j->first[j->depth] = true;
}

static void close(jw *j, char c)
{
    bool empty = j->first[j->depth];
    if (j->depth > 0)
        j->depth--;
    if (!empty)
        indent(j);
    vm_buf_putc(j->b, c);
}

void jw_obj(jw *j) { open(j, '{'); }
void jw_obj_end(jw *j) { close(j, '}'); }
void jw_arr(jw *j) { open(j, '['); }
void jw_arr_end(jw *j) { close(j, ']'); }

/* "s" followed by `tail`, copied without scanning for escapes */
static void raw_quoted(vm_buf *b, const char *s, size_t n, const char *tail, size_t tl)
{
    if (!vm_buf_reserve(b, n + tl + 2))
        return;
    char *p = b->data + b->len;
    *p++ = '"';
    memcpy(p, s, n);
    p += n;
    *p++ = '"';
    memcpy(p, tail, tl);
    p += tl;
    *p = '\0';
    b->len = (size_t)(p - b->data);
}

void jw_keyn(jw *j, const char *k, size_t n)
{
    sep(j);
    if (j->pretty)
        raw_quoted(j->b, k, n, ": ", 2);
    else
        raw_quoted(j->b, k, n, ":", 1);
    j->after_key = true;
}

void jw_sym(jw *j, const char *s)
{
    sep(j);
    if (!s)
        vm_buf_put(j->b, "null", 4);
    else
        raw_quoted(j->b, s, strlen(s), "", 0);
}

void jw_str(jw *j, const char *s)
{
    sep(j);
    vm_buf_json_str(j->b, s);
}

void jw_num(jw *j, double v, int digits)
{
    sep(j);
    vm_buf_num(j->b, v, digits);
}

void jw_int(jw *j, long long v)
{
    sep(j);
    vm_buf_int(j->b, v);
}

void jw_bool(jw *j, bool v)
{
    sep(j);
    vm_buf_puts(j->b, v ? "true" : "false");
}

void jw_raw(jw *j, const char *s, size_t n)
{
    sep(j);
    vm_buf_put(j->b, s, n);
}

void jw_null(jw *j)
{
    sep(j);
    vm_buf_put(j->b, "null", 4);
}

