/*
 * prompt.c - one questionnaire question on a terminal (see prompt.h):
 *
 *   ── delivery ──
 *   [3/12] delivery.release_frequency — how often a new version goes to production
 *      1) on-demand   2) daily   3) weekly   4) monthly   5) quarterly   6) yearly
 *   (Enter = skip, b = back, q = quit) >
 *
 * An answer is a menu number or the value itself (a unique prefix is
 * enough); it becomes a `field=value` assignment checked by vm_answers_set,
 * so the questionnaire accepts exactly what `--set` and the loader accept.
 */
#include "prompt.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "vmctr/sys/answers.h"

#define LINE_MAX_ 1024

#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RED "\033[31m"
#define RESET "\033[0m"

static const char *sgr(const vm_prompt *p, const char *code)
{
    return p->color ? code : "";
}

void vm_prompt_note(vm_prompt *p, const char *text)
{
    fprintf(p->out, "%s%s%s\n", sgr(p, DIM), text, sgr(p, RESET));
}

static void wrap_out(vm_prompt *p, const char *s, int col, int indent);

void vm_prompt_text(vm_prompt *p, const char *text) { wrap_out(p, text, 0, 0); }

static void complain(vm_prompt *p, const char *fmt, const char *arg)
{
    fprintf(p->out, "  %s! ", sgr(p, RED));
    fprintf(p->out, fmt, arg);
    fprintf(p->out, "%s\n", sgr(p, RESET));
}

/* ---- reading ------------------------------------------------------------ */

/* Reads one line, trimmed. Returns false at end of input or on an error. */
static bool read_line(vm_prompt *p, char *buf, size_t cap, bool *too_long)
{
    *too_long = false;
    fflush(p->out);
    if (!fgets(buf, (int)cap, p->in))
        return false;
    size_t n = strlen(buf);
    if (n && buf[n - 1] != '\n' && !feof(p->in)) {
        /* drop the rest of an over-long line */
        int c;
        while ((c = fgetc(p->in)) != EOF && c != '\n')
            ;
        *too_long = true;
    }
    while (n && isspace((unsigned char)buf[n - 1]))
        buf[--n] = '\0';
    size_t s = 0;
    while (buf[s] && isspace((unsigned char)buf[s]))
        s++;
    memmove(buf, buf + s, n - s + 1);
    return true;
}

/* ---- menus -------------------------------------------------------------- */

static int nchoices(const vm_field_def *f)
{
    if (f->type == VM_T_BOOL)
        return 2;
    if (f->type == VM_T_ENUM || f->type == VM_T_ENUM_LIST)
        return f->nvalues;
    return 0;
}

static const char *choice(const vm_field_def *f, int i)
{
    if (f->type == VM_T_BOOL)
        return i == 0 ? "yes" : "no";
    return f->values[i];
}

/* The numbered choices: on one line when they fit, else one per line. */
static void menu(vm_prompt *p, const vm_field_def *f)
{
    int n = nchoices(f);
    if (!n)
        return;
    int len = 1;
    for (int i = 0; i < n; i++)
        len += 6 + (int)strlen(choice(f, i));
    bool one_line = len <= p->width;
    for (int i = 0; i < n; i++) {
        if (!one_line || i == 0)
            fputs("  ", p->out);
        fprintf(p->out, " %2d) %s%s", i + 1, choice(f, i), one_line && i + 1 < n ? " " : "");
        if (!one_line || i + 1 == n)
            fputc('\n', p->out);
    }
}

static const char *type_hint(const vm_field_def *f, char *buf, size_t cap)
{
    switch (f->type) {
    case VM_T_ENUM_LIST: return "one or more numbers, e.g. 1 3; 0 = none";
    case VM_T_STR_LIST: return "a comma-separated list; - = none";
    case VM_T_INT:
        snprintf(buf, cap, "a number, %lld..%lld", (long long)f->min, (long long)f->max);
        return buf;
    default: return NULL;
    }
}

static void wrap_out(vm_prompt *p, const char *s, int col, int indent);

static void show(vm_prompt *p, const vm_field_def *f, const vm_question *q)
{
    if (!p->section || strcmp(p->section, f->section) != 0) {
        fprintf(p->out, "\n%s── %s ──%s\n", sgr(p, BOLD), f->section, sgr(p, RESET));
        p->section = f->section;
    } else {
        fputc('\n', p->out);
    }
    const char *path = strncmp(f->path, "spec.", 5) == 0 ? f->path + 5 : f->path;
    char head[200];
    int hn = snprintf(head, sizeof head, "[%d/%d] %s", q->index, q->total, path);
    fprintf(p->out, "%s%s%s —", sgr(p, BOLD), head, sgr(p, RESET));
    wrap_out(p, f->help, hn + 2, 3); /* wrap_out puts the space after the dash */
    char hb[80];
    const char *h = type_hint(f, hb, sizeof hb);
    if (q->note)
        fprintf(p->out, "   %s%s%s\n", sgr(p, DIM), q->note, sgr(p, RESET));
    menu(p, f);
    if (h)
        fprintf(p->out, "   %s(%s)%s\n", sgr(p, DIM), h, sgr(p, RESET));
    if (q->was)
        fprintf(p->out, "   %s(your earlier answer: %s)%s\n", sgr(p, DIM), q->was, sgr(p, RESET));
}

/* Writes `s` from column `col`, words wrapped at p->width, continuation
 * lines indented by `indent`; ends the line. */
static void wrap_out(vm_prompt *p, const char *s, int col, int indent)
{
    int width = p->width <= 0 ? 80 : p->width < 20 ? 20 : p->width;
    size_t n;
    int wc;
    while ((n = vm_text_word(&s, &wc)) > 0) {
        if (col > indent && col + 1 + wc > width) {
            fprintf(p->out, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', p->out);
            col++;
        }
        fwrite(s, 1, n, p->out);
        col += wc;
        s += n;
    }
    fputc('\n', p->out);
}

static void prompt_line(vm_prompt *p, const vm_question *q)
{
    char enter[120];
    if (q->was && strcmp(q->was, "skipped") != 0)
        snprintf(enter, sizeof enter, "Enter = keep %s, skip = unknown", q->was);
    else if (q->required && q->deflt)
        snprintf(enter, sizeof enter, "Enter = %s", q->deflt);
    else if (q->required)
        snprintf(enter, sizeof enter, "required");
    else
        snprintf(enter, sizeof enter, "Enter = skip");
    fprintf(p->out, "%s(%s%s, q = quit, ? = help)%s > ", sgr(p, DIM), enter, q->can_back ? ", b = back" : "",
            sgr(p, RESET));
}

/* `?` on a question with choices: each choice with what it means, one line
 * each (wrapped at the terminal width, continuation under the meaning). */
static void explain_choices(vm_prompt *p, const vm_field_def *f)
{
    int n = nchoices(f);
    int w = 0;
    for (int i = 0; i < n; i++) {
        int l = (int)strlen(choice(f, i));
        w = l > w ? l : w;
    }
    int width = p->width <= 0 ? 80 : p->width < 20 ? 20 : p->width;
    if (w > width / 3)
        w = 0; /* no column alignment on a narrow terminal */
    for (int i = 0; i < n; i++) {
        const char *m = vm_field_value_help(f, i);
        if (!m)
            continue;
        char head[96];
        int hn = snprintf(head, sizeof head, "  %2d) %-*s", i + 1, w, choice(f, i));
        if (hn < 0 || hn >= (int)sizeof head)
            hn = (int)strlen(head);
        fputs(head, p->out);
        if (w && hn + 1 < width / 2) { /* the meaning in a column of its own */
            fputc(' ', p->out);
            wrap_out(p, m, hn + 1, hn + 1);
        } else { /* wrapped lines start under the value */
            wrap_out(p, m, hn, 6);
        }
    }
}

/* A help line: indented 3, wrapped at the terminal width. */
static void para(vm_prompt *p, const char *text)
{
    fputs("   ", p->out);
    wrap_out(p, text, 3, 3);
}

static void help(vm_prompt *p, const vm_field_def *f, const vm_question *q)
{
    int n = nchoices(f);
    if (n && vm_field_value_help_count(f))
        explain_choices(p, f);
    if (n) {
        char t[120];
        snprintf(t, sizeof t, "Type a number from 1 to %d, or the value itself (the first letters are enough).", n);
        para(p, t);
    } else if (f->type == VM_T_NAME) {
        para(p, "Type a name: lower-case letters, digits and '-', e.g. billing-api.");
    } else {
        para(p, "Type the value and press Enter.");
    }
    if (q->was && strcmp(q->was, "skipped") != 0)
        para(p, "Enter on its own keeps your earlier answer; skip makes the field unknown again.");
    else if (!q->required)
        para(p, "Enter on its own leaves the field unknown: vmctr then says how much it could matter.");
    if (q->can_back)
        para(p, "b goes back to the previous question.");
    para(p, "q stops here without writing anything.");
}

/* ---- answers ------------------------------------------------------------ */

/* Index of the choice `s` names: a number, a value, or a unique prefix of
 * one. -1 when none, -2 when ambiguous. */
static int pick(const vm_field_def *f, const char *s, size_t len)
{
    int n = nchoices(f);
    if (len && len < 4 && strspn(s, "0123456789") >= len) {
        int k = atoi(s);
        return k >= 1 && k <= n ? k - 1 : -1;
    }
    if (f->type == VM_T_BOOL) {
        static const char *const yes[] = {"y", "yes", "true"}, *const no[] = {"n", "no", "false"};
        for (int i = 0; i < 3; i++) {
            if (strlen(yes[i]) == len && strncasecmp(s, yes[i], len) == 0)
                return 0;
            if (strlen(no[i]) == len && strncasecmp(s, no[i], len) == 0)
                return 1;
        }
        return -1;
    }
    int found = -1;
    for (int i = 0; i < n; i++) {
        const char *v = choice(f, i);
        if (strlen(v) == len && strncasecmp(v, s, len) == 0)
            return i;
        if (len && strncasecmp(v, s, len) == 0)
            found = found == -1 ? i : -2;
    }
    return found;
}

static bool is_word(const char *s, const char *a, const char *b)
{
    return strcasecmp(s, a) == 0 || (b && strcasecmp(s, b) == 0);
}

/* Turns what the user typed into the value text for `path=...`; false
 * with a complaint printed when it names no choice. */
static bool to_value(vm_prompt *p, const vm_field_def *f, const char *in, char *out, size_t cap)
{
    int n = nchoices(f);
    char range[40];
    snprintf(range, sizeof range, "1-%d", n);
    if (f->type == VM_T_ENUM || f->type == VM_T_BOOL) {
        int i = pick(f, in, strlen(in));
        if (i == -2) {
            complain(p, "'%s' matches more than one value: type a few more letters or the number", in);
            return false;
        }
        if (i < 0) {
            char m[120];
            snprintf(m, sizeof m, "'%%s' is not one of the choices: type a number from %s or a value", range);
            complain(p, m, in);
            return false;
        }
        snprintf(out, cap, "%s", f->type == VM_T_BOOL ? (i == 0 ? "true" : "false") : f->values[i]);
        return true;
    }
    if (f->type == VM_T_ENUM_LIST) {
        if (is_word(in, "0", "none") || strcmp(in, "-") == 0) {
            snprintf(out, cap, "[]");
            return true;
        }
        size_t o = (size_t)snprintf(out, cap, "[");
        uint32_t seen = 0;
        const char *s = in;
        while (*s) {
            while (*s == ' ' || *s == ',')
                s++;
            size_t l = strcspn(s, " ,");
            if (!l)
                break;
            char word[64];
            snprintf(word, sizeof word, "%.*s", (int)(l < 63 ? l : 63), s);
            int i = pick(f, s, l);
            if (i < 0) {
                char m[120];
                snprintf(m, sizeof m, "'%%s' is not one of the choices: type numbers from %s, or 0 for none", range);
                complain(p, m, word);
                return false;
            }
            if (!(seen & (1u << i)) && o < cap)
                o += (size_t)snprintf(out + o, cap - o, "%s%s", seen ? ", " : "", f->values[i]);
            seen |= 1u << i;
            s += l;
        }
        if (o < cap)
            snprintf(out + o, cap - o, "]");
        return true;
    }
    if (f->type == VM_T_STR_LIST && (is_word(in, "none", NULL) || strcmp(in, "-") == 0)) {
        snprintf(out, cap, "[]");
        return true;
    }
    snprintf(out, cap, "%s", in);
    return true;
}

vm_pr vm_prompt_ask(vm_prompt *p, vm_arena *a, vm_values *vals, int id, const vm_question *q)
{
    const vm_field_def *f = vm_field(id);
    show(p, f, q);
    for (;;) {
        char line[LINE_MAX_], val[LINE_MAX_ + 16];
        bool too_long;
        prompt_line(p, q);
        if (!read_line(p, line, sizeof line, &too_long)) {
            fputc('\n', p->out);
            return VM_PR_EOF;
        }
        if (too_long) {
            complain(p, "that line is too long (at most %s characters)", "1000");
            continue;
        }
        if (!line[0] && q->was && vals->v[id].set)
            return VM_PR_ANSWER; /* back at an answered question: Enter keeps the answer */
        if (!q->required && is_word(line, "skip", NULL)) {
            memset(&vals->v[id], 0, sizeof vals->v[id]);
            return VM_PR_SKIP;
        }
        if (!line[0]) {
            if (q->required && q->deflt) {
                snprintf(line, sizeof line, "%s", q->deflt);
            } else if (q->required) {
                complain(p, "%s is required: type a value, or q to quit", "an answer");
                continue;
            } else {
                memset(&vals->v[id], 0, sizeof vals->v[id]);
                return VM_PR_SKIP;
            }
        }
        if (is_word(line, "q", "quit"))
            return VM_PR_QUIT;
        if (is_word(line, "b", "back")) {
            if (q->can_back)
                return VM_PR_BACK;
            complain(p, "%s: this is the first question", "nothing to go back to");
            continue;
        }
        if (is_word(line, "?", "help")) {
            help(p, f, q);
            show(p, f, q);
            continue;
        }
        if (!to_value(p, f, line, val, sizeof val))
            continue;
        char as[LINE_MAX_ + 128], err[500];
        const char *path = strncmp(f->path, "spec.", 5) == 0 ? f->path + 5 : f->path;
        snprintf(as, sizeof as, "%s=%s", path, val);
        vm_values tmp = *vals;
        vm_status st = vm_answers_set(a, &tmp, as, NULL, err, sizeof err);
        if (st == VM_OK && !tmp.v[id].set) {
            /* "null", "~" or "unknown" typed out: the same as Enter */
            snprintf(err, sizeof err, "'%s' means unknown here: press Enter to skip instead", line);
            st = VM_EUSAGE;
        }
        if (st != VM_OK) {
            /* strip the leading "spec.x.y: " of the checker's message */
            const char *m = err;
            size_t pl = strlen(f->path);
            if (strncmp(m, f->path, pl) == 0 && m[pl] == ':' && m[pl + 1] == ' ')
                m += pl + 2;
            complain(p, "%s", m);
            continue;
        }
        *vals = tmp;
        return VM_PR_ANSWER;
    }
}
