/* err.c — filling and printing pg_err (see err.h). */
#include "common/err.h"

#include <string.h>

static void set_msg(pg_err *err, const char *fmt, va_list ap)
{
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

int pg_err_set(pg_err *err, int code, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return code;
    memset(err, 0, sizeof *err);
    err->code = code;
    va_start(ap, fmt);
    set_msg(err, fmt, ap);
    va_end(ap);
    return code;
}

int pg_err_at(pg_err *err, int code, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return code;
    memset(err, 0, sizeof *err);
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->col = col;
    va_start(ap, fmt);
    set_msg(err, fmt, ap);
    va_end(ap);
    return code;
}

void pg_err_format(const pg_err *err, char *buf, size_t size)
{
    if (err->file[0] && err->line > 0)
        snprintf(buf, size, "%s:%d:%d: %s", err->file, err->line, err->col, err->msg);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, err->msg);
    else
        snprintf(buf, size, "%s", err->msg);
}

void pg_err_print(const pg_err *err, FILE *fp)
{
    char buf[2048];

    pg_err_format(err, buf, sizeof buf);
    fprintf(fp, "perfgate: %s\n", buf);
}

int pg_err_exit_code(int code)
{
    switch (code) {
    case PG_OK:
        return PG_EXIT_PASS;
    case PG_EUSAGE:
    case PG_EINVALID:
        return PG_EXIT_USAGE;
    default:
        return PG_EXIT_NORUN;
    }
}
