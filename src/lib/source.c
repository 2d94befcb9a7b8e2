/*
 * source.c - cuts a byte stream into YAML documents.
 *
 * YAML forbids a line that starts with `---` or `...` (followed by a blank or
 * the end of the line) inside content, so those lines are exact document
 * boundaries and can be found without parsing. Each document is then parsed
 * on its own: a broken one never hides the next, a long stream needs memory
 * for one document only (VM_LIMIT_DOC_BYTES), and documents can be handed to
 * several threads.
 */
#include "vmctr/profile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads of READ_CHUNK bytes into a buffer of twice that, and of
 * READ_CHUNK_LONG once a stream has passed READ_LONG_AFTER: a short input
 * touches 8 pages of buffer rather than 32 (each first touch is a page
 * fault, about 15-20 us of wall time in a virtual machine), a long one
 * needs a quarter of the read(2)s. */
#define READ_CHUNK (16u * 1024u)
#define READ_CHUNK_LONG (64u * 1024u)
#define READ_LONG_AFTER ((size_t)2 * 1024 * 1024)

struct vm_source {
    FILE *fp;               /* NULL for memory sources */
    bool owns_fp;
    const char *name;
    char *buf;              /* [off, len) bytes read and not yet consumed */
    size_t off, len, cap;
    const char *mem;        /* memory source */
    size_t memlen, mempos;
    bool eof;
    size_t total;           /* bytes read so far */
    uint32_t line;          /* line number of buf[0] */
    uint32_t emitted;       /* documents handed out */
    bool at_file_start;     /* buf[0] is the first byte of the stream */
    bool pending_discard;   /* the last document was too large: drop bytes up to the next boundary */
    size_t consume;         /* bytes of buf handed out last time, dropped on the next call */
    uint32_t consume_lines;
};

static vm_source *source_new(const char *display)
{
    vm_source *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->name = display;
    s->line = 1;
    s->at_file_start = true;
    return s;
}

vm_source *vm_source_open(const char *path, const char *display, char *err, size_t errcap)
{
    vm_source *s = source_new(display ? display : path);
    if (!s) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    if (strcmp(path, "-") == 0) {
        s->fp = stdin;
    } else {
        s->fp = fopen(path, "rb");
        if (!s->fp) {
            int e = errno;
            if (e == ENOMEM)
                snprintf(err, errcap, "out of memory");
            else
                snprintf(err, errcap, "cannot open: %s", strerror(e));
            free(s);
            return NULL;
        }
        s->owns_fp = true;
    }
    return s;
}

vm_source *vm_source_mem(const char *data, size_t len, const char *display)
{
    vm_source *s = source_new(display);
    if (s) {
        s->mem = data;
        s->memlen = len;
    }
    return s;
}

void vm_source_free(vm_source *s)
{
    if (!s)
        return;
    if (s->owns_fp)
        fclose(s->fp);
    free(s->buf);
    free(s);
}

const char *vm_source_name(const vm_source *s) { return s->name; }

/* Reads more bytes. Returns 1 if some were read, 0 at EOF, -1 on error. */
static int fill(vm_source *s, char *err, size_t errcap)
{
    if (s->eof)
        return 0;
    if (s->off) {
        /* compact: the consumed prefix is dropped here, once per read,
         * rather than once per document */
        memmove(s->buf, s->buf + s->off, s->len - s->off);
        s->len -= s->off;
        s->off = 0;
    }
    size_t chunk = s->total >= READ_LONG_AFTER ? READ_CHUNK_LONG : READ_CHUNK;
    if (s->cap - s->len < chunk) {
        size_t cap = s->cap ? s->cap : 2 * chunk;
        while (cap - s->len < chunk)
            cap *= 2;
        char *p = realloc(s->buf, cap + 1);
        if (!p) {
            snprintf(err, errcap, "out of memory");
            return -1;
        }
        s->buf = p;
        s->cap = cap;
    }
    size_t n;
    if (s->fp) {
        n = fread(s->buf + s->len, 1, chunk, s->fp);
        if (n == 0) {
            if (ferror(s->fp)) {
                snprintf(err, errcap, "read error: %s", strerror(errno));
                return -1;
            }
            s->eof = true;
            return 0;
        }
    } else {
        n = s->memlen - s->mempos;
        if (n > chunk)
            n = chunk;
        if (n == 0) {
            s->eof = true;
            return 0;
        }
        memcpy(s->buf + s->len, s->mem + s->mempos, n);
        s->mempos += n;
    }
    s->len += n;
    s->total += n;
    return 1;
}

static void drop(vm_source *s, size_t n, uint32_t lines)
{
    if (n) {
        s->off += n;
        s->at_file_start = false;
    }
    s->line += lines;
}

enum { L_BLANK, L_CONTENT, L_START, L_END };

/* L_START or L_END for a `---` / `...` line, else L_CONTENT. Once a
 * document has content this is all a line needs: most lines are indented
 * and are settled by their first byte. */
static int boundary(const char *p, size_t n)
{
    if (n >= 3 && (p[0] == '-' || p[0] == '.') && p[1] == p[0] && p[2] == p[0] &&
        (n == 3 || p[3] == ' ' || p[3] == '\t' || p[3] == '\r' || p[3] == '\n'))
        return p[0] == '-' ? L_START : L_END;
    return L_CONTENT;
}

static int classify(const char *p, size_t n)
{
    int b = boundary(p, n);
    if (b != L_CONTENT)
        return b;
    if (n > 0 && p[0] == '%')
        return L_BLANK; /* directive: belongs to the next document */
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        return c == '#' ? L_BLANK : L_CONTENT;
    }
    return L_BLANK;
}

/* Hands out the first `len` bytes of the unconsumed input as the next
 * document; `consume` bytes (holding `lines` newlines) are dropped on the
 * next call. A too-large document is cut at the limit and the rest of it is
 * skipped up to the next boundary. Returns 1. */
static int hand_out(vm_source *s, vm_doc *out, size_t len, size_t consume, uint32_t lines, bool too_large)
{
    out->data = s->buf ? s->buf + s->off : "";
    out->len = len;
    out->first_line = s->line;
    out->index = s->emitted++;
    out->too_large = too_large;
    s->consume = consume;
    s->consume_lines = lines;
    s->pending_discard = too_large;
    return 1;
}

#define B (s->buf + s->off)
#define L (s->len - s->off)
int vm_source_next(vm_source *s, vm_doc *out, char *err, size_t errcap)
{
    drop(s, s->consume, s->consume_lines);
    s->consume = 0;
    s->consume_lines = 0;

    size_t pos = 0;         /* start of the next unscanned line */
    uint32_t lines = 0;     /* newlines in [0, pos) */
    bool content = false;   /* the current chunk holds a document */
    bool discard = s->pending_discard;
    s->pending_discard = false;

    for (;;) {
        if (content && !discard) {
            /* Most lines sit inside a document: skip whole lines that
             * cannot be a boundary (first byte neither '-' nor '.') with
             * nothing but the newline search. Anything else (a candidate
             * boundary, the end of the buffered bytes) takes the full
             * path below. */
            const char *b = B;
            size_t l = L;
            const char *nl;
            while (pos < l && b[pos] != '-' && b[pos] != '.' &&
                   (nl = memchr(b + pos, '\n', l - pos)) != NULL) {
                pos = (size_t)(nl - b) + 1;
                lines++;
                if (pos > VM_LIMIT_DOC_BYTES)
                    return hand_out(s, out, VM_LIMIT_DOC_BYTES, pos, lines, true);
            }
        }
        char *nl = pos < L ? memchr(B + pos, '\n', L - pos) : NULL;
        if (!nl && !s->eof && L > VM_LIMIT_DOC_BYTES + READ_CHUNK) {
            /* one line longer than a whole document may be */
            if (discard) {
                drop(s, L, lines);
                pos = 0;
                lines = 0;
            } else {
                return hand_out(s, out, VM_LIMIT_DOC_BYTES, L, lines, true);
            }
        }
        if (!nl && !s->eof) {
            int r = fill(s, err, errcap);
            if (r < 0)
                return -1;
            continue;
        }
        size_t end = nl ? (size_t)(nl - B) + 1 : L;
        if (end == pos) { /* end of input */
            if (discard) {
                drop(s, pos, lines);
                return 0;
            }
            if (content || s->emitted == 0)
                return hand_out(s, out, pos, pos, lines, false);
            drop(s, pos, lines);
            return 0;
        }
        const char *lp = B + pos;
        size_t ln = end - pos;
        if (pos == 0 && s->at_file_start && ln >= 3 && memcmp(lp, "\xEF\xBB\xBF", 3) == 0) {
            lp += 3;
            ln -= 3;
        }
        /* inside a document only boundaries matter: blank, comment and
         * directive lines no longer change `content` */
        int kind = content && !discard ? boundary(lp, ln) : classify(lp, ln);
        if (discard) {
            /* dropping the rest of an oversized document */
            if (kind == L_START) {
                drop(s, pos, lines);
                pos = 0;
                lines = 0;
                discard = false;
                continue;
            }
            pos = end;
            lines += nl ? 1 : 0;
            if (kind == L_END) {
                drop(s, pos, lines);
                pos = 0;
                lines = 0;
                discard = false;
            } else if (pos > READ_CHUNK) {
                drop(s, pos, lines);
                pos = 0;
                lines = 0;
            }
            continue;
        }
        if (kind == L_START && content) {
            /* a new document starts here: hand out [0, pos) */
            return hand_out(s, out, pos, pos, lines, false);
        }
        if (kind == L_START || kind == L_CONTENT)
            content = true;
        pos = end;
        lines += nl ? 1 : 0;
        if (kind == L_END && content)
            return hand_out(s, out, pos, pos, lines, false);
        if (pos > VM_LIMIT_DOC_BYTES)
            return hand_out(s, out, VM_LIMIT_DOC_BYTES, pos, lines, true);
    }
}
#undef B
#undef L
