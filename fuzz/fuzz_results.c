/* fuzz_results.c — libFuzzer: any bytes as a results or baseline file, read
 * the way compare reads them. The reader takes a path, so each input is
 * written to a file in memory (/dev/shm) first. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "metrics/values.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    pg_results_values v;
    pg_err err;
    FILE *fp;

    if (!path[0])
        snprintf(path, sizeof path, "/dev/shm/perfgate-fuzz-%ld.json", (long)getpid());
    if (!(fp = fopen(path, "wb")))
        return 0;
    fwrite(data, 1, size, fp);
    fclose(fp);
    if (pg_values_load(&v, path, &err) == 0)
        pg_values_clear(&v);
    return 0;
}
