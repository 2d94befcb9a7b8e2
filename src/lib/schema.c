/*
 * schema.c - the JSON Schema (draft 2020-12) of a profile, generated from
 * the field table. The only file that builds JSON with cJSON for this; no
 * cJSON type leaves it. Every object is closed (additionalProperties:
 * false), like the loader, and `null` is allowed wherever the loader reads
 * it as "absent". List items and label values are strings: the loader also
 * takes an unquoted `4711` as text, the schema asks for the quotes (as
 * Kubernetes does for labels), so editors nudge towards the portable form.
 */
#include "vmctr/schema.h"
#include "util/buf.h"
#include "vmctr/version.h"
#include "vmctr/field.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DNS_LABEL_PATTERN "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"

/* One line per spec section for the schema's descriptions (spec §14.2). */
static const struct {
    const char *name, *desc;
} section_desc[] = {
    {"workload", "nature of the workload (§14.2)"},
    {"isolation", "isolation requirements (§14.2)"},
    {"economics", "economic considerations (§14.2)"},
    {"delivery", "evolution speed and delivery (§14.2, §13.2)"},
    {"team", "team competencies and organisational culture (§14.2)"},
    {"strategy", "long-term technology strategy (§14.2, §13.5, §14.3)"},
    {"operations", "operations: HA, live migration, monitoring (§14.1, §13.4)"},
    {"priorities", "weight of each rule category, 0..5; a category not named weighs 3"},
    {"decision", "what the team proposes (read by vmctr check)"},
    {"components", "parts of a system; each overrides the parent's fields and gets its own recommendation"},
};

static const char *section_description(const char *name)
{
    for (size_t i = 0; i < sizeof section_desc / sizeof *section_desc; i++)
        if (strcmp(section_desc[i].name, name) == 0)
            return section_desc[i].desc;
    return NULL;
}

/* cJSON reports allocation failure by returning NULL; `ok` collects it. */
typedef struct {
    bool ok;
} ctx;

static cJSON *chk(ctx *c, cJSON *j)
{
    if (!j)
        c->ok = false;
    return j;
}

static void add(ctx *c, cJSON *obj, const char *key, cJSON *val)
{
    if (!val || !obj) {
        c->ok = false;
        cJSON_Delete(val);
        return;
    }
    if (!cJSON_AddItemToObject(obj, key, val)) {
        c->ok = false;
        cJSON_Delete(val);
    }
}

static void push(ctx *c, cJSON *arr, cJSON *val)
{
    if (!val || !arr || !cJSON_AddItemToArray(arr, val)) {
        c->ok = false;
        cJSON_Delete(val);
    }
}

static void add_str(ctx *c, cJSON *obj, const char *key, const char *s) { add(c, obj, key, cJSON_CreateString(s)); }
static void add_num(ctx *c, cJSON *obj, const char *key, double n) { add(c, obj, key, cJSON_CreateNumber(n)); }
static void add_bool(ctx *c, cJSON *obj, const char *key, bool b) { add(c, obj, key, cJSON_CreateBool(b)); }

/* ["s1", "s2", ...] from a NULL-terminated list. */
static cJSON *str_array(ctx *c, const char *const *s)
{
    cJSON *arr = chk(c, cJSON_CreateArray());
    for (size_t i = 0; s[i]; i++)
        push(c, arr, cJSON_CreateString(s[i]));
    return arr;
}

/* "type": ["t1", "t2", ...] (NULL-terminated) or "type": "t1". */
static void add_types(ctx *c, cJSON *obj, const char *const *types)
{
    if (!types[1]) {
        add_str(c, obj, "type", types[0]);
        return;
    }
    add(c, obj, "type", str_array(c, types));
}

/* {"type": "string", "maxLength": ...}: one string of a list or a map, held
 * to the same limit as a scalar. */
static cJSON *scalar_string(ctx *c)
{
    cJSON *s = chk(c, cJSON_CreateObject());
    add_str(c, s, "type", "string");
    add_num(c, s, "maxLength", VM_LIMIT_SCALAR_BYTES);
    return s;
}

#define TYPES(...) add_types(c, o, (const char *const[]){__VA_ARGS__, NULL})

static cJSON *enum_of(ctx *c, const vm_field_def *f, bool with_null)
{
    cJSON *arr = chk(c, cJSON_CreateArray());
    for (int i = 0; i < f->nvalues; i++)
        push(c, arr, cJSON_CreateString(f->values[i]));
    if (with_null)
        push(c, arr, cJSON_CreateNull());
    return arr;
}

/* {"enum": [...]}: one value of an enum list. */
static cJSON *enum_item(ctx *c, const vm_field_def *f)
{
    cJSON *o = chk(c, cJSON_CreateObject());
    add(c, o, "enum", enum_of(c, f, false));
    return o;
}

/* The schema of one field's value. */
static cJSON *field_schema(ctx *c, const vm_field_def *f)
{
    cJSON *o = chk(c, cJSON_CreateObject());
    add_str(c, o, "description", f->help);
    switch (f->type) {
    case VM_T_BOOL:
        TYPES("boolean", "null");
        break;
    case VM_T_INT:
        TYPES("integer", "null");
        add_num(c, o, "minimum", (double)f->min);
        add_num(c, o, "maximum", (double)f->max);
        break;
    case VM_T_ENUM:
        add(c, o, "enum", enum_of(c, f, true));
        break;
    case VM_T_ENUM_LIST:
    case VM_T_STR_LIST:
        TYPES("array", "null");
        add(c, o, "items", f->type == VM_T_ENUM_LIST ? enum_item(c, f) : scalar_string(c));
        add_num(c, o, "maxItems", VM_LIMIT_ITEMS);
        break;
    case VM_T_STR:
        TYPES("string", "null");
        add_num(c, o, "maxLength", VM_LIMIT_SCALAR_BYTES);
        break;
    case VM_T_NAME:
        add_str(c, o, "$ref", "#/$defs/name");
        break;
    case VM_T_STR_MAP:
        TYPES("object", "null");
        add(c, o, "additionalProperties", scalar_string(c));
        add_num(c, o, "maxProperties", VM_LIMIT_ITEMS);
        break;
    }
    return o;
}

/* An object holding the fields of one section ("workload", "metadata"). */
static cJSON *section_schema(ctx *c, const char *section, const char *desc, bool nullable)
{
    cJSON *o = chk(c, cJSON_CreateObject());
    if (desc)
        add_str(c, o, "description", desc);
    if (nullable)
        TYPES("object", "null");
    else
        TYPES("object");
    add_bool(c, o, "additionalProperties", false);
    cJSON *props = chk(c, cJSON_CreateObject());
    for (int i = 0; i < VM_FIELD_COUNT; i++) {
        const vm_field_def *f = vm_field(i);
        if (strcmp(f->section, section) == 0)
            add(c, props, f->key, field_schema(c, f));
    }
    add(c, o, "properties", props);
    return o;
}

static cJSON *ref(ctx *c, const char *target)
{
    cJSON *o = chk(c, cJSON_CreateObject());
    add_str(c, o, "$ref", target);
    return o;
}

/* {"$ref": "#/$defs/SECTION"} */
static cJSON *section_ref(ctx *c, const char *section)
{
    char target[64];
    snprintf(target, sizeof target, "#/$defs/%s", section);
    return ref(c, target);
}

/* {"description": ..., "const": ...} */
static cJSON *const_schema(ctx *c, const char *desc, const char *value)
{
    cJSON *o = chk(c, cJSON_CreateObject());
    add_str(c, o, "description", desc);
    add_str(c, o, "const", value);
    return o;
}

static bool is_field_section(const char *name)
{
    return strcmp(name, "components") != 0;
}

static cJSON *build(ctx *c)
{
    cJSON *root = chk(c, cJSON_CreateObject());
    cJSON *o = root;
    add_str(c, root, "$schema", "https://json-schema.org/draft/2020-12/schema");
    add_str(c, root, "$id", VM_SCHEMA_PROFILE_ID);
    add_str(c, root, "title", "vmctr workload profile (vmctr/v1)");
    add_str(c, root, "description",
            "Describes a workload so that vmctr can recommend virtual machines, containers, a hybrid "
            "or microVMs. Generated from vmctr's field table; do not edit.");
    TYPES("object");
    add(c, root, "required", str_array(c, (const char *const[]){"apiVersion", "kind", "metadata", NULL}));
    add_bool(c, root, "additionalProperties", false);

    cJSON *props = chk(c, cJSON_CreateObject());
    add(c, props, "apiVersion", const_schema(c, "profile format version", "vmctr/v1"));
    add(c, props, "kind", const_schema(c, "document kind", "WorkloadProfile"));
    cJSON *meta = section_schema(c, "metadata", "who and what the profile describes", false);
    add(c, meta, "required", str_array(c, (const char *const[]){"name", NULL}));
    add(c, props, "metadata", meta);

    cJSON *spec = chk(c, cJSON_CreateObject());
    add_str(c, spec, "description", "the workload's properties; every field is optional (absent = unknown)");
    add_types(c, spec, (const char *const[]){"object", "null", NULL});
    add_bool(c, spec, "additionalProperties", false);
    cJSON *sprops = chk(c, cJSON_CreateObject());
    for (size_t i = 0; i < vm_spec_section_count; i++)
        add(c, sprops, vm_spec_sections[i], section_ref(c, vm_spec_sections[i]));
    add(c, spec, "properties", sprops);
    add(c, props, "spec", spec);
    add(c, root, "properties", props);

    /* $defs: the name type, one per section, and a component */
    cJSON *defs = chk(c, cJSON_CreateObject());
    cJSON *name = chk(c, cJSON_CreateObject());
    add_str(c, name, "description", "a lower-case DNS label ([a-z0-9-], 1..63 characters)");
    add_str(c, name, "type", "string");
    add_str(c, name, "pattern", DNS_LABEL_PATTERN);
    add_num(c, name, "minLength", 1);
    add_num(c, name, "maxLength", 63);
    add(c, defs, "name", name);
    for (size_t i = 0; i < vm_spec_section_count; i++) {
        const char *s = vm_spec_sections[i];
        if (is_field_section(s))
            add(c, defs, s, section_schema(c, s, section_description(s), true));
    }
    cJSON *comps = chk(c, cJSON_CreateObject());
    add_str(c, comps, "description", section_description("components"));
    add_types(c, comps, (const char *const[]){"array", "null", NULL});
    add(c, comps, "items", ref(c, "#/$defs/component"));
    add_num(c, comps, "maxItems", VM_LIMIT_COMPONENTS);
    add(c, defs, "components", comps);

    cJSON *comp = chk(c, cJSON_CreateObject());
    add_str(c, comp, "description",
            "one component: a name (unique in the list) and any section but components; its fields "
            "override the parent's field by field");
    add_str(c, comp, "type", "object");
    add(c, comp, "required", str_array(c, (const char *const[]){"name", NULL}));
    add_bool(c, comp, "additionalProperties", false);
    cJSON *cprops = chk(c, cJSON_CreateObject());
    add(c, cprops, "name", ref(c, "#/$defs/name"));
    for (size_t i = 0; i < vm_spec_section_count; i++) {
        const char *s = vm_spec_sections[i];
        if (is_field_section(s))
            add(c, cprops, s, section_ref(c, s));
    }
    add(c, comp, "properties", cprops);
    add(c, defs, "component", comp);
    add(c, root, "$defs", defs);
    return root;
}

/* cJSON_Print indents with tabs and writes ":\t" after keys. Tabs never
 * occur inside its strings (they are escaped), so: leading tabs become two
 * spaces each, any other tab one space. */
static void put_reindented(vm_buf *out, const char *s)
{
    bool leading = true;
    for (; *s; s++) {
        if (*s == '\t') {
            vm_buf_puts(out, leading ? "  " : " ");
            continue;
        }
        vm_buf_putc(out, *s);
        leading = *s == '\n';
    }
    vm_buf_putc(out, '\n');
}

vm_status vm_schema_profile(vm_buf *out)
{
    ctx c = {true};
    cJSON *root = build(&c);
    char *text = c.ok ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        return VM_EIO;
    put_reindented(out, text);
    cJSON_free(text);
    return out->oom ? VM_EIO : VM_OK;
}

/* vmctr/version.h: the cJSON loaded at run time. */
const char *vm_cjson_version(void) { return cJSON_Version(); }
