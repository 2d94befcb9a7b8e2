/*
 * cmd_scan.c - `vmctr scan DIR`: a profile pre-filled from a repository's
 * evidence (the signals are the library's: src/lib/scan.c, docs/scan.md).
 *
 * The files are those git tracks (`git -C DIR ls-files -z`) when DIR is in
 * a git work tree, else every regular file under DIR (not following
 * symbolic links, skipping .git). They are handed to the library in path
 * order, so the output does not depend on the file system's order. Only
 * files a signal reads are opened: regular files only, never through a
 * symbolic link, at most VM_LIMIT_SCAN_READ bytes; a file with a NUL byte
 * in its first 8 KiB is binary and matched by name only.
 */
#include "cli.h"
#include "util/fs.h"
#include "diagprint.h"
#include "scanfiles.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "vmctr/sys/scan.h"

enum { OPT_OUTPUT = 1, OPT_BASE, OPT_NAME, OPT_QUIET };

static const vm_opt opts[] = {
    {"output", 'o', "FILE", "write the profile to FILE (atomically) instead of standard output", OPT_OUTPUT, false,
     NULL},
    {"base", 'b', "PROFILE",
     "merge the evidence into this profile: fields it sets are kept (a contradiction is a warning), fields it "
     "leaves out are added with their evidence",
     OPT_BASE, false, NULL},
    {"name", 'n', "NAME", "metadata.name of a new profile (default: the directory's name)", OPT_NAME, false, NULL},
    {"quiet", 'q', NULL, "no summary line on standard error", OPT_QUIET, false, NULL},
    {0},
};

static int read_base(const char *path, char **data, size_t *len)
{
    if (vm_read_file(path, VM_LIMIT_DOC_BYTES, data, len) != 0) {
        if (errno == ENOMEM)
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
        else
            vm_eprintf("%s: %s: %s\n", VM_PROG, path, strerror(errno));
        return VM_EIO;
    }
    if (*len > VM_LIMIT_DOC_BYTES) {
        free(*data);
        vm_eprintf("%s: %s: error: larger than a profile may be\n", VM_PROG, path);
        return VM_EPROFILE;
    }
    return 0;
}

static int run(vm_cli *cli, int argc, char **argv)
{
    vm_optparse p;
    vm_opt_init(&p, cli, argc, argv);
    const char *out = NULL, *base = NULL, *name = NULL;
    bool quiet = false;
    int o;
    while ((o = vm_opt_next(&p)) > 0)
        switch (o) {
        case OPT_OUTPUT: out = p.arg; break;
        case OPT_BASE: base = p.arg; break;
        case OPT_NAME: name = p.arg; break;
        case OPT_QUIET: quiet = true; break;
        }
    if (o < 0)
        return p.status;
    if (p.npos > 1)
        return vm_usage_error(cli, "one DIR at a time");
    const char *dir = p.npos ? p.pos[0] : ".";
    vm_scan *s = vm_scan_new();
    if (!s) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    vm_scan_stats st;
    int rc = vm_scan_dir(s, dir, &st);
    vm_buf b;
    vm_buf_init(&b);
    if (!rc && base) {
        char *data = NULL;
        size_t len = 0;
        rc = read_base(base, &data, &len);
        if (!rc) {
            vm_diags d;
            vm_diags_clear(&d);
            rc = (int)vm_scan_merge(s, data, len, base, &b, &d);
            vm_diags_print(cli, &d, base);
            free(data);
            bool said = false; /* the base's loader says "out of memory" itself */
            for (size_t i = 0; i < d.count; i++)
                said |= strcmp(d.items[i].message, "out of memory") == 0;
            if (rc == VM_EIO && !said)
                fprintf(stderr, "%s: out of memory\n", VM_PROG);
        }
    } else if (!rc) {
        char nmbuf[4096];
        const char *nm = name;
        if (!nm) { /* the directory's own name; for "." or "..", the working directory's */
            snprintf(nmbuf, sizeof nmbuf, "%s", dir);
            size_t k = strlen(nmbuf);
            while (k > 1 && nmbuf[k - 1] == '/')
                nmbuf[--k] = '\0';
            char *slash = strrchr(nmbuf, '/');
            nm = slash ? slash + 1 : nmbuf;
            if ((strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0 || !*nm) && getcwd(nmbuf, sizeof nmbuf)) {
                slash = strrchr(nmbuf, '/');
                nm = slash && slash[1] ? slash + 1 : nmbuf;
            }
        }
        vm_scan_write(s, nm, dir, &b);
    }
    if (!rc && b.oom) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        rc = VM_EIO;
    }
    if (!rc)
        rc = vm_out_write(out, b.data, b.len);
    if (!rc && !quiet)
        fprintf(stderr, "%s scan: %zu files (%s), %zu read, %zu binary; %zu signals matched\n", VM_PROG, st.listed,
                st.git ? "tracked by git" : "walked", st.read, st.binary, vm_scan_count(s));
    vm_buf_free(&b);
    vm_scan_free(s);
    return rc;
}

VM_COMMAND(scan,
    .summary = "pre-fill a profile from a source repository's evidence",
    .usage = "[OPTIONS] [DIR]",
    .description =
        "Reads a source repository (the files git tracks when DIR is in a git work tree, else every regular "
        "file; symbolic links are not followed, binary files are matched by name only, each file is read up to "
        "256 KiB) and writes a profile whose fields come from evidence, each with an '# evidence: PATH:LINE: "
        "text' comment: Dockerfile/compose (packaging: container-image), Kubernetes manifests and Helm charts "
        "(current_platform: kubernetes; StatefulSet/PVC: stateful; nvidia.com/gpu: gpu), .NET Framework 4.x "
        "projects (os: windows), WinForms/WPF/Swing/JavaFX (gui), systemd units and deb/rpm packaging "
        "(os-package), kernel modules (custom_kernel), CI pipelines (delivery.ci_cd: basic), Terraform/"
        "Ansible/Pulumi/Bicep (team.iac: partial), Prometheus/OpenTelemetry libraries (observability: "
        "cloud-native); logging to files is a twelve_factor hint, written as a comment. See docs/scan.md. "
        "With --base, the evidence is merged into an existing profile without changing what it sets.\n\n"
        "Exit status: 0 ok, 2 usage error, 3 the --base profile is invalid, 5 DIR or a file could not be read.",
    .examples = "vmctr scan . > vmctr.yaml\n"
                "vmctr scan --base vmctr.yaml -o vmctr.yaml .\n"
                "vmctr scan ~/src/billing | vmctr advise -"
);
