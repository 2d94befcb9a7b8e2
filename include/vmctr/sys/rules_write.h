/*
 * vmctr/sys/rules_write.h - a rule of a rule set written back out (not
 * installed; src/lib/rules_write.c).
 */
#ifndef VMCTR_SYS_RULES_WRITE_H
#define VMCTR_SYS_RULES_WRITE_H

#include "vmctr/buf.h"
#include "vmctr/rules.h"

/* Appends rule r in the rule-file format, preceded by a comment with where
 * it was defined, and followed by one with the profile fields it reads: a
 * document that loads back as the same rule. Out of memory sets b->oom. */
void vm_rule_write_yaml(const vm_rule *r, vm_buf *b);

/* Appends rule r as a pretty JSON object (two-space indentation, every
 * field, its condition, the fields it reads, its source): the `{` at the
 * cursor, its members indented as a value nested `depth` levels deep (0 at
 * the top). Out of memory sets b->oom. */
void vm_rule_write_json(const vm_rule *r, int depth, vm_buf *b);

#endif
