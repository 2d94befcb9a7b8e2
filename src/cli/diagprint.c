/* diagprint.c - diagnostics on stderr and as JSON (see diagprint.h). */
#include "diagprint.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/escape.h"

#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_MAGENTA "\033[1;35m"
#define C_CYAN "\033[1;36m"
#define C_RESET "\033[0m"

/*
 * Appends n bytes of stderr text neutralised (escape.h): the terminal
 * escape, or, when GitHub Actions reads stderr, workflow-command escaping,
 * with a line that would begin with "::" (after blanks) starting "%3A:".
 */
static void neutral(vm_buf *b, const char *s, size_t n, bool gh)
{
    if (!gh) {
        vm_esc_term(b, s, n);
        return;
    }
    size_t k = 0;
    if (b->len == 0 || b->data[b->len - 1] == '\n') {
        while (k < n && s[k] == ' ')
            k++;
        if (k + 1 < n && s[k] == ':' && s[k + 1] == ':') {
            vm_buf_put(b, s, k);
            vm_buf_put(b, "%3A", 3);
            k++;
        } else {
            k = 0;
        }
    }
    vm_esc_gh(b, s + k, n - k, false);
}

/* The n bytes of s as one line on stderr without any memory: printable
 * ASCII but '#' as it is, every other byte '?', a "::" that would begin
 * the line (after blanks) as "%3A:" -- inert in a terminal and in a CI
 * log alike, coarser than neutral(). For when neutral() ran out of memory:
 * a warning or note must not be lost, nor replaced by "out of memory" on a
 * run that then succeeds. */
static void put_plain(const char *s, size_t n)
{
    char out[2048];
    size_t k = 0, i = 0;
    while (i < n && s[i] == ' ' && k < sizeof out - 5)
        out[k++] = s[i++];
    if (i + 1 < n && s[i] == ':' && s[i + 1] == ':') {
        memcpy(out + k, "%3A", 3);
        k += 3;
        i++;
    }
    for (; i < n && k < sizeof out - 1; i++) {
        unsigned char c = (unsigned char)s[i];
        out[k++] = c >= 0x20 && c < 0x7f && c != '#' ? (char)c : '?';
    }
    out[k++] = '\n';
    fwrite(out, 1, k, stderr);
}

/* Writes b, then a newline, to stderr; if b ran out of memory, the n bytes
 * of `raw` it was made of, by put_plain. */
static void put_err(const vm_buf *b, const char *raw, size_t n)
{
    if (b->oom)
        put_plain(raw, n);
    else
        fprintf(stderr, "%s\n", b->data ? b->data : "");
}

void vm_eprintf(const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    if (len && line[len - 1] == '\n')
        len--;
    vm_buf b;
    vm_buf_init(&b);
    neutral(&b, line, len, vm_term_github());
    put_err(&b, line, len);
    vm_buf_free(&b);
}

/* g's formatted line into b, neutralised: the file name it starts with
 * and the rest each on their own. Returns b->len after the file name. */
static size_t put_line(vm_buf *b, const vm_diag *g, const char *line, bool gh)
{
    const char *file = g->file ? g->file : "<input>";
    size_t fl = strlen(file), ll = strlen(line);
    if (strncmp(line, file, fl) != 0)
        fl = 0;
    neutral(b, line, fl, gh);
    size_t at = b->len;
    neutral(b, line + fl, ll - fl, gh);
    return at;
}

void vm_diag_put(vm_buf *b, const vm_diag *g)
{
    char line[sizeof g->message + sizeof g->path + 512];
    vm_diag_format(g, line, sizeof line);
    put_line(b, g, line, vm_term_github());
}

void vm_note_put(vm_buf *b, const char *file, size_t dropped)
{
    neutral(b, file, strlen(file), vm_term_github());
    vm_buf_printf(b, ": note: %zu more error%s not shown", dropped, dropped == 1 ? "" : "s");
}

/* Writes one formatted line, neutralised, with colours when `color`: bold
 * location, red "error" or magenta "warning", plain message. The split
 * point is the first ": error: " / ": warning: " after the file name. */
static void print_line(const vm_diag *g, const char *line, bool color, bool gh)
{
    vm_buf b;
    vm_buf_init(&b);
    size_t skip = put_line(&b, g, line, gh);
    const char *sev = g->severity == VM_SEV_ERROR ? ": error: " : ": warning: ";
    const char *at = color && !b.oom && b.data ? strstr(b.data + skip, sev) : NULL;
    if (!at) {
        put_err(&b, line, strlen(line));
    } else {
        size_t sl = strlen(sev);
        fprintf(stderr, C_BOLD "%.*s:" C_RESET " %s%.*s" C_RESET ": %s\n", (int)(at - b.data), b.data,
                g->severity == VM_SEV_ERROR ? C_RED : C_MAGENTA, (int)(sl - 4), sev + 2, at + sl);
    }
    vm_buf_free(&b);
}

void vm_diags_print(const vm_cli *cli, const vm_diags *d, const char *file)
{
    bool color = vm_term_color(cli, stderr), gh = vm_term_github();
    char line[sizeof d->items[0].message + sizeof d->items[0].path + 512];
    for (size_t i = 0; i < d->count; i++) {
        vm_diag_format(&d->items[i], line, sizeof line);
        print_line(&d->items[i], line, color, gh);
    }
    if (d->dropped > 0) {
        vm_buf b;
        vm_buf_init(&b);
        neutral(&b, file, strlen(file), gh);
        if (color && !b.oom)
            fprintf(stderr, C_BOLD "%s:" C_RESET " " C_CYAN "note" C_RESET ": %zu more error%s not shown\n",
                    b.data ? b.data : "", d->dropped, d->dropped == 1 ? "" : "s");
        else if (!b.oom)
            fprintf(stderr, "%s: note: %zu more error%s not shown\n", b.data ? b.data : "", d->dropped,
                    d->dropped == 1 ? "" : "s");
        else {
            char note[1024];
            int n = snprintf(note, sizeof note, "%s: note: %zu more error%s not shown", file, d->dropped,
                             d->dropped == 1 ? "" : "s");
            put_plain(note, n < 0 ? 0 : (size_t)n < sizeof note ? (size_t)n : sizeof note - 1);
        }
        vm_buf_free(&b);
    }
}

static void json_pos(vm_buf *b, const char *key, uint32_t v)
{
    vm_buf_printf(b, ", \"%s\": ", key);
    if (v)
        vm_buf_printf(b, "%u", v);
    else
        vm_buf_puts(b, "null");
}

void vm_diags_json(vm_buf *b, const vm_diags *d, const char *file, size_t *count)
{
    for (size_t i = 0; i < d->count; i++) {
        const vm_diag *g = &d->items[i];
        vm_buf_puts(b, *count ? ",\n  {\"file\": " : "\n  {\"file\": ");
        vm_buf_json_str(b, g->file ? g->file : file);
        json_pos(b, "line", g->line);
        json_pos(b, "column", g->line ? (g->col ? g->col : 1) : 0);
        vm_buf_puts(b, ", \"severity\": ");
        vm_buf_json_str(b, g->severity == VM_SEV_ERROR ? "error" : "warning");
        vm_buf_puts(b, ", \"path\": ");
        vm_buf_json_str(b, g->path);
        vm_buf_puts(b, ", \"message\": ");
        vm_buf_json_str(b, g->message);
        vm_buf_putc(b, '}');
        ++*count;
    }
    if (d->dropped > 0) {
        vm_buf_puts(b, *count ? ",\n  {\"file\": " : "\n  {\"file\": ");
        vm_buf_json_str(b, file);
        vm_buf_printf(b, ", \"line\": null, \"column\": null, \"severity\": \"note\", \"path\": \"\", "
                         "\"message\": \"%zu more error%s not shown\"}",
                      d->dropped, d->dropped == 1 ? "" : "s");
        ++*count;
    }
}
