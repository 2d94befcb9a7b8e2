/* diagprint.c - diagnostics on stderr and as JSON (see diagprint.h). */
#include "diagprint.h"

#include <string.h>

#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_MAGENTA "\033[1;35m"
#define C_CYAN "\033[1;36m"
#define C_RESET "\033[0m"

/* Writes one formatted line with colours: bold location, red "error" or
 * magenta "warning", plain message. The split point is the first
 * ": error: " / ": warning: " after the file name. */
static void print_colored(const vm_diag *g, const char *line)
{
    const char *sev = g->severity == VM_SEV_ERROR ? ": error: " : ": warning: ";
    size_t skip = g->file ? strlen(g->file) : 0;
    const char *at = strlen(line) >= skip ? strstr(line + skip, sev) : NULL;
    if (!at) {
        fprintf(stderr, "%s\n", line);
        return;
    }
    size_t sl = strlen(sev);
    fprintf(stderr, C_BOLD "%.*s:" C_RESET " %s%.*s" C_RESET ": %s\n", (int)(at - line), line,
            g->severity == VM_SEV_ERROR ? C_RED : C_MAGENTA, (int)(sl - 4), sev + 2, at + sl);
}

void vm_diags_print(const vm_cli *cli, const vm_diags *d, const char *file)
{
    bool color = vm_term_color(cli, stderr);
    char line[sizeof d->items[0].message + sizeof d->items[0].path + 512];
    for (size_t i = 0; i < d->count; i++) {
        vm_diag_format(&d->items[i], line, sizeof line);
        if (color)
            print_colored(&d->items[i], line);
        else
            fprintf(stderr, "%s\n", line);
    }
    if (d->dropped > 0) {
        if (color)
            fprintf(stderr, C_BOLD "%s:" C_RESET " " C_CYAN "note" C_RESET ": %zu more error%s not shown\n",
                    file, d->dropped, d->dropped == 1 ? "" : "s");
        else
            fprintf(stderr, "%s: note: %zu more error%s not shown\n", file, d->dropped,
                    d->dropped == 1 ? "" : "s");
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
