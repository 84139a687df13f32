/* serve_fixture.h — perfgate serve in-process on 127.0.0.1:0 for the engine
 * tests: group setup starts it (one thread), teardown stops it; *state is
 * a serve_fixture whose target is its base URL. */
#ifndef PG_TEST_ENGINE_SERVE_FIXTURE_H
#define PG_TEST_ENGINE_SERVE_FIXTURE_H

#include <stdio.h>

#include "serve/serve.h"

typedef struct serve_fixture {
    pg_server *srv;
    char target[64];
    int judged; /* for tests that count callbacks */
} serve_fixture;

static int serve_setup(void **state)
{
    static serve_fixture f;
    pg_serve_opts o;
    pg_err err;

    pg_serve_opts_default(&o);
    o.port = 0;
    o.threads = 1;
    if (pg_serve_start(&f.srv, &o, &err) != 0)
        return -1;
    snprintf(f.target, sizeof f.target, "http://127.0.0.1:%u", pg_serve_port(f.srv));
    *state = &f;
    return 0;
}

static int serve_teardown(void **state)
{
    serve_fixture *f = *state;
    pg_serve_stop(f->srv);
    return 0;
}

#endif
