/* plan.c — the human-readable plan of a budget, printed by --dry-run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/redact.h"
#include "config/budget.h"
#include "config/metric_catalog.h"

static void print_schedule(const pg_load *l, FILE *fp)
{
    char d[32];
    const char *unit = l->open_model ? "iterations/s" : "VUs";

    switch (l->executor) {
    case PG_EXEC_CONSTANT_VUS:
        pg_format_duration(l->duration_us, d, sizeof d);
        fprintf(fp, "  load       constant-vus: %ld virtual users looping for %s (closed model)\n",
                l->vus, d);
        return;
    case PG_EXEC_CONSTANT_ARRIVAL_RATE:
        pg_format_duration(l->duration_us, d, sizeof d);
        fprintf(fp,
                "  load       constant-arrival-rate: %g iterations/s for %s (open model, latency "
                "from intended start)\n",
                l->rate, d);
        return;
    case PG_EXEC_BREAKING_POINT:
        pg_format_duration(l->step_us, d, sizeof d);
        fprintf(fp,
                "  load       breaking-point: %g iterations/s, up by %g every %s to at most %g "
                "(open model), until a threshold breaks or over %g%% of a step's iterations fail "
                "or are dropped\n",
                l->bp_start, l->bp_step, d, l->bp_max, l->error_limit * 100.0);
        return;
    default:
        break;
    }
    pg_format_duration(l->duration_us, d, sizeof d);
    fprintf(fp, "  load       %s%s%s%s: %zu stages over %s, starting at %g %s (%s model)\n",
            pg_executor_name(l->executor), l->preset ? " (preset " : "", l->preset ? l->preset : "",
            l->preset ? ")" : "", l->n_stages, d, l->start, unit,
            l->open_model ? "open" : "closed");
    for (size_t i = 0; i < l->n_stages; i++) {
        pg_format_duration(l->stages[i].duration_us, d, sizeof d);
        fprintf(fp, "               stage %zu: %s to %g %s\n", i + 1, d, l->stages[i].target, unit);
    }
}

static void print_monitor(const pg_monitor_cfg *m, FILE *fp)
{
    char d[32];

    pg_format_duration(m->interval_us, d, sizeof d);
    fprintf(fp, "  monitor    every %s: machine CPU and memory, perfgate's CPU", d);
    if (m->pid)
        fprintf(fp, "; target pid %ld", m->pid);
    else if (m->pid_file)
        fprintf(fp, "; target from pid file %s", m->pid_file);
    else if (m->command)
        fprintf(fp, "; target every process named %s", m->command);
    if (m->pid || m->pid_file || m->command)
        fprintf(fp, " and its children (CPU, RSS, threads, open files)");
    fputc('\n', fp);
    for (size_t i = 0; i < m->n_scrapes; i++) {
        const pg_scrape *s = &m->scrapes[i];
        char *shown = pg_redact_url(s->url);
        pg_format_duration(s->every_us, d, sizeof d);
        fprintf(fp, "  scrape     %s%s every %s (%s):", shown ? shown : "(out of memory)",
                s->url[0] == '/' ? " on the target" : "", d, s->json ? "JSON" : "Prometheus text");
        free(shown);
        for (size_t g = 0; g < s->n_gauges; g++)
            fprintf(fp, "%s %s = %s", g ? "," : "", s->gauges[g].name, s->gauges[g].selector);
        fputc('\n', fp);
    }
}

void pg_budget_print_plan(const pg_budget *b, FILE *fp)
{
    const pg_load *l = &b->load;
    char d[32], w[32], t[32];
    double total_weight = 0.0;
    char *shown = pg_redact_url(b->target);

    fprintf(fp, "budget %s (%s)\n", b->name, b->path);
    if (b->description)
        fprintf(fp, "  %s\n", b->description);
    fprintf(fp, "  target     %s (HTTP/%s%s)\n", shown ? shown : "(out of memory)",
            l->http2 ? "2" : "1.1", l->insecure ? ", TLS not verified" : "");
    free(shown);
    print_schedule(l, fp);
    pg_format_duration(l->warmup_us, w, sizeof w);
    pg_format_duration(pg_load_trial_us(b), d, sizeof d);
    pg_format_duration(l->timeout_us, t, sizeof t);
    fprintf(fp, "  warmup     %s, not measured\n", w);
    if (l->executor == PG_EXEC_BREAKING_POINT)
        fprintf(fp,
                "  trials     %ld staircases of up to %.0f steps (capacity_rps is each one's "
                "highest rate that held)\n",
                b->trials, (double)(l->duration_us / l->step_us));
    else if (pg_load_repeats(b))
        fprintf(fp, "  trials     %ld, each the whole profile of %s\n", b->trials, d);
    else
        fprintf(fp, "  trials     %ld of %s each\n", b->trials, d);
    pg_format_duration(pg_load_total_us(b) + l->warmup_us, d, sizeof d);
    fprintf(fp, "  total      %s of load with the warm-up%s\n", d,
            l->executor == PG_EXEC_BREAKING_POINT ? " (at most: a staircase stops where it breaks)"
                                                  : "");
    fprintf(fp, "  limits     %ld connections, %s timeout per request\n", l->max_connections, t);
    for (size_t i = 0; i < b->n_datasets; i++) {
        const pg_dataset *ds = &b->datasets[i];
        fprintf(fp, "  data       %s: %s, %zu record%s (%s), fields", ds->name, ds->path,
                ds->n_records, ds->n_records == 1 ? "" : "s", pg_data_order_names[ds->order]);
        for (size_t k = 0; k < ds->n_fields; k++)
            fprintf(fp, "%s %s", k ? "," : "", ds->fields[k]);
        fputc('\n', fp);
    }
    for (size_t i = 0; i < b->n_scenarios; i++)
        total_weight += b->scenarios[i].weight;
    for (size_t i = 0; i < b->n_scenarios; i++) {
        const pg_scenario *s = &b->scenarios[i];
        fprintf(fp, "  scenario   %s: %.0f%% of iterations, %zu request%s", s->name,
                100.0 * s->weight / total_weight, s->n_requests, s->n_requests == 1 ? "" : "s");
        if (s->think_max_us) {
            pg_format_duration(s->think_min_us, d, sizeof d);
            pg_format_duration(s->think_max_us, w, sizeof w);
            fprintf(fp, ", think %s..%s", d, w);
        }
        if (s->data >= 0)
            fprintf(fp, ", a record of %s each", b->datasets[s->data].name);
        if (s->cookies)
            fprintf(fp, ", cookies kept per %s", l->open_model ? "iteration" : "virtual user");
        fputc('\n', fp);
        for (size_t j = 0; j < s->n_requests; j++) {
            const pg_request *r = &s->requests[j];
            fprintf(fp, "               %s %s", r->method, r->path);
            if (r->n_expect_status) {
                fprintf(fp, "  expect status %d", r->expect_status[0]);
                for (size_t k = 1; k < r->n_expect_status; k++)
                    fprintf(fp, "|%d", r->expect_status[k]);
            }
            if (r->expect_body_contains)
                fprintf(fp, "  body contains \"%s\"", r->expect_body_contains);
            for (size_t k = 0; k < r->n_extracts; k++) {
                const pg_extract *x = &r->extracts[k];
                fprintf(fp, "%s%s from %s \"%s\"%s", k ? ", " : "  extracts ", b->vars[x->var],
                        pg_extract_kind_keys[x->kind], x->expr,
                        x->scope_vu ? " (kept by the user)" : "");
            }
            if (r->once_per_vu)
                fprintf(fp, "; sent once per user");
            fputc('\n', fp);
        }
    }
    print_monitor(&b->monitor, fp);
    for (size_t i = 0; i < b->n_thresholds; i++) {
        const pg_threshold *th = &b->thresholds[i];
        char delay[32], note[96] = "";
        pg_format_duration(th->delay_abort_us, delay, sizeof delay);
        if (th->abort_on_fail)
            snprintf(note, sizeof note, " (aborts the run when it breaks%s%s%s)",
                     th->delay_abort_us ? ", once " : "", th->delay_abort_us ? delay : "",
                     th->delay_abort_us ? " are measured" : "");
        fprintf(fp, "  threshold  %s %s%s\n", th->metric, th->source, note);
    }
    if (!b->regression.enabled) {
        fprintf(fp, "  regression off\n");
        return;
    }
    fprintf(fp, "  regression alpha %g, one-sided Mann-Whitney on %ld trials a side:",
            b->regression.alpha, b->trials);
    for (size_t i = 0; i < b->regression.n_metrics; i++) {
        const pg_regression_metric *m = &b->regression.metrics[i];
        if (pg_metric_unit(m->name) == PG_UNIT_SHARE)
            fprintf(fp, "%s %s +%gpp", i ? "," : "", m->name, m->min_effect * 100.0);
        else
            fprintf(fp, "%s %s %g%%", i ? "," : "", m->name, m->min_effect * 100.0);
    }
    fputc('\n', fp);
}
