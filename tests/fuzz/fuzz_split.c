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
#define FUZZ_TARGET "fuzz_split"
#include "harness.h"
#include "vmctr/profile.h"
#include "yevent.h"
#include "scalar.h"

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

/* The splitter's side: documents with content or an error. */
typedef struct {
    long got;
    bool errors;
} split;

static bool count(fuzz_loaded *l, void *ctx)
{
    split *sp = ctx;
    if (l->st != VM_OK)
        sp->errors = true;
    if (!l->empty || l->st != VM_OK)
        sp->got++;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long want = libyaml_docs(data, size);
    split sp = {0};
    if (fuzz_each_profile((const char *)data, size, "fuzz.yaml", count, &sp) != 0)
        abort();
    if (want >= 0 && sp.got != want && !sp.errors) {
        fprintf(stderr, FUZZ_TARGET ": libyaml parses %ld documents, the splitter %ld, and no error says so\n", want,
                sp.got);
        abort();
    }
    return 0;
}
