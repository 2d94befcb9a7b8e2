/*
 * escape.c - the neutralising writers of every output medium (see
 * vmctr/escape.h): terminal, GitHub workflow commands, Markdown, CSV, and
 * the JSON string and XML text escapes of buf.h. Each one decodes UTF-8
 * the same way (vm_utf8_decode) and has an ASCII fast path: the bytes that
 * need no attention are copied in runs.
 */
#include "util/escape.h"

#include <string.h>

static const char hexd[] = "0123456789abcdef";

size_t vm_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, v = c & 0x1Fu, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, v = c & 0x0Fu, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, v = c & 0x07u, min = 0x10000;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* Code points a terminal (or a browser's bidi algorithm) acts on instead
 * of showing: C1 controls, bidi and invisible format characters, line and
 * paragraph separators, the byte-order mark, interlinear annotation and the
 * non-characters U+FFFE/U+FFFF. */
bool vm_cp_hostile(uint32_t c)
{
    return (c >= 0x80 && c <= 0x9F) || c == 0x061C || (c >= 0x200B && c <= 0x200F) ||
           (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) ||
           c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB) || c == 0xFFFE || c == 0xFFFF;
}

/*
 * The unit at s[i]: returns its length and writes into esc the visible
 * escape it needs (NUL-terminated), or "" when it passes as it is.
 */
static size_t term_unit(const unsigned char *s, size_t n, char esc[8])
{
    unsigned char c = s[0];
    esc[0] = '\0';
    if (c >= 0x20 && c < 0x7F)
        return 1;
    if (c < 0x80) {
        esc[0] = '\\';
        switch (c) {
        case '\t': esc[1] = 't', esc[2] = '\0'; break;
        case '\n': esc[1] = 'n', esc[2] = '\0'; break;
        case '\r': esc[1] = 'r', esc[2] = '\0'; break;
        default: esc[1] = 'x', esc[2] = hexd[c >> 4], esc[3] = hexd[c & 15], esc[4] = '\0';
        }
        return 1;
    }
    uint32_t cp;
    size_t len = vm_utf8_decode(s, n, &cp);
    if (!len) {
        esc[0] = '\\', esc[1] = 'x', esc[2] = hexd[c >> 4], esc[3] = hexd[c & 15], esc[4] = '\0';
        return 1;
    }
    if (vm_cp_hostile(cp)) {
        esc[0] = '\\', esc[1] = 'u';
        for (int k = 0; k < 4; k++)
            esc[2 + k] = hexd[(cp >> (12 - 4 * k)) & 15];
        esc[6] = '\0';
    }
    return len;
}

bool vm_esc_ci_marker(const char *s, size_t n)
{
    if (n < 3 || s[0] != '#' || s[1] != '#')
        return false;
    if (s[2] == '[')
        return true;
    return n >= 6 && (s[2] | 0x20) == 'v' && (s[3] | 0x20) == 's' && (s[4] | 0x20) == 'o' && s[5] == '[';
}

/* The replacement of the unit at s (n bytes left): NULL to keep it as it
 * is; *len is its length (1 unless set), esc a buffer for the escape. */
typedef const char *esc_unit_fn(const char *s, size_t n, size_t *len, char esc[8]);

/* The walk every visible escape shares: the kept runs copied whole, each
 * replaced unit written as its replacement. */
static void esc_walk(vm_buf *b, const char *s, size_t n, esc_unit_fn *unit)
{
    size_t start = 0, i = 0;
    char esc[8];
    while (i < n) {
        size_t len = 1;
        const char *rep = unit(s + i, n - i, &len, esc);
        if (rep) {
            vm_buf_put(b, s + start, i - start);
            vm_buf_puts(b, rep);
            start = i + len;
        }
        i += len;
    }
    vm_buf_put(b, s + start, n - start);
}

/* A control or hostile unit as term_unit shows it, NULL when it passes. */
static const char *term_rep(const char *s, size_t n, size_t *len, char esc[8])
{
    *len = term_unit((const unsigned char *)s, n, esc);
    return esc[0] ? esc : NULL;
}

static const char *term_esc(const char *s, size_t n, size_t *len, char esc[8])
{
    /* "::" starts GitHub's workflow command on a line whose first
     * non-blank characters they are (the runner trims leading blanks),
     * and a wrapper may put any word of this text first on a line;
     * "##[" and "##vso[" are found anywhere in a line (GitHub's older
     * commands, Azure Pipelines' logging and formatting commands). None
     * is ever written whole. */
    if ((s[0] == ':' && n > 1 && s[1] == ':') || (s[0] == '#' && vm_esc_ci_marker(s, n))) {
        *len = 2;
        return s[0] == ':' ? ":\\x3a" : "#\\x23";
    }
    if ((unsigned char)s[0] >= 0x20 && (unsigned char)s[0] < 0x7F)
        return NULL;
    return term_rep(s, n, len, esc);
}

void vm_esc_term(vm_buf *b, const char *s, size_t n) { esc_walk(b, s, n, term_esc); }

void vm_esc_terms(vm_buf *b, const char *s)
{
    if (s)
        vm_esc_term(b, s, strlen(s));
}

static void gh_byte(vm_buf *b, char c, bool property)
{
    if (c == '%')
        vm_buf_put(b, "%25", 3);
    else if (property && c == ':')
        vm_buf_put(b, "%3A", 3);
    else if (property && c == ',')
        vm_buf_put(b, "%2C", 3);
    else
        vm_buf_putc(b, c);
}

void vm_esc_gh(vm_buf *b, const char *s, size_t n, bool property)
{
    const unsigned char *u = (const unsigned char *)s;
    char esc[8];
    for (size_t i = 0; i < n;) {
        size_t len = term_unit(u + i, n - i, esc);
        if (s[i] == '\n' || s[i] == '\r')
            vm_buf_put(b, s[i] == '\n' ? "%0A" : "%0D", 3); /* the runner decodes these */
        else if (esc[0])
            vm_buf_puts(b, esc); /* \, letters and digits: nothing to encode */
        else if (s[i] == '#' && vm_esc_ci_marker(s + i, n - i))
            vm_buf_put(b, "#%23", 4), len = 2; /* "##[command]" (v1), Azure's "##vso[" */
        else
            for (size_t k = 0; k < len; k++)
                gh_byte(b, s[i + k], property);
        i += len;
    }
}

/* Starts a Markdown block when first on a line: ATX headings, lists,
 * setext underlines and thematic breaks, fences (` and ~ are always
 * escaped), tables, definition-like ':' lines. ('>' of a block quote is
 * always written as &gt;.) */
static bool md_block_char(char c) { return c && strchr("#-+=:*_|`~", c) != NULL; }

static const char *md_esc(const char *s, size_t n, size_t *len, char esc[8])
{
    switch (s[0]) {
    case '\\': return "\\\\";
    case '`': return "\\`";
    case '*': return "\\*";
    case '_': return "\\_";
    case '[': return "\\[";
    case ']': return "\\]";
    case '|': return "\\|";
    case '~': return "\\~";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '&': return "&amp;";
    case '\n':
    case '\r': return " "; /* one line: a newline could start a block */
    default:
        if ((unsigned char)s[0] >= 0x20 && (unsigned char)s[0] < 0x7F)
            return NULL;
        return term_rep(s, n, len, esc);
    }
}

void vm_esc_md(vm_buf *b, const char *s, size_t n)
{
    if (!s)
        return;
    if (b->len == 0 || b->data[b->len - 1] == '\n') {
        while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
            s++;
            n--;
        }
        if (n && md_block_char(*s)) {
            vm_buf_putc(b, '\\');
            vm_buf_putc(b, *s);
            s++;
            n--;
        } else {
            /* an ordered list item: digits then '.' or ')' */
            size_t d = 0;
            while (d < n && d < 10 && s[d] >= '0' && s[d] <= '9')
                d++;
            if (d && d < n && (s[d] == '.' || s[d] == ')')) {
                vm_buf_put(b, s, d);
                vm_buf_putc(b, '\\');
                vm_buf_putc(b, s[d]);
                s += d + 1;
                n -= d + 1;
            }
        }
    }
    esc_walk(b, s, n, md_esc);
}

void vm_esc_mds(vm_buf *b, const char *s)
{
    if (s)
        vm_esc_md(b, s, strlen(s));
}

/* A quote doubled; the rest as vm_esc_term. */
static const char *csv_esc(const char *s, size_t n, size_t *len, char esc[8])
{
    return s[0] == '"' ? "\"\"" : term_esc(s, n, len, esc);
}

void vm_esc_csv(vm_buf *b, const char *s, size_t n)
{
    if (!s)
        return;
    bool formula = n && s[0] != '\0' && strchr("=+-@\t\r", s[0]);
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"';
    if (quote)
        vm_buf_putc(b, '"');
    if (formula)
        vm_buf_putc(b, '\'');
    /* control characters as the terminal shows them: a CSV file is read
     * with `cat` and in CI logs too, and a cell stays on its line; so are
     * "::", "##[" and "##vso[" (the first cell of a row starts a line) */
    esc_walk(b, s, n, csv_esc);
    if (quote)
        vm_buf_putc(b, '"');
}

void vm_esc_csvs(vm_buf *b, const char *s)
{
    if (s)
        vm_esc_csv(b, s, strlen(s));
}

bool vm_text_clean(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
                return false;
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = vm_utf8_decode(u + i, n - i, &cp);
        if (!len || vm_cp_hostile(cp))
            return false;
        i += len;
    }
    return true;
}

/* ---- JSON and XML (declared in buf.h) ---------------------------------------- */

/* 1 for bytes that need escaping in a JSON string (DEL too, as \u007f:
 * terminals act on it), 2 for the lead of a
 * non-ASCII sequence (checked, invalid UTF-8 becomes U+FFFD), 3 for '#'
 * (checked: the start of a CI log command marker?). A string without any
 * of them is copied by the first loop of vm_buf_json_strn in one go. */
static const unsigned char json_esc[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

void vm_buf_json_strn(vm_buf *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = 0;
    while (k < n && !json_esc[u[k]])
        k++;
    if (!vm_buf_reserve(b, n + 2))
        return;
    b->data[b->len++] = '"';
    memcpy(b->data + b->len, s, k);
    b->len += k;
    b->data[b->len] = '\0';
    if (k == n) {
        b->data[b->len++] = '"';
        b->data[b->len] = '\0';
        return;
    }
    size_t start = k;
    for (size_t i = k; i < n;) {
        unsigned char c = u[i];
        if (!json_esc[c]) {
            i++;
            continue;
        }
        if (json_esc[c] == 3) {
            if (!vm_esc_ci_marker(s + i, n - i)) {
                i++;
                continue;
            }
            /* "##[", "##vso[": the second '#' as \u0023, which every
             * reader decodes back to '#' (escape.h) */
            vm_buf_put(b, s + start, i + 1 - start);
            vm_buf_put(b, "\\u0023", 6);
            i += 2;
            start = i;
            continue;
        }
        if (json_esc[c] == 2) {
            uint32_t cp;
            size_t len = vm_utf8_decode(u + i, n - i, &cp);
            if (len && !vm_cp_hostile(cp)) {
                i += len;
                continue;
            }
            if (len) { /* C1, bidi, U+2028: the same string, inert when shown */
                vm_buf_put(b, s + start, i - start);
                char e[6] = {'\\', 'u', hexd[cp >> 12], hexd[(cp >> 8) & 15], hexd[(cp >> 4) & 15], hexd[cp & 15]};
                vm_buf_put(b, e, 6);
                i += len;
                start = i;
                continue;
            }
        }
        vm_buf_put(b, s + start, i - start);
        start = i + 1;
        switch (c) {
        case '"': vm_buf_put(b, "\\\"", 2); break;
        case '\\': vm_buf_put(b, "\\\\", 2); break;
        case '\n': vm_buf_put(b, "\\n", 2); break;
        case '\r': vm_buf_put(b, "\\r", 2); break;
        case '\t': vm_buf_put(b, "\\t", 2); break;
        default:
            if (c >= 0x80) {
                vm_buf_put(b, "\\ufffd", 6);
            } else {
                char e[6] = {'\\', 'u', '0', '0', hexd[c >> 4], hexd[c & 15]};
                vm_buf_put(b, e, 6);
            }
        }
        i++;
    }
    vm_buf_put(b, s + start, n - start);
    vm_buf_putc(b, '"');
}

void vm_buf_json_str(vm_buf *b, const char *s)
{
    if (!s) {
        vm_buf_put(b, "null", 4);
        return;
    }
    vm_buf_json_strn(b, s, strlen(s));
}

/* XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
 * [#x10000-#x10FFFF]. Everything else, invalid UTF-8 and the code points
 * vm_cp_hostile() names (C1 controls are parse errors in HTML; bidi overrides
 * reorder what a reviewer reads) become U+FFFD. */
static const char *xml_esc(const char *s, size_t n, size_t *len, char esc[8])
{
    (void)n, (void)esc;
    unsigned char c = (unsigned char)s[0];
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    case '#':
        /* "##[", "##vso[": the second '#' as &#35;, read back as '#' */
        if (!vm_esc_ci_marker(s, strnlen(s, 6)))
            return NULL;
        *len = 2;
        return "#&#35;";
    default:
        /* line breaks as references: the same text to every parser
         * (in an attribute a raw one would become a space), and no
         * line of the file begins with data, so "::error" after a
         * newline never starts a line of a CI log */
        if (c == '\n')
            return "&#10;";
        if (c == '\r')
            return "&#13;";
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return "\xEF\xBF\xBD";
        if (c >= 0x80) {
            uint32_t cp;
            *len = vm_utf8_decode((const unsigned char *)s, strnlen(s, 4), &cp);
            if (!*len) {
                *len = 1;
                return "\xEF\xBF\xBD";
            }
            if (vm_cp_hostile(cp))
                return "\xEF\xBF\xBD";
        }
        return NULL;
    }
}

void vm_buf_xml(vm_buf *b, const char *s)
{
    if (s)
        esc_walk(b, s, strlen(s), xml_esc);
}
