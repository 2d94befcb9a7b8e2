/*
 * cjsonmem.c - cJSON's allocation hooks for the process (the CLI owns it;
 * the library installs no global state). cJSON returns NULL alike for text
 * that is not JSON and for an allocation that failed while parsing it; the
 * hooks count the failures, so that a command can tell "out of memory"
 * (exit 5) from "invalid JSON" (exit 3). The only CLI file that names a
 * cJSON type.
 */
#include "cli.h"

#include <cjson/cJSON.h>
#include <stdatomic.h>
#include <stdlib.h>

static atomic_uint failures;

static void *counted_malloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        atomic_fetch_add(&failures, 1u);
    return p;
}

void vm_cli_cjson_hooks(void)
{
    cJSON_Hooks h = {counted_malloc, free};
    cJSON_InitHooks(&h);
}

unsigned vm_cli_cjson_failures(void) { return atomic_load(&failures); }
