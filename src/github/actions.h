/* actions.h — the verdict where GitHub Actions shows it, active only when
 * GitHub's variables are set (nothing is written otherwise):
 *
 *   $GITHUB_STEP_SUMMARY  the markdown report appended (at most 1 MiB, the
 *                         limit GitHub puts on a step's summary);
 *   annotations           "::error file=…,line=…,col=…,title=…::…" on
 *                         stdout for the worst failures, at most 10, when
 *                         $GITHUB_ACTIONS is "true"; data escaped as the
 *                         actions toolkit does (% CR LF; and : , in
 *                         properties) so no text can start a command;
 *   $GITHUB_OUTPUT        verdict, json, junit, markdown, html, written in
 *                         the multi-line form with a random delimiter.
 *
 * Reference: docs.github.com, "Workflow commands for GitHub Actions", and
 * actions/toolkit packages/core/src/command.ts. */
#ifndef PG_GITHUB_ACTIONS_H
#define PG_GITHUB_ACTIONS_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "common/buf.h"
#include "common/err.h"
#include "report/reports.h"

#define PG_GITHUB_SUMMARY_MAX (1u << 20)
#define PG_GITHUB_MAX_ANNOTATIONS 10

/* All three, each only when its variable is set. A file GitHub gave that
 * cannot be written is reported on stderr and skipped: the verdict stands. */
void pg_github_publish(const cJSON *doc, const pg_report_paths *paths);

/* The annotations alone, to fp (exposed for the tests). */
void pg_github_annotations(FILE *fp, const cJSON *doc);

/* Escapes of the toolkit: data (% \r \n) and property (also : ,). */
void pg_github_escape_data(pg_buf *out, const char *s);
void pg_github_escape_property(pg_buf *out, const char *s);

#endif
