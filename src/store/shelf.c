/* shelf.c — baselines in a folder or on a branch of their own (see shelf.h). */
#include "store/shelf.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/file.h"
#include "common/grow.h"
#include "common/gzip.h"
#include "store/git_error.h"

#define MAX_BASELINE (256u << 20)

/* What the branch says about itself, written with its first commit. */
static const char branch_readme[] =
    "# perfgate baselines\n\n"
    "One file per commit of the main line: `<commit>.json.gz` is the gzipped perfgate results\n"
    "file measured on that commit (`perfgate baseline record --baselines branch:NAME`).\n"
    "perfgate reads this branch through git without checking it out; do not merge it into\n"
    "your code. `perfgate baseline prune --keep N --baselines branch:NAME --squash` rewrites it\n"
    "to a single commit (push it with --force).\n";

int pg_shelf_is_branch(const char *spec)
{
    return strncmp(spec, PG_SHELF_BRANCH_PREFIX, strlen(PG_SHELF_BRANCH_PREFIX)) == 0;
}

static int is_hex40(const char *s, size_t len)
{
    return len == 40 && strspn(s, "0123456789abcdef") == 40;
}

/* "<hex>.json" or "<hex>.json.gz": 1 and the commit in hex. */
static int baseline_name(const char *name, char hex[41])
{
    size_t len = strlen(name);
    if (len < 45 || !is_hex40(name, 40) ||
        (strcmp(name + 40, ".json") != 0 && strcmp(name + 40, ".json.gz") != 0))
        return 0;
    memcpy(hex, name, 40);
    hex[40] = '\0';
    return 1;
}

/* 0 and the tip's commit; -1 when ref is not there; PG_ENOMEM when libgit2
 * ran out of memory looking (not the same as "no such branch"). */
static int lookup_tip(git_commit **out, git_repository *repo, const char *ref, git_oid *id)
{
    git_reference *r = NULL, *resolved = NULL;
    int rc = -1;

    *out = NULL;
    if (git_reference_lookup(&r, repo, ref) == 0 && git_reference_resolve(&resolved, r) == 0 &&
        git_commit_lookup(out, repo, git_reference_target(resolved)) == 0) {
        if (id)
            git_oid_cpy(id, git_reference_target(resolved));
        rc = 0;
    } else if (pg_git_out_of_memory()) {
        rc = PG_ENOMEM;
    }
    git_reference_free(resolved);
    git_reference_free(r);
    return rc;
}

static int open_branch(pg_shelf *s, const char *name, pg_err *err)
{
    char ref[300];
    git_commit *local = NULL, *remote = NULL;
    int valid = 0, rc;

    snprintf(s->branch, sizeof s->branch, "%s", *name ? name : PG_SHELF_BRANCH_DEFAULT);
    snprintf(ref, sizeof ref, "refs/heads/%s", s->branch);
    if (git_reference_name_is_valid(&valid, ref) != 0 || !valid || strlen(name) >= sizeof s->branch)
        return pg_err_set(err, PG_EUSAGE,
                          "--baselines branch:%s: not a valid branch name (want e.g. "
                          "branch:" PG_SHELF_BRANCH_DEFAULT ")",
                          name);
    if ((rc = lookup_tip(&local, s->repo, ref, &s->local)) == PG_ENOMEM)
        return pg_git_fail(err, PG_ENOMEM, "reading the baselines branch");
    s->has_local = rc == 0;
    snprintf(ref, sizeof ref, "refs/remotes/origin/%s", s->branch);
    if (lookup_tip(&remote, s->repo, ref, NULL) == PG_ENOMEM) {
        git_commit_free(local);
        return pg_git_fail(err, PG_ENOMEM, "reading the baselines branch");
    }
    if (local && remote) {
        const git_oid *l = git_commit_id(local), *r = git_commit_id(remote);
        /* one tip when one contains the other: the descendant */
        if (git_oid_equal(l, r) || git_graph_descendant_of(s->repo, l, r) == 1) {
            git_commit_free(remote);
            remote = NULL;
        } else if (git_graph_descendant_of(s->repo, r, l) == 1) {
            git_commit_free(local);
            local = NULL;
        }
    }
    if (local && remote && git_commit_time(remote) > git_commit_time(local)) {
        s->tips[s->n_tips++] = remote;
        s->tips[s->n_tips++] = local;
    } else {
        if (local)
            s->tips[s->n_tips++] = local;
        if (remote)
            s->tips[s->n_tips++] = remote;
    }
    for (size_t i = 0; i < s->n_tips; i++)
        if (git_commit_tree(&s->trees[i], s->tips[i]) != 0)
            return pg_git_fail(err, PG_ERUN, "cannot read the baselines branch");
    return PG_OK;
}

int pg_shelf_open(pg_shelf *s, git_repository *repo, const char *spec, pg_err *err)
{
    memset(s, 0, sizeof *s);
    s->repo = repo;
    if (!pg_shelf_is_branch(spec)) {
        s->dir = spec;
        return PG_OK;
    }
    return open_branch(s, spec + strlen(PG_SHELF_BRANCH_PREFIX), err);
}

void pg_shelf_close(pg_shelf *s)
{
    for (size_t i = 0; i < s->n_tips; i++) {
        git_tree_free(s->trees[i]);
        git_commit_free(s->tips[i]);
    }
    memset(s, 0, sizeof *s);
}

/* The tree entry of hex's baseline, newer tip first, gzipped name first. */
static const git_tree_entry *branch_entry(const pg_shelf *s, const char *hex)
{
    static const char *const suffixes[] = {".json.gz", ".json"};
    char name[64];

    for (size_t i = 0; i < s->n_tips; i++)
        for (size_t k = 0; k < 2; k++) {
            const git_tree_entry *e;
            snprintf(name, sizeof name, "%s%s", hex, suffixes[k]);
            if ((e = git_tree_entry_byname(s->trees[i], name)) &&
                git_tree_entry_type(e) == GIT_OBJECT_BLOB)
                return e;
        }
    return NULL;
}

/* Where a directory shelf keeps the baseline of commit hex. */
static void dir_file(const pg_shelf *s, const char *hex, char *path, size_t size)
{
    snprintf(path, size, "%s/%s.json", s->dir, hex);
}

int pg_shelf_locate(const pg_shelf *s, const char *hex, char loc[1024])
{
    const git_tree_entry *e;

    if (s->dir) {
        dir_file(s, hex, loc, 1024);
        return access(loc, F_OK) == 0;
    }
    if (!(e = branch_entry(s, hex)))
        return 0;
    snprintf(loc, 1024, PG_SHELF_BRANCH_PREFIX "%s:%s", s->branch, git_tree_entry_name(e));
    return 1;
}

int pg_shelf_read(const pg_shelf *s, const char *hex, char **text, size_t *len, pg_err *err)
{
    const git_tree_entry *e;
    git_blob *blob = NULL;
    char loc[1024];
    const void *data;
    size_t size;
    int rc;

    *text = NULL;
    if (len)
        *len = 0;
    if (s->dir) {
        dir_file(s, hex, loc, sizeof loc);
        return pg_file_read(text, len, loc, MAX_BASELINE, err);
    }
    if (!pg_shelf_locate(s, hex, loc) || !(e = branch_entry(s, hex)))
        return pg_err_set(err, PG_ENOTFOUND, "no baseline of %.12s on branch %s", hex, s->branch);
    if (git_blob_lookup(&blob, s->repo, git_tree_entry_id(e)) != 0)
        return pg_git_fail(err, PG_ERUN, "cannot read a baseline of the branch");
    data = git_blob_rawcontent(blob);
    size = (size_t)git_blob_rawsize(blob);
    if (pg_gzip_is(data, size)) {
        size_t n = 0;
        rc = pg_gunzip(text, &n, data, size, MAX_BASELINE, loc, err);
        if (len)
            *len = n;
    } else if (!(*text = malloc(size + 1))) {
        rc = pg_err_set(err, PG_ENOMEM, "out of memory reading %s", loc);
    } else {
        memcpy(*text, data, size);
        (*text)[size] = '\0';
        if (len)
            *len = size;
        rc = PG_OK;
    }
    git_blob_free(blob);
    return rc;
}

static int push_hex(pg_commit_hex **list, size_t *n, size_t *cap, const char *hex)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i], hex) == 0)
            return PG_OK; /* on both tips */
    if (pg_grow(list, cap, *n, sizeof **list, 64) != 0)
        return PG_ENOMEM;
    memcpy((*list)[(*n)++], hex, 41);
    return PG_OK;
}

int pg_shelf_list(const pg_shelf *s, pg_commit_hex **hex, size_t *n, pg_err *err)
{
    size_t cap = 0;
    char h[41];
    int rc = PG_OK;

    *hex = NULL;
    *n = 0;
    if (s->dir) {
        DIR *d = opendir(s->dir);
        struct dirent *e;
        if (!d)
            return errno == ENOENT
                       ? PG_OK
                       : pg_err_at(err, PG_EIO, s->dir, 0, 0, "cannot read: %s", strerror(errno));
        while (rc == PG_OK && (e = readdir(d)))
            if (strlen(e->d_name) == 45 && baseline_name(e->d_name, h))
                rc = push_hex(hex, n, &cap, h);
        closedir(d);
    } else {
        for (size_t t = 0; t < s->n_tips && rc == PG_OK; t++)
            for (size_t i = 0; i < git_tree_entrycount(s->trees[t]) && rc == PG_OK; i++)
                if (baseline_name(git_tree_entry_name(git_tree_entry_byindex(s->trees[t], i)), h))
                    rc = push_hex(hex, n, &cap, h);
    }
    if (rc != PG_OK) {
        free(*hex);
        *hex = NULL;
        *n = 0;
        return pg_err_set(err, PG_ENOMEM, "out of memory listing baselines");
    }
    return PG_OK;
}

/* The union of the tips' trees (the newer tip's entry wins), to edit. */
static int union_tree(git_treebuilder **tb, const pg_shelf *s)
{
    if (git_treebuilder_new(tb, s->repo, s->n_tips ? s->trees[s->n_tips - 1] : NULL) != 0)
        return -1;
    for (size_t t = s->n_tips; t-- > 1;)
        for (size_t i = 0; i < git_tree_entrycount(s->trees[t - 1]); i++) {
            const git_tree_entry *e = git_tree_entry_byindex(s->trees[t - 1], i);
            if (git_treebuilder_insert(NULL, *tb, git_tree_entry_name(e), git_tree_entry_id(e),
                                       git_tree_entry_filemode(e)) != 0)
                return -1;
        }
    return 0;
}

/* Commits the tree tb holds on top of the tips (none when squash) and moves
 * refs/heads/NAME to it, only if it still points where it did when the shelf
 * was opened. The working tree and HEAD are not touched. */
static int commit_branch(pg_shelf *s, git_treebuilder *tb, int squash, const char *message,
                         pg_err *err)
{
    char ref[300];
    git_oid tree_id, id;
    git_tree *tree = NULL;
    git_signature *sig = NULL;
    git_reference *r = NULL, *head = NULL;
    const git_commit *parents[2];
    size_t n = squash ? 0 : s->n_tips;
    int rc = PG_OK;

    snprintf(ref, sizeof ref, "refs/heads/%s", s->branch);
    /* the branch checked out would leave its working tree behind the ref */
    if (git_reference_lookup(&head, s->repo, "HEAD") == 0 &&
        git_reference_type(head) == GIT_REFERENCE_SYMBOLIC &&
        strcmp(git_reference_symbolic_target(head), ref) == 0) {
        git_reference_free(head);
        return pg_err_set(err, PG_EUSAGE,
                          "the baselines branch %s is checked out: perfgate writes it without a "
                          "checkout, so switch to another branch first",
                          s->branch);
    }
    git_reference_free(head);
    for (size_t i = 0; i < n; i++)
        parents[i] = s->tips[i];
    if (git_treebuilder_write(&tree_id, tb) != 0 || git_tree_lookup(&tree, s->repo, &tree_id) != 0)
        return pg_git_fail(err, PG_ERUN, "cannot write the baselines tree");
    if (git_signature_default(&sig, s->repo) != 0 &&
        git_signature_now(&sig, "perfgate", "perfgate@localhost") != 0) {
        rc = pg_git_fail(err, PG_ERUN, "cannot sign the baselines commit");
        goto out;
    }
    if (git_commit_create(&id, s->repo, NULL, sig, sig, NULL, message, tree, n, parents) != 0) {
        rc = pg_git_fail(err, PG_ERUN, "cannot commit to the baselines branch");
        goto out;
    }
    if ((s->has_local ? git_reference_create_matching(&r, s->repo, ref, &id, 1, &s->local, message)
                      : git_reference_create(&r, s->repo, ref, &id, 0, message)) != 0) {
        rc =
            pg_git_fail(err, PG_ERUN, "cannot move the baselines branch (did another record run?)");
        goto out;
    }
    /* the shelf now shows the new commit */
    for (size_t i = 0; i < s->n_tips; i++) {
        git_tree_free(s->trees[i]);
        git_commit_free(s->tips[i]);
        s->trees[i] = NULL;
        s->tips[i] = NULL;
    }
    s->n_tips = 0;
    git_oid_cpy(&s->local, &id);
    s->has_local = 1;
    if (git_commit_lookup(&s->tips[0], s->repo, &id) == 0 &&
        git_commit_tree(&s->trees[0], s->tips[0]) == 0)
        s->n_tips = 1;
out:
    git_reference_free(r);
    git_signature_free(sig);
    git_tree_free(tree);
    return rc;
}

int pg_shelf_put(pg_shelf *s, const char *hex, const char *text, size_t len, char loc[1024],
                 pg_err *err)
{
    git_treebuilder *tb = NULL;
    git_oid blob, readme;
    char *gz = NULL, name[64], message[128];
    size_t gz_len = 0;
    int rc;

    if (s->dir) {
        dir_file(s, hex, loc, 1024);
        return pg_file_write_atomic(loc, text, len, err);
    }
    if ((rc = pg_gzip(&gz, &gz_len, text, len, err)) != 0)
        return rc;
    snprintf(name, sizeof name, "%s.json.gz", hex);
    snprintf(message, sizeof message, "perfgate: baseline of %.12s", hex);
    if (git_blob_create_from_buffer(&blob, s->repo, gz, gz_len) != 0 || union_tree(&tb, s) != 0 ||
        git_treebuilder_insert(NULL, tb, name, &blob, GIT_FILEMODE_BLOB) != 0 ||
        (!git_treebuilder_get(tb, "README.md") &&
         (git_blob_create_from_buffer(&readme, s->repo, branch_readme, strlen(branch_readme)) !=
              0 ||
          git_treebuilder_insert(NULL, tb, "README.md", &readme, GIT_FILEMODE_BLOB) != 0))) {
        rc = pg_git_fail(err, PG_ERUN, "cannot store the baseline on the branch");
        goto out;
    }
    {
        /* a baseline replaced under another name (.json) goes */
        char plain[64];
        snprintf(plain, sizeof plain, "%s.json", hex);
        if (git_treebuilder_get(tb, plain))
            git_treebuilder_remove(tb, plain);
    }
    if ((rc = commit_branch(s, tb, 0, message, err)) == PG_OK)
        snprintf(loc, 1024, PG_SHELF_BRANCH_PREFIX "%s:%s", s->branch, name);
out:
    git_treebuilder_free(tb);
    free(gz);
    return rc;
}

int pg_shelf_remove(pg_shelf *s, pg_commit_hex *hex, size_t n, int squash, pg_err *err)
{
    git_treebuilder *tb = NULL;
    char message[128];
    int rc = PG_OK;

    if (s->dir) {
        for (size_t i = 0; i < n; i++) {
            char path[1024];
            dir_file(s, hex[i], path, sizeof path);
            if (unlink(path) != 0)
                return pg_err_at(err, PG_EIO, path, 0, 0, "cannot remove: %s", strerror(errno));
        }
        return PG_OK;
    }
    if (!n && !squash)
        return PG_OK;
    if (union_tree(&tb, s) != 0)
        return pg_git_fail(err, PG_ERUN, "cannot read the baselines branch");
    for (size_t i = 0; i < n; i++) {
        static const char *const suffixes[] = {".json.gz", ".json"};
        for (size_t k = 0; k < 2; k++) {
            char name[64];
            snprintf(name, sizeof name, "%s%s", hex[i], suffixes[k]);
            if (git_treebuilder_get(tb, name))
                git_treebuilder_remove(tb, name);
        }
    }
    snprintf(message, sizeof message, "perfgate: pruned %zu baseline%s%s", n, n == 1 ? "" : "s",
             squash ? " (history squashed)" : "");
    rc = commit_branch(s, tb, squash, message, err);
    git_treebuilder_free(tb);
    return rc;
}
