/*
 * cmd_init.c - `vmctr init`: writes a new workload profile, either from a
 * short questionnaire on the terminal or from answers given up front
 * (`--answers FILE`, `--set field=value`), or a fully commented template.
 *
 * The questionnaire asks the profile name, then a core set of fields, then
 * the unknown fields that could move the result most, re-ranked after every
 * answer with vm_engine_unknowns (the same ranking as a report's unknowns),
 * skipping any question whose answer could not change the recommendation.
 * `--all` asks every field of the seven sections in table order instead.
 * Nothing is written until the end: quitting (q, Ctrl-D, Ctrl-C) leaves no
 * file behind, and an existing file is refused before the first question
 * unless --force is given.
 */
#include "cli.h"
#include "util/fs.h"
#include "diagprint.h"
#include "prompt.h"
#include "rulesload.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmctr/sys/answers.h"
#include "vmctr/engine.h"
#include "vmctr/profile_write.h"
#include "vmctr/report.h"

enum { OPT_OUTPUT = 1, OPT_FORCE, OPT_ANSWERS, OPT_SET, OPT_NO_INPUT, OPT_TEMPLATE, OPT_ALL, OPT_RULES,
       OPT_NO_BUILTIN, OPT_SCHEMA_URL };

static const vm_opt opts[] = {
    {"output", 'o', "FILE", "write the profile to FILE (atomically) instead of stdout", OPT_OUTPUT, false, NULL},
    {"force", 'f', NULL, "overwrite FILE if it exists", OPT_FORCE, false, NULL},
    {"answers", 'a', "FILE", "take answers from FILE (YAML or JSON; flat 'field.path: value' keys and/or nested "
                             "sections; '-' = stdin) instead of asking",
     OPT_ANSWERS, false, NULL},
    {"set", 's', "FIELD=VALUE", "answer one field (same paths as --what-if, plus name=, owner=, description=, "
                                "labels.KEY=); repeatable, applied after --answers",
     OPT_SET, true, NULL},
    {"no-input", 'n', NULL, "never prompt: fail (exit 2) if a required answer is missing", OPT_NO_INPUT, false, NULL},
    {"template", 't', NULL, "write a commented template listing every field and its values", OPT_TEMPLATE, false,
     NULL},
    {"all", 0, NULL, "ask every field, section by section, not just those that could change the advice", OPT_ALL,
     false, NULL},
    {"rules", 0, "DIR", "rank questions with the rules in DIR too (as advise --rules)", OPT_RULES, false, NULL},
    {"no-builtin-rules", 0, NULL, "rank questions with the rules of --rules DIR only", OPT_NO_BUILTIN, false, NULL},
    {"schema-url", 0, "URL|PATH", "point the editor modeline at this schema (e.g. one written by 'vmctr schema "
                                  "--install DIR') instead of the published URL",
     OPT_SCHEMA_URL, false, NULL},
    {0},
};

/* Asked after the name, in this order, unless their answer cannot matter. */
static const int core[] = {
    VM_F_WORKLOAD_ARCHITECTURE, VM_F_WORKLOAD_LIFECYCLE, VM_F_WORKLOAD_OS,
    VM_F_DELIVERY_RELEASE_FREQUENCY, VM_F_TEAM_CONTAINERS, VM_F_TEAM_CULTURE,
};
#define NCORE (int)(sizeof core / sizeof core[0])
/* Questions offered after the core set, at most. */
#define NEXTRA 5

#define MAX_SET 128

/* ---- small helpers -------------------------------------------------------- */

static bool exists(const char *path)
{
    struct stat st;
    return path && strcmp(path, "-") != 0 && lstat(path, &st) == 0;
}

/* Reads a whole file (or stdin for "-"), at most VM_LIMIT_DOC_BYTES. */
static int read_all(const char *path, char **out, size_t *len)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!fp) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, path, strerror(errno));
        return VM_EIO;
    }
    errno = 0;
    int r = vm_read_stream(fp, VM_LIMIT_DOC_BYTES, out, len);
    int err = errno;
    if (fp != stdin)
        fclose(fp);
    if (r != 0) {
        if (err == ENOMEM)
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
        else
            vm_eprintf("%s: %s: read error\n", VM_PROG, path);
        return VM_EIO;
    }
    if (*len > VM_LIMIT_DOC_BYTES) {
        vm_eprintf("%s: %s: error: larger than %u bytes\n", VM_PROG, path, VM_LIMIT_DOC_BYTES);
        free(*out);
        return VM_EPROFILE;
    }
    return VM_OK;
}

/* A DNS label made from a file or directory name ("Billing API.yaml" ->
 * "billing-api"), or false when nothing usable is left. */
static bool name_from(const char *s, char *out, size_t cap)
{
    const char *slash = strrchr(s, '/');
    if (slash)
        s = slash + 1;
    const char *dot = strrchr(s, '.');
    size_t l = dot && dot != s ? (size_t)(dot - s) : strlen(s);
    size_t n = vm_slug(s, l, out, cap - 1 < 63 ? cap - 1 : 63);
    while (n && out[n - 1] == '-')
        n--;
    out[n] = '\0';
    return n > 0;
}

static void suggest_name(const char *output, char *out, size_t cap)
{
    out[0] = '\0';
    if (output && strcmp(output, "-") != 0 && name_from(output, out, cap))
        return;
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd) && name_from(cwd, out, cap))
        return;
    out[0] = '\0';
}

/* "container on kubernetes (confidence 0.62)" */
static void verdict(const vm_result *r, char *out, size_t cap)
{
    if (r->paradigm < 0) {
        snprintf(out, cap, "nothing fits: every paradigm is excluded by a blocker");
        return;
    }
    char pb[80], cb[8];
    *vm_fmt_conf(cb, r->confidence) = '\0';
    if (r->platform >= 0)
        snprintf(out, cap, "%s on %s (confidence %s)", vm_target_name(r->paradigm),
                 vm_report_platform_text(r->platform, r->container_platform, pb, sizeof pb), cb);
    else
        snprintf(out, cap, "%s, no platform fits (confidence %s)", vm_target_name(r->paradigm), cb);
}

/* ---- the questionnaire ----------------------------------------------------- */

typedef struct {
    vm_prompt pr;
    vm_arena *a;
    vm_values *vals;
    vm_engine *eng;
    bool all;
    const char *output;
    int stack[VM_FIELD_COUNT]; /* questions answered or skipped, in order */
    int n;
    vm_result res;
    vm_variation unk[VM_FIELD_COUNT];
    size_t nunk;
} quiz;

static bool on_stack(const quiz *z, int id)
{
    for (int i = 0; i < z->n; i++)
        if (z->stack[i] == id)
            return true;
    return false;
}

static void evaluate(quiz *z)
{
    vm_engine_eval(z->eng, z->vals, &z->res, NULL);
    z->nunk = vm_engine_unknowns(z->eng, z->vals, &z->res, z->unk, VM_FIELD_COUNT);
}

/* The ranking entry of an unknown field that could move the result, or NULL. */
static const vm_variation *mover(const quiz *z, int id)
{
    for (size_t i = 0; i < z->nunk; i++)
        if (z->unk[i].field == id)
            return &z->unk[i];
    return NULL;
}

static int extras_asked(const quiz *z)
{
    int k = 0;
    for (int i = 0; i < z->n; i++) {
        bool c = z->stack[i] == VM_F_META_NAME;
        for (int j = 0; j < NCORE; j++)
            c = c || z->stack[i] == core[j];
        k += !c;
    }
    return k;
}

/* The next question, or -1 when done; *phase_change is set when the core
 * set has just been finished. */
static int next_question(quiz *z, bool *core_done)
{
    *core_done = false;
    if (!on_stack(z, VM_F_META_NAME))
        return VM_F_META_NAME;
    if (z->all) {
        for (int id = VM_F_WORKLOAD_ARCHITECTURE; id < VM_FIELD_COUNT; id++)
            if (vm_field(id)->category >= 0 && !on_stack(z, id) && !z->vals->v[id].set)
                return id;
        return -1;
    }
    evaluate(z);
    for (int j = 0; j < NCORE; j++)
        if (!on_stack(z, core[j]) && !z->vals->v[core[j]].set && mover(z, core[j]))
            return core[j];
    if (extras_asked(z) >= NEXTRA)
        return -1;
    if (extras_asked(z) == 0)
        *core_done = true;
    for (size_t i = 0; i < z->nunk; i++)
        if (!on_stack(z, z->unk[i].field))
            return z->unk[i].field;
    return -1;
}

static int total_questions(const quiz *z)
{
    if (!z->all)
        return 1 + NCORE + NEXTRA;
    int t = 1;
    for (int id = VM_F_WORKLOAD_ARCHITECTURE; id < VM_FIELD_COUNT; id++)
        t += vm_field(id)->category >= 0;
    return t;
}

/* Runs the questions. Returns VM_PR_ANSWER when done, VM_PR_QUIT or
 * VM_PR_EOF when stopped. */
static vm_pr run_quiz(quiz *z)
{
    char deflt[64], was[600], note[200];
    suggest_name(z->output, deflt, sizeof deflt);
    int pending = -1;
    char pending_was[600] = "";
    int total = total_questions(z);
    vm_prompt_text(&z->pr, "This asks a few questions about your workload and writes a vmctr profile. Answer "
                           "with a number or a value. Enter skips a question (the answer stays unknown), b goes "
                           "back, q quits without writing anything, ? explains the question and each choice.");
    for (;;) {
        bool core_done = false;
        int id;
        if (pending >= 0) {
            id = pending;
            pending = -1;
            snprintf(was, sizeof was, "%s", pending_was);
        } else {
            id = next_question(z, &core_done);
            was[0] = '\0';
        }
        if (id < 0)
            break;
        if (core_done) {
            char v[200];
            verdict(&z->res, v, sizeof v);
            fprintf(z->pr.out, "\nSo far: %s.\nA few more questions whose answers could still change it:\n", v);
            z->pr.section = NULL;
        }
        note[0] = '\0';
        if (!z->all && id != VM_F_META_NAME) {
            bool is_core = false;
            for (int j = 0; j < NCORE; j++)
                is_core = is_core || core[j] == id;
            const vm_variation *m = is_core ? NULL : mover(z, id);
            if (m && m->flips && m->paradigm >= 0)
                snprintf(note, sizeof note, "(this answer could change the recommendation to %s)",
                         vm_target_name(m->paradigm));
            else if (m)
                snprintf(note, sizeof note, "(this answer could make the recommendation stronger or weaker)");
        }
        if (z->n + 1 > total)
            total = z->n + 1;
        vm_question q = {
            .index = z->n + 1,
            .total = total,
            .note = note[0] ? note : NULL,
            .was = was[0] ? was : NULL,
            .deflt = id == VM_F_META_NAME && deflt[0] ? deflt : NULL,
            .required = id == VM_F_META_NAME,
            .can_back = z->n > 0,
        };
        vm_pr r = vm_prompt_ask(&z->pr, z->a, z->vals, id, &q);
        switch (r) {
        case VM_PR_QUIT:
        case VM_PR_EOF: return r;
        case VM_PR_ANSWER:
        case VM_PR_SKIP: z->stack[z->n++] = id; break;
        case VM_PR_BACK: {
            int prev = z->stack[--z->n];
            const vm_field_def *f = vm_field(prev);
            char vb[500];
            if (z->vals->v[prev].set)
                snprintf(pending_was, sizeof pending_was, "%s", vm_value_text(f, &z->vals->v[prev], vb, sizeof vb));
            else
                snprintf(pending_was, sizeof pending_was, "skipped");
            /* the answer is kept: Enter keeps it, "skip" clears it */
            pending = prev;
            z->pr.section = NULL; /* show the section header again */
            break;
        }
        }
    }
    return VM_PR_ANSWER;
}

/* ---- writing ----------------------------------------------------------- */

/* Checks the document with the profile loader before it is written. */
static int self_check(const vm_cli *cli, const vm_buf *b, const char *display)
{
    vm_source *src = vm_source_mem(b->data, b->len, display);
    vm_arena *a = vm_arena_new();
    vm_diags *d = calloc(1, sizeof *d);
    int rc = VM_EIO;
    bool oom = !src || !a || !d;
    if (!oom) {
        vm_doc doc;
        char err[256];
        vm_profile prof;
        bool empty = false;
        int got = vm_source_next(src, &doc, err, sizeof err);
        vm_status st = got == 1 ? vm_profile_parse(a, display, &doc, &prof, &empty, d) : VM_EPROFILE;
        if (st == VM_OK && !empty) {
            rc = VM_OK;
        } else if (st == VM_EIO) { /* out of memory, said by the loader: not a bad profile */
            vm_diags_print(cli, d, display);
        } else if (got < 0 && strcmp(err, "out of memory") == 0) {
            oom = true;
        } else {
            vm_diags_print(cli, d, display);
            vm_eprintf("%s: internal error: the profile to write does not validate; nothing written\n", VM_PROG);
        }
    }
    if (oom)
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
    free(d);
    vm_arena_free(a);
    vm_source_free(src);
    return rc;
}

static int write_out(const vm_cli *cli, const vm_buf *b, const char *output, bool force)
{
    if (b->oom) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    int rc = self_check(cli, b, output && strcmp(output, "-") != 0 ? output : "<stdout>");
    if (rc)
        return rc;
    if (!force && exists(output)) {
        vm_eprintf("%s init: '%s' already exists; use --force to overwrite it\n", VM_PROG, output);
        return VM_EUSAGE;
    }
    return vm_out_write(output, b->data, b->len);
}

/* ---- the command ---------------------------------------------------------- */

typedef struct {
    const char *output, *answers;
    const char *set[MAX_SET];
    int nset;
    bool force, no_input, tmpl, all;
    const char *schema_url;
    vm_rules_opts ro;
} init_opts;

static int parse(vm_cli *cli, int argc, char **argv, init_opts *o)
{
    vm_optparse p;
    vm_opt_init(&p, cli, argc, argv);
    int c;
    while ((c = vm_opt_next(&p)) > 0) {
        switch (c) {
        case OPT_OUTPUT: o->output = p.arg; break;
        case OPT_FORCE: o->force = true; break;
        case OPT_ANSWERS: o->answers = p.arg; break;
        case OPT_SET:
            if (o->nset >= MAX_SET)
                return vm_usage_error(cli, "too many --set options (at most %d)", MAX_SET);
            if (!strchr(p.arg, '='))
                return vm_usage_error(cli, "--set takes FIELD=VALUE, e.g. workload.os=linux");
            o->set[o->nset++] = p.arg;
            break;
        case OPT_NO_INPUT: o->no_input = true; break;
        case OPT_TEMPLATE: o->tmpl = true; break;
        case OPT_ALL: o->all = true; break;
        case OPT_RULES: o->ro.dir = p.arg; break;
        case OPT_NO_BUILTIN: o->ro.no_builtin = true; break;
        case OPT_SCHEMA_URL:
            /* one line of a YAML comment: no control characters */
            for (const char *q = p.arg; *q; q++)
                if ((unsigned char)*q < 0x20 || *q == 0x7f)
                    return vm_usage_error(cli, "--schema-url: control characters are not allowed");
            if (!*p.arg)
                return vm_usage_error(cli, "--schema-url takes a URL or a path");
            o->schema_url = p.arg;
            break;
        }
    }
    if (c < 0)
        return p.status;
    if (p.npos)
        return vm_usage_error(cli, "unexpected argument '%s' (the output file goes after -o)", p.pos[0]);
    return -1;
}

/* Applies --answers and --set. */
static int gather(const vm_cli *cli, const init_opts *o, vm_arena *a, vm_values *vals)
{
    if (o->answers) {
        char *data;
        size_t len;
        int rc = read_all(o->answers, &data, &len);
        if (rc)
            return rc;
        vm_diags *d = calloc(1, sizeof *d);
        if (!d) {
            free(data);
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
            return VM_EIO;
        }
        const char *display = strcmp(o->answers, "-") == 0 ? "<stdin>" : o->answers;
        unsigned json_failed = vm_cli_cjson_failures();
        vm_status st = vm_answers_load(a, display, data, len, vals, d);
        if (st == VM_EPROFILE && vm_cli_cjson_failures() != json_failed) {
            /* cJSON ran out of memory and said "invalid JSON" */
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
            st = VM_EIO;
        } else if (st != VM_OK) {
            vm_diags_print(cli, d, display);
        }
        free(d);
        free(data);
        if (st != VM_OK)
            return st == VM_EIO ? VM_EIO : VM_EPROFILE; /* out of memory is not a bad answer */
    }
    for (int i = 0; i < o->nset; i++) {
        char msg[500];
        vm_status st = vm_answers_set(a, vals, o->set[i], NULL, msg, sizeof msg);
        if (st == VM_EIO) {
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
            return VM_EIO;
        }
        if (st != VM_OK)
            return vm_usage_error(cli, "--set %s", msg);
    }
    return VM_OK;
}

static int interactive(vm_cli *cli, const init_opts *o, vm_arena *a, vm_values *vals)
{
    vm_ruleset *rs;
    int rc = vm_cli_load_rules(cli, &o->ro, &rs);
    if (rc)
        return rc;
    vm_engine *eng = vm_engine_new(rs);
    quiz *z = calloc(1, sizeof *z);
    if (!eng || !z) {
        free(z);
        vm_engine_free(eng);
        vm_ruleset_free(rs);
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    z->pr = (vm_prompt){.in = stdin, .out = stderr, .color = vm_term_color(cli, stderr),
                        .width = vm_term_width(stderr)};
    z->a = a;
    z->vals = vals;
    z->eng = eng;
    z->all = o->all;
    z->output = o->output;
    vm_pr qr = run_quiz(z);
    if (qr == VM_PR_QUIT || qr == VM_PR_EOF) {
        fprintf(stderr, "Stopped; nothing written.\n");
        rc = -1;
    } else {
        char v[200];
        vm_engine_eval(eng, vals, &z->res, NULL);
        verdict(&z->res, v, sizeof v);
        fprintf(stderr, "\nRecommendation: %s\n", v);
    }
    free(z);
    vm_engine_free(eng);
    vm_ruleset_free(rs);
    return rc;
}

/* Asks only for the name (answers given, name missing, on a terminal). */
static int ask_name(vm_cli *cli, const init_opts *o, vm_arena *a, vm_values *vals)
{
    char deflt[64];
    suggest_name(o->output, deflt, sizeof deflt);
    vm_prompt pr = {.in = stdin, .out = stderr, .color = vm_term_color(cli, stderr),
                    .width = vm_term_width(stderr)};
    vm_question q = {.index = 1, .total = 1, .deflt = deflt[0] ? deflt : NULL, .required = true};
    if (vm_prompt_ask(&pr, a, vals, VM_F_META_NAME, &q) != VM_PR_ANSWER) {
        fprintf(stderr, "Stopped; nothing written.\n");
        return -1;
    }
    return VM_OK;
}

#define VM_INIT_STOPPED 1 /* the questionnaire was stopped: nothing written */

static int run(vm_cli *cli, int argc, char **argv)
{
    init_opts o = {0};
    int rc = parse(cli, argc, argv, &o);
    if (rc >= 0)
        return rc;
    /* refuse before asking anything, so no answers are typed in vain */
    if (!o.force && exists(o.output)) {
        vm_eprintf("%s init: '%s' already exists; use --force to overwrite it\n", VM_PROG, o.output);
        return VM_EUSAGE;
    }
    vm_arena *a = vm_arena_new();
    vm_values *vals = calloc(1, sizeof *vals);
    vm_buf b;
    vm_buf_init(&b);
    if (!a || !vals) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        rc = VM_EIO;
        goto done;
    }
    rc = gather(cli, &o, a, vals);
    if (rc)
        goto done;
    bool tty = isatty(STDIN_FILENO) && !(o.answers && strcmp(o.answers, "-") == 0);
    bool given = o.answers || o.nset;
    bool asked = false;
    if (o.tmpl) {
        vm_profile_write_yaml(vals, VM_WRITE_TEMPLATE, &b);
    } else {
        if (tty && !o.no_input && !given) {
            rc = interactive(cli, &o, a, vals);
            asked = true;
        } else if (!vals->v[VM_F_META_NAME].set) {
            if (!tty || o.no_input) {
                fprintf(stderr,
                        "%s init: metadata.name is required: give it with --set name=NAME or in the answers file\n",
                        VM_PROG);
                rc = VM_EUSAGE;
            } else {
                rc = ask_name(cli, &o, a, vals);
            }
        }
        if (rc < 0) {
            /* stopped (q or end of input): nothing written, so a following
             * `&& vmctr advise FILE` must not run */
            rc = VM_INIT_STOPPED;
            goto done;
        }
        if (rc)
            goto done;
        vm_profile_write_yaml(vals, 0, &b);
    }
    if (o.schema_url && b.len && !b.oom) {
        /* the writer's first line is the modeline: point it elsewhere */
        const char *nl = memchr(b.data, '\n', b.len);
        vm_buf nb;
        vm_buf_init(&nb);
        vm_buf_puts(&nb, "# yaml-language-server: $schema=");
        vm_buf_puts(&nb, o.schema_url);
        if (nl)
            vm_buf_put(&nb, nl, b.len - (size_t)(nl - b.data));
        vm_buf_free(&b);
        b = nb;
    }
    rc = write_out(cli, &b, o.output, o.force);
    if (rc == VM_OK && asked && o.output && strcmp(o.output, "-") != 0)
        vm_eprintf("Wrote %s. Next: %s advise %s\n", o.output, VM_PROG, o.output);
done:
    vm_buf_free(&b);
    free(vals);
    vm_arena_free(a);
    return rc;
}

VM_COMMAND(init,
    .summary = "write a new workload profile from a short questionnaire or from answers",
    .usage = "[OPTIONS]",
    .description =
        "On a terminal, asks the profile's name and a core set of questions (architecture, lifecycle, OS, "
        "release frequency, container skills, culture), then the unknowns whose answers could move the "
        "recommendation most, skipping any question that could not change it, and prints the recommendation. "
        "Each question offers its values as a numbered menu; Enter skips (the field stays unknown), b goes "
        "back, ? explains the question and what each choice means (one line each), q quits without writing. "
        "Questions go to stderr, so the profile can go to stdout. With "
        "--answers or --set, or when stdin is not a terminal, nothing is asked except a missing name on a "
        "terminal (never with --no-input). The profile starts with a yaml-language-server modeline (pointing at "
        "--schema-url when given, e.g. a schema written by 'vmctr schema --install DIR'), "
        "comments each section and always passes `vmctr validate`; -o FILE is written atomically and an "
        "existing FILE is kept unless --force is given.\n\n"
        "Exit status: 0 written, 1 the questionnaire was stopped (q or end of input): nothing written, 2 usage "
        "error, a missing "
        "name without a terminal or an existing FILE, 3 invalid answers, 5 I/O error.",
    .examples = "vmctr init -o billing-api.yaml\n"
                "vmctr init --answers answers.yaml -o billing-api.yaml\n"
                "vmctr init --no-input --set name=billing-api --set workload.os=linux > billing-api.yaml\n"
                "vmctr init --template -o profile.yaml"
);
