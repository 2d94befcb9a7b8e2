/*
 * fuzz_split.c - differential target: the document splitter (source.c) and
 * libyaml must agree on how many documents a stream holds, or the loader
 * must say so. The gate's promise is that `check` never reports fewer
 * documents than libyaml parses without an error (issue 13: a `---` after
 * a lone CR, NEL, LS or PS was silently skipped).
 *
 * On arbitrary bytes: libyaml's event parser (through yevent.h, the one
 * wrapper) runs over the whole stream and counts documents with content;
 * the splitter cuts the same bytes and vm_profile_parse loads each piece.
 * When libyaml accepts the stream, the splitter's count of documents that
 * have content or an error must equal libyaml's, unless a document
 * reported an error (the disagreement is then visible, exit 3).
 *
 * Built twice like every target: libFuzzer (scripts/fuzz.sh) and the replay
 * program that ctest runs over tests/fuzz/corpus/split/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmctr/profile.h"
#include "yevent.h"
#include "scalar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Documents libyaml sees with content (a root that is not an empty/null
 * scalar), or -1 when libyaml rejects the stream or it is too big to care. */
static long libyaml_docs(const uint8_t *data, size_t size)
{
    if (size > VM_LIMIT_DOC_BYTES)
        return -1;
    ye_parser *p = ye_open((const char *)data, size, 1);
    if (!p)
        return -1;
    long n = 0;
    bool root = false;
    ye_event ev;
    for (;;) {
        if (!ye_step(p, &ev)) {
            n = -1;
            break;
        }
        if (ev.kind == YE_STREAM_END)
            break;
        if (ev.kind == YE_DOC_START) {
            root = true;
            continue;
        }
        if (root) {
            root = false;
            if (!(ev.kind == YE_SCALAR && vm_scalar_is_null(ev.text, ev.len, ev.plain)))
                n++;
        }
    }
    ye_close(p);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long want = libyaml_docs(data, size);
    vm_source *s = vm_source_mem((const char *)data, size, "fuzz.yaml");
    vm_arena *a = vm_arena_new();
    vm_diags *d = malloc(sizeof *d);
    if (!s || !a || !d)
        abort();
    vm_doc doc;
    char err[256];
    long got = 0;
    bool errors = false;
    int r;
    while ((r = vm_source_next(s, &doc, err, sizeof err)) == 1) {
        vm_arena_reset(a);
        vm_diags_clear(d);
        vm_profile prof;
        bool empty = true;
        vm_status st = vm_profile_parse(a, "fuzz.yaml", &doc, &prof, &empty, d);
        if (st != VM_OK)
            errors = true;
        if (!empty || st != VM_OK)
            got++;
    }
    if (r != 0)
        abort();
    if (want >= 0 && got != want && !errors) {
        fprintf(stderr, "fuzz_split: libyaml parses %ld documents, the splitter %ld, and no error says so\n", want,
                got);
        abort();
    }
    free(d);
    vm_arena_free(a);
    vm_source_free(s);
    return 0;
}
