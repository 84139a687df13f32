/* err.h — perfgate's one error type and result codes.
 *
 * Functions that can fail return 0 or a negative PG_E* code and describe the
 * failure in a caller-provided pg_err, so threads never share error state.
 * An error about an input file carries the file, line and column (1-based;
 * 0 when unknown) so the message can point at the exact spot. */
#ifndef PG_COMMON_ERR_H
#define PG_COMMON_ERR_H

#include <stdarg.h>
#include <stdio.h>

enum {
    PG_OK = 0,
    PG_EUSAGE = -1,   /* bad command line                 -> exit 2 */
    PG_EINVALID = -2, /* bad input file                   -> exit 2 */
    PG_EIO = -3,      /* file system, disk                -> exit 3 */
    PG_ENOMEM = -4,   /* out of memory                    -> exit 3 */
    PG_ERUN = -5,     /* could not run (port taken, ...)  -> exit 3 */
    PG_ENOREPO = -6,  /* no git repository where one was asked for -> exit 3 */
    PG_ENOTFOUND = -7, /* a base ref or merge-base that is not there  -> exit 3 */
};

/* Process exit codes (docs/design.md, "Exit codes and errors"). */
enum { PG_EXIT_PASS = 0, PG_EXIT_FAIL = 1, PG_EXIT_USAGE = 2, PG_EXIT_NORUN = 3 };

typedef struct pg_err {
    int code;
    char file[512];
    int line;
    int col;
    char msg[1024];
} pg_err;

/* Sets the message (no position) and returns code, so `return pg_err_set(...)`. */
int pg_err_set(pg_err *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Sets a message that points into a file; line/col 0 means "whole file". */
int pg_err_at(pg_err *err, int code, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* "file:line:col: msg" (the compiler convention editors and CI understand). */
void pg_err_format(const pg_err *err, char *buf, size_t size);

/* Prints "perfgate: <formatted error>" to fp. */
void pg_err_print(const pg_err *err, FILE *fp);

/* Maps a PG_E* code to the process exit code. */
int pg_err_exit_code(int code);

#endif
