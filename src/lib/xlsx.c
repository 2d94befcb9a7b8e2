/*
 * xlsx.c - the sheets of an .xlsx workbook as rows, through expat (the
 * only file that sees it; the zip layer is zipread.c). See invtab.h.
 *
 * Reads xl/workbook.xml (sheet names), xl/_rels/workbook.xml.rels (where
 * each sheet lives) and xl/sharedStrings.xml (kept, bounded, as one byte
 * buffer with offsets), then streams one sheet's XML through expat and
 * hands each <row> over as cells. Nothing builds a tree. A document type
 * declaration is refused at once (an .xlsx never has one, and that is
 * where entity expansion attacks live); so is a cell over
 * VM_LIMIT_INV_CELL_BYTES, a row over VM_LIMIT_INV_COLUMNS cells and a
 * sheet over VM_LIMIT_INV_ROWS rows. Errors carry expat's line and column
 * inside the named entry. Running out of memory, here or inside expat
 * (XML_ERROR_NO_MEMORY), is VM_EIO "out of memory" (exit 5), never
 * malformed XML.
 *
 * expat is not linked: it is loaded by dynlib.h (SONAME VMCTR_EXPAT_SONAME,
 * read by CMake from the expat pkg-config found) the first time a
 * workbook is opened, into one table, `xp`, whose pointer types are
 * written from expat.h's prototypes and checked against them at compile
 * time; every other vmctr command starts without it. A library that
 * cannot be loaded is an error at the workbook's line 1 (VM_EIO, exit 5).
 */
#include "invtab.h"

#include <errno.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynlib.h"

#ifndef VMCTR_EXPAT_SONAME
#error "VMCTR_EXPAT_SONAME (expat's SONAME, e.g. \"libexpat.so.1\") is set by CMakeLists.txt"
#endif

/* ---- expat, loaded on first use (dynlib.h) ---------------------------------- */

/* The types of the functions used, written from expat.h's prototypes. */
typedef XML_Parser dl_XML_ParserCreate(const XML_Char *);
typedef void dl_XML_ParserFree(XML_Parser);
typedef void dl_XML_SetUserData(XML_Parser, void *);
typedef void dl_XML_SetStartDoctypeDeclHandler(XML_Parser, XML_StartDoctypeDeclHandler);
typedef void dl_XML_SetEntityDeclHandler(XML_Parser, XML_EntityDeclHandler);
typedef void dl_XML_SetElementHandler(XML_Parser, XML_StartElementHandler, XML_EndElementHandler);
typedef void dl_XML_SetCharacterDataHandler(XML_Parser, XML_CharacterDataHandler);
typedef int dl_XML_SetParamEntityParsing(XML_Parser, enum XML_ParamEntityParsing);
typedef enum XML_Status dl_XML_Parse(XML_Parser, const char *, int, int);
typedef enum XML_Status dl_XML_StopParser(XML_Parser, XML_Bool);
typedef enum XML_Error dl_XML_GetErrorCode(XML_Parser);
typedef const XML_LChar *dl_XML_ErrorString(enum XML_Error);
typedef XML_Size dl_XML_GetCurrentLineNumber(XML_Parser);
typedef XML_Size dl_XML_GetCurrentColumnNumber(XML_Parser);

#define XP_FUNCS(X)                                                                                     \
    X(XML_ParserCreate) X(XML_ParserFree) X(XML_SetUserData) X(XML_SetStartDoctypeDeclHandler)         \
    X(XML_SetEntityDeclHandler) X(XML_SetElementHandler) X(XML_SetCharacterDataHandler)                \
    X(XML_SetParamEntityParsing) X(XML_Parse) X(XML_StopParser) X(XML_GetErrorCode)                     \
    X(XML_ErrorString) X(XML_GetCurrentLineNumber) X(XML_GetCurrentColumnNumber)

VM_DYNLIB(xp, VMCTR_EXPAT_SONAME, "libexpat", ".xlsx files", XP_FUNCS)

#define MAX_SHEETS 256

typedef struct {
    char *name, *rid, *path;
} sheet;

struct vm_xlsx {
    vm_zip *z;
    const char *file;
    sheet sheets[MAX_SHEETS];
    int nsheets;
    /* shared strings: text in one buffer */
    char *ss;
    size_t sslen, sscap;
    size_t *off;
    uint32_t *len;
    size_t nss, capss;
};

/* ---- one expat run over one entry ------------------------------------------- */

typedef struct xrun xrun;
typedef void (*start_fn)(xrun *r, const char *el, const char **attr);
typedef void (*end_fn)(xrun *r, const char *el);

struct xrun {
    XML_Parser p;
    vm_xlsx *x;
    const char *entry;
    vm_diags *d;
    vm_status st;
    bool stopped;       /* stopped on purpose (error reported, or the consumer is done) */
    start_fn on_start;
    end_fn on_end;
    void *ud;
    /* text being collected */
    bool collect;
    char *text;
    size_t tlen, tcap;
};

static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

#define XLSX_MAX_ROW 1048576ul /* a sheet's last row */

static void xfail(xrun *r, vm_status st, const char *msg)
{
    if (r->stopped)
        return;
    vm_diag_add(r->d, VM_SEV_ERROR, r->x->file, (uint32_t)xp.XML_GetCurrentLineNumber(r->p),
                (uint32_t)xp.XML_GetCurrentColumnNumber(r->p) + 1, "", "in %s: %s", r->entry, msg);
    r->st = st;
    r->stopped = true;
    xp.XML_StopParser(r->p, XML_FALSE);
}

static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub, int internal)
{
    (void)name, (void)sys, (void)pub, (void)internal;
    xfail(ud, VM_EPROFILE, "document type declaration refused (an .xlsx has none; entity expansion)");
}

static void on_entity(void *ud, const XML_Char *name, int pe, const XML_Char *v, int vlen, const XML_Char *base,
                      const XML_Char *sys, const XML_Char *pub, const XML_Char *notation)
{
    (void)name, (void)pe, (void)v, (void)vlen, (void)base, (void)sys, (void)pub, (void)notation;
    xfail(ud, VM_EPROFILE, "entity declaration refused");
}

static void on_start(void *ud, const XML_Char *el, const XML_Char **attr)
{
    xrun *r = ud;
    if (!r->stopped)
        r->on_start(r, local(el), attr);
}

static void on_end(void *ud, const XML_Char *el)
{
    xrun *r = ud;
    if (!r->stopped)
        r->on_end(r, local(el));
}

static void on_text(void *ud, const XML_Char *s, int n)
{
    xrun *r = ud;
    if (r->stopped || !r->collect || n <= 0)
        return;
    if (r->tlen + (size_t)n > VM_LIMIT_INV_CELL_BYTES) {
        xfail(r, VM_EPROFILE, "cell of more than 32768 bytes refused (VM_LIMIT_INV_CELL_BYTES)");
        return;
    }
    if (r->tlen + (size_t)n + 1 > r->tcap) {
        size_t nc = r->tcap ? r->tcap : 256;
        while (nc < r->tlen + (size_t)n + 1)
            nc *= 2;
        char *t = realloc(r->text, nc);
        if (!t) {
            xfail(r, VM_EIO, "out of memory");
            return;
        }
        r->text = t;
        r->tcap = nc;
    }
    memcpy(r->text + r->tlen, s, (size_t)n);
    r->tlen += (size_t)n;
    r->text[r->tlen] = '\0';
}

/* expat's error, stopping the run: memory is VM_EIO, the rest malformed. */
static void xml_error(xrun *r)
{
    enum XML_Error e = xp.XML_GetErrorCode(r->p);
    if (e == XML_ERROR_NO_MEMORY)
        xfail(r, VM_EIO, "out of memory");
    else
        xfail(r, VM_EPROFILE, xp.XML_ErrorString(e));
}

static bool feed(void *ctx, const char *data, size_t len)
{
    xrun *r = ctx;
    if (xp.XML_Parse(r->p, data, (int)len, XML_FALSE) == XML_STATUS_ERROR) {
        xml_error(r); /* nothing when stopped on purpose (xfail) */
        return false;
    }
    return !r->stopped;
}

static vm_status run(vm_xlsx *x, const char *entry, bool optional, start_fn s, end_fn e, void *ud, vm_diags *d)
{
    xrun r = {.x = x, .entry = entry, .d = d, .on_start = s, .on_end = e, .ud = ud};
    r.p = xp.XML_ParserCreate("UTF-8");
    if (!r.p) {
        vm_diag_add(d, VM_SEV_ERROR, x->file, 0, 0, "", "out of memory");
        return VM_EIO;
    }
    xp.XML_SetUserData(r.p, &r);
    xp.XML_SetStartDoctypeDeclHandler(r.p, on_doctype);
    xp.XML_SetEntityDeclHandler(r.p, on_entity);
    xp.XML_SetElementHandler(r.p, on_start, on_end);
    xp.XML_SetCharacterDataHandler(r.p, on_text);
    xp.XML_SetParamEntityParsing(r.p, XML_PARAM_ENTITY_PARSING_NEVER);
    vm_status st = vm_zip_stream(x->z, entry, VM_LIMIT_INV_ENTRY_BYTES, optional, feed, &r, d);
    if (!st && !r.stopped && vm_zip_has(x->z, entry) && xp.XML_Parse(r.p, "", 0, XML_TRUE) == XML_STATUS_ERROR)
        xml_error(&r);
    if (!st)
        st = r.st;
    xp.XML_ParserFree(r.p);
    free(r.text);
    return st;
}

static const char *attr_of(const char **attr, const char *name, bool prefixed)
{
    for (int i = 0; attr[i]; i += 2) {
        const char *a = attr[i];
        const char *c = strrchr(a, ':');
        if (prefixed ? (c && strcmp(c + 1, name) == 0) : strcmp(a, name) == 0)
            return attr[i + 1];
    }
    return NULL;
}

/* ---- workbook and relationships ---------------------------------------------- */

static void wb_start(xrun *r, const char *el, const char **attr)
{
    vm_xlsx *x = r->x;
    if (strcmp(el, "sheet") != 0)
        return;
    if (x->nsheets >= MAX_SHEETS) {
        xfail(r, VM_EPROFILE, "more than 256 sheets refused");
        return;
    }
    const char *name = attr_of(attr, "name", false);
    const char *rid = attr_of(attr, "id", true);
    sheet *s = &x->sheets[x->nsheets++];
    s->name = strdup(name ? name : "");
    s->rid = rid ? strdup(rid) : NULL;
    if (!s->name || (rid && !s->rid))
        xfail(r, VM_EIO, "out of memory");
}

static void no_end(xrun *r, const char *el) { (void)r, (void)el; }

static void rels_start(xrun *r, const char *el, const char **attr)
{
    if (strcmp(el, "Relationship") != 0)
        return;
    const char *id = attr_of(attr, "Id", false), *target = attr_of(attr, "Target", false);
    if (!id || !target)
        return;
    for (int i = 0; i < r->x->nsheets; i++) {
        sheet *s = &r->x->sheets[i];
        if (s->rid && !s->path && strcmp(s->rid, id) == 0) {
            size_t n = strlen(target) + 4;
            s->path = malloc(n);
            if (!s->path) {
                xfail(r, VM_EIO, "out of memory");
                return;
            }
            if (target[0] == '/')
                snprintf(s->path, n, "%s", target + 1);
            else
                snprintf(s->path, n, "xl/%s", target);
        }
    }
}

/* ---- shared strings -------------------------------------------------------------- */

typedef struct {
    int in_si, in_rph;
} ss_state;

static void ss_start(xrun *r, const char *el, const char **attr)
{
    (void)attr;
    ss_state *s = r->ud;
    if (strcmp(el, "si") == 0) {
        s->in_si = 1;
        r->tlen = 0;
        if (r->text)
            r->text[0] = '\0';
    } else if (strcmp(el, "rPh") == 0) {
        s->in_rph = 1;
    } else if (strcmp(el, "t") == 0 && s->in_si && !s->in_rph) {
        r->collect = true;
    }
}

static void ss_end(xrun *r, const char *el)
{
    ss_state *s = r->ud;
    vm_xlsx *x = r->x;
    if (strcmp(el, "t") == 0) {
        r->collect = false;
    } else if (strcmp(el, "rPh") == 0) {
        s->in_rph = 0;
    } else if (strcmp(el, "si") == 0) {
        s->in_si = 0;
        if (x->nss == x->capss) {
            size_t nc = x->capss ? x->capss * 2 : 1024;
            size_t *o = realloc(x->off, nc * sizeof *o);
            if (!o)
                {
                xfail(r, VM_EIO, "out of memory");
                return;
            }
            x->off = o;
            uint32_t *l = realloc(x->len, nc * sizeof *l);
            if (!l)
                {
                xfail(r, VM_EIO, "out of memory");
                return;
            }
            x->len = l;
            x->capss = nc;
        }
        if (x->sslen + r->tlen + 1 > x->sscap) {
            size_t nc = x->sscap ? x->sscap : 65536;
            while (nc < x->sslen + r->tlen + 1)
                nc *= 2;
            char *t = realloc(x->ss, nc);
            if (!t)
                {
                xfail(r, VM_EIO, "out of memory");
                return;
            }
            x->ss = t;
            x->sscap = nc;
        }
        if (r->tlen)
            memcpy(x->ss + x->sslen, r->text, r->tlen);
        x->ss[x->sslen + r->tlen] = '\0';
        x->off[x->nss] = x->sslen;
        x->len[x->nss] = (uint32_t)r->tlen;
        x->nss++;
        x->sslen += r->tlen + 1;
        r->tlen = 0;
    }
}

vm_status vm_xlsx_open(vm_zip *z, const char *file, vm_xlsx **out, vm_diags *d)
{
    *out = NULL;
    if (!xp_ready(file, d))
        return VM_EIO;
    vm_xlsx *x = calloc(1, sizeof *x);
    if (!x) {
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
        return VM_EIO;
    }
    x->z = z;
    x->file = file;
    vm_status st = run(x, "xl/workbook.xml", false, wb_start, no_end, NULL, d);
    if (!st)
        st = run(x, "xl/_rels/workbook.xml.rels", true, rels_start, no_end, NULL, d);
    for (int i = 0; !st && i < x->nsheets; i++)
        if (!x->sheets[i].path) { /* no relationship: the conventional place */
            char p[64];
            snprintf(p, sizeof p, "xl/worksheets/sheet%d.xml", i + 1);
            x->sheets[i].path = strdup(p);
            if (!x->sheets[i].path) {
                vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
                st = VM_EIO;
            }
        }
    ss_state ss = {0};
    if (!st)
        st = run(x, "xl/sharedStrings.xml", true, ss_start, ss_end, &ss, d);
    if (st) {
        vm_xlsx_close(x);
        return st;
    }
    *out = x;
    return VM_OK;
}

void vm_xlsx_close(vm_xlsx *x)
{
    if (!x)
        return;
    for (int i = 0; i < x->nsheets; i++) {
        free(x->sheets[i].name);
        free(x->sheets[i].rid);
        free(x->sheets[i].path);
    }
    free(x->ss);
    free(x->off);
    free(x->len);
    free(x);
}

static const sheet *find_sheet(const vm_xlsx *x, const char *name)
{
    for (int i = 0; i < x->nsheets; i++)
        if (strcmp(x->sheets[i].name, name) == 0)
            return &x->sheets[i];
    return NULL;
}

bool vm_xlsx_has_sheet(const vm_xlsx *x, const char *name) { return find_sheet(x, name) != NULL; }

/* ---- sheet rows ------------------------------------------------------------------- */

typedef struct {
    const char *tab;
    vm_row_fn fn;
    void *ctx;
    vm_rowbuf rb;
    uint32_t row, col, rows;
    char type;          /* 's' shared, 'b' boolean, 'i' inline, 0 other */
    bool in_c, in_is, in_rph, has;
} sh_state;

/* "BC12" -> column 55 (1-based); 0 when there are no letters. */
static uint32_t col_of(const char *ref)
{
    uint32_t c = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++) {
        c = c * 26 + (uint32_t)(*ref - 'A' + 1);
        if (c > 1000000)
            return 1000000;
    }
    return c;
}

static void sh_start(xrun *r, const char *el, const char **attr)
{
    sh_state *s = r->ud;
    if (strcmp(el, "row") == 0) {
        /* r= is the row's number: given, it must come after the last
         * row's and within a sheet (rows are in ascending order in
         * OOXML); without it, the next row. Provenance cites it. */
        const char *n = attr_of(attr, "r", false);
        if (n) {
            char *end;
            errno = 0;
            unsigned long v = *n >= '0' && *n <= '9' ? strtoul(n, &end, 10) : 0;
            if (!v || *end || errno || v > XLSX_MAX_ROW || v <= s->row) {
                xfail(r, VM_EPROFILE, "a row's number (r=) is not one after the last row's, up to 1048576");
                return;
            }
            s->row = (uint32_t)v;
        } else {
            s->row++;
        }
        s->col = 0;
        vm_rowbuf_clear(&s->rb);
        if (++s->rows > VM_LIMIT_INV_ROWS)
            xfail(r, VM_EPROFILE, "more than 1000000 rows refused (VM_LIMIT_INV_ROWS)");
    } else if (strcmp(el, "c") == 0) {
        const char *ref = attr_of(attr, "r", false);
        const char *t = attr_of(attr, "t", false);
        uint32_t c = ref ? col_of(ref) : 0;
        s->col = c ? c : s->col + 1;
        if (s->col > VM_LIMIT_INV_COLUMNS) {
            xfail(r, VM_EPROFILE, "row of more than 1024 cells refused (VM_LIMIT_INV_COLUMNS)");
            return;
        }
        s->type = !t ? 0 : strcmp(t, "s") == 0 ? 's' : strcmp(t, "b") == 0 ? 'b' : strcmp(t, "inlineStr") == 0 ? 'i' : 0;
        s->in_c = true;
        s->has = false;
        r->tlen = 0;
        if (r->text)
            r->text[0] = '\0';
    } else if (s->in_c && strcmp(el, "v") == 0) {
        r->collect = true;
        s->has = true;
    } else if (s->in_c && strcmp(el, "is") == 0) {
        s->in_is = true;
        s->has = true;
    } else if (s->in_is && strcmp(el, "rPh") == 0) {
        s->in_rph = true;
    } else if (s->in_is && !s->in_rph && strcmp(el, "t") == 0) {
        r->collect = true;
    }
}

static void sh_end(xrun *r, const char *el)
{
    sh_state *s = r->ud;
    if (strcmp(el, "v") == 0 || strcmp(el, "t") == 0) {
        r->collect = false;
    } else if (strcmp(el, "rPh") == 0) {
        s->in_rph = false;
    } else if (strcmp(el, "is") == 0) {
        s->in_is = false;
    } else if (strcmp(el, "c") == 0) {
        s->in_c = false;
        if (!s->has)
            return;
        const char *v = r->text ? r->text : "";
        size_t n = r->tlen;
        if (s->type == 's') {
            char *end;
            unsigned long i = strtoul(v, &end, 10);
            if (!n || *end || i >= r->x->nss) {
                xfail(r, VM_EPROFILE, "shared string index out of range");
                return;
            }
            v = r->x->ss + r->x->off[i];
            n = r->x->len[i];
        } else if (s->type == 'b') {
            v = n == 1 && v[0] == '1' ? "True" : "False";
            n = strlen(v);
        }
        if (!vm_rowbuf_set(&s->rb, s->col - 1, v, n))
            xfail(r, VM_EIO, "out of memory");
        r->tlen = 0;
    } else if (strcmp(el, "row") == 0) {
        if (!s->rb.n)
            return;
        vm_row row = {.tab = s->tab, .unit = "row", .row = s->row, .line = s->row, .ncells = s->rb.n, .cells = s->rb.cells,
                      .lens = s->rb.lens};
        if (!s->fn(s->ctx, &row)) {
            r->stopped = true;
            xp.XML_StopParser(r->p, XML_FALSE);
        }
        vm_rowbuf_clear(&s->rb);
    }
}

vm_status vm_xlsx_rows(vm_xlsx *x, const char *name, vm_row_fn fn, void *ctx, vm_diags *d)
{
    const sheet *sh = find_sheet(x, name);
    if (!sh)
        return VM_OK;
    sh_state s = {.tab = sh->name, .fn = fn, .ctx = ctx};
    vm_status st = run(x, sh->path, false, sh_start, sh_end, &s, d);
    vm_rowbuf_free(&s.rb);
    return st;
}
