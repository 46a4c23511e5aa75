/*
 * lesson05-cgroups/run.c: limits, in a cgroup of its own.
 *
 * lesson04 plus a cgroup. Namespaces decide what a container sees; cgroups
 * decide how much it may use. The runtime makes the container's cgroups
 * before it starts, writes the limits into their control files, moves the
 * child in before it execs, reports what it used at exit and removes them.
 * All ten cgroup v1 subsystems are taught, and pids: blkio, cpu, cpuacct,
 * cpuset, devices, freezer, memory, net_cls, net_prio, hugetlb. On cgroup
 * v2 (one hierarchy, every current distribution) each becomes its v2 form,
 * devices a BPF program; net_cls and net_prio have none, and it says so.
 * v1, hybrid and v2 hosts are found with statfs(2) and /proc/self/mountinfo.
 *
 * Adds:    --memory, --memory-swap, --cpus, --cpu-shares, --cpuset-cpus,
 *          --cpuset-mems, --pids-limit, --blkio-weight, --device-read-bps
 *          and the other throttles, --device, --net-classid, --net-prio,
 *          --hugetlb, --name, --cgroup-parent, --freeze, --thaw; cgroups on
 *          v2, v1 and hybrid hosts, made, limited, joined, reported,
 *          removed and reclaimed.
 * Files:   cgroup.c          the core: the container's cgroup made, limited
 *                            (memory, cpu, pids) and joined, on v2
 *          cgroup_v1.c       the same on v1 and hybrid hosts: a cgroup in
 *                            each hierarchy
 *          cgroup_knobs.c    the other controllers' limits: cpuset, blkio,
 *                            devices, hugetlb, net_cls, net_prio
 *          cgroup_files.c    control files, read and written
 *          cgroup_find.c     the hierarchies found: cgroup v1, hybrid or v2
 *          cgroup_options.c  what --name, --freeze, --thaw, --cgroup-parent
 *                            and the limits take
 *          cgroup_devices.c  devices on v2: a BPF program
 *          cgroup_reclaim.c  after the container: usage, removal, records,
 *                            reclaim
 *          cgroup_freeze.c   --freeze and --thaw
 *          cgroup.h          what the files of cgroups share
 * Changes: Makefile, cleanup.c (cleanup), narrate.c (warn), net_options.c
 *          (net_rows), options.c (intro, tables), run.c (child_main, main),
 *          run.h (struct config, warn.decl).
 * Read:    cgroups(7), the kernel's Documentation/admin-guide/cgroup-v1/
 *          and cgroup-v2.rst, statfs(2), bpf(2), and lesson04's pages.
 */
#include "run.h"

#define EXIT_NOEXEC   126 /* the command exists but cannot be executed */
#define EXIT_NOTFOUND 127 /* the command does not exist */

#define STACK_SIZE (1024 * 1024)

struct config cfg;
static int sync_pipe[2]; /* the parent says "go" to the child through it */
static char child_stack[STACK_SIZE] __attribute__((aligned(16)));

/* ---- the container side ----------------------------------------------- */

static void
set_hostname(void)
{
    if (sethostname(cfg.hostname, strlen(cfg.hostname)) == -1)
        die(errno, NULL, "sethostname(\"%s\")", cfg.hostname);
    say("child: sethostname(\"%s\") renames only its own UTS namespace",
        cfg.hostname);
}

/* Replace this process with the command: 127 if not found, else 126. */
_Noreturn void
exec_command(char **argv)
{
    int err;

    say("%sexecvp(\"%s\"): the container is now the command", side, argv[0]);
    execvp(argv[0], argv);
    err = errno;
    if (err == ENOENT)
        fprintf(stderr, "run: %s: command not found\n", argv[0]);
    else
        fprintf(stderr, "run: %s: cannot execute: %s\n", argv[0],
                strerror(err));
    _exit(err == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC);
}

/* The child, started by clone() in its new namespaces. */
static int
child_main(void *arg)
{
    char go;

    (void)arg;
    side = "child: ";
    /* If the runtime dies, so does the container: nothing outlives it. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
        die(errno, NULL, "prctl(PR_SET_PDEATHSIG)");
    /* Wait until the parent has done its part; EOF means it died. */
    close(sync_pipe[1]);
    if (read(sync_pipe[0], &go, 1) != 1)
        _exit(EXIT_RUNTIME);
    close(sync_pipe[0]);

    /* While the child is the host's root, to the host's files (lesson07's
       user namespace ends that): the cgroup file is root's. */
    apply_net_prio();
    set_hostname();
    say("child: getpid() = %d: the first process of a new PID namespace",
        (int)getpid());
    configure_net();
    private_mounts();
    go_to_root();
    enter_root();
    reset_env();
    if (cfg.init)
        init_main(cfg.argv);
    say("child: the command becomes PID 1; the kernel drops signals it has "
        "no handler for (a shell ignores SIGTERM): --init avoids that");
    exec_command(cfg.argv);
}

/* ---- the host side ---------------------------------------------------- */

/* The container's status as a shell reports it: 128+N for signal N. */
static int
wait_child(pid_t child)
{
    int status;

    while (waitpid(child, &status, 0) == -1) {
        if (errno != EINTR)
            die(errno, NULL, "waitpid(%d)", (int)child);
    }
    alarm(0); /* reaped: its PID may be reused, no SIGKILL for it now */
    if (WIFSIGNALED(status)) {
        say("the container was killed by signal %d (%s): status %d",
            WTERMSIG(status), strsignal(WTERMSIG(status)),
            128 + WTERMSIG(status));
        return 128 + WTERMSIG(status);
    }
    say("the container exited with status %d", WEXITSTATUS(status));
    return WEXITSTATUS(status);
}

int
main(int argc, char **argv)
{
    struct utsname uts;
    const char *flags_text;
    int status, flags;
    pid_t child;

    init_color();
    parse_args(argc, argv, &cfg);
    if (geteuid() != 0)
        die(0, NEED_ROOT, "creating namespaces needs CAP_SYS_ADMIN");
    if (cfg.cleanup)
        return cleanup();
    if (cfg.freeze != NULL || cfg.thaw != NULL)
        return freeze(cfg.freeze ? cfg.freeze : cfg.thaw, cfg.freeze != NULL);
    if (cfg.name == NULL) {
        static char name[32];

        snprintf(name, sizeof(name), PREFIX "%d", (int)getpid());
        cfg.name = name;
    }
    if (pipe2(sync_pipe, O_CLOEXEC) == -1)
        die(errno, NULL, "pipe2");
    find_rootfs();
    note_host_mnt_ns();
    plan_net();
    setup_cgroups();

    uname(&uts);
    say("host: uname() says the hostname is \"%s\"", uts.nodename);
    /* The child runs child_main() on its own stack, which grows down:
       pass its top. SIGCHLD: tell us when it ends, like a forked child. */
    flags = ns_flags(0, &flags_text);
    child = clone(child_main, child_stack + STACK_SIZE, flags | SIGCHLD, NULL);
    if (child == -1)
        die(errno, NULL, "clone(%s)", flags_text);
    say("clone(%s | SIGCHLD) started the child, PID %d on the host", flags_text,
        (int)child);
    child_pid = child;
    forward_signals();
    show_namespaces(child);
    connect_net(child);
    join_cgroups(child);

    /* "go"; the write end stays open while the runtime lives: a child can
       see it close if the runtime dies (lesson07's keep_pdeathsig()). A
       child that failed has closed its end: EPIPE, not SIGPIPE (the
       runtime's dispositions are no longer the child's), and its status
       says why. */
    close(sync_pipe[0]);
    signal(SIGPIPE, SIG_IGN);
    if (write(sync_pipe[1], "g", 1) != 1 && errno != EPIPE)
        die(errno, NULL, "write to the child's sync pipe");

    status = wait_child(child);
    disconnect_net();
    report_usage();
    uname(&uts);
    say("host: the hostname is still \"%s\"", uts.nodename);
    return status;
}
