/* repo.c — HEAD commit and ref through libgit2 (see repo.h). */
#include "store/repo.h"

#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct head {
    char commit[41];
    char ref[256];
} head;

static void read_head(const char *dir, head *h)
{
    git_repository *repo = NULL;
    git_reference *ref = NULL;
    const git_oid *oid;

    memset(h, 0, sizeof *h);
    git_libgit2_init();
    if (git_repository_open_ext(&repo, dir, 0, NULL) != 0)
        goto out; /* not in a repository: fine */
    if (git_repository_head(&ref, repo) != 0)
        goto out; /* unborn branch: no commit yet */
    if ((oid = git_reference_target(ref)))
        git_oid_tostr(h->commit, sizeof h->commit, oid);
    snprintf(h->ref, sizeof h->ref, "%s",
             git_repository_head_detached(repo) ? "HEAD" : git_reference_shorthand(ref));
out:
    git_reference_free(ref);
    git_repository_free(repo);
    git_libgit2_shutdown();
}

/* In a child that ends at once: libgit2's global set-up (mbedTLS, libssh2 and
 * through it OpenSSL's configuration and providers) touches about 3 MiB that
 * would otherwise stay resident in the process that goes on to generate load,
 * for one read of HEAD. */
static int read_head_in_child(const char *dir, head *h)
{
    int fd[2], status;
    size_t got = 0;
    pid_t pid;

    if (pipe(fd) != 0)
        return -1;
    fflush(NULL); /* nothing buffered is written twice */
    if ((pid = fork()) < 0) {
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        head mine;
        close(fd[0]);
        read_head(dir, &mine);
        _exit(write(fd[1], &mine, sizeof mine) == (ssize_t)sizeof mine ? 0 : 1);
    }
    close(fd[1]);
    while (got < sizeof *h) {
        ssize_t n = read(fd[0], (char *)h + got, sizeof *h - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (got != sizeof *h)
        return -1;
    h->commit[sizeof h->commit - 1] = h->ref[sizeof h->ref - 1] = '\0';
    return 0;
}

int pg_repo_head(const char *dir, char commit[41], char *ref, size_t ref_size, pg_err *err)
{
    head h;

    (void)err;
    if (read_head_in_child(dir, &h) != 0)
        read_head(dir, &h); /* no process to spare: read it here */
    snprintf(commit, 41, "%s", h.commit);
    snprintf(ref, ref_size, "%s", h.ref);
    return PG_OK;
}
