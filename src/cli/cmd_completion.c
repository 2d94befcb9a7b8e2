/*
 * cmd_completion.c - `vmctr completion bash|zsh|fish`: shell completion
 * scripts generated from the command table (main.c) and the option tables
 * that --help is generated from (opts.c), so they cannot drift: a command or
 * option added to a table is completed without touching this file.
 *
 * What is completed, and where it comes from:
 *   - commands, `help COMMAND`, subcommands (vm_cmd.subs: `rules list` ...);
 *   - every option of every (sub)command, common ones included;
 *   - option values: an option's `choices`; otherwise its metavariable says
 *     what it takes: FILE (files), DIR (directories), FIELD=VALUE (profile
 *     field paths from the field table, then that field's values);
 *   - operands, from the command's usage line: a usage naming ID takes a
 *     built-in rule id, one naming FILE or DIR takes files, and one whose
 *     first operand is `a|b|c` takes those words.
 * Nothing else is guessed: a metavariable not named above (N, X, GLOB ...)
 * gets no candidates. The scripts are deterministic (same binary, same
 * bytes) and embed the built-in rule ids; rules of --rules DIR are not
 * known to them.
 */
#include "cli.h"

#include <string.h>

#include "util/buf.h"
#include "vmctr/sys/builtin.h"
#include "vmctr/field.h"

enum { OPT_NONE = 0 };

/* none of its own: the shell is the operand */
static const vm_opt opts[] = {{0}};

static const char *const shells[] = {"bash", "zsh", "fish", NULL};

/* ---- what a value or operand takes -------------------------------------- */

typedef enum { K_NONE, K_CHOICES, K_FILE, K_DIR, K_ASSIGN, K_RULE } kind;

static bool has_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = strstr(s, w); p; p = strstr(p + 1, w)) {
        bool left = p == s || !((p[-1] >= 'A' && p[-1] <= 'Z') || p[-1] == '_');
        bool right = !((p[n] >= 'A' && p[n] <= 'Z') || p[n] == '_');
        if (left && right)
            return true;
    }
    return false;
}

static kind opt_kind(const vm_opt *o)
{
    if (!o->arg)
        return K_NONE;
    if (o->choices)
        return K_CHOICES;
    if (strcmp(o->arg, "FIELD=VALUE") == 0)
        return K_ASSIGN;
    if (has_word(o->arg, "FILE"))
        return K_FILE;
    if (has_word(o->arg, "DIR"))
        return K_DIR;
    if (has_word(o->arg, "ID"))
        return K_RULE;
    return K_NONE;
}

/* The operand part of a usage line: after the subcommand's own word. */
static const char *operands(const vm_cmd *c, bool is_sub)
{
    const char *u = c->usage ? c->usage : "";
    if (is_sub) {
        const char *sp = strchr(u, ' ');
        u = sp ? sp + 1 : "";
    }
    return u;
}

/* Operand words of a usage whose first operand is "a|b|c": copied into
 * buf as "a b c"; false when the usage has no such operand. */
static bool operand_words(const char *u, char *buf, size_t cap)
{
    while (*u) {
        while (*u == ' ')
            u++;
        const char *e = u;
        while (*e && *e != ' ')
            e++;
        if (*u == '[' || *u == '-' || e == u) {
            u = e;
            continue;
        }
        size_t n = (size_t)(e - u);
        bool ok = n < cap && memchr(u, '|', n) != NULL;
        for (size_t i = 0; ok && i < n; i++)
            ok = (u[i] >= 'a' && u[i] <= 'z') || (u[i] >= '0' && u[i] <= '9') || u[i] == '-' || u[i] == '|';
        if (!ok)
            return false;
        for (size_t i = 0; i < n; i++)
            buf[i] = u[i] == '|' ? ' ' : u[i];
        buf[n] = '\0';
        return true;
    }
    return false;
}

static kind operand_kind(const vm_cmd *c, bool is_sub, char *words, size_t cap)
{
    const char *u = operands(c, is_sub);
    if (has_word(u, "ID"))
        return K_RULE;
    if (has_word(u, "FILE") || has_word(u, "DIR") || strstr(u, ".yaml"))
        return K_FILE;
    if (operand_words(u, words, cap))
        return K_CHOICES;
    return K_NONE;
}

/* ---- the (sub)commands, in table order ----------------------------------- */

typedef struct {
    const vm_cmd *cmd;
    const char *word;     /* "advise", or the subcommand's word "show" */
    const vm_cmd *parent; /* NULL for a command */
} entry;

#define MAX_ENTRIES 128

static size_t entries(entry *e)
{
    size_t n = 0;
    for (size_t i = 0; i < vm_ncommands && n < MAX_ENTRIES; i++) {
        const vm_cmd *c = vm_commands[i];
        e[n++] = (entry){c, c->name, NULL};
        for (size_t s = 0; s < c->nsubs && n < MAX_ENTRIES; s++)
            e[n++] = (entry){c->subs[s], c->sub_names[s], c};
    }
    return n;
}

/* Calls f for the entry's own options, then the common ones. */
#define FOR_OPTS(cmd, o)                                                                          \
    for (int pass_ = 0; pass_ < 2; pass_++)                                                       \
        for (const vm_opt *o = pass_ ? vm_common_opts : ((cmd)->opts ? (cmd)->opts : vm_no_opts); \
             o->lng || o->shrt; o++)

/* ---- quoting --------------------------------------------------------------- */

/* 'text' for sh-like shells (bash, zsh): ' becomes '\''. Newlines and tabs
 * become spaces (descriptions are one line). */
static void sq(vm_buf *b, const char *s)
{
    vm_buf_puts(b, "'");
    for (; *s; s++) {
        if (*s == '\'')
            vm_buf_puts(b, "'\\''");
        else if (*s == '\n' || *s == '\t' || *s == '\r')
            vm_buf_puts(b, " ");
        else
            vm_buf_put(b, s, 1);
    }
    vm_buf_puts(b, "'");
}

/* 'text' for fish: inside single quotes only \ and ' are special. */
static void fq(vm_buf *b, const char *s)
{
    vm_buf_puts(b, "'");
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\')
            vm_buf_put(b, "\\", 1);
        if (*s == '\n' || *s == '\t' || *s == '\r')
            vm_buf_puts(b, " ");
        else
            vm_buf_put(b, s, 1);
    }
    vm_buf_puts(b, "'");
}

/* zsh _describe entries are NAME:DESCRIPTION; a ':' in NAME is escaped. */
static void zdesc(vm_buf *b, const char *name, const char *desc)
{
    vm_buf b2;
    vm_buf_init(&b2);
    for (const char *s = name; *s; s++) {
        if (*s == ':')
            vm_buf_put(&b2, "\\", 1);
        vm_buf_put(&b2, s, 1);
    }
    vm_buf_puts(&b2, ":");
    vm_buf_puts(&b2, desc ? desc : "");
    vm_buf_puts(&b2, "");
    if (b2.oom)
        b->oom = true;
    else
        sq(b, b2.data);
    vm_buf_free(&b2);
}

/* ---- the lists every shell embeds ---------------------------------------- */

/* Spec field paths as --what-if/--set take them ("workload.os"). */
static const char *field_path(int id) { return vm_field(id)->path + 5; }

#define FIRST_SPEC_FIELD (VM_F_META_LABELS + 1)

/* Calls emit(b, "workload.os=linux") for every value a field can be set to
 * that can be listed: enum values, true/false, small integer ranges. */
static void each_pair(vm_buf *b, void (*emit)(vm_buf *, const char *))
{
    char tmp[160];
    for (int id = FIRST_SPEC_FIELD; id < VM_FIELD_COUNT; id++) {
        const vm_field_def *f = vm_field(id);
        const char *p = field_path(id);
        switch (f->type) {
        case VM_T_ENUM:
        case VM_T_ENUM_LIST:
            for (int v = 0; v < f->nvalues; v++) {
                snprintf(tmp, sizeof tmp, "%s=%s", p, f->values[v]);
                emit(b, tmp);
            }
            break;
        case VM_T_BOOL:
            snprintf(tmp, sizeof tmp, "%s=true", p);
            emit(b, tmp);
            snprintf(tmp, sizeof tmp, "%s=false", p);
            emit(b, tmp);
            break;
        case VM_T_INT:
            if (f->max - f->min <= 10)
                for (int64_t v = f->min; v <= f->max; v++) {
                    snprintf(tmp, sizeof tmp, "%s=%lld", p, (long long)v);
                    emit(b, tmp);
                }
            break;
        default: break;
        }
    }
}

static void each_field(vm_buf *b, void (*emit)(vm_buf *, const char *))
{
    char tmp[160];
    for (int id = FIRST_SPEC_FIELD; id < VM_FIELD_COUNT; id++) {
        snprintf(tmp, sizeof tmp, "%s=", field_path(id));
        emit(b, tmp);
    }
}

static void each_rule(vm_buf *b, void (*emit)(vm_buf *, const char *))
{
    for (size_t i = 0; i < vm_builtin_compiled.count; i++)
        emit(b, vm_builtin_compiled.rules[i].id);
}

static void emit_sq_line(vm_buf *b, const char *s)
{
    vm_buf_puts(b, "    ");
    sq(b, s);
    vm_buf_puts(b, "\n");
}

static void emit_fq_word(vm_buf *b, const char *s)
{
    vm_buf_puts(b, " ");
    fq(b, s);
}

/* Space-separated words of a NULL-terminated list, each quoted by q. */
static void words(vm_buf *b, const char *const *list, void (*q)(vm_buf *, const char *))
{
    for (size_t i = 0; list[i]; i++) {
        vm_buf_puts(b, " ");
        q(b, list[i]);
    }
}

/* "a b c" (operand words) split into a quoted list. */
static void split_words(vm_buf *b, const char *s, void (*q)(vm_buf *, const char *))
{
    char w[64];
    while (*s) {
        size_t n = strcspn(s, " ");
        if (n && n < sizeof w) {
            memcpy(w, s, n);
            w[n] = '\0';
            vm_buf_puts(b, " ");
            q(b, w);
        }
        s += n;
        while (*s == ' ')
            s++;
    }
}

static void header(vm_buf *b, const char *shell, const char *install)
{
    vm_buf_printf(b,
                  "# %s completion for vmctr, generated by 'vmctr completion %s' (vmctr %s)\n"
                  "# from the command and option tables that --help is generated from.\n"
                  "# Install: %s\n",
                  shell, shell, VMCTR_VERSION, install);
}

/* ---- bash and zsh: case patterns ------------------------------------------ */

/* An entry's case pattern: `    cmd)` or `    'cmd sub')`. */
static void case_label(vm_buf *b, const entry *e)
{
    if (e->parent)
        vm_buf_printf(b, "    '%s %s')\n", e->parent->name, e->word);
    else
        vm_buf_printf(b, "    %s)\n", e->word);
}

/* An option's case pattern: `        --long|-s) `. */
static void opt_pattern(vm_buf *b, const vm_opt *o)
{
    vm_buf_puts(b, "        ");
    if (o->lng)
        vm_buf_printf(b, "--%s", o->lng);
    if (o->lng && o->shrt)
        vm_buf_puts(b, "|");
    if (o->shrt)
        vm_buf_printf(b, "-%c", o->shrt);
    vm_buf_puts(b, ") ");
}

/* The commands (not subcommands), each after a space. */
static void top_words(vm_buf *b, const entry *all, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!all[i].parent)
            vm_buf_printf(b, " %s", all[i].word);
}

/* The arrays of field paths, FIELD=VALUE pairs and rule ids that bash
 * and zsh complete from. */
static void sh_arrays(vm_buf *b)
{
    vm_buf_puts(b, "\n_vmctr_fields=(\n");
    each_field(b, emit_sq_line);
    vm_buf_puts(b, ")\n_vmctr_pairs=(\n");
    each_pair(b, emit_sq_line);
    vm_buf_puts(b, ")\n_vmctr_rules=(\n");
    each_rule(b, emit_sq_line);
}

/* The loop (bash and zsh alike) that finds the command and subcommand
 * among the words ${ARR[i]} for FROM <= i < TO, options skipped. */
static void scan_words(vm_buf *b, const entry *all, size_t n, const char *from, const char *to, const char *arr)
{
    vm_buf_printf(b,
                  "    for (( i = %s; i < %s; i++ )); do\n"
                  "        [[ ${%s[i]} == -* ]] && continue\n"
                  "        if [[ -z $cmd ]]; then\n"
                  "            cmd=${%s[i]}\n"
                  "        elif [[ -z $sub ]]; then\n"
                  "            case $cmd in\n",
                  from, to, arr, arr);
    for (size_t i = 0; i < n; i++)
        if (!all[i].parent && all[i].cmd->nsubs)
            vm_buf_printf(b, "            %s) sub=${%s[i]} ;;\n", all[i].word, arr);
    vm_buf_puts(b, "            esac\n"
                   "        fi\n"
                   "    done\n");
}

/* What bash and zsh run to complete an option's value, by its kind; the
 * choices, quoted, follow the K_CHOICES command. */
static const struct {
    const char *bash, *zsh;
} value_cmds[] = {
    [K_NONE] = {":", ":"},
    [K_CHOICES] = {"_vmctr_add \"$prefix\" \"$value\"", "compadd --"},
    [K_FILE] = {"_vmctr_files \"$value\"", "_files"},
    [K_DIR] = {"_vmctr_dirs \"$value\"", "_files -/"},
    [K_ASSIGN] = {"_vmctr_assign \"$prefix\" \"$value\"", "_vmctr_assign"},
    [K_RULE] = {"_vmctr_add \"$prefix\" \"$value\" \"${_vmctr_rules[@]}\"", "compadd -- $_vmctr_rules"},
};

/* The `case $prev in` arm of an option with a value: its pattern, then the
 * shell's command (zsh: else bash) for the value. */
static void case_value(vm_buf *b, const vm_opt *o, bool zsh)
{
    opt_pattern(b, o);
    kind k = opt_kind(o);
    vm_buf_puts(b, zsh ? value_cmds[k].zsh : value_cmds[k].bash);
    if (k == K_CHOICES)
        words(b, o->choices, sq);
    vm_buf_puts(b, "; return ;;\n");
}

/* The line (bash and zsh) that completes an entry's operands: rule ids,
 * files or the listed words; none for other operands. */
static const struct {
    const char *bash, *zsh;
} operand_cmds[] = {
    [K_CHOICES] = {"    _vmctr_add \"\" \"$cur\"", "        compadd --"},
    [K_FILE] = {"    _vmctr_files \"$cur\"", "        _files"},
    [K_RULE] = {"    _vmctr_add \"\" \"$cur\" \"${_vmctr_rules[@]}\"", "        compadd -- $_vmctr_rules"},
};

static void operand_cmd(vm_buf *b, const entry *e, bool zsh)
{
    char ow[128];
    kind k = operand_kind(e->cmd, e->parent != NULL, ow, sizeof ow);
    if (!operand_cmds[k].bash)
        return;
    vm_buf_puts(b, zsh ? operand_cmds[k].zsh : operand_cmds[k].bash);
    if (k == K_CHOICES)
        split_words(b, ow, sq);
    vm_buf_puts(b, "\n");
}

/* ---- bash ---------------------------------------------------------------- */

static void bash_operands(vm_buf *b, const entry *e)
{
    if (e->cmd->nsubs) {
        vm_buf_puts(b, "    _vmctr_add \"\" \"$cur\"");
        for (size_t s = 0; s < e->cmd->nsubs; s++) {
            vm_buf_puts(b, " ");
            sq(b, e->cmd->sub_names[s]);
        }
        vm_buf_puts(b, "\n");
        return;
    }
    operand_cmd(b, e, false);
}

static void gen_bash(vm_buf *b)
{
    entry all[MAX_ENTRIES];
    size_t n = entries(all);
    header(b, "bash",
           "/usr/share/bash-completion/completions/vmctr, or ~/.local/share/bash-completion/completions/vmctr,\n"
           "# or for this shell only: source <(vmctr completion bash)");
    sh_arrays(b);
    vm_buf_puts(
        b,
        ")\n\n"
        "# _vmctr_add PREFIX VALUE CANDIDATE...: adds PREFIX+CANDIDATE to COMPREPLY for each\n"
        "# candidate that starts with VALUE, less the part of the word that bash keeps\n"
        "# (up to its last = or :, where COMP_WORDBREAKS splits words).\n"
        "_vmctr_add() {\n"
        "    local prefix=$1 value=$2 c keep='' wb=''\n"
        "    shift 2\n"
        "    [[ $COMP_WORDBREAKS == *=* ]] && wb+='='\n"
        "    [[ $COMP_WORDBREAKS == *:* ]] && wb+=':'\n"
        "    if [[ -n $wb && $_vmctr_word == *[$wb]* ]]; then\n"
        "        # shellcheck disable=SC2295 # $wb is a bracket expression on purpose\n"
        "        keep=${_vmctr_word%\"${_vmctr_word##*[$wb]}\"}\n"
        "    fi\n"
        "    for c in \"$@\"; do\n"
        "        [[ $c == \"$value\"* ]] || continue\n"
        "        c=$prefix$c\n"
        "        COMPREPLY+=(\"${c:${#keep}}\")\n"
        "    done\n"
        "}\n\n"
        "_vmctr_files() {\n"
        "    mapfile -t -O \"${#COMPREPLY[@]}\" COMPREPLY < <(compgen -f -- \"$1\")\n"
        "    compopt -o filenames 2>/dev/null\n"
        "}\n\n"
        "_vmctr_dirs() {\n"
        "    mapfile -t -O \"${#COMPREPLY[@]}\" COMPREPLY < <(compgen -d -- \"$1\")\n"
        "    compopt -o filenames 2>/dev/null\n"
        "}\n\n"
        "# FIELD=VALUE: field paths first (no space after the =), then that field's values.\n"
        "_vmctr_assign() {\n"
        "    if [[ $2 == *=* ]]; then\n"
        "        _vmctr_add \"$1\" \"$2\" \"${_vmctr_pairs[@]}\"\n"
        "    else\n"
        "        _vmctr_add \"$1\" \"$2\" \"${_vmctr_fields[@]}\"\n"
        "        compopt -o nospace 2>/dev/null\n"
        "    fi\n"
        "}\n\n"
        "_vmctr() {\n"
        "    # words up to the cursor, split at blanks (COMP_WORDS is split at = and : too)\n"
        "    local line=${COMP_LINE:0:COMP_POINT}\n"
        "    local -a w\n"
        "    read -ra w <<<\"$line\"\n"
        "    [[ -z $line || $line == *[[:space:]] ]] && w+=('')\n"
        "    local n=${#w[@]}\n"
        "    local cur=${w[n-1]} prev='' cmd='' sub='' i\n"
        "    (( n > 1 )) && prev=${w[n-2]}\n"
        "    _vmctr_word=$cur\n"
        "    COMPREPLY=()\n");
    scan_words(b, all, n, "1", "n - 1", "w");
    vm_buf_puts(b,
                "    local prefix='' value=$cur\n"
                "    if [[ $cur == --*=* ]]; then\n"
                "        prev=${cur%%=*}\n"
                "        prefix=$prev=\n"
                "        value=${cur#*=}\n"
                "    fi\n"
                "    case \"$cmd${sub:+ $sub}\" in\n"
                "    '')\n"
                "        if [[ $cur == -* ]]; then\n"
                "            _vmctr_add '' \"$cur\" --help -h --version -V\n"
                "        else\n"
                "            _vmctr_add '' \"$cur\"");
    top_words(b, all, n);
    vm_buf_puts(b, " help\n        fi\n        return ;;\n    help)\n        _vmctr_add '' \"$cur\"");
    top_words(b, all, n);
    vm_buf_puts(b, "\n        return ;;\n");
    for (size_t i = 0; i < n; i++) {
        const entry *e = &all[i];
        case_label(b, e);
        bool any = false;
        FOR_OPTS(e->cmd, o) if (o->arg) any = true;
        if (any && !e->cmd->nsubs) {
            vm_buf_puts(b, "        case $prev in\n");
            FOR_OPTS(e->cmd, o) if (o->arg) case_value(b, o, false);
            vm_buf_puts(b, "        esac\n");
        }
        vm_buf_puts(b, "        ;;\n");
    }
    vm_buf_puts(b,
                "    *) return ;;\n"
                "    esac\n"
                "    if [[ $cur == -* ]]; then\n"
                "        case \"$cmd${sub:+ $sub}\" in\n");
    for (size_t i = 0; i < n; i++) {
        const entry *e = &all[i];
        if (e->parent)
            vm_buf_printf(b, "        '%s %s') _vmctr_add '' \"$cur\"", e->parent->name, e->word);
        else
            vm_buf_printf(b, "        %s) _vmctr_add '' \"$cur\"", e->word);
        FOR_OPTS(e->cmd, o)
        {
            if (o->lng)
                vm_buf_printf(b, " --%s", o->lng);
            if (o->shrt)
                vm_buf_printf(b, " -%c", o->shrt);
        }
        vm_buf_puts(b, " ;;\n");
    }
    vm_buf_puts(b,
                "        esac\n"
                "        return\n"
                "    fi\n"
                "    case \"$cmd${sub:+ $sub}\" in\n");
    for (size_t i = 0; i < n; i++) {
        const entry *e = &all[i];
        case_label(b, e);
        bash_operands(b, e);
        vm_buf_puts(b, "        ;;\n");
    }
    vm_buf_puts(b, "    esac\n}\n\ncomplete -F _vmctr vmctr\n");
}

/* ---- zsh ------------------------------------------------------------------- */

static void gen_zsh(vm_buf *b)
{
    entry all[MAX_ENTRIES];
    size_t n = entries(all);
    vm_buf_puts(b, "#compdef vmctr\n");
    header(b, "zsh",
           "a file named _vmctr in a directory of $fpath (/usr/share/zsh/vendor-completions),\n"
           "# or for this shell only (after compinit): source <(vmctr completion zsh)");
    sh_arrays(b);
    vm_buf_puts(b, ")\n\n_vmctr_commands=(\n");
    for (size_t i = 0; i < n; i++)
        if (!all[i].parent) {
            vm_buf_puts(b, "    ");
            zdesc(b, all[i].word, all[i].cmd->summary);
            vm_buf_puts(b, "\n");
        }
    vm_buf_puts(b, "    'help:show the help of a command'\n)\n\n");
    vm_buf_puts(b,
                "# FIELD=VALUE: field paths first (no space after the =), then that field's values.\n"
                "_vmctr_assign() {\n"
                "    if [[ $PREFIX == *=* ]]; then\n"
                "        compadd -- $_vmctr_pairs\n"
                "    else\n"
                "        compadd -S '' -- $_vmctr_fields\n"
                "    fi\n"
                "}\n\n"
                "_vmctr() {\n"
                "    local cur=${words[CURRENT]} prev=${words[CURRENT-1]} cmd='' sub='' i\n"
                "    local -a opts\n");
    scan_words(b, all, n, "2", "CURRENT", "words");
    vm_buf_puts(b,
                "    if [[ $cur == --*=* ]]; then\n"
                "        prev=${cur%%=*}\n"
                "        compset -P \"$prev=\"\n"
                "        cur=''\n"
                "    fi\n"
                "    case \"$cmd${sub:+ $sub}\" in\n"
                "    '')\n"
                "        if [[ $cur == -* ]]; then\n"
                "            opts=('--help:show this help and exit' '-h:show this help and exit'\n"
                "                  '--version:print the version and exit' '-V:print the version and exit')\n"
                "            _describe -t options option opts\n"
                "        else\n"
                "            _describe -t commands command _vmctr_commands\n"
                "        fi\n"
                "        return ;;\n"
                "    help) _describe -t commands command _vmctr_commands; return ;;\n");
    for (size_t i = 0; i < n; i++) {
        const entry *e = &all[i];
        case_label(b, e);
        if (!e->cmd->nsubs) {
            vm_buf_puts(b, "        case $prev in\n");
            FOR_OPTS(e->cmd, o) if (o->arg) case_value(b, o, true);
            vm_buf_puts(b, "        esac\n");
        }
        vm_buf_puts(b, "        opts=(\n");
        FOR_OPTS(e->cmd, o)
        {
            char nm[72];
            if (o->lng) {
                snprintf(nm, sizeof nm, "--%s", o->lng);
                vm_buf_puts(b, "            ");
                zdesc(b, nm, o->help);
                vm_buf_puts(b, "\n");
            }
            if (o->shrt) {
                snprintf(nm, sizeof nm, "-%c", o->shrt);
                vm_buf_puts(b, "            ");
                zdesc(b, nm, o->help);
                vm_buf_puts(b, "\n");
            }
        }
        vm_buf_puts(b, "        )\n        if [[ $cur == -* ]]; then\n"
                       "            _describe -t options option opts\n            return\n        fi\n");
        if (e->cmd->nsubs) {
            vm_buf_puts(b, "        local -a subs=(\n");
            for (size_t s = 0; s < e->cmd->nsubs; s++) {
                vm_buf_puts(b, "            ");
                zdesc(b, e->cmd->sub_names[s], e->cmd->subs[s]->summary);
                vm_buf_puts(b, "\n");
            }
            vm_buf_puts(b, "        )\n        _describe -t commands subcommand subs\n");
        } else {
            operand_cmd(b, e, true);
        }
        vm_buf_puts(b, "        ;;\n");
    }
    vm_buf_puts(b,
                "    esac\n"
                "}\n\n"
                "if [[ $funcstack[1] == _vmctr ]]; then\n"
                "    _vmctr \"$@\"\n"
                "else\n"
                "    compdef _vmctr vmctr\n"
                "fi\n");
}

/* ---- fish ------------------------------------------------------------------ */

/* The -n condition selecting an entry. */
static void fish_cond(vm_buf *b, const entry *e)
{
    vm_buf_puts(b, " -n ");
    vm_buf b2;
    vm_buf_init(&b2);
    if (e->parent) {
        vm_buf_printf(&b2, "__fish_seen_subcommand_from %s; and __fish_seen_subcommand_from %s", e->parent->name,
                      e->word);
    } else {
        vm_buf_printf(&b2, "__fish_seen_subcommand_from %s", e->word);
        if (e->cmd->nsubs) {
            vm_buf_puts(&b2, "; and not __fish_seen_subcommand_from");
            for (size_t s = 0; s < e->cmd->nsubs; s++)
                vm_buf_printf(&b2, " %s", e->cmd->sub_names[s]);
        }
    }
    if (b2.oom)
        b->oom = true;
    else
        fq(b, b2.data);
    vm_buf_free(&b2);
}

static void gen_fish(vm_buf *b)
{
    entry all[MAX_ENTRIES];
    size_t n = entries(all);
    header(b, "fish",
           "/usr/share/fish/vendor_completions.d/vmctr.fish, or ~/.config/fish/completions/vmctr.fish,\n"
           "# or for this shell only: vmctr completion fish | source");
    vm_buf_puts(b, "\ncomplete -c vmctr -e\n"
                   "set -g __vmctr_fields");
    each_field(b, emit_fq_word);
    vm_buf_puts(b, "\nset -g __vmctr_pairs");
    each_pair(b, emit_fq_word);
    vm_buf_puts(b, "\nset -g __vmctr_rules");
    each_rule(b, emit_fq_word);
    vm_buf_puts(b, "\n\n# commands\n"
                   "complete -c vmctr -n __fish_use_subcommand -f -s h -l help -d 'show this help and exit'\n"
                   "complete -c vmctr -n __fish_use_subcommand -f -s V -l version -d 'print the version and exit'\n");
    for (size_t i = 0; i < n; i++)
        if (!all[i].parent) {
            vm_buf_printf(b, "complete -c vmctr -n __fish_use_subcommand -f -a %s -d ", all[i].word);
            fq(b, all[i].cmd->summary);
            vm_buf_puts(b, "\n");
        }
    vm_buf_puts(b, "complete -c vmctr -n __fish_use_subcommand -f -a help -d 'show the help of a command'\n"
                   "complete -c vmctr -n '__fish_seen_subcommand_from help' -f -a '");
    for (size_t i = 0, first = 1; i < n; i++)
        if (!all[i].parent) {
            vm_buf_printf(b, "%s%s", first ? "" : " ", all[i].word);
            first = 0;
        }
    vm_buf_puts(b, "'\n");
    for (size_t i = 0; i < n; i++) {
        const entry *e = &all[i];
        if (e->parent)
            vm_buf_printf(b, "\n# %s %s\n", e->parent->name, e->word);
        else
            vm_buf_printf(b, "\n# %s\n", e->word);
        FOR_OPTS(e->cmd, o)
        {
            vm_buf_puts(b, "complete -c vmctr");
            fish_cond(b, e);
            if (o->shrt)
                vm_buf_printf(b, " -s %c", o->shrt);
            if (o->lng)
                vm_buf_printf(b, " -l %s", o->lng);
            switch (o->arg ? opt_kind(o) : K_NONE) {
            case K_CHOICES:
                vm_buf_puts(b, " -x -a ");
                {
                    vm_buf w;
                    vm_buf_init(&w);
                    for (size_t c = 0; o->choices[c]; c++)
                        vm_buf_printf(&w, "%s%s", c ? " " : "", o->choices[c]);
                    if (w.oom)
                        b->oom = true;
                    else
                        fq(b, w.data);
                    vm_buf_free(&w);
                }
                break;
            case K_FILE: vm_buf_puts(b, " -r -F"); break;
            case K_DIR: vm_buf_puts(b, " -x -a '(__fish_complete_directories)'"); break;
            case K_ASSIGN:
                vm_buf_puts(b, " -x -a '(string match -q -- \"*=*\" (commandline -ct); "
                               "and printf \"%s\\n\" $__vmctr_pairs; or printf \"%s\\n\" $__vmctr_fields)'");
                break;
            case K_RULE: vm_buf_puts(b, " -x -a '$__vmctr_rules'"); break;
            case K_NONE: vm_buf_puts(b, o->arg ? " -x" : " -f"); break;
            }
            vm_buf_puts(b, " -d ");
            fq(b, o->help);
            vm_buf_puts(b, "\n");
        }
        char ow[128];
        if (e->cmd->nsubs) {
            for (size_t s = 0; s < e->cmd->nsubs; s++) {
                vm_buf_puts(b, "complete -c vmctr");
                fish_cond(b, e);
                vm_buf_printf(b, " -f -a %s -d ", e->cmd->sub_names[s]);
                fq(b, e->cmd->subs[s]->summary);
                vm_buf_puts(b, "\n");
            }
            continue;
        }
        vm_buf_puts(b, "complete -c vmctr");
        fish_cond(b, e);
        switch (operand_kind(e->cmd, e->parent != NULL, ow, sizeof ow)) {
        case K_RULE: vm_buf_puts(b, " -f -a '$__vmctr_rules'\n"); break;
        case K_FILE: vm_buf_puts(b, " -F\n"); break;
        case K_CHOICES:
            vm_buf_puts(b, " -f -a ");
            fq(b, ow);
            vm_buf_puts(b, "\n");
            break;
        default: vm_buf_puts(b, " -f\n"); break;
        }
    }
}

static int run(vm_cli *cli, int argc, char **argv)
{
    vm_optparse p;
    vm_opt_init(&p, cli, argc, argv);
    int c;
    while ((c = vm_opt_next(&p)) > 0) {
    }
    if (c < 0)
        return p.status;
    if (p.npos != 1)
        return vm_usage_error(cli, p.npos ? "too many arguments" : "missing shell: bash, zsh or fish");
    const char *sh = p.pos[0];
    vm_buf b;
    vm_buf_init(&b);
    if (strcmp(sh, "bash") == 0) {
        gen_bash(&b);
    } else if (strcmp(sh, "zsh") == 0) {
        gen_zsh(&b);
    } else if (strcmp(sh, "fish") == 0) {
        gen_fish(&b);
    } else {
        vm_buf_free(&b);
        const char *s = vm_suggest(sh, shells, 3);
        if (s)
            return vm_usage_error(cli, "unknown shell '%s' (did you mean '%s'?)", sh, s);
        return vm_usage_error(cli, "unknown shell '%s': expected bash, zsh or fish", sh);
    }
    return vm_print_buf(&b, "completion");
}

VM_COMMAND(completion,
    .summary = "print a shell completion script (bash, zsh or fish)",
    .usage = "bash|zsh|fish",
    .description = "Prints a completion script for the shell, generated from the same command and option tables "
                   "as --help: commands and subcommands, every option, option values (formats and other fixed "
                   "choices, files, directories, profile field paths and their values for --what-if and --set) "
                   "and built-in rule ids. 'make install' and the Debian package install all three; to try one "
                   "in the current shell, source it.",
    .examples = "source <(vmctr completion bash)\n"
                "vmctr completion zsh > ~/.zfunc/_vmctr\n"
                "vmctr completion fish > ~/.config/fish/completions/vmctr.fish"
);
