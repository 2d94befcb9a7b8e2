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
#define FUZZ_TARGET "fuzz_profile"
#include "harness.h"
#include "vmctr/profile.h"

static void check_value(const vm_field_def *f, const vm_value *v)
{
    if (!v->set)
        return;
    fuzz_check(v->line >= 1 && v->col >= 1, "a set value has a position");
    switch (f->type) {
    case VM_T_BOOL: fuzz_check(v->u.i == 0 || v->u.i == 1, "bool is 0 or 1"); break;
    case VM_T_INT: fuzz_check(v->u.i >= f->min && v->u.i <= f->max, "int within bounds"); break;
    case VM_T_ENUM: fuzz_check(v->u.i >= 0 && v->u.i < f->nvalues, "enum index in range"); break;
    case VM_T_ENUM_LIST: fuzz_check((v->u.mask >> f->nvalues) == 0, "enum mask in range"); break;
    case VM_T_STR:
    case VM_T_NAME: fuzz_check(v->u.s && strlen(v->u.s) <= VM_LIMIT_SCALAR_BYTES, "string bounded"); break;
    case VM_T_STR_LIST:
        fuzz_check(v->u.list.n <= VM_LIMIT_ITEMS, "list bounded");
        for (uint32_t i = 0; i < v->u.list.n; i++)
            fuzz_check(v->u.list.items[i] != NULL && v->u.list.lines[i] >= v->line, "list item");
        break;
    case VM_T_STR_MAP:
        fuzz_check(v->u.map.n <= VM_LIMIT_ITEMS, "map bounded");
        for (uint32_t i = 0; i < v->u.map.n; i++)
            fuzz_check(v->u.map.keys[i] && v->u.map.vals[i], "map entry");
        break;
    }
    char buf[256];
    vm_value_text(f, v, buf, sizeof buf);
    fuzz_check(strlen(buf) < sizeof buf, "value text bounded");
}

typedef struct {
    size_t size, total;
    uint32_t expect_index, last_line;
} stream;

static bool one_document(fuzz_loaded *l, void *ctx)
{
    stream *in = ctx;
    const vm_doc *doc = l->doc;
    fuzz_check(doc->index == in->expect_index++, "document indexes count up");
    fuzz_check(doc->first_line >= 1 && doc->first_line >= in->last_line, "documents go forward");
    fuzz_check(doc->len <= VM_LIMIT_DOC_BYTES, "a document is bounded");
    fuzz_check(doc->too_large || in->total + doc->len <= in->size, "documents are made of the input");
    in->total += doc->too_large ? 0 : doc->len;
    in->last_line = doc->first_line;

    vm_status st = l->st;
    const vm_diags *d = l->d;
    FUZZ_CHECK_STATUS(st, VM_EPROFILE, d);
    fuzz_check(d->count + d->dropped >= d->errors, "every error kept or counted");
    fuzz_check(!doc->too_large || st == VM_EPROFILE, "an oversized document is refused");
    if (!doc->too_large) {
        /* the directory scan's detector: a profile the loader accepts is always taken */
        char api[16];
        int k = vm_doc_api(doc, api, sizeof api);
        fuzz_check(k >= VM_DOC_EMPTY && k <= VM_DOC_OTHER_KIND && strlen(api) < sizeof api, "vm_doc_api result");
        fuzz_check(st != VM_OK || l->empty || k == VM_DOC_PROFILE, "an accepted profile is detected as vmctr's");
        /* its other view (a rule directory passes by vmctr files of another
         * kind): agrees with the first, and never says an accepted profile
         * is something else */
        int kind = vm_doc_kind(doc);
        fuzz_check(kind >= VM_KIND_NONE && kind <= VM_KIND_CONFIG, "vm_doc_kind result");
        fuzz_check(kind == VM_KIND_NONE || k == (kind == VM_KIND_PROFILE ? VM_DOC_PROFILE : VM_DOC_OTHER_KIND),
                   "vm_doc_kind agrees with vm_doc_api");
        fuzz_check(st != VM_OK || l->empty || kind == VM_KIND_NONE || kind == VM_KIND_PROFILE,
                   "an accepted profile is never of another kind");
    }
    for (size_t i = 0; i < d->count; i++) {
        char line[600];
        vm_diag_format(&d->items[i], line, sizeof line);
        fuzz_check(d->items[i].line == 0 || d->items[i].line >= doc->first_line, "diagnostic in its document");
    }
    if (st != VM_OK || l->empty)
        return true;
    const vm_profile *p = &l->p;
    fuzz_check(p->values.v[VM_F_META_NAME].set, "a valid profile has a name");
    fuzz_check(p->ncomponents <= VM_LIMIT_COMPONENTS, "components bounded");
    for (int f = 0; f < VM_FIELD_COUNT; f++)
        check_value(vm_field(f), &p->values.v[f]);
    for (uint32_t c = 0; c < p->ncomponents; c++) {
        fuzz_check(p->components[c].name != NULL, "a component has a name");
        for (int f = 0; f < VM_FIELD_COUNT; f++)
            check_value(vm_field(f), &p->components[c].values.v[f]);
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stream in = {.size = size};
    int r = fuzz_each_profile((const char *)data, size, "fuzz.yaml", one_document, &in);
    fuzz_check(r == 0, "a memory source never fails");
    fuzz_check(in.expect_index >= 1, "at least one document");
    return 0;
}
