/*
 * util/escape.h (internal) - the one neutralising layer per output medium.
 *
 * Every string that comes from outside the binary (profile and rule text,
 * waiver reasons, file names, inventory cells, libyaml's echo of a key) is
 * hostile: it may hold control characters, terminal escape sequences, bidi
 * overrides, invalid UTF-8 or markup of the medium it is written into.
 * Each writer below appends `n` bytes of `s` to `b` so that they are inert
 * in that medium; the fixed text a renderer writes around them is trusted.
 * `s` may be NULL when n is 0. All of them are total (any bytes in, valid
 * output out) and deterministic; on allocation failure the buffer's `oom`
 * is set as for every vm_buf writer. See docs/security.md.
 *
 * The visible escapes (terminal, GitHub, Markdown) are those `git` and `ls
 * -b` users read: \t \n \r for those three, \xHH for any other C0 control,
 * DEL and each byte of invalid UTF-8, and \uHHHH for C1 controls, bidi and
 * other invisible format characters (U+061C, U+200B-U+200F, U+2028-U+202E,
 * U+2060-U+2064, U+2066-U+2069, U+FEFF, U+FFF9-U+FFFB) and the
 * non-characters U+FFFE and U+FFFF. A backslash is left as it is.
 *
 * JSON strings and XML/HTML text are data formats: there invalid UTF-8 and
 * code points the format cannot carry become U+FFFD (in XML/HTML also the
 * C1, bidi and format code points above). JSON strings also
 * write the code points above as \uHHHH escapes (the same string, inert on
 * a terminal that shows the raw file). Both are printed to CI logs too, so
 * neither writes "##[" or "##vso[" whole (vm_esc_ci_marker): the second
 * '#' is \u0023 in JSON and &#35; in XML/HTML, which their readers decode
 * back to '#' (the same data, as with the code points above).
 */
#ifndef VMCTR_ESCAPE_H
#define VMCTR_ESCAPE_H

#include "util/buf.h"

/* Whether s[0..n) begins with a marker a CI runner finds anywhere in a line
 * of a job's log: "##[" (GitHub's older workflow commands; Azure Pipelines'
 * formatting commands such as ##[error] and ##[group]) or "##vso[" (Azure
 * Pipelines' logging commands, ##vso[task.setvariable ...]; any case). No
 * writer of this layer (the text writers below, JSON and XML/HTML in buf.h)
 * writes one whole: the second '#' is escaped. */
bool vm_esc_ci_marker(const char *s, size_t n);

/* Terminal text: printable UTF-8 as it is, everything that could move the
 * cursor, change colours, set the title, make a link, reorder the line or
 * start a new line visibly escaped. Output is one line. The second ':' of
 * "::" and the second '#' of "##[" and "##vso[" are written \x3a and \x23:
 * a wrapper may start a line with any word of the text, GitHub's runner
 * takes a line that starts (after blanks) with "::" for a workflow command,
 * and the markers of vm_esc_ci_marker() count anywhere in a line. */
void vm_esc_term(vm_buf *b, const char *s, size_t n);
void vm_esc_terms(vm_buf *b, const char *s); /* NUL-terminated; NULL is "" */

/* A GitHub Actions workflow command's message (`property` false) or
 * property value (`property` true): CR and LF as %0D and %0A (the runner
 * decodes them back inside the annotation), every other control character
 * as the terminal escape, '%' as %25, "##[" (the runner's older command form,
 * recognised anywhere in a line) as "#%23[", "##vso[" (Azure Pipelines) as
 * "#%23vso[" and, in a property, ':' as %3A
 * and ',' as %2C. Data written at the start of a line in a stream GitHub parses
 * (stdout of --format github, stderr when GITHUB_ACTIONS=true) must be
 * written as a property so that it cannot begin with "::". */
void vm_esc_gh(vm_buf *b, const char *s, size_t n, bool property);

/* Markdown inline text that may also stand at the start of a line: the
 * visible escapes above, backslash before every character with inline
 * meaning (\ ` * _ [ ] | ~), &lt; &gt; &amp; for < > &, newlines as spaces,
 * and, when written at the start of a line (b is empty or ends with '\n'),
 * leading blanks and newlines dropped and a block marker (# - + = : * _ |
 * ` ~, or digits then . or )) backslash-escaped, so the text stays inside
 * its paragraph, list item or table cell. ('[' is always escaped, so
 * "##[" and "##vso[" never stand whole either.) */
void vm_esc_md(vm_buf *b, const char *s, size_t n);
void vm_esc_mds(vm_buf *b, const char *s);

/* One CSV cell (RFC 4180): quoted when it holds ',' or '"', quotes
 * doubled; a cell that begins with '=', '+', '-', '@', tab or CR gets a
 * leading apostrophe (OWASP CSV injection) so spreadsheets read it as text;
 * control characters, invalid UTF-8 and the hostile code points are the
 * visible escapes above (so a cell never spans lines), and "::", "##[" and
 * "##vso[" are written as by vm_esc_term (a row's first cell starts a line
 * of a CI log). Renderers write numbers themselves, so negative numbers are
 * unaffected. */
void vm_esc_csv(vm_buf *b, const char *s, size_t n);
void vm_esc_csvs(vm_buf *b, const char *s);

/* Code points a terminal (or a browser's bidi algorithm) acts on instead of
 * showing: C1 controls, bidi and invisible format characters, line and
 * paragraph separators, the byte-order mark, interlinear annotation and
 * U+FFFE/U+FFFF. Every writer that escapes them asks this one list. */
bool vm_cp_hostile(uint32_t cp);

/* Length of the valid UTF-8 sequence at s[0..n) (1-4), or 0 when the bytes
 * there are not one (overlong forms, surrogates and values past U+10FFFF
 * are invalid). *cp receives the code point. n must be at least 1. */
size_t vm_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* True when s[0..n) is valid UTF-8 with no C0 control other than tab, LF
 * and CR, no DEL and no C1 control: text a report may carry. */
bool vm_text_clean(const char *s, size_t n);

#endif
