/*
 * state.c: the runtime's records in STATE_DIR: files that only root can
 * change, their owners (PID and start time, so a reused PID is not taken
 * for them), and the lock around them.
 *
 * From lesson04-net on. Read: proc(5) (/proc/PID/stat), flock(2), open(2)
 * (O_NOFOLLOW).
 */
#include "run.h"

/* Field 22 of /proc/PID/stat: when the process started. With the PID it
   names one process for good, even after the PID is reused. */
unsigned long long
start_time(pid_t pid)
{
    char path[64], buf[1024], *p;
    unsigned long long t = 0;
    FILE *f;
    int i;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    f = fopen(path, "re");
    if (f == NULL)
        return 0;
    if (fgets(buf, sizeof(buf), f) != NULL && (p = strrchr(buf, ')'))) {
        for (i = 0; i < 20 && p != NULL; i++)
            p = strchr(p + 1, ' ');
        if (p != NULL)
            t = strtoull(p + 1, NULL, 10);
    }
    fclose(f);
    return t;
}

/* A process that is gone, or a zombie: it has left its namespaces. */
int
gone(pid_t pid)
{
    char path[64], buf[256], *p;
    int dead = 1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    f = fopen(path, "re");
    if (f == NULL)
        return 1;
    if (fgets(buf, sizeof(buf), f) != NULL && (p = strrchr(buf, ')')))
        dead = p[2] == 'Z' || p[2] == 'X';
    fclose(f);
    return dead;
}

/*
 * The runtime's state files (leases, records) decide what --cleanup kills
 * and removes, as root: only root may write them. They are made 0600 and
 * never through a symlink, and read back only if they are regular files
 * of root's that no one else may write. STATE_DIR itself is root's, 0700.
 */
FILE *
state_create(const char *path)
{
    int fd =
        open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

    return fd == -1 ? NULL : fdopen(fd, "w");
}

/* Open a state file to read; NULL if it is missing or not to be trusted
   (then WHY says which). */
FILE *
state_open(const char *path, const char **why)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

    *why = NULL;
    if (fd == -1) {
        if (errno == ELOOP)
            *why = "it is a symlink";
        return NULL;
    }
    if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
        *why = "it is not a regular file";
    else if (st.st_uid != 0)
        *why = "it is not root's";
    else if (st.st_mode & 022)
        *why = "others may write it";
    if (*why != NULL) {
        close(fd);
        return NULL;
    }
    return fdopen(fd, "r");
}

/* "PID STARTTIME" of this process: the first line of a lease, and of
   every other record of who owns something. */
void
put_owner(FILE *f)
{
    fprintf(f, "%d %llu\n", (int)getpid(), start_time(getpid()));
}

/* Does the owner named by F's first line still run? A zombie does not:
   killed, it waits only for its parent to reap it. */
int
owner_alive(FILE *f)
{
    unsigned long long t;
    int pid;

    return fscanf(f, "%d %llu", &pid, &t) == 2 && t != 0 &&
           start_time(pid) == t && !gone(pid);
}

/* Concurrent runtimes take turns: flock(2) on the state directory, held
   once however deeply the calls nest (flock locks belong to an open file,
   so a second open of our own would wait for us forever). */
static int lock_fd = -1, lock_depth;

void
state_lock(void)
{
    struct stat st;

    if (lock_depth++ > 0)
        return;
    if (mkdir(STATE_DIR, 0700) == -1 && errno != EEXIST)
        die(errno, NULL, "mkdir " STATE_DIR);
    lock_fd = open(STATE_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (lock_fd == -1 || flock(lock_fd, LOCK_EX) == -1)
        die(errno, NULL, "lock " STATE_DIR);
    /* Root's, and no one else's: 0700 (an older runtime made it 0755). */
    if (fstat(lock_fd, &st) == -1 || st.st_uid != 0 ||
        fchmod(lock_fd, 0700) == -1)
        die(errno, "remove it; the runtime makes it again",
            STATE_DIR " is not a directory of root's");
}

void
state_unlock(void)
{
    if (--lock_depth == 0) {
        close(lock_fd);
        lock_fd = -1;
    }
}
