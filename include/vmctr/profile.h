/*
 * vmctr/profile.h - the typed profile model and its loader.
 *
 * A profile is decoded straight from libyaml's events into a fixed array of
 * typed values indexed by vm_field_id (no YAML tree is built). Every value
 * keeps its source line and column. Components are stored already merged
 * over the parent, field by field, as the spec says.
 *
 * Input arrives as a byte stream that a vm_source splits into documents at
 * `---`/`...` lines (which YAML forbids inside content), so each document is
 * parsed, validated and reported on its own: one broken document never hides
 * the others, memory stays bounded by VM_LIMIT_DOC_BYTES however long the
 * stream, and documents can be evaluated in parallel.
 */
#ifndef VMCTR_PROFILE_H
#define VMCTR_PROFILE_H

#include "common.h"
#include "arena.h"
#include "diag.h"
#include "field.h"

typedef struct {
    const char **items;
    uint32_t *lines, *cols;  /* per item position */
    uint32_t n;
} vm_strlist;

typedef struct {
    const char **keys, **vals;
    uint32_t n;
} vm_strmap;

typedef struct {
    bool set;              /* false: absent or null, i.e. unknown */
    uint32_t line, col;    /* where the value starts (1-based) */
    union {
        int64_t i;         /* BOOL (0/1), INT, ENUM (index into values[]) */
        uint32_t mask;     /* ENUM_LIST: bit i set when values[i] is listed */
        const char *s;     /* STR, NAME */
        vm_strlist list;   /* STR_LIST */
        vm_strmap map;     /* STR_MAP */
    } u;
} vm_value;

typedef struct {
    vm_value v[VM_FIELD_COUNT];
} vm_values;

typedef struct {
    const char *name;
    uint32_t line, col;
    vm_values values;      /* merged over the parent */
    uint64_t own;          /* bit per field the component sets itself (not inherited) */
} vm_component;

typedef struct {
    const char *file;      /* borrowed display name */
    uint32_t doc_index;    /* 0-based index of the document in its file */
    uint32_t line;         /* line where the document starts */
    vm_values values;      /* metadata.* and spec.* */
    vm_component *components;
    uint32_t ncomponents;
} vm_profile;

/* One document's bytes, as cut from a stream by vm_source. */
typedef struct {
    const char *data;      /* borrowed until the next vm_source_next */
    size_t len;
    uint32_t first_line;   /* 1-based line of data[0] in the file */
    uint32_t index;        /* 0-based document index */
    bool too_large;        /* over VM_LIMIT_DOC_BYTES: data holds only a prefix */
} vm_doc;

typedef struct vm_source vm_source;

/* Opens `path` ("-" for stdin, which is never closed), owned by the caller
 * (vm_source_free). `display` (NULL: path) names it in diagnostics and is
 * borrowed for the source's life. On failure returns NULL and writes the
 * reason ("cannot open: ...", "out of memory") into err[errcap]. */
vm_source *vm_source_open(const char *path, const char *display, char *err, size_t errcap);
/* A source over the len bytes at data, owned by the caller
 * (vm_source_free). data and display (may be NULL: no name) are borrowed
 * and must outlive the source. NULL when out of memory. */
vm_source *vm_source_mem(const char *data, size_t len, const char *display);
/* Frees s and closes a file it opened (not stdin); documents it handed
 * out die with it. NULL is a no-op. */
void vm_source_free(vm_source *s);
/* The display name given to vm_source_open/_mem (borrowed; NULL for a
 * memory source without one). */
const char *vm_source_name(const vm_source *s);
/* Cuts the next document. Returns 1 with *out filled (out->data borrowed
 * from s until the next call), 0 at the end, -1 on a read error or out of
 * memory (reason in err[errcap]; *out untouched). A stream that holds no
 * document at all yields one empty document so that the loader can report
 * "empty file". */
int vm_source_next(vm_source *s, vm_doc *out, char *err, size_t errcap);

/* What vm_doc_api found. */
enum {
    VM_DOC_EMPTY = -1,     /* no content: nothing, comments, null */
    VM_DOC_FOREIGN = 0,    /* not vmctr's: a mapping without apiVersion vmctr/..., a list, a scalar */
    VM_DOC_PROFILE = 1,    /* vmctr's, not of another kind: a profile, or what the loader must judge */
    VM_DOC_OTHER_KIND = 2  /* vmctr's, of another kind: Config, RuleSet, WaiverSet, RuleTest, InventoryMap */
};

/* Whether a document is meant for vmctr (detect.c): VM_DOC_PROFILE when
 * its top-level `apiVersion` starts with "vmctr/" and its `kind`, if any,
 * is not another vmctr kind (also when the YAML cannot be read, or out of
 * memory: the loader then reports why); VM_DOC_OTHER_KIND when that
 * apiVersion comes with the kind of another vmctr file; VM_DOC_FOREIGN
 * when it is another kind of YAML; VM_DOC_EMPTY when it is empty. The
 * apiVersion found (or "") is copied into api[cap]; cap may be 0 (api
 * then untouched). Allocates nothing that outlives the call. */
int vm_doc_api(const vm_doc *doc, char *api, size_t cap);

/* The vmctr kinds vm_doc_kind tells apart. */
enum {
    VM_KIND_NONE = 0,      /* not one of these (see vm_doc_kind) */
    VM_KIND_PROFILE,       /* WorkloadProfile */
    VM_KIND_RULES,         /* RuleSet */
    VM_KIND_WAIVERS,       /* WaiverSet */
    VM_KIND_RULE_TEST,     /* RuleTest */
    VM_KIND_INVENTORY_MAP, /* InventoryMap */
    VM_KIND_CONFIG         /* Config */
};

/* The kind a document declares, read by the same scan as vm_doc_api: one
 * of the VM_KIND_* values when its top-level `apiVersion` starts with
 * "vmctr/" and it has one top-level `kind`, one of vmctr's; VM_KIND_NONE
 * otherwise (foreign or empty YAML, no kind, a kind vmctr does not have,
 * `kind` twice, YAML that cannot be read before the kind, out of memory),
 * for a loader to judge. A rule directory passes by files whose first
 * document is of a kind other than RuleSet. Allocates nothing that
 * outlives the call. */
int vm_doc_kind(const vm_doc *doc);

/* Parses and validates one document into *out; strings, lists and
 * components are copied from doc->data into `a`; `file` is borrowed
 * (out->file and d keep it). Returns VM_OK, VM_EPROFILE with positioned
 * errors in `d`, or VM_EIO when out of memory ("out of memory" in d); *out
 * is then not usable. A document holding nothing but comments yields VM_OK
 * with out->values.v[VM_F_META_NAME] unset and `*empty` set to true. */
vm_status vm_profile_parse(vm_arena *a, const char *file, const vm_doc *doc,
                           vm_profile *out, bool *empty, vm_diags *d);

/* Sets one field of vals from text, as `--what-if`/`--set` do
 * ("workload.os=linux"; "=", "=null" or "=unknown" unsets it); list items
 * are copied into `a`. line/col of the value are 0 ("command line").
 * *field_out (field_out may be NULL) gets the field's id once it is known.
 * Returns VM_OK; VM_EUSAGE (no '=', an unknown field, a field that cannot be
 * set this way) or VM_EPROFILE (a bad value) with the reason in err[errcap];
 * VM_EIO when out of memory. vals is unchanged on failure. */
vm_status vm_values_set_text(vm_arena *a, vm_values *vals, const char *assignment,
                             int *field_out, char *err, size_t errcap);

/* Text of value v of field f into buf[cap] ("daily", "true", "120";
 * "unknown" when unset); lists are joined with ", ", maps as "k=v, ...".
 * Returns buf. */
const char *vm_value_text(const vm_field_def *f, const vm_value *v, char *buf, size_t cap);

#endif
