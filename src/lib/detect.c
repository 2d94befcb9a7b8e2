/*
 * detect.c - is a YAML document meant for vmctr? Directory operands of
 * `vmctr check` hold other YAML too (Kubernetes manifests, CI files); a
 * file is taken as a vmctr input when its first non-empty document declares
 * `apiVersion: vmctr/...`. Reads events only up to that key.
 */
#include "vmctr/profile.h"

#include <string.h>

#include "yevent.h"

int vm_doc_api(const vm_doc *doc, char *api, size_t cap)
{
    if (cap)
        api[0] = '\0';
    ye_parser *p = ye_open(doc->data, doc->len, doc->first_line);
    if (!p)
        return 1; /* out of memory: let the loader decide and report */
    ye_event ev;
    int res = 1, depth = 0;
    bool key = true, want = false;
    /* stream start, document start, then the top node */
    if (!ye_step(p, &ev) || !ye_step(p, &ev))
        goto done;
    if (ev.kind == YE_STREAM_END) {
        res = -1;
        goto done;
    }
    if (!ye_step(p, &ev))
        goto done;
    if (ev.kind == YE_SCALAR && ev.plain && (ev.len == 0 || (ev.len == 1 && ev.text[0] == '~') ||
                                             (ev.len == 4 && memcmp(ev.text, "null", 4) == 0))) {
        res = -1;
        goto done;
    }
    if (ev.kind != YE_MAP_START) {
        res = 0; /* a list or a scalar: not a vmctr document */
        goto done;
    }
    depth = 1;
    while (ye_step(p, &ev)) {
        if (ev.kind == YE_MAP_START || ev.kind == YE_SEQ_START) {
            depth++;
            continue;
        }
        if (ev.kind == YE_MAP_END || ev.kind == YE_SEQ_END) {
            if (--depth == 0) {
                res = 0; /* no apiVersion */
                break;
            }
            if (depth == 1)
                key = true; /* a top-level value ended */
            continue;
        }
        if (ev.kind != YE_SCALAR || depth != 1)
            continue;
        if (key) {
            want = ev.len == 10 && memcmp(ev.text, "apiVersion", 10) == 0;
            key = false;
            continue;
        }
        if (want) {
            size_t n = ev.len < cap ? ev.len : (cap ? cap - 1 : 0);
            if (cap) {
                memcpy(api, ev.text, n);
                api[n] = '\0';
            }
            res = ev.len >= 6 && memcmp(ev.text, "vmctr/", 6) == 0;
            break;
        }
        key = true;
    }
done:
    ye_close(p);
    return res;
}
