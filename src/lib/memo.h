/* memo.h - blocks the report layer works out once per engine and keeps
 * there (internal to src/lib).
 *
 * An engine belongs to one thread (one per worker), so what depends only
 * on its rule set and a small key (the rationale order of a verdict, see
 * report.c) can be kept with it and reused for every profile the worker
 * evaluates. The table has a fixed number of slots; when they are taken,
 * vm_engine_memo_room says so and the caller works out what it needs each
 * time instead (same result, no memo). */
#ifndef VMCTR_MEMO_H
#define VMCTR_MEMO_H

#include "vmctr/engine.h"

#include <stdbool.h>
#include <stdint.h>

/* Slots of an engine's memo: a power of two, at most 3/4 of them used. */
#define VM_ENGINE_MEMO_SLOTS 128u

/* The block kept for key, or NULL. */
void *vm_engine_memo_get(const vm_engine *e, uint32_t key);

/* Whether one more block can be kept. */
bool vm_engine_memo_room(const vm_engine *e);

/* How many blocks are kept. */
uint32_t vm_engine_memo_count(const vm_engine *e);

/* Keeps block (from malloc; e frees it with itself) for key, which must
 * not be kept yet. False, and block stays the caller's, when there is no
 * room. */
bool vm_engine_memo_put(vm_engine *e, uint32_t key, void *block);

#endif
