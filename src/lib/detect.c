/*
 * detect.c - is a YAML document meant for vmctr? Directory operands of
 * `vmctr check` hold other YAML too (Kubernetes manifests, CI files); a
 * file is taken as a vmctr input when its first non-empty document declares
 * `apiVersion: vmctr/...` and its `kind`, when present, is WorkloadProfile.
 * Waiver sets, rule tests, inventory maps and configs are vmctr YAML of
 * another kind: told apart, so that the caller can still check such a file
 * when more documents follow the first.
 */
#include "vmctr/profile.h"

#include <string.h>

#include "yevent.h"

/* The other kinds of vmctr YAML: a directory walk passes them by. */
static bool vm_kind_other(const char *t, size_t n)
{
    static const char *const kinds[] = {"WaiverSet", "RuleTest", "RuleSet", "InventoryMap", "Config"};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strlen(kinds[i]) == n && memcmp(kinds[i], t, n) == 0)
            return true;
    return false;
}

int vm_doc_api(const vm_doc *doc, char *api, size_t cap)
{
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
    bool other = false;
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
            other = vm_kind_other(ev.text, ev.len);
        }
        key = true;
    }
    res = api_ok != 1 ? VM_DOC_FOREIGN : other ? VM_DOC_OTHER_KIND : VM_DOC_PROFILE;
    if (api_ok == -1 && depth != 0)
        res = VM_DOC_PROFILE; /* unreadable before the end: let the loader report why */
done:
    ye_close(p);
    return res;
}
