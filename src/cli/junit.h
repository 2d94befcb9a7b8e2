/*
 * junit.h (internal) - the JUnit XML elements both `vmctr check --format
 * junit` and `vmctr rules test --format junit` write, so that the two
 * reports agree on their shape. Text goes through vm_buf_xml.
 */
#ifndef VMCTR_CLI_JUNIT_H
#define VMCTR_CLI_JUNIT_H

#include "vmctr/buf.h"

/* `    <testcase classname="FILE" name="NAME" file="FILE" time="0">`,
 * without a newline. */
void vm_junit_case_open(vm_buf *b, const char *file, const char *name);
/* One input file's `  <testsuite name="FILE" tests=... time="0">` line,
 * the test cases in body, and `  </testsuite>`. */
void vm_junit_suite(vm_buf *b, const char *file, unsigned tests, unsigned failures, unsigned errors,
                    unsigned skipped, const vm_buf *body);

#endif
