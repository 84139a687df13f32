/* test_baselines.c — finding the baseline a check uses, in repositories the
 * test builds with libgit2:
 *
 *   main: R - A - B - C - D - M        (M merges X, a side commit, into D)
 *                    \           /
 *   feature:          E - F     X
 *
 * HEAD is feature (F) unless a test moves it; merge-base(F, main) = B. */
#include <git2.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/file.h"
#include "store/baselines.h"

typedef struct world {
    char dir[256], baselines[300];
    git_repository *repo;
    git_oid R, A, B, C, D, E, F, X, M;
} world;

static git_oid commit(world *w, const char *ref, const git_oid *p1, const git_oid *p2,
                      const char *msg, int when)
{
    git_treebuilder *tb;
    git_oid tree_id, id;
    git_tree *tree;
    git_signature *sig;
    const git_commit *parents[2] = {NULL, NULL};
    git_commit *c1 = NULL, *c2 = NULL;
    size_t n = 0;

    assert_int_equal(git_treebuilder_new(&tb, w->repo, NULL), 0);
    assert_int_equal(git_treebuilder_write(&tree_id, tb), 0);
    git_treebuilder_free(tb);
    assert_int_equal(git_tree_lookup(&tree, w->repo, &tree_id), 0);
    assert_int_equal(
        git_signature_new(&sig, "perfgate", "ci@example.invalid", 1700000000 + when * 60, 0), 0);
    if (p1) {
        assert_int_equal(git_commit_lookup(&c1, w->repo, p1), 0);
        parents[n++] = c1;
    }
    if (p2) {
        assert_int_equal(git_commit_lookup(&c2, w->repo, p2), 0);
        parents[n++] = c2;
    }
    assert_int_equal(git_commit_create(&id, w->repo, ref, sig, sig, NULL, msg, tree, n, parents),
                     0);
    git_commit_free(c1);
    git_commit_free(c2);
    git_signature_free(sig);
    git_tree_free(tree);
    return id;
}

static void baseline_on(world *w, const git_oid *c, const char *content)
{
    char hex[41], path[512];
    pg_err err;
    git_oid_tostr(hex, sizeof hex, c);
    snprintf(path, sizeof path, "%s/%s.json", w->baselines, hex);
    assert_int_equal(pg_file_write_atomic(path, content, strlen(content), &err), 0);
}

static const char *good = "{\"format\": \"perfgate-results/1\", \"interrupted\": false, "
                          "\"budgets\": [{\"name\": \"smoke\"}]}";

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    git_oid none;

    snprintf(w->dir, sizeof w->dir, "/tmp/pg_store_XXXXXX");
    if (!mkdtemp(w->dir))
        return -1;
    snprintf(w->baselines, sizeof w->baselines, "%s/baselines", w->dir);
    mkdir(w->baselines, 0755);
    git_libgit2_init();
    if (git_repository_init(&w->repo, w->dir, 0) != 0)
        return -1;
    (void)none;
    w->R = commit(w, "refs/heads/main", NULL, NULL, "R", 0);
    w->A = commit(w, "refs/heads/main", &w->R, NULL, "A", 1);
    w->B = commit(w, "refs/heads/main", &w->A, NULL, "B", 2);
    w->C = commit(w, "refs/heads/main", &w->B, NULL, "C", 3);
    w->D = commit(w, "refs/heads/main", &w->C, NULL, "D", 4);
    w->X = commit(w, NULL, &w->C, NULL, "X side", 5);
    w->M = commit(w, "refs/heads/main", &w->D, &w->X, "Merge X", 6);
    w->E = commit(w, "refs/heads/feature", &w->B, NULL, "E", 7);
    w->F = commit(w, "refs/heads/feature", &w->E, NULL, "F", 8);
    git_repository_set_head(w->repo, "refs/heads/feature");
    unsetenv("GITHUB_BASE_REF");
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    char cmd[400];
    git_repository_free(w->repo);
    git_libgit2_shutdown();
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", w->dir);
    if (system(cmd) != 0)
        return -1;
    free(w);
    return 0;
}

static void expect_found(world *w, const char *base, const git_oid *want, int distance)
{
    pg_baseline_found f;
    pg_err err;
    char hex[41];

    if (pg_store_find(&f, w->dir, w->baselines, base, 0, &err) != 0)
        fail_msg("find: %s", err.msg);
    git_oid_tostr(hex, sizeof hex, want);
    assert_true(f.found);
    assert_string_equal(f.commit, hex);
    assert_int_equal(f.distance, distance);
}

static void baseline_several_ancestors_back(void **state)
{
    world *w = *state;
    pg_baseline_found f;
    pg_err err;
    char hex[41];

    baseline_on(w, &w->A, good);
    expect_found(w, "main", &w->A, 1); /* merge-base B, then A */
    assert_int_equal(pg_store_find(&f, w->dir, w->baselines, "main", 0, &err), 0);
    git_oid_tostr(hex, sizeof hex, &w->B);
    assert_string_equal(f.merge_base, hex);
    assert_string_equal(f.base_ref, "main");
    assert_non_null(strstr(f.path, "/baselines/"));
    /* the nearest wins, and a baseline off the path (C, after the branch point) is never used */
    baseline_on(w, &w->C, good);
    expect_found(w, "main", &w->A, 1);
    baseline_on(w, &w->B, good);
    expect_found(w, "main", &w->B, 0);
}

static void merge_commits_follow_first_parents(void **state)
{
    world *w = *state;
    baseline_on(w, &w->X, good); /* reachable only through M's second parent */
    baseline_on(w, &w->C, good);
    git_repository_set_head(w->repo, "refs/heads/main");
    expect_found(w, "main", &w->C, 2); /* M -> D -> C, never X */
}

static void detached_head(void **state)
{
    world *w = *state;
    baseline_on(w, &w->A, good);
    assert_int_equal(git_repository_set_head_detached(w->repo, &w->F), 0);
    expect_found(w, "main", &w->A, 1);
}

static void none_at_all(void **state)
{
    world *w = *state;
    pg_baseline_found f;
    pg_err err;
    assert_int_equal(pg_store_find(&f, w->dir, w->baselines, "main", 0, &err), 0);
    assert_false(f.found);
    assert_false(f.shallow_stop);
}

static void corrupt_file_is_skipped_by_name(void **state)
{
    world *w = *state;
    pg_baseline_found f;
    pg_err err;
    baseline_on(w, &w->A, good);
    baseline_on(w, &w->B, "{ this is not json");
    assert_int_equal(pg_store_find(&f, w->dir, w->baselines, "main", 0, &err), 0);
    assert_true(f.found);
    assert_int_equal(f.distance, 1);
    assert_non_null(strstr(f.notes, "skipped"));
    assert_non_null(strstr(f.notes, "not valid JSON"));
    baseline_on(w, &w->B, "{\"format\": \"something-else/2\"}");
    assert_int_equal(pg_store_find(&f, w->dir, w->baselines, "main", 0, &err), 0);
    assert_non_null(strstr(f.notes, "not a perfgate results file"));
}

/* Turns the clone shallow at `boundary`: lists it in .git/shallow and removes
 * its parent's object, as a depth-limited fetch leaves things. */
static void make_shallow(world *w, const git_oid *boundary, const git_oid *parent)
{
    char hex[41], path[512];
    FILE *fp;

    git_oid_tostr(hex, sizeof hex, boundary);
    snprintf(path, sizeof path, "%s/.git/shallow", w->dir);
    assert_non_null(fp = fopen(path, "w"));
    fprintf(fp, "%s\n", hex);
    fclose(fp);
    git_oid_tostr(hex, sizeof hex, parent);
    snprintf(path, sizeof path, "%s/.git/objects/%.2s/%s", w->dir, hex, hex + 2);
    assert_int_equal(unlink(path), 0);
    git_repository_free(w->repo);
    assert_int_equal(git_repository_open(&w->repo, w->dir), 0);
}

static void shallow_clone_stops_with_a_hint(void **state)
{
    world *w = *state;
    pg_baseline_found f;
    pg_err err;

    baseline_on(w, &w->R, good); /* beyond the boundary: cannot be reached */
    make_shallow(w, &w->A, &w->R);
    assert_int_equal(pg_store_find(&f, w->dir, w->baselines, "main", 0, &err), 0);
    assert_false(f.found);
    assert_true(f.shallow_stop);
    assert_non_null(strstr(f.notes, "shallow clone"));
    assert_non_null(strstr(f.notes, "fetch-depth: 0"));
}

static void too_shallow_for_a_merge_base(void **state)
{
    world *w = *state;
    pg_baseline_found f;
    pg_err err;

    make_shallow(w, &w->B, &w->A); /* the walk to the merge-base itself needs A */
    assert_int_equal(pg_store_find(&f, w->dir, w->baselines, "main", 0, &err), PG_ENOTFOUND);
    assert_non_null(strstr(err.msg, "fetch-depth: 0"));
}

static void base_ref_from_github(void **state)
{
    world *w = *state;
    git_reference *ref;
    pg_baseline_found f;
    pg_err err;

    baseline_on(w, &w->A, good);
    assert_int_equal(
        git_reference_create(&ref, w->repo, "refs/remotes/origin/release", &w->C, 0, NULL), 0);
    git_reference_free(ref);
    setenv("GITHUB_BASE_REF", "release", 1);
    assert_int_equal(pg_store_find(&f, w->dir, w->baselines, NULL, 0, &err), 0);
    unsetenv("GITHUB_BASE_REF");
    assert_string_equal(f.base_ref, "origin/release");
    assert_true(f.found);
    /* no origin/main here: the default falls back to main */
    assert_int_equal(pg_store_find(&f, w->dir, w->baselines, NULL, 0, &err), 0);
    assert_string_equal(f.base_ref, "main");
    assert_int_equal(pg_store_find(&f, w->dir, w->baselines, "nope", 0, &err), PG_EUSAGE);
    assert_non_null(strstr(err.msg, "--base nope"));
}

static void record_and_prune(void **state)
{
    world *w = *state;
    char results[512], out[1024], hex[41];
    size_t removed = 0;
    pg_err err;

    snprintf(results, sizeof results, "%s/r.json", w->dir);
    assert_int_equal(pg_file_write_atomic(results, good, strlen(good), &err), 0);
    /* results that name no commit: which one they measured must be said */
    assert_int_equal(pg_store_record(out, w->dir, w->baselines, NULL, results, 0, &err),
                     PG_EUSAGE);
    assert_non_null(strstr(err.msg, "--commit REV"));
    assert_int_equal(pg_store_record(out, w->dir, w->baselines, "HEAD", results, 0, &err), 0);
    git_oid_tostr(hex, sizeof hex, &w->F);
    assert_non_null(strstr(out, hex));
    assert_int_equal(access(out, F_OK), 0);
    {
        /* results measured on F: stored under F, and not under another commit
         * unless forced */
        char named[512];
        snprintf(named, sizeof named,
                 "{\"format\": \"perfgate-results/1\", \"commit\": \"%s\", \"budgets\": []}", hex);
        assert_int_equal(pg_file_write_atomic(results, named, strlen(named), &err), 0);
        assert_int_equal(pg_store_record(out, w->dir, w->baselines, NULL, results, 0, &err), 0);
        assert_non_null(strstr(out, hex));
        assert_int_equal(pg_store_record(out, w->dir, w->baselines, "main~2", results, 0, &err),
                         PG_EUSAGE);
        assert_non_null(strstr(err.msg, "--force"));
        assert_int_equal(pg_file_write_atomic(results, good, strlen(good), &err), 0);
    }
    assert_int_equal(pg_store_record(out, w->dir, w->baselines, "main~2", results, 0, &err), 0);
    git_oid_tostr(hex, sizeof hex, &w->C); /* main~2 = M -> D -> C */
    assert_non_null(strstr(out, hex));
    {
        const char *cut = "{\"format\": \"perfgate-results/1\", \"interrupted\": true}";
        assert_int_equal(pg_file_write_atomic(results, cut, strlen(cut), &err), 0);
        assert_int_equal(pg_store_record(out, w->dir, w->baselines, "main", results, 0, &err),
                         PG_EINVALID);
        assert_non_null(strstr(err.msg, "--force"));
        assert_int_equal(pg_store_record(out, w->dir, w->baselines, "main", results, 1, &err), 0);
    }
    assert_int_equal(pg_store_record(out, w->dir, w->baselines, "no-such-rev", results, 1, &err),
                     PG_EUSAGE);
    /* three baselines (F, C, M): keep the newest by commit date (F at minute 8) */
    assert_int_equal(pg_store_prune(w->dir, w->baselines, 0, 0, &removed, &err), PG_EUSAGE);
    assert_int_equal(removed, 0);
    assert_int_equal(pg_store_prune(w->dir, w->baselines, 1, 0, &removed, &err), 0);
    assert_int_equal(removed, 2);
    git_oid_tostr(hex, sizeof hex, &w->F);
    snprintf(out, sizeof out, "%s/%s.json", w->baselines, hex);
    assert_int_equal(access(out, F_OK), 0);
}

static void history_nearest_first(void **state)
{
    world *w = *state;
    char **paths;
    size_t n;
    pg_err err;
    char hex[41];

    baseline_on(w, &w->A, good);
    baseline_on(w, &w->B, good);
    assert_int_equal(pg_store_history(&paths, &n, w->dir, w->baselines, "main", 20, &err), 0);
    assert_int_equal(n, 2);
    git_oid_tostr(hex, sizeof hex, &w->B);
    assert_non_null(strstr(paths[0], hex));
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(baseline_several_ancestors_back, setup, teardown),
        cmocka_unit_test_setup_teardown(merge_commits_follow_first_parents, setup, teardown),
        cmocka_unit_test_setup_teardown(detached_head, setup, teardown),
        cmocka_unit_test_setup_teardown(none_at_all, setup, teardown),
        cmocka_unit_test_setup_teardown(corrupt_file_is_skipped_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(shallow_clone_stops_with_a_hint, setup, teardown),
        cmocka_unit_test_setup_teardown(too_shallow_for_a_merge_base, setup, teardown),
        cmocka_unit_test_setup_teardown(base_ref_from_github, setup, teardown),
        cmocka_unit_test_setup_teardown(record_and_prune, setup, teardown),
        cmocka_unit_test_setup_teardown(history_nearest_first, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
