/* text.c — cleaning untrusted text (see text.h). */
#include "common/text.h"

#include <stdlib.h>
#include <string.h>

static char clean(char c)
{
    return (unsigned char)c < 0x20 || c == 0x7F ? '?' : c;
}

void pg_text_copy_clean(char *dst, size_t size, const char *src)
{
    size_t i = 0;

    for (; src[i] && i + 1 < size; i++)
        dst[i] = clean(src[i]);
    if (size)
        dst[i] = '\0';
}

char *pg_text_dup_clean(const char *src)
{
    size_t n = strlen(src);
    char *p = malloc(n + 1);

    if (p)
        pg_text_copy_clean(p, n + 1, src);
    return p;
}
