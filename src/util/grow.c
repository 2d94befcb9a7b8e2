/* grow.c - see util/grow.h */
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>

bool vm_grow(void *items, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return true;
    size_t nc = *cap ? *cap * 2 : first;
    void *p;
    memcpy(&p, items, sizeof p); /* items is a T **: the array's pointer */
    p = realloc(p, nc * size);
    if (!p)
        return false;
    memcpy(items, &p, sizeof p);
    *cap = nc;
    return true;
}
