/*
 * glob.h (internal) - the '*' glob of inventory map values (invmap.c,
 * case-insensitive) and of scan signals (scan.c, case-sensitive). Waivers
 * and --exclude use fnmatch(3) instead (its '?' and '[...]' too).
 */
#ifndef VMCTR_UTIL_GLOB_H
#define VMCTR_UTIL_GLOB_H

#include <stdbool.h>
#include <stddef.h>

/* Whether the n bytes at s match the pattern p (a C string), where '*'
 * matches any run of bytes, '/' included, and every other byte itself;
 * with fold the two are compared with bit 0x20 set, so that ASCII letters
 * match in either case. */
bool vm_glob(const char *p, const char *s, size_t n, bool fold);

#endif
