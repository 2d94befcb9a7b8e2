/*
 * report_fmt.h (internal) - the number and verdict formats the text,
 * Markdown and HTML reports share (report.c), so that the three say a
 * score, a confidence and a verdict the same way.
 */
#ifndef VMCTR_REPORT_FMT_H
#define VMCTR_REPORT_FMT_H

#include "vmctr/buf.h"

/* A score or contribution: vm_buf_num with two decimals at most. */
void rf_num(vm_buf *b, double v);
/* The same with a '+' before a positive value (above 0.005). */
void rf_signed_num(vm_buf *b, double v);
/* A confidence: always two decimals (0.80, not 0.8). */
void rf_conf(vm_buf *b, double v);
/* The target names in mask, in target order, joined by ", ". */
void rf_targets(vm_buf *b, uint16_t mask);
/* "PARADIGM on PLATFORM + CONTAINER + EXTRA" (the parts < 0 left out),
 * "PARADIGM on no fitting platform" when platform < 0, or `none` when
 * paradigm < 0; target names need no escaping. */
void rf_verdict(vm_buf *b, const char *none, int paradigm, int platform, int cplat, int extra);

#endif
