/*
 * zipread.c - zip archives (an .xlsx is one) through libzip, the only file
 * that sees it (see invtab.h). The archive is checked as a whole before
 * any entry is read: entry count, names, declared sizes, compression ratio
 * and encryption. While an entry is streamed its inflated size is counted
 * again, so a header that lies about the size does not help a zip bomb.
 * Refusals name the entry by its 1-based index in the archive (the
 * diagnostic's line) and, neutralised, by its name.
 *
 * libzip is not linked: Debian's libzip4 pulls in libcrypto (and libbz2,
 * libz), whose relocation tripled the start-up time of every vmctr
 * command, while only `vmctr import rvtools` on an .xlsx reads a zip. It
 * is loaded by dynlib.h the first time an archive is opened (SONAME
 * VMCTR_LIBZIP_SONAME, read by CMake from the libzip that pkg-config
 * found), into one table, `lz`, whose pointer types are written from
 * zip.h's prototypes and checked against them at compile time. A library
 * that cannot be loaded is an error at the workbook's line 1 (VM_EIO,
 * exit 5), never a crash.
 *
 * Running out of memory is VM_EIO with "out of memory" in the diagnostic,
 * as in every other reader, never a refusal (VM_EPROFILE, exit 3): libzip
 * says ZIP_ER_MEMORY ("Malloc failure"), or ZIP_ER_ZLIB with zlib's
 * Z_MEM_ERROR, but it also loses the cause on the way (an archive whose
 * central directory could not be allocated is "Not a zip archive"), so a
 * failure while errno became ENOMEM (set by a failing malloc, and by
 * nothing else libzip calls on a buffer source) is memory too; so is a
 * loader that ran out of memory (dynlib.c).
 */
#include "invtab.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "dynlib.h"
#include "yamlsafe.h"

#ifndef VMCTR_LIBZIP_SONAME
#error "VMCTR_LIBZIP_SONAME (libzip's SONAME, e.g. \"libzip.so.4\") is set by CMakeLists.txt"
#endif

/* ---- libzip, loaded on first use (dynlib.h) -------------------------------- */

/* The types of the functions used, written from zip.h's prototypes. */
typedef void dl_zip_error_init(zip_error_t *);
typedef void dl_zip_error_fini(zip_error_t *);
typedef const char *dl_zip_error_strerror(zip_error_t *);
typedef zip_source_t *dl_zip_source_buffer_create(const void *, zip_uint64_t, int, zip_error_t *);
typedef void dl_zip_source_free(zip_source_t *);
typedef zip_t *dl_zip_open_from_source(zip_source_t *, int, zip_error_t *);
typedef void dl_zip_discard(zip_t *);
typedef zip_int64_t dl_zip_get_num_entries(zip_t *, zip_flags_t);
typedef const char *dl_zip_get_name(zip_t *, zip_uint64_t, zip_flags_t);
typedef void dl_zip_stat_init(zip_stat_t *);
typedef int dl_zip_stat_index(zip_t *, zip_uint64_t, zip_flags_t, zip_stat_t *);
typedef zip_int64_t dl_zip_name_locate(zip_t *, const char *, zip_flags_t);
typedef const char *dl_zip_strerror(zip_t *);
typedef zip_file_t *dl_zip_fopen_index(zip_t *, zip_uint64_t, zip_flags_t);
typedef zip_int64_t dl_zip_fread(zip_file_t *, void *, zip_uint64_t);
typedef const char *dl_zip_file_strerror(zip_file_t *);
typedef int dl_zip_fclose(zip_file_t *);
typedef zip_error_t *dl_zip_get_error(zip_t *);
typedef zip_error_t *dl_zip_file_get_error(zip_file_t *);
typedef int dl_zip_error_code_zip(const zip_error_t *);
typedef int dl_zip_error_code_system(const zip_error_t *);
typedef int dl_zip_error_system_type(const zip_error_t *);

#define LZ_FUNCS(X)                                                                                     \
    X(zip_error_init) X(zip_error_fini) X(zip_error_strerror) X(zip_source_buffer_create)              \
    X(zip_source_free) X(zip_open_from_source) X(zip_discard) X(zip_get_num_entries) X(zip_get_name)  \
    X(zip_stat_init) X(zip_stat_index) X(zip_name_locate) X(zip_strerror) X(zip_fopen_index)          \
    X(zip_fread) X(zip_file_strerror) X(zip_fclose) X(zip_get_error) X(zip_file_get_error)              \
    X(zip_error_code_zip) X(zip_error_code_system) X(zip_error_system_type)

VM_DYNLIB(lz, VMCTR_LIBZIP_SONAME, "libzip", ".xlsx files", LZ_FUNCS)

/* ---- out of memory ------------------------------------------------------------ */

#define ZLIB_MEM_ERROR (-4)     /* zlib.h's Z_MEM_ERROR, in a ZIP_ET_ZLIB error */

/* Whether a libzip failure was for want of memory; `en` is errno, zeroed
 * before the call that failed (see the top of this file). */
static bool zip_oom(const zip_error_t *e, int en)
{
    if (en == ENOMEM)
        return true;
    if (!e)
        return false;
    int ze = lz.zip_error_code_zip(e), sys = lz.zip_error_code_system(e);
    switch (lz.zip_error_system_type(e)) {
    case ZIP_ET_SYS:
        if (sys == ENOMEM)
            return true;
        break;
    case ZIP_ET_ZLIB:
        if (sys == ZLIB_MEM_ERROR)
            return true;
        break;
    default:
        break;
    }
    return ze == ZIP_ER_MEMORY;
}

static vm_status oom(vm_diags *d, const char *file)
{
    vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
    return VM_EIO;
}

/* ---- archives ----------------------------------------------------------------- */

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
    if (!lz_ready(file, d))
        return VM_EIO;
    zip_error_t err;
    lz.zip_error_init(&err);
    zip_source_t *src = lz.zip_source_buffer_create(data, len, 0, &err);
    if (!src) {
        lz.zip_error_fini(&err);
        return oom(d, file);
    }
    errno = 0;
    zip_t *z = lz.zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    if (!z) {
        vm_status st = VM_EPROFILE;
        if (zip_oom(&err, errno))
            st = oom(d, file);
        else
            vm_diag_add(d, VM_SEV_ERROR, file, 1, 1, "", "not a readable .xlsx (zip) file: %s", lz.zip_error_strerror(&err));
        lz.zip_error_fini(&err);
        lz.zip_source_free(src);
        return st;
    }
    lz.zip_error_fini(&err);
    zip_int64_t n = lz.zip_get_num_entries(z, 0);
    vm_status st = VM_OK;
    if (n < 0 || (zip_uint64_t)n > VM_LIMIT_INV_ZIP_ENTRIES) {
        vm_diag_add(d, VM_SEV_ERROR, file, 1, 1, "", "more than %u zip entries refused", VM_LIMIT_INV_ZIP_ENTRIES);
        st = VM_EPROFILE;
    }
    for (zip_int64_t i = 0; !st && i < n; i++) {
        zip_stat_t sb;
        lz.zip_stat_init(&sb);
        errno = 0;
        const char *name = lz.zip_get_name(z, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        if (!name || lz.zip_stat_index(z, (zip_uint64_t)i, ZIP_FL_ENC_RAW, &sb) != 0) {
            if (zip_oom(lz.zip_get_error(z), errno)) {
                st = oom(d, file);
                break;
            }
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
        lz.zip_discard(z);
        return st;
    }
    vm_zip *r = malloc(sizeof *r);
    if (!r) {
        lz.zip_discard(z);
        return oom(d, file);
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
    lz.zip_discard(z->z);
    free(z);
}

bool vm_zip_has(vm_zip *z, const char *name) { return lz.zip_name_locate(z->z, name, ZIP_FL_ENC_RAW) >= 0; }

vm_status vm_zip_stream(vm_zip *z, const char *name, size_t max, bool optional, vm_zip_chunk_fn fn,
                        void *ctx, vm_diags *d)
{
    zip_int64_t i = lz.zip_name_locate(z->z, name, ZIP_FL_ENC_RAW);
    if (i < 0) {
        if (optional)
            return VM_OK;
        vm_diag_add(d, VM_SEV_ERROR, z->file, 1, 1, "", "the workbook has no %s entry", name);
        return VM_EPROFILE;
    }
    zip_stat_t sb;
    lz.zip_stat_init(&sb);
    errno = 0;
    if (lz.zip_stat_index(z->z, (zip_uint64_t)i, 0, &sb) != 0) {
        /* checked in vm_zip_open: only memory can fail it now, and an
         * entry without its declared size would lose the size check */
        if (zip_oom(lz.zip_get_error(z->z), errno))
            return oom(d, z->file);
        refuse(d, z->file, (zip_uint64_t)i, name, lz.zip_strerror(z->z));
        return VM_EPROFILE;
    }
    zip_uint64_t declared = (sb.valid & ZIP_STAT_SIZE) ? sb.size : (zip_uint64_t)max;
    errno = 0;
    zip_file_t *f = lz.zip_fopen_index(z->z, (zip_uint64_t)i, 0);
    if (!f) {
        if (zip_oom(lz.zip_get_error(z->z), errno))
            return oom(d, z->file);
        refuse(d, z->file, (zip_uint64_t)i, name, lz.zip_strerror(z->z));
        return VM_EPROFILE;
    }
    char *buf = malloc(CHUNK);
    if (!buf) {
        lz.zip_fclose(f);
        return oom(d, z->file);
    }
    vm_status st = VM_OK;
    zip_uint64_t total = 0;
    for (;;) {
        errno = 0;
        zip_int64_t got = lz.zip_fread(f, buf, CHUNK);
        if (got < 0) {
            if (zip_oom(lz.zip_file_get_error(f), errno)) {
                st = oom(d, z->file);
                break;
            }
            refuse(d, z->file, (zip_uint64_t)i, name, lz.zip_file_strerror(f));
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
    lz.zip_fclose(f);
    return st;
}
