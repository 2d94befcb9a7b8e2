/*
 * yamlsafe.h (internal) - writing untrusted text (inventory cells, file
 * names, repository lines) into generated YAML: as a scalar that reads
 * back as the same string, or as quoted text inside a comment that cannot
 * end the comment. Both neutralise the same way: control characters, DEL,
 * C1 controls and the bidi and invisible format characters escape.h's
 * terminal writer escapes (U+061C, U+200B..U+200F, U+2028..U+202E,
 * U+2060..U+2064, U+2066..U+2069, U+FEFF, U+FFF9..U+FFFB, U+FFFE, U+FFFF)
 * become escapes, and so does the second '#' of "##[" and "##vso[" (\x23:
 * CI log command markers, escape.h), except that in a
 * scalar the C0 controls other than tab and line feed, and DEL, become
 * U+FFFD (profiles refuse them: see yevent.c); a byte that is not
 * valid UTF-8 is read as Latin-1 (what European spreadsheet exports
 * usually are); text longer than `max` bytes is cut at a character
 * boundary and ends with "...".
 */
#ifndef VMCTR_YAMLSAFE_H
#define VMCTR_YAMLSAFE_H

#include "util/buf.h"

/* True when s (n bytes) reads back as the same string written plain:
 * [A-Za-z][A-Za-z0-9._/-]*, at most 200 bytes, not a YAML 1.1/1.2 keyword
 * (null, true, yes, off, ~ ...). */
bool vm_yaml_plain_safe(const char *s, size_t n);
/* A scalar: plain when that is unambiguous ([A-Za-z][A-Za-z0-9._/-]*, not
 * a YAML 1.1/1.2 keyword), else double-quoted with escapes. */
void vm_yaml_scalar(vm_buf *b, const char *s, size_t n, size_t max);
/* Always double-quoted with escapes (for comments and messages). */
void vm_yaml_quoted(vm_buf *b, const char *s, size_t n, size_t max);
/* The same escapes without the quotes: text inside a comment. */
void vm_yaml_comment(vm_buf *b, const char *s, size_t n, size_t max);
/* The same into a fixed buffer (for diagnostics); always NUL-terminated. */
void vm_yaml_quoted_to(char *out, size_t cap, const char *s, size_t n);

#endif
