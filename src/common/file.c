/* file.c — whole-file reads and atomic writes (see file.h). */
#include "common/file.h"

#include <errno.h>
#include <fcntl.h>
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

int pg_file_write_atomic(const char *path, const char *data, size_t len, pg_err *err)
{
    int rc = PG_EIO;
    int fd = -1;
    char tmp[4096];
    size_t off = 0;

    if (snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof tmp)
        return pg_err_at(err, PG_EIO, path, 0, 0, "path too long");
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
        rc = pg_err_at(err, PG_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
        goto out;
    }
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
