/*
 * bench: time commands start to exit, alternated, for `make bench`
 * (lessons/tools/bench.sh). Each line of the variants file is
 *
 *     NAME<TAB>COUNT<TAB>ARG ARG ...
 *
 * COUNT copies of the command are started at once and the time runs until
 * the last one exits; "%i" in an argument becomes the copy's index (a
 * unique container name). Every round runs every variant once, the order
 * rotated from round to round, so that a variant is not always timed
 * right after the same other one on a noisy machine. Prints one line a
 * variant: NAME, the median, 10th and 90th percentile in microseconds, the
 * largest peak RSS of a copy in KiB (wait4's: the process and what it
 * waited for), and how many runs failed.
 *
 * Usage: bench ROUNDS FILE
 *        bench --timeline COMMAND [ARG...]
 *
 * --timeline runs COMMAND once with its stderr on a pipe and prints each
 * line it writes there with the time it arrived, in milliseconds after
 * the fork, then the time it exited: a runtime's narration, one write(2)
 * a line, becomes a profile of its steps.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_VARIANTS 32
#define MAX_ARGS     64
#define MAX_COUNT    256
#define MAX_ROUNDS   1000

struct variant {
    char name[64];
    int count;
    char *argv[MAX_ARGS];
    long long us[MAX_ROUNDS];
    long rss_kib;
    int fails;
};

static struct variant v[MAX_VARIANTS];
static int n_variants;

static long long
now_us(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static void
load(const char *path)
{
    char line[4096], *name, *count, *args, *tok, *save;
    FILE *f = fopen(path, "r");
    int n;

    if (f == NULL) {
        perror(path);
        exit(2);
    }
    while (fgets(line, sizeof(line), f) != NULL && n_variants < MAX_VARIANTS) {
        line[strcspn(line, "\n")] = '\0';
        name = strtok_r(line, "\t", &save);
        count = strtok_r(NULL, "\t", &save);
        args = strtok_r(NULL, "", &save);
        if (name == NULL || count == NULL || args == NULL)
            continue;
        snprintf(v[n_variants].name, sizeof(v[n_variants].name), "%s", name);
        v[n_variants].count = atoi(count);
        if (v[n_variants].count < 1 || v[n_variants].count > MAX_COUNT)
            v[n_variants].count = 1;
        n = 0;
        for (tok = strtok_r(args, " ", &save); tok && n < MAX_ARGS - 1;
             tok = strtok_r(NULL, " ", &save))
            v[n_variants].argv[n++] = strdup(tok);
        v[n_variants].argv[n] = NULL;
        n_variants++;
    }
    fclose(f);
}

/* One run of variant V: COUNT copies at once; the wall time. */
static long long
run(struct variant *x)
{
    char *argv[MAX_ARGS], idx[16];
    struct rusage ru;
    pid_t pids[MAX_COUNT];
    long long start;
    int i, j, status, devnull;

    start = now_us();
    for (i = 0; i < x->count; i++) {
        pids[i] = fork();
        if (pids[i] == -1) {
            perror("fork");
            exit(2);
        }
        if (pids[i] == 0) {
            snprintf(idx, sizeof(idx), "%d", i);
            for (j = 0; x->argv[j] != NULL; j++) {
                char *p = strstr(x->argv[j], "%i");

                argv[j] = x->argv[j];
                if (p != NULL) {
                    if (asprintf(&argv[j], "%.*s%s%s", (int)(p - x->argv[j]),
                                 x->argv[j], idx, p + 2) == -1)
                        _exit(127);
                }
            }
            argv[j] = NULL;
            devnull = open("/dev/null", O_RDWR);
            dup2(devnull, 0);
            dup2(devnull, 1);
            execvp(argv[0], argv);
            _exit(127);
        }
    }
    for (i = 0; i < x->count; i++) {
        if (wait4(pids[i], &status, 0, &ru) == -1) {
            perror("wait4");
            exit(2);
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            x->fails++;
        if (ru.ru_maxrss > x->rss_kib)
            x->rss_kib = ru.ru_maxrss;
    }
    return now_us() - start;
}

static int
cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return x < y ? -1 : x > y;
}

static int
timeline(char **argv)
{
    char buf[65536], *line, *nl;
    int p[2], status;
    long long start, t;
    size_t have = 0;
    ssize_t n;
    pid_t pid;

    if (pipe(p) == -1) {
        perror("pipe");
        return 2;
    }
    start = now_us();
    pid = fork();
    if (pid == 0) {
        dup2(p[1], 2);
        close(p[0]);
        close(p[1]);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(p[1]);
    while ((n = read(p[0], buf + have, sizeof(buf) - 1 - have)) > 0) {
        t = now_us() - start;
        have += (size_t)n;
        buf[have] = '\0';
        for (line = buf; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
            *nl = '\0';
            printf("%8.2f %s\n", t / 1000.0, line);
        }
        have -= (size_t)(line - buf);
        memmove(buf, line, have);
        if (have == sizeof(buf) - 1)
            have = 0;
    }
    waitpid(pid, &status, 0);
    printf("%8.2f exit %d\n", (now_us() - start) / 1000.0,
           WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return 0;
}

int
main(int argc, char **argv)
{
    int rounds, r, i, k;

    if (argc > 2 && strcmp(argv[1], "--timeline") == 0)
        return timeline(argv + 2);
    if (argc != 3 || (rounds = atoi(argv[1])) < 1 || rounds > MAX_ROUNDS) {
        fprintf(stderr, "usage: bench ROUNDS FILE (ROUNDS 1..%d)\n",
                MAX_ROUNDS);
        return 2;
    }
    load(argv[2]);
    for (i = 0; i < n_variants; i++) /* warm caches; not counted */
        run(&v[i]);
    for (i = 0; i < n_variants; i++)
        v[i].fails = 0;
    for (r = 0; r < rounds; r++)
        for (k = 0; k < n_variants; k++) {
            i = (k + r) % n_variants;
            v[i].us[r] = run(&v[i]);
        }
    for (i = 0; i < n_variants; i++) {
        qsort(v[i].us, rounds, sizeof(v[i].us[0]), cmp);
        printf("%s %lld %lld %lld %ld %d\n", v[i].name, v[i].us[rounds / 2],
               v[i].us[rounds / 10], v[i].us[rounds * 9 / 10], v[i].rss_kib,
               v[i].fails);
    }
    return 0;
}
