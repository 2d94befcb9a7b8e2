/*
 * yreader.h (internal) - a cursor over yevent.h's events with the helpers
 * every loader needs: error reporting with positions, skipping a node,
 * walking the keys of a mapping with the item limit, null checks.
 */
#ifndef VMCTR_YREADER_H
#define VMCTR_YREADER_H

#include "vmctr/arena.h"
#include "vmctr/diag.h"
#include "scalar.h"
#include "yevent.h"

/* A place in the document for error messages, such as
 * spec.components[2].workload.os. Loaders build it on the stack as they
 * descend; it becomes text only when an error is reported, so a document
 * without errors never formats a path. */
typedef struct yr_path {
    const struct yr_path *up;  /* NULL at the top */
    const char *key;           /* joined to `up` with '.'; NULL: the item `index` */
    uint32_t index;
} yr_path;

/* The path's text ("" for a top with key ""), truncated to cap. */
const char *yr_path_text(const yr_path *p, char *buf, size_t cap);

typedef struct {
    vm_arena *a;
    const char *file;
    vm_diags *d;
    ye_parser *p;
    ye_event ev;
    bool fatal;      /* a YAML error or a limit: stop reading the document */
    bool oom;        /* out of memory: the document's status is VM_EIO */
} yreader;

void yr_err(yreader *r, uint32_t line, uint32_t col, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
void yr_err_at(yreader *r, uint32_t line, uint32_t col, const yr_path *at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* Reports the error ye_step just returned false for; makes r fatal. */
bool yr_fail(yreader *r);
/* An allocation failed while reading: reports "out of memory" (once) at the
 * current event, makes r fatal and sets r->oom, so that the caller returns
 * VM_EIO rather than a user error or a document with a part missing.
 * Returns false. */
bool yr_nomem(yreader *r);
/* Next event into r->ev; false (and fatal) on a YAML error. Inline: it runs
 * once per event, and the error report (with its message buffer) is kept
 * out of line in yr_fail. */
static inline bool yr_next(yreader *r)
{
    return !r->fatal && (ye_step(r->p, &r->ev) || yr_fail(r));
}
/* Skips the node starting at r->ev. */
bool yr_skip(yreader *r);
const char *yr_kind_name(ye_kind k);
static inline bool yr_is_null(const ye_event *e)
{
    return e->kind == YE_SCALAR && vm_scalar_is_null(e->text, e->len, e->plain);
}
/* With r->ev at MAP_START: advances to the next key scalar (true) or to
 * MAP_END / an error (false). */
bool yr_next_key(yreader *r, const char *path, uint32_t *count);
/* The rest of yr_next_key_at, out of line: a key past the item limit or a
 * key that is not a scalar (already counted). */
bool yr_odd_key(yreader *r, const yr_path *at, uint32_t *count);
/* Inline: runs once per key of every mapping. */
static inline bool yr_next_key_at(yreader *r, const yr_path *at, uint32_t *count)
{
    if (!yr_next(r) || r->ev.kind == YE_MAP_END)
        return false;
    if (++*count <= VM_LIMIT_ITEMS && r->ev.kind == YE_SCALAR)
        return true;
    return yr_odd_key(r, at, count);
}
/* True when r->ev is a mapping; a null is quietly false; anything else is
 * reported and skipped. */
bool yr_expect_map(yreader *r, const char *path);
bool yr_expect_map_at(yreader *r, const yr_path *at);
/* True when r->ev is a list; anything else (a null too) is reported at
 * path as "expected a list of WHAT" and skipped: false. */
bool yr_expect_list(yreader *r, const char *path, const char *what);
/* True when r->ev is a non-empty string; anything else (a null too) is
 * reported at path as "expected a non-empty string, found KIND" and
 * skipped: false. */
bool yr_expect_text(yreader *r, const char *path);
/* Compares the current scalar with a word. */
bool yr_is(const yreader *r, const char *word);
/* The current scalar as a C string (truncated to cap). */
const char *yr_text(const yreader *r, char *buf, size_t cap);
/* Reports an unknown key at r->ev, with a suggestion from cands. */
void yr_unknown_key(yreader *r, const char *where, const char *const *cands, size_t n);
void yr_unknown_key_at(yreader *r, const yr_path *where, const char *const *cands, size_t n);

/*
 * The loaders' key loop, once: the keys of the mapping at r->ev, each looked
 * up among a word list, an unknown key reported (with a did-you-mean from
 * the list) and a duplicate reported (with the line of the first), both
 * skipped with their values:
 *
 *     static const char *const keys[] = {"apiVersion", "kind", "waivers"};
 *     uint32_t seen[3] = {0};
 *     yr_keys it = {.words = keys, .n = 3, .seen = seen};
 *     for (int k; (k = yr_each_key(r, &where, &it)) >= 0;)
 *         ... r->ev is the value of keys[k] ...
 *     if (r->fatal) ... reading stopped ...
 *
 * Loaders whose keys are fields (profile_load.c) look them up themselves
 * and share the rest through yr_key_value.
 */
typedef struct {
    const char *const *words;  /* the mapping's keys */
    size_t n;
    uint32_t *seen;            /* per word: line it was first defined on, 0 = not yet;
                                * NULL: duplicates are not looked for */
    /* An unknown key (r->ev): return true when it was reported here, false
     * for the usual report. NULL: the usual report. */
    bool (*unknown)(yreader *r, const yr_path *where, void *ctx);
    void *ctx;
    size_t next;               /* the word after the last one found: tried first */
    uint32_t count;            /* keys so far (VM_LIMIT_ITEMS) */
    uint32_t unknowns, dups;   /* unknown and duplicate keys met (and reported) */
    uint32_t line, col;        /* of the key whose index was returned */
} yr_keys;

/* The index of the next key in it->words, with r->ev at its value; -1 at
 * the end of the mapping or when reading must stop (then r->fatal). */
int yr_each_key(yreader *r, const yr_path *where, yr_keys *it);

typedef enum { YR_KEY_VALUE, YR_KEY_SKIPPED, YR_KEY_STOP } yr_keystep;
/* Reports a duplicate key at r->ev (the line of its first definition in
 * *seen), out of line: cold. Returns false. */
bool yr_dup_key(yreader *r, const uint32_t *seen, const yr_path *at, const char *key);
/* The rest of one known key (r->ev) once looked up: a duplicate (*seen set
 * already; seen NULL: not looked for) has its value skipped
 * (YR_KEY_SKIPPED, or YR_KEY_STOP when reading must stop); a fresh one
 * leaves r->ev at its value (YR_KEY_VALUE). at and key: the key's path and
 * name, for the duplicate report. */
static inline yr_keystep yr_key_value(yreader *r, uint32_t *seen, const yr_path *at, const char *key)
{
    bool fresh = !seen || (*seen ? yr_dup_key(r, seen, at, key) : (*seen = r->ev.line, true));
    if (!yr_next(r))
        return YR_KEY_STOP;
    if (fresh)
        return YR_KEY_VALUE;
    return yr_skip(r) ? YR_KEY_SKIPPED : YR_KEY_STOP;
}
/* The header keys every vmctr file starts its word list with. */
enum { YR_H_API_VERSION, YR_H_KIND, YR_H_COUNT };
/* The value (r->ev) of header key h (YR_H_*): apiVersion must be vmctr/v1,
 * kind must be `kind`; anything else is reported ("'X' is not supported:
 * expected 'Y'") and skipped. False when reading must stop. */
bool yr_header_value(yreader *r, int h, const char *kind);
/* After the top-level keys: reports each header key not seen (seen[h] 0)
 * at the document's mapping (line, col). */
void yr_header_missing(yreader *r, const uint32_t *seen, uint32_t line, uint32_t col, const char *kind);

/* ---- the frame of a one-document file (rules, tests, waivers, config) ---- */

/* A file over max bytes: "WHAT larger than MAX bytes" at file (no
 * position), and true; the loader then stops. */
bool yr_too_large(vm_diags *d, const char *file, size_t len, uint32_t max, const char *what);
/* Reads up to the document's root node (r->ev). False when there is
 * nothing to read: reading failed, or the stream is empty (reported as
 * `empty` at 1:1 unless empty is NULL). */
bool yr_doc_start(yreader *r, const char *empty);
/* Reads to the end of the stream; a second document is reported once, as
 * `msg`, at its start. */
void yr_doc_end(yreader *r, const char *msg);
/* The list at r->ev (the value of top-level key `key`): true when it is
 * one, to be read with yr_item. With null_empty a null value is an empty
 * list (quietly false) and anything else but a list is reported "expected
 * a list of WHAT, found KIND"; without, anything but a list is "expected a
 * list of WHAT". Not a list: skipped, false.
 *
 *     if (yr_list(r, "rules", "rules", true))
 *         for (uint32_t i = 0; yr_item(r); i++)
 *             parse_rule(..., i);
 */
bool yr_list(yreader *r, const char *key, const char *what, bool null_empty);
/* The next item of a list: true with r->ev at its first event; false at
 * the end of the list or when reading must stop (r->fatal). */
static inline bool yr_item(yreader *r) { return yr_next(r) && r->ev.kind != YE_SEQ_END; }

/* A file of one kind whose top mapping holds the header and one list
 * (rules, tests, waivers). */
typedef struct {
    const char *kind;        /* the kind value: "RuleSet" */
    const char *key;         /* the list's key: "rules" */
    const char *what;        /* yr_list's WHAT */
    bool null_empty;         /* yr_list's null_empty */
    /* r->ev is kind's value: true when it is another kind of file, reported
     * here (with the path "kind"); NULL: only yr_header_value's report. */
    bool (*other_kind)(yreader *r);
    /* one item of the list, r->ev at its first event; i from 0 */
    void (*item)(void *ctx, uint32_t i);
    void *ctx;
} yr_list_file;
/* The keys of such a file's top mapping (r->ev): the header values checked
 * (yr_header_value), the list's items passed to f->item, and then the
 * header keys and the list reported when missing, at the mapping. False
 * when reading must stop: the caller then skips yr_doc_end. */
bool yr_list_file_keys(yreader *r, const yr_list_file *f);
/* A rule id that a test case or waiver names: true when rs (NULL: any id
 * goes) has it, else "unknown rule 'ID' (did you mean 'X'?)" at line:col. */
struct vm_ruleset;
bool yr_rule_known(yreader *r, const struct vm_ruleset *rs, const char *id, uint32_t line, uint32_t col,
                   const char *path);

/* Skips the value of the (unknown, already reported) key at r->ev; false
 * when reading must stop. */
static inline bool yr_skip_value(yreader *r) { return yr_next(r) && yr_skip(r); }

#endif
