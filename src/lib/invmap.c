/*
 * invmap.c - inventory column maps (`vmctr import csv --map FILE.yaml`, and
 * the built-in map behind `vmctr import azure-migrate`). A map says which
 * column names each row and which columns fill which profile fields or
 * labels, with value maps from cell patterns to field values. Defaults are
 * forbidden: a field that no cell shows stays unknown. See docs/import.md.
 *
 *   apiVersion: vmctr/v1
 *   kind: InventoryMap
 *   source: "ServiceNow CMDB server export"   # named in the output
 *   name: [name, Name]                        # header aliases of the name column
 *   columns:
 *     - header: [sys_class_name]
 *       field: workload.os
 *       values: {"*win*": windows, "*linux*": linux}   # first match wins
 *     - header: owned_by
 *       field: metadata.owner                  # free text: the cell itself
 *     - header: [u_application]
 *       label: application                     # metadata.labels
 *
 * Read with the same event reader as profiles (yevent.c/yreader.c), so the
 * limits, duplicate keys and did-you-mean suggestions are the same.
 */
#include "invmap.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vmctr/field.h"
#include "util/glob.h"
#include "yreader.h"

#define MAP_FILE_MAX (1024u * 1024u)

/* The event's text copied into the map's arena; NULL makes the reader
 * fatal and out of memory (the map is then VM_EIO, not a refusal). */
static const char *dup_text(yreader *r)
{
    const char *t = vm_arena_strndup(r->a, r->ev.text, r->ev.len);
    if (!t)
        r->fatal = r->oom = true;
    return t;
}

static void *room(yreader *r, size_t size)
{
    void *p = vm_arena_alloc(r->a, size);
    if (!p)
        r->fatal = r->oom = true;
    return p;
}

static bool text_list(yreader *r, const char *path, const char ***out, uint32_t *n)
{
    *n = 0;
    if (r->ev.kind == YE_SCALAR && !yr_is_null(&r->ev)) {
        *out = room(r, sizeof **out);
        if (!*out)
            return false;
        (*out)[0] = dup_text(r);
        *n = 1;
        return (*out)[0] != NULL;
    }
    if (r->ev.kind != YE_SEQ_START) {
        yr_err(r, r->ev.line, r->ev.col, path, "expected a header name or a list of them");
        return yr_skip(r) && false;
    }
    const char *items[VM_LIMIT_ITEMS];
    while (yr_next(r) && r->ev.kind != YE_SEQ_END) {
        if (r->ev.kind != YE_SCALAR || *n >= VM_LIMIT_ITEMS) {
            yr_err(r, r->ev.line, r->ev.col, path, *n >= VM_LIMIT_ITEMS ? "too many names" : "names must be text");
            if (!yr_skip(r))
                return false;
            continue;
        }
        if (!(items[(*n)++] = dup_text(r)))
            return false;
    }
    if (r->fatal)
        return false;
    if (!*n) {
        yr_err(r, r->ev.line, r->ev.col, path, "empty list of header names");
        return false;
    }
    *out = room(r, *n * sizeof **out);
    if (!*out)
        return false;
    memcpy(*out, items, *n * sizeof **out);
    return true;
}

/* Why `v` is not a value of field f, or NULL. */
static const char *bad_value(const vm_field_def *f, const char *v)
{
    switch (f->type) {
    case VM_T_ENUM:
    case VM_T_ENUM_LIST: return vm_field_enum_index(f, v, strlen(v)) < 0 ? "is not one of its values" : NULL;
    case VM_T_BOOL: return strcmp(v, "true") && strcmp(v, "false") ? "is not true or false" : NULL;
    case VM_T_INT: {
        char *end;
        long long x = strtoll(v, &end, 10);
        return !*v || *end || x < f->min || x > f->max ? "is not an integer within its bounds" : NULL;
    }
    default: return NULL;
    }
}

/* *seen: how many patterns the mapping holds, good or bad (0 when null). */
bool vm_invmap_fixed(int field)
{
    const vm_field_def *f = field >= 0 ? vm_field(field) : NULL;
    return f && (f->type == VM_T_ENUM || f->type == VM_T_ENUM_LIST || f->type == VM_T_BOOL);
}

static bool parse_values(yreader *r, mcol *c, const vm_field_def *f, uint32_t *seen)
{
    *seen = 0;
    if (!yr_expect_map(r, "values"))
        return !r->fatal;
    vm_pair items[VM_LIMIT_ITEMS];
    uint32_t n = 0, count = 0;
    while (yr_next_key(r, "values", &count)) {
        const char *pat = dup_text(r);
        if (!pat || !yr_next(r))
            return false;
        if (r->ev.kind != YE_SCALAR || yr_is_null(&r->ev)) {
            yr_err(r, r->ev.line, r->ev.col, "values", "a value must be a scalar");
            if (!yr_skip(r))
                return false;
            continue;
        }
        const char *val = dup_text(r);
        if (!val)
            return false;
        const char *why = f ? bad_value(f, val) : NULL;
        if (why) {
            char opts[300] = "";
            for (int i = 0; i < f->nvalues && strlen(opts) < 250; i++) {
                strcat(opts, i ? ", " : " (one of ");
                strcat(opts, f->values[i]);
            }
            if (f->nvalues)
                strcat(opts, ")");
            yr_err(r, r->ev.line, r->ev.col, "values", "'%s' %s of %s%s", val, why, f->path, opts);
            continue;
        }
        items[n++] = (vm_pair){pat, val};
    }
    *seen = count;
    if (r->fatal)
        return false;
    c->vals = room(r, (n ? n : 1) * sizeof *c->vals);
    if (!c->vals)
        return false;
    memcpy(c->vals, items, n * sizeof *items);
    c->nvals = n;
    return true;
}

enum { COL_HEADER, COL_FIELD, COL_LABEL, COL_VALUES, COL_COUNT };
static const char *const col_keys[COL_COUNT] = {"header", "field", "label", "values"};

/* default/defaults/value/constant in a column: forbidden, said so */
static bool column_default(yreader *r, const yr_path *where, void *ctx)
{
    (void)where, (void)ctx;
    if (!yr_is(r, "default") && !yr_is(r, "defaults") && !yr_is(r, "value") && !yr_is(r, "constant"))
        return false;
    yr_err(r, r->ev.line, r->ev.col, "columns",
           "defaults are forbidden: a field that no cell shows stays unknown (map a column's values "
           "instead)");
    return true;
}

static void parse_column(yreader *r, vm_invmap *m, uint32_t idx)
{
    if (!yr_expect_map(r, "columns"))
        return;
    mcol c = {.field = -1, .line = r->ev.line, .col = r->ev.col};
    bool has_values = false;
    uint32_t vline = 0, vcol = 0, nseen = 0;
    const yr_path where = {NULL, "columns", 0};
    /* no duplicate check: a repeated key, the last one counts */
    yr_keys it = {.words = col_keys, .n = COL_COUNT, .unknown = column_default};
    for (int k; (k = yr_each_key(r, &where, &it)) >= 0;) {
        if (k == COL_HEADER) {
            if (!text_list(r, "columns.header", &c.hdr, &c.nhdr) && r->fatal)
                return;
        } else if (k == COL_FIELD || k == COL_LABEL) {
            if (r->ev.kind != YE_SCALAR || yr_is_null(&r->ev)) {
                yr_err(r, r->ev.line, r->ev.col, col_keys[k], "expected text");
                if (!yr_skip(r))
                    return;
                continue;
            }
            if (k == COL_LABEL) {
                c.label = dup_text(r);
                continue;
            }
            int f = vm_field_find(r->ev.text, r->ev.len);
            char t[128];
            yr_text(r, t, sizeof t);
            if (f < 0) {
                yr_err(r, r->ev.line, r->ev.col, "columns.field", "unknown field '%s'", t);
            } else if (f == VM_F_META_NAME || f == VM_F_META_LABELS) {
                yr_err(r, r->ev.line, r->ev.col, "columns.field", "'%s' is set by 'name:' and 'label:', not by a column",
                       t);
            } else if (vm_field(f)->category < 0 && f != VM_F_META_OWNER && f != VM_F_META_DESCRIPTION) {
                yr_err(r, r->ev.line, r->ev.col, "columns.field",
                       "'%s' is not inventory evidence (priorities and decisions are for people)", t);
            } else {
                c.field = f;
            }
        } else {
            has_values = true;
            vline = r->ev.line, vcol = r->ev.col;
            c.line = c.line ? c.line : vline;
            if (!parse_values(r, &c, c.field >= 0 ? vm_field(c.field) : NULL, &nseen) && r->fatal)
                return;
        }
    }
    if (r->fatal)
        return;
    if (!c.nhdr)
        yr_err(r, c.line, c.col, "columns", "column %u has no 'header'", idx + 1);
    if ((c.field >= 0) == (c.label != NULL))
        yr_err(r, c.line, c.col, "columns", "column %u needs exactly one of 'field' and 'label'", idx + 1);
    /* a field of fixed values is filled only through its value map: without
     * one (no 'values', or a null or empty one) the raw cell would be
     * written, which is no value of the field */
    if (vm_invmap_fixed(c.field) && (!has_values || nseen == 0))
        yr_err(r, has_values ? vline : c.line, has_values ? vcol : c.col, "columns",
               "column %u fills %s, which takes fixed values: give 'values' (cell pattern -> value)%s", idx + 1,
               vm_field(c.field)->path, has_values ? ", at least one" : "");
    if (m->ncols < VM_LIMIT_ITEMS)
        m->cols[m->ncols++] = c;
}

enum { TOP_SOURCE = YR_H_COUNT, TOP_REFERENCE, TOP_NAME, TOP_COLUMNS, TOP_COUNT };
static const char *const top_keys[TOP_COUNT] = {"apiVersion", "kind", "source", "reference", "name", "columns"};

/* default/defaults at the top: forbidden, said so */
static bool top_default(yreader *r, const yr_path *where, void *ctx)
{
    (void)where, (void)ctx;
    if (!yr_is(r, "default") && !yr_is(r, "defaults"))
        return false;
    yr_err(r, r->ev.line, r->ev.col, "", "defaults are forbidden: a field that no cell shows stays unknown");
    return true;
}

vm_status vm_invmap_load(const char *data, size_t len, const char *file, vm_invmap **out, vm_diags *d)
{
    *out = NULL;
    size_t before = d->errors;
    if (len > MAP_FILE_MAX) {
        vm_diag_add(d, VM_SEV_ERROR, file, 1, 1, "", "map file larger than 1 MiB");
        return VM_EPROFILE;
    }
    vm_invmap *m = calloc(1, sizeof *m);
    vm_arena *a = vm_arena_new();
    char *copy = a ? vm_arena_strndup(a, data, len) : NULL;
    if (m)
        m->cols = a ? vm_arena_alloc(a, VM_LIMIT_ITEMS * sizeof *m->cols) : NULL;
    if (!m || !a || !copy || !m->cols) {
        free(m);
        vm_arena_free(a);
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
        return VM_EIO;
    }
    m->a = a;
    m->file = vm_arena_strndup(a, file, strlen(file));
    yreader r = {.a = a, .file = file, .d = d}; /* diagnostics outlive the map: the caller's name */
    r.p = ye_open(copy, len, 1);
    if (!r.p) {
        vm_invmap_free(m);
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
        return VM_EIO;
    }
    uint32_t seen[TOP_COUNT] = {0}, ml = 1, mc = 1;
    /* nothing but comments: no map (the importer needs its name column) */
    if (!yr_doc_start(&r, "a map file is a mapping (apiVersion, kind, name, columns), found nothing"))
        goto done;
    if (r.ev.kind != YE_MAP_START) {
        yr_err(&r, r.ev.line, r.ev.col, "", "a map file is a mapping (apiVersion, kind, name, columns)");
        goto done;
    }
    ml = r.ev.line, mc = r.ev.col;
    const yr_path top = {NULL, "", 0};
    yr_keys it = {.words = top_keys, .n = TOP_COUNT, .seen = seen, .unknown = top_default};
    for (int k; (k = yr_each_key(&r, &top, &it)) >= 0;) {
        if (k < YR_H_COUNT) {
            if (!yr_header_value(&r, k, "InventoryMap"))
                goto done;
        } else if (k == TOP_SOURCE || k == TOP_REFERENCE) {
            if (r.ev.kind != YE_SCALAR) {
                yr_err(&r, r.ev.line, r.ev.col, top_keys[k], "expected text");
                if (!yr_skip(&r))
                    goto done;
            } else if (k == TOP_SOURCE) {
                m->source = dup_text(&r);
            }
        } else if (k == TOP_NAME) {
            if (!text_list(&r, "name", &m->name_hdr, &m->nname) && r.fatal)
                goto done;
        } else {
            if (yr_list(&r, "columns", "columns", false))
                for (uint32_t i = 0; yr_item(&r); i++)
                    parse_column(&r, m, i);
        }
    }
    if (r.fatal)
        goto done;
    yr_header_missing(&r, seen, ml, mc, "InventoryMap");
    if (!seen[TOP_NAME])
        yr_err(&r, ml, mc, "name", "missing required key 'name' (the header of the column naming each row)");
done:
    ye_close(r.p);
    if (r.oom || !m->file) {
        vm_invmap_free(m);
        if (d->errors == before)
            vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
        return VM_EIO;
    }
    if (d->errors > before) {
        vm_invmap_free(m);
        return VM_EPROFILE;
    }
    *out = m;
    return VM_OK;
}

void vm_invmap_free(vm_invmap *m)
{
    if (!m)
        return;
    vm_arena_free(m->a);
    free(m);
}

/* Azure Migrate's import CSV (MicrosoftDocs/azure-docs
 * articles/migrate/tutorial-discover-import.md; the template spells the
 * mandatory columns with a leading '*', which header matching ignores).
 * OS name values are the documented list's families. */
static const char azure_map[] =
    "apiVersion: vmctr/v1\n"
    "kind: InventoryMap\n"
    "source: Azure Migrate import CSV\n"
    "name: [\"*Server name\", Server name, Server Name]\n"
    "columns:\n"
    "  - header: [\"*OS name\", OS name]\n"
    "    field: workload.os\n"
    "    values:\n"
    "      \"*windows*\": windows\n"
    "      \"*linux*\": linux\n"
    "      \"*ubuntu*\": linux\n"
    "      \"*debian*\": linux\n"
    "      \"*centos*\": linux\n"
    "      \"*red hat*\": linux\n"
    "      \"*rhel*\": linux\n"
    "      \"*suse*\": linux\n"
    "      \"*sles*\": linux\n"
    "      \"*oracle linux*\": linux\n"
    "      \"*fedora*\": linux\n"
    "      \"*solaris*\": other\n"
    "      \"*freebsd*\": other\n"
    "      \"*aix*\": other\n"
    "      \"*hp-ux*\": other\n"
    "  - header: [OS version]\n"
    "    label: azure-migrate/os-version\n"
    "  - header: [\"*Cores\", Cores]\n"
    "    label: azure-migrate/cores\n"
    "  - header: [\"*Memory (In MB)\", \"Memory (MB)\"]\n"
    "    label: azure-migrate/memory-mb\n"
    "  - header: [Firmware type]\n"
    "    label: azure-migrate/firmware\n";

vm_status vm_invmap_builtin(const char *name, vm_invmap **out, vm_diags *d)
{
    if (strcmp(name, "azure-migrate") == 0)
        return vm_invmap_load(azure_map, sizeof azure_map - 1, "<built-in azure-migrate map>", out, d);
    *out = NULL;
    return VM_EUSAGE;
}

const char *vm_invmap_value(const mcol *c, const char *cell, size_t n)
{
    for (uint32_t i = 0; i < c->nvals; i++)
        if (vm_glob(c->vals[i].pat, cell, n, true)) /* case-insensitive */
            return c->vals[i].val;
    return NULL;
}
