/* baselines.c — record, find, list and prune baselines (see baselines.h). */
#include "store/baselines.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/file.h"
#include "metrics/values.h"

static int git_fail(pg_err *err, int code, const char *what)
{
    const git_error *e = git_error_last();
    return pg_err_set(err, code, "%s: %s", what,
                      e && e->message ? e->message : "unknown libgit2 error");
}

int pg_store_check_file(const char *path, int *interrupted, char commit[41], pg_err *err)
{
    void *doc = NULL;
    int rc = pg_results_open(&doc, path, err);
    const char *c;

    if (rc == PG_OK && interrupted)
        *interrupted = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "interrupted"));
    if (commit) {
        c = rc == PG_OK ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "commit"))
                        : NULL;
        snprintf(commit, 41, "%s",
                 c && strlen(c) == 40 && strspn(c, "0123456789abcdef") == 40 ? c : "");
    }
    cJSON_Delete(doc);
    return rc;
}

int pg_store_record(char out_path[1024], const char *repo_dir, const char *dir, const char *rev,
                    const char *results_path, int force, pg_err *err)
{
    git_repository *repo = NULL;
    git_object *obj = NULL;
    git_commit *commit = NULL;
    char hex[41], measured[41], *text = NULL;
    size_t len = 0;
    int interrupted = 0, rc;

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
        rc = git_fail(err, PG_ENOREPO, "cannot open the git repository");
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
    if ((rc = pg_file_read(&text, &len, results_path, 256u << 20, err)) != 0)
        goto out;
    snprintf(out_path, 1024, "%s/%s.json", dir, hex);
    rc = pg_file_write_atomic(out_path, text, len, err);
out:
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
        return git_fail(err, PG_ERUN, "cannot read the merge-base commit");
    for (int d = 0; d <= max_depth; d++) {
        git_commit *parent = NULL;
        char hex[41];
        if (visit(arg, c, d))
            break;
        if (git_commit_parentcount(c) == 0)
            break; /* the root: history is complete and has no baseline further back */
        if (git_commit_parent(&parent, c, 0) != 0) {
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
    const char *dir;
} find_ctx;

static int visit_find(void *arg, const git_commit *c, int distance)
{
    find_ctx *ctx = arg;
    char hex[41], path[1024];
    pg_err ferr;

    git_oid_tostr(hex, sizeof hex, git_commit_id(c));
    snprintf(path, sizeof path, "%s/%s.json", ctx->dir, hex);
    if (access(path, F_OK) != 0)
        return 0;
    if (pg_store_check_file(path, NULL, NULL, &ferr) != 0) {
        note(ctx->f, "skipped %s: %s\n", path, ferr.msg);
        return 0;
    }
    ctx->f->found = 1;
    ctx->f->distance = distance;
    snprintf(ctx->f->commit, sizeof ctx->f->commit, "%s", hex);
    snprintf(ctx->f->path, sizeof ctx->f->path, "%s", path);
    return 1;
}

static int open_and_base(git_repository **repo, git_oid *mb, pg_baseline_found *f,
                         const char *repo_dir, const char *base_ref, pg_err *err)
{
    git_oid head, base;
    int rc;

    if (git_repository_open_ext(repo, repo_dir, 0, NULL) != 0)
        return git_fail(err, PG_ENOREPO, "cannot open the git repository");
    if (git_reference_name_to_id(&head, *repo, "HEAD") != 0)
        return pg_err_set(err, PG_ERUN, "the repository at %s has no commit checked out", repo_dir);
    if ((rc = resolve_base(*repo, base_ref, &base, f->base_ref, sizeof f->base_ref, err)) != 0)
        return rc;
    if (git_merge_base(mb, *repo, &head, &base) != 0) {
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
    git_oid mb;
    find_ctx ctx = {out, dir};
    int rc;

    memset(out, 0, sizeof *out);
    git_libgit2_init();
    if ((rc = open_and_base(&repo, &mb, out, repo_dir, base_ref, err)) == 0)
        rc = walk_first_parents(repo, &mb, max_depth > 0 ? max_depth : PG_STORE_MAX_DEPTH, out,
                                visit_find, &ctx, err);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return rc;
}

typedef struct history_ctx {
    const char *dir;
    char **paths;
    size_t n, k;
} history_ctx;

static int visit_history(void *arg, const git_commit *c, int distance)
{
    history_ctx *h = arg;
    char hex[41], path[1024];

    (void)distance;
    git_oid_tostr(hex, sizeof hex, git_commit_id(c));
    snprintf(path, sizeof path, "%s/%s.json", h->dir, hex);
    if (access(path, F_OK) == 0 && pg_store_check_file(path, NULL, NULL, NULL) == 0 &&
        (h->paths[h->n] = strdup(path)))
        h->n++;
    return h->n >= h->k;
}

int pg_store_history(char ***paths, size_t *n, const char *repo_dir, const char *dir,
                     const char *base_ref, size_t k, pg_err *err)
{
    git_repository *repo = NULL;
    pg_baseline_found f;
    history_ctx h = {dir, NULL, 0, k};
    git_oid mb;
    int rc;

    *paths = NULL;
    *n = 0;
    memset(&f, 0, sizeof f);
    if (!(h.paths = calloc(k ? k : 1, sizeof *h.paths)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    git_libgit2_init();
    if ((rc = open_and_base(&repo, &mb, &f, repo_dir, base_ref, err)) == 0)
        rc = walk_first_parents(repo, &mb, PG_STORE_MAX_DEPTH, &f, visit_history, &h, err);
    git_repository_free(repo);
    git_libgit2_shutdown();
    *paths = h.paths;
    *n = h.n;
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

/* Every DIR/<40 hex>.json, with its commit's date and subject when the commit is known. */
static int scan(entry **out, size_t *n, git_repository *repo, const char *dir, pg_err *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    entry *list = NULL;
    size_t cap = 0;

    *out = NULL;
    *n = 0;
    if (!d)
        return errno == ENOENT
                   ? PG_OK
                   : pg_err_at(err, PG_EIO, dir, 0, 0, "cannot read: %s", strerror(errno));
    while ((e = readdir(d))) {
        git_oid oid;
        git_commit *c = NULL;
        entry *x;
        if (strlen(e->d_name) != 45 || strcmp(e->d_name + 40, ".json") != 0)
            continue;
        if (*n == cap) {
            entry *l = realloc(list, (cap = cap ? cap * 2 : 64) * sizeof *l);
            if (!l) {
                free(list);
                closedir(d);
                return pg_err_set(err, PG_ENOMEM, "out of memory");
            }
            list = l;
        }
        x = &list[*n];
        memset(x, 0, sizeof *x);
        memcpy(x->hex, e->d_name, 40);
        if (git_oid_fromstr(&oid, x->hex) != 0)
            continue;
        if (git_commit_lookup(&c, repo, &oid) == 0) {
            const char *s = git_commit_summary(c);
            x->when = git_commit_time(c);
            snprintf(x->subject, sizeof x->subject, "%s", s ? s : "");
            git_commit_free(c);
        } else {
            snprintf(x->subject, sizeof x->subject, "(commit not in this repository)");
        }
        (*n)++;
    }
    closedir(d);
    qsort(list, *n, sizeof *list, cmp_newest);
    *out = list;
    return PG_OK;
}

static void budget_names(const char *path, char *buf, size_t size)
{
    char *text = NULL;
    cJSON *doc;
    const cJSON *b;
    size_t used = 0;

    buf[0] = '\0';
    if (pg_file_read(&text, NULL, path, 256u << 20, NULL) != 0)
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

/* Opens the repository and lists dir's baselines, newest first. */
static int open_and_scan(git_repository **repo, entry **list, size_t *n, const char *repo_dir,
                         const char *dir, pg_err *err)
{
    *repo = NULL;
    *list = NULL;
    *n = 0;
    git_libgit2_init();
    if (git_repository_open_ext(repo, repo_dir, 0, NULL) != 0)
        return git_fail(err, PG_ENOREPO, "cannot open the git repository");
    return scan(list, n, *repo, dir, err);
}

int pg_store_list(const char *repo_dir, const char *dir, pg_err *err)
{
    git_repository *repo = NULL;
    entry *list = NULL;
    size_t n = 0;
    int rc;

    if ((rc = open_and_scan(&repo, &list, &n, repo_dir, dir, err)) != 0)
        goto out;
    if (!n)
        printf("no baselines in %s\n", dir);
    for (size_t i = 0; i < n; i++) {
        char path[1024], date[32] = "?", names[256];
        time_t t = (time_t)list[i].when;
        struct tm tm;
        snprintf(path, sizeof path, "%s/%s.json", dir, list[i].hex);
        if (list[i].when && gmtime_r(&t, &tm))
            strftime(date, sizeof date, "%Y-%m-%d", &tm);
        budget_names(path, names, sizeof names);
        printf("%.12s  %s  %-50.50s  %s\n", list[i].hex, date, list[i].subject, names);
    }
out:
    free(list);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return rc;
}

int pg_store_prune(const char *repo_dir, const char *dir, size_t keep, size_t *removed, pg_err *err)
{
    git_repository *repo = NULL;
    entry *list = NULL;
    size_t n = 0;
    int rc;

    *removed = 0;
    if (keep == 0)
        return pg_err_set(err, PG_EUSAGE,
                          "--keep 0 would remove every baseline, and the next check would have "
                          "none: keep 1 or more (or remove the folder by hand)");
    if ((rc = open_and_scan(&repo, &list, &n, repo_dir, dir, err)) != 0)
        goto out;
    for (size_t i = keep; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.json", dir, list[i].hex);
        if (unlink(path) != 0) {
            rc = pg_err_at(err, PG_EIO, path, 0, 0, "cannot remove: %s", strerror(errno));
            goto out;
        }
        (*removed)++;
    }
out:
    free(list);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return rc;
}
