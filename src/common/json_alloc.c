/* json_alloc.c — counting cJSON's failed allocations (see json_alloc.h). */
#include "common/json_alloc.h"

#include <pthread.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

static _Thread_local unsigned long failures;
static pthread_once_t installed = PTHREAD_ONCE_INIT;

static void *counted_malloc(size_t size)
{
    void *p = malloc(size);
    if (!p)
        failures++;
    return p;
}

/* memory from either hook is malloc's, so free is right for both */
static void install(void)
{
    cJSON_Hooks hooks = {counted_malloc, free};
    cJSON_InitHooks(&hooks);
}

void pg_json_alloc_hooks(void)
{
    pthread_once(&installed, install);
}

unsigned long pg_json_alloc_failures(void)
{
    pg_json_alloc_hooks();
    return failures;
}
