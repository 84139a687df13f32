/* cmd_serve.c — perfgate serve: parse flags, start the target, wait for a signal. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "serve/serve.h"

static int parse_ms(const char *flag, const char *text, double max, double *out)
{
    char *end;
    double v = strtod(text, &end);

    if (end == text || *end || !(v >= 0.0) || v > max) {
        fprintf(stderr, "perfgate serve: %s takes a number from 0 to %g, not \"%s\"\n", flag, max,
                text);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_listen(const char *text, pg_serve_opts *o)
{
    const char *colon = strrchr(text, ':');
    long port;

    if (!colon || (size_t)(colon - text) >= sizeof o->host || colon == text) {
        fprintf(stderr,
                "perfgate serve: --listen takes ADDR:PORT, e.g. 127.0.0.1:8080, not \"%s\"\n",
                text);
        return -1;
    }
    memcpy(o->host, text, (size_t)(colon - text));
    o->host[colon - text] = '\0';
    if (pg_cli_parse_long("--listen port", colon + 1, 0, 65535, &port) != 0)
        return -1;
    o->port = (unsigned)port;
    return 0;
}

int pg_cmd_serve(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"delay", required_argument, NULL, 'd'},
        {"jitter", required_argument, NULL, 'j'},
        {"stall-every", required_argument, NULL, 'e'},
        {"stall-for", required_argument, NULL, 'f'},
        {"cpu", required_argument, NULL, 'c'},
        {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    pg_serve_opts o;
    pg_server *srv = NULL;
    pg_err err;
    sigset_t set;
    int opt, sig = 0, quiet = 0;
    long threads;

    pg_serve_opts_default(&o);
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
        switch (opt) {
        case 'l':
            if (parse_listen(optarg, &o) != 0)
                return PG_EXIT_USAGE;
            break;
        case 't':
            if (pg_cli_parse_long("--threads", optarg, 1, 1024, &threads) != 0)
                return PG_EXIT_USAGE;
            o.threads = (unsigned)threads;
            break;
        case 'd':
            if (parse_ms("--delay", optarg, 3600e3, &o.delay_ms) != 0)
                return PG_EXIT_USAGE;
            break;
        case 'j':
            if (parse_ms("--jitter", optarg, 3600e3, &o.jitter_ms) != 0)
                return PG_EXIT_USAGE;
            break;
        case 'e':
            if (parse_ms("--stall-every", optarg, 86400, &o.stall_every_s) != 0)
                return PG_EXIT_USAGE;
            break;
        case 'f':
            if (parse_ms("--stall-for", optarg, 3600e3, &o.stall_for_ms) != 0)
                return PG_EXIT_USAGE;
            break;
        case 'c':
            if (parse_ms("--cpu", optarg, 1000.0, &o.cpu_ms) != 0)
                return PG_EXIT_USAGE;
            break;
        case 'q':
            quiet = 1;
            break;
        default:
            fprintf(
                stderr,
                "perfgate serve: unknown or incomplete option '%s'; see perfgate serve --help\n",
                argv[optind - 1]);
            return PG_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "perfgate serve: unexpected argument '%s'\n", argv[optind]);
        return PG_EXIT_USAGE;
    }
    if ((o.stall_every_s > 0.0) != (o.stall_for_ms > 0.0)) {
        fprintf(stderr, "perfgate serve: --stall-every and --stall-for go together\n");
        return PG_EXIT_USAGE;
    }
    if (o.stall_every_s > 0.0 && o.stall_for_ms >= o.stall_every_s * 1000.0) {
        fprintf(stderr, "perfgate serve: --stall-for must be shorter than --stall-every\n");
        return PG_EXIT_USAGE;
    }
    /* Block the signals before the server threads exist so only sigwait sees them. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (pg_serve_start(&srv, &o, &err) != 0) {
        pg_err_print(&err, stderr);
        return pg_err_exit_code(err.code);
    }
    printf("listening on http://%s:%u\n", o.host, pg_serve_port(srv));
    if (!quiet && pg_serve_connection_limit(srv) < 20000)
        printf("at most %u connections at once (the open-file limit is in the way; ulimit -n)\n",
               pg_serve_connection_limit(srv));
    if (!quiet && (o.delay_ms > 0 || o.jitter_ms > 0 || o.stall_every_s > 0 || o.cpu_ms > 0))
        printf("shaping: delay %gms, jitter +-%gms, stall %gms every %gs, cpu %gms\n", o.delay_ms,
               o.jitter_ms, o.stall_for_ms, o.stall_every_s, o.cpu_ms);
    fflush(stdout);
    sigwait(&set, &sig);
    pg_serve_stop(srv);
    if (!quiet)
        fprintf(stderr, "perfgate serve: stopped (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    return PG_EXIT_PASS;
}
