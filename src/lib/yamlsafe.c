/*
 * yamlsafe.c - untrusted text into generated YAML (see yamlsafe.h).
 */
#include "yamlsafe.h"

#include <stdio.h>
#include <string.h>

#include "scalar.h"
#include "util/escape.h"

static bool word_ieq(const char *s, size_t n, const char *w)
{
    size_t i = 0;
    for (; i < n && w[i]; i++)
        if ((s[i] | 0x20) != w[i])
            return false;
    return i == n && !w[i];
}

bool vm_yaml_plain_safe(const char *s, size_t n)
{
    if (n == 0 || n > 200)
        return false;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_' || c == '.' || c == '/'))
            return false;
    }
    static const char *const reserved[] = {"null", "true", "false", "yes", "no", "on", "off", "y", "n"};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (word_ieq(s, n, reserved[i]))
            return false;
    return !vm_scalar_is_null(s, n, true);
}

/* The code points escape.h's terminal writer escapes (C0, DEL and
 * vm_cp_hostile's list): generated YAML is read on the same terminals and
 * CI logs. */
static bool needs_escape(uint32_t cp) { return cp < 0x20 || cp == 0x7f || vm_cp_hostile(cp); }

static void put_cp(vm_buf *b, uint32_t cp)
{
    char u[4];
    size_t k;
    if (cp < 0x80) {
        u[0] = (char)cp, k = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3f)), k = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f)), k = 3;
    } else {
        u[0] = (char)(0xf0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)), k = 4;
    }
    vm_buf_put(b, u, k);
}

static void escaped(vm_buf *b, const char *s, size_t n, size_t max, bool quotes)
{
    const unsigned char *p = (const unsigned char *)s;
    if (quotes)
        vm_buf_putc(b, '"');
    size_t i = 0;
    bool cut = false;
    while (i < n) {
        uint32_t cp;
        size_t k = vm_utf8_decode(p + i, n - i, &cp);
        if (k == 0) { /* not UTF-8: read the byte as Latin-1 */
            cp = p[i];
            k = 1;
        }
        if (max && i + k > max) {
            cut = true;
            break;
        }
        if (cp == '#' && (!max || i + 2 <= max) && vm_esc_ci_marker(s + i, n - i)) {
            /* "##[" and "##vso[": CI runners find them anywhere in a line
             * of the log the generated YAML is printed to (escape.h) */
            vm_buf_puts(b, "#\\x23");
            i += 2;
            continue;
        }
        switch (cp) {
        case '"': vm_buf_puts(b, quotes ? "\\\"" : "\""); break;
        case '\\': vm_buf_puts(b, "\\\\"); break;
        case '\n': vm_buf_puts(b, "\\n"); break;
        case '\t': vm_buf_puts(b, "\\t"); break;
        default:
            if (quotes && ((cp < 0x20 && cp != '\t') || cp == 0x7f)) {
                /* a profile refuses C0 controls and DEL in text (yevent.c):
                 * the value carries U+FFFD; the comment keeps the raw byte */
                vm_buf_puts(b, "\\ufffd");
            } else if (needs_escape(cp)) {
                if (cp < 0x100)
                    vm_buf_printf(b, "\\x%02x", (unsigned)cp);
                else
                    vm_buf_printf(b, "\\u%04x", (unsigned)cp);
            } else {
                put_cp(b, cp);
            }
        }
        i += k;
    }
    if (cut)
        vm_buf_puts(b, "...");
    if (quotes)
        vm_buf_putc(b, '"');
}

void vm_yaml_quoted(vm_buf *b, const char *s, size_t n, size_t max) { escaped(b, s, n, max, true); }

void vm_yaml_comment(vm_buf *b, const char *s, size_t n, size_t max) { escaped(b, s, n, max, false); }

void vm_yaml_scalar(vm_buf *b, const char *s, size_t n, size_t max)
{
    if ((!max || n <= max) && vm_yaml_plain_safe(s, n))
        vm_buf_put(b, s, n);
    else
        vm_yaml_quoted(b, s, n, max);
}

void vm_yaml_quoted_to(char *out, size_t cap, const char *s, size_t n)
{
    vm_buf b;
    vm_buf_init(&b);
    vm_yaml_quoted(&b, s, n, cap > 16 ? cap - 16 : 1);
    snprintf(out, cap, "%s", b.oom || !b.data ? "\"?\"" : b.data);
    vm_buf_free(&b);
}
