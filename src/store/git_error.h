/* git_error.h — libgit2's last error as a pg_err, for store/. */
#ifndef PG_STORE_GIT_ERROR_H
#define PG_STORE_GIT_ERROR_H

#include "common/err.h"

/* Did the libgit2 call that just failed run out of memory? Then it is not
 * "no such commit" or "no baseline here": the lookup cannot go on. */
int pg_git_out_of_memory(void);

/* "what: libgit2's message", with code, or PG_ENOMEM when libgit2 ran out
 * of memory; returns the code. */
int pg_git_fail(pg_err *err, int code, const char *what);

#endif
