/* stop.c — stopping a run on a signal (see stop.h). */
#include "cli/stop.h"
#include "common/file.h"

#include <string.h>
#include <unistd.h>

volatile sig_atomic_t pg_stop_signal;

static void on_signal(int sig)
{
    static const char msg[] = "\nperfgate: second signal: stopped at once, nothing more written\n";

    if (pg_stop_signal) { /* second signal: leave now, without a half-written temporary file */
        pg_file_abandon_partial();
        if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
            /* nothing to do: leaving anyway */
        }
        _exit(128 + sig);
    }
    pg_stop_signal = sig;
}

void pg_stop_install(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}
