/* glob.c - the '*' glob (see glob.h). */
#include "util/glob.h"

bool vm_glob(const char *p, const char *s, size_t n, bool fold)
{
    const char *star = NULL; /* the last '*' met, and where in s it starts */
    size_t i = 0, si = 0;
    while (i < n) {
        if (*p == '*') {
            star = p++;
            si = i;
        } else if (*p && (fold ? (*p | 0x20) == (s[i] | 0x20) : *p == s[i])) {
            p++;
            i++;
        } else if (star) {
            /* let the last '*' take one more byte */
            p = star + 1;
            i = ++si;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return !*p;
}
