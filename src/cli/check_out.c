/*
 * check_out.c - `vmctr check` records and their formats (see check.h):
 * text, json, SARIF 2.1.0 (as GitHub code scanning reads it), JUnit XML (as
 * GitLab and Jenkins read it) and GitHub workflow commands. Output depends
 * only on the records and the options, so it is deterministic.
 */
#include "junit.h"
#include "batch.h"
#include "check.h"
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "vmctr/report.h"
#include "vmctr/target.h"

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#define INFO_URI "https://github.com/vmctr/vmctr"
#define GATE_INVALID "vmctr.gate.invalid-profile"

/* ---- records -------------------------------------------------------------- */

/* A check record in the batch record format (batch.h): the tag, the
 * positions, the integers, the confidence, then the strings. */
enum { CK_NINTS = 12 };

void ck_put(vm_buf *b, const ck_rec *r)
{
    vm_buf_putc(b, r->tag);
    vm_rec_put_u32(b, r->doc);
    vm_rec_put_u32(b, r->doc_line);
    vm_rec_put_u32(b, r->line);
    vm_rec_put_u32(b, r->col);
    int32_t ints[CK_NINTS] = {r->pp, r->pq, r->rp, r->rq, r->rcq, r->kind, r->outcome, r->blocked, r->waiver,
                              r->orig, r->rxq, r->tied};
    for (int i = 0; i < CK_NINTS; i++)
        vm_rec_put_i32(b, ints[i]);
    vm_rec_put_f64(b, r->conf);
    const char *strs[] = {r->file, r->profile, r->component, r->rule_id, r->rule_title, r->reason, r->text};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        vm_rec_put_str(b, strs[i]);
}

bool ck_next(const char *data, size_t len, size_t *pos, ck_rec *out)
{
    if (*pos >= len)
        return false;
    vm_rec_reader r;
    vm_rec_reader_init(&r, data + *pos, len - *pos);
    memset(out, 0, sizeof *out);
    out->tag = r.p[0];
    r.p++;
    out->doc = vm_rec_get_u32(&r);
    out->doc_line = vm_rec_get_u32(&r);
    out->line = vm_rec_get_u32(&r);
    out->col = vm_rec_get_u32(&r);
    int32_t ints[CK_NINTS];
    for (int i = 0; i < CK_NINTS; i++)
        ints[i] = vm_rec_get_i32(&r);
    out->pp = ints[0], out->pq = ints[1], out->rp = ints[2], out->rq = ints[3], out->rcq = ints[4];
    out->kind = ints[5], out->outcome = ints[6], out->blocked = ints[7], out->waiver = ints[8], out->orig = ints[9];
    out->rxq = ints[10];
    out->tied = ints[11];
    out->conf = vm_rec_get_f64(&r);
    out->file = vm_rec_get_str(&r);
    out->profile = vm_rec_get_str(&r);
    out->component = vm_rec_get_str(&r);
    out->rule_id = vm_rec_get_str(&r);
    out->rule_title = vm_rec_get_str(&r);
    out->reason = vm_rec_get_str(&r);
    out->text = vm_rec_get_str(&r);
    if (!vm_rec_ok(&r))
        return false;
    *pos = (size_t)(r.p - data);
    return true;
}

/* ---- shared text ---------------------------------------------------------- */

const char *ck_outcome_name(int o) { return vm_gate_outcome_name((vm_gate_outcome)o); }

const char *ck_kind_name(int k)
{
    switch (k) {
    case CK_INVALID: return "invalid";
    case CK_WAIVER_EXPIRED: return "expired-waiver";
    case CK_WAIVER_UNUSED: return "unused-waiver";
    default: return vm_gate_kind_name((vm_gate_kind)k);
    }
}

/* The waiver a record points at, or NULL. */
static const vm_waiver *waiver_of(const ck_render *rd_, const ck_rec *r)
{
    if (!rd_->waivers || r->waiver <= 0 || (uint32_t)r->waiver > rd_->waivers->n)
        return NULL;
    return &rd_->waivers->items[r->waiver - 1];
}

/* "profile billing-api, component ledger, gate mismatch" */
static void put_waiver_scope(vm_buf *b, const vm_waiver *w)
{
    static const char *const kinds[] = {"mismatch", "blocker", "no-decision"};
    if (w->profile)
        vm_buf_printf(b, "profile %s, ", w->profile);
    if (w->file)
        vm_buf_printf(b, "file %s, ", w->file);
    if (w->component)
        vm_buf_printf(b, "component %s, ", w->component);
    if (w->kind == VM_WAIVE_BLOCKER && w->rule)
        vm_buf_printf(b, "blocker %s", w->rule);
    else
        vm_buf_printf(b, "gate %s", kinds[w->kind]);
}

/* "waived by OWNER until DATE: REASON (TICKET)" */
static void put_waiver_clause(vm_buf *b, const vm_waiver *w)
{
    vm_buf_printf(b, "waived by %s until %s: %s", w->owner, w->expires_text, w->reason);
    if (w->ticket)
        vm_buf_printf(b, " (%s)", w->ticket);
}

static void put_name(vm_buf *b, const ck_rec *r)
{
    vm_buf_puts(b, r->profile);
    if (r->component[0]) {
        vm_buf_putc(b, '/');
        vm_buf_puts(b, r->component);
    }
}

static void put_proposal(vm_buf *b, const ck_rec *r)
{
    if (r->pp >= 0)
        vm_buf_puts(b, vm_target_name(r->pp));
    if (r->pp >= 0 && r->pq >= 0)
        vm_buf_putc(b, '/');
    if (r->pq >= 0)
        vm_buf_puts(b, vm_target_name(r->pq));
}

static void put_recommendation(vm_buf *b, const ck_rec *r)
{
    if (r->rp < 0) {
        vm_buf_puts(b, "nothing (every paradigm is excluded)");
        return;
    }
    vm_buf_puts(b, vm_target_name(r->rp));
    if (r->rq >= 0) {
        char t[64];
        vm_buf_printf(b, "/%s", vm_report_platform_text(r->rq, r->rcq, t, sizeof t));
        if (r->rxq >= 0)
            vm_buf_printf(b, " + %s", vm_target_name(r->rxq));
        char tie[160]; /* every platform's name fits (t would cut two families' ties) */
        vm_buf_puts(b, vm_report_tie_note((uint16_t)r->tied, tie, sizeof tie));
    }
}

static void put_conf(vm_buf *b, double c) { vm_buf_conf(b, c); }

/* "vmctr recommends vm/vmware-esxi (confidence 0.82)" */
static void put_rec_clause(vm_buf *b, const ck_render *rd_, const ck_rec *r)
{
    vm_buf_puts(b, "vmctr recommends ");
    put_recommendation(b, r);
    if (r->rp >= 0) {
        vm_buf_puts(b, " (confidence ");
        put_conf(b, r->conf);
        if (r->kind == CK_MISMATCH && r->conf < rd_->pol.min_confidence - VM_CONF_EPS) {
            vm_buf_puts(b, ", below --min-confidence ");
            put_conf(b, rd_->pol.min_confidence);
        }
        vm_buf_putc(b, ')');
    }
}

/* The one-line message of a record, shared by every format. */
static void put_message(vm_buf *b, const ck_render *rd_, const ck_rec *r)
{
    if (r->tag == 'E') {
        vm_buf_printf(b, "document %u is not a valid profile: %s", r->doc + 1, r->text);
        return;
    }
    const vm_waiver *w = waiver_of(rd_, r);
    if (r->tag == 'W') {
        if (!w)
            return;
        vm_buf_puts(b, "waiver (");
        put_waiver_scope(b, w);
        vm_buf_printf(b, "; owner %s) ", w->owner);
        if (r->kind == CK_WAIVER_EXPIRED)
            vm_buf_printf(b, "expired on %s: renew it with a new date or fix the profile", w->expires_text);
        else
            vm_buf_puts(b, "matched no check: remove it");
        return;
    }
    put_name(b, r);
    switch (r->kind) {
    case CK_NO_DECISION:
        vm_buf_puts(b, rd_->pol.require_decision ? ": no decision (--require-decision wants spec.decision); "
                                             : ": no decision to check; ");
        put_rec_clause(b, rd_, r);
        break;
    case CK_BLOCKER:
        vm_buf_puts(b, " proposes ");
        put_proposal(b, r);
        if (r->rule_id[0])
            vm_buf_printf(b, ", but blocker %s excludes %s (%s); ", r->rule_id, vm_target_name(r->blocked),
                          r->rule_title);
        else
            vm_buf_printf(b, ", but a blocker excludes %s; ", vm_target_name(r->blocked));
        put_rec_clause(b, rd_, r);
        break;
    default:
        vm_buf_puts(b, " proposes ");
        put_proposal(b, r);
        vm_buf_puts(b, "; ");
        put_rec_clause(b, rd_, r);
        if (r->kind == CK_MISMATCH && r->reason[0])
            vm_buf_printf(b, ": %s", r->reason);
        break;
    }
    if (w && r->outcome == CK_WAIVED) {
        vm_buf_puts(b, "; ");
        put_waiver_clause(b, w);
    }
}

static const char *rule_of(const ck_rec *r)
{
    if (r->tag == 'E')
        return GATE_INVALID;
    if (r->tag == 'W')
        return r->kind == CK_WAIVER_EXPIRED ? "vmctr.waiver.expired" : "vmctr.waiver.unused";
    switch (r->kind) {
    case CK_BLOCKER: return r->rule_id[0] ? r->rule_id : "vmctr.gate.blocker";
    case CK_NO_DECISION: return "vmctr.gate.no-decision";
    case CK_MISMATCH: return "vmctr.gate.mismatch";
    default: return "vmctr.gate.match";
    }
}

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static uint64_t fnv_str(uint64_t h, const char *s) { return fnv(h, s, strlen(s) + 1); }

/* ---- renderer state ------------------------------------------------------- */

void ck_render_init(ck_render *r)
{
    memset(r, 0, sizeof *r);
    vm_buf_init(&r->suite);
}

void ck_render_free(ck_render *r)
{
    vm_buf_free(&r->suite);
    free(r->suite_file);
    free(r->names);
}

/* ---- text and github -------------------------------------------------------- */

static void summary_line(const ck_render *r, vm_buf *b)
{
    uint32_t total = r->n[CK_PASS] + r->n[CK_NOTE] + r->n[CK_WARN] + r->n[CK_FAIL] + r->n[CK_WAIVED];
    vm_buf_printf(b, "%s check: %u checked: %u passed, %u failed, %u %s, %u %s", VM_PROG, total, r->n[CK_PASS],
                  r->n[CK_FAIL], r->n[CK_WARN], r->n[CK_WARN] == 1 ? "warning" : "warnings", r->n[CK_NOTE],
                  r->n[CK_NOTE] == 1 ? "note" : "notes");
    if (r->waivers)
        vm_buf_printf(b, ", %u waived", r->n[CK_WAIVED]);
    if (r->invalid_docs)
        vm_buf_printf(b, "; %u invalid %s", r->invalid_docs, r->invalid_docs == 1 ? "document" : "documents");
    if (r->waivers_expired)
        vm_buf_printf(b, "; %u expired %s", r->waivers_expired, r->waivers_expired == 1 ? "waiver" : "waivers");
    if (r->waivers_unused)
        vm_buf_printf(b, "; %u unused %s", r->waivers_unused, r->waivers_unused == 1 ? "waiver" : "waivers");
    if (r->skipped_files)
        vm_buf_printf(b, "; %u %s not vmctr skipped", r->skipped_files, r->skipped_files == 1 ? "file" : "files");
    if (r->excluded)
        vm_buf_printf(b, "; %u excluded", r->excluded);
    vm_buf_putc(b, '\n');
}

/* "FILE:LINE: outcome: message", one line, through the terminal
 * neutraliser (escape.h): a file name or message cannot start a line, move
 * the cursor or reorder the text. In --format github every line is also
 * workflow-command escaped, the file as a property so that the line cannot
 * begin with "::". */
static void text_line(vm_buf *b, const ck_rec *r, const vm_buf *msg, bool github)
{
    if (github)
        vm_esc_gh(b, r->file, strlen(r->file), true);
    else
        vm_esc_terms(b, r->file);
    vm_buf_printf(b, ":%u: %s: ", r->line, ck_outcome_name(r->outcome));
    if (github)
        vm_esc_gh(b, msg->data, msg->len, false);
    else
        vm_esc_term(b, msg->data, msg->len);
    vm_buf_putc(b, '\n');
}

static void render_text(ck_render *rd_, const ck_rec *r, vm_buf *b, vm_buf *msg)
{
    if (rd_->quiet && r->outcome != CK_FAIL)
        return;
    if (r->tag != 'E')
        text_line(b, r, msg, false); /* invalid documents: the diagnostics are on stderr */
}

static void render_github(ck_render *rd_, const ck_rec *r, vm_buf *b, vm_buf *msg)
{
    int o = r->tag == 'E' ? CK_ERROR : r->outcome;
    if (rd_->quiet && o != CK_FAIL && o != CK_ERROR)
        return;
    if (o == CK_PASS || (o == CK_NOTE && !rd_->notes)) {
        text_line(b, r, msg, true);
        return;
    }
    const char *cmd = o == CK_FAIL || o == CK_ERROR ? "error" : o == CK_WARN ? "warning" : "notice";
    vm_buf_printf(b, "::%s file=", cmd);
    vm_esc_gh(b, r->file, strlen(r->file), true);
    vm_buf_printf(b, ",line=%u,col=%u,title=", r->line, r->col ? r->col : 1);
    vm_buf tb;
    vm_buf_init(&tb);
    if (r->tag == 'E') {
        vm_buf_puts(&tb, "vmctr: invalid profile");
    } else if (r->tag == 'W') {
        vm_buf_puts(&tb, r->kind == CK_WAIVER_EXPIRED ? "vmctr: expired waiver" : "vmctr: unused waiver");
    } else {
        vm_buf_printf(&tb, "vmctr check %s: ", o == CK_FAIL ? "failed" : ck_outcome_name(o));
        put_name(&tb, r);
    }
    vm_esc_gh(b, tb.data, tb.len, true);
    if (tb.oom)
        b->oom = true;
    vm_buf_free(&tb);
    vm_buf_puts(b, "::");
    vm_esc_gh(b, msg->data, msg->len, false);
    vm_buf_putc(b, '\n');
}

/* ---- json ------------------------------------------------------------------ */

static void json_target(vm_buf *b, int t)
{
    if (t >= 0)
        vm_buf_json_str(b, vm_target_name(t));
    else
        vm_buf_puts(b, "null");
}

static void json_head(vm_buf *b, ck_render *rd_, const ck_rec *r)
{
    vm_buf_puts(b, rd_->any ? ",\n    {" : "\n    {");
    rd_->any = true;
    vm_buf_puts(b, "\"file\": ");
    vm_buf_json_str(b, r->file);
    vm_buf_printf(b, ", \"document\": %u, \"line\": %u, \"column\": %u", r->doc, r->line, r->col);
}

static void json_strn_or_null(vm_buf *b, const char *s)
{
    if (s)
        vm_buf_json_str(b, s);
    else
        vm_buf_puts(b, "null");
}

/* "waiver": {...}: the waiver applied to a result, or the one a 'W' record reports. */
static void json_waiver(vm_buf *b, const ck_render *rd_, const ck_rec *r)
{
    const vm_waiver *w = waiver_of(rd_, r);
    if (!w)
        return;
    static const char *const kinds[] = {"mismatch", "blocker", "no-decision"};
    vm_buf_puts(b, ", \"waiver\": {\"file\": ");
    vm_buf_json_str(b, rd_->waivers->file);
    vm_buf_printf(b, ", \"line\": %u, \"column\": %u, \"profile\": ", w->line, w->col);
    json_strn_or_null(b, w->profile);
    vm_buf_puts(b, ", \"path\": ");
    json_strn_or_null(b, w->file);
    vm_buf_puts(b, ", \"component\": ");
    json_strn_or_null(b, w->component);
    vm_buf_printf(b, ", \"gate\": \"%s\", \"rule\": ", kinds[w->kind]);
    json_strn_or_null(b, w->rule);
    vm_buf_puts(b, ", \"reason\": ");
    vm_buf_json_str(b, w->reason);
    vm_buf_puts(b, ", \"owner\": ");
    vm_buf_json_str(b, w->owner);
    vm_buf_printf(b, ", \"expires\": \"%s\", \"ticket\": ", w->expires_text);
    json_strn_or_null(b, w->ticket);
    if (r->tag == 'I')
        vm_buf_printf(b, ", \"waived_status\": \"%s\"", ck_outcome_name(r->orig));
    vm_buf_putc(b, '}');
}

static void render_json_waiver(ck_render *rd_, const ck_rec *r, vm_buf *b, vm_buf *msg)
{
    json_head(b, rd_, r);
    vm_buf_printf(b, ", \"profile\": null, \"component\": null, \"status\": \"%s\", \"gate\": \"%s\"",
                  ck_outcome_name(r->outcome), ck_kind_name(r->kind));
    json_waiver(b, rd_, r);
    vm_buf_puts(b, ", \"message\": ");
    vm_buf_json_strn(b, msg->data, msg->len);
    vm_buf_putc(b, '}');
}

static void render_json_item(ck_render *rd_, const ck_rec *r, vm_buf *b, vm_buf *msg)
{
    if (r->tag == 'W') {
        render_json_waiver(rd_, r, b, msg);
        return;
    }
    json_head(b, rd_, r);
    vm_buf_puts(b, ", \"profile\": ");
    vm_buf_json_str(b, r->profile);
    vm_buf_puts(b, ", \"component\": ");
    if (r->component[0])
        vm_buf_json_str(b, r->component);
    else
        vm_buf_puts(b, "null");
    vm_buf_printf(b, ", \"status\": \"%s\", \"gate\": \"%s\", \"proposed\": {\"paradigm\": ", ck_outcome_name(r->outcome),
                  ck_kind_name(r->kind));
    json_target(b, r->pp);
    vm_buf_puts(b, ", \"platform\": ");
    json_target(b, r->pq);
    vm_buf_puts(b, "}, \"recommendation\": {\"paradigm\": ");
    json_target(b, r->rp);
    vm_buf_puts(b, ", \"platform\": ");
    json_target(b, r->rq);
    if (r->rcq >= 0) {
        vm_buf_puts(b, ", \"container_platform\": ");
        json_target(b, r->rcq);
    }
    if (r->rxq >= 0) {
        vm_buf_puts(b, ", \"microvm_platform\": ");
        json_target(b, r->rxq);
    }
    if (r->tied) {
        vm_buf_puts(b, ", \"platform_ties\": [");
        for (int t = VM_FIRST_PLATFORM, n = 0; t < VM_TARGET_COUNT; t++)
            if ((r->tied >> t) & 1) {
                vm_buf_puts(b, n++ ? ", " : "");
                json_target(b, t);
            }
        vm_buf_putc(b, ']');
    }
    vm_buf_puts(b, ", \"confidence\": ");
    vm_buf_num(b, r->conf, 2);
    vm_buf_puts(b, "}, \"rule\": ");
    if (r->rule_id[0])
        vm_buf_json_str(b, r->rule_id);
    else
        vm_buf_puts(b, "null");
    if (r->kind == CK_BLOCKER) {
        vm_buf_puts(b, ", \"excludes\": ");
        json_target(b, r->blocked);
    }
    if (r->outcome == CK_WAIVED)
        json_waiver(b, rd_, r);
    vm_buf_puts(b, ", \"message\": ");
    vm_buf_json_strn(b, msg->data, msg->len);
    vm_buf_putc(b, '}');
}

/* ---- SARIF ------------------------------------------------------------------ */

/* A JSON string of at most 1024 characters (GitHub's limit), cut at a UTF-8
 * boundary with an ellipsis. */
static void json_str_max(vm_buf *b, const char *s, const char *fallback)
{
    if (!s || !*s)
        s = fallback;
    size_t chars = 0, i = 0, cut = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (chars == 1021)
                cut = i;
            chars++;
        }
    }
    if (chars <= 1024) {
        vm_buf_json_str(b, s);
        return;
    }
    vm_buf tb;
    vm_buf_init(&tb);
    vm_buf_put(&tb, s, cut);
    vm_buf_puts(&tb, "...");
    vm_buf_json_strn(b, tb.data ? tb.data : "", tb.len);
    vm_buf_free(&tb);
}

static void sarif_rule(vm_buf *b, bool first, const char *id, const char *title, const char *full,
                       const char *help, const char *level, const char *tag)
{
    vm_buf_puts(b, first ? "\n            {" : ",\n            {");
    vm_buf_puts(b, "\"id\": ");
    vm_buf_json_str(b, id);
    vm_buf_puts(b, ", \"shortDescription\": {\"text\": ");
    json_str_max(b, title, id);
    vm_buf_puts(b, "}, \"fullDescription\": {\"text\": ");
    json_str_max(b, full, title && *title ? title : id);
    vm_buf_puts(b, "}, \"help\": {\"text\": ");
    json_str_max(b, help, title && *title ? title : id);
    vm_buf_printf(b, "}, \"defaultConfiguration\": {\"level\": \"%s\"}, \"properties\": {\"tags\": [", level);
    vm_buf_json_str(b, tag);
    vm_buf_puts(b, "]}}");
}

static void sarif_begin(ck_render *rd_, vm_buf *b)
{
    vm_buf_puts(b, "{\n  \"$schema\": \"" SARIF_SCHEMA "\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n"
                   "      \"tool\": {\n        \"driver\": {\n          \"name\": \"vmctr\",\n"
                   "          \"version\": \"" VMCTR_VERSION "\",\n          \"semanticVersion\": \"" VMCTR_VERSION
                   "\",\n          \"informationUri\": \"" INFO_URI "\",\n          \"rules\": [");
    sarif_rule(b, true, "vmctr.gate.mismatch", "The proposed decision differs from the recommendation",
               "spec.decision proposes a paradigm or platform other than the one vmctr recommends for this "
               "profile. It fails the gate when the recommendation's confidence is at least --min-confidence, "
               "and is a warning below it.",
               "Run `vmctr advise FILE` to see the rules behind the recommendation, the unknowns worth answering "
               "and the smallest changes that would alter it; then change the profile or the decision.",
               "error", "gate");
    sarif_rule(b, false, "vmctr.gate.blocker", "A blocker excludes the proposed decision",
               "A rule that fired for this profile excludes the proposed paradigm or platform, so the proposal "
               "cannot work as described. This always fails the gate.",
               "Run `vmctr advise FILE` to see which rule excludes the proposal and why.", "error", "gate");
    sarif_rule(b, false, "vmctr.gate.no-decision", "The profile proposes no decision",
               "spec.decision.paradigm and spec.decision.platform are absent, so there is nothing to check. This "
               "is a note (in SARIF only with --notes), or a failure with --require-decision.",
               "Add spec.decision.paradigm (vm, container, hybrid or microvm) and optionally "
               "spec.decision.platform to the profile.",
               "note", "gate");
    sarif_rule(b, false, GATE_INVALID, "The profile is not valid",
               "The document could not be read as a vmctr/v1 WorkloadProfile (bad YAML, a wrong type, an unknown "
               "value or key), so it was not checked.",
               "Run `vmctr validate FILE` for every error with its line and column.", "error", "gate");
    if (rd_->waivers) {
        sarif_rule(b, false, "vmctr.waiver.expired", "A waiver has expired",
                   "A waiver's expires date has passed: it no longer accepts anything, and it fails the gate until "
                   "it is renewed with a new date (at most 365 days ahead) or removed.",
                   "Fix the profile, or renew the waiver with a new expires date, reason and owner.", "error",
                   "waiver");
        sarif_rule(b, false, "vmctr.waiver.unused", "A waiver matched no check",
                   "No warning or failure of this run matched the waiver: the problem it accepted is gone or the "
                   "waiver names the wrong profile, component, rule or gate. A warning (a failure with --fail-on "
                   "warning).",
                   "Remove the waiver, or correct what it matches.", "warning", "waiver");
    }
    size_t n = rd_->rules ? vm_ruleset_count(rd_->rules) : 0;
    for (size_t i = 0; i < n; i++) {
        const vm_rule *r = vm_ruleset_rule(rd_->rules, i);
        vm_buf help;
        vm_buf_init(&help);
        if (r->reference && *r->reference)
            vm_buf_printf(&help, "%s. ", r->reference);
        vm_buf_puts(&help, r->rationale && *r->rationale ? r->rationale : (r->title ? r->title : r->id));
        vm_buf_putc(&help, '\0');
        sarif_rule(b, false, r->id, r->title, r->rationale, help.oom ? r->id : help.data,
                   r->excludes ? "error" : "note", vm_category_name(r->category));
        if (help.oom)
            b->oom = true; /* exit 5, never a SARIF file with the help missing */
        vm_buf_free(&help);
    }
    vm_buf_puts(b, "\n          ]\n        }\n      },\n      \"results\": [");
}

/* artifactLocation: repository-relative paths with %SRCROOT%, a leading
 * "./" stripped; absolute paths as file:// URIs. */
/* "uri": ..., "uriBaseId" of r->file (without the braces). */
static void sarif_uri(vm_buf *b, const ck_rec *r)
{
    const char *f = r->file;
    bool abs = f[0] == '/';
    while (f[0] == '.' && f[1] == '/') {
        f += 2;
        while (*f == '/')
            f++;
    }
    vm_buf_putc(b, '"');
    if (abs)
        vm_buf_puts(b, "file://");
    for (const unsigned char *p = (const unsigned char *)f; *p; p++) {
        unsigned c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~/", (int)c))
            vm_buf_putc(b, (char)c);
        else
            vm_buf_printf(b, "%%%02X", c);
    }
    vm_buf_putc(b, '"');
    if (!abs)
        vm_buf_puts(b, ", \"uriBaseId\": \"%SRCROOT%\"");
}

static void sarif_location(vm_buf *b, const ck_rec *r)
{
    vm_buf_puts(b, "\"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
    sarif_uri(b, r);
    vm_buf_printf(b, "}, \"region\": {\"startLine\": %u", r->line ? r->line : 1);
    if (r->col)
        vm_buf_printf(b, ", \"startColumn\": %u", r->col);
    vm_buf_puts(b, "}}}]");
}

static void render_sarif(ck_render *rd_, const ck_rec *r, vm_buf *b, vm_buf *msg)
{
    int o = r->tag == 'E' ? CK_ERROR : r->outcome;
    if (o == CK_PASS || (o == CK_NOTE && !rd_->notes))
        return;
    const vm_waiver *w = o == CK_WAIVED ? waiver_of(rd_, r) : NULL;
    if (o == CK_WAIVED)
        o = r->orig; /* the level it would have had; suppressions[] says it is accepted */
    const char *level = o == CK_FAIL || o == CK_ERROR ? "error" : o == CK_WARN ? "warning" : "note";
    const char *rule = rule_of(r);
    vm_buf_puts(b, rd_->any ? ",\n        {" : "\n        {");
    rd_->any = true;
    vm_buf_puts(b, "\"ruleId\": ");
    vm_buf_json_str(b, rule);
    vm_buf_printf(b, ", \"level\": \"%s\", \"message\": {\"text\": ", level);
    vm_buf_json_strn(b, msg->data, msg->len);
    vm_buf_puts(b, "}, ");
    sarif_location(b, r);
    uint64_t h = 14695981039346656037ull;
    h = fnv_str(h, r->file);
    if (r->tag == 'E') {
        char d[32];
        snprintf(d, sizeof d, "%u", r->doc);
        h = fnv_str(h, d);
        h = fnv_str(h, r->text);
    } else if (r->tag == 'W') {
        char d[32];
        snprintf(d, sizeof d, "%u:%u", r->line, r->col);
        h = fnv_str(h, d);
    } else {
        h = fnv_str(h, r->profile);
        h = fnv_str(h, r->component);
    }
    h = fnv_str(h, rule);
    vm_buf_printf(b, ", \"partialFingerprints\": {\"vmctrSubject/v1\": \"%016llx\"}", (unsigned long long)h);
    if (r->tag == 'I') {
        vm_buf_puts(b, ", \"properties\": {\"profile\": ");
        vm_buf_json_str(b, r->profile);
        if (r->component[0]) {
            vm_buf_puts(b, ", \"component\": ");
            vm_buf_json_str(b, r->component);
        }
        vm_buf_printf(b, ", \"gate\": \"%s\", \"recommendation\": ", ck_kind_name(r->kind));
        json_target(b, r->rp);
        vm_buf_puts(b, ", \"confidence\": ");
        vm_buf_num(b, r->conf, 2);
        vm_buf_putc(b, '}');
    }
    /* SARIF: in a run either every result has suppressions or none does */
    if (rd_->waivers) {
        vm_buf_puts(b, ", \"suppressions\": [");
        if (w) {
            vm_buf_puts(b, "{\"kind\": \"external\", \"status\": \"accepted\", \"justification\": ");
            vm_buf tb;
            vm_buf_init(&tb);
            put_waiver_clause(&tb, w);
            vm_buf_json_strn(b, tb.data ? tb.data : "", tb.len);
            if (tb.oom)
                b->oom = true;
            vm_buf_free(&tb);
            vm_buf_puts(b, ", \"location\": {\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
            ck_rec wl = {.file = rd_->waivers->file, .line = w->line, .col = w->col};
            sarif_uri(b, &wl);
            vm_buf_printf(b, "}, \"region\": {\"startLine\": %u, \"startColumn\": %u}}}, \"properties\": {\"owner\": ",
                          w->line, w->col);
            vm_buf_json_str(b, w->owner);
            vm_buf_printf(b, ", \"expires\": \"%s\"", w->expires_text);
            if (w->ticket) {
                vm_buf_puts(b, ", \"ticket\": ");
                vm_buf_json_str(b, w->ticket);
            }
            vm_buf_puts(b, "}}");
        }
        vm_buf_putc(b, ']');
    }
    vm_buf_putc(b, '}');
}

/* ---- JUnit ---------------------------------------------------------------- */

static bool name_add(ck_render *rd_, uint64_t h)
{
    /* open addressing, load <= 1/2; 0 marks a free slot */
    if (h == 0)
        h = 1;
    if ((rd_->nnames + 1) * 2 > rd_->capnames) {
        size_t cap = rd_->capnames ? rd_->capnames * 2 : 64;
        uint64_t *t = calloc(cap, sizeof *t);
        if (!t) {
            rd_->oom = true;
            return true;
        }
        for (size_t i = 0; i < rd_->capnames; i++)
            if (rd_->names[i])
                for (size_t k = rd_->names[i] & (cap - 1);; k = (k + 1) & (cap - 1))
                    if (!t[k]) {
                        t[k] = rd_->names[i];
                        break;
                    }
        free(rd_->names);
        rd_->names = t;
        rd_->capnames = cap;
    }
    for (size_t k = h & (rd_->capnames - 1);; k = (k + 1) & (rd_->capnames - 1)) {
        if (rd_->names[k] == h)
            return false;
        if (!rd_->names[k]) {
            rd_->names[k] = h;
            rd_->nnames++;
            return true;
        }
    }
}

static void junit_flush(ck_render *rd_, vm_buf *b)
{
    if (!rd_->suite_file)
        return;
    vm_junit_suite(b, rd_->suite_file, rd_->s_tests, rd_->s_fail, rd_->s_err, rd_->s_skip, &rd_->suite);
    if (rd_->suite.oom)
        rd_->oom = true;
    vm_buf_reset(&rd_->suite);
    free(rd_->suite_file);
    rd_->suite_file = NULL;
    rd_->s_tests = rd_->s_fail = rd_->s_err = rd_->s_skip = 0;
    if (rd_->names)
        memset(rd_->names, 0, rd_->capnames * sizeof *rd_->names);
    rd_->nnames = 0;
}

static void junit_case_open(ck_render *rd_, const ck_rec *r, const char *base)
{
    vm_buf *s = &rd_->suite;
    char name[600];
    snprintf(name, sizeof name, "%s", base);
    uint64_t h0 = fnv_str(14695981039346656037ull, name);
    if (!name_add(rd_, h0)) {
        for (unsigned k = 0;; k++) {
            if (k == 0)
                snprintf(name, sizeof name, "%s#doc%u", base, r->doc + 1);
            else
                snprintf(name, sizeof name, "%s#doc%u.%u", base, r->doc + 1, k + 1);
            if (name_add(rd_, fnv_str(14695981039346656037ull, name)))
                break;
        }
    }
    vm_junit_case_open(s, r->file, name);
    vm_buf_putc(s, '\n');
    rd_->s_tests++;
}

/* One document's records: items each a test case; an invalid document one
 * test case with an <error>. */
static void render_junit_doc(ck_render *rd_, const char *data, size_t len, vm_buf *b)
{
    size_t pos = 0;
    ck_rec r;
    bool err_open = false;
    ck_rec first_err;
    vm_buf msg;
    vm_buf_init(&msg);
    while (ck_next(data, len, &pos, &r)) {
        if (r.tag == 'U')
            continue;
        if (!rd_->suite_file || strcmp(rd_->suite_file, r.file) != 0) {
            junit_flush(rd_, b);
            rd_->suite_file = strdup(r.file);
            if (!rd_->suite_file)
                rd_->oom = true;
        }
        vm_buf *s = &rd_->suite;
        vm_buf_reset(&msg);
        put_message(&msg, rd_, &r);
        vm_buf_putc(&msg, '\0');
        if (r.tag == 'E') {
            if (!err_open) {
                first_err = r;
                char base[64];
                snprintf(base, sizeof base, "document %u", r.doc + 1);
                junit_case_open(rd_, &r, base);
                vm_buf_printf(s, "      <error message=\"document %u is not a valid profile\" type=\"%s\">",
                              r.doc + 1, GATE_INVALID);
                rd_->s_err++;
                err_open = true;
            }
            char loc[32];
            snprintf(loc, sizeof loc, ":%u:%u: ", r.line, r.col);
            vm_buf_xml(s, r.file);
            vm_buf_puts(s, loc);
            vm_buf_xml(s, r.text);
            vm_buf_putc(s, '\n');
            continue;
        }
        char base[200];
        if (r.tag == 'W')
            snprintf(base, sizeof base, "waiver at line %u", r.line);
        else
            snprintf(base, sizeof base, "%s%s%s", r.profile, r.component[0] ? "/" : "", r.component);
        junit_case_open(rd_, &r, base);
        if (r.outcome == CK_WAIVED) {
            vm_buf_puts(s, "      <skipped message=\"");
            const vm_waiver *w = waiver_of(rd_, &r);
            vm_buf tb;
            vm_buf_init(&tb);
            if (w)
                put_waiver_clause(&tb, w);
            vm_buf_putc(&tb, '\0');
            vm_buf_xml(s, tb.oom ? "waived" : tb.data);
            if (tb.oom)
                s->oom = true;
            vm_buf_free(&tb);
            vm_buf_puts(s, "\"/>\n");
            rd_->s_skip++;
        } else if (r.outcome == CK_FAIL) {
            vm_buf_puts(s, "      <failure message=\"");
            vm_buf_xml(s, msg.data);
            vm_buf_printf(s, "\" type=\"%s\">", rule_of(&r));
            vm_buf_xml(s, msg.data);
            vm_buf_puts(s, "\n</failure>\n");
            rd_->s_fail++;
        } else if (r.outcome == CK_NOTE) {
            vm_buf_puts(s, "      <skipped message=\"no decision to check\"/>\n");
            rd_->s_skip++;
        }
        vm_buf_puts(s, "      <system-out>");
        vm_buf_printf(s, "%s: ", ck_outcome_name(r.outcome));
        vm_buf_xml(s, msg.data);
        if (r.tag == 'I' && r.reason[0] && r.kind != CK_MISMATCH) {
            vm_buf_puts(s, "\nbecause: ");
            vm_buf_xml(s, r.reason);
        }
        vm_buf_puts(s, "\n</system-out>\n    </testcase>\n");
    }
    if (err_open) {
        (void)first_err;
        vm_buf_puts(&rd_->suite, "</error>\n    </testcase>\n");
    }
    if (msg.oom || rd_->suite.oom)
        rd_->oom = true; /* a truncated <system-out> must not pass as success */
    vm_buf_free(&msg);
}

/* ---- dispatch --------------------------------------------------------------- */

void ck_render_begin(ck_render *r, vm_buf *b)
{
    switch (r->format) {
    case CK_FMT_SARIF: sarif_begin(r, b); break;
    case CK_FMT_JUNIT: vm_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"vmctr check\">\n"); break;
    case CK_FMT_JSON:
        vm_buf_printf(b, "{\n  \"schema\": \"vmctr.check/v1\",\n  \"options\": {\"fail_on\": \"%s\", \"min_confidence\": ",
                      r->pol.fail_on == VM_FAIL_ON_BLOCKER ? "blocker" : r->pol.fail_on == VM_FAIL_ON_WARNING ? "warning" : "mismatch");
        vm_buf_num(b, r->pol.min_confidence, 4);
        vm_buf_printf(b, ", \"require_decision\": %s, \"waivers\": ", r->pol.require_decision ? "true" : "false");
        json_strn_or_null(b, r->waivers ? r->waivers->file : NULL);
        vm_buf_puts(b, "},\n  \"results\": [");
        break;
    default: break;
    }
}

void ck_render_doc(ck_render *rd_, const char *data, size_t len, vm_buf *b)
{
    size_t pos = 0;
    ck_rec r;
    bool invalid = false;
    /* counts */
    while (ck_next(data, len, &pos, &r)) {
        if (r.tag == 'E') {
            invalid = true;
        } else if (r.tag == 'U') {
            if (rd_->uses && waiver_of(rd_, &r))
                rd_->uses[r.waiver - 1]++;
        } else if (r.tag == 'W') {
            rd_->waivers_expired += r.kind == CK_WAIVER_EXPIRED;
            rd_->waivers_unused += r.kind == CK_WAIVER_UNUSED;
            rd_->waivers_failed += r.outcome == CK_FAIL;
        } else if (r.outcome >= 0 && r.outcome < CK_NOUTCOMES && r.outcome != CK_ERROR) {
            rd_->n[r.outcome]++;
            if (r.outcome == CK_WAIVED && rd_->uses && waiver_of(rd_, &r))
                rd_->uses[r.waiver - 1]++;
        }
    }
    if (invalid)
        rd_->invalid_docs++;
    if (rd_->format == CK_FMT_JUNIT) {
        render_junit_doc(rd_, data, len, b);
        return;
    }
    vm_buf msg;
    vm_buf_init(&msg);
    pos = 0;
    bool json_err_open = false;
    while (ck_next(data, len, &pos, &r)) {
        if (r.tag == 'U')
            continue;
        vm_buf_reset(&msg);
        put_message(&msg, rd_, &r);
        switch (rd_->format) {
        case CK_FMT_TEXT: render_text(rd_, &r, b, &msg); break;
        case CK_FMT_GITHUB: render_github(rd_, &r, b, &msg); break;
        case CK_FMT_SARIF: render_sarif(rd_, &r, b, &msg); break;
        case CK_FMT_JSON:
            if (r.tag != 'E') {
                render_json_item(rd_, &r, b, &msg);
                break;
            }
            if (!json_err_open) {
                json_head(b, rd_, &r);
                vm_buf_puts(b, ", \"profile\": null, \"component\": null, \"status\": \"error\", \"gate\": "
                               "\"invalid\", \"errors\": [");
                json_err_open = true;
            } else {
                vm_buf_puts(b, ", ");
            }
            vm_buf_printf(b, "{\"line\": %u, \"column\": %u, \"message\": ", r.line, r.col);
            vm_buf_json_str(b, r.text);
            vm_buf_putc(b, '}');
            break;
        default: break;
        }
    }
    if (json_err_open)
        vm_buf_puts(b, "]}");
    if (msg.oom)
        rd_->oom = true;
    vm_buf_free(&msg);
}

void ck_render_end(ck_render *r, vm_buf *b, int rc)
{
    switch (r->format) {
    case CK_FMT_TEXT:
    case CK_FMT_GITHUB:
        if (!r->quiet)
            summary_line(r, b);
        break;
    case CK_FMT_JUNIT:
        junit_flush(r, b);
        vm_buf_puts(b, "</testsuites>\n");
        break;
    case CK_FMT_SARIF:
        vm_buf_puts(b, r->any ? "\n      ]" : "]");
        vm_buf_printf(b, ",\n      \"invocations\": [{\"executionSuccessful\": %s, \"exitCode\": %d}]\n    }\n  ]\n}\n",
                      rc == 0 || rc == 1 ? "true" : "false", rc);
        break;
    case CK_FMT_JSON: {
        uint32_t total = r->n[CK_PASS] + r->n[CK_NOTE] + r->n[CK_WARN] + r->n[CK_FAIL] + r->n[CK_WAIVED];
        vm_buf_puts(b, r->any ? "\n  ]" : "]");
        vm_buf_printf(b,
                      ",\n  \"summary\": {\"checked\": %u, \"pass\": %u, \"fail\": %u, \"warning\": %u, \"note\": %u, "
                      "\"waived\": %u, \"invalid_documents\": %u, \"expired_waivers\": %u, \"unused_waivers\": %u, "
                      "\"skipped_files\": %u, \"excluded\": %u, \"exit\": %d}\n}\n",
                      total, r->n[CK_PASS], r->n[CK_FAIL], r->n[CK_WARN], r->n[CK_NOTE], r->n[CK_WAIVED],
                      r->invalid_docs, r->waivers_expired, r->waivers_unused, r->skipped_files, r->excluded, rc);
        break;
    }
    }
}

/* ---- waivers ---------------------------------------------------------------- */

bool ck_waiver_records(const ck_render *r, const char *file, vm_buf *b)
{
    bool failed = false;
    for (uint32_t i = 0; r->waivers && i < r->waivers->n; i++) {
        const vm_waiver *w = &r->waivers->items[i];
        ck_rec x = {.tag = 'W', .file = file, .line = w->line, .col = w->col, .pp = -1, .pq = -1, .rp = -1,
                    .rq = -1, .rcq = -1, .blocked = -1, .waiver = (int)i + 1};
        if (vm_waiver_expired(w, r->today)) {
            x.kind = CK_WAIVER_EXPIRED;
            x.outcome = CK_FAIL;
        } else if (r->uses && r->uses[i] == 0) {
            x.kind = CK_WAIVER_UNUSED;
            x.outcome = r->pol.fail_on == VM_FAIL_ON_WARNING ? CK_FAIL : CK_WARN;
        } else {
            continue;
        }
        failed |= x.outcome == CK_FAIL;
        ck_put(b, &x);
    }
    return failed;
}
