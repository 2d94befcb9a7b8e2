/*
 * fuzz_scan.c - libFuzzer target for the repository scan (scan.c): the
 * bytes are a file's content, handed over under several names that
 * signals match (Dockerfile, a manifest, a .csproj, a script ...), and
 * then used as the --base profile to merge into. What vm_scan_write and
 * vm_scan_merge write must load as a profile (import_check.h), and a merge
 * never fails on a base that loads, and never changes a value the base
 * sets (check_values_kept). The merge keeps the base's own lines
 * byte for byte (a tab in a block scalar stays a tab); only the lines it
 * adds are held to "no raw control character".
 */
#define FUZZ_TARGET "fuzz_scan"
#include "import_check.h"
#include "vmctr/diff.h"
#include "vmctr/sys/scan.h"

static const char *const names[] = {"Dockerfile", "deploy/app.yaml", "src/App.csproj", "tools/setup.sh",
                                    "requirements.txt", "src/log.py", "a\nb\x1b.tf", "packaging/x.service"};

/* The first non-empty document of data, parsed into a; false when there
 * is none or it is not a valid profile. */
static bool first_profile(const char *data, size_t size, vm_arena *a, vm_profile *p)
{
    vm_source *src = vm_source_mem(data, size, "merged.yaml");
    vm_diags *d = fuzz_diags();
    fuzz_check(src != NULL, "allocation");
    vm_doc doc;
    char err[256];
    bool got = false, bad = false;
    while (!got && !bad && vm_source_next(src, &doc, err, sizeof err) == 1) {
        bool empty = true;
        vm_diags_clear(d);
        bad = vm_profile_parse(a, "merged.yaml", &doc, p, &empty, d) != VM_OK;
        got = !bad && !empty;
    }
    free(d);
    vm_source_free(src);
    return got;
}

/* The merge's first promise: a value the person set is never changed, in
 * the parent or in a component (which also keeps its name and which
 * fields it sets itself). Checked on the parsed profiles, not the text. */
static void check_values_kept(const vm_profile *b, const vm_profile *m)
{
    for (int f = 0; f < VM_FIELD_COUNT; f++)
        if (b->values.v[f].set)
            fuzz_check(vm_value_equal(vm_field(f), &b->values.v[f], &m->values.v[f]),
                       "the merge keeps every value the base sets");
    fuzz_check(b->ncomponents == m->ncomponents, "the merge keeps the components");
    for (uint32_t i = 0; i < b->ncomponents; i++) {
        const vm_component *x = &b->components[i], *y = &m->components[i];
        fuzz_check(x->own == y->own && (x->name == y->name || (x->name && y->name && !strcmp(x->name, y->name))),
                   "the merge keeps each component's name and own fields");
        for (int f = 0; f < VM_FIELD_COUNT; f++)
            if ((x->own >> f) & 1u)
                fuzz_check(vm_value_equal(vm_field(f), &x->values.v[f], &y->values.v[f]),
                           "the merge keeps every value a component sets");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vm_scan *s = vm_scan_new();
    vm_diags *d = fuzz_diags();
    fuzz_check(s != NULL, "allocation");
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        vm_scan_file(s, names[i], (const char *)data, size);
    vm_buf b;
    char *name = malloc(size + 1);
    fuzz_check(name != NULL, "allocation");
    memcpy(name, data, size);
    name[size] = '\0';
    vm_buf_init(&b);
    vm_scan_write(s, name, name, &b);
    import_check_output(&b);
    vm_buf_free(&b);
    free(name);
    /* the input as a base profile */
    vm_diags_clear(d);
    vm_buf_init(&b);
    vm_status st = vm_scan_merge(s, (const char *)data, size, "base.yaml", &b, d);
    fuzz_check(st == VM_OK || st == VM_EPROFILE, "merge status");
    if (st == VM_OK) {
        import_check_merged(&b, (const char *)data, size);
        vm_arena *a = fuzz_arena();
        vm_profile pb, pm;
        fuzz_check(first_profile((const char *)data, size, a, &pb), "a base the merge took is a profile");
        fuzz_check(first_profile(b.data ? b.data : "", b.len, a, &pm), "the merge writes a profile");
        check_values_kept(&pb, &pm);
        vm_arena_free(a);
    }
    vm_buf_free(&b);
    free(d);
    vm_scan_free(s);
    return 0;
}
