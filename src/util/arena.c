/* arena.c - bump allocator; blocks are kept across resets (see arena.h). */
#include "vmctr/arena.h"

#include <stdlib.h>
#include <string.h>

typedef struct block {
    struct block *next;
    size_t cap, used;
    _Alignas(max_align_t) unsigned char data[];
} block;

struct vm_arena {
    block *head;     /* first block */
    block *cur;      /* block being filled */
    size_t total;
};

#define BLOCK_MIN (64u * 1024u)

vm_arena *vm_arena_new(void)
{
    return calloc(1, sizeof(vm_arena));
}

void vm_arena_free(vm_arena *a)
{
    if (!a)
        return;
    for (block *b = a->head, *n; b; b = n) {
        n = b->next;
        free(b);
    }
    free(a);
}

void vm_arena_reset(vm_arena *a)
{
    if (!a)
        return;
    for (block *b = a->head; b; b = b->next)
        b->used = 0;
    a->cur = a->head;
    a->total = 0;
}

/* The slow path of bump: the current block is full, so try the next ones
 * (kept from before a reset) or append a new block. */
static void *bump_more(vm_arena *a, size_t size, bool zero)
{
    for (block *b = a->cur; b; b = b->next) {
        if (b->cap - b->used >= size) {
            void *p = b->data + b->used;
            b->used += size;
            a->cur = b;
            a->total += size;
            if (zero)
                memset(p, 0, size);
            return p;
        }
        if (!b->next)
            break;
    }
    size_t cap = size > BLOCK_MIN ? size : BLOCK_MIN;
    block *nb = malloc(sizeof(block) + cap);
    if (!nb)
        return NULL;
    nb->cap = cap;
    nb->used = size;
    nb->next = NULL;
    /* append after the last block so that reset reuses every block */
    if (!a->head) {
        a->head = nb;
    } else {
        block *t = a->cur ? a->cur : a->head;
        while (t->next)
            t = t->next;
        t->next = nb;
    }
    a->cur = nb;
    a->total += size;
    if (zero)
        memset(nb->data, 0, size);
    return nb->data;
}

/* `size` bytes, cleared when `zero`: strndup overwrites its bytes anyway
 * and skips the clearing (it runs for every string a profile keeps). The
 * common case, room in the current block, stays small enough to inline. */
static inline void *bump(vm_arena *a, size_t size, bool zero)
{
    const size_t align = _Alignof(max_align_t);
    if (size > SIZE_MAX - sizeof(block) - align)
        return NULL; /* rounding or the block header would overflow */
    size = size ? (size + align - 1) & ~(align - 1) : align;
    block *b = a->cur;
    if (!b || b->cap - b->used < size)
        return bump_more(a, size, zero);
    void *p = b->data + b->used;
    b->used += size;
    a->total += size;
    if (zero)
        memset(p, 0, size);
    return p;
}

void *vm_arena_alloc(vm_arena *a, size_t size)
{
    return bump(a, size, true);
}

void *vm_arena_alloc_uninit(vm_arena *a, size_t size)
{
    return bump(a, size, false);
}

char *vm_arena_strndup(vm_arena *a, const char *s, size_t n)
{
    char *p = bump(a, n + 1, false);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

size_t vm_arena_used(const vm_arena *a)
{
    return a ? a->total : 0;
}

size_t vm_arena_trim(vm_arena *a, size_t keep)
{
    if (!a)
        return 0;
    vm_arena_reset(a);
    size_t cap = 0;
    for (block *b = a->head; b; b = b->next) {
        cap += b->cap;
        if (cap >= keep || !b->next) {
            for (block *x = b->next, *n; x; x = n) {
                n = x->next;
                free(x);
            }
            b->next = NULL;
            break;
        }
    }
    return cap;
}
