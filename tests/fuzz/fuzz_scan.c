/*
 * fuzz_scan.c - libFuzzer target for the repository scan (scan.c): the
 * bytes are a file's content, handed over under several names that
 * signals match (Dockerfile, a manifest, a .csproj, a script ...), and
 * then used as the --base profile to merge into. What vm_scan_write and
 * vm_scan_merge write must load as a profile (import_check.h), and a merge
 * never fails on a base that loads. The merge keeps the base's own lines
 * byte for byte (a tab in a block scalar stays a tab); only the lines it
 * adds are held to "no raw control character".
 */
#define FUZZ_TARGET "fuzz_scan"
#include "import_check.h"
#include "vmctr/sys/scan.h"

static const char *const names[] = {"Dockerfile", "deploy/app.yaml", "src/App.csproj", "tools/setup.sh",
                                    "requirements.txt", "src/log.py", "a\nb\x1b.tf", "packaging/x.service"};

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
    if (st == VM_OK)
        import_check_merged(&b, (const char *)data, size);
    vm_buf_free(&b);
    free(d);
    vm_scan_free(s);
    return 0;
}
