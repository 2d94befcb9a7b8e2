/*
 * scan.c - profile fields from a repository's files (see vmctr/scan.h and
 * docs/scan.md, which lists every signal with its source; keep the table
 * below and the doc in step).
 *
 * A signal matches a file by name (a glob on the base name, or on the
 * whole relative path) and, optionally, by a substring of one of its
 * lines. The first match of each signal, in the path order the CLI hands
 * files over, is its evidence. Per field, the first signal in table order
 * that matched decides the value; hints never fill a field.
 */
#include "vmctr/sys/scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmctr/arena.h"
#include "vmctr/diff.h"
#include "vmctr/field.h"
#include "vmctr/profile.h"
#include "util/glob.h"
#include "scalar.h"
#include "yamlsafe.h"
#include "yevent.h"

typedef struct {
    const char *id;
    int field;
    const char *value;
    bool hint;
    const char *name;   /* glob on the base name, or NULL */
    const char *path;   /* glob on the relative path, or NULL */
    const char *needle; /* substring of a line; NULL: the file itself is the evidence */
} signal;

#define MANIFESTS(id, needle)                                                                             \
    {id, VM_F_OPERATIONS_OBSERVABILITY, "cloud-native", false, "package.json", NULL, needle},             \
        {id, VM_F_OPERATIONS_OBSERVABILITY, "cloud-native", false, "requirements*.txt", NULL, needle},    \
        {id, VM_F_OPERATIONS_OBSERVABILITY, "cloud-native", false, "pyproject.toml", NULL, needle},       \
        {id, VM_F_OPERATIONS_OBSERVABILITY, "cloud-native", false, "go.mod", NULL, needle},               \
        {id, VM_F_OPERATIONS_OBSERVABILITY, "cloud-native", false, "pom.xml", NULL, needle},              \
        {id, VM_F_OPERATIONS_OBSERVABILITY, "cloud-native", false, "build.gradle*", NULL, needle},        \
        {id, VM_F_OPERATIONS_OBSERVABILITY, "cloud-native", false, "*.csproj", NULL, needle},             \
        {id, VM_F_OPERATIONS_OBSERVABILITY, "cloud-native", false, "Cargo.toml", NULL, needle},           \
        {id, VM_F_OPERATIONS_OBSERVABILITY, "cloud-native", false, "Gemfile", NULL, needle}

static const signal signals[] = {
    /* workload.packaging: container images first, then OS packages */
    {"container.dockerfile", VM_F_WORKLOAD_PACKAGING, "container-image", false, "Dockerfile", NULL, "FROM"},
    {"container.dockerfile", VM_F_WORKLOAD_PACKAGING, "container-image", false, "Dockerfile.*", NULL, "FROM"},
    {"container.dockerfile", VM_F_WORKLOAD_PACKAGING, "container-image", false, "*.dockerfile", NULL, "FROM"},
    {"container.dockerfile", VM_F_WORKLOAD_PACKAGING, "container-image", false, "Containerfile", NULL, "FROM"},
    {"container.compose", VM_F_WORKLOAD_PACKAGING, "container-image", false, "docker-compose*.y*ml", NULL,
     "services:"},
    {"container.compose", VM_F_WORKLOAD_PACKAGING, "container-image", false, "compose.y*ml", NULL, "services:"},
    {"package.systemd-unit", VM_F_WORKLOAD_PACKAGING, "os-package", false, "*.service", NULL, "[Service]"},
    {"package.deb", VM_F_WORKLOAD_PACKAGING, "os-package", false, NULL, "debian/control", "Package:"},
    {"package.rpm-spec", VM_F_WORKLOAD_PACKAGING, "os-package", false, "*.spec", NULL, "%files"},
    /* strategy.current_platform: Kubernetes manifests and Helm charts */
    {"kubernetes.manifest", VM_F_STRATEGY_CURRENT_PLATFORM, "kubernetes", false, "*.y*ml", NULL, "kind: Deployment"},
    {"kubernetes.manifest", VM_F_STRATEGY_CURRENT_PLATFORM, "kubernetes", false, "*.y*ml", NULL, "kind: StatefulSet"},
    {"kubernetes.manifest", VM_F_STRATEGY_CURRENT_PLATFORM, "kubernetes", false, "*.y*ml", NULL, "kind: DaemonSet"},
    {"kubernetes.manifest", VM_F_STRATEGY_CURRENT_PLATFORM, "kubernetes", false, "*.y*ml", NULL, "kind: CronJob"},
    {"kubernetes.helm-chart", VM_F_STRATEGY_CURRENT_PLATFORM, "kubernetes", false, "Chart.yaml", NULL, NULL},
    /* workload.stateful */
    {"kubernetes.stateful", VM_F_WORKLOAD_STATEFUL, "true", false, "*.y*ml", NULL, "kind: StatefulSet"},
    {"kubernetes.stateful", VM_F_WORKLOAD_STATEFUL, "true", false, "*.y*ml", NULL, "kind: PersistentVolumeClaim"},
    {"kubernetes.stateful", VM_F_WORKLOAD_STATEFUL, "true", false, "*.y*ml", NULL, "volumeClaimTemplates:"},
    /* workload.hardware_access */
    {"gpu.kubernetes", VM_F_WORKLOAD_HARDWARE_ACCESS, "gpu", false, "*.y*ml", NULL, "nvidia.com/gpu"},
    {"gpu.cuda-image", VM_F_WORKLOAD_HARDWARE_ACCESS, "gpu", false, "Dockerfile*", NULL, "nvidia/cuda"},
    {"gpu.cuda-image", VM_F_WORKLOAD_HARDWARE_ACCESS, "gpu", false, "*.dockerfile", NULL, "nvidia/cuda"},
    /* workload.os: .NET Framework 4.x projects run on Windows only */
    {"dotnet.framework", VM_F_WORKLOAD_OS, "windows", false, "*.csproj", NULL, "<TargetFrameworkVersion>v4"},
    {"dotnet.framework", VM_F_WORKLOAD_OS, "windows", false, "*.vbproj", NULL, "<TargetFrameworkVersion>v4"},
    {"dotnet.framework", VM_F_WORKLOAD_OS, "windows", false, "*.csproj", NULL, "<TargetFramework>net4"},
    {"dotnet.framework", VM_F_WORKLOAD_OS, "windows", false, "*.vbproj", NULL, "<TargetFramework>net4"},
    {"dotnet.framework", VM_F_WORKLOAD_OS, "windows", false, "*.csproj", NULL, "<TargetFrameworks>net4"},
    /* workload.gui: WinForms, WPF, Swing, JavaFX */
    {"gui.winforms", VM_F_WORKLOAD_GUI, "true", false, "*.csproj", NULL, "<UseWindowsForms>true"},
    {"gui.winforms", VM_F_WORKLOAD_GUI, "true", false, "*.vbproj", NULL, "<UseWindowsForms>true"},
    {"gui.winforms", VM_F_WORKLOAD_GUI, "true", false, "*.csproj", NULL, "System.Windows.Forms"},
    {"gui.winforms", VM_F_WORKLOAD_GUI, "true", false, "*.vbproj", NULL, "System.Windows.Forms"},
    {"gui.wpf", VM_F_WORKLOAD_GUI, "true", false, "*.csproj", NULL, "<UseWPF>true"},
    {"gui.wpf", VM_F_WORKLOAD_GUI, "true", false, "*.csproj", NULL, "PresentationFramework"},
    {"gui.swing", VM_F_WORKLOAD_GUI, "true", false, "*.java", NULL, "import javax.swing"},
    {"gui.javafx", VM_F_WORKLOAD_GUI, "true", false, "*.java", NULL, "import javafx."},
    /* workload.custom_kernel: kernel modules */
    {"kernel.module-binary", VM_F_WORKLOAD_CUSTOM_KERNEL, "true", false, "*.ko", NULL, NULL},
    {"kernel.dkms", VM_F_WORKLOAD_CUSTOM_KERNEL, "true", false, "dkms.conf", NULL, NULL},
    {"kernel.kbuild", VM_F_WORKLOAD_CUSTOM_KERNEL, "true", false, "Kbuild", NULL, NULL},
    {"kernel.kbuild", VM_F_WORKLOAD_CUSTOM_KERNEL, "true", false, "Makefile", NULL, "obj-m"},
    {"kernel.modprobe", VM_F_WORKLOAD_CUSTOM_KERNEL, "true", false, "*.sh", NULL, "modprobe "},
    {"kernel.modprobe", VM_F_WORKLOAD_CUSTOM_KERNEL, "true", false, "*.sh", NULL, "insmod "},
    {"kernel.modprobe", VM_F_WORKLOAD_CUSTOM_KERNEL, "true", false, "Dockerfile*", NULL, "modprobe "},
    {"kernel.modprobe", VM_F_WORKLOAD_CUSTOM_KERNEL, "true", false, "Makefile", NULL, "insmod "},
    {"kernel.modprobe", VM_F_WORKLOAD_CUSTOM_KERNEL, "true", false, "*.service", NULL, "modprobe "},
    /* delivery.ci_cd: a pipeline definition */
    {"ci.github-actions", VM_F_DELIVERY_CI_CD, "basic", false, NULL, ".github/workflows/*.y*ml", NULL},
    {"ci.gitlab", VM_F_DELIVERY_CI_CD, "basic", false, ".gitlab-ci.yml", NULL, NULL},
    {"ci.jenkins", VM_F_DELIVERY_CI_CD, "basic", false, "Jenkinsfile", NULL, NULL},
    {"ci.azure-pipelines", VM_F_DELIVERY_CI_CD, "basic", false, "azure-pipelines.yml", NULL, NULL},
    {"ci.circleci", VM_F_DELIVERY_CI_CD, "basic", false, NULL, ".circleci/config.yml", NULL},
    {"ci.bitbucket", VM_F_DELIVERY_CI_CD, "basic", false, "bitbucket-pipelines.yml", NULL, NULL},
    /* team.iac: infrastructure as code */
    {"iac.terraform", VM_F_TEAM_IAC, "partial", false, "*.tf", NULL, NULL},
    {"iac.pulumi", VM_F_TEAM_IAC, "partial", false, "Pulumi.yaml", NULL, NULL},
    {"iac.ansible", VM_F_TEAM_IAC, "partial", false, "ansible.cfg", NULL, NULL},
    {"iac.ansible", VM_F_TEAM_IAC, "partial", false, "playbook*.y*ml", NULL, NULL},
    {"iac.bicep", VM_F_TEAM_IAC, "partial", false, "*.bicep", NULL, NULL},
    /* operations.observability: Prometheus or OpenTelemetry client libraries */
    MANIFESTS("observability.prometheus", "prometheus"),
    MANIFESTS("observability.opentelemetry", "opentelemetry"),
    MANIFESTS("observability.opentelemetry", "OpenTelemetry"),
    /* workload.twelve_factor: logging to files (a hint, never a fill) */
    {"logging.to-file", VM_F_WORKLOAD_TWELVE_FACTOR, "false", true, "log4j*.xml", NULL, "FileAppender"},
    {"logging.to-file", VM_F_WORKLOAD_TWELVE_FACTOR, "false", true, "log4j*.properties", NULL, "FileAppender"},
    {"logging.to-file", VM_F_WORKLOAD_TWELVE_FACTOR, "false", true, "logback*.xml", NULL, "FileAppender"},
    {"logging.to-file", VM_F_WORKLOAD_TWELVE_FACTOR, "false", true, "*.py", NULL, "logging.FileHandler"},
    {"logging.to-file", VM_F_WORKLOAD_TWELVE_FACTOR, "false", true, "*.py", NULL, "RotatingFileHandler"},
    {"logging.to-file", VM_F_WORKLOAD_TWELVE_FACTOR, "false", true, "*.cs", NULL, "WriteTo.File("},
    {"logging.to-file", VM_F_WORKLOAD_TWELVE_FACTOR, "false", true, "*.js", NULL, "transports.File("},
    {"logging.to-file", VM_F_WORKLOAD_TWELVE_FACTOR, "false", true, "*.ts", NULL, "transports.File("},
};
#define NSIGNALS (sizeof signals / sizeof signals[0])

struct vm_scan {
    vm_arena *a;
    vm_evidence ev[NSIGNALS];
    bool found[NSIGNALS];
    bool oom; /* an evidence text could not be copied */
};

vm_scan *vm_scan_new(void)
{
    vm_scan *s = calloc(1, sizeof *s);
    if (s && !(s->a = vm_arena_new())) {
        free(s);
        return NULL;
    }
    return s;
}

void vm_scan_free(vm_scan *s)
{
    if (!s)
        return;
    vm_arena_free(s->a);
    free(s);
}

static const char *base_of(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

static bool matches(const signal *g, const char *path, const char *base)
{
    const char *s = g->name ? base : path; /* case-sensitive */
    return vm_glob(g->name ? g->name : g->path, s, strlen(s), false);
}

int vm_scan_interest(const char *path)
{
    const char *base = base_of(path);
    int best = VM_SCAN_SKIP;
    for (size_t i = 0; i < NSIGNALS && best < VM_SCAN_CONTENT; i++)
        if (matches(&signals[i], path, base))
            best = signals[i].needle ? VM_SCAN_CONTENT : VM_SCAN_NAME;
    return best;
}

static const char *cut_line(vm_scan *s, const char *p, size_t n)
{
    while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    while (n && (*p == ' ' || *p == '\t'))
        p++, n--;
    const char *r = vm_arena_strndup(s->a, p, n > 200 ? 200 : n);
    if (!r)
        s->oom = true;
    return r;
}

static void record(vm_scan *s, size_t i, const char *path, uint32_t line, const char *text)
{
    if (s->found[i])
        return;
    for (size_t j = 0; j < NSIGNALS; j++) /* one entry per signal id and field: the first file wins */
        if (s->found[j] && strcmp(signals[j].id, signals[i].id) == 0 && signals[j].field == signals[i].field)
            return;
    const char *p = vm_arena_strndup(s->a, path, strlen(path));
    if (!p || s->oom) { /* this path, or the text before it, could not be copied */
        s->oom = true;
        return;
    }
    s->found[i] = true;
    s->ev[i] = (vm_evidence){signals[i].id, signals[i].field, signals[i].value, signals[i].hint, p, line,
                             text ? text : ""};
}

bool vm_scan_file(vm_scan *s, const char *path, const char *data, size_t len)
{
    const char *base = base_of(path);
    for (size_t i = 0; i < NSIGNALS; i++) {
        const signal *g = &signals[i];
        if (s->found[i] || !matches(g, path, base))
            continue;
        if (!g->needle) {
            const char *nl = data ? memchr(data, '\n', len) : NULL;
            record(s, i, path, 1, data ? cut_line(s, data, nl ? (size_t)(nl - data) : len) : NULL);
            continue;
        }
        if (!data)
            continue;
        size_t k = strlen(g->needle);
        uint32_t line = 1;
        const char *p = data, *end = data + len;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *le = nl ? nl : end;
            if ((size_t)(le - p) >= k) {
                const char *hit = NULL;
                for (const char *q = p; q + k <= le && !hit; q++) {
                    q = memchr(q, g->needle[0], (size_t)(le - q));
                    if (!q || q + k > le)
                        break;
                    if (memcmp(q, g->needle, k) == 0)
                        hit = q;
                }
                if (hit) {
                    record(s, i, path, line, cut_line(s, p, (size_t)(le - p)));
                    break;
                }
            }
            line++;
            p = le + 1;
        }
    }
    return !s->oom;
}

size_t vm_scan_count(const vm_scan *s)
{
    size_t n = 0;
    for (size_t i = 0; i < NSIGNALS; i++)
        n += s->found[i];
    return n;
}

const vm_evidence *vm_scan_get(const vm_scan *s, size_t k)
{
    for (size_t i = 0; i < NSIGNALS; i++)
        if (s->found[i] && k-- == 0)
            return &s->ev[i];
    return NULL;
}

/* The evidence that decides `field` (first non-hint signal in table order). */
static const vm_evidence *decider(const vm_scan *s, int field)
{
    for (size_t i = 0; i < NSIGNALS; i++)
        if (s->found[i] && !s->ev[i].hint && s->ev[i].field == field)
            return &s->ev[i];
    return NULL;
}

static void put_evidence(vm_buf *b, const vm_evidence *e)
{
    vm_buf_puts(b, "  # evidence: ");
    vm_yaml_comment(b, e->path, strlen(e->path), 300);
    vm_buf_printf(b, ":%u: ", e->line);
    vm_yaml_comment(b, e->text, strlen(e->text), 200);
    vm_buf_putc(b, '\n');
}

/* Lines for one section at indent `ind`: the deciding evidence of each
 * field (skipping fields `skip` says are set), other values seen as
 * comments, hints as comments. Returns whether anything was written. */
static bool put_section(const vm_scan *s, int sec, int ind, const vm_values *skip, vm_buf *b)
{
    int first, count;
    vm_section_fields(sec, &first, &count);
    bool any = false;
    for (int f = first; f < first + count; f++) {
        if (skip && skip->v[f].set)
            continue;
        const vm_evidence *d = decider(s, f);
        if (d) {
            vm_buf_printf(b, "%*s%s: %s", ind, "", vm_field(f)->key, d->value);
            put_evidence(b, d);
            any = true;
        }
        for (size_t i = 0; i < NSIGNALS; i++) {
            const vm_evidence *e = &s->ev[i];
            if (!s->found[i] || e->field != f || e == d || (d && strcmp(e->value, d->value) == 0))
                continue;
            vm_buf_printf(b, "%*s# %s: %s: %s", ind, "", e->hint ? "hint" : "also seen", vm_field(f)->key, e->value);
            put_evidence(b, e);
            any = true;
        }
    }
    return any;
}

void vm_scan_write(const vm_scan *s, const char *name, const char *what, vm_buf *out)
{
    char label[64];
    size_t k = 0;
    bool dash = false;
    for (const char *p = name; *p && k < 63; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && k && k < 62)
                label[k++] = '-';
            dash = false;
            label[k++] = c;
        } else {
            dash = true;
        }
    }
    while (k && label[k - 1] == '-')
        k--;
    if (!k)
        memcpy(label, "my-workload", k = 11);
    label[k] = '\0';
    vm_buf_puts(out, "---\n# vmctr scan: evidence from ");
    vm_yaml_quoted(out, what, strlen(what), 300);
    vm_buf_puts(out, ". Only what the repository shows is filled; the rest is for people to answer.\n"
                     "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: ");
    vm_yaml_scalar(out, label, k, 0);
    vm_buf_puts(out, "\nspec:\n");
    for (int sec = 0; sec < VM_CAT_COUNT; sec++) {
        vm_buf tmp;
        vm_buf_init(&tmp);
        if (put_section(s, sec, 4, NULL, &tmp)) {
            vm_buf_printf(out, "  %s:\n", vm_category_name(sec));
            vm_buf_put(out, tmp.data, tmp.len);
        }
        if (tmp.oom)
            out->oom = true;
        vm_buf_free(&tmp);
    }
}

/* ---- merging into a person's profile ------------------------------------------ */

typedef struct {
    uint32_t key_line;   /* line of the section key under spec; 0 when absent */
    uint32_t last_line;  /* last line holding one of its events */
    uint32_t child_col;  /* column of its first key (block style), 0 if none */
    bool block;          /* a block mapping we can append to */
    bool null_value;     /* `workload:` with nothing (not `~` or `null`: text
                          * after those would not parse) */
} secpos;

typedef struct {
    uint32_t spec_line, spec_last, spec_child_col;
    bool spec_block;
    bool spec_empty;     /* `spec:` with nothing */
    uint32_t doc_last;
    secpos sec[VM_CAT_COUNT];
} layout;

/* The byte at a 1-based file position of the document, or 0. */
static char char_at(const char *data, size_t len, uint32_t first_line, uint32_t line, uint32_t col)
{
    size_t i = 0;
    for (uint32_t l = first_line; l < line && i < len; i++)
        if (data[i] == '\n')
            l++;
    i += col - 1;
    return i < len ? data[i] : 0;
}

/* Where spec and its sections are, from the document's events. */
static bool find_layout(const char *data, size_t len, uint32_t first_line, layout *L)
{
    memset(L, 0, sizeof *L);
    ye_parser *p = ye_open(data, len, first_line);
    if (!p)
        return false;
    ye_event ev;
    int depth = 0;          /* mapping/sequence nesting */
    int in_spec = 0;        /* depth of spec's mapping, 0 when outside */
    int cur = -1;           /* section being walked */
    int cur_depth = 0;
    bool expect_key = false, key_spec = false, top_key = false;
    int pending_sec = -1;
    bool ok = true;
    for (;;) {
        if (!ye_step(p, &ev)) {
            ok = false;
            break;
        }
        if (ev.kind == YE_STREAM_END || ev.kind == YE_DOC_END)
            break;
        uint32_t end_line, end_col;
        ye_end(p, &end_line, &end_col);
        /* a block collection's END event is empty, positioned at the next
         * token: it is not content; a flow collection's is its `]` or `}` */
        bool content = (ev.kind != YE_MAP_END && ev.kind != YE_SEQ_END) || end_line != ev.line || end_col != ev.col;
        /* the last line the event covers: a quoted or plain scalar may run
         * over several lines, and new lines must go after its end, not into
         * it; an end at column 1 (a block scalar's) is on the line before */
        uint32_t last = end_line > ev.line && end_col == 1 ? end_line - 1 : end_line;
        last = last > ev.line ? last : ev.line;
        if (content && last > L->doc_last)
            L->doc_last = last;
        if (content && in_spec && last > L->spec_last && depth >= in_spec)
            L->spec_last = last;
        if (content && cur >= 0 && depth >= cur_depth && last > L->sec[cur].last_line)
            L->sec[cur].last_line = last;
        switch (ev.kind) {
        case YE_MAP_START:
        case YE_SEQ_START:
            depth++;
            bool flow = char_at(data, len, first_line, ev.line, ev.col) == '{';
            if (ev.kind == YE_MAP_START && key_spec) {
                in_spec = depth;
                L->spec_block = !flow;
                L->spec_child_col = ev.col;
                key_spec = false;
            } else if (ev.kind == YE_MAP_START && pending_sec >= 0) {
                cur = pending_sec;
                cur_depth = depth;
                L->sec[cur].block = !flow;
                L->sec[cur].child_col = ev.col;
                L->sec[cur].last_line = ev.line;
                pending_sec = -1;
            } else {
                key_spec = false;
                pending_sec = -1;
            }
            expect_key = ev.kind == YE_MAP_START;
            top_key = depth == 1;
            break;
        case YE_MAP_END:
        case YE_SEQ_END:
            if (cur >= 0 && depth == cur_depth)
                cur = -1;
            if (in_spec && depth == in_spec)
                in_spec = 0;
            depth--;
            expect_key = true;
            top_key = depth == 1;
            break;
        case YE_SCALAR:
            if (key_spec) { /* spec: null */
                key_spec = false;
                L->spec_block = false;
                L->spec_empty = ev.plain && ev.len == 0;
            } else if (pending_sec >= 0) {
                L->sec[pending_sec].null_value = ev.plain && ev.len == 0;
                pending_sec = -1;
            } else if (expect_key && depth == 1 && top_key && ev.len == 4 && memcmp(ev.text, "spec", 4) == 0) {
                L->spec_line = ev.line;
                key_spec = true;
            } else if (expect_key && in_spec && depth == in_spec) {
                int c = vm_category_find(ev.text, ev.len);
                if (c >= 0) {
                    L->sec[c].key_line = ev.line;
                    pending_sec = c;
                }
            }
            break;
        default: break;
        }
        /* keys and values alternate in a mapping; a value that is a
         * collection is handled by the START/END cases */
        if (ev.kind == YE_SCALAR && depth >= 1)
            expect_key = !expect_key;
    }
    ye_close(p);
    return ok;
}

static bool agrees(const vm_field_def *f, const vm_value *val, const char *have, const char *value)
{
    if (f->type == VM_T_ENUM_LIST) { /* a list agrees when it holds the value */
        int k = vm_field_enum_index(f, value, strlen(value));
        return k >= 0 && ((val->u.mask >> k) & 1u);
    }
    return strcmp(have, value) == 0;
}

void vm_scan_compare(const vm_scan *s, const vm_values *v, const char *file, const char *where, vm_diags *w)
{
    for (int fid = 0; fid < VM_FIELD_COUNT; fid++) {
        const vm_evidence *d = decider(s, fid);
        if (!d || !v->v[fid].set)
            continue;
        const vm_field_def *f = vm_field(fid);
        char have[128];
        vm_value_text(f, &v->v[fid], have, sizeof have);
        /* the repository may show several values for one field (a
         * Dockerfile and a systemd unit): a profile that says one of them
         * agrees with it */
        bool ok = false;
        for (size_t i = 0; i < NSIGNALS && !ok; i++)
            ok = s->found[i] && !s->ev[i].hint && s->ev[i].field == fid && agrees(f, &v->v[fid], have, s->ev[i].value);
        if (ok)
            continue;
        char also[96] = "";
        for (size_t i = 0; i < NSIGNALS; i++) {
            const vm_evidence *e = &s->ev[i];
            char q[40];
            snprintf(q, sizeof q, "'%s'", e->value);
            if (!s->found[i] || e->hint || e->field != fid || strcmp(e->value, d->value) == 0 || strstr(also, q))
                continue;
            size_t k = strlen(also);
            snprintf(also + k, sizeof also - k, "%s'%s'", k ? ", " : "; also seen: ", e->value);
        }
        char qp[200], qt[160];
        vm_yaml_quoted_to(qp, sizeof qp, d->path, strlen(d->path));
        vm_yaml_quoted_to(qt, sizeof qt, d->text, strlen(d->text));
        /* a component's path: spec.components[i].workload.os */
        const char *fp = where && strncmp(f->path, "spec.", 5) == 0 ? f->path + 5 : f->path;
        char path[96];
        snprintf(path, sizeof path, "%s%s%s", where ? where : "", where ? "." : "", fp);
        vm_diag_add(w, VM_SEV_WARNING, file, v->v[fid].line, v->v[fid].col, path,
                    "the profile says '%s' but the repository shows '%s' (%s, evidence: %s line %u: %s)%s", have,
                    d->value, d->rule, qp, d->line, qt, also);
    }
}

/* Which line a section's new lines go after, and their indent; false when
 * the section cannot be appended to (flow style). */
static bool place(const layout *L, int sec, uint32_t *after, int *ind, bool *open_sec, bool *open_spec)
{
    const secpos *sp = &L->sec[sec];
    *open_sec = *open_spec = false;
    if (sp->key_line) {
        if (sp->block) {
            *after = sp->last_line;
            *ind = (int)sp->child_col - 1;
            return true;
        }
        if (sp->null_value && L->spec_block) {
            *after = sp->key_line;
            *ind = (int)L->spec_child_col - 1 + 2;
            return true;
        }
        return false;
    }
    if (L->spec_line && L->spec_block) {
        *after = L->spec_last;
        *ind = (int)L->spec_child_col - 1 + 2;
        *open_sec = true;
        return true;
    }
    if (L->spec_line && L->spec_empty) { /* `spec:` with nothing: its sections go below it */
        *after = L->spec_line;
        *ind = 4;
        *open_sec = true;
        return true;
    }
    if (L->spec_line)
        return false; /* spec: ~, null or flow: written by hand */
    *after = L->doc_last;
    *ind = 4;
    *open_sec = *open_spec = true;
    return true;
}

/* A section's evidence lines (put_section at indent 0) as comments naming
 * the section: `# workload.stateful: true  # evidence: ...`; its comment
 * lines (hints, "also seen") as they are. */
static void comment_out(vm_buf *b, int sec, const char *body)
{
    for (const char *q = body; q && *q;) {
        const char *nl = strchr(q, '\n');
        size_t n = nl ? (size_t)(nl - q) + 1 : strlen(q);
        if (q[0] != '#')
            vm_buf_printf(b, "# %s.", vm_category_name(sec));
        vm_buf_put(b, q, n);
        q += n;
    }
}

/* ins[k]: text to write after line k of the file (ins[2k] extends an
 * existing section, ins[2k+1] opens new ones, so that a new section never
 * swallows the lines that belong to the one above it); tail: sections
 * that cannot be appended to (flow style, null), commented out. False when
 * a scratch buffer ran out of memory. */
static bool build_insertions(const vm_scan *s, const layout *L, const vm_values *have, uint32_t nlines,
                             vm_buf *ins, vm_buf *tail, const char *file, vm_diags *w)
{
    bool ok_mem = true, spec_opened = false;
    for (int sec = 0; sec < VM_CAT_COUNT; sec++) {
        uint32_t after = 0;
        int ind = 0;
        bool open_sec, open_spec;
        bool ok = place(L, sec, &after, &ind, &open_sec, &open_spec);
        vm_buf body;
        vm_buf_init(&body);
        if (!put_section(s, sec, ok ? ind : 0, have, &body)) {
            vm_buf_free(&body);
            continue;
        }
        if (!ok) {
            if (L->sec[sec].key_line)
                vm_diag_add(w, VM_SEV_WARNING, file, L->sec[sec].key_line, 1, "",
                            "spec.%s is written in flow style or null: its evidence is added as comments at the end",
                            vm_category_name(sec));
            else
                vm_diag_add(w, VM_SEV_WARNING, file, L->spec_line, 1, "",
                            "spec is written in flow style or null: the evidence for spec.%s is added as comments "
                            "at the end",
                            vm_category_name(sec));
            comment_out(tail, sec, body.data);
        } else {
            if (after > nlines)
                after = nlines;
            vm_buf *dst = &ins[2 * (size_t)after + (open_sec ? 1 : 0)];
            if (open_spec && !spec_opened) {
                vm_buf_puts(dst, "spec:\n");
                spec_opened = true;
            }
            if (open_sec)
                vm_buf_printf(dst, "%*s%s:\n", ind - 2, "", vm_category_name(sec));
            vm_buf_put(dst, body.data ? body.data : "", body.len);
        }
        if (body.oom)
            ok_mem = false; /* a scratch buffer that ran out fails the output */
        vm_buf_free(&body);
    }
    return ok_mem;
}

/* Whether the base ends its lines with CR LF: its first line does. The
 * lines the merge adds then end the same way, so that a profile kept with
 * Windows line ends does not come back with mixed ones. */
static bool crlf_base(const char *base, size_t len)
{
    const char *nl = memchr(base, '\n', len);
    return nl && nl > base && nl[-1] == '\r';
}

/* n bytes of lines vmctr wrote (each ending in LF), with CR LF ends when
 * crlf. */
static void put_added(vm_buf *out, const char *s, size_t n, bool crlf)
{
    if (!crlf) {
        vm_buf_put(out, s, n);
        return;
    }
    for (const char *p = s, *end = s + n; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t k = nl ? (size_t)(nl - p) : (size_t)(end - p);
        vm_buf_put(out, p, k);
        if (nl)
            vm_buf_put(out, "\r\n", 2);
        p += k + (nl != NULL);
    }
}

/* The file, line by line, with the insertions after their lines, then
 * what is left and the tail; frees ins and tail. False when out of memory. */
static bool splice(const char *base, size_t len, uint32_t nlines, vm_buf *ins, vm_buf *tail, vm_buf *out)
{
    const char *p = base, *end = base + len;
    bool crlf = crlf_base(base, len);
    uint32_t line = 1;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        vm_buf_put(out, p, n);
        if (!nl)
            put_added(out, "\n", 1, crlf);
        if (line <= nlines)
            for (int k = 0; k < 2; k++) {
                vm_buf *b = &ins[2 * (size_t)line + (size_t)k];
                put_added(out, b->data ? b->data : "", b->len, crlf);
                b->len = 0;
            }
        p += n;
        line++;
    }
    for (size_t k = 0; k < 2 * ((size_t)nlines + 1); k++) /* past the last line */
        if (ins[k].len)
            put_added(out, ins[k].data, ins[k].len, crlf);
    put_added(out, tail->data ? tail->data : "", tail->len, crlf);
    bool oom = out->oom || tail->oom;
    for (size_t k = 0; k < 2 * ((size_t)nlines + 1); k++) {
        oom |= ins[k].oom;
        vm_buf_free(&ins[k]);
    }
    vm_buf_free(tail);
    return !oom;
}

static bool same_name(const char *x, const char *y) { return x && y ? strcmp(x, y) == 0 : x == y; }

/* Whether the merged profile m keeps every value the base b sets: the
 * parent's, and each component's own. */
static bool keeps_base(const vm_profile *b, const vm_profile *m)
{
    for (int f = 0; f < VM_FIELD_COUNT; f++)
        if (b->values.v[f].set && !vm_value_equal(vm_field(f), &b->values.v[f], &m->values.v[f]))
            return false;
    if (b->ncomponents != m->ncomponents)
        return false;
    for (uint32_t i = 0; i < b->ncomponents; i++) {
        const vm_component *x = &b->components[i], *y = &m->components[i];
        if (!same_name(x->name, y->name) || x->own != y->own)
            return false;
        for (int f = 0; f < VM_FIELD_COUNT; f++)
            if (((x->own >> f) & 1u) && !vm_value_equal(vm_field(f), &x->values.v[f], &y->values.v[f]))
                return false;
    }
    return true;
}

static vm_status read_base(vm_arena *a, vm_source *src, const char *file, vm_profile *prof, layout *L,
                           vm_diags *w);

/* Reads out[start..] back as the merge's result, as the base was read
 * (read_base): *good when it is one profile, with only empty documents
 * around it, that keeps every value of bp (a line break the splice did not
 * count can move the new lines past the profile's end, into a document
 * that held only comments). VM_EIO when memory ran out (not a reason to
 * fall back). */
static vm_status read_back(vm_arena *a, const vm_buf *out, size_t start, const char *file, const vm_profile *bp,
                           bool *good)
{
    vm_source *chk = vm_source_mem(out->data + start, out->len - start, file);
    if (!chk)
        return VM_EIO;
    vm_diags cw;
    vm_profile cp;
    vm_diags_clear(&cw);
    vm_status st = read_base(a, chk, file, &cp, NULL, &cw);
    vm_source_free(chk);
    *good = st == VM_OK && keeps_base(bp, &cp);
    return st == VM_EIO ? VM_EIO : VM_OK;
}

/* The evidence for every field the base leaves out, as comments under a
 * head line, with CR LF ends when crlf. */
static void put_comments(const vm_scan *s, const vm_profile *bp, bool crlf, vm_buf *out)
{
    static const char head[] = "# vmctr scan: evidence for fields this profile leaves out (add them by hand):\n";
    put_added(out, head, sizeof head - 1, crlf);
    for (int sec = 0; sec < VM_CAT_COUNT; sec++) {
        vm_buf body, lines;
        vm_buf_init(&body);
        vm_buf_init(&lines);
        put_section(s, sec, 0, &bp->values, &body);
        comment_out(&lines, sec, body.data);
        put_added(out, lines.data ? lines.data : "", lines.len, crlf);
        out->oom |= body.oom || lines.oom;
        vm_buf_free(&lines);
        vm_buf_free(&body);
    }
}

/* The insertion points come from the events; a layout they do not
 * describe (a block scalar ending a section, a line break libyaml counts
 * and the splice does not: CR, NEL, LS, PS) could make the text from
 * `start` on invalid, or valid with a value the person wrote changed (the
 * lines inside a quoted string). So the result is read back and must keep
 * every value of the base (keeps_base). Otherwise nothing is inserted: the
 * base is written as it was and the evidence goes in comments after it;
 * when even a line end after the base changes a value (a block scalar
 * with no line end after its last line), before it (after a byte order
 * mark); when that fails too, the base alone. Each is read back. VM_EIO
 * when memory ran out. */
static vm_status placed_or_comments(const vm_scan *s, vm_arena *a, const vm_profile *bp, const char *base,
                                    size_t len, const char *file, size_t start, vm_buf *out, vm_diags *w)
{
    bool good;
    vm_status st = read_back(a, out, start, file, bp, &good);
    if (st != VM_OK || good)
        return st;
    /* every attempt too long for a document: the reason to give */
    bool too_big = out->len - start > VM_LIMIT_DOC_BYTES;
    bool crlf = crlf_base(base, len);
    for (int where = 0; where < 2; where++) {
        out->len = start;
        if (where == 0) { /* at the end */
            vm_buf_put(out, base, len);
            if (len && base[len - 1] != '\n')
                put_added(out, "\n", 1, crlf);
            put_comments(s, bp, crlf, out);
        } else { /* at the start */
            size_t bom = len >= 3 && memcmp(base, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
            vm_buf_put(out, base, bom);
            put_comments(s, bp, crlf, out);
            vm_buf_put(out, base + bom, len - bom);
        }
        if (out->oom)
            return VM_EIO;
        too_big = too_big && out->len - start > VM_LIMIT_DOC_BYTES;
        if ((st = read_back(a, out, start, file, bp, &good)) != VM_OK)
            return st;
        if (good) {
            vm_diag_add(w, VM_SEV_WARNING, file, 1, 1, "",
                        "the evidence could not be placed in this layout: it is added as comments at the %s",
                        where == 0 ? "end" : "start");
            return VM_OK;
        }
    }
    out->len = start;
    vm_buf_put(out, base, len);
    if (too_big)
        vm_diag_add(w, VM_SEV_WARNING, file, 1, 1, "",
                    "the evidence could not be added: the profile would be larger than the %u KiB document "
                    "limit, so it is written as it was ('vmctr scan' without --base prints the evidence)",
                    VM_LIMIT_DOC_BYTES / 1024u);
    else
        vm_diag_add(w, VM_SEV_WARNING, file, 1, 1, "",
                    "the evidence could not be added to this layout without changing a value: the profile is "
                    "written as it was ('vmctr scan' without --base prints the evidence)");
    return out->oom ? VM_EIO : VM_OK;
}

/* The next document of the base into *doc: VM_OK, or VM_EPROFILE at the
 * end (*end) or on a read error (reported), VM_EIO when memory ran out. */
static vm_status next_doc(vm_source *src, const char *file, vm_doc *doc, bool *end, vm_diags *w)
{
    char err[256];
    int got = vm_source_next(src, doc, err, sizeof err);
    *end = got == 0;
    if (got == 1 || got == 0)
        return got == 1 ? VM_OK : VM_EPROFILE;
    if (strcmp(err, "out of memory") == 0) /* vm_source's words for ENOMEM */
        return VM_EIO;
    vm_diag_add(w, VM_SEV_ERROR, file, 1, 1, "", "cannot read the base profile: %s", err);
    return VM_EPROFILE;
}

/* Reads the base as `vmctr validate` would: documents with no content
 * before the profile (only `---`, comments, `~`, or a line break only
 * libyaml counts) are passed over,
 * the first one with content is the profile (*prof, its layout *L unless
 * L is NULL), and
 * every document after it must load as empty (`---` then comments, or
 * `...`); those are kept as they are. Loading them, not only looking at
 * them, is what finds a document hidden behind a line break other than LF.
 * Errors go to w: VM_EPROFILE, or VM_EIO when memory ran out. */
static vm_status read_base(vm_arena *a, vm_source *src, const char *file, vm_profile *prof, layout *L,
                           vm_diags *w)
{
    vm_doc doc;
    bool empty = true, end = false;
    vm_status st = VM_OK;
    while ((st = next_doc(src, file, &doc, &end, w)) == VM_OK &&
           (st = vm_profile_parse(a, file, &doc, prof, &empty, w)) == VM_OK && empty)
        ;
    if (end) {
        vm_diag_add(w, VM_SEV_ERROR, file, 1, 1, "", "the base profile is empty");
        return VM_EPROFILE;
    }
    if (st)
        return st;
    if (L && !find_layout(doc.data, doc.len, doc.first_line, L))
        return VM_EIO; /* the document parsed above: only memory can fail here */
    /* (reading on moves the source: doc.data is not used after this) */
    while ((st = next_doc(src, file, &doc, &end, w)) == VM_OK) {
        vm_profile more;
        bool none = true;
        vm_diags seen;
        vm_diags_clear(&seen);
        st = vm_profile_parse(a, file, &doc, &more, &none, &seen);
        if (st == VM_EIO)
            return VM_EIO;
        if (st == VM_OK && none)
            continue;
        /* content, loaded or not: vm_doc_api only picks the words (its
         * own out of memory could only change them) */
        if (st == VM_OK || vm_doc_api(&doc, NULL, 0) != VM_DOC_EMPTY) {
            vm_diag_add(w, VM_SEV_ERROR, file, doc.first_line, 1, "", "--base takes one profile, not a stream");
            return VM_EPROFILE;
        }
        /* it looks empty but does not load (a document hidden behind a
         * line break other than LF, bad YAML): validate's own errors */
        for (size_t i = 0; i < seen.count; i++)
            vm_diag_add(w, seen.items[i].severity, seen.items[i].file, seen.items[i].line, seen.items[i].col,
                        seen.items[i].path, "%s", seen.items[i].message);
        return st;
    }
    return end ? VM_OK : st;
}

vm_status vm_scan_merge(const vm_scan *s, const char *base, size_t len, const char *file, vm_buf *out,
                        vm_diags *w)
{
    vm_source *src = vm_source_mem(base, len, file);
    vm_arena *a = vm_arena_new();
    if (!src || !a) {
        vm_source_free(src);
        vm_arena_free(a);
        return VM_EIO;
    }
    vm_profile prof;
    layout L;
    vm_status st = read_base(a, src, file, &prof, &L, w);
    if (st)
        goto done;
    vm_scan_compare(s, &prof.values, file, NULL, w);
    uint32_t nlines = 1;
    for (size_t i = 0; i < len; i++)
        nlines += base[i] == '\n';
    if (L.doc_last + 1 > nlines)
        nlines = L.doc_last + 1;
    vm_buf *ins = calloc(2 * ((size_t)nlines + 1), sizeof *ins);
    if (!ins) {
        st = VM_EIO;
        goto done;
    }
    vm_buf tail;
    vm_buf_init(&tail);
    bool mem = build_insertions(s, &L, &prof.values, nlines, ins, &tail, file, w);
    size_t start = out->len;
    mem = splice(base, len, nlines, ins, &tail, out) && mem;
    free(ins);
    if (!mem)
        out->oom = true;
    st = out->oom ? VM_EIO : placed_or_comments(s, a, &prof, base, len, file, start, out, w);
done:
    vm_arena_free(a);
    vm_source_free(src);
    return st;
}
