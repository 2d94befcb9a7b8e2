/*
 * cmd_rules_test.c - `vmctr rules test [DIR|FILE...]`: runs rule test files
 * (`*.test.yaml`, kind RuleTest; vmctr/ruletest.h) against the rule set in
 * effect: the built-in rules (unless --no-builtin-rules) plus every other
 * `*.yaml`/`*.yml` rule file among the operands (in a directory, vmctr YAML
 * of another kind is passed by: vm_cli_not_rules). Each case's profile is
 * loaded, evaluated and its expectations checked. Output: text, json or
 * junit; `-r REGEX` selects cases by name; a coverage line says which rules
 * no case fired (the user rules, or all rules when there are none).
 *
 * Exit: 0 every selected case passes, 1 a case failed, 2 usage (also: no
 * test case selected), 4 invalid rules or test files, 5 I/O or out of
 * memory (said once; never a failed case).
 */
#define _XOPEN_SOURCE 700 /* realpath (glibc declares it for XSI) */
#include "junit.h"
#include "cli.h"
#include "diagprint.h"
#include "inputs.h"
#include "rulesload.h"

#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "vmctr/engine.h"
#include "vmctr/profile.h"
#include "vmctr/report.h"
#include "vmctr/ruletest.h"

enum { OPT_FORMAT = 1, OPT_OUTPUT, OPT_REGEX, OPT_NO_BUILTIN };
static const char *const formats[] = {"text", "json", "junit", NULL};

static const vm_opt opts[] = {
    {"format", 'f', "FORMAT", "text (default), json or junit (JUnit XML for CI)", OPT_FORMAT, false, formats},
    {"output", 'o', "FILE", "write to FILE atomically instead of stdout", OPT_OUTPUT, false, NULL},
    {"run", 'r', "REGEX", "run only the cases whose name matches REGEX (POSIX extended)", OPT_REGEX, false, NULL},
    {"no-builtin-rules", 0, NULL, "use only the rule files among the operands", OPT_NO_BUILTIN, false, NULL},
    {0},
};

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool is_test_file(const char *p) { return ends_with(p, ".test.yaml") || ends_with(p, ".test.yml"); }

typedef struct {
    int format;
    vm_buf out;
    uint32_t cases, failed;
    bool any;
    /* junit: the suite of the current file */
    vm_buf suite;
    uint32_t s_tests, s_fail;
} trun;

/* The test file's directory joined with a case's `file:` (relative, no
 * `..`: the parser refuses the others), as shown in messages. */
static char *case_path(const char *testfile, const char *file)
{
    const char *slash = strrchr(testfile, '/');
    size_t dl = slash ? (size_t)(slash - testfile) + 1 : 0;
    char *p = malloc(dl + strlen(file) + 1);
    if (p) {
        memcpy(p, testfile, dl);
        strcpy(p + dl, file);
    }
    return p;
}

/*
 * Where a case's profile really is: realpath() of the test file's directory
 * joined with `file:`, symbolic links resolved, into *out (malloc'd).
 * Returns 0; EXDEV when it resolves outside the real path of the test
 * file's directory (a link in the repository under review to /etc or to
 * ../..); otherwise realpath's errno (ENOENT, EACCES, ENOMEM; *out NULL).
 */
static int case_real(const char *testfile, const char *file, char **out)
{
    *out = NULL;
    const char *slash = strrchr(testfile, '/');
    char *dir = slash ? strndup(testfile, slash == testfile ? 1 : (size_t)(slash - testfile)) : strdup(".");
    char *joined = case_path(testfile, file);
    char *rdir = NULL, *rfile = NULL;
    int err = ENOMEM;
    if (dir && joined) {
        errno = 0;
        if ((rdir = realpath(dir, NULL)) && (rfile = realpath(joined, NULL))) {
            size_t n = strlen(rdir);
            bool inside = strcmp(rdir, "/") == 0 || (strncmp(rfile, rdir, n) == 0 && (rfile[n] == '/' || !rfile[n]));
            err = inside ? 0 : EXDEV;
            if (inside)
                *out = rfile, rfile = NULL;
        } else {
            err = errno ? errno : ENOENT;
        }
    }
    free(dir);
    free(joined);
    free(rdir);
    free(rfile);
    return err;
}

/* What loading a case's profile came to. */
typedef enum {
    LOAD_OK,
    LOAD_FAIL,   /* the case fails: why is in msg */
    LOAD_NOMEM   /* out of memory: no case result, the run fails (exit 5) */
} load_rc;

/* Loads the case's profile into *prof; on failure writes why into msg, one
 * line per failure: the paths and diagnostics in it are terminal text
 * (vm_esc_term), so a line feed in a file name or an echoed key cannot split
 * a failure in two (text, the JSON "failures" list, JUnit). Running out of
 * memory (resolving, reading or parsing the profile) is LOAD_NOMEM, never a
 * failed case: a case must not fail, nor the run exit 1, for the runner's
 * lack of memory. */
static load_rc load_case(const vm_ruletests *ts, const vm_ruletest *t, vm_arena *a, vm_profile *prof, vm_buf *msg)
{
    char *data = NULL;
    size_t len = 0;
    const char *name = ts->file;
    char *path = NULL;
    vm_source *src = NULL;
    vm_doc doc = {.data = t->doc, .len = t->doc_len, .first_line = t->first_line};
    if (t->file) {
        /* read where the link points, checked again: what was checked at
         * parse time is what is read */
        char *real = NULL;
        int why = case_real(ts->file, t->file, &real);
        path = case_path(ts->file, t->file);
        if (!path)
            why = ENOMEM;
        if (!why && vm_cli_read_file(real, VM_LIMIT_DOC_BYTES, &data, &len) != 0)
            why = errno ? errno : EIO;
        free(real);
        if (why) {
            if (why != ENOMEM) {
                vm_esc_terms(msg, path);
                if (why == EXDEV)
                    vm_buf_puts(msg, ": outside the test file's directory\n");
                else
                    vm_buf_printf(msg, ": %s\n", strerror(why));
            }
            free(path);
            return why == ENOMEM ? LOAD_NOMEM : LOAD_FAIL;
        }
        name = vm_arena_strndup(a, path, strlen(path));
        src = name ? vm_source_mem(data, len, name) : NULL;
        char err[128] = "out of memory";
        int got = src ? vm_source_next(src, &doc, err, sizeof err) : -1;
        if (got != 1) {
            bool nomem = got < 0 && strcmp(err, "out of memory") == 0; /* vm_source_next's reason */
            if (!nomem) {
                vm_esc_terms(msg, path);
                vm_buf_puts(msg, ": cannot read a document\n");
            }
            vm_source_free(src);
            free(data);
            free(path);
            return nomem ? LOAD_NOMEM : LOAD_FAIL;
        }
    }
    vm_diags d;
    vm_diags_clear(&d);
    bool empty = false;
    vm_status st = vm_profile_parse(a, name ? name : "", &doc, prof, &empty, &d);
    for (size_t i = 0; st != VM_EIO && i < d.count; i++) {
        char line[600];
        vm_diag_format(&d.items[i], line, sizeof line);
        vm_esc_terms(msg, line);
        vm_buf_putc(msg, '\n');
    }
    if (st == VM_OK && empty) {
        vm_buf_puts(msg, "the profile is empty\n");
        st = VM_EPROFILE;
    }
    vm_source_free(src); /* doc.data pointed into it */
    free(data);
    free(path);
    return st == VM_OK ? LOAD_OK : st == VM_EIO ? LOAD_NOMEM : LOAD_FAIL;
}

static void put_result(trun *tr, const vm_ruletests *ts, const vm_ruletest *t, bool ok, const vm_buf *msg)
{
    vm_buf *b = &tr->out;
    switch (tr->format) {
    case 0: {
        /* the file name, the case's name and the failure lines (which echo
         * paths, values and diagnostics) as terminal text: escape.h */
        vm_buf_printf(b, "%s ", ok ? "PASS" : "FAIL");
        vm_esc_terms(b, ts->file);
        vm_buf_printf(b, ":%u: ", t->line);
        vm_esc_terms(b, t->name);
        vm_buf_putc(b, '\n');
        const char *q = msg->data, *end = msg->data ? msg->data + msg->len : NULL;
        while (!ok && q && q < end) {
            const char *nl = memchr(q, '\n', (size_t)(end - q));
            vm_buf_puts(b, "    ");
            vm_esc_term(b, q, nl ? (size_t)(nl - q) : (size_t)(end - q));
            vm_buf_putc(b, '\n');
            q = nl ? nl + 1 : end;
        }
        break;
    }
    case 1:
        vm_buf_puts(b, tr->any ? ",\n    {\"file\": " : "\n    {\"file\": ");
        tr->any = true;
        vm_buf_json_str(b, ts->file);
        vm_buf_printf(b, ", \"line\": %u, \"name\": ", t->line);
        vm_buf_json_str(b, t->name);
        vm_buf_printf(b, ", \"status\": \"%s\", \"failures\": [", ok ? "pass" : "fail");
        const char *q = msg->data, *end = msg->data ? msg->data + msg->len : NULL;
        for (bool first = true; !ok && q && q < end; first = false) {
            const char *nl = memchr(q, '\n', (size_t)(end - q));
            if (!nl)
                nl = end;
            vm_buf_puts(b, first ? "" : ", ");
            vm_buf_json_strn(b, q, (size_t)(nl - q));
            q = nl + 1;
        }
        vm_buf_puts(b, "]}");
        break;
    default: {
        vm_buf *su = &tr->suite;
        vm_junit_case_open(su, ts->file, t->name);
        tr->s_tests++;
        if (!ok) {
            const char *m = msg->data && !msg->oom ? msg->data : "failed"; /* NUL-terminated */
            const char *nl = strchr(m, '\n');
            char first[512];
            snprintf(first, sizeof first, "%.*s", nl ? (int)(nl - m) : (int)strlen(m), m);
            vm_buf_puts(su, "\n      <failure message=\"");
            vm_buf_xml(su, first);
            vm_buf_puts(su, "\" type=\"vmctr.rules-test\">");
            vm_buf_xml(su, m);
            vm_buf_puts(su, "</failure>\n    ");
            tr->s_fail++;
        }
        vm_buf_puts(su, "</testcase>\n");
        break;
    }
    }
}

static void junit_flush(trun *tr, const char *file)
{
    if (tr->format != 2 || !tr->s_tests)
        return;
    vm_junit_suite(&tr->out, file, tr->s_tests, tr->s_fail, 0, 0, &tr->suite);
    vm_buf_reset(&tr->suite);
    tr->s_tests = tr->s_fail = 0;
}

/* The files of the operands: (*files)[i], and (*from_dir)[i] when it was
 * found by searching a directory operand. */
static int collect_paths(const vm_cli *cli, char **ops, int n, char ***files, bool **from_dir, size_t *nfiles)
{
    vm_inputs *in;
    int rc = vm_inputs_new(&in, cli, ops, n);
    if (rc)
        return rc;
    size_t cap = 0;
    for (const vm_input *f; (f = vm_inputs_next(in));) {
        if (f->is_stdin) {
            vm_inputs_free(in);
            return vm_usage_error(cli, "test: '-' is not supported; give DIR or FILE");
        }
        if (*nfiles == cap) {
            cap = cap ? cap * 2 : 16;
            char **p = realloc(*files, cap * sizeof *p);
            if (p)
                *files = p;
            bool *q = p ? realloc(*from_dir, cap * sizeof *q) : NULL;
            if (!q) {
                vm_inputs_free(in);
                fprintf(stderr, "%s: out of memory\n", VM_PROG);
                return VM_EIO;
            }
            *from_dir = q;
        }
        (*from_dir)[*nfiles] = f->from_dir;
        (*files)[*nfiles] = strdup(f->path);
        if (!(*files)[*nfiles]) {
            vm_inputs_free(in);
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
            return VM_EIO;
        }
        (*nfiles)++;
    }
    rc = vm_inputs_status(in);
    vm_inputs_free(in);
    return rc;
}

typedef struct {
    vm_ruleset *rs;
    size_t *nuser;      /* counts the rule files read */
    bool from_dir;      /* this one was found in a directory operand */
} rules_ctx;

static vm_status add_rules(void *ctx, const char *path, const char *data, size_t len, vm_diags *d)
{
    rules_ctx *c = ctx;
    if (c->from_dir && vm_cli_not_rules(data, len))
        return VM_OK; /* a case's profile, waivers, a config: not a rule file */
    (*c->nuser)++;
    return vm_ruleset_add(c->rs, path, data, len, false, d);
}

typedef struct {
    vm_arena *ta;
    const vm_ruleset *rs;
    vm_ruletests *set;
} tests_ctx;

/* Parses a test file, then refuses a case whose `file:` resolves, through a
 * symbolic link, outside the test file's directory (the parser has refused
 * absolute paths and `..`): an error at the value, exit 4, nothing runs.
 * A file that does not resolve at all fails its case when it runs. */
static vm_status parse_tests(void *ctx, const char *path, const char *data, size_t len, vm_diags *d)
{
    tests_ctx *c = ctx;
    vm_status st = vm_ruletests_parse(c->ta, path, data, len, c->rs, c->set, d);
    bool nomem = false; /* here, not in the parser (which says so itself) */
    for (uint32_t i = 0; (st == VM_OK || st == VM_ERULES) && i < c->set->n; i++) {
        const vm_ruletest *t = &c->set->items[i];
        char *real = NULL;
        if (!t->file)
            continue;
        int err = case_real(path, t->file, &real);
        free(real);
        if (err == ENOMEM)
            st = VM_EIO, nomem = true;
        if (err != EXDEV)
            continue;
        char where[48];
        snprintf(where, sizeof where, "tests[%u].file", i);
        vm_diag_add(d, VM_SEV_ERROR, path, t->file_line, t->file_col, where,
                    "'%.100s' leads outside the test file's directory (a symbolic link): give a file inside it",
                    t->file);
        st = VM_ERULES;
    }
    if (nomem)
        vm_diag_add(d, VM_SEV_ERROR, path, 0, 0, "", "out of memory");
    if (st != VM_OK)
        c->set->n = 0;
    return st;
}

/* Adds the rule files among files (not *.test.yaml) to rs, printing their
 * diagnostics; a file found in a directory that is vmctr YAML of another
 * kind is passed by (vm_cli_not_rules). Returns 0, VM_ERULES or VM_EIO;
 * *nuser counts the rule files. */
static int load_rule_files(vm_cli *cli, vm_ruleset *rs, char **files, const bool *from_dir, size_t nfiles,
                           vm_diags *d, size_t *nuser)
{
    int rc = 0;
    rules_ctx c = {rs, nuser, false};
    for (size_t i = 0; i < nfiles; i++) {
        if (is_test_file(files[i]))
            continue;
        c.from_dir = from_dir[i];
        /* VM_ERULES, or VM_EIO: unreadable, or out of memory (exit 5) */
        rc = vm_worst(rc, vm_cli_parse_file(cli, files[i], VM_LIMIT_RULE_FILE, add_rules, &c, d));
    }
    return rc;
}

/* Parses every test file first: a broken one stops the run (exit 4).
 * Returns 0 or the worst status; the parsed sets go to sets[*nsets]. */
static int parse_test_files(vm_cli *cli, vm_arena *ta, const vm_ruleset *rs, char **files, size_t nfiles,
                            vm_diags *d, vm_ruletests *sets, size_t *nsets)
{
    int rc = 0;
    for (size_t i = 0; i < nfiles; i++) {
        if (!is_test_file(files[i]))
            continue;
        tests_ctx c = {ta, rs, &sets[*nsets]};
        int st = vm_cli_parse_file(cli, files[i], VM_LIMIT_RULE_FILE, parse_tests, &c, d);
        if (st != VM_OK)
            rc = vm_worst(rc, st);
        else
            (*nsets)++;
    }
    return rc;
}

/* Runs the cases (those -r matches), writing each result; fired[i] is set
 * for every rule some case fired. Returns false, at once, when out of
 * memory: the run then fails (exit 5) rather than a case. */
static bool run_cases(trun *tr, const vm_ruletests *sets, size_t nsets, const regex_t *re, vm_engine *e,
                      vm_arena *ca, vm_buf *msg, bool *fired)
{
    for (size_t s = 0; s < nsets; s++) {
        for (uint32_t i = 0; i < sets[s].n; i++) {
            const vm_ruletest *t = &sets[s].items[i];
            if (re && regexec(re, t->name, 0, NULL, 0) != 0)
                continue;
            vm_arena_reset(ca);
            vm_buf_reset(msg);
            vm_profile *prof = vm_arena_alloc(ca, sizeof *prof);
            vm_report *rep = vm_arena_alloc(ca, sizeof *rep);
            load_rc lr = prof && rep ? load_case(&sets[s], t, ca, prof, msg) : LOAD_NOMEM;
            if (lr == LOAD_NOMEM || (lr == LOAD_OK && vm_report_build(ca, e, prof, 0, rep) != VM_OK))
                return false;
            bool ok = lr == LOAD_OK && vm_ruletest_check(t, rep, msg, fired) == 0;
            if (msg->oom)
                return false;
            tr->cases++;
            tr->failed += !ok;
            put_result(tr, &sets[s], t, ok, msg);
        }
        junit_flush(tr, sets[s].file);
    }
    return true;
}

/* The summary and coverage after the results: the user rules, or every
 * rule when there are none (nuser == 0). */
static void finish_output(trun *tr, const vm_ruleset *rs, const bool *fired, size_t nuser)
{
    size_t nrules = vm_ruleset_count(rs);
    size_t total = 0, hit = 0;
    for (size_t i = 0; i < nrules; i++) {
        const vm_rule *r = vm_ruleset_rule(rs, i);
        if (nuser && r->builtin)
            continue;
        total++;
        hit += fired[i];
    }
    if (tr->format == 0) {
        vm_buf_printf(&tr->out, "%u %s, %u passed, %u failed\n", tr->cases, tr->cases == 1 ? "case" : "cases",
                      tr->cases - tr->failed, tr->failed);
        vm_buf_printf(&tr->out, "coverage: %zu of %zu%s rules fired by some case", hit, total,
                      nuser ? " user" : "");
        size_t shown = 0;
        for (size_t i = 0; i < nrules && tr->cases; i++) {
            const vm_rule *r = vm_ruleset_rule(rs, i);
            if ((nuser && r->builtin) || fired[i])
                continue;
            vm_buf_printf(&tr->out, "%s %s", shown ? "," : "; never fired:", r->id);
            shown++;
        }
        vm_buf_putc(&tr->out, '\n');
    } else if (tr->format == 1) {
        vm_buf_puts(&tr->out, tr->any ? "\n  ]" : "]");
        vm_buf_printf(&tr->out, ",\n  \"summary\": {\"cases\": %u, \"passed\": %u, \"failed\": %u},\n", tr->cases,
                      tr->cases - tr->failed, tr->failed);
        vm_buf_printf(&tr->out, "  \"coverage\": {\"scope\": \"%s\", \"rules\": %zu, \"fired\": %zu, \"never_fired\": [",
                      nuser ? "user" : "all", total, hit);
        size_t shown = 0;
        for (size_t i = 0; i < nrules; i++) {
            const vm_rule *r = vm_ruleset_rule(rs, i);
            if ((nuser && r->builtin) || fired[i])
                continue;
            vm_buf_puts(&tr->out, shown++ ? ", " : "");
            vm_buf_json_str(&tr->out, r->id);
        }
        vm_buf_puts(&tr->out, "]}\n}\n");
    } else {
        vm_buf_puts(&tr->out, "</testsuites>\n");
    }
}

static int run_tests(vm_cli *cli, vm_optparse *p, trun *tr, const regex_t *re, bool no_builtin, const char *output)
{
    char **files = NULL;
    bool *from_dir = NULL;
    size_t nfiles = 0;
    vm_ruleset *rs = NULL;
    vm_engine *e = NULL;
    vm_arena *ta = vm_arena_new(), *ca = vm_arena_new();
    vm_diags *d = malloc(sizeof *d);
    bool *fired = NULL;
    vm_buf msg;
    vm_buf_init(&msg);
    int rc = collect_paths(cli, p->pos, p->npos, &files, &from_dir, &nfiles);
    if (rc)
        goto out;
    rs = vm_ruleset_new();
    if (!rs || !ta || !ca || !d) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        rc = VM_EIO;
        goto out;
    }
    vm_diags_clear(d);
    if (!no_builtin) {
        rc = vm_ruleset_add_builtin(rs, d); /* rs is new: only VM_EIO can fail */
        vm_diags_print(cli, d, "<built-in rules>"); /* now: loading the rule files clears d */
        if (rc)
            goto out;
    }
    size_t nuser = 0;
    rc = vm_worst(rc, load_rule_files(cli, rs, files, from_dir, nfiles, d, &nuser));
    vm_diags_clear(d);
    if (!rc)
        rc = vm_ruleset_finish(rs, d); /* only out of memory: VM_EIO */
    if (rc) {
        vm_diags_print(cli, d, "");
        goto out;
    }
    e = vm_engine_new(rs);
    size_t nrules = vm_ruleset_count(rs);
    fired = calloc(nrules ? nrules : 1, sizeof *fired);
    vm_ruletests *sets = vm_arena_alloc(ta, (nfiles ? nfiles : 1) * sizeof *sets);
    size_t nsets = 0;
    if (!e || !fired || !sets) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        rc = VM_EIO;
        goto out;
    }
    rc = parse_test_files(cli, ta, rs, files, nfiles, d, sets, &nsets);
    if (rc)
        goto out;
    vm_out *o = vm_out_open(output);
    if (!o) {
        rc = VM_EIO;
        goto out;
    }
    if (tr->format == 1)
        vm_buf_puts(&tr->out, "{\n  \"schema\": \"vmctr.rules-test/v1\",\n  \"results\": [");
    else if (tr->format == 2)
        vm_buf_puts(&tr->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"vmctr rules test\">\n");
    bool mem = run_cases(tr, sets, nsets, re, e, ca, &msg, fired);
    if (mem)
        finish_output(tr, rs, fired, nuser);
    if (!mem || tr->out.oom || tr->suite.oom || msg.oom) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        vm_out_abort(o);
        rc = VM_EIO;
        goto out;
    }
    if (tr->cases == 0) {
        fprintf(stderr, "%s rules test: no test cases%s (test files are *.test.yaml)\n", VM_PROG,
                re ? " match -r" : " found");
        vm_out_abort(o);
        rc = VM_EUSAGE;
        goto out;
    }
    fwrite(tr->out.data, 1, tr->out.len, vm_out_fp(o));
    rc = vm_worst(tr->failed ? VM_FAIL : VM_OK, vm_out_commit(o));
out:
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
    free(from_dir);
    free(fired);
    free(d);
    vm_buf_free(&msg);
    vm_engine_free(e);
    vm_ruleset_free(rs);
    vm_arena_free(ta);
    vm_arena_free(ca);
    return rc;
}

static int run(vm_cli *cli, int argc, char **argv)
{
    vm_optparse p;
    vm_opt_init(&p, cli, argc, argv);
    trun tr;
    memset(&tr, 0, sizeof tr);
    const char *regex = NULL, *output = NULL;
    bool no_builtin = false;
    int c;
    while ((c = vm_opt_next(&p)) > 0) {
        switch (c) {
        case OPT_FORMAT:
            for (int i = 0; formats[i]; i++)
                if (strcmp(formats[i], p.arg) == 0)
                    tr.format = i;
            break;
        case OPT_OUTPUT: output = p.arg; break;
        case OPT_REGEX: regex = p.arg; break;
        case OPT_NO_BUILTIN: no_builtin = true; break;
        }
    }
    if (c < 0)
        return p.status;
    if (p.npos == 0)
        return vm_usage_error(cli, "test: give the DIR or FILE... holding *.test.yaml files (and rule files)");
    regex_t re;
    if (regex) {
        int e = regcomp(&re, regex, REG_EXTENDED | REG_NOSUB);
        if (e) {
            char m[128];
            regerror(e, &re, m, sizeof m);
            return vm_usage_error(cli, "test: -r '%s': %s", regex, m);
        }
    }
    vm_buf_init(&tr.out);
    vm_buf_init(&tr.suite);
    int rc = run_tests(cli, &p, &tr, regex ? &re : NULL, no_builtin, output);
    if (regex)
        regfree(&re);
    vm_buf_free(&tr.out);
    vm_buf_free(&tr.suite);
    return rc;
}

const vm_cmd cmd_rules_test = {
    .name = "rules",
    .summary = "run rule tests (*.test.yaml, kind RuleTest)",
    .usage = "test [-f text|json|junit] [-r REGEX] [-o FILE] [--no-builtin-rules] DIR|FILE...",
    .opts = opts,
    .run = run,
    .description =
        "Runs the test cases of every *.test.yaml file among the operands (directories are searched) against "
        "the built-in rules plus the other rule files among the operands; a file found in a directory whose "
        "first document is vmctr YAML of another kind (a case's profile, waivers, a config) is passed by, as "
        "--rules DIR does, while a file named as an operand is always read. A case names a profile (inline spec "
        "fields, or a file) and what must hold: rules that fire or do not, blockers, excluded targets, the "
        "recommended paradigm and platform, a rule's contribution. A case's file is relative to the test file's "
        "directory and must stay inside it (no absolute path, no '..', no symbolic link out of it); a "
        "symbolic link in a directory operand that leads outside it is not read either (exit 5). Prints "
        "PASS/FAIL per case, a summary and a "
        "coverage line (the user rules, or all rules, that no case fired). See docs/rules.md.\n\n"
        "Exit status: 0 every case passes, 1 a case failed, 2 usage error or no test case, 4 invalid rules or "
        "test files, 5 I/O error, a link out of a directory or out of memory (never a failed case).",
    .examples = "vmctr rules test policy/\n"
                "vmctr rules test -r 'kernel' --format junit -o rules-junit.xml policy/\n"
                "vmctr rules test rules/tests/",
};
