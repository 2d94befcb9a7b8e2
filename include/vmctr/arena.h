/*
 * vmctr/arena.h - a bump allocator. Everything built for one profile or one
 * report lives in one arena and is released at once by vm_arena_reset (keep
 * the memory for the next document) or vm_arena_free. The arena grows in
 * blocks and keeps them across resets, so a stream of documents of bounded
 * size runs in flat memory.
 */
#ifndef VMCTR_ARENA_H
#define VMCTR_ARENA_H

#include "common.h"

typedef struct vm_arena vm_arena;

/* A new, empty arena owned by the caller (vm_arena_free); it allocates
 * nothing until the first vm_arena_alloc. NULL when out of memory. */
vm_arena *vm_arena_new(void);
/* Frees the arena and every block: all memory handed out from it dies.
 * NULL is a no-op. */
void vm_arena_free(vm_arena *a);
/* Forgets everything handed out (pointers into it are dead) and keeps the
 * blocks for reuse; frees nothing. NULL is a no-op. */
void vm_arena_reset(vm_arena *a);
/* size bytes of zeroed memory aligned for any type, owned by the arena
 * (valid until its reset or free); NULL when out of memory. a not NULL. */
void *vm_arena_alloc(vm_arena *a, size_t size);
/* The same without clearing: for callers that write every byte they later
 * read (clearing large blocks that are then overwritten costs). NULL when
 * out of memory; a not NULL. */
void *vm_arena_alloc_uninit(vm_arena *a, size_t size);
/* A copy of the n bytes at s (not NULL unless n is 0) and a NUL, owned by
 * the arena; NULL when out of memory. a not NULL. */
char *vm_arena_strndup(vm_arena *a, const char *s, size_t n);
/* Bytes handed out since the last reset (after alignment); 0 for NULL. */
size_t vm_arena_used(const vm_arena *a);
/* Resets, then frees the blocks past the first `keep` bytes of capacity
 * (the first block always stays): a thread that met one huge document does
 * not keep its memory for the rest of the stream. Returns the capacity
 * kept. NULL is a no-op returning 0. */
size_t vm_arena_trim(vm_arena *a, size_t keep);

#endif
