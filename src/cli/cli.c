/* cli.c — top-level dispatch and help texts.
 *
 * Every command of the README is listed and answers --help, including those
 * not built yet: they say so and exit 2 rather than pretend to work. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/json_alloc.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    const char *help;
    const char *issue; /* where the unbuilt work is planned */
} command;

#define RUN_OPTIONS                                                                                \
    "Run options:\n"                                                                               \
    "  --threads N      worker threads (default: number of cores)\n"                               \
    "  --quiet          no progress output\n"                                                      \
    "  --seed N         seed for scenario choice and think times (default 1)\n"                    \
    "  --shard I/N      run shard I of N (1-based)\n"                                              \
    "  --dry-run        parse and validate the budgets, print the plan, run nothing\n"             \
    "  --target URL     use URL instead of each budget's target\n"                                 \
    "  --duration D     override the measured duration (e.g. 30s)\n"                               \
    "  --trials N       override the number of trials\n"

#define REPORT_OPTIONS                                                                             \
    "Report options:\n"                                                                            \
    "  --json F         write the results with the verdict as JSON\n"                              \
    "  --junit F        JUnit XML (one testsuite per budget)\n"                                    \
    "  --markdown F     markdown for the pull request and job summary\n"                           \
    "  --html F         one self-contained HTML file with charts\n"                                \
    "  --baselines DIR  baselines folder (default baselines/), or branch:NAME for a\n"             \
    "                   branch of their own (branch: alone: perfgate-baselines)\n"                 \
    "  --repo DIR       git repository (default .)\n"                                              \
    "  --base REF       base ref (default $GITHUB_BASE_REF, else origin/main, else main)\n"        \
    "  --strict         an inconclusive comparison fails the gate\n"

static const command commands[] = {
    {"run", pg_cmd_run, "run budgets' load and evaluate their thresholds",
     "Usage: perfgate run BUDGET... [-o results.json] [run options]\n\n"
     "Runs each budget's load against its target, prints a summary table and\n"
     "evaluates the thresholds as k6 does. Exit 0 when all hold, 1 when one breaks,\n"
     "2 on a bad budget file, 3 when the run could not start.\n\n"
     "  -o, --output F   write results (perfgate-results/1 JSON) to F, atomically\n\n" RUN_OPTIONS,
     NULL},
    {"check", pg_cmd_check, "run + compare with the baseline + report: the CI gate",
     "Usage: perfgate check BUDGET... [run options] [report options]\n\n"
     "Runs the budgets, then compares each regression metric's per-trial values\n"
     "with the baseline of the nearest ancestor commit (see perfgate compare).\n"
     "Exit 0 passed, 1 a threshold broke or a regression was found, 2 bad input,\n"
     "3 could not run.\n\n"
     "  -o, --output F   also keep the raw results in F\n"
     "  --base-target URL  compare with the base version running at URL instead of a\n"
     "                   stored baseline: perfgate ab with A = URL and B = the\n"
     "                   budget's target (--schedule, --a-name, --b-name apply)\n\n" RUN_OPTIONS
     "\n" REPORT_OPTIONS,
     NULL},
    {"compare", pg_cmd_compare, "compare saved results with the baseline, no load",
     "Usage: perfgate compare RESULTS [report options]\n\n"
     "Finds the baseline (merge-base of HEAD and the base ref, then the nearest\n"
     "first-parent ancestor with baselines/<commit>.json) and compares per metric:\n"
     "one-sided Mann-Whitney U on the trials, ratio of medians with a bootstrap 95%\n"
     "interval, Benjamini-Hochberg across all metrics. FAIL: p < alpha and the whole\n"
     "interval worse than min_effect; PASS: the whole interval better than it;\n"
     "otherwise INCONCLUSIVE. Thresholds recorded in RESULTS gate as well.\n\n" REPORT_OPTIONS
     "  --max-depth N    first-parent commits to walk (default 200)\n",
     NULL},
    {"ab", pg_cmd_ab, "B against A on this machine: the same-runner pull-request gate",
     "Usage: perfgate ab BUDGET... --a URL --b URL [--schedule duet|alternate]\n"
     "                   [--a-name NAME] [--b-name NAME] [run options] [--strict]\n"
     "                   [--json F] [--junit F] [--markdown F] [--html F]\n"
     "                   [--record-a [--baselines DIR] [--repo DIR] [--base REF]]\n\n"
     "Judges B against A, both running on this machine. --schedule duet (the\n"
     "default) sends both the same load at the same time (open model: the same\n"
     "intended instants; closed model: one pool of virtual users each), so noise\n"
     "falls on both alike; it takes the budget's duration once. alternate runs\n"
     "one trial at a time, the order within each pair drawn from --seed, and takes\n"
     "twice as long. Trial t of B is paired with trial t of A: a one-sided paired\n"
     "t-test on the log ratios, the median ratio with a bootstrap 95% interval,\n"
     "and the FAIL / PASS / INCONCLUSIVE rule of perfgate compare. Needs 3 or more\n"
     "trials; constant executors only (the trials of a ramp are not alike).\n"
     "--a-name/--b-name label the sides in every report (e.g. base, head).\n"
     "--record-a stores A's trials as the baseline of the merge-base of HEAD and\n"
     "the base ref (when A runs the base build). Exit 0 passed, 1 B regressed or\n"
     "broke a threshold.\n\n" RUN_OPTIONS,
     NULL},
    {"baseline", pg_cmd_baseline, "record, find, list or prune baselines keyed by commit",
     "Usage: perfgate baseline record RESULTS [--commit REV] [--force]\n"
     "       perfgate baseline find [--base REF] [--max-depth N]\n"
     "       perfgate baseline list\n"
     "       perfgate baseline prune --keep N [--squash]\n\n"
     "Baselines are baselines/<40-hex commit>.json (--baselines DIR), in the git\n"
     "repository at --repo DIR (default .). With --baselines branch:NAME they are\n"
     "<commit>.json.gz on branch NAME (branch: alone: perfgate-baselines), read from\n"
     "NAME or origin/NAME without a checkout; record and prune commit to NAME (push\n"
     "it yourself) and never touch the working tree; prune --squash makes the branch\n"
     "one commit (push it with --force). record refuses an interrupted run unless\n"
     "--force. find prints: commit distance locator.\n",
     NULL},
    {"report", pg_cmd_report, "render reports from saved results",
     "Usage: perfgate report RESULTS [--junit F] [--markdown F] [--html F] [--json F]\n\n"
     "Writes the reports of saved results without running anything. RESULTS from\n"
     "check/compare --json carry their verdict and are rendered as decided; plain\n"
     "results from run -o are first compared with their baseline (the options of\n"
     "perfgate compare apply). In GitHub Actions the job summary, annotations and\n"
     "step outputs are written too. Exit 0 when the reports are written (whatever\n"
     "the verdict), 2 bad input, 3 a file could not be written.\n\n" REPORT_OPTIONS,
     NULL},
    {"init", pg_cmd_init, "write a starter budget (and the GitHub workflows)",
     "Usage: perfgate init [--target URL] [--executor NAME] [--name NAME] [--dir DIR]\n"
     "                     [--github [--build CMD] [--start CMD] [--action OWNER/REPO@REF]]\n\n"
     "Writes DIR/budgets/NAME.json (default ./budgets/perfgate.json): one scenario,\n"
     "thresholds and regression settings, explained by \"description\" keys, for\n"
     "the executor NAME (constant-arrival-rate, constant-vus, ramping-vus,\n"
     "ramping-arrival-rate, breaking-point; default constant-arrival-rate) against\n"
     "URL (default http://127.0.0.1:8080). It passes perfgate run --dry-run as\n"
     "written. With --github also .github/workflows/perf-gate.yml (head and\n"
     "merge-base side by side on the pull request's runner), perf-comment.yml and\n"
     "perf-baseline.yml (baselines on the perfgate-baselines branch), with --build\n"
     "and --start as the commands that build and start your service (--start must\n"
     "contain {port}); without them those lines are placeholders that say so.\n"
     "--action names a fork of the action (default perfgate/perfgate@v1).\n"
     "Needs no git repository. Refuses to overwrite any file: then nothing is\n"
     "written (exit 2).\n",
     NULL},
    {"merge", pg_cmd_merge, "merge results of sharded runs",
     "Usage: perfgate merge SHARD... -o merged.json [--quiet]\n\n"
     "Adds up the results of the shards of one load (perfgate run --shard I/N,\n"
     "one per machine or job): counters add, histograms add bucket by bucket, so\n"
     "merged percentiles are those of all samples together. Thresholds are judged\n"
     "again on the merged data; compare the merged file with the baseline with\n"
     "perfgate compare. Refuses shards of different splits, commits, budgets,\n"
     "trials or thresholds, and says which shards are missing. Exit 0 when\n"
     "written, 2 when the shards do not go together, 3 when it cannot write.\n",
     NULL},
    {"comment", pg_cmd_comment, "create or update the sticky pull-request comment",
     "Usage: perfgate comment --pr N --body FILE [--repo-slug OWNER/NAME]\n\n"
     "Posts FILE (the markdown report) on pull request N through the GitHub REST\n"
     "API, or updates the comment perfgate left there before: the one that holds\n"
     "the marker <!-- perfgate --> and was written by the same account. Reads\n"
     "$GITHUB_TOKEN (required), $GITHUB_API_URL (default https://api.github.com)\n"
     "and $GITHUB_REPOSITORY (OWNER/NAME, or --repo-slug). The token is never\n"
     "printed. Exit 0 done, 2 usage or a body without the marker, 3 the API\n"
     "refused or could not be reached (the message says why).\n",
     NULL},
    {"serve", pg_cmd_serve, "built-in HTTP target for demos, tests and benchmarks",
     "Usage: perfgate serve [--listen 127.0.0.1:PORT] [options]\n\n"
     "Serves, until interrupted:\n"
     "  /                       a small text body\n"
     "  /delay/<ms>             answers after <ms> (fractional allowed, e.g. /delay/2.5)\n"
     "  /status/<code>          answers with that status code\n"
     "  /bytes/<n>              a body of n bytes (up to 1 GiB)\n"
     "  /stream?events=N&interval=MS   text/event-stream of N events MS apart\n"
     "  /echo                   the request body back (POST, PUT)\n"
     "  /metrics, /metrics.json  its own requests, connections and held requests\n"
     "                          (Prometheus text, or JSON), never delayed\n\n"
     "Options:\n"
     "  --listen ADDR:PORT      address (default 127.0.0.1:8080; port 0 picks a free one)\n"
     "  --threads N             server threads (default: number of cores)\n"
     "  --delay MS              add MS of service time to every response\n"
     "  --jitter MS             vary that delay uniformly by +-MS\n"
     "  --stall-every S --stall-for MS\n"
     "                          freeze all answers for MS every S seconds (shows\n"
     "                          coordinated omission in closed-model tools)\n"
     "  --cpu MS                burn MS of CPU time on the server thread per request\n"
     "                          (a CPU-bound service, up to 1000)\n"
     "  --quiet                 print only the address line\n\n"
     "The first line printed is \"listening on http://ADDR:PORT\".\n",
     NULL},
};

#define N_COMMANDS (sizeof commands / sizeof *commands)

static void usage(FILE *fp)
{
    fprintf(fp,
            "perfgate %s — performance regression gate for HTTP services\n\n"
            "Usage: perfgate COMMAND [ARGS]   (perfgate COMMAND --help for details)\n\n"
            "Commands:\n",
            PERFGATE_VERSION);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(fp, "  %-9s %s%s\n", commands[i].name, commands[i].summary,
                commands[i].run ? "" : " (not built yet)");
    fprintf(fp,
            "\nExit codes: 0 passed, 1 gate failed, 2 usage or bad input file, 3 could not run.\n");
}

int pg_cli_help(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++) {
        if (strcmp(commands[i].name, name) == 0) {
            fputs(commands[i].help, stdout);
            if (!commands[i].run)
                printf("\nNot built yet: planned in issue %s.\n", commands[i].issue);
            return 0;
        }
    }
    return -1;
}

int pg_cli_parse_long(const char *flag, const char *text, long lo, long hi, long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < lo || v > hi) {
        fprintf(stderr, "perfgate: %s takes a whole number from %ld to %ld, not \"%s\"\n", flag, lo,
                hi, text);
        return -1;
    }
    *out = v;
    return 0;
}

static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    }
    return 0;
}

int pg_cli_main(int argc, char **argv)
{
    pg_json_alloc_hooks(); /* before any thread uses cJSON */
    if (argc < 2) {
        usage(stderr);
        return PG_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        if (argc > 2 && pg_cli_help(argv[2]) == 0)
            return PG_EXIT_PASS;
        usage(stdout);
        return PG_EXIT_PASS;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("perfgate %s\n", PERFGATE_VERSION);
        return PG_EXIT_PASS;
    }
    for (size_t i = 0; i < N_COMMANDS; i++) {
        const command *c = &commands[i];
        if (strcmp(c->name, argv[1]) != 0)
            continue;
        if (wants_help(argc - 1, argv + 1)) {
            pg_cli_help(c->name);
            return PG_EXIT_PASS;
        }
        if (!c->run) {
            fprintf(
                stderr,
                "perfgate: '%s' is not built yet (planned in issue %s); see perfgate %s --help\n",
                c->name, c->issue, c->name);
            return PG_EXIT_USAGE;
        }
        return c->run(argc - 1, argv + 1);
    }
    fprintf(stderr, "perfgate: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return PG_EXIT_USAGE;
}
