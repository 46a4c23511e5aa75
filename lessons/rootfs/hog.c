/*
 * hog: use up one resource, boundedly, to watch a cgroup stop it.
 *
 *   hog mem MIB     allocate and touch MIB MiB, one at a time, printing each
 *                   tenth; the memory cgroup's OOM killer ends it (SIGKILL)
 *   hog fork N      fork up to N children that each sleep 2 s; print how
 *                   many forks succeeded and the first error (pids.max)
 *   hog cpu SECS    spin for SECS seconds of wall time (cpu quota, cpuacct)
 *
 * Static, for the busybox rootfs. Bounded by its argument, so that run
 * without a cgroup it still stops by itself.
 * Read: fork(2), malloc(3), cgroups(7).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int
mem(long mib)
{
    long i;
    char *p;

    for (i = 1; i <= mib; i++) {
        p = malloc(1 << 20);
        if (p == NULL) {
            printf("malloc failed after %ld MiB\n", i - 1);
            return 1;
        }
        memset(p, 1, 1 << 20); /* touch it: only used pages are charged */
        if (i % 10 == 0) {
            printf("%ld MiB\n", i);
            fflush(stdout);
        }
    }
    printf("allocated %ld MiB\n", mib);
    return 0;
}

static int
forks(long n)
{
    long i;
    pid_t pid;

    for (i = 0; i < n; i++) {
        pid = fork();
        if (pid == -1) {
            printf("fork %ld failed: %s\n", i + 1, strerror(errno));
            break;
        }
        if (pid == 0) {
            sleep(2);
            _exit(0);
        }
    }
    printf("forked %ld\n", i);
    fflush(stdout);
    while (wait(NULL) > 0)
        ;
    return 0;
}

static int
cpu(long secs)
{
    struct timespec now, end;
    volatile unsigned long spin = 0;

    clock_gettime(CLOCK_MONOTONIC, &end);
    end.tv_sec += secs;
    do {
        spin++;
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while (now.tv_sec < end.tv_sec ||
             (now.tv_sec == end.tv_sec && now.tv_nsec < end.tv_nsec));
    printf("spun %lu\n", (unsigned long)spin);
    return 0;
}

int
main(int argc, char **argv)
{
    long n;

    if (argc != 3 || (n = strtol(argv[2], NULL, 10)) <= 0) {
        fprintf(stderr, "usage: hog mem MIB | fork N | cpu SECS\n");
        return 2;
    }
    if (strcmp(argv[1], "mem") == 0)
        return mem(n);
    if (strcmp(argv[1], "fork") == 0)
        return forks(n);
    if (strcmp(argv[1], "cpu") == 0)
        return cpu(n);
    fprintf(stderr, "usage: hog mem MIB | fork N | cpu SECS\n");
    return 2;
}
