/* repo.c — HEAD commit and ref through libgit2 (see repo.h). */
#include "store/repo.h"

#include <git2.h>
#include <stdio.h>
#include <string.h>

int pg_repo_head(const char *dir, char commit[41], char *ref, size_t ref_size, pg_err *err)
{
    git_repository *repo = NULL;
    git_reference *head = NULL;
    const git_oid *oid;
    int rc = PG_OK;

    (void)err;
    commit[0] = '\0';
    ref[0] = '\0';
    git_libgit2_init();
    if (git_repository_open_ext(&repo, dir, 0, NULL) != 0)
        goto out; /* not in a repository: fine */
    if (git_repository_head(&head, repo) != 0)
        goto out; /* unborn branch: no commit yet */
    if ((oid = git_reference_target(head)))
        git_oid_tostr(commit, 41, oid);
    snprintf(ref, ref_size, "%s",
             git_repository_head_detached(repo) ? "HEAD" : git_reference_shorthand(head));
out:
    git_reference_free(head);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return rc;
}
