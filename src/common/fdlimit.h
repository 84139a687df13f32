/* fdlimit.h — making room for many connections.
 *
 * Every connection is a file descriptor, and the usual soft limit (1024) is
 * far below what a load test of thousands of connections needs, while the
 * hard limit usually allows it. Like nginx's worker_rlimit_nofile, we raise
 * the soft limit as far as a run needs, and say so plainly when the hard
 * limit is in the way. */
#ifndef PG_COMMON_FDLIMIT_H
#define PG_COMMON_FDLIMIT_H

/* Raises the soft RLIMIT_NOFILE to need when it is lower and the hard limit
 * allows. Returns 0 when the soft limit now covers need, -1 when it cannot;
 * *soft and *hard receive the limits in force afterwards either way. */
int pg_fdlimit_ensure(unsigned long need, unsigned long *soft, unsigned long *hard);

#endif
