/*
 * check_evidence.c - `vmctr check --evidence DIR`: warnings where a profile
 * contradicts what the repository in DIR shows (it says `packaging:
 * installer` beside a Dockerfile). The repository is scanned once
 * (scanfiles.c, the signals of src/lib/scan.c); each input document that
 * loads is compared field by field: the system's fields once, at their
 * positions, and each component on the fields it sets itself
 * (vm_component.own), not on what it inherits. Warnings never change the gate's verdict or exit
 * code; documents that do not load are left to the gate, which reports
 * them. Standard input is read by the gate, so it is not compared.
 */
#include "cli.h"
#include "diagprint.h"
#include "inputs.h"
#include "scanfiles.h"

#include <stdio.h>
#include <string.h>

#include "vmctr/arena.h"
#include "vmctr/profile.h"
#include "vmctr/sys/scan.h"

/* Warnings for one input file; VM_EIO when memory ran out (a warning
 * could be missing), else VM_OK: what does not load is the gate's to say. */
static int compare_file(const vm_cli *cli, const vm_scan *s, const vm_input *in, vm_arena *a)
{
    char err[256];
    vm_source *src = vm_source_open(in->path, in->display, err, sizeof err);
    if (!src)
        return strcmp(err, "out of memory") == 0 ? VM_EIO : VM_OK; /* else the gate reports it */
    vm_doc doc;
    vm_diags d, w;
    int rc = VM_OK, got;
    while ((got = vm_source_next(src, &doc, err, sizeof err)) == 1) {
        vm_arena_reset(a);
        vm_diags_clear(&d);
        vm_diags_clear(&w);
        vm_profile prof;
        bool empty = true;
        vm_status st = vm_profile_parse(a, in->display, &doc, &prof, &empty, &d);
        if (st == VM_EIO) {
            rc = VM_EIO;
            break;
        }
        if (st != VM_OK || empty)
            continue;
        /* the system's own fields once, at their positions; then each
         * component on the fields it sets itself (vm_component.own): an
         * inherited value is the parent's, already judged */
        vm_scan_compare(s, &prof.values, in->display, NULL, &w);
        for (uint32_t c = 0; c < prof.ncomponents; c++) {
            vm_values own = prof.components[c].values;
            for (int f = 0; f < VM_FIELD_COUNT; f++)
                if (!((prof.components[c].own >> f) & 1u))
                    own.v[f].set = false;
            char where[96];
            snprintf(where, sizeof where, "spec.components[%u]", c);
            vm_scan_compare(s, &own, in->display, where, &w);
        }
        vm_diags_print(cli, &w, in->display);
    }
    if (got < 0 && strcmp(err, "out of memory") == 0)
        rc = VM_EIO;
    vm_source_free(src);
    return rc;
}

int vm_check_evidence(const vm_cli *cli, const char *dir, char **operands, int n)
{
    vm_scan *s = vm_scan_new();
    vm_arena *a = vm_arena_new();
    if (!s || !a) {
        vm_scan_free(s);
        vm_arena_free(a);
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    vm_scan_stats st;
    int rc = vm_scan_dir(s, dir, &st);
    vm_inputs *in = NULL;
    if (!rc && vm_inputs_new(&in, cli, operands, n) == 0) {
        for (const vm_input *f; !rc && (f = vm_inputs_next(in));)
            if (!f->is_stdin)
                rc = compare_file(cli, s, f, a);
        vm_inputs_free(in);
        if (rc)
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
    }
    vm_arena_free(a);
    vm_scan_free(s);
    return rc;
}
