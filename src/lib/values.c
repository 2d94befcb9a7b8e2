/* values.c - text form of values, and `field=value` assignments (--what-if, --set). */
#include "vmctr/profile.h"
#include "scalar.h"

#include <stdio.h>
#include <string.h>

const char *vm_value_text(const vm_field_def *f, const vm_value *v, char *buf, size_t cap)
{
    if (!v->set) {
        snprintf(buf, cap, "unknown");
        return buf;
    }
    size_t n = 0;
    buf[0] = '\0';
    switch (f->type) {
    case VM_T_BOOL: snprintf(buf, cap, "%s", v->u.i ? "true" : "false"); break;
    case VM_T_INT: snprintf(buf, cap, "%lld", (long long)v->u.i); break;
    case VM_T_ENUM: snprintf(buf, cap, "%s", f->values[v->u.i]); break;
    case VM_T_STR:
    case VM_T_NAME: snprintf(buf, cap, "%s", v->u.s); break;
    case VM_T_ENUM_LIST:
        for (int i = 0; i < f->nvalues && n < cap; i++)
            if (v->u.mask & (1u << i))
                n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", f->values[i]);
        break;
    case VM_T_STR_LIST:
        for (uint32_t i = 0; i < v->u.list.n && n < cap; i++)
            n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", v->u.list.items[i]);
        break;
    case VM_T_STR_MAP:
        for (uint32_t i = 0; i < v->u.map.n && n < cap; i++)
            n += (size_t)snprintf(buf + n, cap - n, "%s%s=%s", i ? ", " : "", v->u.map.keys[i],
                                  v->u.map.vals[i]);
        break;
    }
    return buf;
}

static size_t split_list(const char *s, const char **parts, size_t *lens, size_t cap)
{
    /* "[a, b]" or "a,b" */
    size_t n = 0, len = strlen(s);
    if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
        s++;
        len -= 2;
    }
    size_t i = 0;
    while (i < len && n <= cap) {
        while (i < len && (s[i] == ' ' || s[i] == ','))
            i++;
        size_t st = i;
        while (i < len && s[i] != ',')
            i++;
        size_t en = i;
        while (en > st && s[en - 1] == ' ')
            en--;
        if (en > st && n == cap)
            return cap + 1; /* too many: the caller refuses the list */
        if (en > st) {
            parts[n] = s + st;
            lens[n] = en - st;
            n++;
        }
    }
    return n;
}

vm_status vm_values_set_text(vm_arena *a, vm_values *vals, const char *assignment, int *field_out,
                             char *err, size_t errcap)
{
    const char *eqs = strchr(assignment, '=');
    if (!eqs) {
        snprintf(err, errcap, "'%s': expected field=value", assignment);
        return VM_EUSAGE;
    }
    int id = vm_field_find(assignment, (size_t)(eqs - assignment));
    if (id < 0 || id <= VM_F_META_LABELS) {
        const char *cands[VM_FIELD_COUNT];
        char word[96];
        snprintf(word, sizeof word, "%.*s", (int)(eqs - assignment), assignment);
        const char *w = strncmp(word, "spec.", 5) == 0 ? word + 5 : word;
        size_t nc = 0;
        for (int i = VM_F_WORKLOAD_ARCHITECTURE; i < VM_FIELD_COUNT; i++)
            cands[nc++] = vm_field(i)->path + 5;
        const char *s = vm_suggest(w, cands, nc);
        if (s)
            snprintf(err, errcap, "unknown field '%s' (did you mean '%s'?)", word, s);
        else
            snprintf(err, errcap, "unknown field '%s'", word);
        return VM_EUSAGE;
    }
    const vm_field_def *f = vm_field(id);
    const char *t = eqs + 1;
    size_t tl = strlen(t);
    vm_value v = {0};
    if (field_out)
        *field_out = id;
    if (tl == 0 || vm_scalar_is_null(t, tl, true) || strcmp(t, "unknown") == 0) {
        vals->v[id] = v; /* back to unknown */
        return VM_OK;
    }
    v.set = true;
    switch (f->type) {
    case VM_T_BOOL: {
        int b = vm_scalar_bool(t, tl);
        if (b < 0) {
            snprintf(err, errcap, "%s: expected true or false, found '%s'", f->path, t);
            return VM_EPROFILE;
        }
        v.u.i = b;
        break;
    }
    case VM_T_INT: {
        const char *why = NULL;
        if (!vm_scalar_int(t, tl, &v.u.i, &why) || v.u.i < f->min || v.u.i > f->max) {
            snprintf(err, errcap, "%s: expected an integer in %lld..%lld, found '%s'", f->path,
                     (long long)f->min, (long long)f->max, t);
            return VM_EPROFILE;
        }
        break;
    }
    case VM_T_ENUM: {
        int idx = vm_field_enum_index(f, t, tl);
        if (idx < 0) {
            const char *s = vm_suggest(t, f->values, f->nvalues);
            char vlist[300];
            size_t n = 0;
            vlist[0] = '\0';
            for (int i = 0; i < f->nvalues; i++)
                n += (size_t)snprintf(vlist + n, sizeof vlist - n, "%s%s", i ? ", " : "", f->values[i]);
            snprintf(err, errcap, "%s: '%s' is not one of %s%s%s%s", f->path, t, vlist,
                     s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
            return VM_EPROFILE;
        }
        v.u.i = idx;
        break;
    }
    case VM_T_ENUM_LIST:
    case VM_T_STR_LIST: {
        const char *parts[VM_LIMIT_ITEMS];
        size_t lens[VM_LIMIT_ITEMS];
        size_t n = split_list(t, parts, lens, VM_LIMIT_ITEMS);
        if (n > VM_LIMIT_ITEMS) {
            snprintf(err, errcap, "%s: more than %u items", f->path, VM_LIMIT_ITEMS);
            return VM_EPROFILE;
        }
        if (f->type == VM_T_ENUM_LIST) {
            for (size_t i = 0; i < n; i++) {
                int idx = vm_field_enum_index(f, parts[i], lens[i]);
                if (idx < 0) {
                    snprintf(err, errcap, "%s: '%.*s' is not a known value", f->path, (int)lens[i],
                             parts[i]);
                    return VM_EPROFILE;
                }
                v.u.mask |= 1u << idx;
            }
        } else {
            v.u.list.n = (uint32_t)n;
            v.u.list.items = vm_arena_alloc(a, (n ? n : 1) * sizeof(char *));
            v.u.list.lines = vm_arena_alloc(a, (n ? n : 1) * sizeof(uint32_t));
            v.u.list.cols = vm_arena_alloc(a, (n ? n : 1) * sizeof(uint32_t));
            if (!v.u.list.items || !v.u.list.lines || !v.u.list.cols) {
                snprintf(err, errcap, "out of memory");
                return VM_EIO;
            }
            for (size_t i = 0; i < n; i++)
                if (!(v.u.list.items[i] = vm_arena_strndup(a, parts[i], lens[i]))) {
                    snprintf(err, errcap, "out of memory"); /* not a NULL item for renderers to meet */
                    return VM_EIO;
                }
        }
        break;
    }
    default:
        snprintf(err, errcap, "%s cannot be set this way", f->path);
        return VM_EUSAGE;
    }
    vals->v[id] = v;
    return VM_OK;
}
