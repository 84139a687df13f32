/* fuzz_budget.c — libFuzzer: any bytes as a budget file. The parser must
 * return an error or a budget, never crash, leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>

#include "config/budget.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pg_budget *b = NULL;
    pg_err err;

    if (pg_budget_parse(&b, "fuzz.json", (const char *)data, size, &err) == 0)
        pg_budget_free(b);
    return 0;
}
