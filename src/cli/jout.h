/*
 * jout.h (internal) - a streaming JSON writer over vm_buf for commands that
 * write their own JSON (`rules list`, `diff`): commas, nesting and two-space
 * indentation are handled here, numbers go through vm_buf_num so output is
 * byte-identical across machines. Same shape as the library's report writer.
 */
#ifndef VMCTR_CLI_JOUT_H
#define VMCTR_CLI_JOUT_H

#include "vmctr/buf.h"

typedef struct {
    vm_buf *b;
    int depth;
    bool first[32];
    bool after_key;
} jout;

void jo_init(jout *j, vm_buf *b);
void jo_obj(jout *j);
void jo_obj_end(jout *j);
void jo_arr(jout *j);
void jo_arr_end(jout *j);
void jo_key(jout *j, const char *k);
void jo_str(jout *j, const char *s);        /* NULL writes null */
void jo_num(jout *j, double v, int digits);
void jo_int(jout *j, long long v);
void jo_bool(jout *j, bool v);
void jo_null(jout *j);
void jo_kstr(jout *j, const char *k, const char *s);
void jo_knum(jout *j, const char *k, double v, int digits);
void jo_kint(jout *j, const char *k, long long v);
void jo_kbool(jout *j, const char *k, bool v);

#endif
