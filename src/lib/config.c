/*
 * config.c - .vmctr/config.yaml (see vmctr/config.h): parsed through the
 * shared YAML reader with positioned, did-you-mean errors like every other
 * vmctr file.
 */
#include "vmctr/sys/config.h"
#include "vmctr/gate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yreader.h"

enum { C_EXCLUDE, C_RULES, C_WAIVERS, C_MINCONF, C_FAILON, C_REQUIRE, C_COUNT };
static const char *const ckeys[C_COUNT] = {"exclude", "rules", "waivers", "min_confidence", "fail_on",
                                           "require_decision"};
static const char *const fail_ons[] = {"blocker", "mismatch", "warning"};

static const char *scalar(yreader *r, const char *path)
{
    if (!yr_expect_text(r, path))
        return NULL;
    for (size_t i = 0; i < r->ev.len; i++)
        if ((unsigned char)r->ev.text[i] < 0x20 || r->ev.text[i] == 0x7f) {
            yr_err(r, r->ev.line, r->ev.col, path, "control characters are not allowed");
            return NULL;
        }
    const char *s = vm_arena_strndup(r->a, r->ev.text, r->ev.len);
    if (!s)
        yr_nomem(r); /* fatal, and said: never a config that quietly lost a path */
    return s;
}

static void parse_check(yreader *r, vm_config *c)
{
    if (!yr_expect_map(r, "check"))
        return;
    uint32_t seen[C_COUNT] = {0};
    char path[64], word[64];
    const yr_path where = {NULL, "check", 0};
    yr_keys keys = {.words = ckeys, .n = C_COUNT, .seen = seen};
    for (int k; (k = yr_each_key(r, &where, &keys)) >= 0;) {
        snprintf(path, sizeof path, "check.%s", ckeys[k]);
        switch (k) {
        case C_EXCLUDE: {
            if (!yr_expect_list(r, path, "globs"))
                break;
            c->exclude = vm_arena_alloc(r->a, VM_LIMIT_ITEMS * sizeof *c->exclude);
            if (!c->exclude) {
                yr_nomem(r);
                return;
            }
            while (yr_next(r) && r->ev.kind != YE_SEQ_END) {
                if (c->nexclude >= VM_LIMIT_ITEMS) {
                    yr_err(r, r->ev.line, r->ev.col, path, "more than %u globs", VM_LIMIT_ITEMS);
                    r->fatal = true;
                    return;
                }
                const char *g = scalar(r, path);
                if (g)
                    c->exclude[c->nexclude++] = g;
            }
            break;
        }
        case C_RULES: c->rules = scalar(r, path); break;
        case C_WAIVERS: c->waivers = scalar(r, path); break;
        case C_MINCONF: {
            const char *t = scalar(r, path);
            char *end;
            double x = t ? strtod(t, &end) : 0;
            if (t && (end == t || *end || !(x >= 0.0 && x <= 1.0)))
                yr_err(r, r->ev.line, r->ev.col, path, "min_confidence is a number from 0 to 1, not '%s'", t);
            else if (t) {
                c->has_min_confidence = true;
                c->min_confidence = x;
            }
            break;
        }
        case C_FAILON: {
            const char *t = scalar(r, path);
            if (!t)
                break;
            for (int i = 0; i < 3; i++)
                if (strcmp(t, fail_ons[i]) == 0)
                    c->fail_on = i;
            if (c->fail_on < 0) {
                const char *s = vm_suggest(t, fail_ons, 3);
                yr_err(r, r->ev.line, r->ev.col, path, "'%s' is not one of blocker, mismatch, warning%s%s%s", t,
                       s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
            }
            break;
        }
        case C_REQUIRE:
            if (yr_is(r, "true") && r->ev.plain)
                c->require_decision = 1;
            else if (yr_is(r, "false") && r->ev.plain)
                c->require_decision = 0;
            else {
                yr_err(r, r->ev.line, r->ev.col, path, "require_decision is true or false, not '%s'",
                       yr_text(r, word, sizeof word));
                yr_skip(r);
            }
            break;
        }
    }
}

vm_status vm_config_parse(vm_arena *a, const char *file, const char *data, size_t len, vm_config *out,
                          vm_diags *d)
{
    memset(out, 0, sizeof *out);
    out->fail_on = -1;
    out->require_decision = -1;
    size_t before = d->errors;
    if (yr_too_large(d, file, len, VM_LIMIT_CONFIG_FILE, "config file"))
        return VM_EUSAGE;
    const char *fname = vm_arena_strndup(a, file, strlen(file));
    char *copy = vm_arena_strndup(a, data, len);
    yreader r = {.a = a, .file = fname, .d = d};
    if (!fname || !copy || !(r.p = ye_open(copy, len, 1))) {
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
        return VM_EIO;
    }
    if (!yr_doc_start(&r, NULL)) /* an empty config sets nothing */
        goto done;
    if (yr_is_null(&r.ev))
        goto rest;
    if (r.ev.kind != YE_MAP_START) {
        yr_err(&r, r.ev.line, r.ev.col, "", "a config file is a mapping (apiVersion, kind, check), found %s",
               yr_kind_name(r.ev.kind));
        goto done;
    }
    {
        enum { K_CHECK = YR_H_COUNT, K_COUNT };
        static const char *const words[K_COUNT] = {"apiVersion", "kind", "check"};
        uint32_t rl = r.ev.line, rc = r.ev.col, seen[K_COUNT] = {0};
        const yr_path top = {NULL, "", 0};
        yr_keys keys = {.words = words, .n = K_COUNT, .seen = seen};
        for (int k; (k = yr_each_key(&r, &top, &keys)) >= 0;) {
            if (k < YR_H_COUNT) {
                if (!yr_header_value(&r, k, "Config"))
                    goto done;
                continue;
            }
            parse_check(&r, out);
            if (r.fatal)
                goto done;
        }
        if (r.fatal)
            goto done;
        yr_header_missing(&r, seen, rl, rc, "Config");
    }
rest:
    yr_doc_end(&r, "a config file holds one document");
done:
    ye_close(r.p);
    if (r.oom)
        return VM_EIO; /* out of memory is a system error, not a bad config */
    return d->errors > before ? VM_EUSAGE : VM_OK;
}
