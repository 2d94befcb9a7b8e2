/*
 * opts.c - the table-driven option parser and the help text generated from
 * the same tables (see cli.h). One table per command describes each option
 * once: the parser, the error messages and --help all read it.
 */
#include "cli.h"
#include "diagprint.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vmctr/diag.h"

enum { OPT_HELP = VM_OPT_COMMON, OPT_COLOR };

static const char *const color_choices[] = {"auto", "always", "never", NULL};

const vm_opt vm_no_opts[] = {{0}};

const vm_opt vm_common_opts[] = {
    {"color", 0, "WHEN", "colour on a terminal: auto, always or never (default auto; see NO_COLOR)", OPT_COLOR,
     true, color_choices},
    {"help", 'h', NULL, "show this help and exit", OPT_HELP, false, NULL},
    {0},
};

#define MAX_ROWS 64 /* own rows per command; bits in vm_optparse.seen */

static bool row_end(const vm_opt *o) { return !o->lng && !o->shrt; }

void vm_opt_init(vm_optparse *p, vm_cli *cli, int argc, char **argv)
{
    memset(p, 0, sizeof *p);
    p->cli = cli;
    p->argc = argc;
    p->argv = argv;
    p->i = 1;
    p->pos = argv + 1;
}

int vm_usage_error(const vm_cli *cli, const char *fmt, ...)
{
    const char *name = cli && cli->cmd ? cli->cmd->name : NULL;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    vm_eprintf("%s%s%s: %s\n", VM_PROG, name ? " " : "", name ? name : "", msg);
    if (name)
        vm_eprintf("Try '%s help %s'.\n", VM_PROG, name);
    else
        vm_eprintf("Try '%s --help'.\n", VM_PROG);
    return VM_EUSAGE;
}

/* Row index across the command's table then the common table: own rows are
 * 0.., common rows MAX_ROWS... */
static const vm_opt *row_at(const vm_cmd *cmd, int idx)
{
    return idx < MAX_ROWS ? &cmd->opts[idx] : &vm_common_opts[idx - MAX_ROWS];
}

static int find_long(const vm_cmd *cmd, const char *name, size_t len)
{
    for (int pass = 0; pass < 2; pass++) {
        const vm_opt *t = pass ? vm_common_opts : cmd->opts;
        for (int i = 0; t && !row_end(&t[i]); i++)
            if (t[i].lng && strlen(t[i].lng) == len && memcmp(t[i].lng, name, len) == 0)
                return pass * MAX_ROWS + i;
    }
    return -1;
}

static int find_short(const vm_cmd *cmd, char c)
{
    for (int pass = 0; pass < 2; pass++) {
        const vm_opt *t = pass ? vm_common_opts : cmd->opts;
        for (int i = 0; t && !row_end(&t[i]); i++)
            if (t[i].shrt == c)
                return pass * MAX_ROWS + i;
    }
    return -1;
}

/* "--format" or "-f" for messages. */
static void opt_name(const vm_opt *o, bool as_long, char *out, size_t cap)
{
    if (as_long && o->lng)
        snprintf(out, cap, "--%s", o->lng);
    else if (o->shrt)
        snprintf(out, cap, "-%c", o->shrt);
    else
        snprintf(out, cap, "--%s", o->lng);
}

static int fail(vm_optparse *p, int status)
{
    p->status = status;
    return -1;
}

static int unknown_long(vm_optparse *p, const char *name, size_t len)
{
    const vm_cmd *cmd = p->cli->cmd;
    char word[72];
    snprintf(word, sizeof word, "%.*s", (int)(len < 64 ? len : 64), name);
    const char *cands[MAX_ROWS + 4];
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        const vm_opt *t = pass ? vm_common_opts : cmd->opts;
        for (int i = 0; t && !row_end(&t[i]) && n < sizeof cands / sizeof *cands; i++)
            if (t[i].lng)
                cands[n++] = t[i].lng;
    }
    const char *s = vm_suggest(word, cands, n);
    if (s)
        return fail(p, vm_usage_error(p->cli, "unknown option '--%s' (did you mean '--%s'?)", word, s));
    return fail(p, vm_usage_error(p->cli, "unknown option '--%s'", word));
}

/* Checks the value against the row's choices. */
static bool check_choice(vm_optparse *p, const vm_opt *o, bool as_long, const char *val)
{
    if (!o->choices)
        return true;
    size_t n = 0;
    for (; o->choices[n]; n++)
        if (strcmp(o->choices[n], val) == 0)
            return true;
    char name[72], list[256] = "";
    opt_name(o, as_long, name, sizeof name);
    size_t used = 0;
    for (size_t i = 0; i < n && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", o->choices[i]);
    const char *s = vm_suggest(val, o->choices, n);
    if (s)
        vm_usage_error(p->cli, "invalid argument '%s' for '%s': expected one of %s (did you mean '%s'?)",
                       val, name, list, s);
    else
        vm_usage_error(p->cli, "invalid argument '%s' for '%s': expected one of %s", val, name, list);
    p->status = VM_EUSAGE;
    return false;
}

/* Bookkeeping shared by long and short options once the row is known.
 * Returns the id to hand out, 0 to continue silently, -1 to stop. */
static int accept(vm_optparse *p, int idx, bool as_long, const char *val)
{
    const vm_opt *o = row_at(p->cli->cmd, idx);
    char name[72];
    opt_name(o, as_long, name, sizeof name);
    /* own rows are 0..63, common rows 64..: one bit each in p->seen */
    if (idx < 128) {
        unsigned *w = &p->seen[idx / 32], m = 1u << (idx % 32);
        if ((*w & m) && o->arg && !o->repeat)
            return fail(p, vm_usage_error(p->cli, "option '%s' given more than once", name));
        *w |= m;
    }
    if (val && !check_choice(p, o, as_long, val))
        return -1;
    p->arg = val;
    switch (o->id) {
    case OPT_HELP:
        vm_cmd_help(p->cli->cmd, stdout);
        return fail(p, VM_OK);
    case OPT_COLOR:
        vm_color_parse(val, &p->cli->color);
        return 0;
    default:
        return o->id;
    }
}

int vm_opt_next(vm_optparse *p)
{
    const vm_cmd *cmd = p->cli->cmd;
    for (;;) {
        p->arg = NULL;
        if (p->cluster && *p->cluster) {
            char c = *p->cluster++;
            int idx = find_short(cmd, c);
            if (idx < 0) {
                p->cluster = NULL;
                return fail(p, vm_usage_error(p->cli, "unknown option '-%c'", c));
            }
            const vm_opt *o = row_at(cmd, idx);
            const char *val = NULL;
            if (o->arg) {
                if (*p->cluster) {
                    val = p->cluster;          /* -ovalue */
                } else if (p->i < p->argc) {
                    val = p->argv[p->i++];     /* -o value */
                } else {
                    p->cluster = NULL;
                    return fail(p, vm_usage_error(p->cli, "option '-%c' needs an argument (%s)", c,
                                                  o->arg));
                }
                p->cluster = NULL;
            }
            int r = accept(p, idx, false, val);
            if (r != 0)
                return r;
            continue;
        }
        p->cluster = NULL;
        if (p->i >= p->argc)
            return 0;
        char *a = p->argv[p->i++];
        if (p->only_pos || a[0] != '-' || a[1] == '\0') {
            p->pos[p->npos++] = a; /* operand; "-" is stdin */
            continue;
        }
        if (a[1] != '-') {
            p->cluster = a + 1;
            continue;
        }
        if (a[2] == '\0') { /* "--" */
            p->only_pos = true;
            continue;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        int idx = find_long(cmd, name, len);
        if (idx < 0)
            return unknown_long(p, name, len);
        const vm_opt *o = row_at(cmd, idx);
        const char *val = NULL;
        if (o->arg) {
            if (eq)
                val = eq + 1;
            else if (p->i < p->argc)
                val = p->argv[p->i++];
            else
                return fail(p, vm_usage_error(p->cli, "option '--%s' needs an argument (%s)", o->lng,
                                              o->arg));
        } else if (eq) {
            return fail(p, vm_usage_error(p->cli, "option '--%s' takes no argument", o->lng));
        }
        int r = accept(p, idx, true, val);
        if (r != 0)
            return r;
    }
}

/* ---- help ----------------------------------------------------------- */

/* columns of s[0..n): code points */
static int u8cols(const char *s, int n)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* bytes of the longest prefix of s[0..n) of at most `cols` columns (at
 * least one character) */
static int u8prefix(const char *s, int n, int cols)
{
    int i = 0, c = 0;
    while (i < n) {
        int k = i + 1;
        while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80)
            k++;
        if (c + 1 > cols && i > 0)
            break;
        c++;
        i = k;
    }
    return i;
}

/* Example command lines, each fitted to `width` the way a shell reads it
 * back: broken at a space (or, for a word longer than the line, inside it,
 * the rest from column 0) with a backslash at the end of the line, so a
 * pasted example still runs; never inside single quotes, where a backslash
 * is literal. */
static void wrap_cmd(FILE *fp, const char *text, int width)
{
    int lim = width - 2; /* room for " \\" after any word */
    const char *s = text;
    while (*s) {
        const char *eol = strchr(s, '\n');
        if (!eol)
            eol = s + strlen(s);
        fputs("  ", fp);
        int col = 2;
        bool first = true;
        while (s < eol) {
            while (s < eol && *s == ' ')
                s++;
            if (s >= eol)
                break;
            const char *w = s;
            bool q = false, quotes = false;
            while (s < eol && (q || *s != ' ')) { /* a word: spaces inside '...' belong to it */
                if (*s == '\'')
                    q = !q, quotes = true;
                s++;
            }
            int wl = (int)(s - w);
            if (!first && col + 1 + u8cols(w, wl) > lim) {
                fputs(" \\\n      ", fp);
                col = 6;
            } else if (!first) {
                fputc(' ', fp);
                col++;
            }
            bool inq = false; /* inside '...' at the start of the rest of the word */
            while (col + u8cols(w, wl) > lim && lim - col >= 2 && wl > 1) {
                int k = u8prefix(w, wl, lim - col - (quotes ? 1 : 0));
                for (int j = 0; j < k; j++)
                    if (w[j] == '\'')
                        inq = !inq;
                fwrite(w, 1, (size_t)k, fp);
                /* no indent: the shell would read it as a space inside the
                 * word; inside quotes close them and open them again, as
                 * 'ab''cd' is one word */
                fputs(inq ? "'\\\n'" : "\\\n", fp);
                col = inq ? 1 : 0;
                w += k;
                wl -= k;
            }
            fwrite(w, 1, (size_t)wl, fp);
            col += u8cols(w, wl);
            first = false;
        }
        fputc('\n', fp);
        s = *eol ? eol + 1 : eol;
    }
}

/* Writes `text` wrapped at `width`, each line indented by `indent` (when
 * first_done, the caller has already written the first line's indent).
 * Leading spaces of a source line are kept as extra indentation. */
static void wrap_h(FILE *fp, const char *text, int indent, int width, bool first_done, bool hang);
#define wrap(fp, text, indent, width, first_done) wrap_h(fp, text, indent, width, first_done, false)

void vm_wrap_text(FILE *fp, const char *text, int indent, int width, bool first_done)
{
    wrap(fp, text, indent, width, first_done);
}

/* hang: the first line starts at column 0, the others at `indent` */
static void wrap_h(FILE *fp, const char *text, int indent, int width, bool first_done, bool hang)
{
    const char *s = text;
    bool first = true;
    do {
        const char *eol = strchr(s, '\n');
        if (!eol)
            eol = s + strlen(s);
        int extra = 0;
        while (s + extra < eol && s[extra] == ' ')
            extra++;
        int ind = indent + extra;
        int col = ind;
        if (first && hang)
            col = extra; /* a hanging first line: from column 0 */
        else if (!(first && first_done))
            fprintf(fp, "%*s", ind, "");
        bool line_start = true;
        s += extra;
        while (s < eol) {
            const char *w = s;
            while (s < eol && *s != ' ')
                s++;
            int wl = (int)(s - w);
            if (!line_start && col + 1 + wl > width) {
                fprintf(fp, "\n%*s", ind, "");
                col = ind;
                line_start = true;
            }
            if (!line_start) {
                fputc(' ', fp);
                col++;
            }
            while (col + u8cols(w, wl) > width && width > col && wl > 0) {
                /* a word longer than the line: broken hard at the width */
                int k = u8prefix(w, wl, width - col);
                fwrite(w, 1, (size_t)k, fp);
                fprintf(fp, "\n%*s", ind, "");
                col = ind;
                w += k;
                wl -= k;
            }
            fwrite(w, 1, (size_t)wl, fp);
            col += u8cols(w, wl);
            line_start = false;
            while (s < eol && *s == ' ')
                s++;
        }
        fputc('\n', fp);
        first = false;
        s = *eol ? eol + 1 : eol;
    } while (*s);
}

static int opt_label(const vm_opt *o, char *out, size_t cap)
{
    int n;
    if (o->shrt && o->lng)
        n = snprintf(out, cap, "-%c, --%s%s%s", o->shrt, o->lng, o->arg ? "=" : "", o->arg ? o->arg : "");
    else if (o->shrt)
        n = snprintf(out, cap, "-%c%s%s", o->shrt, o->arg ? " " : "", o->arg ? o->arg : "");
    else
        n = snprintf(out, cap, "    --%s%s%s", o->lng, o->arg ? "=" : "", o->arg ? o->arg : "");
    return n < 0 ? 0 : n;
}

void vm_cmd_help(const vm_cmd *cmd, FILE *fp)
{
    int width = vm_term_width(fp);
    if (width > 100)
        width = 100;
    char usage[512];
    snprintf(usage, sizeof usage, "Usage: %s %s %s", VM_PROG, cmd->name, cmd->usage ? cmd->usage : "[OPTIONS]");
    wrap_h(fp, usage, 4, width, false, true); /* continuation lines under the command */
    fputc('\n', fp);
    wrap(fp, cmd->summary, 0, width, false);
    if (cmd->description) {
        fputc('\n', fp);
        wrap(fp, cmd->description, 0, width, false);
    }
    int labw = 0;
    char lab[128];
    for (int pass = 0; pass < 2; pass++) {
        const vm_opt *t = pass ? vm_common_opts : cmd->opts;
        for (int i = 0; t && !row_end(&t[i]); i++) {
            int n = opt_label(&t[i], lab, sizeof lab);
            if (n > labw)
                labw = n;
        }
    }
    if (labw > 30)
        labw = 30;
    bool narrow = width - (2 + labw + 2) < 24; /* the help under its option, indented 6 */
    fputs("\nOptions:\n", fp);
    for (int pass = 0; pass < 2; pass++) {
        const vm_opt *t = pass ? vm_common_opts : cmd->opts;
        for (int i = 0; t && !row_end(&t[i]); i++) {
            int n = opt_label(&t[i], lab, sizeof lab);
            if (narrow) {
                wrap(fp, lab + strspn(lab, " "), 2, width, false);
                wrap(fp, t[i].help, 6, width, false);
                continue;
            }
            fprintf(fp, "  %s", lab);
            if (n > labw) {
                fputc('\n', fp);
                wrap(fp, t[i].help, 2 + labw + 2, width, false);
            } else {
                fprintf(fp, "%*s", labw - n + 2, "");
                wrap(fp, t[i].help, 2 + labw + 2, width, true);
            }
        }
    }
    if (cmd->examples) {
        fputs("\nExamples:\n", fp);
        wrap_cmd(fp, cmd->examples, width);
    }
}

/* "a, b or c" of the subcommand names into buf */
static const char *sub_list(const vm_cmd *c, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < c->nsubs && n < cap; i++) {
        const char *sep = i == 0 ? "" : i + 1 == c->nsubs ? " or " : ", ";
        int w = snprintf(buf + n, cap - n, "%s%s", sep, c->sub_names[i]);
        if (w < 0)
            break;
        n += (size_t)w;
    }
    return buf;
}

int vm_cmd_dispatch(vm_cli *cli, int argc, char **argv, const char *what)
{
    const vm_cmd *c = cli->cmd;
    char list[256];
    if (argc < 2)
        return vm_usage_error(cli, "missing %s: %s", what, sub_list(c, list, sizeof list));
    const char *s = argv[1];
    if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
        vm_cmd_help(c, stdout);
        for (size_t i = 0; i < c->nsubs; i++) {
            printf("\n");
            vm_cmd_help(c->subs[i], stdout);
        }
        return VM_OK;
    }
    for (size_t i = 0; i < c->nsubs; i++)
        if (strcmp(s, c->sub_names[i]) == 0) {
            vm_cli sub = *cli;
            sub.cmd = c->subs[i];
            return c->subs[i]->run(&sub, argc - 1, argv + 1);
        }
    const char *sg = vm_suggest(s, c->sub_names, c->nsubs);
    if (sg)
        return vm_usage_error(cli, "unknown %s '%s' (did you mean '%s'?)", what, s, sg);
    return vm_usage_error(cli, "unknown %s '%s': %s", what, s, sub_list(c, list, sizeof list));
}
