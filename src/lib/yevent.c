/* yevent.c - the libyaml wrapper (see yevent.h). */
#include "yevent.h"
#include "vmctr/version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Why ye_step returned false; the message is only formatted by ye_error. */
typedef enum {
    YF_NONE, YF_YAML, YF_DEPTH, YF_SCALAR_LEN, YF_ALIAS, YF_ANCHOR, YF_TAG, YF_CONTROL, YF_UNEXPECTED
} ye_fail;

/* What of p->event must be released before the next parse. */
typedef enum {
    HELD_NONE,   /* nothing: no event, or one that owns no memory */
    HELD_TEXT,   /* an accepted scalar: only its value */
    HELD_EVENT   /* anything else: yaml_event_delete */
} ye_held;

struct ye_parser {
    yaml_parser_t parser;
    yaml_event_t event;
    ye_held held;
    const char *data;
    size_t len;
    uint32_t line0;       /* added to libyaml's 0-based line */
    uint32_t depth;
    ye_fail fail;
    uint32_t fail_line, fail_col;  /* position of an event ye_step refused */
    unsigned char fail_byte;       /* YF_CONTROL: the control character */
};

ye_parser *ye_open(const char *data, size_t len, uint32_t first_line)
{
    /* not calloc: yaml_parser_initialize clears the (large) parser itself */
    ye_parser *p = malloc(sizeof *p);
    if (!p)
        return NULL;
    memset(&p->event, 0, sizeof p->event);
    p->held = HELD_NONE;
    p->depth = 0;
    p->fail = YF_NONE;
    p->fail_line = p->fail_col = 0;
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

/* yaml_event_delete frees an event's anchor, tag and value (and a document
 * start's directives), then clears the event, which yaml_parser_parse does
 * again anyway. Events ye_step accepts have no anchor or tag, so a scalar
 * owns only its value and the other accepted events own nothing: that is
 * all this frees, at a fraction of the cost, for every event of the
 * stream. libyaml allocates with malloc (yaml_malloc, yaml_free). */
static void release(ye_parser *p)
{
    if (p->held == HELD_TEXT)
        free(p->event.data.scalar.value);
    else if (p->held == HELD_EVENT)
        yaml_event_delete(&p->event);
}

void ye_close(ye_parser *p)
{
    if (!p)
        return;
    release(p);
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

static void set_error(const ye_parser *p, char *err, size_t errcap, uint32_t *line, uint32_t *col)
{
    const yaml_parser_t *y = &p->parser;
    if (y->error == YAML_MEMORY_ERROR) {
        *line = p->line0;
        *col = 1;
        snprintf(err, errcap, "out of memory");
        return;
    }
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

/* Stops at the current event for `why`; ye_error formats the message. The
 * event is kept whole (ye_error reads its anchor or tag) and deleted in
 * full. */
static bool refuse(ye_parser *p, const ye_event *ev, ye_fail why)
{
    p->held = HELD_EVENT;
    p->fail = why;
    p->fail_line = ev->line;
    p->fail_col = ev->col;
    return false;
}

/* The anchor and tag of a scalar or of a collection's start (NULL: none,
 * or another event). */
static inline void node_props(const yaml_event_t *e, const unsigned char **anchor, const unsigned char **tag)
{
    *anchor = *tag = NULL;
    if (e->type == YAML_SCALAR_EVENT) {
        *anchor = e->data.scalar.anchor;
        *tag = e->data.scalar.tag;
    } else if (e->type == YAML_MAPPING_START_EVENT) {
        *anchor = e->data.mapping_start.anchor;
        *tag = e->data.mapping_start.tag;
    } else if (e->type == YAML_SEQUENCE_START_EVENT) {
        *anchor = e->data.sequence_start.anchor;
        *tag = e->data.sequence_start.tag;
    }
}

/* Runs once per event: only the conversion and the checks, no formatting.
 * Each way out records what of the event is held (see release). */
bool ye_step(ye_parser *p, ye_event *ev)
{
    release(p);
    if (!yaml_parser_parse(&p->parser, &p->event)) {
        p->held = HELD_NONE; /* libyaml left the event cleared */
        p->fail = YF_YAML;
        return false;
    }
    const yaml_event_t *e = &p->event;
    ev->line = p->line0 + (uint32_t)e->start_mark.line;
    ev->col = (uint32_t)e->start_mark.column + 1;
    const unsigned char *anchor, *tag;
    if (e->type == YAML_SCALAR_EVENT) {
        ev->kind = YE_SCALAR;
        ev->text = (const char *)e->data.scalar.value;
        ev->len = e->data.scalar.length;
        ev->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        if (ev->len > VM_LIMIT_SCALAR_BYTES)
            return refuse(p, ev, YF_SCALAR_LEN);
        anchor = e->data.scalar.anchor;
        tag = e->data.scalar.tag;
        if (anchor || tag)
            return refuse(p, ev, anchor ? YF_ANCHOR : YF_TAG);
        /* libyaml's reader refuses raw control characters, but escapes in
         * a double-quoted scalar ("\0", "\e", "\x01") decode to them: NUL
         * would silently cut the string, the others drive terminals. Only
         * tab and line feed are text. */
        if (e->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
            for (size_t i = 0; i < ev->len; i++) {
                unsigned char c = (unsigned char)ev->text[i];
                if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
                    p->fail_byte = c;
                    return refuse(p, ev, YF_CONTROL);
                }
            }
        p->held = HELD_TEXT;
        return true;
    }
    ev->text = NULL;
    ev->len = 0;
    ev->plain = false;
    switch (e->type) {
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT:
        ev->kind = e->type == YAML_MAPPING_START_EVENT ? YE_MAP_START : YE_SEQ_START;
        if (++p->depth > VM_LIMIT_DEPTH)
            return refuse(p, ev, YF_DEPTH);
        node_props(e, &anchor, &tag);
        break;
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
        ev->kind = e->type == YAML_MAPPING_END_EVENT ? YE_MAP_END : YE_SEQ_END;
        p->depth--;
        p->held = HELD_NONE;
        return true;
    /* stream and document events are rare, and a document start may own
     * directives: deleted in full */
    case YAML_STREAM_START_EVENT: ev->kind = YE_STREAM_START; p->held = HELD_EVENT; return true;
    case YAML_STREAM_END_EVENT: ev->kind = YE_STREAM_END; p->held = HELD_EVENT; return true;
    case YAML_DOCUMENT_START_EVENT: ev->kind = YE_DOC_START; p->held = HELD_EVENT; return true;
    case YAML_DOCUMENT_END_EVENT: ev->kind = YE_DOC_END; p->held = HELD_EVENT; return true;
    case YAML_ALIAS_EVENT:
        return refuse(p, ev, YF_ALIAS);
    default:
        return refuse(p, ev, YF_UNEXPECTED);
    }
    if (anchor || tag)
        return refuse(p, ev, anchor ? YF_ANCHOR : YF_TAG);
    p->held = HELD_NONE;
    return true;
}

void ye_end(const ye_parser *p, uint32_t *line, uint32_t *col)
{
    *line = p->line0 + (uint32_t)p->event.end_mark.line;
    *col = (uint32_t)p->event.end_mark.column + 1;
}

void ye_error(const ye_parser *p, char *err, size_t errcap, uint32_t *line, uint32_t *col)
{
    const yaml_event_t *e = &p->event;
    if (p->fail == YF_YAML) {
        set_error(p, err, errcap, line, col);
        return;
    }
    *line = p->fail_line;
    *col = p->fail_col;
    const unsigned char *anchor, *tag;
    node_props(e, &anchor, &tag);
    switch (p->fail) {
    case YF_DEPTH:
        snprintf(err, errcap, "nesting deeper than %u levels", VM_LIMIT_DEPTH);
        break;
    case YF_SCALAR_LEN:
        snprintf(err, errcap, "scalar longer than %u bytes", VM_LIMIT_SCALAR_BYTES);
        break;
    case YF_ALIAS:
        snprintf(err, errcap, "YAML aliases (*%s) are not supported: write the value out",
                 (const char *)e->data.alias.anchor);
        break;
    case YF_ANCHOR:
        snprintf(err, errcap, "YAML anchors (&%s) are not supported: write the value out", (const char *)anchor);
        break;
    case YF_TAG:
        snprintf(err, errcap, "YAML tags (%s) are not supported", (const char *)tag);
        break;
    case YF_CONTROL:
        if (p->fail_byte == 0)
            snprintf(err, errcap, "NUL character (\\0) in a quoted string: profiles are text");
        else
            snprintf(err, errcap,
                     "control character U+%04X in a quoted string: only tab and line feed are allowed in text",
                     (unsigned)p->fail_byte);
        break;
    default:
        snprintf(err, errcap, "unexpected YAML event");
        break;
    }
}

bool ye_oom(const ye_parser *p) { return p->fail == YF_YAML && p->parser.error == YAML_MEMORY_ERROR; }

int ye_next(ye_parser *p, ye_event *ev, char *err, size_t errcap, uint32_t *line, uint32_t *col)
{
    if (ye_step(p, ev))
        return 1;
    ye_error(p, err, errcap, line, col);
    return 0;
}

/* vmctr/version.h: the libyaml loaded at run time. */
const char *vm_libyaml_version(void) { return yaml_get_version_string(); }
