/* cmd_comment.c — perfgate comment --pr N --body FILE: the sticky PR
 * comment (github/comment.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "common/err.h"
#include "common/file.h"
#include "github/comment.h"

int pg_cmd_comment(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"pr", required_argument, NULL, 'p'},
        {"body", required_argument, NULL, 'b'},
        {"repo-slug", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    pg_comment_opts o = {0};
    pg_comment_result res;
    const char *body_path = NULL;
    char *body = NULL;
    long pr = 0;
    pg_err err;
    int opt, rc;

    o.api_url = getenv("GITHUB_API_URL");
    o.repository = getenv("GITHUB_REPOSITORY");
    o.token = getenv("GITHUB_TOKEN");
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 'p' && pg_cli_parse_long("--pr", optarg, 1, 1000000000L, &pr) == 0)
            continue;
        if (opt == 'p')
            return PG_EXIT_USAGE;
        if (opt == 'b') {
            body_path = optarg;
            continue;
        }
        if (opt == 'r') {
            o.repository = optarg;
            continue;
        }
        fprintf(
            stderr,
            "perfgate comment: unknown or incomplete option '%s'; see perfgate comment --help\n",
            argv[optind - 1]);
        return PG_EXIT_USAGE;
    }
    if (!pr || !body_path || optind != argc) {
        fprintf(stderr, "perfgate comment: usage: perfgate comment --pr N --body FILE\n");
        return PG_EXIT_USAGE;
    }
    if ((rc = pg_file_read(&body, NULL, body_path, 1u << 20, &err)) != 0) {
        pg_err_print(&err, stderr);
        return pg_err_exit_code(rc);
    }
    o.pr = pr;
    o.body = body;
    rc = pg_github_comment(&o, &res, &err);
    free(body);
    if (rc != 0) {
        fprintf(stderr, "perfgate comment: %s\n", err.msg);
        return rc == PG_EUSAGE ? PG_EXIT_USAGE : PG_EXIT_NORUN;
    }
    printf("%s the perfgate comment on pull request #%ld%s%s\n",
           res.updated ? "updated" : "created", pr, res.url[0] ? ": " : "", res.url);
    return PG_EXIT_PASS;
}
