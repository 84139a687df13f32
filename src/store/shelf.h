/* shelf.h — where baselines are kept, one file per commit (docs/design.md,
 * "Files"):
 *   - a folder, DIR/<commit>.json (the default, --baselines DIR);
 *   - a branch of their own, "branch:NAME" (--baselines branch:NAME, or
 *     "branch:" for perfgate-baselines): <commit>.json.gz at the top of the
 *     tree, read through libgit2 from the newer of refs/heads/NAME and
 *     refs/remotes/origin/NAME (both, when they diverged) without a checkout,
 *     and written as a commit on top of them that only moves refs/heads/NAME:
 *     the working tree and the current branch are never touched.
 * A baseline's locator names it in messages and for pg_store_load: the
 * file's path, or "branch:NAME:<commit>.json.gz". */
#ifndef PG_STORE_SHELF_H
#define PG_STORE_SHELF_H

#include <git2.h>
#include <stddef.h>

#include "common/err.h"

#define PG_SHELF_BRANCH_PREFIX "branch:"
#define PG_SHELF_BRANCH_DEFAULT "perfgate-baselines"

typedef struct pg_shelf {
    git_repository *repo; /* borrowed */
    const char *dir;      /* the folder, or NULL for a branch */
    char branch[200];     /* the branch's name */
    /* the branch's tips, newer first: refs/heads/NAME and refs/remotes/origin/NAME,
     * one when one contains the other or only one exists, none before the first record */
    git_commit *tips[2];
    git_tree *trees[2];
    size_t n_tips;
    git_oid local; /* refs/heads/NAME's commit, when has_local */
    int has_local;
} pg_shelf;

typedef char pg_commit_hex[41];

/* 1 when spec names a branch store. */
int pg_shelf_is_branch(const char *spec);

/* Opens spec (a folder or "branch:NAME") in repo. */
int pg_shelf_open(pg_shelf *s, git_repository *repo, const char *spec, pg_err *err);
void pg_shelf_close(pg_shelf *s);

/* 1 and the locator when the shelf has commit hex's baseline, else 0. */
int pg_shelf_locate(const pg_shelf *s, const char *hex, char loc[1024]);

/* The baseline of commit hex, decompressed, NUL-terminated (caller frees). */
int pg_shelf_read(const pg_shelf *s, const char *hex, char **text, size_t *len, pg_err *err);

/* The commits that have a baseline (caller frees *hex). */
int pg_shelf_list(const pg_shelf *s, pg_commit_hex **hex, size_t *n, pg_err *err);

/* Stores text as commit hex's baseline (replacing one there); loc gets its locator. */
int pg_shelf_put(pg_shelf *s, const char *hex, const char *text, size_t len, char loc[1024],
                 pg_err *err);

/* Removes these baselines. squash (branch only): the new commit has no
 * parent, so the branch's history stops holding the removed files (its
 * push must then be forced). */
int pg_shelf_remove(pg_shelf *s, pg_commit_hex *hex, size_t n, int squash, pg_err *err);

#endif
