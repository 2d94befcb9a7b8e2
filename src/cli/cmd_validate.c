/*
 * cmd_validate.c - `vmctr validate`: check profiles against the contract.
 * Quiet like a compiler: errors on stderr, nothing on success unless -v.
 * Each document of a stream is checked on its own, in one arena that is
 * reset per document, so memory stays flat however long the stream.
 */
#include "cli.h"
#include "diagprint.h"
#include "inputs.h"

#include <string.h>

#include "vmctr/arena.h"
#include "util/buf.h"
#include "util/escape.h"
#include "vmctr/profile.h"

enum { OPT_FORMAT = 1, OPT_VERBOSE };

static const char *const formats[] = {"text", "json", NULL};

static const vm_opt opts[] = {
    {"format", 'f', "FORMAT",
     "text: diagnostics on stderr (default); json: one object on stdout, "
     "{\"schema\": \"vmctr.validate/v1\", \"items\": [...]}, listing all diagnostics "
     "(items is [] when every profile is valid)",
     OPT_FORMAT, true, formats},
    {"verbose", 'v', NULL, "text format: also print 'FILE: ok (N profiles)' for each file on stdout",
     OPT_VERBOSE, false, NULL},
    {0},
};

typedef struct {
    vm_cli *cli;
    bool json, verbose;
    vm_arena *arena;
    vm_buf jb;          /* JSON items, flushed to stdout after each document */
    size_t jcount;
    vm_diags d;
} vstate;

static void emit(vstate *v, const char *file)
{
    if (v->json) {
        vm_diags_json(&v->jb, &v->d, file, &v->jcount);
        fwrite(v->jb.data ? v->jb.data : "", 1, v->jb.len, stdout);
        vm_buf_reset(&v->jb);
    } else {
        vm_diags_print(v->cli, &v->d, file);
    }
}

/* Validates every document of one input. Returns its exit code. */
static int validate_file(vstate *v, const vm_input *in)
{
    char err[256];
    vm_source *src = vm_source_open(in->path, in->display, err, sizeof err);
    if (!src) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, in->display, err);
        return VM_EIO;
    }
    int rc = VM_OK;
    uint32_t docs = 0, invalid = 0;
    for (;;) {
        vm_doc doc;
        int r = vm_source_next(src, &doc, err, sizeof err);
        if (r < 0) {
            vm_eprintf("%s: %s: %s\n", VM_PROG, in->display, err);
            rc = vm_worst(rc, VM_EIO);
            break;
        }
        if (r == 0)
            break;
        vm_arena_reset(v->arena);
        vm_diags_clear(&v->d);
        vm_profile prof;
        bool empty = false;
        vm_status st = vm_profile_parse(v->arena, in->display, &doc, &prof, &empty, &v->d);
        if (st == VM_OK && empty)
            continue; /* comments only, or a stray `---`: skipped in a stream */
        docs++;
        if (st != VM_OK) {
            invalid++;
            rc = vm_worst(rc, st == VM_EIO ? VM_EIO : VM_EPROFILE);
        }
        if (v->d.count || v->d.dropped)
            emit(v, in->display);
        if (st == VM_EIO && v->json) /* the item alone would leave stderr silent */
            vm_eprintf("%s: %s: out of memory\n", VM_PROG, in->display);
    }
    if (docs == 0 && rc == VM_OK) {
        vm_diags_clear(&v->d);
        vm_diag_add(&v->d, VM_SEV_ERROR, in->display, 1, 1, "", "empty file: no profile");
        emit(v, in->display);
        rc = VM_EPROFILE;
        invalid = docs = 1;
    }
    vm_source_free(src);
    if (v->verbose && !v->json && rc != VM_EIO) {
        vm_buf line; /* the file name as terminal text: escape.h */
        vm_buf_init(&line);
        vm_esc_terms(&line, in->display);
        if (invalid == 0)
            vm_buf_printf(&line, ": ok (%u profile%s)\n", docs, docs == 1 ? "" : "s");
        else
            vm_buf_printf(&line, ": invalid (%u of %u profile%s)\n", invalid, docs, docs == 1 ? "" : "s");
        if (line.oom) {
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
            rc = VM_EIO;
        } else {
            fwrite(line.data, 1, line.len, stdout);
        }
        vm_buf_free(&line);
    }
    return rc;
}

static int run(vm_cli *cli, int argc, char **argv)
{
    vm_optparse p;
    vm_opt_init(&p, cli, argc, argv);
    vstate v = {.cli = cli};
    int c;
    while ((c = vm_opt_next(&p)) > 0) {
        switch (c) {
        case OPT_FORMAT: v.json = strcmp(p.arg, "json") == 0; break;
        case OPT_VERBOSE: v.verbose = true; break;
        }
    }
    if (c < 0)
        return p.status;
    vm_inputs *inputs;
    int rc = vm_inputs_new(&inputs, cli, p.pos, p.npos);
    if (rc)
        return rc;
    v.arena = vm_arena_new();
    if (!v.arena) {
        vm_inputs_free(inputs);
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    vm_buf_init(&v.jb);
    if (v.json)
        fputs("{\"schema\": \"vmctr.validate/v1\", \"items\": [", stdout);
    for (const vm_input *in; (in = vm_inputs_next(inputs));)
        rc = vm_worst(rc, validate_file(&v, in));
    rc = vm_worst(rc, vm_inputs_status(inputs));
    if (v.json)
        fputs(v.jcount ? "\n]}\n" : "]}\n", stdout);
    if (v.jb.oom) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        rc = VM_EIO;
    }
    vm_buf_free(&v.jb);
    vm_arena_free(v.arena);
    vm_inputs_free(inputs);
    return rc;
}

VM_COMMAND(validate,
    .summary = "check workload profiles against the profile format",
    .usage = "[OPTIONS] FILE...",
    .description =
        "Checks each profile (every document of a multi-document stream on its own) for malformed "
        "YAML, unknown keys and values, wrong types, duplicate keys and the input limits, and reports "
        "every problem as FILE:LINE:COLUMN like a compiler. A directory is searched for *.yaml and "
        "*.yml files (a symbolic link there that leads outside it is not read: an error); '-' reads "
        "standard input.\n\n"
        "Exit status: 0 all valid, 3 some profile invalid, 5 a file could not be read or a link leads out "
        "of a directory.",
    .examples = "vmctr validate examples/billing-api.yaml\n"
                "vmctr validate --format json profiles/ > diagnostics.json\n"
                "cat profile.yaml | vmctr validate -"
);
