/*
 * waiver.c - waiver files (see vmctr/waiver.h): parsing with positioned,
 * did-you-mean errors through the shared YAML reader, the expiry horizon,
 * and matching a gate result.
 */
#include "vmctr/waiver.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "yreader.h"

/* ---- dates ------------------------------------------------------------------ */

/* Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian). */
static int32_t days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int32_t)doe - 719468;
}

void vm_date_format(int32_t z, char out[11])
{
    z += 719468;
    const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = (int)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y < 0 || y > 9999)
        y = y < 0 ? 0 : 9999;
    snprintf(out, 11, "%04d-%02u-%02u", y, m, d);
}

bool vm_date_parse(const char *s, size_t n, int32_t *days)
{
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int v[3] = {0, 0, 0};
    const int start[3] = {0, 5, 8}, len[3] = {4, 2, 2};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < len[k]; i++) {
            char c = s[start[k] + i];
            if (c < '0' || c > '9')
                return false;
            v[k] = v[k] * 10 + (c - '0');
        }
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (v[0] < 1970 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > mdays[v[1] - 1])
        return false;
    bool leap = (v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0;
    if (v[1] == 2 && v[2] == 29 && !leap)
        return false;
    *days = days_from_civil(v[0], (unsigned)v[1], (unsigned)v[2]);
    return true;
}

bool vm_waiver_expired(const vm_waiver *w, int32_t today) { return today > w->expires; }

/* ---- parsing ------------------------------------------------------------------ */

enum { K_PROFILE, K_FILE, K_COMPONENT, K_RULE, K_GATE, K_REASON, K_OWNER, K_EXPIRES, K_TICKET, K_COUNT };
static const char *const wkeys[K_COUNT] = {"profile", "file", "component", "rule", "gate",
                                           "reason", "owner", "expires", "ticket"};
static const char *const gates[] = {"mismatch", "blocker", "no-decision"};

typedef struct {
    yreader r;
    const vm_ruleset *rs;
    int32_t today;
} wctx;

/* The current scalar as one line of text: no control characters, not
 * empty or blank. */
static const char *read_text(wctx *c, const char *path, const char *what)
{
    yreader *r = &c->r;
    if (r->ev.kind != YE_SCALAR || yr_is_null(&r->ev)) {
        yr_err(r, r->ev.line, r->ev.col, path, "%s must be a string, found %s", what,
               yr_is_null(&r->ev) ? "null" : yr_kind_name(r->ev.kind));
        yr_skip(r);
        return NULL;
    }
    bool blank = true;
    for (size_t i = 0; i < r->ev.len; i++) {
        unsigned char ch = (unsigned char)r->ev.text[i];
        if (ch < 0x20 || ch == 0x7f) {
            yr_err(r, r->ev.line, r->ev.col, path, "%s must be one line of text without control characters",
                   what);
            return NULL;
        }
        if (ch != ' ')
            blank = false;
    }
    if (blank) {
        yr_err(r, r->ev.line, r->ev.col, path, "%s must not be empty", what);
        return NULL;
    }
    const char *s = vm_arena_strndup(r->a, r->ev.text, r->ev.len);
    if (!s)
        yr_nomem(r);
    return s;
}

static bool rule_known(wctx *c, const char *id, uint32_t line, uint32_t col, const char *path)
{
    return yr_rule_known(&c->r, c->rs, id, line, col, path);
}

static void parse_waiver(wctx *c, vm_waivers *out, uint32_t index)
{
    yreader *r = &c->r;
    char path[64], kpath[96];
    snprintf(path, sizeof path, "waivers[%u]", index);
    if (r->ev.kind != YE_MAP_START) {
        yr_err(r, r->ev.line, r->ev.col, path, "a waiver is a mapping (profile, rule or gate, reason, owner, "
                                               "expires), found %s",
               yr_is_null(&r->ev) ? "null" : yr_kind_name(r->ev.kind));
        yr_skip(r);
        return;
    }
    size_t before = r->d->errors;
    vm_waiver w;
    memset(&w, 0, sizeof w);
    w.line = r->ev.line;
    w.col = r->ev.col;
    uint32_t seen[K_COUNT] = {0};
    uint32_t gl = 0, gc = 0;
    const yr_path where = {NULL, path, 0};
    yr_keys keys = {.words = wkeys, .n = K_COUNT, .seen = seen};
    for (int k; (k = yr_each_key(r, &where, &keys)) >= 0;) {
        snprintf(kpath, sizeof kpath, "%s.%s", path, wkeys[k]);
        uint32_t vl = r->ev.line, vc = r->ev.col;
        const char *t = read_text(c, kpath, wkeys[k]);
        if (!t)
            continue;
        switch (k) {
        case K_PROFILE: w.profile = t; break;
        case K_FILE: w.file = t[0] == '.' && t[1] == '/' ? t + 2 : t; break;
        case K_COMPONENT: w.component = t; break;
        case K_RULE:
            w.kind = VM_WAIVE_BLOCKER;
            w.rule = t;
            rule_known(c, t, vl, vc, kpath);
            break;
        case K_GATE: {
            gl = vl, gc = vc;
            const char *colon = strchr(t, ':');
            size_t n = colon ? (size_t)(colon - t) : strlen(t);
            int g = -1;
            for (int i = 0; i < 3; i++)
                if (strlen(gates[i]) == n && memcmp(gates[i], t, n) == 0)
                    g = i;
            if (g < 0 || (colon && g != VM_WAIVE_BLOCKER)) {
                const char *s = g < 0 ? vm_suggest(t, gates, 3) : NULL;
                yr_err(r, vl, vc, kpath,
                       "'%s' is not a gate outcome (one of mismatch, blocker, blocker:RULE, no-decision)%s%s%s", t,
                       s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
                break;
            }
            w.kind = (vm_waive_kind)g;
            if (colon) {
                w.rule = colon + 1;
                if (!*w.rule)
                    yr_err(r, vl, vc, kpath, "'blocker:' needs a rule id");
                else
                    rule_known(c, w.rule, vl, vc, kpath);
            }
            break;
        }
        case K_REASON:
            w.reason = t;
            if (strlen(t) < 8 || strncmp(t, "TODO", 4) == 0 || strncmp(t, "todo", 4) == 0)
                yr_err(r, vl, vc, kpath, "reason must say why the check is accepted (at least 8 characters, "
                                         "not a TODO)");
            break;
        case K_OWNER: w.owner = t; break;
        case K_TICKET: w.ticket = t; break;
        case K_EXPIRES: {
            if (!vm_date_parse(t, strlen(t), &w.expires)) {
                yr_err(r, vl, vc, kpath, "expires must be a date YYYY-MM-DD, found '%s'", t);
                break;
            }
            vm_date_format(w.expires, w.expires_text);
            if (w.expires > c->today + (int32_t)VM_WAIVER_MAX_DAYS) {
                char today[11], latest[11];
                vm_date_format(c->today, today);
                vm_date_format(c->today + (int32_t)VM_WAIVER_MAX_DAYS, latest);
                yr_err(r, vl, vc, kpath,
                       "expires %s is more than %u days after today (%s): the latest allowed is %s", t,
                       VM_WAIVER_MAX_DAYS, today, latest);
            }
            break;
        }
        }
    }
    if (r->fatal)
        return;
    if (!seen[K_PROFILE] && !seen[K_FILE])
        yr_err(r, w.line, w.col, path, "a waiver names the profile it accepts: 'profile' (metadata.name glob) "
                                       "or 'file' (path glob)");
    if (seen[K_RULE] && seen[K_GATE])
        yr_err(r, gl, gc, path, "give 'rule' or 'gate', not both");
    else if (!seen[K_RULE] && !seen[K_GATE])
        yr_err(r, w.line, w.col, path, "a waiver says what it accepts: 'rule: ID' (a blocker) or 'gate: "
                                       "mismatch|blocker|blocker:RULE|no-decision'");
    static const int required[] = {K_REASON, K_OWNER, K_EXPIRES};
    for (size_t i = 0; i < 3; i++)
        if (!seen[required[i]])
            yr_err(r, w.line, w.col, path, "missing required key '%s'", wkeys[required[i]]);
    if (r->d->errors > before)
        return;
    if (out->n >= VM_LIMIT_WAIVERS) {
        yr_err(r, w.line, w.col, path, "more than %u waivers", VM_LIMIT_WAIVERS);
        r->fatal = true;
        return;
    }
    out->items[out->n++] = w;
}

/* parse_waiver as yr_list_file's item */
struct waiver_list {
    wctx *c;
    vm_waivers *out;
};
static void waiver_item(void *ctx, uint32_t i)
{
    struct waiver_list *l = ctx;
    parse_waiver(l->c, l->out, i);
}

/* kind: a profile or a rule file is not a waiver file */
static bool other_kind(yreader *r)
{
    if (!yr_is(r, "WorkloadProfile") && !yr_is(r, "RuleSet"))
        return false;
    yr_err(r, r->ev.line, r->ev.col, "kind", "this is a %s, not a waiver file (kind: WaiverSet)",
           yr_is(r, "WorkloadProfile") ? "profile" : "rule file");
    return true;
}

vm_status vm_waivers_parse(vm_arena *a, const char *file, const char *data, size_t len, const vm_ruleset *rs,
                           int32_t today, vm_waivers *out, vm_diags *d)
{
    memset(out, 0, sizeof *out);
    size_t before = d->errors;
    if (yr_too_large(d, file, len, VM_LIMIT_WAIVER_FILE, "waiver file"))
        return VM_ERULES;
    out->file = vm_arena_strndup(a, file, strlen(file));
    out->items = vm_arena_alloc(a, VM_LIMIT_WAIVERS * sizeof *out->items);
    char *copy = vm_arena_strndup(a, data, len);
    wctx c = {.r = {.a = a, .file = out->file, .d = d}, .rs = rs, .today = today};
    if (!out->file || !out->items || !copy || !(c.r.p = ye_open(copy, len, 1))) {
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
        return VM_EIO;
    }
    yreader *r = &c.r;
    if (!yr_doc_start(r, "empty waiver file"))
        goto done;
    if (r->ev.kind != YE_MAP_START) {
        yr_err(r, r->ev.line, r->ev.col, "", "a waiver file is a mapping (apiVersion, kind, waivers), found %s",
               yr_is_null(&r->ev) ? "nothing" : yr_kind_name(r->ev.kind));
        goto done;
    }
    struct waiver_list wl = {&c, out};
    const yr_list_file f = {.kind = "WaiverSet", .key = "waivers", .what = "waivers", .null_empty = true,
                            .other_kind = other_kind, .item = waiver_item, .ctx = &wl};
    if (!yr_list_file_keys(r, &f))
        goto done;
    yr_doc_end(r, "a waiver file holds one document");
done:
    ye_close(r->p);
    if (r->oom || d->errors > before) {
        out->n = 0;
        return r->oom ? VM_EIO : VM_ERULES;
    }
    return VM_OK;
}

/* ---- matching ------------------------------------------------------------------ */

/* Whether waiver x, of kind k, matches the subject of r (not its rule). */
static bool matches(const vm_waiver *x, vm_waive_kind k, const char *path, const char *profile,
                    const vm_gate_result *r, int32_t today)
{
    if (x->kind != k || vm_waiver_expired(x, today))
        return false;
    if (x->profile && fnmatch(x->profile, profile, 0) != 0)
        return false;
    if (x->file && fnmatch(x->file, path, 0) != 0)
        return false;
    return !x->component || (r->component && fnmatch(x->component, r->component, 0) == 0);
}

/* The first waiver in file order of kind k that matches r and covers rule
 * (any rule for a waiver without `rule`; a NULL rule only so), or -1. */
static int first_cover(const vm_waivers *w, vm_waive_kind k, const char *path, const char *profile,
                       const vm_gate_result *r, const vm_rule *rule, int32_t today)
{
    for (uint32_t i = 0; i < w->n; i++) {
        const vm_waiver *x = &w->items[i];
        if (x->rule && (!rule || strcmp(x->rule, rule->id) != 0))
            continue;
        if (matches(x, k, path, profile, r, today))
            return (int)i;
    }
    return -1;
}

/* Waiver i is used (a hand-made set past the file limit is not recorded). */
static void mark(vm_waiver_verdict *out, int i)
{
    if ((unsigned)i < VM_LIMIT_WAIVERS)
        out->used[(unsigned)i / 64] |= (uint64_t)1 << ((unsigned)i % 64);
}

int vm_waivers_apply(const vm_waivers *w, const char *path, const char *profile, const vm_gate_result *r,
                     int32_t today, vm_waiver_verdict *out)
{
    memset(out, 0, sizeof *out);
    out->waiver = -1;
    out->uncovered.target = -1;
    /* a blocker's rules: every one needs a waiver */
    const vm_gate_blocker alone = {r->rule, r->blocked};
    const vm_gate_blocker *bl = r->nblockers ? r->blockers : &alone;
    uint32_t nbl = r->nblockers ? r->nblockers : 1;
    if (r->kind == VM_GATE_BLOCKER)
        out->uncovered = bl[0];
    if (!w || (r->outcome != VM_GATE_FAIL && r->outcome != VM_GATE_WARN))
        return -1;
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    vm_waive_kind k;
    switch (r->kind) {
    case VM_GATE_MISMATCH: k = VM_WAIVE_MISMATCH; break;
    case VM_GATE_BLOCKER: k = VM_WAIVE_BLOCKER; break;
    case VM_GATE_NO_DECISION: k = VM_WAIVE_NO_DECISION; break;
    default: return -1;
    }
    if (k != VM_WAIVE_BLOCKER) {
        int i = first_cover(w, k, path, profile, r, NULL, today);
        if (i >= 0)
            mark(out, i);
        return out->waiver = i;
    }
    int shown = -1;
    bool all = true;
    for (uint32_t j = 0; j < nbl; j++) {
        int i = first_cover(w, k, path, profile, r, bl[j].rule, today);
        if (i < 0) {
            if (all)
                out->uncovered = bl[j];
            all = false;
            continue;
        }
        mark(out, i);
        if (j == 0)
            shown = i;
    }
    if (!all)
        return -1;
    out->uncovered = (vm_gate_blocker){NULL, -1};
    return out->waiver = shown;
}

int vm_waivers_match(const vm_waivers *w, const char *path, const char *profile, const vm_gate_result *r,
                     int32_t today)
{
    vm_waiver_verdict v;
    return vm_waivers_apply(w, path, profile, r, today, &v);
}
