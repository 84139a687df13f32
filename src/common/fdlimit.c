/* fdlimit.c — raising the open-file limit (see fdlimit.h). */
#include "common/fdlimit.h"

#include <sys/resource.h>

int pg_fdlimit_ensure(unsigned long need, unsigned long *soft, unsigned long *hard)
{
    struct rlimit rl;

    *soft = *hard = 0;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return -1;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need &&
        (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need)) {
        struct rlimit raised = {need, rl.rlim_max};
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            rl.rlim_cur = need;
    }
    *soft = rl.rlim_cur == RLIM_INFINITY ? (unsigned long)-1 : (unsigned long)rl.rlim_cur;
    *hard = rl.rlim_max == RLIM_INFINITY ? (unsigned long)-1 : (unsigned long)rl.rlim_max;
    return *soft >= need ? 0 : -1;
}
