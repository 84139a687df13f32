/* cmd_init.c — perfgate init: a starter budget (and, with --github, the
 * workflows of examples/workflows), so adopting perfgate starts from files
 * that already pass `perfgate run --dry-run` instead of a copied budget.
 * Needs no git repository; never overwrites a file. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/init_templates.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/file.h"
#include "config/budget.h"

typedef struct init_args {
    const char *target, *executor, *name, *dir, *build, *start, *action;
    int github;
} init_args;

/* The starter load of each executor, described: short enough to run on
 * every pull request, in six trials (enough for the comparison to reach its
 * alpha). */
static const struct {
    const char *executor;
    const char *load; /* the "load" object, JSON */
} starters[] = {
    {"constant-arrival-rate",
     "{\"description\": \"open model: 50 requests a second arrive whatever the service does, so a "
     "slower service shows as latency (k6's constant-arrival-rate); 30 s measured in six trials "
     "of 5 s, after 2 s of warm-up\", \"executor\": \"constant-arrival-rate\", \"rate\": 50, "
     "\"duration\": \"30s\", \"warmup\": \"2s\", \"max_connections\": 32}"},
    {"constant-vus",
     "{\"description\": \"closed model: 10 virtual users each send the next request when the last "
     "one answered, so a slower service shows as fewer requests a second; 30 s measured in six "
     "trials of 5 s, after 2 s of warm-up\", \"executor\": \"constant-vus\", \"vus\": 10, "
     "\"duration\": \"30s\", \"warmup\": \"2s\"}"},
    {"ramping-vus",
     "{\"description\": \"closed model ramping from 0 to 10 virtual users in 2 s, then holding 3 "
     "s; each of the six trials runs this whole profile\", \"executor\": \"ramping-vus\", "
     "\"start_vus\": 0, \"stages\": [{\"duration\": \"2s\", \"target\": 10}, {\"duration\": "
     "\"3s\", \"target\": 10}]}"},
    {"ramping-arrival-rate",
     "{\"description\": \"open model ramping from 10 to 50 requests a second in 2 s, then holding "
     "3 s; each of the six trials runs this whole profile\", \"executor\": "
     "\"ramping-arrival-rate\", \"start_rate\": 10, \"stages\": [{\"duration\": \"2s\", "
     "\"target\": 50}, {\"duration\": \"3s\", \"target\": 50}], \"max_connections\": 32}"},
    {"breaking-point",
     "{\"description\": \"a staircase of arrival rates, 50 more a second each second, until a step "
     "breaks (latency or errors); the capacity is the last step that held\", \"executor\": "
     "\"breaking-point\", \"start\": 50, \"step\": 50, \"max\": 1000, \"step_duration\": "
     "\"1s\", \"max_connections\": 64}"},
};

static int usage(const char *msg, const char *arg)
{
    fprintf(stderr, "perfgate init: %s%s%s; see perfgate init --help\n", msg, arg ? " " : "",
            arg ? arg : "");
    return PG_EXIT_USAGE;
}

static int parse(int argc, char **argv, init_args *a)
{
    static const struct option longopts[] = {
        {"target", required_argument, NULL, 't'},
        {"executor", required_argument, NULL, 'e'},
        {"name", required_argument, NULL, 'n'},
        {"dir", required_argument, NULL, 'd'},
        {"github", no_argument, NULL, 'g'},
        {"build", required_argument, NULL, 'b'},
        {"start", required_argument, NULL, 's'},
        {"action", required_argument, NULL, 'a'},
        {NULL, 0, NULL, 0},
    };
    int opt;

    memset(a, 0, sizeof *a);
    a->target = "http://127.0.0.1:8080";
    a->executor = "constant-arrival-rate";
    a->name = "perfgate";
    a->dir = ".";
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 't':
            a->target = optarg;
            break;
        case 'e':
            a->executor = optarg;
            break;
        case 'n':
            a->name = optarg;
            break;
        case 'd':
            a->dir = optarg;
            break;
        case 'g':
            a->github = 1;
            break;
        case 'b':
            a->build = optarg;
            break;
        case 's':
            a->start = optarg;
            break;
        case 'a':
            a->action = optarg;
            break;
        default:
            return usage("unknown or incomplete option", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return usage("unexpected argument", argv[optind]);
    if ((a->build || a->start || a->action) && !a->github)
        return usage("--build, --start and --action go with --github", NULL);
    if (!*a->name || strspn(a->name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                     "0123456789-_") != strlen(a->name))
        return usage("--name takes letters, digits, - and _ (it names budgets/NAME.json), not",
                     a->name);
    /* the action replaces {port}, and sets $PORT, for each of the two services */
    if (a->start && !strstr(a->start, "{port}") && !strstr(a->start, "$PORT") &&
        !strstr(a->start, "${PORT}"))
        return usage("--start must listen on the port the action gives: put {port} (or $PORT) "
                     "in it, e.g. --start './server --port {port}'; not",
                     a->start);
    if (a->action && (!strchr(a->action, '/') || !strchr(a->action, '@')))
        return usage("--action names the action as OWNER/REPO@REF, not", a->action);
    return 0;
}

/* cJSON prints tabs: indent by two spaces and write "key": value, as
 * budgets are written by hand (JSON strings hold no raw tab). NULL when out
 * of memory. */
static char *two_spaces(const char *text)
{
    pg_buf b = {0};
    int line_start = 1;

    for (const char *p = text; *p; p++) {
        if (*p == '\t')
            pg_buf_puts(&b, line_start ? "  " : " ");
        else
            pg_buf_append(&b, p, 1);
        line_start = *p == '\n' || (line_start && *p == '\t');
    }
    if (pg_buf_failed(&b)) {
        pg_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* The starter budget as JSON text (caller frees), or NULL (out of memory). */
static char *starter_budget(const init_args *a, size_t k)
{
    cJSON *doc = cJSON_CreateObject(), *load = cJSON_Parse(starters[k].load), *scenarios, *s,
          *requests, *r, *expect, *thresholds, *regression;
    char *text = NULL, *printed = NULL;
    int ok = doc && load;

    ok = ok && cJSON_AddStringToObject(doc, "name", a->name) &&
         cJSON_AddStringToObject(doc, "description",
                                 "Written by perfgate init: change the target, the requests and "
                                 "the limits to your service's. Every key is in README.md, "
                                 "\"Budget format\"; JSON has no comments, so each section "
                                 "takes a \"description\".") &&
         cJSON_AddStringToObject(doc, "target", a->target);
    if (ok) {
        cJSON_AddItemToObject(doc, "load", load);
        load = NULL;
    }
    ok = ok && cJSON_AddNumberToObject(doc, "trials", 6) &&
         (scenarios = cJSON_AddArrayToObject(doc, "scenarios")) && (s = cJSON_CreateObject()) &&
         cJSON_AddItemToArray(scenarios, s) && cJSON_AddStringToObject(s, "name", "home") &&
         cJSON_AddStringToObject(s, "description",
                                 "one kind of visit; add scenarios (with \"weight\") for others") &&
         (requests = cJSON_AddArrayToObject(s, "requests")) && (r = cJSON_CreateObject()) &&
         cJSON_AddItemToArray(requests, r) && cJSON_AddStringToObject(r, "method", "GET") &&
         cJSON_AddStringToObject(r, "path", "/") &&
         (expect = cJSON_AddObjectToObject(r, "expect")) &&
         cJSON_AddNumberToObject(expect, "status", 200);
    ok = ok && (thresholds = cJSON_AddObjectToObject(doc, "thresholds"));
    if (ok) {
        cJSON *p95 = cJSON_CreateStringArray((const char *const[]){"p(95)<500ms"}, 1),
              *failed = cJSON_CreateStringArray((const char *const[]){"rate<0.01"}, 1);
        ok = p95 && failed;
        if (p95)
            cJSON_AddItemToObject(thresholds, "http_req_duration", p95);
        if (failed)
            cJSON_AddItemToObject(thresholds, "http_req_failed", failed);
    }
    ok = ok && (regression = cJSON_AddObjectToObject(doc, "regression")) &&
         cJSON_AddStringToObject(regression, "description",
                                 "compared with the base version (or the stored baseline): a "
                                 "change of at least min_effect that the trials show beyond "
                                 "noise fails the gate") &&
         cJSON_AddStringToObject(regression, "min_effect", "5%");
    if (ok && (printed = cJSON_Print(doc)))
        text = two_spaces(printed);
    free(printed);
    cJSON_Delete(load);
    cJSON_Delete(doc);
    return text;
}

/* value as a YAML double-quoted scalar */
static void yaml_quote(pg_buf *b, const char *value)
{
    pg_buf_puts(b, "\"");
    for (const char *p = value; *p; p++) {
        if (*p == '"' || *p == '\\')
            pg_buf_printf(b, "\\%c", *p);
        else
            pg_buf_append(b, p, 1);
    }
    pg_buf_puts(b, "\"");
}

/* The template with its placeholders replaced: the "build:" and "start:"
 * lines of the marked form, and the action's name. */
static int fill_template(pg_buf *out, const pg_init_template *t, const init_args *a, pg_err *err)
{
    static const char action[] = "perfgate/perfgate@v1";
    const char *p = (const char *)t->text;

    while (*p) {
        const char *eol = strchr(p, '\n'), *key = p + strspn(p, " ");
        size_t len = eol ? (size_t)(eol - p + 1) : strlen(p);
        const char *value = NULL;
        if (strncmp(key, "build: echo ", 12) == 0 && strstr(key, "set build"))
            value = a->build;
        else if (strncmp(key, "start: echo ", 12) == 0 && strstr(key, "set start"))
            value = a->start;
        if (value) {
            pg_buf_append(out, p, (size_t)(key - p) + 7); /* indentation and "build: " */
            yaml_quote(out, value);
            pg_buf_puts(out, "\n");
        } else if (a->action && strstr(p, action) && strstr(p, action) < p + len) {
            const char *at = strstr(p, action);
            pg_buf_append(out, p, (size_t)(at - p));
            pg_buf_puts(out, a->action);
            pg_buf_append(out, at + strlen(action), len - (size_t)(at - p) - strlen(action));
        } else {
            pg_buf_append(out, p, len);
        }
        p += len;
    }
    return pg_buf_failed(out) ? pg_err_set(err, PG_ENOMEM, "out of memory writing %s", t->name)
                              : PG_OK;
}

int pg_cmd_init(int argc, char **argv)
{
    init_args a;
    pg_err err;
    char paths[8][1024], *texts[8] = {0};
    size_t lens[8] = {0}, n = 0, k;
    int rc = PG_EXIT_PASS, exists = 0;
    pg_budget *check = NULL;

    if (parse(argc, argv, &a) != 0)
        return PG_EXIT_USAGE;
    for (k = 0; k < sizeof starters / sizeof *starters; k++)
        if (strcmp(starters[k].executor, a.executor) == 0)
            break;
    if (k == sizeof starters / sizeof *starters) {
        fprintf(stderr, "perfgate init: --executor %s: want one of", a.executor);
        for (size_t i = 0; i < sizeof starters / sizeof *starters; i++)
            fprintf(stderr, " %s", starters[i].executor);
        fprintf(stderr, "\n");
        return PG_EXIT_USAGE;
    }
    snprintf(paths[n], sizeof paths[n], "%s%sbudgets/%s.json", strcmp(a.dir, ".") ? a.dir : "",
             strcmp(a.dir, ".") ? "/" : "", a.name);
    if (!(texts[n] = starter_budget(&a, k))) {
        fprintf(stderr, "perfgate init: out of memory\n");
        return PG_EXIT_NORUN;
    }
    lens[n] = strlen(texts[n]);
    /* the one validation path of budgets: what init writes must pass it */
    if ((rc = pg_budget_parse(&check, paths[n], texts[n], lens[n], &err)) != 0) {
        pg_err_print(&err, stderr); /* --target that is not a URL, say */
        free(texts[n]);
        return pg_err_exit_code(rc);
    }
    pg_budget_free(check);
    n++;
    for (const pg_init_template *t = pg_init_templates; a.github && t->name; t++, n++) {
        pg_buf b = {0};
        snprintf(paths[n], sizeof paths[n], "%s%s.github/workflows/%s",
                 strcmp(a.dir, ".") ? a.dir : "", strcmp(a.dir, ".") ? "/" : "", t->name);
        if ((rc = fill_template(&b, t, &a, &err)) != 0) {
            pg_buf_free(&b);
            pg_err_print(&err, stderr);
            rc = pg_err_exit_code(rc);
            goto out;
        }
        lens[n] = b.len;
        texts[n] = b.data; /* the buffer's memory is the caller's now */
    }
    /* nothing is written when any file is there already */
    for (size_t i = 0; i < n; i++)
        if (access(paths[i], F_OK) == 0) {
            fprintf(stderr, "perfgate init: %s exists; not overwriting it\n", paths[i]);
            exists = 1;
        }
    if (exists) {
        fprintf(stderr, "perfgate init: wrote nothing (move those files away, or init into "
                        "another --dir)\n");
        rc = PG_EXIT_USAGE;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if ((rc = pg_file_write_atomic(paths[i], texts[i], lens[i], &err)) != 0) {
            pg_err_print(&err, stderr);
            rc = pg_err_exit_code(rc);
            goto out;
        }
        printf("wrote %s\n", paths[i]);
    }
    printf("\nnext:\n"
           "  perfgate run %s --dry-run    what it will do\n"
           "  perfgate serve &                              a target to try it on (port 8080)\n"
           "  perfgate run %s              measure, and check the thresholds\n",
           paths[0], paths[0]);
    if (a.github)
        printf("  then commit budgets/ and .github/workflows/: pull requests are gated by "
               "perf-gate.yml%s\n",
               a.build && a.start ? ""
                                  : " (first set its build and start lines, and "
                                    "perf-baseline.yml's)");
    rc = PG_EXIT_PASS;
out:
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
    return rc;
}
