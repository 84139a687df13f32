/* cmd_baseline.c — perfgate baseline record | find | list | prune. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "common/err.h"
#include "store/baselines.h"

typedef struct baseline_args {
    const char *dir, *repo, *base, *commit;
    long keep, max_depth;
    int force, squash;
} baseline_args;

static int parse(int argc, char **argv, baseline_args *a)
{
    static const struct option longopts[] = {
        {"baselines", required_argument, NULL, 'B'}, {"repo", required_argument, NULL, 'R'},
        {"base", required_argument, NULL, 'b'},      {"commit", required_argument, NULL, 'c'},
        {"keep", required_argument, NULL, 'k'},      {"force", no_argument, NULL, 'f'},
        {"max-depth", required_argument, NULL, 'd'}, {"squash", no_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    int opt;

    memset(a, 0, sizeof *a);
    a->dir = "baselines";
    a->repo = ".";
    a->keep = -1;
    a->max_depth = PG_STORE_MAX_DEPTH;
    opterr = 0;
    optind = 2; /* argv[1] is the subcommand */
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 'B':
            a->dir = optarg;
            break;
        case 'R':
            a->repo = optarg;
            break;
        case 'b':
            a->base = optarg;
            break;
        case 'c':
            a->commit = optarg;
            break;
        case 'f':
            a->force = 1;
            break;
        case 's':
            a->squash = 1;
            break;
        case 'k':
            if (pg_cli_parse_long("--keep", optarg, 0, 1000000, &a->keep) != 0)
                return -1;
            break;
        case 'd':
            if (pg_cli_parse_long("--max-depth", optarg, 1, 100000, &a->max_depth) != 0)
                return -1;
            break;
        default:
            fprintf(stderr,
                    "perfgate baseline: unknown or incomplete option '%s'; see perfgate baseline "
                    "--help\n",
                    argv[optind - 1]);
            return -1;
        }
    }
    return 0;
}

static int fail(const pg_err *err, int code)
{
    pg_err_print(err, stderr);
    return pg_err_exit_code(code);
}

int pg_cmd_baseline(int argc, char **argv)
{
    baseline_args a;
    pg_err err;
    const char *sub = argc > 1 ? argv[1] : "";
    int rc;

    if (argc < 2 || parse(argc, argv, &a) != 0) {
        if (argc < 2)
            fprintf(stderr, "perfgate baseline: say record, find, list or prune; see perfgate "
                            "baseline --help\n");
        return PG_EXIT_USAGE;
    }
    if (strcmp(sub, "record") == 0) {
        char path[1024];
        if (optind + 1 != argc) {
            fprintf(stderr, "perfgate baseline record: give one results file\n");
            return PG_EXIT_USAGE;
        }
        if ((rc = pg_store_record(path, a.repo, a.dir, a.commit, argv[optind], a.force, &err)) != 0)
            return fail(&err, rc);
        printf("recorded %s\n", path);
        return PG_EXIT_PASS;
    }
    if (optind != argc) {
        fprintf(stderr, "perfgate baseline %s: unexpected argument '%s'\n", sub, argv[optind]);
        return PG_EXIT_USAGE;
    }
    if (strcmp(sub, "find") == 0) {
        pg_baseline_found f;
        if ((rc = pg_store_find(&f, a.repo, a.dir, a.base, (int)a.max_depth, &err)) != 0)
            return fail(&err, rc);
        fputs(f.notes, stderr);
        if (!f.found) {
            printf(
                "no baseline on the first-parent ancestry of %.12s (merge-base of HEAD and %s)\n",
                f.merge_base, f.base_ref);
            return PG_EXIT_FAIL;
        }
        printf("%s %d %s\n", f.commit, f.distance, f.path);
        fprintf(stderr,
                "perfgate: baseline of %.12s, %d first-parent commit%s before the merge-base of "
                "HEAD and %s\n",
                f.commit, f.distance, f.distance == 1 ? "" : "s", f.base_ref);
        return PG_EXIT_PASS;
    }
    if (strcmp(sub, "list") == 0)
        return (rc = pg_store_list(a.repo, a.dir, &err)) != 0 ? fail(&err, rc) : PG_EXIT_PASS;
    if (strcmp(sub, "prune") == 0) {
        size_t removed = 0;
        if (a.keep < 0) {
            fprintf(stderr, "perfgate baseline prune: --keep N is required\n");
            return PG_EXIT_USAGE;
        }
        if ((rc = pg_store_prune(a.repo, a.dir, (size_t)a.keep, a.squash, &removed, &err)) != 0)
            return fail(&err, rc);
        printf("removed %zu baseline%s, kept the newest %ld\n", removed, removed == 1 ? "" : "s",
               a.keep);
        return PG_EXIT_PASS;
    }
    fprintf(stderr, "perfgate baseline: unknown subcommand '%s'; say record, find, list or prune\n",
            sub);
    return PG_EXIT_USAGE;
}
