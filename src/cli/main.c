/*
 * main.c - the vmctr command table and dispatch. Each subcommand lives in
 * src/cli/cmd_<name>.c and exports one `const vm_cmd cmd_<name>` (see
 * cli.h); list it below to register it. After a command has run, stdout is
 * flushed and checked, so a full disk or a closed pipe is an error (exit 5),
 * not silence.
 */
#include "cli.h"
#include "diagprint.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <unistd.h>

#include "vmctr/diag.h"

/* One line per command file (cmd_*.c), in the order `vmctr --help` lists
 * them. */
extern const vm_cmd cmd_advise;
extern const vm_cmd cmd_check;
extern const vm_cmd cmd_diff;
extern const vm_cmd cmd_portfolio;
extern const vm_cmd cmd_validate;
extern const vm_cmd cmd_schema;
extern const vm_cmd cmd_rules;
extern const vm_cmd cmd_init;
extern const vm_cmd cmd_import;
extern const vm_cmd cmd_scan;
extern const vm_cmd cmd_completion;
extern const vm_cmd cmd_version;

const vm_cmd *const vm_commands[] = {
    &cmd_advise,
    &cmd_check,
    &cmd_diff,
    &cmd_portfolio,
    &cmd_validate,
    &cmd_schema,
    &cmd_rules,
    &cmd_init,
    &cmd_import,
    &cmd_scan,
    &cmd_completion,
    &cmd_version,
};
#define NCOMMANDS (sizeof vm_commands / sizeof vm_commands[0])
const size_t vm_ncommands = NCOMMANDS;

static const vm_cmd *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(vm_commands[i]->name, name) == 0)
            return vm_commands[i];
    return NULL;
}

static int unknown_command(const char *name)
{
    const char *cands[NCOMMANDS + 1];
    for (size_t i = 0; i < NCOMMANDS; i++)
        cands[i] = vm_commands[i]->name;
    cands[NCOMMANDS] = "help";
    const char *s = vm_suggest(name, cands, NCOMMANDS + 1);
    if (s)
        vm_eprintf("%s: unknown command '%s' (did you mean '%s'?)\n", VM_PROG, name, s);
    else
        vm_eprintf("%s: unknown command '%s'\n", VM_PROG, name);
    vm_eprintf("Try '%s --help' for the list of commands.\n", VM_PROG);
    return VM_EUSAGE;
}

static void short_usage(FILE *fp)
{
    fprintf(fp, "Usage: %s COMMAND [OPTIONS] [ARGS]\n", VM_PROG);
}

/* One row of the command list: the summary beside the name, wrapped under
 * itself; on a narrow terminal under the name. */
static void command_row(const char *name, const char *summary, int w, int width)
{
    if (width - (2 + w + 2) < 20) {
        printf("  %s\n", name);
        vm_wrap_text(stdout, summary, 6, width, false);
    } else {
        printf("  %-*s  ", w, name);
        vm_wrap_text(stdout, summary, 2 + w + 2, width, true);
    }
}

static int main_help(void)
{
    int width = vm_term_width(stdout);
    char usage[80];
    snprintf(usage, sizeof usage, "Usage: %s COMMAND [OPTIONS] [ARGS]", VM_PROG);
    vm_wrap_text(stdout, usage, 0, width, false);
    putchar('\n');
    vm_wrap_text(stdout, "Recommends virtual machines, containers, a hybrid or microVMs for a workload described "
                         "in a YAML profile, and explains why.", 0, width, false);
    fputs("\nCommands:\n", stdout);
    int w = 0;
    for (size_t i = 0; i < NCOMMANDS; i++)
        if ((int)strlen(vm_commands[i]->name) > w)
            w = (int)strlen(vm_commands[i]->name);
    for (size_t i = 0; i < NCOMMANDS; i++)
        command_row(vm_commands[i]->name, vm_commands[i]->summary, w, width);
    command_row("help", "show the help of a command", w, width);
    fputs("\nOptions:\n", stdout);
    command_row("-h, --help", "show this help and exit", 13, width);
    command_row("-V, --version", "print the version and exit", 13, width);
    char run[80];
    snprintf(run, sizeof run, "Run '%s help COMMAND' for a command's options.", VM_PROG);
    putchar('\n');
    vm_wrap_text(stdout, run, 0, width, false);
    putchar('\n');
    vm_wrap_text(stdout, "Exit status: 0 ok, 1 check fails, 2 usage error, 3 invalid profile, 4 invalid rules, 5 I/O "
                         "or system error.", 0, width, false);
    return VM_OK;
}

static int version(void)
{
    printf("%s %s\n", VM_PROG, VMCTR_VERSION);
    puts("Copyright (c) 2026 The vmctr authors. MIT License.\n"
         "This is free software: you are free to change and redistribute it.");
    return VM_OK;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        short_usage(stderr);
        vm_eprintf("Try '%s --help' for the list of commands.\n", VM_PROG);
        return VM_EUSAGE;
    }
    const char *a = argv[1];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
        return main_help();
    if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0)
        return version();
    if (strcmp(a, "help") == 0) {
        if (argc < 3)
            return main_help();
        if (strcmp(argv[2], "help") == 0 && argc == 3) {
            printf("Usage: %s help [COMMAND [SUBCOMMAND]]\n\nshow the help of a command\n\n"
                   "Without COMMAND, the list of commands; with one, its options (the same as\n"
                   "'%s COMMAND --help'); 'help rules list' shows a subcommand's.\n",
                   VM_PROG, VM_PROG);
            return VM_OK;
        }
        const vm_cmd *cmd = find_command(argv[2]);
        if (!cmd)
            return unknown_command(argv[2]);
        if (argc == 4 && cmd->subcommands) {
            /* `help rules list` is `rules list --help` */
            char *sub[] = {argv[2], argv[3], "--help", NULL};
            vm_cli cli = {.cmd = cmd, .color = VM_COLOR_AUTO};
            return cmd->run(&cli, 3, sub);
        }
        if (argc > 3) {
            fprintf(stderr, "%s help: too many arguments\nTry '%s help %s'.\n", VM_PROG, VM_PROG, cmd->name);
            return VM_EUSAGE;
        }
        vm_cmd_help(cmd, stdout);
        return VM_OK;
    }
    if (a[0] == '-' && a[1] != '\0') {
        vm_eprintf("%s: unknown option '%s' (options go after the command)\n", VM_PROG, a);
        vm_eprintf("Try '%s --help'.\n", VM_PROG);
        return VM_EUSAGE;
    }
    const vm_cmd *cmd = find_command(a);
    if (!cmd)
        return unknown_command(a);
    vm_cli cli = {.cmd = cmd, .color = VM_COLOR_AUTO};
    return cmd->run(&cli, argc - 1, argv + 1);
}

/* A closed standard descriptor (`2>&-`) would be handed out by the next
 * open(): the -o temporary file would become fd 2 and diagnostics would be
 * written into the report. As git does, reopen 0-2 on /dev/null first. */
static bool sanitize_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (n != fd) {
            if (n >= 0)
                close(n);
            return false;
        }
    }
    return true;
}

int main(int argc, char **argv)
{
    if (!sanitize_fds())
        return VM_EIO;
#if defined(__GLIBC__)
    /* glibc raises its mmap threshold each time a large block is freed, so
     * with -j N the threads' output buffers end up in per-thread heaps that
     * never shrink: a fixed threshold returns them to the system, keeping
     * the -j memory bound (docs/performance.md) true. */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    /* (the number of malloc arenas is set where threads start: batch.c) */
#endif
    vm_cli_cjson_hooks();
    int rc = dispatch(argc, argv);
    errno = 0;
    if (fflush(stdout) != 0) {
        vm_eprintf("%s: write error on standard output: %s\n", VM_PROG, strerror(errno));
        rc = VM_EIO;
    } else if (ferror(stdout)) {
        vm_eprintf("%s: write error on standard output\n", VM_PROG);
        rc = VM_EIO;
    }
    return rc;
}
