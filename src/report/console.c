/* console.c — the measured table and check verdicts in plain text (see console.h). */
#include "report/console.h"

#include <math.h>
#include <string.h>

#include "config/threshold.h"
#include "config/units.h"

static void dur(uint64_t us, char *buf, size_t size)
{
    pg_format_duration(us, buf, size);
}

static void row(FILE *fp, const char *label, const pg_trial *t)
{
    char p50[16] = "-", p90[16] = "-", p95[16] = "-", p99[16] = "-", p999[16] = "-", max[16] = "-";

    if (t->duration.total) { /* nothing answered: no latency, not 0us */
        dur(pg_hist_percentile(&t->duration, 50), p50, sizeof p50);
        dur(pg_hist_percentile(&t->duration, 90), p90, sizeof p90);
        dur(pg_hist_percentile(&t->duration, 95), p95, sizeof p95);
        dur(pg_hist_percentile(&t->duration, 99), p99, sizeof p99);
        dur(pg_hist_percentile(&t->duration, 99.9), p999, sizeof p999);
        dur(t->duration.max, max, sizeof max);
    }
    fprintf(fp, "  %-7s %9llu %9.1f %7llu %6.2f%% %8llu %8s %8s %8s %8s %8s %8s\n", label,
            (unsigned long long)t->requests, pg_trial_rps(t), (unsigned long long)t->failed,
            100.0 * pg_trial_error_rate(t), (unsigned long long)t->dropped, p50, p90, p95, p99,
            p999, max);
}

static void print_streams(FILE *fp, const pg_trial *all)
{
    char first50[16] = "-", first95[16] = "-", gap50[16] = "-", gap99[16] = "-";

    if (all->sse_ttfe.total) {
        dur(pg_hist_percentile(&all->sse_ttfe, 50), first50, sizeof first50);
        dur(pg_hist_percentile(&all->sse_ttfe, 95), first95, sizeof first95);
    }
    if (all->sse_gap.total) {
        dur(pg_hist_percentile(&all->sse_gap, 50), gap50, sizeof gap50);
        dur(pg_hist_percentile(&all->sse_gap, 99), gap99, sizeof gap99);
    }
    fprintf(fp,
            "  streams: %llu, %llu events; first event p50 %s p95 %s; between events p50 %s p99 "
            "%s; %.4g events/s per stream (median)",
            (unsigned long long)all->sse_streams, (unsigned long long)all->sse_events, first50,
            first95, gap50, gap99,
            (double)pg_hist_percentile(&all->sse_eps, 50) / PG_PER_SECOND_SCALE);
    if (all->sse_tps.total)
        fprintf(fp, "; %llu tokens, %.4g tokens/s per stream (median)",
                (unsigned long long)all->sse_tokens,
                (double)pg_hist_percentile(&all->sse_tps, 50) / PG_PER_SECOND_SCALE);
    fputc('\n', fp);
}

/* breaking-point: each staircase's capacity and what broke it. */
static void print_capacity(FILE *fp, const pg_budget_run *r)
{
    fprintf(fp, "  capacity %.4g/s (median of %zu staircase%s)\n",
            pg_budget_run_capacity(r, "med", 0), r->n_trials, r->n_trials == 1 ? "" : "s");
    for (size_t i = 0; i < r->n_trials; i++) {
        const pg_capacity_step *broke = NULL;
        size_t held = 0;
        for (size_t k = 0; k < r->n_steps; k++) {
            if (r->steps[k].trial != i)
                continue;
            if (r->steps[k].held)
                held++;
            else if (!broke)
                broke = &r->steps[k];
        }
        fprintf(fp, "    staircase %zu: %.4g/s, %zu step%s held", i + 1, r->trials[i].capacity_rps,
                held, held == 1 ? "" : "s");
        if (broke)
            fprintf(fp, "; %g/s broke: %s\n", broke->rate, broke->why);
        else
            fprintf(fp, "%s\n",
                    r->trials[i].capacity_at_max ? ", up to load.max: the capacity is at least this"
                                                 : "");
    }
}

/* " label avg 45% p95 80% max 95%" of a series after sep; 0 when it has no samples. */
static int level(FILE *fp, const pg_budget_run *r, const char *name, const char *label,
                 const char *sep)
{
    const pg_gauge_series *g = pg_budget_run_gauge(r, name);
    pg_gauge_summary s;
    char a[16], p[16], m[16];

    if (!g)
        return 0;
    pg_gauge_summarise(g, -1e300, 1e300, &s);
    if (!s.count)
        return 0;
    pg_format_in_unit(pg_metric_unit(name), s.mean, a, sizeof a);
    pg_format_in_unit(pg_metric_unit(name), s.p95, p, sizeof p);
    pg_format_in_unit(pg_metric_unit(name), s.max, m, sizeof m);
    fprintf(fp, "%s%s avg %s p95 %s max %s", sep, label, a, p, m);
    return 1;
}

/* Prints the series of names[] on one line after title; nothing when none has samples. */
static void levels(FILE *fp, const pg_budget_run *r, const char *title, const char *const *names,
                   const char *const *labels, size_t n)
{
    const char *sep = " ";
    int any = 0;

    for (size_t i = 0; i < n; i++)
        any |= pg_budget_run_gauge(r, names[i]) != NULL;
    if (!any)
        return;
    fprintf(fp, "  %s:", title);
    for (size_t i = 0; i < n; i++)
        if (level(fp, r, names[i], labels[i], sep))
            sep = "; ";
    fputc('\n', fp);
}

/* The sampled resources and gauges, then what they suggest. */
static void print_monitor(FILE *fp, const pg_budget_run *r, const char *yellow, const char *off)
{
    static const char *const host[] = {"host_cpu", "host_mem", "perfgate_cpu", "other_cpu",
                                       "cpu_steal"};
    static const char *const host_labels[] = {"CPU", "memory", "perfgate CPU",
                                              "other processes' CPU (% of one core)", "steal"};
    static const char *const target[] = {"target_cpu", "target_rss", "target_threads",
                                         "target_fds"};
    static const char *const target_labels[] = {"CPU (% of one core)", "RSS", "threads",
                                                "open files"};
    char title[200];
    const char *sep = "  scraped: ";

    levels(fp, r, "machine", host, host_labels, 5);
    snprintf(title, sizeof title, "target (%s)", r->monitor_target);
    levels(fp, r, title, target, target_labels, 4);
    for (size_t i = 0; i < r->n_gauges; i++) {
        const char *n = r->gauges[i].name;
        if (!pg_metric_sampled(n) && level(fp, r, n, n, sep))
            sep = "; ";
    }
    if (sep[0] == ';')
        fputc('\n', fp);
    if (r->monitor_note[0])
        fprintf(fp, "  %smonitor: %s%s\n", yellow, r->monitor_note, off);
    for (size_t i = 0; i < r->n_hints; i++)
        fprintf(fp, "  hint: %s\n", r->hints[i]);
}

static void print_checks(FILE *fp, const pg_budget_result *b, int colour)
{
    const char *red = colour ? "\033[31m" : "", *green = colour ? "\033[32m" : "",
               *yellow = colour ? "\033[33m" : "", *off = colour ? "\033[0m" : "";

    for (size_t i = 0; i < b->n_checks; i++) {
        const pg_check *c = &b->checks[i];
        const char *col = c->verdict == PG_VERDICT_PASS   ? green
                          : c->verdict == PG_VERDICT_FAIL ? red
                                                          : yellow;
        fprintf(fp, "  %s%-5s%s %s\n", col,
                c->verdict == PG_VERDICT_PASS   ? "PASS"
                : c->verdict == PG_VERDICT_FAIL ? "FAIL"
                                                : "SKIP",
                off, c->detail);
    }
}

void pg_console_budget(FILE *fp, const pg_budget_result *b, int colour)
{
    const pg_budget_run *r = &b->run;
    const char *red = colour ? "\033[31m" : "", *yellow = colour ? "\033[33m" : "",
               *off = colour ? "\033[0m" : "";
    pg_trial all;
    pg_err err;
    char label[24], p50[16], p99[16], raw50[16], raw99[16], ttfb[16];

    fprintf(fp, "\n%s — %s%s\n", b->name, b->target,
            r->aborted[0]    ? "  (ABORTED: partial results)"
            : r->interrupted ? "  (INTERRUPTED: partial results)"
                             : "");
    if (r->aborted[0])
        fprintf(fp, "  %saborted:%s %s\n", red, off, r->aborted);
    if (!r->n_trials) {
        fprintf(fp, "  nothing measured: stopped %s\n",
                r->interrupted ? "before the first trial began (in the warm-up)"
                               : "before any trial");
        print_checks(fp, b, colour);
        return;
    }
    fprintf(fp, "  %-7s %9s %9s %7s %7s %8s %8s %8s %8s %8s %8s %8s\n", "trial", "requests",
            "req/s", "errors", "err%", "dropped", "p50", "p90", "p95", "p99", "p99.9", "max");
    for (size_t i = 0; i < r->n_trials; i++) {
        snprintf(label, sizeof label, "%zu", i + 1);
        row(fp, label, &r->trials[i]);
    }
    if (pg_budget_run_merged(&all, r, &err) != 0)
        return;
    row(fp, "all", &all);
    if (all.duration.total) {
        dur(pg_hist_percentile(&all.duration, 50), p50, sizeof p50);
        dur(pg_hist_percentile(&all.duration, 99), p99, sizeof p99);
        dur(pg_hist_percentile(&all.duration_raw, 50), raw50, sizeof raw50);
        dur(pg_hist_percentile(&all.duration_raw, 99), raw99, sizeof raw99);
        dur(pg_hist_percentile(&all.waiting, 50), ttfb, sizeof ttfb);
        fprintf(
            fp,
            "  latency from intended start p50 %s p99 %s; from actual send p50 %s p99 %s; TTFB p50 "
            "%s\n",
            p50, p99, raw50, raw99, ttfb);
        if (all.send_late.total) { /* the open model: how far behind its schedule it sent */
            char l50[32], l99[32];
            dur(pg_hist_percentile(&all.send_late, 50), l50, sizeof l50);
            dur(pg_hist_percentile(&all.send_late, 99), l99, sizeof l99);
            fprintf(fp, "  sent after the intended start by p50 %s p99 %s\n", l50, l99);
        }
    }
    if (all.retried)
        fprintf(fp,
                "  retried: %llu request%s failed on a reused connection before any answer and "
                "%s sent again on a new one (counted once, by how the second try ended)\n",
                (unsigned long long)all.retried, all.retried == 1 ? "" : "s",
                all.retried == 1 ? "was" : "were");
    if (all.failed) {
        fprintf(fp, "  errors:");
        for (int i = 0; i < PG_FAIL_KINDS; i++)
            if (all.fails[i])
                fprintf(fp, " %s %llu", pg_fail_kind_names[i], (unsigned long long)all.fails[i]);
        fputc('\n', fp);
        for (int i = 0; i < PG_FAIL_KINDS; i++) {
            if (!all.fails[i])
                continue;
            fprintf(fp, "    %s: %s\n", pg_fail_kind_names[i], pg_fail_kind_hints[i]);
            if (r->fail_example[i][0])
                fprintf(fp, "      first: %s\n", r->fail_example[i]);
        }
        if (all.fails[PG_FAIL_REFUSED] + all.fails[PG_FAIL_DNS] == all.failed &&
            all.requests == all.failed)
            fprintf(fp, "  %sthe target could not be reached (%s)%s\n", red, b->target, off);
        else if (pg_trial_answered(&all) == 0)
            fprintf(fp, "  %sno request got an answer from %s%s\n", red, b->target, off);
    }
    if (all.sse_streams || all.sse_events)
        print_streams(fp, &all);
    if (r->n_steps)
        print_capacity(fp, r);
    if (all.checks)
        fprintf(fp, "  checks: %llu of %llu passed\n",
                (unsigned long long)(all.checks - all.checks_failed),
                (unsigned long long)all.checks);
    fprintf(fp, "  generator: %u threads, %.0f%% CPU\n", r->threads, r->cpu_percent);
    if (r->saturated)
        fprintf(fp, "  %sWARNING: %s%s\n", yellow, r->saturation, off);
    print_monitor(fp, r, yellow, off);
    pg_trial_clear(&all);
    print_checks(fp, b, colour);
}
