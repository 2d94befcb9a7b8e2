/*
 * schema_waivers.c - the JSON Schema (draft 2020-12) of a waiver file
 * (vmctr/waiver.h). Written out by hand: the file has nine keys and no
 * table to generate it from. What JSON Schema cannot say (the expiry
 * horizon relative to today, rule ids of the rule set in effect, a real
 * calendar date) the loader checks; tests/schema/check.sh holds the two
 * in agreement on the cases both can judge.
 */
#include "vmctr/schema.h"
#include "util/buf.h"

static const char waivers_schema[] =
    "{\n"
    "  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n"
    "  \"$id\": \"" VM_SCHEMA_WAIVERS_ID "\",\n"
    "  \"title\": \"vmctr WaiverSet\",\n"
    "  \"description\": \"Failures of vmctr check accepted for a while, each with a reason, an owner and an "
    "expiry date (docs/ci.md, Waivers).\",\n"
    "  \"type\": \"object\",\n"
    "  \"additionalProperties\": false,\n"
    "  \"required\": [\"apiVersion\", \"kind\", \"waivers\"],\n"
    "  \"properties\": {\n"
    "    \"apiVersion\": {\"const\": \"vmctr/v1\"},\n"
    "    \"kind\": {\"const\": \"WaiverSet\"},\n"
    "    \"waivers\": {\n"
    "      \"type\": [\"array\", \"null\"],\n"
    "      \"maxItems\": 1024,\n"
    "      \"items\": {\"$ref\": \"#/$defs/waiver\"}\n"
    "    }\n"
    "  },\n"
    "  \"$defs\": {\n"
    "    \"line\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 4096, \"pattern\": \"^[^\\\\u0000-\\\\u001f\\\\u007f]*$\"},\n"
    "    \"waiver\": {\n"
    "      \"type\": \"object\",\n"
    "      \"additionalProperties\": false,\n"
    "      \"required\": [\"reason\", \"owner\", \"expires\"],\n"
    "      \"anyOf\": [{\"required\": [\"profile\"], \"properties\": {\"profile\": true}}, {\"required\": [\"file\"], \"properties\": {\"file\": true}}],\n"
    "      \"oneOf\": [{\"required\": [\"rule\"], \"properties\": {\"rule\": true}}, {\"required\": [\"gate\"], \"properties\": {\"gate\": true}}],\n"
    "      \"properties\": {\n"
    "        \"profile\": {\"$ref\": \"#/$defs/line\", \"description\": \"glob over metadata.name\"},\n"
    "        \"file\": {\"$ref\": \"#/$defs/line\", \"description\": \"glob over the input path (a leading ./ "
    "ignored; * also matches /)\"},\n"
    "        \"component\": {\"$ref\": \"#/$defs/line\", \"description\": \"glob over the component name; absent: "
    "the profile and every component\"},\n"
    "        \"rule\": {\"$ref\": \"#/$defs/line\", \"description\": \"a blocker by this rule id\"},\n"
    "        \"gate\": {\"type\": \"string\", \"pattern\": \"^(mismatch|blocker|no-decision|blocker:[^\\\\u0000-\\\\u001f\\\\u007f]+)$\"},\n"
    "        \"reason\": {\"allOf\": [{\"$ref\": \"#/$defs/line\"}, {\"type\": \"string\", \"minLength\": 8, \"not\": {\"type\": \"string\", \"pattern\": "
    "\"^(TODO|todo)\"}}]},\n"
    "        \"owner\": {\"$ref\": \"#/$defs/line\"},\n"
    "        \"expires\": {\"type\": \"string\", \"pattern\": \"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$\", "
    "\"description\": \"YYYY-MM-DD (UTC), valid through that day, at most 365 days after today\"},\n"
    "        \"ticket\": {\"$ref\": \"#/$defs/line\"}\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "}\n";

vm_status vm_schema_waivers(vm_buf *out)
{
    vm_buf_put(out, waivers_schema, sizeof waivers_schema - 1);
    return out->oom ? VM_EIO : VM_OK;
}
