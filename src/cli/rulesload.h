/*
 * rulesload.h (internal) - builds the rule set a command runs with: the
 * built-in rules embedded at build time, then every `*.yaml`/`*.yml` rule
 * file of `--rules DIR` (sorted by name; vmctr YAML of another kind is
 * passed by, vm_cli_not_rules), whose rules are added or replace a
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
/* The same, saying why it failed: "vmctr: PATH: reason" on stderr. Returns
 * 0, or 5 (VM_EIO) after the message; *data as vm_read_file. */
int vm_cli_read_input(const char *path, size_t max, char **data, size_t *len);

/* Parses the text of one file for vm_cli_parse_file: a loader of the
 * library (vm_ruleset_add, vm_config_parse, ...) with its arguments in ctx. */
typedef vm_status (*vm_cli_parse_fn)(void *ctx, const char *path, const char *data, size_t len, vm_diags *d);
/* Loads one file the way every file the CLI parses is loaded: d cleared,
 * the file read (at most max + 1 bytes; a failure printed, 5), parsed by
 * parse, its diagnostics printed. Returns parse's status, or VM_EIO. */
int vm_cli_parse_file(const vm_cli *cli, const char *path, size_t max, vm_cli_parse_fn parse, void *ctx,
                      vm_diags *d);

/* The rule files of a directory, as --rules DIR and `rules lint DIR` take
 * them: its `*.yaml` and `*.yml` entries not starting
 * with '.', regular files only (anything else is skipped with a warning),
 * not searched recursively, sorted bytewise. A failure to read the directory
 * is printed ("vmctr: DIR: reason"). Returns 0, or 5 when the directory
 * could not be read completely or memory ran out (*out then empty). */
int vm_cli_rule_files(const char *dir, vm_pathlist *out);

/* Whether a file found in a directory of rules (--rules DIR, `rules lint
 * DIR`, `rules test DIR`) is passed by instead of loaded as a rule file:
 * its first non-empty document is vmctr YAML of another kind than RuleSet
 * (a WorkloadProfile a rule test names, a RuleTest beside the rules,
 * waivers, a config, an inventory map), as vm_doc_kind reads it.
 * Anything else, foreign or unreadable YAML included, is loaded, and the
 * loader says what is wrong with it. A file named as an operand is always
 * loaded. */
bool vm_cli_not_rules(const char *data, size_t len);

#endif
