/*
 * cli.h (internal) - the command-line framework: the command and option
 * tables, the table-driven option parser, terminal decisions (colour,
 * width) and atomic output files.
 *
 * Adding a subcommand: write src/cli/cmd_<name>.c exporting one
 * `const vm_cmd cmd_<name>` (VM_COMMAND below; its option table ends with
 * a zeroed row), then list it in `vm_commands[]` in main.c. Help text
 * and the shell completions (`vmctr completion`) are generated from the
 * table, so describe each option there and nowhere else. Completions read
 * an option's `choices`, else its metavariable: FILE, DIR, FIELD=VALUE (a
 * profile field) and ID (a rule id) are completed; and the usage line: an
 * operand ID is a rule id, FILE/DIR are files, `a|b|c` are those words.
 *
 * Everything here may print and read the environment; src/lib may not.
 */
#ifndef VMCTR_CLI_H
#define VMCTR_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "vmctr/buf.h"
#include "vmctr/common.h"

#define VM_PROG "vmctr"

/* One option of a subcommand. A table of these ends with a row whose
 * `lng` and `shrt` are both zero. */
typedef struct {
    const char *lng;              /* long name without "--", or NULL */
    char shrt;                    /* short letter, or 0 */
    const char *arg;              /* metavariable ("FILE"); NULL = a flag */
    const char *help;             /* one line for --help */
    int id;                       /* returned by vm_opt_next; > 0, below VM_OPT_COMMON */
    bool repeat;                  /* may be given more than once */
    const char *const *choices;   /* NULL-terminated allowed values, or NULL */
} vm_opt;

/* Ids at and above this are the options every subcommand gets. */
#define VM_OPT_COMMON 1000

typedef enum { VM_COLOR_AUTO, VM_COLOR_ALWAYS, VM_COLOR_NEVER } vm_color_mode;

/* Per-invocation state handed to a subcommand (no globals). */
typedef struct vm_cli {
    const struct vm_cmd *cmd;     /* the command being run */
    vm_color_mode color;          /* from --color; AUTO when not given */
} vm_cli;

typedef struct vm_cmd {
    const char *name;             /* "validate" */
    const char *summary;          /* one line for `vmctr --help` */
    const char *usage;            /* after "vmctr NAME ": "[OPTIONS] FILE..." */
    const vm_opt *opts;           /* the command's own options (common ones are added) */
    int (*run)(vm_cli *cli, int argc, char **argv);  /* returns the exit code */
    const char *description;      /* paragraph(s) for --help; may be NULL */
    const char *examples;         /* lines for --help, "\n"-separated; may be NULL */
    bool subcommands;             /* `help CMD SUB` runs `CMD SUB --help` */
    /* A command with subcommands (`rules list`): each is a vm_cmd of its own
     * (same name, usage starting with its word), run by the parent's `run`.
     * Listed here so that tools reading the table (completions) see them. */
    const struct vm_cmd *const *subs;
    const char *const *sub_names;
    size_t nsubs;
} vm_cmd;

/* A command file's descriptor, by the conventions every cmd_<id>.c keeps:
 * `vmctr <id>` is `const vm_cmd cmd_<id>`, run by the file's `run` with its
 * option table `opts`. The remaining fields, from .summary on, follow as
 * designated initialisers:
 *     VM_COMMAND(scan, .summary = "...", .usage = "...", ...);
 */
#define VM_COMMAND(id, ...) const vm_cmd cmd_##id = {.name = #id, .opts = opts, .run = run, __VA_ARGS__}

/* A subcommand `vmctr <parent> <sub>` defined in its parent's file:
 * `cmd_<parent>_<sub>`, run by `run_<sub>` with the option table
 * `<sub>_opts`. */
#define VM_SUBCOMMAND(parent, sub, ...)                                                                     \
    static const vm_cmd cmd_##parent##_##sub = {                                                            \
        .name = #parent, .opts = sub##_opts, .run = run_##sub, __VA_ARGS__}

/* A command made of subcommands: no options of its own; the file's `subs`
 * and `sub_names` tables list them (as many names as subcommands: asserted) and its `run` hands argv to
 * vm_cmd_dispatch. */
#define VM_PARENT_COMMAND(id, ...)                                                                          \
    _Static_assert(sizeof sub_names / sizeof *sub_names == sizeof subs / sizeof *subs,                      \
                   "a name per subcommand");                                                                \
    const vm_cmd cmd_##id = {.name = #id, .opts = vm_no_opts, .run = run, .subcommands = true, .subs = subs,   \
                             .sub_names = sub_names, .nsubs = sizeof subs / sizeof *subs, __VA_ARGS__}

/* The command table (main.c), in `vmctr --help` order, and the options every
 * command has (opts.c, ending with a zeroed row). Completions are generated
 * from these (cmd_completion.c). */
extern const vm_cmd *const vm_commands[];
extern const size_t vm_ncommands;
extern const vm_opt vm_common_opts[];
/* An empty option table (opts.c), for commands without options of their own. */
extern const vm_opt vm_no_opts[];

/* ---- option parser (opts.c) -------------------------------------------
 *
 *     vm_optparse p;
 *     vm_opt_init(&p, cli, argc, argv);
 *     int c;
 *     while ((c = vm_opt_next(&p)) > 0)
 *         switch (c) { case OPT_FORMAT: fmt = p.arg; break; ... }
 *     if (c < 0)
 *         return p.status;          // --help printed (0) or usage error (2)
 *     // operands: p.pos[0 .. p.npos)
 *
 * Accepted forms: --opt=value, --opt value, -o value, -ovalue, clustered
 * flags (-vq), `--` ends options, `-` is an operand. Long names must match
 * exactly (no abbreviations, so adding an option never breaks a script).
 * Errors are printed as "vmctr CMD: ..." plus "Try 'vmctr help CMD'.".
 * The common options (-h/--help, --color=WHEN) are handled here. Operands
 * are collected in place in argv (no allocation).
 */
typedef struct {
    vm_cli *cli;
    int argc;
    char **argv;
    int i;              /* next argv index */
    const char *cluster;/* rest of a short-option cluster, or NULL */
    bool only_pos;      /* after `--` */
    const char *arg;    /* argument of the option just returned (NULL for flags) */
    char **pos;         /* operands, in order */
    int npos;
    int status;         /* when vm_opt_next returns -1: exit code */
    unsigned seen[4];   /* bit per option row, to refuse repeats */
} vm_optparse;

void vm_opt_init(vm_optparse *p, vm_cli *cli, int argc, char **argv);
/* Next option id (> 0), 0 when all arguments are consumed, -1 when the
 * command must return p->status now. */
int vm_opt_next(vm_optparse *p);
/* Prints "vmctr CMD: <msg>" and the "Try" line on stderr; returns 2. */
int vm_usage_error(const vm_cli *cli, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Writes the command's help (generated from its table) to `fp`. */
void vm_cmd_help(const vm_cmd *cmd, FILE *fp);
/* Runs the subcommand argv[1] of cli->cmd (its subs/sub_names table):
 * -h/--help prints the command's and every subcommand's help; a missing or
 * unknown name is a usage error naming `what` ("subcommand", "source"),
 * the choices and a did-you-mean. Returns the exit status. */
int vm_cmd_dispatch(vm_cli *cli, int argc, char **argv, const char *what);

/* ---- terminal (term.c) ------------------------------------------------- */

/* Whether to colour `fp`: --color always/never decide; otherwise
 * FORCE_COLOR (non-empty) turns it on, NO_COLOR (non-empty) off, TERM=dumb
 * off, and a stream that is not a terminal is never coloured. */
bool vm_term_color(const vm_cli *cli, FILE *fp);
/* Columns of the terminal behind `fp` (TIOCGWINSZ), else $COLUMNS, else 80;
 * clamped to 40..200. */
int vm_term_width(FILE *fp);
/* Whether the locale can show UTF-8 (score bars with block characters):
 * the first of LC_ALL, LC_CTYPE, LANG that is set names UTF-8. */
bool vm_term_unicode(void);
/* Whether GITHUB_ACTIONS=true: the runner then parses workflow commands in
 * what vmctr writes to stderr, so diagnostics are workflow-command escaped. */
bool vm_term_github(void);
/* Breaks lines of text longer than `width` at spaces, continuation lines
 * indented 4 more (for column layouts that do not wrap by themselves); a
 * word longer than the width is broken hard at the width. */
/* Help text: `text` wrapped at `width`, each line indented by `indent`
 * (first_done: the caller has written the first line's indent), a word
 * longer than a line broken hard (opts.c, as --help lays out). */
void vm_wrap_text(FILE *fp, const char *text, int indent, int width, bool first_done);
void vm_text_fit(const char *s, size_t n, int width, vm_buf *out);
/* vm_text_fit on out->data[from..] in place, when a line there is wider
 * than `width` (else nothing is copied); a scratch buffer that runs out of
 * memory sets out->oom, as every vm_buf writer does. */
void vm_text_fit_tail(vm_buf *out, size_t from, int width);
/* Parses a --color argument; false if not auto|always|never. */
bool vm_color_parse(const char *s, vm_color_mode *out);

/* ---- output files (output.c) -------------------------------------------
 *
 * `-o FILE` writes atomically: into a temporary file in FILE's directory,
 * then fsync and rename over FILE, so readers never see half a file and a
 * failed run leaves FILE as it was. NULL or "-" means stdout.
 */
typedef struct vm_out vm_out;

/* Opens the destination; prints the error and returns NULL on failure. */
vm_out *vm_out_open(const char *path);
FILE *vm_out_fp(vm_out *o);
/* Flushes, syncs and renames into place (or just flushes stdout). Frees o.
 * Returns 0, or 5 after printing the error (the temp file is removed). */
int vm_out_commit(vm_out *o);
/* Drops the output: removes the temp file, frees o. NULL is a no-op. */
void vm_out_abort(vm_out *o);
/* The whole of one output at once: vm_out_open, the len bytes of data
 * (NULL when len is 0), vm_out_commit. Returns 0, or 5 after printing the
 * error (FILE is then left as it was). */
int vm_out_write(const char *path, const char *data, size_t len);
/* A command's whole output, built in memory, to stdout (errors writing
 * it are main's to report); b is freed. A buffer that ran out of memory
 * is not written: "vmctr CMD: out of memory" and 5. */
int vm_print_buf(vm_buf *b, const char *cmd);
/* vm_out_write of a whole buffer, which it then frees; a buffer that ran
 * out of memory is not written (5, nothing printed: the caller says it). */
int vm_out_write_buf(const char *path, vm_buf *b);

/* A file-name slug of the len bytes at s into out: letters lowered,
 * [a-z0-9] kept, every run of anything else one '-' (none leading); at
 * most max bytes, not NUL-terminated. Returns its length. */
size_t vm_slug(const char *s, size_t len, char *out, size_t max);

/* `-o DIR/` (advise's ADRs, portfolio's site): when `output` ends in '/'
 * or names a directory, the directory (trailing slashes dropped) is made if
 * missing and written into dir (cap bytes). Returns 1 for a directory, 0
 * for a file or stdout, -1 after printing why it cannot be made. */
int vm_out_dir(const char *output, char *dir, size_t cap);

/* cJSON's allocation hooks (cjsonmem.c), installed once by main: afterwards
 * vm_cli_cjson_failures() counts the cJSON allocations that failed, so a
 * parse that returned NULL while it grew ran out of memory (exit 5), not
 * into bad JSON. */
void vm_cli_cjson_hooks(void);
unsigned vm_cli_cjson_failures(void);

/* Exit-code precedence when several things went wrong: the higher wins. */
static inline int vm_worst(int a, int b) { return a > b ? a : b; }

#endif
