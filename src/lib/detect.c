/*
 * detect.c - is a YAML document meant for vmctr, and of which kind?
 * Directory operands of `vmctr check` hold other YAML too (Kubernetes
 * manifests, CI files); a file is taken as a vmctr input when its first
 * non-empty document declares `apiVersion: vmctr/...` and its `kind`, when
 * present, is WorkloadProfile. Waiver sets, rule tests, inventory maps and
 * configs are vmctr YAML of another kind: told apart, so that the caller
 * can still check such a file when more documents follow the first. A rule
 * directory (`--rules DIR`, `rules test DIR`) passes by the vmctr files of
 * a kind other than RuleSet the same way (vm_doc_kind): one scan, two
 * views.
 */
#include "vmctr/profile.h"

#include <string.h>

#include "yevent.h"

/* The kinds of vmctr YAML, by vm_doc_kind value (index 0 unused) */
static const char *const kind_names[] = {
    [VM_KIND_PROFILE] = "WorkloadProfile", [VM_KIND_RULES] = "RuleSet",   [VM_KIND_WAIVERS] = "WaiverSet",
    [VM_KIND_RULE_TEST] = "RuleTest",      [VM_KIND_INVENTORY_MAP] = "InventoryMap", [VM_KIND_CONFIG] = "Config",
};
_Static_assert(sizeof kind_names / sizeof *kind_names == VM_KIND_CONFIG + 1, "one name per vmctr kind");

static int kind_find(const char *t, size_t n)
{
    for (int k = VM_KIND_PROFILE; k <= VM_KIND_CONFIG; k++)
        if (strlen(kind_names[k]) == n && memcmp(kind_names[k], t, n) == 0)
            return k;
    return VM_KIND_NONE;
}

/* The one scan of a document's top level: returns what vm_doc_api
 * returns, copies the apiVersion as it does, and sets *kind to what
 * vm_doc_kind returns. */
static int scan(const vm_doc *doc, char *api, size_t cap, int *kind)
{
    *kind = VM_KIND_NONE;
    if (cap)
        api[0] = '\0';
    ye_parser *p = ye_open(doc->data, doc->len, doc->first_line);
    if (!p)
        return VM_DOC_PROFILE; /* out of memory: let the loader decide and report */
    ye_event ev;
    int res = VM_DOC_PROFILE, depth = 0;
    bool key = true;
    /* stream start, document start, then the top node */
    if (!ye_step(p, &ev) || !ye_step(p, &ev))
        goto done;
    if (ev.kind == YE_STREAM_END) {
        res = VM_DOC_EMPTY;
        goto done;
    }
    if (!ye_step(p, &ev))
        goto done;
    if (ev.kind == YE_SCALAR && ev.plain && (ev.len == 0 || (ev.len == 1 && ev.text[0] == '~') ||
                                             (ev.len == 4 && memcmp(ev.text, "null", 4) == 0))) {
        res = VM_DOC_EMPTY;
        goto done;
    }
    if (ev.kind != YE_MAP_START) {
        res = VM_DOC_FOREIGN; /* a list or a scalar: not a vmctr document */
        goto done;
    }
    depth = 1;
    int api_ok = -1; /* -1: no apiVersion yet; 0/1: found, vmctr/ or not */
    int found = VM_KIND_NONE, kinds = 0;
    enum { K_OTHER, K_API, K_KIND } want = K_OTHER;
    while (ye_step(p, &ev)) {
        if (ev.kind == YE_MAP_START || ev.kind == YE_SEQ_START) {
            depth++;
            continue;
        }
        if (ev.kind == YE_MAP_END || ev.kind == YE_SEQ_END) {
            if (--depth == 0)
                break;
            if (depth == 1)
                key = true; /* a top-level value ended */
            continue;
        }
        if (ev.kind != YE_SCALAR || depth != 1)
            continue;
        if (key) {
            want = ev.len == 10 && memcmp(ev.text, "apiVersion", 10) == 0 ? K_API
                   : ev.len == 4 && memcmp(ev.text, "kind", 4) == 0   ? K_KIND
                                                                       : K_OTHER;
            key = false;
            continue;
        }
        if (want == K_API) {
            size_t n = ev.len < cap ? ev.len : (cap ? cap - 1 : 0);
            if (cap) {
                memcpy(api, ev.text, n);
                api[n] = '\0';
            }
            api_ok = ev.len >= 6 && memcmp(ev.text, "vmctr/", 6) == 0;
            if (!api_ok)
                break;
        } else if (want == K_KIND) {
            /* another vmctr kind (WaiverSet, RuleTest, InventoryMap, a
             * config) is not a profile; the loader names a wrong kind */
            found = kind_find(ev.text, ev.len);
            kinds++;
        }
        key = true;
    }
    bool other = found != VM_KIND_NONE && found != VM_KIND_PROFILE;
    res = api_ok != 1 ? VM_DOC_FOREIGN : other ? VM_DOC_OTHER_KIND : VM_DOC_PROFILE;
    if (api_ok == -1 && depth != 0)
        res = VM_DOC_PROFILE; /* unreadable before the end: let the loader report why */
    /* a kind only from a vmctr document that says it once */
    if (api_ok == 1 && kinds == 1)
        *kind = found;
done:
    ye_close(p);
    return res;
}

int vm_doc_api(const vm_doc *doc, char *api, size_t cap)
{
    int kind;
    return scan(doc, api, cap, &kind);
}

int vm_doc_kind(const vm_doc *doc)
{
    int kind;
    scan(doc, NULL, 0, &kind);
    return kind;
}
