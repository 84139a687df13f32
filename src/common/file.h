/* file.h — whole-file reads and atomic writes.
 *
 * Results and baselines must never be seen half-written: pg_file_write_atomic
 * writes a temporary file beside the target, fsyncs it and renames it over
 * the target, so a reader sees the old file or the new one, never a mix. */
#ifndef PG_COMMON_FILE_H
#define PG_COMMON_FILE_H

#include <stddef.h>

#include "common/err.h"

/* Reads the whole file into *out (NUL-terminated; caller frees), length in *len
 * (may be NULL). Refuses files over max_bytes (0: 64 MiB). */
int pg_file_read(char **out, size_t *len, const char *path, size_t max_bytes, pg_err *err);

/* Writes data to path through temp file + fsync + rename, creating missing
 * parent directories. */
int pg_file_write_atomic(const char *path, const char *data, size_t len, pg_err *err);

/* Before a run: creates path's missing parent directories and proves a file
 * can be created beside path (read-only file system, permissions), so a
 * run of minutes is not measured in vain. Writes nothing that stays. */
int pg_file_prepare(const char *path, pg_err *err);

/* mkdir -p. */
int pg_file_mkdir_p(const char *dir, pg_err *err);

/* From a signal handler that is about to _exit: removes the temporary file
 * of a pg_file_write_atomic in progress, if any. Async-signal-safe. */
void pg_file_abandon_partial(void);

/* The directory part of path into buf ("." when there is none). */
void pg_file_dirname(const char *path, char *buf, size_t size);

#endif
