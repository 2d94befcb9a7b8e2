/* junit.c - JUnit XML elements shared by check and rules test (see junit.h). */
#include "junit.h"
#include "util/buf.h"

void vm_junit_case_open(vm_buf *b, const char *file, const char *name)
{
    vm_buf_puts(b, "    <testcase classname=\"");
    vm_buf_xml(b, file);
    vm_buf_puts(b, "\" name=\"");
    vm_buf_xml(b, name);
    vm_buf_puts(b, "\" file=\"");
    vm_buf_xml(b, file);
    vm_buf_puts(b, "\" time=\"0\">");
}

void vm_junit_suite(vm_buf *b, const char *file, unsigned tests, unsigned failures, unsigned errors,
                    unsigned skipped, const vm_buf *body)
{
    vm_buf_puts(b, "  <testsuite name=\"");
    vm_buf_xml(b, file);
    vm_buf_printf(b, "\" tests=\"%u\" failures=\"%u\" errors=\"%u\" skipped=\"%u\" time=\"0\">\n", tests, failures,
                  errors, skipped);
    vm_buf_put(b, body->data ? body->data : "", body->len);
    vm_buf_puts(b, "  </testsuite>\n");
}
