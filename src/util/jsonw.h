/*
 * util/jsonw.h (internal) - a streaming JSON writer over vm_buf: commas, nesting and
 * optional indentation are handled here so that renderers and commands only
 * say what to write. Deterministic: numbers go through vm_buf_num. The
 * writer holds no memory of its own (a jw is a few bytes on the stack).
 */
#ifndef VMCTR_JW_H
#define VMCTR_JW_H

#include <string.h>

#include "util/buf.h"

typedef struct {
    vm_buf *b;
    bool pretty;
    int depth;
    bool first[32];
    bool after_key;
} jw;

void jw_init(jw *j, vm_buf *b, bool pretty);
void jw_obj(jw *j);
void jw_obj_end(jw *j);
void jw_arr(jw *j);
void jw_arr_end(jw *j);
/* Keys are identifiers written by vmctr itself: no escaping needed. The
 * macros pass the key's length, which the compiler folds for a literal. */
void jw_keyn(jw *j, const char *k, size_t n);
#define jw_key(j, k) jw_keyn((j), (k), strlen(k))
void jw_str(jw *j, const char *s);     /* NULL writes null */
/* A string known to need no escaping (ids, field paths, enum values). */
void jw_sym(jw *j, const char *s);
void jw_num(jw *j, double v, int digits);
void jw_int(jw *j, long long v);
void jw_bool(jw *j, bool v);
void jw_null(jw *j);
/* A complete JSON value already serialised (compact mode). */
void jw_raw(jw *j, const char *s, size_t n);
/* key + value shortcuts */
#define jw_kstr(j, k, s) (jw_key((j), (k)), jw_str((j), (s)))
#define jw_ksym(j, k, s) (jw_key((j), (k)), jw_sym((j), (s)))
#define jw_knum(j, k, v, d) (jw_key((j), (k)), jw_num((j), (v), (d)))
#define jw_kint(j, k, v) (jw_key((j), (k)), jw_int((j), (v)))
#define jw_kbool(j, k, v) (jw_key((j), (k)), jw_bool((j), (v)))

#endif
