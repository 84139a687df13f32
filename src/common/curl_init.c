/* curl_init.c — libcurl's global set-up, once (see curl_init.h). */
#include "common/curl_init.h"

#include <curl/curl.h>
#include <pthread.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static CURLcode result = CURLE_FAILED_INIT;

static void init(void)
{
    result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int pg_curl_init(pg_err *err)
{
    pthread_once(&once, init);
    if (result != CURLE_OK)
        return pg_err_set(err, PG_ERUN, "libcurl could not be set up: %s",
                          curl_easy_strerror(result));
    return PG_OK;
}
