/* fail_alloc.c — an LD_PRELOAD library for tests/cli/alloc_failures.sh:
 * the Nth call of malloc, calloc or realloc in the process (counted from
 * the start, every thread and library: libc's own fopen and strdup, cJSON,
 * libgit2) returns NULL with errno ENOMEM, as a machine out of memory would,
 * and every other call is glibc's. PG_FAIL_ALLOC_AT=N picks the call (unset:
 * none fails); PG_FAIL_ALLOC_COUNT=FILE receives the number of calls made, at
 * exit, so a test knows the range to sweep. A crash (SIGSEGV, SIGBUS,
 * SIGABRT) is reported on stderr as "fail_alloc: signal N in FILE", the
 * object file of the innermost frame that is not libc's (a library that
 * hands NULL to memcpy crashes in libc, but the fault is the library's), so
 * the test can tell perfgate's crashes from a library's, followed by the
 * stack (addr2line turns its perfgate(+0x...) offsets into lines). glibc routes its own internal
 * allocations through these symbols too (its manual, "Replacing malloc"),
 * and memory they return is glibc's, so its free() is the right one. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);

static long fail_at = -2; /* -2: not read yet; -1: none fails */
static long calls;

/* getenv allocates nothing, so it is safe here */
static int this_one_fails(void)
{
    long n = __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
    if (fail_at == -2) {
        const char *s = getenv("PG_FAIL_ALLOC_AT");
        fail_at = s ? strtol(s, NULL, 10) : -1;
    }
    if (n != fail_at)
        return 0;
    errno = ENOMEM;
    return 1;
}

void *malloc(size_t size)
{
    return this_one_fails() ? NULL : __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    return this_one_fails() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
    return this_one_fails() ? NULL : __libc_realloc(p, size);
}

/* Names the object file to blame (dladdr allocates nothing), prints the
 * stack, then dies of the same signal. */
static void on_crash(int sig, siginfo_t *info, void *context)
{
    const char *where = "unknown";
    void *frames[32];
    int n = backtrace(frames, 32), len;
    char line[600];
#if defined(__x86_64__)
    Dl_info dl;
    /* frames[0] is this handler and frames[1] the kernel's return into
     * libc; the faulting instruction is RIP, then its callers follow */
    frames[1] = (void *)((ucontext_t *)context)->uc_mcontext.gregs[REG_RIP];
    for (int i = 1; i < n; i++)
        if (dladdr(frames[i], &dl) && dl.dli_fname && !strstr(dl.dli_fname, "/libc.so")) {
            where = dl.dli_fname;
            break;
        }
#else
    (void)context;
#endif
    (void)info;
    len = snprintf(line, sizeof line, "fail_alloc: signal %d in %s\n", sig, where);
    if (len > 0 && write(2, line, (size_t)len) < 0)
        (void)0;
    backtrace_symbols_fd(frames, n, 2); /* writes, no malloc */
    signal(sig, SIG_DFL);
    raise(sig);
}

__attribute__((constructor)) static void catch_crashes(void)
{
    struct sigaction sa;
    void *frame;
    backtrace(&frame, 1); /* loads libgcc_s now, not in the handler */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_crash;
    sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
}

__attribute__((destructor)) static void report_count(void)
{
    const char *path = getenv("PG_FAIL_ALLOC_COUNT");
    char line[32];
    int fd, len;

    if (!path || (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
        return;
    len = snprintf(line, sizeof line, "%ld\n", __atomic_load_n(&calls, __ATOMIC_RELAXED));
    if (write(fd, line, (size_t)len) != len)
        (void)0; /* the test then finds no count and says so */
    close(fd);
}
