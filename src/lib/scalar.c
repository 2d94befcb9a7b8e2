/* scalar.c - YAML 1.2 core-schema scalars (see scalar.h). */
#include "scalar.h"

#include <string.h>
#include <strings.h>

int vm_scalar_bool(const char *s, size_t n)
{
    if (n == 4 && (vm_scalar_eq(s, n, "true") || vm_scalar_eq(s, n, "True") ||
                   vm_scalar_eq(s, n, "TRUE")))
        return 1;
    if (n == 5 && (vm_scalar_eq(s, n, "false") || vm_scalar_eq(s, n, "False") ||
                   vm_scalar_eq(s, n, "FALSE")))
        return 0;
    return -1;
}

bool vm_scalar_yaml11_bool(const char *s, size_t n)
{
    static const char *const w[] = {"yes", "no", "on", "off", "y", "n"};
    if (n > 3)
        return false;
    for (size_t i = 0; i < sizeof w / sizeof *w; i++)
        if (strlen(w[i]) == n && strncasecmp(s, w[i], n) == 0)
            return true;
    return false;
}

bool vm_scalar_int(const char *s, size_t n, int64_t *out, const char **why)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '-' || s[i] == '+')) {
        neg = s[i] == '-';
        i++;
    }
    if (i == n) {
        *why = "a non-number";
        return false;
    }
    uint64_t v = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            *why = "a non-integer";
            return false;
        }
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (UINT64_C(9223372036854775807) - d) / 10) {
            *why = "an integer too large to represent";
            return false;
        }
        v = v * 10 + d;
    }
    *out = neg ? -(int64_t)v : (int64_t)v;
    return true;
}

const char *vm_scalar_dns_label(const char *s, size_t n)
{
    if (n == 0 || n > 63)
        return "is not a DNS label (1 to 63 characters)";
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return "is not a DNS label (lower-case letters, digits and '-' only)";
    }
    if (s[0] == '-' || s[n - 1] == '-')
        return "is not a DNS label (it must not start or end with '-')";
    return NULL;
}
