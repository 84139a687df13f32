/* init_templates.h — the workflows `perfgate init --github` writes: the
 * files of examples/workflows, compiled in by cmake/embed.cmake, so the
 * repository's examples and what init writes are one text. */
#ifndef PG_CLI_INIT_TEMPLATES_H
#define PG_CLI_INIT_TEMPLATES_H

#include <stddef.h>

typedef struct pg_init_template {
    const char *name;          /* "perf-gate.yml" */
    const unsigned char *text; /* NUL-terminated */
    size_t len;
} pg_init_template;

/* Ends with a NULL name. */
extern const pg_init_template pg_init_templates[];

#endif
