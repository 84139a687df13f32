/* test_repo.c — HEAD as a results file records it (store/repo.c), checked
 * against git itself in a repository made for the test: the commit is
 * `git rev-parse HEAD`, the ref the branch's short name or "HEAD" when
 * detached, and outside a repository or before the first commit both are
 * empty and the call still succeeds. Reading HEAD leaves the caller's memory
 * as it was: libgit2's global set-up (mbedTLS, and OpenSSL's through libssh2)
 * touches about 3 MiB that a load run would otherwise carry to its end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/repo.h"

static char dir[64];

static void sh(const char *fmt, const char *arg)
{
    char cmd[512];

    snprintf(cmd, sizeof cmd, fmt, dir, arg);
    assert_int_equal(system(cmd), 0);
}

static void git_says(const char *what, char *out, size_t size)
{
    char cmd[256];
    FILE *p;

    snprintf(cmd, sizeof cmd, "git -C %s %s", dir, what);
    assert_non_null(p = popen(cmd, "r"));
    assert_non_null(fgets(out, (int)size, p));
    out[strcspn(out, "\n")] = '\0';
    assert_int_equal(pclose(p), 0);
}

static long rss_kib(void)
{
    char line[256];
    long kib = -1;
    FILE *f = fopen("/proc/self/status", "r");

    assert_non_null(f);
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

static int make_repo(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/pg_repo_XXXXXX");
    assert_non_null(mkdtemp(dir));
    sh("git -C %s init -q -b main%s", "");
    return 0;
}

static int remove_repo(void **state)
{
    (void)state;
    sh("rm -rf %s%s", "");
    return 0;
}

static void commit(void)
{
    sh("git -C %s -c user.name=t -c user.email=t@t.invalid commit -q --allow-empty -m %s", "c");
}

static void head_is_gits_commit_and_branch(void **state)
{
    char commit_hex[41], ref[256], want[64];
    pg_err err;
    long before;

    (void)state;
    commit();
    git_says("rev-parse HEAD", want, sizeof want);
    before = rss_kib();
    assert_int_equal(pg_repo_head(dir, commit_hex, ref, sizeof ref, &err), 0);
    /* the first read in this process: in-process it grows by ~3 MiB */
    assert_true(rss_kib() - before < 1024);
    assert_string_equal(commit_hex, want);
    assert_string_equal(ref, "main");

    sh("git -C %s checkout -q -b %s", "feature/x");
    commit();
    git_says("rev-parse HEAD", want, sizeof want);
    assert_int_equal(pg_repo_head(dir, commit_hex, ref, sizeof ref, &err), 0);
    assert_string_equal(commit_hex, want);
    assert_string_equal(ref, "feature/x");
}

static void detached_head_is_named_head(void **state)
{
    char commit_hex[41], ref[256], want[64];
    pg_err err;

    (void)state;
    commit();
    sh("git -C %s checkout -q --detach%s", "");
    git_says("rev-parse HEAD", want, sizeof want);
    assert_int_equal(pg_repo_head(dir, commit_hex, ref, sizeof ref, &err), 0);
    assert_string_equal(commit_hex, want);
    assert_string_equal(ref, "HEAD");
}

static void no_commit_or_no_repository_is_empty(void **state)
{
    char commit_hex[41] = "x", ref[256] = "x";
    char outside[64] = "/tmp/pg_norepo_XXXXXX";
    pg_err err;

    (void)state;
    assert_int_equal(pg_repo_head(dir, commit_hex, ref, sizeof ref, &err), 0); /* unborn */
    assert_string_equal(commit_hex, "");
    assert_string_equal(ref, "");
    assert_non_null(mkdtemp(outside));
    assert_int_equal(pg_repo_head(outside, commit_hex, ref, sizeof ref, &err), 0);
    assert_string_equal(commit_hex, "");
    assert_string_equal(ref, "");
    rmdir(outside);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* first: the memory check needs a process that has not read HEAD yet */
        cmocka_unit_test_setup_teardown(head_is_gits_commit_and_branch, make_repo, remove_repo),
        cmocka_unit_test_setup_teardown(detached_head_is_named_head, make_repo, remove_repo),
        cmocka_unit_test_setup_teardown(no_commit_or_no_repository_is_empty, make_repo,
                                        remove_repo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
