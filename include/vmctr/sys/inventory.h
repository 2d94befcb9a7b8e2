/*
 * vmctr/sys/inventory.h (not installed) - profiles from evidence: inventory exports (RVTools,
 * Azure Migrate, any CSV through a column map) and a repository's files.
 *
 * The library never reads files: the CLI hands it the bytes of each input
 * (bounded by VM_LIMIT_INV_FILE_BYTES) and gets back a multi-document
 * profile stream in a vm_buf. Every field it fills carries a YAML comment
 * naming where it came from (tab, row, column and the raw value, or a
 * repository path and line); what the evidence cannot tell stays absent.
 * Strings from inventories are neutralised for YAML (quoted, control and
 * bidirectional-override characters escaped, invalid UTF-8 replaced).
 */
#ifndef VMCTR_INVENTORY_H
#define VMCTR_INVENTORY_H

#include "vmctr/buf.h"
#include "vmctr/diag.h"

/* Limits on inventory input; each is named in docs/import.md and tested. */
#define VM_LIMIT_INV_FILE_BYTES   (256u * 1024u * 1024u) /* one input file */
#define VM_LIMIT_INV_ENTRY_BYTES  (512u * 1024u * 1024u) /* one inflated zip entry */
#define VM_LIMIT_INV_ZIP_ENTRIES  4096u  /* entries in one .xlsx */
#define VM_LIMIT_INV_ZIP_RATIO    200u   /* inflated:compressed, for entries over 1 MiB */
#define VM_LIMIT_INV_CELL_BYTES   32768u /* one cell */
#define VM_LIMIT_INV_COLUMNS      1024u  /* cells in one row */
#define VM_LIMIT_INV_ROWS         1000000u /* rows in one table */
#define VM_LIMIT_INV_TEXT_BYTES   1024u  /* a string copied into a profile (longer: cut, said so) */

typedef struct vm_import vm_import;

typedef struct {
    /* One profile per distinct value of this label (a custom attribute
     * column, or rvtools/folder ...; "folder", "cluster", "datacenter",
     * "host" name the built-in ones) with one component per VM; NULL: one
     * profile per VM. */
    const char *group_by;
} vm_import_opts;

typedef struct {
    size_t rows;                /* vInfo rows read */
    size_t vms;                 /* VMs kept */
    size_t templates, srm;      /* rows skipped */
    size_t powered_off;         /* kept, labelled */
    size_t profiles;            /* documents written */
    size_t split;               /* groups split because they had more than 64 VMs */
} vm_import_stats;

vm_import *vm_import_new(const vm_import_opts *o);
void vm_import_free(vm_import *im);

/* An RVTools workbook (.xlsx): vMetaData, vInfo, then vDisk, vNetwork and
 * vUSB when present. `file` names it in provenance and diagnostics. */
vm_status vm_import_rvtools_xlsx(vm_import *im, const void *data, size_t len, const char *file,
                                 vm_diags *d);
/* One RVTools CSV export of tab `tab` ("vInfo", "vUSB" ...). vMetaData
 * and vInfo must come before the device tabs. Unknown tabs are ignored. */
vm_status vm_import_rvtools_csv(vm_import *im, const char *tab, const void *data, size_t len,
                                const char *file, vm_diags *d);
/* Column maps: which column names a row and which fill fields or labels
 * (docs/import.md, "Column maps"). Loaded from a map file's bytes, or
 * built in ("azure-migrate"; VM_EUSAGE for an unknown name). A bad map is
 * VM_EPROFILE with positions. */
typedef struct vm_invmap vm_invmap;
vm_status vm_invmap_load(const char *data, size_t len, const char *file, vm_invmap **out, vm_diags *d);
vm_status vm_invmap_builtin(const char *name, vm_invmap **out, vm_diags *d);
void vm_invmap_free(vm_invmap *m);

/* One CSV inventory through a map: one profile (or, with group_by, one
 * component) per row. `source` names the importer in the output
 * ("azure-migrate", "csv"). The map must outlive vm_import_write. */
vm_status vm_import_csv(vm_import *im, const vm_invmap *m, const char *source, const void *data, size_t len,
                        const char *file, vm_diags *d);

/* Appends the profile stream to out; warnings (split groups, missing
 * columns) go to w. */
vm_status vm_import_write(vm_import *im, vm_buf *out, vm_diags *w);
const vm_import_stats *vm_import_get_stats(const vm_import *im);

#endif
