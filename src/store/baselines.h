/* baselines.h — baselines keyed by commit (docs/design.md, "Files").
 *
 * A baseline is a results file stored under its commit, in a folder
 * (DIR/<40-hex commit>.json) or on a branch of its own (store/shelf.h;
 * everywhere dir is taken, "branch:NAME" names one). To check a
 * change, the base ref is resolved (--base, else $GITHUB_BASE_REF as
 * origin/<name>, else origin/main, else main), its merge-base with HEAD is
 * taken, and first-parent ancestors are walked from there to the nearest
 * commit that has a baseline. All through libgit2; git is never run. */
#ifndef PG_STORE_BASELINES_H
#define PG_STORE_BASELINES_H

#include <stddef.h>

#include "common/err.h"
#include "metrics/values.h"

#define PG_STORE_MAX_DEPTH 200
/* Most bytes a budget's baseline takes on a branch, gzipped; over it, the
 * trials' histograms and timelines are left out (the results say "trimmed"). */
#define PG_STORE_BRANCH_BUDGET_MAX (16u << 10)

typedef struct pg_baseline_found {
    int found;
    char commit[41]; /* the commit whose baseline is used */
    int distance;    /* first-parent steps from the merge-base */
    char path[1024]; /* its locator: a file, or branch:NAME:<commit>.json.gz */
    char head[41];
    char merge_base[41];
    char base_ref[256]; /* the ref that was resolved, e.g. origin/main */
    int shallow_stop;   /* the walk ended at a shallow clone's boundary */
    char notes[2048];   /* skipped files, shallow hint: one sentence a line */
} pg_baseline_found;

/* Writes results_path's content to dir/<commit>.json atomically, after
 * checking it is a perfgate results file; refuses an interrupted run unless
 * force. The commit is the one the results measured (their "commit"); rev
 * (NULL: that one) names it in the repository at repo_dir. Refused
 * (PG_EUSAGE): results that name no commit without rev, and a rev that is
 * not the measured commit without force. */
int pg_store_record(char out_path[1024], const char *repo_dir, const char *dir, const char *rev,
                    const char *results_path, int force, pg_err *err);

/* Finds the baseline a check would use. Not finding one is not an error
 * (found = 0, notes say why; a file that is not a baseline is skipped and
 * noted); an unreadable repository or base ref is, and so is running out
 * of memory or an I/O error on the way (PG_ENOMEM, PG_EIO: found = 0, since
 * an older baseline, or none, would otherwise pass for the nearest). */
int pg_store_find(pg_baseline_found *out, const char *repo_dir, const char *dir,
                  const char *base_ref, int max_depth, pg_err *err);

/* The baselines of up to k first-parent ancestors from HEAD's merge-base,
 * nearest first (for the history band). paths[i] are malloc'd (and are
 * returned, with *n, also when an error stopped the walk). */
int pg_store_history(char ***paths, size_t *n, const char *repo_dir, const char *dir,
                     const char *base_ref, size_t k, pg_err *err);

/* Prints commit, date, subject and budgets of every baseline, newest first. */
int pg_store_list(const char *repo_dir, const char *dir, pg_err *err);

/* Deletes all but the keep newest baselines (by commit date); keep 0 is
 * refused (PG_EUSAGE). squash (a branch store only): the branch becomes one
 * commit, so its history stops holding the removed files. */
int pg_store_prune(const char *repo_dir, const char *dir, size_t keep, int squash, size_t *removed,
                   pg_err *err);

/* Reads the baseline a locator names (pg_baseline_found.path, a path of
 * pg_store_history): a file, or one stored on a branch of repo_dir. */
int pg_store_load(pg_results_values *out, const char *repo_dir, const char *loc, pg_err *err);

/* 0 when path holds a perfgate-results/1 file; otherwise PG_EINVALID with a
 * reason. commit (may be NULL) gets the commit the results measured, or "". */
int pg_store_check_file(const char *path, int *interrupted, char commit[41], pg_err *err);

#endif
