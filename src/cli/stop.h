/* stop.h — SIGINT/SIGTERM while load runs (internal to cli/): the first
 * signal sets pg_stop_signal so the engine stops and what was measured is
 * still written; a second one exits at once with 128 + the signal. */
#ifndef PG_CLI_STOP_H
#define PG_CLI_STOP_H

#include <signal.h>

extern volatile sig_atomic_t pg_stop_signal;

/* Installs the handlers and ignores SIGPIPE. (libcurl is set up by the parts
 * that use it: common/curl_init.h.) */
void pg_stop_install(void);

#endif
