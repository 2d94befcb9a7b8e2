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
    if (w < 20)
        w = 20;
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

/* Length of the SGR/CSI escape sequence at s[k] (ESC [ ... final byte), 0
 * when none starts there: our own colours take no columns. Profile text
 * never reaches here raw (vm_esc_term escapes ESC). */
static size_t csi_len(const char *s, size_t k, size_t e)
{
    if (s[k] != '\033' || k + 1 >= e || s[k + 1] != '[')
        return 0;
    size_t j = k + 2;
    while (j < e && !((unsigned char)s[j] >= 0x40 && (unsigned char)s[j] <= 0x7E))
        j++;
    return j < e ? j + 1 - k : e - k;
}

/* Each line longer than `width` columns is broken at its last space that
 * fits (before "->" when one fits); the rest continues on a line indented 4
 * more than the original (at most half the width). A word longer than the
 * room left (a long name, a URL) is broken hard at the width, between two
 * characters. Columns are code points; colour escapes take none. */
void vm_text_fit(const char *s, size_t n, int width, vm_buf *out)
{
    if (width < 2)
        width = 2;
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        size_t lead = 0;
        while (i + lead < e && s[i + lead] == ' ')
            lead++;
        int cont = (int)lead + 4 > width / 2 ? width / 2 : (int)lead + 4;
        size_t start = i;
        int indent = 0;
        for (;;) {
            /* break at the last space that fits; before an arrow "->" if
             * one fits, so a change reads "old" / "-> new"; else hard */
            int col = indent;
            size_t brk = 0, arrow = 0, cut = e;
            bool hard = false, word = false;
            for (size_t k = start; k < e; k++) {
                size_t q = csi_len(s, k, e);
                if (q) {
                    k += q - 1;
                    continue;
                }
                if (((unsigned char)s[k] & 0xC0) == 0x80)
                    continue;
                if (s[k] != ' ')
                    word = true;
                else if (word) { /* not inside the line's own indentation */
                    brk = k;
                    if (k + 2 < e && s[k + 1] == '-' && s[k + 2] == '>')
                        arrow = k;
                }
                if (col + 1 > width) {
                    if (brk > start) {
                        cut = arrow > start ? arrow : brk;
                        while (cut > start + 1 && s[cut - 1] == ' ')
                            cut--; /* no padding left at the end of the line */
                    } else {
                        cut = k;
                        if (cut == start) /* at least one character per line */
                            for (cut++; cut < e && ((unsigned char)s[cut] & 0xC0) == 0x80;)
                                cut++;
                        hard = true;
                    }
                    break;
                }
                col++;
            }
            if (indent)
                vm_buf_printf(out, "%*s", indent, "");
            vm_buf_put(out, s + start, cut - start);
            if (cut >= e)
                break;
            vm_buf_putc(out, '\n');
            start = cut;
            while (!hard && start < e && s[start] == ' ')
                start++;
            indent = cont;
            if (start >= e)
                break;
        }
        if (e < n)
            vm_buf_putc(out, '\n');
        i = e + 1;
    }
}

/* whether every line of s[0..n) is at most `width` columns (colour
 * escapes take none) */
static bool fits(const char *s, size_t n, int width)
{
    int col = 0;
    for (size_t k = 0; k < n; k++) {
        if (s[k] == '\n') {
            col = 0;
            continue;
        }
        size_t q = csi_len(s, k, n);
        if (q) {
            k += q - 1;
            continue;
        }
        if (((unsigned char)s[k] & 0xC0) != 0x80 && ++col > width)
            return false;
    }
    return true;
}

void vm_text_fit_tail(vm_buf *out, size_t from, int width)
{
    if (out->oom || from >= out->len || fits(out->data + from, out->len - from, width < 2 ? 2 : width))
        return;
    vm_buf tmp;
    vm_buf_init(&tmp);
    vm_text_fit(out->data + from, out->len - from, width, &tmp);
    if (tmp.oom) {
        out->oom = true;
    } else {
        out->len = from;
        vm_buf_put(out, tmp.data, tmp.len);
    }
    vm_buf_free(&tmp);
}
