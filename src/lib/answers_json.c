/*
 * answers_json.c - JSON answers files for `vmctr init`: the one wrapper
 * around cJSON for them. It turns cJSON's tree into the an_node tree of
 * answers_int.h, enforcing the profile limits (depth, items), so no cJSON
 * type leaves this file.
 */
#include "answers_int.h"
#include "util/fmath.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

static an_node *convert(vm_arena *a, const char *file, const cJSON *j, unsigned depth, vm_diags *d)
{
    an_node *n = vm_arena_alloc(a, sizeof *n);
    if (!n) {
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
        return NULL;
    }
    if (depth > VM_LIMIT_DEPTH) {
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "nesting deeper than %u levels", VM_LIMIT_DEPTH);
        return NULL;
    }
    if (cJSON_IsNull(j)) {
        n->kind = AN_NULL;
    } else if (cJSON_IsBool(j)) {
        n->kind = AN_SCALAR;
        n->plain = true;
        n->text = cJSON_IsTrue(j) ? "true" : "false";
    } else if (cJSON_IsNumber(j)) {
        char buf[64];
        double v = j->valuedouble;
        if (v == vm_floor(v) && fabs(v) < 1e15)
            snprintf(buf, sizeof buf, "%.0f", v);
        else
            snprintf(buf, sizeof buf, "%.17g", v);
        n->kind = AN_SCALAR;
        n->plain = true;
        n->text = vm_arena_strndup(a, buf, strlen(buf));
    } else if (cJSON_IsString(j)) {
        const char *s = j->valuestring ? j->valuestring : "";
        size_t l = strlen(s);
        if (l > VM_LIMIT_SCALAR_BYTES) {
            vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "a string longer than %u bytes", VM_LIMIT_SCALAR_BYTES);
            return NULL;
        }
        n->kind = AN_SCALAR;
        n->text = vm_arena_strndup(a, s, l);
    } else if (cJSON_IsArray(j) || cJSON_IsObject(j)) {
        n->kind = cJSON_IsArray(j) ? AN_SEQ : AN_MAP;
        for (const cJSON *c = j->child; c; c = c->next) {
            if (n->n >= VM_LIMIT_ITEMS) {
                vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "more than %u items in one %s", VM_LIMIT_ITEMS,
                            n->kind == AN_SEQ ? "array" : "object");
                return NULL;
            }
            an_node *k = convert(a, file, c, depth + 1, d);
            if (!k)
                return NULL;
            if (n->kind == AN_MAP) {
                const char *key = c->string ? c->string : "";
                k->key = vm_arena_strndup(a, key, strlen(key));
                if (!k->key) {
                    vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
                    return NULL;
                }
            }
            an_append(n, k);
        }
    } else {
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "unsupported JSON value");
        return NULL;
    }
    if (n->kind == AN_SCALAR && !n->text) {
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
        return NULL;
    }
    return n;
}

an_node *vm_answers_json_tree(vm_arena *a, const char *file, const char *data, size_t len, vm_diags *d)
{
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(data, len, &end, false);
    if (!j) {
        /* cJSON reports where it stopped; turn that into line:column */
        uint32_t line = 1, col = 1;
        if (end && end >= data && end <= data + len) {
            for (const char *p = data; p < end; p++) {
                if (*p == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
        }
        vm_diag_add(d, VM_SEV_ERROR, file, line, col, "", "invalid JSON");
        return NULL;
    }
    /* only blanks may follow the value */
    for (const char *p = end; p && p < data + len; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
            vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "unexpected text after the JSON value");
            cJSON_Delete(j);
            return NULL;
        }
    an_node *root = convert(a, file, j, 1, d);
    cJSON_Delete(j);
    return root;
}
