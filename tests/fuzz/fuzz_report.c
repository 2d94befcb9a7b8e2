/*
 * fuzz_report.c - libFuzzer target for the renderers: bytes -> documents
 * (source.c) -> profiles -> reports (built-in rules, everything computed)
 * -> every renderer. Whatever the profile text holds, the output must be
 * what its medium can carry (issue 13, docs/security.md):
 *   - JSON and NDJSON parse (a strict RFC 8259 checker below) and are
 *     valid UTF-8 without C1 or bidi controls;
 *   - HTML is valid UTF-8 with XML 1.0 characters only and no C1/bidi;
 *   - text, Markdown and CSV carry no control character but LF (CSV also
 *     CR inside quotes), no C1 or bidi control and no invalid UTF-8;
 *   - Markdown: every line of profile text stays on its line.
 * Built twice like every target: libFuzzer and the ctest replay over
 * tests/fuzz/corpus/report/.
 */
#define FUZZ_TARGET "fuzz_report"
#include "harness.h"
#include "vmctr/sys/builtin.h"
#include "vmctr/engine.h"
#include "util/escape.h"
#include "vmctr/profile.h"
#include "vmctr/report.h"
#include "vmctr/rules.h"

/* fuzz_check, with the output that broke the promise */
static void check(bool ok, const char *what, const vm_buf *b)
{
    if (!ok) {
        fprintf(stderr, FUZZ_TARGET ": broken promise: %s\n%.*s\n", what, (int)(b->len > 4000 ? 4000 : b->len),
                b->data ? b->data : "");
        abort();
    }
}

/* ---- a strict JSON checker (RFC 8259) --------------------------------------- */

typedef struct {
    const char *p, *end;
    int depth;
} js;

static void ws(js *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

static bool lit(js *j, const char *s)
{
    size_t n = strlen(s);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, s, n) != 0)
        return false;
    j->p += n;
    return true;
}

static bool str(js *j)
{
    if (j->p >= j->end || *j->p != '"')
        return false;
    j->p++;
    while (j->p < j->end && *j->p != '"') {
        unsigned char c = (unsigned char)*j->p;
        if (c < 0x20)
            return false;
        if (c == '\\') {
            j->p++;
            if (j->p >= j->end)
                return false;
            char e = *j->p++;
            if (e == 'u') {
                for (int i = 0; i < 4; i++, j->p++)
                    if (j->p >= j->end || !strchr("0123456789abcdefABCDEF", *j->p) || !*j->p)
                        return false;
            } else if (!strchr("\"\\/bfnrt", e) || !e) {
                return false;
            }
            continue;
        }
        j->p++;
    }
    if (j->p >= j->end)
        return false;
    j->p++;
    return true;
}

/* one or more digits */
static bool digits(js *j)
{
    const char *d = j->p;
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
        j->p++;
    return j->p > d;
}

static bool num(js *j)
{
    const char *s = j->p;
    if (j->p < j->end && *j->p == '-')
        j->p++;
    if (j->p >= j->end)
        return false;
    if (*j->p == '0')
        j->p++;
    else if (!(*j->p >= '1' && *j->p <= '9' && digits(j)))
        return false;
    if (j->p < j->end && *j->p == '.') {
        j->p++;
        if (!digits(j))
            return false;
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
            j->p++;
        if (!digits(j))
            return false;
    }
    return j->p > s;
}

static bool value(js *j)
{
    ws(j);
    if (j->p >= j->end || ++j->depth > 64)
        return false;
    bool ok;
    char c = *j->p;
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        j->p++;
        ws(j);
        ok = true;
        if (j->p < j->end && *j->p == close) {
            j->p++;
        } else {
            for (;;) {
                if (c == '{') {
                    ws(j);
                    if (!str(j))
                        return false;
                    ws(j);
                    if (j->p >= j->end || *j->p++ != ':')
                        return false;
                }
                if (!value(j))
                    return false;
                ws(j);
                if (j->p >= j->end)
                    return false;
                if (*j->p == ',') {
                    j->p++;
                    continue;
                }
                if (*j->p++ != close)
                    return false;
                break;
            }
        }
    } else if (c == '"') {
        ok = str(j);
    } else if (c == 't') {
        ok = lit(j, "true");
    } else if (c == 'f') {
        ok = lit(j, "false");
    } else if (c == 'n') {
        ok = lit(j, "null");
    } else {
        ok = num(j);
    }
    j->depth--;
    return ok;
}

static bool json_ok(const char *s, size_t n)
{
    js j = {s, s + n, 0};
    if (!value(&j))
        return false;
    ws(&j);
    return j.p == j.end;
}

/* ---- XML 1.0 characters and markup ------------------------------------------- */

static bool xml_chars_ok(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = vm_utf8_decode(u + i, n - i, &cp);
        if (!l)
            return false;
        bool ok = cp == 9 || cp == 10 || cp == 13 || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
                  cp >= 0x10000;
        if (!ok || (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
            return false;
        if (cp == '&') { /* only the entities vmctr writes */
            static const char *const ents[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#35;", "&#10;", "&#13;"};
            bool known = false;
            for (size_t k = 0; k < sizeof ents / sizeof *ents && !known; k++)
                known = strncmp(s + i, ents[k], strlen(ents[k])) == 0;
            if (!known)
                return false;
        }
        i += l;
    }
    return true;
}

/* text with no control character but LF (and CR when allow_cr) */
static bool text_ok(const char *s, size_t n, bool allow_cr)
{
    if (!vm_text_clean(s, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\t' || (s[i] == '\r' && !allow_cr))
            return false;
    return true;
}

static vm_ruleset *rules;

static void render_all(const vm_report *rep, vm_buf *b)
{
    vm_buf_reset(b);
    vm_render_json(rep, b);
    check(!b->oom && json_ok(b->data, b->len) && vm_text_clean(b->data, b->len), "JSON parses, clean UTF-8", b);
    vm_buf_reset(b);
    vm_render_ndjson(rep, b);
    check(!b->oom && b->len && b->data[b->len - 1] == '\n' && !memchr(b->data, '\n', b->len - 1), "NDJSON one line", b);
    check(json_ok(b->data, b->len - 1) && vm_text_clean(b->data, b->len), "NDJSON parses", b);
    vm_buf_reset(b);
    vm_render_html(rep, b);
    check(!b->oom && xml_chars_ok(b->data, b->len), "HTML: XML 1.0 characters, no C1/bidi, known entities", b);
    for (int explain = 0; explain < 2; explain++) {
        vm_render_opts o = {.color = false, .unicode = true, .explain = explain, .width = 80};
        vm_buf_reset(b);
        vm_render_text(rep, &o, b);
        check(!b->oom && text_ok(b->data, b->len, false), "text: no control characters", b);
    }
    vm_buf_reset(b);
    vm_render_markdown(rep, b);
    check(!b->oom && text_ok(b->data, b->len, false), "Markdown: no control characters", b);
    vm_buf_reset(b);
    vm_render_csv_header(b);
    vm_render_csv(rep, b);
    check(!b->oom && text_ok(b->data, b->len, true), "CSV: no control characters", b);
}

typedef struct {
    vm_engine *e;
    vm_buf b;
    int docs;
} render;

/* The report of a valid profile, rendered in every format; 8 documents
 * at the most. */
static bool render_one(fuzz_loaded *l, void *ctx)
{
    render *r = ctx;
    if (r->docs++ >= 8)
        return false;
    if (l->st != VM_OK || l->empty)
        return true;
    vm_report rep;
    if (vm_report_build(l->a, r->e, &l->p, VM_REPORT_ALL, &rep) != VM_OK)
        abort();
    render_all(&rep, &r->b);
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!rules) {
        vm_diags *d = fuzz_diags();
        rules = vm_ruleset_new();
        if (!rules || vm_ruleset_add_precompiled(rules, &vm_builtin_compiled, d) != VM_OK ||
            vm_ruleset_finish(rules, d) != VM_OK)
            abort();
        free(d);
    }
    render r = {.e = vm_engine_new(rules)};
    if (!r.e)
        abort();
    vm_buf_init(&r.b);
    /* the file name carries a terminal escape (OSC) no output may keep raw */
    fuzz_each_profile((const char *)data, size, "fuzz\x1b]0;x\a.yaml", render_one, &r);
    vm_buf_free(&r.b);
    vm_engine_free(r.e);
    return 0;
}
