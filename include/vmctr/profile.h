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

/* Opens `path` ("-" for stdin). `display` names it in diagnostics (borrowed).
 * On failure returns NULL and writes a reason into err. */
vm_source *vm_source_open(const char *path, const char *display, char *err, size_t errcap);
/* A source over a memory buffer (borrowed). */
vm_source *vm_source_mem(const char *data, size_t len, const char *display);
void vm_source_free(vm_source *s);                 /* NULL is a no-op; closes a file it opened */
const char *vm_source_name(const vm_source *s);    /* the display name, borrowed */
/* Cuts the next document. Returns 1 with *out filled, 0 at the end, -1 on a
 * read error (err filled). A stream that holds no document at all yields one
 * empty document so that the loader can report "empty file". */
int vm_source_next(vm_source *s, vm_doc *out, char *err, size_t errcap);

/* Whether a document is meant for vmctr (detect.c): 1 when its top-level
 * `apiVersion` starts with "vmctr/" (or the YAML cannot be read: the loader
 * then reports why), 0 when it is another kind of YAML (a mapping without
 * such an apiVersion, a list, a scalar), -1 when it is empty. The
 * apiVersion found (or "") is copied into api (truncated to cap). */
int vm_doc_api(const vm_doc *doc, char *api, size_t cap);

/* Parses and validates one document into *out, allocating from `a`.
 * Returns VM_OK, or VM_EPROFILE with the errors in `d`. A document holding
 * nothing but comments yields VM_OK with out->values.v[VM_F_META_NAME] unset
 * and `*empty` set to true. */
vm_status vm_profile_parse(vm_arena *a, const char *file, const vm_doc *doc,
                           vm_profile *out, bool *empty, vm_diags *d);

/* Sets one field from text, as `--what-if`/`--set` do ("workload.os=linux").
 * Validates like the loader. On error returns VM_EPROFILE with a message in
 * err. line/col of the value are set to 0 (meaning "command line"). */
vm_status vm_values_set_text(vm_arena *a, vm_values *vals, const char *assignment,
                             int *field_out, char *err, size_t errcap);

/* Text of a set scalar value ("daily", "true", "120"); lists are joined with
 * ", ". Returns the buffer. */
const char *vm_value_text(const vm_field_def *f, const vm_value *v, char *buf, size_t cap);

#endif
