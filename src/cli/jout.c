/* jout.c - streaming JSON writer for commands (see jout.h). */
#include "jout.h"

void jo_init(jout *j, vm_buf *b)
{
    j->b = b;
    j->depth = 0;
    j->first[0] = true;
    j->after_key = false;
}

static void indent(jout *j)
{
    vm_buf_putc(j->b, '\n');
    for (int i = 0; i < j->depth; i++)
        vm_buf_put(j->b, "  ", 2);
}

/* before any value or key */
static void sep(jout *j)
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

static void open(jout *j, char c)
{
    sep(j);
    vm_buf_putc(j->b, c);
    if (j->depth < 31)
        j->depth++;
    j->first[j->depth] = true;
}

static void close(jout *j, char c)
{
    bool empty = j->first[j->depth];
    if (j->depth > 0)
        j->depth--;
    if (!empty)
        indent(j);
    vm_buf_putc(j->b, c);
}

void jo_obj(jout *j) { open(j, '{'); }
void jo_obj_end(jout *j) { close(j, '}'); }
void jo_arr(jout *j) { open(j, '['); }
void jo_arr_end(jout *j) { close(j, ']'); }

void jo_key(jout *j, const char *k)
{
    sep(j);
    vm_buf_json_str(j->b, k);
    vm_buf_put(j->b, ": ", 2);
    j->after_key = true;
}

void jo_str(jout *j, const char *s)
{
    sep(j);
    if (s)
        vm_buf_json_str(j->b, s);
    else
        vm_buf_put(j->b, "null", 4);
}

void jo_num(jout *j, double v, int digits)
{
    sep(j);
    vm_buf_num(j->b, v, digits);
}

void jo_int(jout *j, long long v)
{
    sep(j);
    vm_buf_printf(j->b, "%lld", v);
}

void jo_bool(jout *j, bool v)
{
    sep(j);
    vm_buf_puts(j->b, v ? "true" : "false");
}

void jo_null(jout *j)
{
    sep(j);
    vm_buf_put(j->b, "null", 4);
}

void jo_kstr(jout *j, const char *k, const char *s) { jo_key(j, k); jo_str(j, s); }
void jo_knum(jout *j, const char *k, double v, int d) { jo_key(j, k); jo_num(j, v, d); }
void jo_kint(jout *j, const char *k, long long v) { jo_key(j, k); jo_int(j, v); }
void jo_kbool(jout *j, const char *k, bool v) { jo_key(j, k); jo_bool(j, v); }
