/* test_shelf.c — baselines on a branch of their own (--baselines
 * branch:NAME), in repositories the test builds with libgit2:
 *
 *   main: R - A - B        HEAD = main (B), nothing checked out
 *
 * Recording commits to refs/heads/NAME only; finding reads NAME or
 * origin/NAME (both when they diverged); pruning commits a smaller tree, or
 * one commit with --squash. tests/cli/branch_store.sh checks the same with
 * git itself (status, ls-tree, clone, push). */
#include <git2.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/file.h"
#include "store/baselines.h"
#include "store/shelf.h"

typedef struct world {
    char dir[256], results[300];
    git_repository *repo;
    git_oid R, A, B;
    char hexR[41], hexA[41], hexB[41];
} world;

static git_oid commit(world *w, const char *ref, const git_oid *parent, const char *msg, int when)
{
    git_treebuilder *tb;
    git_oid tree_id, id;
    git_tree *tree;
    git_signature *sig;
    git_commit *p = NULL;
    const git_commit *parents[1];

    assert_int_equal(git_treebuilder_new(&tb, w->repo, NULL), 0);
    assert_int_equal(git_treebuilder_write(&tree_id, tb), 0);
    git_treebuilder_free(tb);
    assert_int_equal(git_tree_lookup(&tree, w->repo, &tree_id), 0);
    assert_int_equal(
        git_signature_new(&sig, "perfgate", "ci@example.invalid", 1700000000 + when * 60, 0), 0);
    if (parent)
        assert_int_equal(git_commit_lookup(&p, w->repo, parent), 0);
    parents[0] = p;
    assert_int_equal(
        git_commit_create(&id, w->repo, ref, sig, sig, NULL, msg, tree, p ? 1 : 0, parents), 0);
    git_commit_free(p);
    git_signature_free(sig);
    git_tree_free(tree);
    return id;
}

/* results measured on hex, with one budget */
static void results_of(world *w, const char *hex, const char *budget)
{
    char text[512];
    pg_err err;
    snprintf(text, sizeof text,
             "{\"format\": \"perfgate-results/1\", \"commit\": \"%s\", \"interrupted\": false, "
             "\"budgets\": [{\"name\": \"%s\"}]}",
             hex, budget);
    assert_int_equal(pg_file_write_atomic(w->results, text, strlen(text), &err), 0);
}

static void record(world *w, const char *spec, const char *hex, char loc[1024])
{
    pg_err err;
    results_of(w, hex, "smoke");
    if (pg_store_record(loc, w->dir, spec, NULL, w->results, 0, &err) != 0)
        fail_msg("record: %s", err.msg);
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);

    snprintf(w->dir, sizeof w->dir, "/tmp/pg_shelf_XXXXXX");
    if (!w || !mkdtemp(w->dir))
        return -1;
    snprintf(w->results, sizeof w->results, "%s.results.json", w->dir);
    git_libgit2_init();
    if (git_repository_init(&w->repo, w->dir, 0) != 0)
        return -1;
    w->R = commit(w, "refs/heads/main", NULL, "R", 0);
    w->A = commit(w, "refs/heads/main", &w->R, "A", 1);
    w->B = commit(w, "refs/heads/main", &w->A, "B", 2);
    git_repository_set_head(w->repo, "refs/heads/main");
    git_oid_tostr(w->hexR, sizeof w->hexR, &w->R);
    git_oid_tostr(w->hexA, sizeof w->hexA, &w->A);
    git_oid_tostr(w->hexB, sizeof w->hexB, &w->B);
    unsetenv("GITHUB_BASE_REF");
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    char cmd[700];
    git_repository_free(w->repo);
    git_libgit2_shutdown();
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", w->dir, w->results);
    if (system(cmd) != 0)
        return -1;
    free(w);
    return 0;
}

static git_commit *tip(world *w, const char *ref)
{
    git_oid id;
    git_commit *c = NULL;
    if (git_reference_name_to_id(&id, w->repo, ref) != 0)
        return NULL;
    assert_int_equal(git_commit_lookup(&c, w->repo, &id), 0);
    return c;
}

static int tree_has(git_commit *c, const char *name)
{
    git_tree *t;
    int has;
    assert_int_equal(git_commit_tree(&t, c), 0);
    has = git_tree_entry_byname(t, name) != NULL;
    git_tree_free(t);
    return has;
}

static void expect_found(world *w, const char *spec, const char *hex, const char *loc_want)
{
    pg_baseline_found f;
    pg_results_values v;
    pg_err err;

    if (pg_store_find(&f, w->dir, spec, "main", 0, &err) != 0)
        fail_msg("find: %s", err.msg);
    assert_true(f.found);
    assert_string_equal(f.commit, hex);
    if (loc_want)
        assert_string_equal(f.path, loc_want);
    if (pg_store_load(&v, w->dir, f.path, &err) != 0)
        fail_msg("load %s: %s", f.path, err.msg);
    assert_string_equal(v.commit, hex);
    assert_int_equal(v.n_budgets, 1);
    pg_values_clear(&v);
}

static void record_commits_to_the_branch_only(void **state)
{
    world *w = *state;
    char loc[1024], want[1024], name[64];
    git_commit *first, *second;
    git_reference *head;

    record(w, "branch:", w->hexA, loc);
    snprintf(want, sizeof want, "branch:perfgate-baselines:%s.json.gz", w->hexA);
    assert_string_equal(loc, want);
    /* the first record makes an orphan with the baseline and a README */
    assert_non_null(first = tip(w, "refs/heads/perfgate-baselines"));
    assert_int_equal(git_commit_parentcount(first), 0);
    snprintf(name, sizeof name, "%s.json.gz", w->hexA);
    assert_true(tree_has(first, name));
    assert_true(tree_has(first, "README.md"));
    /* HEAD, main and the working tree are as they were */
    assert_int_equal(git_reference_lookup(&head, w->repo, "HEAD"), 0);
    assert_string_equal(git_reference_symbolic_target(head), "refs/heads/main");
    git_reference_free(head);
    {
        git_commit *m = tip(w, "refs/heads/main");
        assert_true(git_oid_equal(git_commit_id(m), &w->B));
        git_commit_free(m);
    }
    snprintf(want, sizeof want, "%s/%s.json.gz", w->dir, w->hexA);
    assert_int_equal(access(want, F_OK), -1);
    snprintf(want, sizeof want, "%s/baselines", w->dir);
    assert_int_equal(access(want, F_OK), -1);
    /* the next record goes on top of it */
    record(w, "branch:", w->hexB, loc);
    assert_non_null(second = tip(w, "refs/heads/perfgate-baselines"));
    assert_int_equal(git_commit_parentcount(second), 1);
    assert_true(git_oid_equal(git_commit_parent_id(second, 0), git_commit_id(first)));
    assert_true(tree_has(second, name));
    git_commit_free(first);
    git_commit_free(second);
    snprintf(want, sizeof want, "branch:perfgate-baselines:%s.json.gz", w->hexB);
    expect_found(w, "branch:", w->hexB, want);
    /* a branch of another name is another store */
    {
        pg_baseline_found f;
        pg_err err;
        assert_int_equal(pg_store_find(&f, w->dir, "branch:perf/other", "main", 0, &err), 0);
        assert_false(f.found);
    }
}

/* after a fetch only origin/NAME exists: it is read, and a record goes on top of it */
static void reads_and_extends_origin(void **state)
{
    world *w = *state;
    char loc[1024];
    git_reference *r;
    git_commit *remote, *local;

    record(w, "branch:", w->hexA, loc);
    assert_int_equal(git_reference_lookup(&r, w->repo, "refs/heads/perfgate-baselines"), 0);
    {
        git_reference *moved;
        assert_int_equal(git_reference_rename(&moved, r, "refs/remotes/origin/perfgate-baselines",
                                              0, "as fetched"),
                         0);
        git_reference_free(moved);
    }
    git_reference_free(r);
    expect_found(w, "branch:", w->hexA, NULL);
    record(w, "branch:", w->hexB, loc);
    remote = tip(w, "refs/remotes/origin/perfgate-baselines");
    local = tip(w, "refs/heads/perfgate-baselines");
    assert_int_equal(git_commit_parentcount(local), 1);
    assert_true(git_oid_equal(git_commit_parent_id(local, 0), git_commit_id(remote)));
    git_commit_free(remote);
    git_commit_free(local);
    expect_found(w, "branch:", w->hexB, NULL);
}

/* local and origin diverged (a record here, another job's pushed there):
 * both are read, and the next record merges them */
static void diverged_tips_are_both_read(void **state)
{
    world *w = *state;
    char loc[1024], a[64], b[64];
    git_reference *r, *moved;
    git_commit *merged;

    record(w, "branch:", w->hexA, loc);
    assert_int_equal(git_reference_lookup(&r, w->repo, "refs/heads/perfgate-baselines"), 0);
    assert_int_equal(
        git_reference_rename(&moved, r, "refs/remotes/origin/perfgate-baselines", 0, "as fetched"),
        0);
    git_reference_free(moved);
    git_reference_free(r);
    /* local: an orphan of its own with B's baseline */
    {
        pg_err err;
        results_of(w, w->hexB, "smoke");
        assert_int_equal(
            git_reference_lookup(&r, w->repo, "refs/remotes/origin/perfgate-baselines"), 0);
        /* hide origin while recording B, so the local branch starts anew */
        assert_int_equal(git_reference_rename(&moved, r, "refs/hidden/x", 0, "hide"), 0);
        git_reference_free(r);
        assert_int_equal(pg_store_record(loc, w->dir, "branch:", NULL, w->results, 0, &err), 0);
        assert_int_equal(
            git_reference_rename(&r, moved, "refs/remotes/origin/perfgate-baselines", 0, "unhide"),
            0);
        git_reference_free(moved);
        git_reference_free(r);
    }
    expect_found(w, "branch:", w->hexB, NULL);
    {
        /* A's baseline is only on origin: found through it */
        pg_baseline_found f;
        pg_err err;
        assert_int_equal(pg_store_find(&f, w->dir, "branch:", "main~1", 0, &err), 0);
        assert_true(f.found);
        assert_string_equal(f.commit, w->hexA);
    }
    record(w, "branch:", w->hexR, loc);
    merged = tip(w, "refs/heads/perfgate-baselines");
    assert_int_equal(git_commit_parentcount(merged), 2);
    snprintf(a, sizeof a, "%s.json.gz", w->hexA);
    snprintf(b, sizeof b, "%s.json.gz", w->hexB);
    assert_true(tree_has(merged, a));
    assert_true(tree_has(merged, b));
    git_commit_free(merged);
}

static void prune_and_squash(void **state)
{
    world *w = *state;
    char loc[1024], name[64];
    size_t removed = 0;
    git_commit *c;
    pg_err err;

    record(w, "branch:", w->hexR, loc);
    record(w, "branch:", w->hexA, loc);
    record(w, "branch:", w->hexB, loc);
    assert_int_equal(pg_store_prune(w->dir, "branch:", 2, 0, &removed, &err), 0);
    assert_int_equal(removed, 1);
    c = tip(w, "refs/heads/perfgate-baselines");
    assert_int_equal(git_commit_parentcount(c), 1); /* history keeps R's file */
    snprintf(name, sizeof name, "%s.json.gz", w->hexR);
    assert_false(tree_has(c, name));
    git_commit_free(c);
    assert_int_equal(pg_store_prune(w->dir, "branch:", 1, 1, &removed, &err), 0);
    assert_int_equal(removed, 1);
    c = tip(w, "refs/heads/perfgate-baselines");
    assert_int_equal(git_commit_parentcount(c), 0);
    snprintf(name, sizeof name, "%s.json.gz", w->hexB);
    assert_true(tree_has(c, name));
    assert_true(tree_has(c, "README.md"));
    git_commit_free(c);
    /* --squash is for branches */
    assert_int_equal(pg_store_prune(w->dir, "baselines", 1, 1, &removed, &err), PG_EUSAGE);
    assert_non_null(strstr(err.msg, "--squash"));
}

static void refusals(void **state)
{
    world *w = *state;
    char loc[1024];
    pg_baseline_found f;
    pg_err err;

    /* not a branch name */
    results_of(w, w->hexB, "smoke");
    assert_int_equal(pg_store_record(loc, w->dir, "branch:a..b", NULL, w->results, 0, &err),
                     PG_EUSAGE);
    assert_non_null(strstr(err.msg, "not a valid branch name"));
    assert_int_equal(pg_store_find(&f, w->dir, "branch:bad name", "main", 0, &err), PG_EUSAGE);
    /* the baselines branch checked out: its working tree would fall behind */
    record(w, "branch:", w->hexA, loc);
    git_repository_set_head(w->repo, "refs/heads/perfgate-baselines");
    assert_int_equal(pg_store_record(loc, w->dir, "branch:", NULL, w->results, 0, &err), PG_EUSAGE);
    assert_non_null(strstr(err.msg, "checked out"));
    git_repository_set_head(w->repo, "refs/heads/main");
}

/* a corrupt blob is skipped by name, an older one further back is used */
static void corrupt_blob_is_skipped(void **state)
{
    world *w = *state;
    char loc[1024], name[64];
    git_commit *c;
    git_tree *t;
    git_treebuilder *tb;
    git_oid blob, tree_id, id;
    git_signature *sig;
    pg_baseline_found f;
    pg_err err;

    record(w, "branch:", w->hexA, loc);
    c = tip(w, "refs/heads/perfgate-baselines");
    assert_int_equal(git_commit_tree(&t, c), 0);
    assert_int_equal(git_treebuilder_new(&tb, w->repo, t), 0);
    /* gzip's magic, then garbage */
    assert_int_equal(git_blob_create_from_buffer(&blob, w->repo, "\x1f\x8b\x08junk", 7), 0);
    snprintf(name, sizeof name, "%s.json.gz", w->hexB);
    assert_int_equal(git_treebuilder_insert(NULL, tb, name, &blob, GIT_FILEMODE_BLOB), 0);
    assert_int_equal(git_treebuilder_write(&tree_id, tb), 0);
    git_tree_free(t);
    assert_int_equal(git_tree_lookup(&t, w->repo, &tree_id), 0);
    assert_int_equal(git_signature_now(&sig, "t", "t@t"), 0);
    {
        const git_commit *parents[1] = {c};
        assert_int_equal(git_commit_create(&id, w->repo, "refs/heads/perfgate-baselines", sig, sig,
                                           NULL, "corrupt", t, 1, parents),
                         0);
    }
    git_signature_free(sig);
    git_treebuilder_free(tb);
    git_tree_free(t);
    git_commit_free(c);
    assert_int_equal(pg_store_find(&f, w->dir, "branch:", "main", 0, &err), 0);
    assert_true(f.found);
    assert_string_equal(f.commit, w->hexA);
    assert_non_null(strstr(f.notes, "not valid gzip"));
}

/* 40 trials with big histograms: over 16 KB gzipped, so the stored copy
 * leaves the histograms out and says so, and keeps every value a
 * comparison reads */
static void large_results_are_trimmed_to_fit(void **state)
{
    world *w = *state;
    size_t cap = 4u << 20, n = 0, size;
    char *text = malloc(cap), loc[1024], name[64];
    unsigned seed = 12345;
    pg_baseline_found f;
    pg_results_values v;
    git_commit *c;
    git_tree *t;
    const git_tree_entry *e;
    git_blob *blob;
    pg_err err;

    assert_non_null(text);
    n += (size_t)snprintf(text + n, cap - n,
                          "{\"format\": \"perfgate-results/1\", \"commit\": \"%s\", "
                          "\"budgets\": [{\"name\": \"big\", \"trials\": [",
                          w->hexB);
    for (int i = 0; i < 40; i++) {
        n += (size_t)snprintf(text + n, cap - n,
                              "%s{\"rps\": %d, \"error_rate\": 0, \"latency_us\": {\"p50\": %d, "
                              "\"p90\": 2, \"p95\": 3, \"p99\": 4, \"p999\": 5, \"mean\": 6}, "
                              "\"ttfb_us\": {\"p50\": 1, \"p95\": 2, \"p99\": 3}, \"histogram\": [",
                              i ? ", " : "", 100 + i, 1000 + i);
        for (int k = 0; k < 400; k++) {
            seed = seed * 1103515245u + 12345u;
            n += (size_t)snprintf(text + n, cap - n, "%s%u", k ? "," : "", seed >> 8);
        }
        n += (size_t)snprintf(text + n, cap - n, "]}");
    }
    n += (size_t)snprintf(text + n, cap - n, "]}]}");
    assert_int_equal(pg_file_write_atomic(w->results, text, n, &err), 0);
    free(text);
    if (pg_store_record(loc, w->dir, "branch:", NULL, w->results, 0, &err) != 0)
        fail_msg("record: %s", err.msg);
    c = tip(w, "refs/heads/perfgate-baselines");
    assert_int_equal(git_commit_tree(&t, c), 0);
    snprintf(name, sizeof name, "%s.json.gz", w->hexB);
    assert_non_null(e = git_tree_entry_byname(t, name));
    assert_int_equal(git_blob_lookup(&blob, w->repo, git_tree_entry_id(e)), 0);
    size = (size_t)git_blob_rawsize(blob);
    print_message("40 trials: %zu bytes of results, %zu stored\n", n, size);
    assert_true(size <= PG_STORE_BRANCH_BUDGET_MAX);
    git_blob_free(blob);
    git_tree_free(t);
    git_commit_free(c);
    assert_int_equal(pg_store_find(&f, w->dir, "branch:", "main", 0, &err), 0);
    assert_true(f.found);
    assert_int_equal(pg_store_load(&v, w->dir, f.path, &err), 0);
    assert_int_equal(v.budgets[0].n_trials, 40);
    for (size_t i = 0; i < 40; i++) {
        assert_true(v.budgets[0].v[0][i] == 1000.0 + (double)i); /* p50 */
        assert_true(v.budgets[0].v[6][i] == 100.0 + (double)i);  /* rps */
    }
    pg_values_clear(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(record_commits_to_the_branch_only, setup, teardown),
        cmocka_unit_test_setup_teardown(reads_and_extends_origin, setup, teardown),
        cmocka_unit_test_setup_teardown(diverged_tips_are_both_read, setup, teardown),
        cmocka_unit_test_setup_teardown(prune_and_squash, setup, teardown),
        cmocka_unit_test_setup_teardown(refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(corrupt_blob_is_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(large_results_are_trimmed_to_fit, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
