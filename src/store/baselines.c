/* baselines.c — record, find, list and prune baselines (see baselines.h). */
#include "store/baselines.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/file.h"
#include "common/gzip.h"
#include "common/json_print.h"
#include "metrics/values.h"
#include "store/git_error.h"
#include "store/shelf.h"

/* What pg_store_check_file says of results already read. */
static int check_doc(void *doc, int *interrupted, char commit[41])
{
    const char *c;

    if (interrupted)
        *interrupted = doc && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "interrupted"));
    if (commit) {
        c = doc ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "commit")) : NULL;
        snprintf(commit, 41, "%s",
                 c && strlen(c) == 40 && strspn(c, "0123456789abcdef") == 40 ? c : "");
    }
    cJSON_Delete(doc);
    return PG_OK;
}

int pg_store_check_file(const char *path, int *interrupted, char commit[41], pg_err *err)
{
    void *doc = NULL;
    int rc = pg_results_open(&doc, path, err);

    check_doc(doc, interrupted, commit);
    return rc;
}

/* 0 when the shelf's baseline of hex is a perfgate results file. */
static int check_stored(const pg_shelf *s, const char *hex, const char *loc, pg_err *err)
{
    char *text = NULL;
    void *doc = NULL;
    int rc;

    if ((rc = pg_shelf_read(s, hex, &text, NULL, err)) == 0)
        rc = pg_results_parse(&doc, text, loc, err);
    free(text);
    check_doc(doc, NULL, NULL);
    return rc;
}

/* A baseline on a branch stays forever in its history, so it is kept small:
 * gzipped, and when that is still over PG_STORE_BRANCH_BUDGET_MAX a budget,
 * without what a comparison never reads from a baseline (each trial's
 * histograms and timeline: comparisons read the trials' summary values).
 * *out is text itself or a trimmed copy (then *owned). */
static const char *const trimmed_keys[] = {
    "histogram",
    "histogram_uncorrected",
    "ttfb_histogram",
    "connect_histogram",
    "tls_histogram",
    "iteration_histogram",
    "scenario_histograms",
    "request_histograms",
    "timeline",
    NULL,
};

static int fit_branch(char **owned, const char **out, size_t *out_len, const char *text, size_t len,
                      pg_err *err)
{
    cJSON *doc, *b, *t;
    char *gz = NULL;
    size_t gz_len = 0, budgets;
    int rc;

    *owned = NULL;
    *out = text;
    *out_len = len;
    if ((rc = pg_gzip(&gz, &gz_len, text, len, err)) != 0)
        return rc;
    free(gz);
    if (!(doc = cJSON_Parse(text)))
        return pg_err_set(err, PG_ENOMEM, "out of memory trimming a baseline");
    budgets = (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "budgets"));
    if (gz_len <= PG_STORE_BRANCH_BUDGET_MAX * (budgets ? budgets : 1)) {
        cJSON_Delete(doc);
        return PG_OK;
    }
    cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(doc, "budgets"))
    {
        cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(b, "trials"))
        {
            for (size_t k = 0; trimmed_keys[k]; k++)
                cJSON_DeleteItemFromObjectCaseSensitive(t, trimmed_keys[k]);
        }
    }
    if (!cJSON_AddTrueToObject(doc, "trimmed") || !(*owned = pg_json_print(doc, 0))) {
        cJSON_Delete(doc);
        return pg_err_set(err, PG_ENOMEM, "out of memory trimming a baseline");
    }
    cJSON_Delete(doc);
    *out = *owned;
    *out_len = strlen(*owned);
    return PG_OK;
}

int pg_store_record(char out_path[1024], const char *repo_dir, const char *dir, const char *rev,
                    const char *results_path, int force, pg_err *err)
{
    git_repository *repo = NULL;
    git_object *obj = NULL;
    git_commit *commit = NULL;
    pg_shelf shelf;
    char hex[41], measured[41], *text = NULL, *trimmed = NULL;
    const char *stored = NULL;
    size_t len = 0;
    int interrupted = 0, rc;

    memset(&shelf, 0, sizeof shelf);
    if ((rc = pg_store_check_file(results_path, &interrupted, measured, err)) != 0)
        return rc;
    if (interrupted && !force)
        return pg_err_at(err, PG_EINVALID, results_path, 0, 0,
                         "comes from an interrupted run; a baseline must be complete (use --force "
                         "to store it anyway)");
    /* a baseline is stored under the commit it measured */
    if (!rev && !measured[0])
        return pg_err_at(err, PG_EUSAGE, results_path, 0, 0,
                         "the results name no commit (they were measured outside a git "
                         "repository): say which commit they measured with --commit REV");
    if (!rev)
        rev = measured;
    git_libgit2_init();
    if (git_repository_open_ext(&repo, repo_dir, 0, NULL) != 0) {
        rc = pg_git_fail(err, PG_ENOREPO, "cannot open the git repository");
        goto out;
    }
    if (git_revparse_single(&obj, repo, rev ? rev : "HEAD") != 0 ||
        git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) != 0) {
        rc = pg_err_set(err, PG_EUSAGE, "--commit %s does not name a commit in %s",
                        rev ? rev : "HEAD", repo_dir);
        goto out;
    }
    git_oid_tostr(hex, sizeof hex, git_commit_id(commit));
    if (measured[0] && strcmp(hex, measured) != 0 && !force) {
        rc = pg_err_at(err, PG_EUSAGE, results_path, 0, 0,
                       "the results were measured on %.12s, not on %.12s (--commit %s): a "
                       "baseline is stored under the commit it measured (--force to store it "
                       "anyway)",
                       measured, hex, rev);
        goto out;
    }
    if ((rc = pg_file_read(&text, &len, results_path, 256u << 20, err)) != 0 ||
        (rc = pg_shelf_open(&shelf, repo, dir, err)) != 0)
        goto out;
    if (!shelf.dir && (rc = fit_branch(&trimmed, &stored, &len, text, len, err)) != 0)
        goto out;
    rc = pg_shelf_put(&shelf, hex, stored ? stored : text, len, out_path, err);
out:
    pg_shelf_close(&shelf);
    free(trimmed);
    free(text);
    git_commit_free(commit);
    git_object_free(obj);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return rc;
}

static void note(pg_baseline_found *f, const char *fmt, const char *a, const char *b)
{
    size_t used = strlen(f->notes);
    snprintf(f->notes + used, sizeof f->notes - used, fmt, a, b);
}

/* --base, else $GITHUB_BASE_REF as origin/<name>, else origin/main, else main. */
static int resolve_base(git_repository *repo, const char *arg, git_oid *oid, char *name,
                        size_t size, pg_err *err)
{
    const char *candidates[4];
    char from_env[300];
    const char *env = getenv("GITHUB_BASE_REF");
    size_t n = 0;

    if (arg && *arg) {
        candidates[n++] = arg;
    } else {
        if (env && *env) {
            snprintf(from_env, sizeof from_env, "origin/%s", env);
            candidates[n++] = from_env;
        }
        candidates[n++] = "origin/main";
        candidates[n++] = "main";
    }
    for (size_t i = 0; i < n; i++) {
        git_object *obj = NULL, *peeled = NULL;
        if (git_revparse_single(&obj, repo, candidates[i]) == 0 &&
            git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0) {
            git_oid_cpy(oid, git_object_id(peeled));
            snprintf(name, size, "%s", candidates[i]);
            git_object_free(peeled);
            git_object_free(obj);
            return PG_OK;
        }
        git_object_free(obj);
        if (pg_git_out_of_memory())
            return pg_git_fail(err, PG_ENOMEM, candidates[i]);
    }
    if (arg && *arg)
        return pg_err_set(err, PG_EUSAGE, "--base %s does not name a commit", arg);
    return pg_err_set(
        err, PG_EUSAGE,
        "no base ref: tried %s%s%sorigin/main and main; pass --base REF (with actions/checkout, "
        "use fetch-depth: 0 so the base branch is fetched)",
        env && *env ? "origin/" : "", env && *env ? env : "", env && *env ? ", " : "");
}

/* Walks first parents from start, calling visit(commit, distance) until it
 * returns non-zero or max_depth is reached; notes a shallow boundary. */
typedef int (*visit_fn)(void *arg, const git_commit *c, int distance);

static int walk_first_parents(git_repository *repo, const git_oid *start, int max_depth,
                              pg_baseline_found *f, visit_fn visit, void *arg, pg_err *err)
{
    git_commit *c = NULL;
    int rc = PG_OK;

    if (git_commit_lookup(&c, repo, start) != 0)
        return pg_git_fail(err, PG_ERUN, "cannot read the merge-base commit");
    for (int d = 0; d <= max_depth; d++) {
        git_commit *parent = NULL;
        char hex[41];
        if (visit(arg, c, d)) /* found, or failed: the visitor keeps its error */
            break;
        if (git_commit_parentcount(c) == 0)
            break; /* the root: history is complete and has no baseline further back */
        if (git_commit_parent(&parent, c, 0) != 0) {
            if (pg_git_out_of_memory()) {
                rc = pg_git_fail(err, PG_ENOMEM, "reading the first parents");
                break;
            }
            git_oid_tostr(hex, sizeof hex, git_commit_id(c));
            f->shallow_stop = 1;
            note(f,
                 "history ends at %s%s: this is a shallow clone; fetch all history to find older "
                 "baselines "
                 "(actions/checkout: fetch-depth: 0)\n",
                 hex, git_repository_is_shallow(repo) ? "" : " (parent commit missing)");
            break;
        }
        git_commit_free(c);
        c = parent;
        if (d == max_depth) {
            note(f, "stopped after %s first-parent steps (--max-depth)%s\n",
                 "the maximum number of", "");
        }
    }
    git_commit_free(c);
    return rc;
}

typedef struct find_ctx {
    pg_baseline_found *f;
    const pg_shelf *shelf;
    int rc; /* a failure that stopped the walk (out of memory, I/O) */
    pg_err *err;
} find_ctx;

static int visit_find(void *arg, const git_commit *c, int distance)
{
    find_ctx *ctx = arg;
    char hex[41], loc[1024];
    pg_err ferr;
    int rc;

    git_oid_tostr(hex, sizeof hex, git_commit_id(c));
    if (!pg_shelf_locate(ctx->shelf, hex, loc))
        return 0;
    if ((rc = check_stored(ctx->shelf, hex, loc, &ferr)) == PG_EINVALID) {
        /* a file that is not a baseline is passed over, and said so */
        note(ctx->f, "skipped %s: %s\n", loc, ferr.msg);
        return 0;
    }
    if (rc != PG_OK) {
        /* anything else would make an older baseline, or none, look nearest */
        *ctx->err = ferr;
        ctx->rc = rc;
        return 1;
    }
    ctx->f->found = 1;
    ctx->f->distance = distance;
    snprintf(ctx->f->commit, sizeof ctx->f->commit, "%s", hex);
    snprintf(ctx->f->path, sizeof ctx->f->path, "%s", loc);
    return 1;
}

static int open_and_base(git_repository **repo, git_oid *mb, pg_baseline_found *f,
                         const char *repo_dir, const char *base_ref, pg_err *err)
{
    git_oid head, base;
    int rc;

    if (git_repository_open_ext(repo, repo_dir, 0, NULL) != 0)
        return pg_git_fail(err, PG_ENOREPO, "cannot open the git repository");
    if (git_reference_name_to_id(&head, *repo, "HEAD") != 0)
        return pg_git_out_of_memory()
                   ? pg_git_fail(err, PG_ENOMEM, "reading HEAD")
                   : pg_err_set(err, PG_ERUN, "the repository at %s has no commit checked out",
                                repo_dir);
    if ((rc = resolve_base(*repo, base_ref, &base, f->base_ref, sizeof f->base_ref, err)) != 0)
        return rc;
    if (git_merge_base(mb, *repo, &head, &base) != 0) {
        if (pg_git_out_of_memory())
            return pg_git_fail(err, PG_ENOMEM, "finding the merge-base");
        if (git_repository_is_shallow(*repo))
            return pg_err_set(
                err, PG_ENOTFOUND,
                "no merge-base of HEAD and %s in this shallow clone; fetch all history "
                "(actions/checkout: fetch-depth: 0)",
                f->base_ref);
        return pg_err_set(err, PG_ENOTFOUND, "HEAD and %s have no common ancestor", f->base_ref);
    }
    git_oid_tostr(f->head, sizeof f->head, &head);
    git_oid_tostr(f->merge_base, sizeof f->merge_base, mb);
    return PG_OK;
}

int pg_store_find(pg_baseline_found *out, const char *repo_dir, const char *dir,
                  const char *base_ref, int max_depth, pg_err *err)
{
    git_repository *repo = NULL;
    pg_shelf shelf;
    git_oid mb;
    find_ctx ctx = {out, &shelf, PG_OK, err};
    int rc;

    memset(out, 0, sizeof *out);
    memset(&shelf, 0, sizeof shelf);
    git_libgit2_init();
    if ((rc = open_and_base(&repo, &mb, out, repo_dir, base_ref, err)) == 0 &&
        (rc = pg_shelf_open(&shelf, repo, dir, err)) == 0)
        rc = walk_first_parents(repo, &mb, max_depth > 0 ? max_depth : PG_STORE_MAX_DEPTH, out,
                                visit_find, &ctx, err);
    if (rc == PG_OK && ctx.rc != PG_OK) {
        rc = ctx.rc;
        memset(out, 0, sizeof *out); /* found nothing it can stand by */
    }
    pg_shelf_close(&shelf);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return rc;
}

typedef struct history_ctx {
    const pg_shelf *shelf;
    char **paths;
    size_t n, k;
    int rc; /* as find_ctx's */
    pg_err *err;
} history_ctx;

static int visit_history(void *arg, const git_commit *c, int distance)
{
    history_ctx *h = arg;
    char hex[41], loc[1024];
    pg_err ferr;
    int rc;

    (void)distance;
    git_oid_tostr(hex, sizeof hex, git_commit_id(c));
    if (!pg_shelf_locate(h->shelf, hex, loc) ||
        (rc = check_stored(h->shelf, hex, loc, &ferr)) == PG_EINVALID)
        return 0;
    if (rc == PG_OK && !(h->paths[h->n] = strdup(loc)))
        rc = pg_err_set(&ferr, PG_ENOMEM, "out of memory");
    if (rc != PG_OK) {
        *h->err = ferr;
        h->rc = rc;
        return 1;
    }
    h->n++;
    return h->n >= h->k;
}

int pg_store_history(char ***paths, size_t *n, const char *repo_dir, const char *dir,
                     const char *base_ref, size_t k, pg_err *err)
{
    git_repository *repo = NULL;
    pg_baseline_found f;
    pg_shelf shelf;
    history_ctx h = {&shelf, NULL, 0, k, PG_OK, err};
    git_oid mb;
    int rc;

    *paths = NULL;
    *n = 0;
    memset(&f, 0, sizeof f);
    memset(&shelf, 0, sizeof shelf);
    if (!(h.paths = calloc(k ? k : 1, sizeof *h.paths)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    git_libgit2_init();
    if ((rc = open_and_base(&repo, &mb, &f, repo_dir, base_ref, err)) == 0 &&
        (rc = pg_shelf_open(&shelf, repo, dir, err)) == 0)
        rc = walk_first_parents(repo, &mb, PG_STORE_MAX_DEPTH, &f, visit_history, &h, err);
    if (rc == PG_OK)
        rc = h.rc;
    pg_shelf_close(&shelf);
    git_repository_free(repo);
    git_libgit2_shutdown();
    *paths = h.paths;
    *n = h.n;
    return rc;
}

int pg_store_load(pg_results_values *out, const char *repo_dir, const char *loc, pg_err *err)
{
    git_repository *repo = NULL;
    pg_shelf shelf;
    char spec[300], hex[41], *text = NULL;
    const char *name;
    void *doc = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    if (!pg_shelf_is_branch(loc))
        return pg_values_load(out, loc, err);
    /* branch:NAME:<hex>.json.gz */
    if (!(name = strrchr(loc, ':')) || strlen(name + 1) < 40 || (size_t)(name - loc) >= sizeof spec)
        return pg_err_set(err, PG_EUSAGE, "%s does not name a stored baseline", loc);
    snprintf(spec, sizeof spec, "%.*s", (int)(name - loc), loc);
    snprintf(hex, sizeof hex, "%.40s", name + 1);
    memset(&shelf, 0, sizeof shelf);
    git_libgit2_init();
    if (git_repository_open_ext(&repo, repo_dir, 0, NULL) != 0)
        rc = pg_git_fail(err, PG_ENOREPO, "cannot open the git repository");
    else if ((rc = pg_shelf_open(&shelf, repo, spec, err)) == 0 &&
             (rc = pg_shelf_read(&shelf, hex, &text, NULL, err)) == 0 &&
             (rc = pg_results_parse(&doc, text, loc, err)) == 0)
        rc = pg_values_parse(out, doc, loc, err);
    cJSON_Delete(doc);
    free(text);
    pg_shelf_close(&shelf);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return rc;
}

typedef struct entry {
    char hex[41];
    git_time_t when;
    char subject[120];
} entry;

static int cmp_newest(const void *a, const void *b)
{
    git_time_t x = ((const entry *)a)->when, y = ((const entry *)b)->when;
    return x > y ? -1 : x < y;
}

/* The shelf's baselines with their commits' dates and subjects, newest first. */
static int scan(entry **out, size_t *n, const pg_shelf *s, pg_err *err)
{
    pg_commit_hex *hex = NULL;
    entry *list;
    int rc;

    *out = NULL;
    *n = 0;
    if ((rc = pg_shelf_list(s, &hex, n, err)) != 0)
        return rc;
    if (!(list = calloc(*n ? *n : 1, sizeof *list))) {
        free(hex);
        *n = 0;
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < *n; i++) {
        git_oid oid;
        git_commit *c = NULL;
        entry *x = &list[i];
        memcpy(x->hex, hex[i], 41);
        if (git_oid_fromstr(&oid, x->hex) == 0 && git_commit_lookup(&c, s->repo, &oid) == 0) {
            const char *subject = git_commit_summary(c);
            x->when = git_commit_time(c);
            snprintf(x->subject, sizeof x->subject, "%s", subject ? subject : "");
            git_commit_free(c);
        } else {
            snprintf(x->subject, sizeof x->subject, "(commit not in this repository)");
        }
    }
    free(hex);
    qsort(list, *n, sizeof *list, cmp_newest);
    *out = list;
    return PG_OK;
}

static void budget_names(const pg_shelf *s, const char *hex, char *buf, size_t size)
{
    char *text = NULL;
    cJSON *doc;
    const cJSON *b;
    size_t used = 0;

    buf[0] = '\0';
    if (pg_shelf_read(s, hex, &text, NULL, NULL) != 0)
        return;
    if ((doc = cJSON_Parse(text))) {
        cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(doc, "budgets"))
        {
            const cJSON *name = cJSON_GetObjectItemCaseSensitive(b, "name");
            if (cJSON_IsString(name) && used < size)
                used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "," : "",
                                         name->valuestring);
        }
        cJSON_Delete(doc);
    }
    free(text);
}

/* Opens the repository and the shelf and lists its baselines, newest first. */
static int open_and_scan(git_repository **repo, pg_shelf *shelf, entry **list, size_t *n,
                         const char *repo_dir, const char *dir, pg_err *err)
{
    int rc;

    *repo = NULL;
    *list = NULL;
    *n = 0;
    memset(shelf, 0, sizeof *shelf);
    git_libgit2_init();
    if (git_repository_open_ext(repo, repo_dir, 0, NULL) != 0)
        return pg_git_fail(err, PG_ENOREPO, "cannot open the git repository");
    if ((rc = pg_shelf_open(shelf, *repo, dir, err)) != 0)
        return rc;
    return scan(list, n, shelf, err);
}

int pg_store_list(const char *repo_dir, const char *dir, pg_err *err)
{
    git_repository *repo = NULL;
    pg_shelf shelf;
    entry *list = NULL;
    size_t n = 0;
    int rc;

    if ((rc = open_and_scan(&repo, &shelf, &list, &n, repo_dir, dir, err)) != 0)
        goto out;
    if (!n)
        printf("no baselines in %s\n", dir);
    for (size_t i = 0; i < n; i++) {
        char date[32] = "?", names[256];
        time_t t = (time_t)list[i].when;
        struct tm tm;
        if (list[i].when && gmtime_r(&t, &tm))
            strftime(date, sizeof date, "%Y-%m-%d", &tm);
        budget_names(&shelf, list[i].hex, names, sizeof names);
        printf("%.12s  %s  %-50.50s  %s\n", list[i].hex, date, list[i].subject, names);
    }
out:
    free(list);
    pg_shelf_close(&shelf);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return rc;
}

int pg_store_prune(const char *repo_dir, const char *dir, size_t keep, int squash, size_t *removed,
                   pg_err *err)
{
    git_repository *repo = NULL;
    pg_shelf shelf;
    entry *list = NULL;
    pg_commit_hex *gone = NULL;
    size_t n = 0;
    int rc;

    *removed = 0;
    memset(&shelf, 0, sizeof shelf);
    if (keep == 0)
        return pg_err_set(err, PG_EUSAGE,
                          "--keep 0 would remove every baseline, and the next check would have "
                          "none: keep 1 or more (or remove the folder by hand)");
    if (squash && !pg_shelf_is_branch(dir))
        return pg_err_set(err, PG_EUSAGE,
                          "--squash rewrites a baselines branch's history; %s is a folder", dir);
    if ((rc = open_and_scan(&repo, &shelf, &list, &n, repo_dir, dir, err)) != 0)
        goto out;
    if (n > keep) {
        if (!(gone = calloc(n - keep, sizeof *gone))) {
            rc = pg_err_set(err, PG_ENOMEM, "out of memory");
            goto out;
        }
        for (size_t i = keep; i < n; i++)
            memcpy(gone[i - keep], list[i].hex, 41);
    }
    if ((rc = pg_shelf_remove(&shelf, gone, n > keep ? n - keep : 0, squash, err)) == 0)
        *removed = n > keep ? n - keep : 0;
out:
    free(gone);
    free(list);
    pg_shelf_close(&shelf);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return rc;
}
