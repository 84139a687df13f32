/* repo.h — the git facts a results file records, read with libgit2 (never
 * by running git). The baseline store (baselines.h) builds on this part. */
#ifndef PG_STORE_REPO_H
#define PG_STORE_REPO_H

#include <stddef.h>

#include "common/err.h"

/* HEAD's commit (40 hex) and ref name ("main", "HEAD" when detached) of the
 * repository containing dir. Outside a repository, or in one with no commit
 * yet, both come back empty and 0 is returned: a run needs no repository.
 * Read in a short-lived child process (forked: call it before any thread
 * starts), so libgit2's global set-up does not stay in the caller's memory. */
int pg_repo_head(const char *dir, char commit[41], char *ref, size_t ref_size, pg_err *err);

#endif
