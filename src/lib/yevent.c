/* yevent.c - the libyaml wrapper (see yevent.h). */
#include "yevent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct ye_parser {
    yaml_parser_t parser;
    yaml_event_t event;
    bool have_event;
    const char *data;
    size_t len;
    uint32_t line0;       /* added to libyaml's 0-based line */
    uint32_t depth;
};

ye_parser *ye_open(const char *data, size_t len, uint32_t first_line)
{
    ye_parser *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    if (!yaml_parser_initialize(&p->parser)) {
        free(p);
        return NULL;
    }
    yaml_parser_set_encoding(&p->parser, YAML_UTF8_ENCODING);
    /* A UTF-8 byte order mark: libyaml skips it but counts it as a column,
     * which shifts the first line's indentation. It is invisible: drop it. */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    yaml_parser_set_input_string(&p->parser, (const unsigned char *)data, len);
    p->data = data;
    p->len = len;
    p->line0 = first_line;
    return p;
}

void ye_close(ye_parser *p)
{
    if (!p)
        return;
    if (p->have_event)
        yaml_event_delete(&p->event);
    yaml_parser_delete(&p->parser);
    free(p);
}

/* 1-based line and column of byte `off` in the document. */
static void offset_pos(const ye_parser *p, size_t off, uint32_t *line, uint32_t *col)
{
    uint32_t l = 0, c = 0;
    if (off > p->len)
        off = p->len;
    for (size_t i = 0; i < off; i++) {
        if (p->data[i] == '\n') {
            l++;
            c = 0;
        } else if (((unsigned char)p->data[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = p->line0 + l;
    *col = c + 1;
}

static void set_error(ye_parser *p, char *err, size_t errcap, uint32_t *line, uint32_t *col)
{
    yaml_parser_t *y = &p->parser;
    const char *problem = y->problem ? y->problem : "malformed YAML";
    if (y->error == YAML_READER_ERROR) {
        offset_pos(p, y->problem_offset, line, col);
        if (strstr(problem, "control characters")) {
            if (y->problem_value == 0)
                snprintf(err, errcap, "NUL byte in input: profiles are UTF-8 text");
            else
                snprintf(err, errcap, "control character U+%04X is not allowed in YAML",
                         (unsigned)y->problem_value);
        } else if (strstr(problem, "UTF-8") || strstr(problem, "octet")) {
            snprintf(err, errcap, "invalid UTF-8 (%s)", problem);
        } else {
            snprintf(err, errcap, "%s", problem);
        }
        return;
    }
    yaml_mark_t m = y->problem_mark;
    *line = p->line0 + (uint32_t)m.line;
    *col = (uint32_t)m.column + 1;
    bool tab = m.index < p->len && p->data[m.index] == '\t';
    if (!tab && strstr(problem, "tab"))
        tab = true;
    if (tab)
        snprintf(err, errcap, "malformed YAML: %s%s%s (tabs are not allowed for indentation; use spaces)",
                 problem, y->context ? " " : "", y->context ? y->context : "");
    else if (y->context)
        snprintf(err, errcap, "malformed YAML: %s %s (line %u)", problem, y->context,
                 p->line0 + (uint32_t)y->context_mark.line);
    else
        snprintf(err, errcap, "malformed YAML: %s", problem);
}

int ye_next(ye_parser *p, ye_event *ev, char *err, size_t errcap, uint32_t *line, uint32_t *col)
{
    if (p->have_event) {
        yaml_event_delete(&p->event);
        p->have_event = false;
    }
    if (!yaml_parser_parse(&p->parser, &p->event)) {
        set_error(p, err, errcap, line, col);
        return 0;
    }
    p->have_event = true;
    yaml_event_t *e = &p->event;
    ev->text = NULL;
    ev->len = 0;
    ev->plain = false;
    ev->line = p->line0 + (uint32_t)e->start_mark.line;
    ev->col = (uint32_t)e->start_mark.column + 1;
    *line = ev->line;
    *col = ev->col;
    const unsigned char *anchor = NULL, *tag = NULL;
    switch (e->type) {
    case YAML_STREAM_START_EVENT: ev->kind = YE_STREAM_START; break;
    case YAML_STREAM_END_EVENT: ev->kind = YE_STREAM_END; break;
    case YAML_DOCUMENT_START_EVENT: ev->kind = YE_DOC_START; break;
    case YAML_DOCUMENT_END_EVENT: ev->kind = YE_DOC_END; break;
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT:
        ev->kind = e->type == YAML_MAPPING_START_EVENT ? YE_MAP_START : YE_SEQ_START;
        if (e->type == YAML_MAPPING_START_EVENT) {
            anchor = e->data.mapping_start.anchor;
            tag = e->data.mapping_start.tag;
        } else {
            anchor = e->data.sequence_start.anchor;
            tag = e->data.sequence_start.tag;
        }
        if (++p->depth > VM_LIMIT_DEPTH) {
            snprintf(err, errcap, "nesting deeper than %u levels", VM_LIMIT_DEPTH);
            return 0;
        }
        break;
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
        ev->kind = e->type == YAML_MAPPING_END_EVENT ? YE_MAP_END : YE_SEQ_END;
        p->depth--;
        break;
    case YAML_SCALAR_EVENT:
        ev->kind = YE_SCALAR;
        ev->text = (const char *)e->data.scalar.value;
        ev->len = e->data.scalar.length;
        ev->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        anchor = e->data.scalar.anchor;
        tag = e->data.scalar.tag;
        if (ev->len > VM_LIMIT_SCALAR_BYTES) {
            snprintf(err, errcap, "scalar longer than %u bytes", VM_LIMIT_SCALAR_BYTES);
            return 0;
        }
        break;
    case YAML_ALIAS_EVENT:
        snprintf(err, errcap, "YAML aliases (*%s) are not supported: write the value out",
                 (const char *)e->data.alias.anchor);
        return 0;
    default:
        snprintf(err, errcap, "unexpected YAML event");
        return 0;
    }
    if (anchor) {
        snprintf(err, errcap, "YAML anchors (&%s) are not supported: write the value out",
                 (const char *)anchor);
        return 0;
    }
    if (tag) {
        snprintf(err, errcap, "YAML tags (%s) are not supported", (const char *)tag);
        return 0;
    }
    return 1;
}
