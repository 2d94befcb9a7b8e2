/*
 * term.c - terminal decisions: whether to colour a stream and how wide the
 * terminal is, and whether stderr is read by GitHub Actions. The only place
 * that reads NO_COLOR, FORCE_COLOR, TERM, COLUMNS and GITHUB_ACTIONS.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util/buf.h"

static bool env_set(const char *name)
{
    const char *v = getenv(name);
    return v && *v;
}

bool vm_color_parse(const char *s, vm_color_mode *out)
{
    if (!s)
        return false;
    if (strcmp(s, "auto") == 0)
        *out = VM_COLOR_AUTO;
    else if (strcmp(s, "always") == 0)
        *out = VM_COLOR_ALWAYS;
    else if (strcmp(s, "never") == 0)
        *out = VM_COLOR_NEVER;
    else
        return false;
    return true;
}

bool vm_term_color(const vm_cli *cli, FILE *fp)
{
    if (cli && cli->color == VM_COLOR_ALWAYS)
        return true;
    if (cli && cli->color == VM_COLOR_NEVER)
        return false;
    if (env_set("FORCE_COLOR"))
        return true; /* wins over NO_COLOR */
    if (env_set("NO_COLOR"))
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fileno(fp)) == 1;
}

int vm_term_width(FILE *fp)
{
    int w = 0;
#ifdef TIOCGWINSZ
    struct winsize ws;
    if (isatty(fileno(fp)) == 1 && ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0)
        w = ws.ws_col;
#else
    (void)fp;
#endif
    if (w <= 0) {
        const char *c = getenv("COLUMNS");
        if (c && *c) {
            char *end;
            long v = strtol(c, &end, 10);
            if (*end == '\0' && v > 0 && v < 100000)
                w = (int)v;
        }
    }
    if (w <= 0)
        w = 80;
    if (w < 40)
        w = 40;
    if (w > 200)
        w = 200;
    return w;
}

bool vm_term_unicode(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strstr(v, "UTF-8") || strstr(v, "utf-8") || strstr(v, "UTF8") || strstr(v, "utf8");
    }
    return false;
}

bool vm_term_github(void)
{
    const char *v = getenv("GITHUB_ACTIONS");
    return v && strcmp(v, "true") == 0;
}

/* Each line longer than `width` columns is broken at its last space that
 * fits (before "->" when one fits); the rest continues on a line indented 4 more than the original
 * (a single word longer than that is kept whole). */
void vm_text_fit(const char *s, size_t n, int width, vm_buf *out)
{
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        size_t lead = 0;
        while (i + lead < e && s[i + lead] == ' ')
            lead++;
        size_t start = i;
        int indent = 0;
        for (;;) {
            /* columns of the rest of the line from `start` */
            /* break at the last space that fits; before an arrow "->" if
             * one fits, so a change reads "old" / "-> new" */
            int col = indent, brk = -1, arrow = -1;
            size_t k = start, cut = e;
            for (; k < e; k++) {
                if (((unsigned char)s[k] & 0xC0) == 0x80)
                    continue;
                if (s[k] == ' ' && k > start && col <= width) {
                    brk = (int)(k - start);
                    if (k + 2 < e && s[k + 1] == '-' && s[k + 2] == '>')
                        arrow = brk;
                }
                col++;
                if (col > width && brk >= 0) {
                    cut = start + (size_t)(arrow >= 0 ? arrow : brk);
                    break;
                }
            }
            if (indent)
                vm_buf_printf(out, "%*s", indent, "");
            vm_buf_put(out, s + start, cut - start);
            if (cut >= e)
                break;
            vm_buf_putc(out, '\n');
            start = cut;
            while (start < e && s[start] == ' ')
                start++;
            indent = (int)lead + 4;
            if (start >= e)
                break;
        }
        if (e < n)
            vm_buf_putc(out, '\n');
        i = e + 1;
    }
}
