/* git_error.c — libgit2's last error as a pg_err (see git_error.h). */
#include "store/git_error.h"

#include <git2.h>

int pg_git_out_of_memory(void)
{
    const git_error *e = git_error_last();
    return e && e->klass == GIT_ERROR_NOMEMORY;
}

int pg_git_fail(pg_err *err, int code, const char *what)
{
    const git_error *e = git_error_last();
    return pg_err_set(err, pg_git_out_of_memory() ? PG_ENOMEM : code, "%s: %s", what,
                      e && e->message ? e->message : "unknown libgit2 error");
}
