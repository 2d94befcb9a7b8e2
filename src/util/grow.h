/*
 * util/grow.h (internal) - room for one more item at the end of a heap
 * array that doubles when it is full: the growth rule the lists of the
 * library share.
 */
#ifndef VMCTR_UTIL_GROW_H
#define VMCTR_UTIL_GROW_H

#include <stdbool.h>
#include <stddef.h>

/* items points to the array's pointer (items of `size` bytes), n of the
 * *cap allocated are in use. When n has reached *cap, doubles *cap (to
 * `first` from 0) and reallocates the array. False when out of memory: the
 * array and *cap are then as they were. */
bool vm_grow(void *items, size_t *cap, size_t n, size_t size, size_t first);

#endif
