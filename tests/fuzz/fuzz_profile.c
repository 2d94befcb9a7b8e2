/*
 * fuzz_profile.c - libFuzzer target for the profile loader: the input bytes
 * are a stream cut into documents by vm_source, and each document is parsed
 * with vm_profile_parse (arena reset per document, as the CLI does). Beyond
 * "no crash, no leak, no UB", it checks the loader's own promises and aborts
 * when one is broken.
 *
 * Built twice: with clang -fsanitize=fuzzer (scripts/fuzz.sh) and with the
 * normal compiler into a replay program (replay.c) that ctest runs over the
 * corpus in every preset.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmctr/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_profile: broken promise: %s\n", what);
        abort();
    }
}

static void check_value(const vm_field_def *f, const vm_value *v)
{
    if (!v->set)
        return;
    check(v->line >= 1 && v->col >= 1, "a set value has a position");
    switch (f->type) {
    case VM_T_BOOL: check(v->u.i == 0 || v->u.i == 1, "bool is 0 or 1"); break;
    case VM_T_INT: check(v->u.i >= f->min && v->u.i <= f->max, "int within bounds"); break;
    case VM_T_ENUM: check(v->u.i >= 0 && v->u.i < f->nvalues, "enum index in range"); break;
    case VM_T_ENUM_LIST: check((v->u.mask >> f->nvalues) == 0, "enum mask in range"); break;
    case VM_T_STR:
    case VM_T_NAME: check(v->u.s && strlen(v->u.s) <= VM_LIMIT_SCALAR_BYTES, "string bounded"); break;
    case VM_T_STR_LIST:
        check(v->u.list.n <= VM_LIMIT_ITEMS, "list bounded");
        for (uint32_t i = 0; i < v->u.list.n; i++)
            check(v->u.list.items[i] != NULL && v->u.list.lines[i] >= v->line, "list item");
        break;
    case VM_T_STR_MAP:
        check(v->u.map.n <= VM_LIMIT_ITEMS, "map bounded");
        for (uint32_t i = 0; i < v->u.map.n; i++)
            check(v->u.map.keys[i] && v->u.map.vals[i], "map entry");
        break;
    }
    char buf[256];
    vm_value_text(f, v, buf, sizeof buf);
    check(strlen(buf) < sizeof buf, "value text bounded");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vm_source *s = vm_source_mem((const char *)data, size, "fuzz.yaml");
    vm_arena *a = vm_arena_new();
    vm_diags *d = malloc(sizeof *d);
    if (!s || !a || !d)
        abort();
    vm_doc doc;
    char err[256];
    uint32_t expect_index = 0, last_line = 0;
    size_t total = 0;
    int r;
    while ((r = vm_source_next(s, &doc, err, sizeof err)) == 1) {
        check(doc.index == expect_index++, "document indexes count up");
        check(doc.first_line >= 1 && doc.first_line >= last_line, "documents go forward");
        check(doc.len <= VM_LIMIT_DOC_BYTES, "a document is bounded");
        check(doc.too_large || total + doc.len <= size, "documents are made of the input");
        total += doc.too_large ? 0 : doc.len;
        last_line = doc.first_line;

        vm_arena_reset(a);
        vm_diags_clear(d);
        vm_profile p;
        bool empty = true;
        vm_status st = vm_profile_parse(a, "fuzz.yaml", &doc, &p, &empty, d);
        check(st == VM_OK || st == VM_EPROFILE, "status is OK or EPROFILE");
        check((st == VM_OK) == (d->errors == 0), "status agrees with the errors");
        check(d->count <= VM_LIMIT_ERRORS, "diagnostics capped");
        check(d->count + d->dropped >= d->errors, "every error kept or counted");
        check(!doc.too_large || st == VM_EPROFILE, "an oversized document is refused");
        if (!doc.too_large) {
            /* the directory scan's detector: a profile the loader accepts is always taken */
            char api[16];
            int k = vm_doc_api(&doc, api, sizeof api);
            check(k >= -1 && k <= 1 && strlen(api) < sizeof api, "vm_doc_api result");
            check(st != VM_OK || empty || k == 1, "an accepted profile is detected as vmctr's");
        }
        for (size_t i = 0; i < d->count; i++) {
            char line[600];
            vm_diag_format(&d->items[i], line, sizeof line);
            check(d->items[i].line == 0 || d->items[i].line >= doc.first_line, "diagnostic in its document");
        }
        if (st != VM_OK || empty)
            continue;
        check(p.values.v[VM_F_META_NAME].set, "a valid profile has a name");
        check(p.ncomponents <= VM_LIMIT_COMPONENTS, "components bounded");
        for (int f = 0; f < VM_FIELD_COUNT; f++)
            check_value(vm_field(f), &p.values.v[f]);
        for (uint32_t c = 0; c < p.ncomponents; c++) {
            check(p.components[c].name != NULL, "a component has a name");
            for (int f = 0; f < VM_FIELD_COUNT; f++)
                check_value(vm_field(f), &p.components[c].values.v[f]);
        }
    }
    check(r == 0, "a memory source never fails");
    check(expect_index >= 1, "at least one document");
    free(d);
    vm_arena_free(a);
    vm_source_free(s);
    return 0;
}
