/* report_stub.c - placeholders until the csv/markdown/html renderers land. */
#include "vmctr/report.h"
void vm_render_csv_header(vm_buf *b) { vm_buf_puts(b, "file,document,name,component,paradigm,platform,confidence\n"); }
void vm_render_csv(const vm_report *r, vm_buf *b) { vm_buf_printf(b, "%s,%u,%s,,%s,%s,%.2f\n", r->profile->file, r->profile->doc_index, r->profile->values.v[VM_F_META_NAME].u.s, vm_target_name(r->paradigm), vm_target_name(r->platform), r->confidence); }
void vm_render_markdown(const vm_report *r, vm_buf *b) { (void)r; vm_buf_puts(b, "TODO\n"); }
void vm_render_html(const vm_report *r, vm_buf *b) { (void)r; vm_buf_puts(b, "TODO\n"); }
