/*
 * rulesload.h (internal) - builds the rule set a command runs with: the
 * built-in rules embedded at build time, then every `*.yaml`/`*.yml` file
 * of `--rules DIR` (sorted by name), whose rules are added or replace a
 * built-in rule with the same id. Errors are printed compiler-style; the
 * return value is the exit code (0, 4 invalid rules, 5 I/O).
 */
#ifndef VMCTR_CLI_RULESLOAD_H
#define VMCTR_CLI_RULESLOAD_H

#include "cli.h"
#include "vmctr/rules.h"

/* The two option rows every command that evaluates profiles has. */
#define VM_OPT_RULES_ROWS(rules_id, no_builtin_id)                                                      \
    {"rules", 0, "DIR", "add the rules in DIR (*.yaml); a rule with a built-in id replaces it", (rules_id), \
     false, NULL},                                                                                          \
    {"no-builtin-rules", 0, NULL, "use only the rules of --rules DIR", (no_builtin_id), false, NULL}

typedef struct {
    const char *dir;      /* --rules DIR, or NULL */
    bool no_builtin;      /* --no-builtin-rules */
} vm_rules_opts;

int vm_cli_load_rules(const vm_cli *cli, const vm_rules_opts *o, vm_ruleset **out);
/* Adds the files of one directory (or one file) to rs, user rules. */
int vm_cli_add_rules_path(const vm_cli *cli, vm_ruleset *rs, const char *path, bool builtin, vm_diags *d);

/* Reads a whole file into a malloc'd buffer (*data, *len; not
 * NUL-terminated). Stops reading a little past `max` bytes, so that the
 * caller sees a length over its limit without reading an unbounded file.
 * Returns 0, or -1 with errno set. */
int vm_cli_read_file(const char *path, size_t max, char **data, size_t *len);

#endif
