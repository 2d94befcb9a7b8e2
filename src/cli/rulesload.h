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
#include "util/fs.h"

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

/* Reads a whole file: vm_read_file (util/fs.h), at most max + 1 bytes, so
 * that the caller sees a length over its limit without reading an
 * unbounded file. Returns 0, or -1 with errno set. */
#define vm_cli_read_file vm_read_file

/* The rule files of a directory, as --rules DIR, `rules lint DIR` and
 * `rules test DIR` take them: its `*.yaml` and `*.yml` entries not starting
 * with '.', regular files only (anything else is skipped with a warning),
 * not searched recursively, sorted bytewise. A failure to read the directory
 * is printed ("vmctr: DIR: reason"). Returns 0, or 5 when the directory
 * could not be read completely or memory ran out (*out then empty). */
int vm_cli_rule_files(const char *dir, vm_pathlist *out);

#endif
