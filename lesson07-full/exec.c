/*
 * exec.c: containers by name: --list, and --exec, which joins a running
 * container with setns(2) from a sealed copy of the runtime.
 *
 * From lesson07-full on. Read: setns(2), memfd_create(2), fcntl(2)
 * (F_ADD_SEALS).
 */
#include "run.h"

pid_t init_pid; /* a container's PID 1, from its record */

/*
 * CVE-2019-5736 (runc): a process of the runtime's inside a container is
 * the host's binary as /proc/PID/exe. --exec of a script that starts
 * "#!/proc/self/exe" makes the kernel run the runtime again there, where
 * the container's root can open it and, once no one runs it (ETXTBSY),
 * write the host's runtime. Without a user namespace that root is the
 * host's. So --exec runs from a sealed copy in memory, as runc does:
 * memfd_create(2), the binary copied in, sealed against every write, and
 * fexecve(3)'d; its /proc/self/exe is then the memfd, nothing on disk.
 */
static void
run_from_sealed_copy(char **argv)
{
    extern char **environ;
    char exe[64];
    ssize_t n;
    int in, mem;
    off_t off = 0;
    struct stat st;

    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0 && strncmp(exe, "/memfd:", 7) == 0)
        return; /* this is the copy */
    in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    mem = memfd_create("container-lessons", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (in == -1 || mem == -1 || fstat(in, &st) == -1)
        die(errno, NULL, "a sealed copy of the runtime: memfd_create");
    while (off < st.st_size)
        if (sendfile(mem, in, &off, (size_t)(st.st_size - off)) <= 0)
            die(errno, NULL, "a sealed copy of the runtime: sendfile");
    close(in);
    if (fcntl(mem, F_ADD_SEALS,
              F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) == -1)
        die(errno, NULL, "a sealed copy of the runtime: F_ADD_SEALS");
    say("exec: memfd_create, sendfile, F_SEAL_WRITE, fexecve: the runtime "
        "runs from a sealed copy (CVE-2019-5736)");
    fexecve(mem, argv, environ);
    die(errno, NULL, "fexecve of the sealed copy");
}

/* Its PID 1 goes into the container's record, for --list and --exec, and
   its hardening, for --exec: "caps HEX" (its capability set) and
   "seccomp 1" or "0". */
void
record_init(pid_t child)
{
    int fd = open(cg.record, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
    FILE *f = fd == -1 ? NULL : fdopen(fd, "a");

    /* With its start time, as the owner lines: PIDs are reused. */
    if (f == NULL ||
        fprintf(f, "init %d %llu\ncaps %llx\nseccomp %d\n", (int)child,
                start_time(child), cfg.caps, cfg.seccomp) < 0 ||
        fclose(f) != 0)
        die(errno, NULL, "write %s", cg.record);
}

/* For load_record(), the lines of the record that record_init() wrote:
   "init PID STARTTIME", the container's PID 1 on the host, into init_pid;
   "caps" and "seccomp". 1 if KEY (VALUE read after it) is one of them. */
int
load_init_line(FILE *f, const char *key, const char *value)
{
    unsigned long long init_start;

    if (strcmp(key, "init") == 0) {
        /* "init PID STARTTIME": a PID the kernel gave out again is not
           the container's PID 1. */
        init_pid = atoi(value);
        if (fscanf(f, "%llu", &init_start) != 1 ||
            start_time(init_pid) != init_start)
            init_pid = 0;
        return 1;
    }
    /* for --exec: load_hardening() */
    return strcmp(key, "caps") == 0 || strcmp(key, "seccomp") == 0;
}

/* --list: NAME, its PID 1 on the host, the runtime's PID, the command. */
static int
list_containers(void)
{
    char path[PATH_MAX], cmd[256];
    struct dirent *d;
    size_t len, i;
    ssize_t n;
    int fd, runtime;
    FILE *f;
    DIR *dir = opendir(STATE_DIR);

    printf("%-20s %8s %8s  %s\n", "NAME", "PID", "RUNTIME", "COMMAND");
    while (dir != NULL && (d = readdir(dir)) != NULL) {
        len = strlen(d->d_name);
        if (len < 4 || strcmp(d->d_name + len - 3, ".ct") != 0)
            continue;
        snprintf(path, sizeof(path), STATE_DIR "/%s", d->d_name);
        if (load_record(path) != 1 || init_pid <= 0)
            continue; /* starting, or left by a killed runtime */
        runtime = 0;
        if ((f = fopen(path, "re")) != NULL) {
            if (fscanf(f, "%d", &runtime) != 1)
                runtime = 0;
            fclose(f);
        }
        snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)init_pid);
        n = -1;
        if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
            n = read(fd, cmd, sizeof(cmd) - 1);
            close(fd);
        }
        for (i = 0; n > 0 && i < (size_t)n - 1; i++)
            if (cmd[i] == '\0')
                cmd[i] = ' ';
        cmd[n > 0 ? n : 0] = '\0';
        printf("%-20.*s %8d %8d  %s\n", (int)len - 3, d->d_name, (int)init_pid,
               runtime, cmd);
    }
    if (dir != NULL)
        closedir(dir);
    return 0;
}

/* The container's ID maps, read back from its PID 1 (for narration and
   for become_root()). */
static void
read_id_map(pid_t pid)
{
    char path[64];
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
    f = fopen(path, "re");
    cfg.n_map = 0;
    while (f != NULL && cfg.n_map < MAX_MAPS &&
           fscanf(f, "%lu %lu %lu", &cfg.map[cfg.n_map].inside,
                  &cfg.map[cfg.n_map].outside, &cfg.map[cfg.n_map].count) == 3)
        cfg.n_map++;
    if (f != NULL)
        fclose(f);
}

/*
 * The capability set and seccomp setting a container started with, from
 * its record, into cfg: an --exec gets the container's, not those of its
 * own command line, as docker exec does, or `--exec` into a `--cap-drop
 * ALL` container would have Docker's 14 back. Checked as they are read:
 * a set with bits past the last capability, or a record without them,
 * is refused, never taken for "all" or "none".
 */
static void
load_hardening(const char *path, const char *name)
{
    char line[PATH_MAX + 64], key[32], val[64], *end;
    int caps = 0, seccomp = 0;
    const char *why;
    FILE *f = state_open(path, &why);

    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        if (sscanf(line, "%31s %63s", key, val) != 2)
            continue;
        if (strcmp(key, "caps") == 0) {
            errno = 0;
            cfg.caps = strtoull(val, &end, 16);
            caps = errno == 0 && end != val && *end == '\0' &&
                   (cfg.caps & ~((1ULL << N_CAPS) - 1)) == 0;
        } else if (strcmp(key, "seccomp") == 0) {
            cfg.seccomp = val[0] == '1';
            seccomp = (val[0] == '0' || val[0] == '1') && val[1] == '\0';
        }
    }
    if (f != NULL)
        fclose(f);
    if (!caps || !seccomp)
        die(0, "stop it and start it again with this run",
            "--exec: the record of %s has no valid capability set and "
            "seccomp setting (%s)",
            name, path);
    say("exec: the container's hardening, from its record: capabilities "
        "%016llx, seccomp %s; not this command line's",
        cfg.caps, cfg.seccomp ? "on" : "off");
}

/*
 * --exec NAME: run a command in a running container, as docker exec and
 * nsenter do. Into its cgroups first (as the host's root), then into each
 * of its namespaces with setns(2) on /proc/PID/ns/X, the user namespace
 * last (after it, the host's privileges are gone). A PID namespace takes
 * only the children of the process that joins it: the command is a
 * child, forked after. It gets the same hardening as the container's own
 * PID 1: the same capabilities and seccomp setting.
 *
 * Until it execs the command, the process that joins is the runtime, host
 * root with the host's memory and environment, in the container's
 * namespaces: first PR_SET_DUMPABLE 0 (runc's CVE-2016-9962, where the
 * container's root ptraced the joining runc init and used its descriptors
 * to the host). A process that is not dumpable can be traced, and its
 * /proc/PID/mem, environ and fd opened, only by a holder of CAP_SYS_PTRACE
 * over the host's user namespace, which no container has. The child
 * inherits it; execve() of the command makes the command dumpable again,
 * the container's own.
 */
static int
exec_in(const char *name)
{
    static const char *const order[] = {"ipc",  "uts",    "net", "pid",
                                        "time", "cgroup", "mnt", "user"};
    char path[PATH_MAX], joined[128] = "";
    struct stat ours, theirs;
    int fd[sizeof(order) / sizeof(order[0])];
    pid_t child;
    size_t i;

    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
        die(errno, NULL, "prctl(PR_SET_DUMPABLE, 0)");
    say("exec: prctl(PR_SET_DUMPABLE, 0): until it is the command, the "
        "container cannot trace this process or read its /proc/PID/mem");
    snprintf(path, sizeof(path), STATE_DIR "/%s.ct", name);
    if (access(path, F_OK) != 0)
        die(ENOENT, "see the running containers with --list",
            "--exec: no container %s", name);
    state_lock();
    open_hierarchies();
    if (load_record(path) != 1 || init_pid <= 0 || gone(init_pid))
        die(ENOENT, "see the running containers with --list",
            "--exec: no running container %s", name);
    load_hardening(path, name);
    join_cgroups(getpid());
    cg.record[0] = '\0';
    unmount_private();
    state_unlock();
    say("exec: joined the cgroups of %s (PID 1 is %d on the host)", name,
        (int)init_pid);
    /* Every namespace is opened first: after setns(mnt), /proc is the
       container's, where this process has no /proc/self. */
    cfg.userns = 0;
    for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        fd[i] = -1;
        snprintf(path, sizeof(path), "/proc/self/ns/%s", order[i]);
        if (stat(path, &ours) == -1)
            continue; /* not in this kernel */
        snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)init_pid, order[i]);
        if (stat(path, &theirs) == -1)
            die(errno, NULL, "stat %s", path);
        if (ours.st_ino == theirs.st_ino && ours.st_dev == theirs.st_dev)
            continue; /* shared with the host: --no-userns, say */
        if ((fd[i] = open(path, O_RDONLY | O_CLOEXEC)) == -1)
            die(errno, NULL, "open %s", path);
        if (strcmp(order[i], "user") == 0) {
            cfg.userns = 1;
            read_id_map(init_pid);
        }
    }
    for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        if (fd[i] == -1)
            continue;
        if (setns(fd[i], 0) == -1)
            die(errno, NULL, "setns(/proc/%d/ns/%s)", (int)init_pid, order[i]);
        close(fd[i]);
        snprintf(joined + strlen(joined), sizeof(joined) - strlen(joined),
                 "%s%s", joined[0] ? " " : "", order[i]);
    }
    say("exec: setns(2) into its namespaces: %s", joined);
    if (pipe2(sync_pipe, O_CLOEXEC) == -1)
        die(errno, NULL, "pipe2");
    open_tty_sock();
    child = fork();
    if (child == -1)
        die(errno, NULL, "fork");
    if (child == 0) {
        side = "exec: ";
        close(sync_pipe[1]);
        if (cfg.userns)
            become_root();
        keep_pdeathsig();
        reset_env();
        setup_terminal();
        harden();
        exec_command(cfg.argv);
    }
    close(sync_pipe[0]);
    child_pid = child;
    forward_signals();
    if (use_tty)
        take_terminal();
    if (tty_master != -1)
        relay(child);
    return wait_child(child);
}

/* --list or --exec: a container by its name, not a new one. */
int
by_name(char **argv)
{
    if (cfg.list)
        return list_containers();
    run_from_sealed_copy(argv);
    return exec_in(cfg.exec);
}
