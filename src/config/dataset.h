/* dataset.h — a budget's data file (CSV or JSON), read once into one block.
 *
 * A data set is a table of text: named fields (a CSV's header row, or the
 * keys of a JSON array's first object) and records. Every cell is a
 * NUL-terminated string inside one allocation, found by a 32-bit offset, so
 * a file of 100,000 short rows costs about its own size plus four bytes a
 * cell, and workers read it without locks. Numbers and booleans of a JSON
 * file are kept as written; null is the empty string; a nested object or
 * array is kept as compact JSON. */
#ifndef PG_CONFIG_DATASET_H
#define PG_CONFIG_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* How a scenario takes records: in turn (each worker its own stride of the
 * file, wrapping), at random (--seed), or each record once across every
 * worker and shard, the run stopping when they are used up. */
#define PG_DATA_ORDERS(X)                                                                          \
    X(PG_DATA_SEQUENTIAL, "sequential")                                                            \
    X(PG_DATA_RANDOM, "random")                                                                    \
    X(PG_DATA_UNIQUE, "unique")

typedef enum {
#define PG_DATA_ORDER_ENUM(id, name) id,
    PG_DATA_ORDERS(PG_DATA_ORDER_ENUM)
#undef PG_DATA_ORDER_ENUM
        PG_DATA_ORDER_COUNT
} pg_data_order;

extern const char *const pg_data_order_names[PG_DATA_ORDER_COUNT + 1]; /* NULL-terminated */

typedef struct pg_dataset {
    char *name; /* as the budget's "data" names it */
    char *path; /* as resolved (relative to the budget file) */
    pg_data_order order;
    char **fields; /* n_fields names, then NULL */
    size_t n_fields;
    size_t n_records;
    uint32_t *cells; /* n_records * n_fields offsets into text, row by row */
    char *text;
} pg_dataset;

/* Reads path as CSV (RFC 4180: a header row; fields quoted with ", a quote
 * inside doubled; CRLF or LF; a UTF-8 byte order mark skipped; blank lines
 * skipped) or, when it ends in .json, as a JSON array of objects. Errors
 * name path:line:col and what would be valid (PG_EINVALID), PG_EIO when it
 * cannot be read, PG_ENOMEM. */
int pg_dataset_read(pg_dataset *out, const char *path, pg_err *err);

/* The same for text already in memory, as if read from path. */
int pg_dataset_parse_csv(pg_dataset *out, const char *path, const char *text, size_t len,
                         pg_err *err);
int pg_dataset_parse_json(pg_dataset *out, const char *path, const char *text, size_t len,
                          pg_err *err);

void pg_dataset_clear(pg_dataset *d); /* leaves d zeroed */

/* The field's index, or -1. */
long pg_dataset_field(const pg_dataset *d, const char *name, size_t len);

static inline const char *pg_dataset_cell(const pg_dataset *d, size_t record, size_t field)
{
    return d->text + d->cells[record * d->n_fields + field];
}

#endif
