/*
 * xlsx_floor.c - the floor for `vmctr import rvtools WORKBOOK.xlsx`: read
 * the same bytes with libzip + expat alone and nothing else. Opens the
 * workbook from memory (as vmctr does), inflates xl/sharedStrings.xml and
 * every xl/worksheets/ entry through expat with handlers that only
 * count elements and text bytes, and prints the counts (so the work cannot
 * be optimised away). Used by bench/bench.py as the ratio's denominator.
 *
 *   bench-xlsx-floor WORKBOOK.xlsx
 */
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

typedef struct {
    unsigned long elements, text;
} counts;

static void on_start(void *ud, const XML_Char *el, const XML_Char **attr)
{
    (void)el, (void)attr;
    ((counts *)ud)->elements++;
}

static void on_end(void *ud, const XML_Char *el) { (void)ud, (void)el; }

static void on_text(void *ud, const XML_Char *s, int n)
{
    (void)s;
    ((counts *)ud)->text += (unsigned long)n;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench-xlsx-floor WORKBOOK.xlsx\n");
        return 2;
    }
    FILE *fp = fopen(argv[1], "rb");
    if (!fp)
        return 5;
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *data = malloc((size_t)size + 1);
    if (!data || fread(data, 1, (size_t)size, fp) != (size_t)size)
        return 5;
    fclose(fp);
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(data, (zip_uint64_t)size, 0, &err);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &err) : NULL;
    if (!z)
        return 3;
    counts c = {0};
    char *buf = malloc(65536);
    zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        if (!name || (strcmp(name, "xl/sharedStrings.xml") != 0 && strncmp(name, "xl/worksheets/", 14) != 0))
            continue;
        zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
        XML_Parser p = XML_ParserCreate("UTF-8");
        XML_SetUserData(p, &c);
        XML_SetElementHandler(p, on_start, on_end);
        XML_SetCharacterDataHandler(p, on_text);
        zip_int64_t got;
        while ((got = zip_fread(f, buf, 65536)) > 0)
            if (XML_Parse(p, buf, (int)got, XML_FALSE) == XML_STATUS_ERROR)
                return 3;
        XML_Parse(p, "", 0, XML_TRUE);
        XML_ParserFree(p);
        zip_fclose(f);
    }
    zip_discard(z);
    zip_error_fini(&err);
    printf("%lu elements, %lu text bytes\n", c.elements, c.text);
    free(buf);
    free(data);
    return 0;
}
