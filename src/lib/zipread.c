/*
 * zipread.c - zip archives (an .xlsx is one) through libzip, the only file
 * that sees it (see invtab.h). The archive is checked as a whole before
 * any entry is read: entry count, names, declared sizes, compression ratio
 * and encryption. While an entry is streamed its inflated size is counted
 * again, so a header that lies about the size does not help a zip bomb.
 * Refusals name the entry by its 1-based index in the archive (the
 * diagnostic's line) and, neutralised, by its name.
 */
#include "invtab.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "yamlsafe.h"

#define CHUNK 65536

struct vm_zip {
    zip_t *z;
    const char *file;
};

/* Why an entry name is refused, or NULL. */
static const char *bad_name(const char *n)
{
    if (!n[0])
        return "empty entry name";
    if (n[0] == '/' || n[0] == '\\')
        return "absolute path in an entry name";
    if (((n[0] >= 'A' && n[0] <= 'Z') || (n[0] >= 'a' && n[0] <= 'z')) && n[1] == ':')
        return "drive letter in an entry name";
    for (const char *p = n; *p; p++) {
        if (*p == '\\')
            return "backslash in an entry name";
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return "control character in an entry name";
        if (*p == '.' && p[1] == '.' && (p == n || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
            return "'..' in an entry name (path traversal)";
    }
    return NULL;
}

static void refuse(vm_diags *d, const char *file, zip_uint64_t i, const char *name, const char *why)
{
    char q[160];
    vm_yaml_quoted_to(q, sizeof q, name ? name : "", name ? strlen(name) : 0);
    vm_diag_add(d, VM_SEV_ERROR, file, (uint32_t)(i + 1), 1, "", "zip entry %u %s refused: %s", (unsigned)(i + 1), q, why);
}

vm_status vm_zip_open(const void *data, size_t len, const char *file, vm_zip **out, vm_diags *d)
{
    *out = NULL;
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &err);
    if (!src) {
        zip_error_fini(&err);
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
        return VM_EIO;
    }
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    if (!z) {
        vm_diag_add(d, VM_SEV_ERROR, file, 1, 1, "", "not a readable .xlsx (zip) file: %s", zip_error_strerror(&err));
        zip_error_fini(&err);
        zip_source_free(src);
        return VM_EPROFILE;
    }
    zip_error_fini(&err);
    zip_int64_t n = zip_get_num_entries(z, 0);
    vm_status st = VM_OK;
    if (n < 0 || (zip_uint64_t)n > VM_LIMIT_INV_ZIP_ENTRIES) {
        vm_diag_add(d, VM_SEV_ERROR, file, 1, 1, "", "more than %u zip entries refused", VM_LIMIT_INV_ZIP_ENTRIES);
        st = VM_EPROFILE;
    }
    for (zip_int64_t i = 0; !st && i < n; i++) {
        zip_stat_t sb;
        zip_stat_init(&sb);
        const char *name = zip_get_name(z, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        if (!name || zip_stat_index(z, (zip_uint64_t)i, ZIP_FL_ENC_RAW, &sb) != 0) {
            refuse(d, file, (zip_uint64_t)i, name, "unreadable entry");
            st = VM_EPROFILE;
            break;
        }
        const char *why = bad_name(name);
        if (!why && (sb.valid & ZIP_STAT_ENCRYPTION_METHOD) && sb.encryption_method != ZIP_EM_NONE)
            why = "encrypted entry";
        if (!why && (sb.valid & ZIP_STAT_SIZE) && sb.size > VM_LIMIT_INV_ENTRY_BYTES)
            why = "it inflates to more than " "512 MiB (VM_LIMIT_INV_ENTRY_BYTES)";
        if (!why && (sb.valid & ZIP_STAT_SIZE) && (sb.valid & ZIP_STAT_COMP_SIZE) && sb.size > (1u << 20) &&
            sb.size / (sb.comp_size ? sb.comp_size : 1) > VM_LIMIT_INV_ZIP_RATIO)
            why = "compression ratio over 200:1 (a zip bomb?)";
        if (why) {
            refuse(d, file, (zip_uint64_t)i, name, why);
            st = VM_EPROFILE;
        }
    }
    if (st) {
        zip_discard(z);
        return st;
    }
    vm_zip *r = malloc(sizeof *r);
    if (!r) {
        zip_discard(z);
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
        return VM_EIO;
    }
    r->z = z;
    r->file = file;
    *out = r;
    return VM_OK;
}

void vm_zip_close(vm_zip *z)
{
    if (!z)
        return;
    zip_discard(z->z);
    free(z);
}

bool vm_zip_has(vm_zip *z, const char *name) { return zip_name_locate(z->z, name, ZIP_FL_ENC_RAW) >= 0; }

vm_status vm_zip_stream(vm_zip *z, const char *name, size_t max, bool optional, vm_zip_chunk_fn fn,
                        void *ctx, vm_diags *d)
{
    zip_int64_t i = zip_name_locate(z->z, name, ZIP_FL_ENC_RAW);
    if (i < 0) {
        if (optional)
            return VM_OK;
        vm_diag_add(d, VM_SEV_ERROR, z->file, 1, 1, "", "the workbook has no %s entry", name);
        return VM_EPROFILE;
    }
    zip_stat_t sb;
    zip_stat_init(&sb);
    zip_stat_index(z->z, (zip_uint64_t)i, 0, &sb);
    zip_uint64_t declared = (sb.valid & ZIP_STAT_SIZE) ? sb.size : (zip_uint64_t)max;
    zip_file_t *f = zip_fopen_index(z->z, (zip_uint64_t)i, 0);
    if (!f) {
        refuse(d, z->file, (zip_uint64_t)i, name, zip_strerror(z->z));
        return VM_EPROFILE;
    }
    char *buf = malloc(CHUNK);
    if (!buf) {
        zip_fclose(f);
        vm_diag_add(d, VM_SEV_ERROR, z->file, 0, 0, "", "out of memory");
        return VM_EIO;
    }
    vm_status st = VM_OK;
    zip_uint64_t total = 0;
    for (;;) {
        zip_int64_t got = zip_fread(f, buf, CHUNK);
        if (got < 0) {
            refuse(d, z->file, (zip_uint64_t)i, name, zip_file_strerror(f));
            st = VM_EPROFILE;
            break;
        }
        if (got == 0) {
            /* the whole entry was read: its size must be the declared one
             * (libzip checks the CRC, not the size; an entry that ends
             * early lied too, and its data is not trusted) */
            if ((sb.valid & ZIP_STAT_SIZE) && total != sb.size) {
                refuse(d, z->file, (zip_uint64_t)i, name, "it inflates to less than its declared size");
                st = VM_EPROFILE;
            }
            break;
        }
        total += (zip_uint64_t)got;
        if (total > max || total > declared) {
            refuse(d, z->file, (zip_uint64_t)i, name, "it inflates past its declared size or the limit");
            st = VM_EPROFILE;
            break;
        }
        if (!fn(ctx, buf, (size_t)got))
            break;
    }
    free(buf);
    zip_fclose(f);
    return st;
}
