/* file.c — whole-file reads and atomic writes (see file.h). */
#include "common/file.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pg_file_read(char **out, size_t *len, const char *path, size_t max_bytes, pg_err *err)
{
    int rc = PG_EIO;
    FILE *fp = NULL;
    char *buf = NULL;
    struct stat st;
    size_t got;

    *out = NULL;
    if (!max_bytes)
        max_bytes = 64u << 20;
    if (!(fp = fopen(path, "rb"))) {
        rc = pg_err_at(err, errno == ENOENT ? PG_EINVALID : PG_EIO, path, 0, 0, "cannot open: %s",
                       strerror(errno));
        goto out;
    }
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = pg_err_at(err, PG_EINVALID, path, 0, 0, "not a regular file");
        goto out;
    }
    if ((size_t)st.st_size > max_bytes) {
        rc = pg_err_at(err, PG_EINVALID, path, 0, 0, "file is %lld bytes; at most %zu allowed",
                       (long long)st.st_size, max_bytes);
        goto out;
    }
    if (!(buf = malloc((size_t)st.st_size + 1))) {
        rc = pg_err_set(err, PG_ENOMEM, "out of memory reading %s", path);
        goto out;
    }
    got = fread(buf, 1, (size_t)st.st_size, fp);
    if (ferror(fp)) {
        rc = pg_err_at(err, PG_EIO, path, 0, 0, "read failed: %s", strerror(errno));
        goto out;
    }
    buf[got] = '\0';
    if (len)
        *len = got;
    *out = buf;
    buf = NULL;
    rc = PG_OK;
out:
    free(buf);
    if (fp)
        fclose(fp);
    return rc;
}

/* The temporary file being written, for pg_file_abandon_partial() from a
 * signal handler: set before the file exists, cleared once it is renamed or
 * removed, with a signal fence so the handler never sees a half-set path. */
static char partial_path[4096];
static volatile sig_atomic_t partial_set;

void pg_file_abandon_partial(void)
{
    if (partial_set)
        unlink(partial_path); /* async-signal-safe */
}

int pg_file_mkdir_p(const char *dir, pg_err *err)
{
    char buf[4096];

    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf)
        return pg_err_at(err, PG_EIO, dir, 0, 0, "path too long");
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return pg_err_at(err, PG_EIO, buf, 0, 0, "cannot create directory: %s",
                             strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return pg_err_at(err, PG_EIO, buf, 0, 0, "cannot create directory: %s", strerror(errno));
    return PG_OK;
}

static int temp_name(char *tmp, size_t size, const char *path, pg_err *err)
{
    if (snprintf(tmp, size, "%s.%ld.tmp", path, (long)getpid()) >= (int)size)
        return pg_err_at(err, PG_EIO, path, 0, 0, "path too long");
    return PG_OK;
}

/* Opens the temporary file tmp beside path into *fd, creating path's
 * directories only when they are missing (most writes go where they went
 * before: no mkdir for them). The error names path. */
static int open_temp(int *fd, const char *tmp, const char *path, int flags, const char *what,
                     pg_err *err)
{
    char dir[4096];
    int rc;

    *fd = open(tmp, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0644);
    if (*fd < 0 && errno == ENOENT) {
        pg_file_dirname(path, dir, sizeof dir);
        if ((rc = pg_file_mkdir_p(dir, err)) != 0)
            return rc;
        *fd = open(tmp, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0644);
    }
    if (*fd < 0)
        return pg_err_at(err, PG_EIO, path, 0, 0, "%s: %s", what, strerror(errno));
    return PG_OK;
}

int pg_file_prepare(const char *path, pg_err *err)
{
    char tmp[4096];
    int fd, rc;

    if ((rc = temp_name(tmp, sizeof tmp, path, err)) != 0)
        return rc;
    if ((rc = open_temp(&fd, tmp, path, O_EXCL, "cannot write here", err)) != 0)
        return rc;
    close(fd);
    unlink(tmp);
    return PG_OK;
}

int pg_file_write_atomic(const char *path, const char *data, size_t len, pg_err *err)
{
    int rc = PG_EIO;
    int fd = -1;
    char tmp[4096];
    size_t off = 0;

    if ((rc = temp_name(tmp, sizeof tmp, path, err)) != 0)
        return rc;
    memcpy(partial_path, tmp, sizeof partial_path);
    atomic_signal_fence(memory_order_seq_cst);
    partial_set = 1;
    if ((rc = open_temp(&fd, tmp, path, O_TRUNC, "cannot write", err)) != 0)
        goto out;
    rc = PG_EIO;
    while (off < len) {
        ssize_t n = write(fd, data + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = pg_err_at(err, PG_EIO, path, 0, 0, "write failed: %s", strerror(errno));
            goto out;
        }
        off += (size_t)n;
    }
    if (fsync(fd) != 0) {
        rc = pg_err_at(err, PG_EIO, path, 0, 0, "fsync failed: %s", strerror(errno));
        goto out;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = pg_err_at(err, PG_EIO, path, 0, 0, "close failed: %s", strerror(errno));
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        rc = pg_err_at(err, PG_EIO, path, 0, 0, "rename failed: %s", strerror(errno));
        goto out;
    }
    rc = PG_OK;
out:
    if (fd >= 0)
        close(fd);
    if (rc != PG_OK)
        unlink(tmp);
    partial_set = 0;
    atomic_signal_fence(memory_order_seq_cst);
    return rc;
}

void pg_file_dirname(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        snprintf(buf, size, ".");
    else if (slash == path)
        snprintf(buf, size, "/");
    else
        snprintf(buf, size, "%.*s", (int)(slash - path), path);
}
