/* fingerprint.h — what a budget's run measured, so two runs can be told
 * apart when they did not do the same work.
 *
 * The work is a normalized JSON object of everything that decides the load
 * and the requests: the executor and its rates, virtual users, stages,
 * warm-up, per-trial duration and trial count (after command-line
 * overrides), timeouts and connection limits, and per scenario its weight,
 * think time and requests (method, path, headers as written, with ${NAME}
 * left unexpanded so secrets never enter it, the SHA-256 of the body, what
 * is expected). It leaves out the target URL (ports differ per CI run),
 * thresholds, regression settings, monitoring and every name. The
 * fingerprint is the SHA-256 of the work printed without spaces.
 *
 * Comparing two runs whose fingerprints differ compares unlike with unlike:
 * pg_work_diff says what changed ("load.rate 50 -> 40"). */
#ifndef PG_CONFIG_FINGERPRINT_H
#define PG_CONFIG_FINGERPRINT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/err.h"
#include "config/budget.h"

#define PG_FINGERPRINT_HEX 65 /* 64 hex digits and the NUL */

/* The work of b (caller deletes) and its fingerprint; PG_ENOMEM. */
int pg_budget_work(const pg_budget *b, cJSON **work, char hex[PG_FINGERPRINT_HEX], pg_err *err);

/* The SHA-256 of n bytes as 64 lower-case hex digits. */
void pg_sha256_hex(const void *data, size_t n, char hex[PG_FINGERPRINT_HEX]);

/* Says how work b differs from work a, at most three differences, each as
 * "path a -> b" ("load.rate 50 -> 40; scenarios.0.requests.0.path /a -> /b");
 * "" when they are equal. */
void pg_work_diff(const cJSON *a, const cJSON *b, char *out, size_t size);

#endif
