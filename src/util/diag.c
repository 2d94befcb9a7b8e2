/* diag.c - fixed-capacity diagnostics and "did you mean" suggestions. */
#include "vmctr/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void vm_diags_clear(vm_diags *d)
{
    d->count = 0;
    d->dropped = 0;
    d->errors = 0;
}

/* The one spelling every out-of-memory diagnostic uses (libyaml's too). */
static const char OOM[] = "out of memory";

void vm_diag_add(vm_diags *d, vm_severity sev, const char *file, uint32_t line,
                 uint32_t col, const char *path, const char *fmt, ...)
{
    if (sev == VM_SEV_ERROR)
        d->errors++;
    char msg[sizeof d->items[0].message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    vm_diag *g;
    if (d->count < VM_LIMIT_ERRORS) {
        g = &d->items[d->count++];
    } else if (strcmp(msg, OOM) == 0 && strcmp(d->items[d->count - 1].message, msg) != 0) {
        /* running out of memory is never among the errors not shown: it
         * takes the last place (that error is counted as dropped), so it
         * is said, and a loader can tell it from a bad input */
        g = &d->items[d->count - 1];
        d->dropped++;
    } else {
        d->dropped++;
        return;
    }
    g->file = file;
    g->line = line;
    g->col = col;
    g->severity = sev;
    snprintf(g->path, sizeof g->path, "%s", path ? path : "");
    memcpy(g->message, msg, sizeof msg);
}

bool vm_diags_out_of_memory(const vm_diags *d, size_t from)
{
    for (size_t i = from; i < d->count; i++)
        if (strcmp(d->items[i].message, OOM) == 0)
            return true;
    return false;
}

size_t vm_diag_format(const vm_diag *g, char *out, size_t cap)
{
    if (cap == 0)
        return 0; /* no room even for the NUL (cap - 1 below would wrap) */
    const char *sev = g->severity == VM_SEV_ERROR ? "error" : "warning";
    int n;
    if (g->line)
        n = snprintf(out, cap, "%s:%u:%u: %s: %s%s%s", g->file ? g->file : "<input>",
                     g->line, g->col ? g->col : 1, sev, g->path,
                     g->path[0] ? ": " : "", g->message);
    else
        n = snprintf(out, cap, "%s: %s: %s%s%s", g->file ? g->file : "<input>", sev,
                     g->path, g->path[0] ? ": " : "", g->message);
    if (n < 0) {
        out[0] = '\0';
        return 0;
    }
    return (size_t)n < cap ? (size_t)n : cap - 1;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return (size_t)-1;
    /* optimal string alignment: Levenshtein plus adjacent transpositions
     * ("onwer" -> "owner" is one edit), rows i-2, i-1 and i */
    size_t r0[65], r1[65], r2[65];
    size_t *pp = r0, *prev = r1, *row = r2;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = prev[j - 1] + cost;
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < best)
                best = pp[j - 2] + 1;
            row[j] = best;
        }
        size_t *t = pp;
        pp = prev;
        prev = row;
        row = t;
    }
    return prev[lb];
}

const char *vm_suggest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t bestd = (size_t)-1;
    size_t wl = strlen(word);
    for (size_t i = 0; i < n; i++) {
        size_t dist = edit_distance(word, cands[i]);
        if (dist < bestd) {
            bestd = dist;
            best = cands[i];
        }
    }
    /* close enough: at most a third of the word's length, at least 1, at most 3;
     * or a prefix relation (e.g. "micro" -> "microservices") */
    size_t lim = wl / 3;
    if (lim < 1)
        lim = 1;
    if (lim > 3)
        lim = 3;
    if (best && bestd <= lim)
        return best;
    if (wl >= 3)
        for (size_t i = 0; i < n; i++)
            if (strncmp(cands[i], word, wl) == 0)
                return cands[i];
    return NULL;
}
