/*
 * lesson07-full/run.c: the complete container, hardened.
 *
 * lesson06 plus the last two namespaces and the hardening real runtimes
 * add. CLONE_NEWIPC gives the container its own System V objects and
 * POSIX message queues. CLONE_NEWUSER makes its root an ordinary user on
 * the host (100000 by default): root inside, nobody outside, so a hole in
 * everything else still leaves an unprivileged process. Then the container
 * keeps only Docker's 14 capabilities, sets no_new_privs, and a seccomp
 * filter, classic BPF built here, allows only the system calls of
 * Docker's default profile: any other fails with ENOSYS or EPERM. Parts
 * of /proc and /sys are masked or made read-only, a cgroup namespace
 * shows the container its own cgroup as /, a time namespace gives it its
 * own boot time. Containers have names: --list shows them, --exec runs a
 * command in one with setns(2), as docker exec does.
 *
 * Adds:    --userns MAP, --no-userns, --cap-add, --cap-drop, --seccomp,
 *          --list, --exec NAME (not dumpable, from a sealed copy, with the
 *          container's own capabilities and seccomp); the user and time
 *          namespaces, capabilities, a seccomp allow-list and masked paths
 *          (parse_map .. exec_in); a terminal of its own, as docker run -t
 *          gives: when stdin and stdout are a terminal, a pty of the
 *          container's devpts, relayed by the runtime, and setsid(2) always
 *          (send_fd .. relay).
 * Files:   userns.c         the core: the user namespace, its ID maps; the
 *                           time namespace
 *          caps.c           capabilities: the bounding set, the ones kept
 *          harden.c         no_new_privs, the seccomp allow-list, the
 *                           descriptors closed
 *          masks.c          the parts of /proc and /sys masked or read-only
 *          pty.c            a terminal of its own, relayed by the runtime
 *          exec.c           --list and --exec: containers by name
 *          cgroup_cpuset.c  the v1 cpuset cgroup, made while the child works
 *          harden.h         what the files of the hardening share
 * Changes: Makefile, cgroup.h (enum_O_NAME), cgroup_reclaim.c (load_record),
 *          cgroup_v1.c (create_cgroups_v1), commit.c (commit_one,
 *          reclaim_container_dirs), image.c (load_image,
 *          make_container_dirs, mount_overlay, remove_container_dirs),
 *          init.c (init_main), namespaces.c (line12, ns_names,
 *          show_namespaces), net.h (gone.decl, start_time.decl), options.c
 *          (parse_args, usage), rootfs.c (enter_root, kernel_fs, make_dev,
 *          mount_kernel_fs, prepare_root, root_mounted, saved_cwd), run.c
 *          (CLONE_FLAGS_TEXT, child_main, clone_flags, exec_command, main,
 *          sync_pipe, wait_child), run.h (struct config, sync_pipe,
 *          wait_child.decl), signals.c (forward_signal), state.c
 *          (start_time), tar.c (unpack).
 * Read:    user_namespaces(7), capabilities(7), seccomp(2), prctl(2),
 *          personality(2), setns(2), ipc_namespaces(7), cgroup_namespaces(7),
 *          time_namespaces(7), pty(7), termios(3), ioctl_tty(2),
 *          unix(7) (SCM_RIGHTS), memfd_create(2), and lesson06's pages.
 */
#include "run.h"

#define EXIT_NOEXEC   126 /* the command exists but cannot be executed */
#define EXIT_NOTFOUND 127 /* the command does not exist */

#define STACK_SIZE (1024 * 1024)

struct config cfg;
static char child_stack[STACK_SIZE] __attribute__((aligned(16)));
static const int clone_flags =
    CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET;
#define CLONE_FLAGS_TEXT                                                       \
    "CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNS | "              \
    "CLONE_NEWNET"

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

    /* Still the host's root (to the host's files): the cgroup file is
       root's. */
    apply_net_prio();
    if (cfg.userns) {
        become_root();
        keep_pdeathsig();
    }
    set_hostname();
    say("child: getpid() = %d: the first process of a new PID namespace",
        (int)getpid());
    configure_net();
    enter_root();
    reset_env();
    setup_terminal();
    /* The runtime makes its cpuset cgroup meanwhile (make_cpuset()). */
    if (read(sync_pipe[0], &go, 1) != 1)
        _exit(EXIT_RUNTIME);
    /* Now in all its cgroups: a cgroup namespace made now has them as
       its root. */
    if (access("/proc/self/ns/cgroup", F_OK) != 0)
        say("child: this kernel has no cgroup namespace (Linux 4.6): "
            "/proc/self/cgroup shows the host's paths");
    else if (unshare(CLONE_NEWCGROUP) == -1)
        die(errno, NULL, "unshare(CLONE_NEWCGROUP)");
    else
        say("child: unshare(CLONE_NEWCGROUP): /proc/self/cgroup shows the "
            "container's cgroup as /");
    harden();
    if (cfg.init)
        init_main(cfg.argv);
    say("child: the command becomes PID 1; the kernel drops signals it has "
        "no handler for (a shell ignores SIGTERM): --init avoids that");
    exec_command(cfg.argv);
}

/* ---- the host side ---------------------------------------------------- */

/* The container's status as a shell reports it: 128+N for signal N. */
int
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
    static char manifest[PATH_MAX];
    struct utsname uts;
    const char *nocolor;
    int status, flags;
    pid_t child;

    nocolor = getenv("NO_COLOR"); /* no-color.org: set and not empty */
    color = isatty(STDERR_FILENO) && (nocolor == NULL || *nocolor == '\0');
    parse_args(argc, argv, &cfg);
    use_tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    if (geteuid() != 0)
        die(0, NEED_ROOT, "creating namespaces needs CAP_SYS_ADMIN");
    if (cfg.cleanup)
        return cleanup();
    if (cfg.freeze != NULL || cfg.thaw != NULL)
        return freeze(cfg.freeze ? cfg.freeze : cfg.thaw, cfg.freeze != NULL);
    if (cfg.list)
        return list_containers();
    if (cfg.exec != NULL) {
        run_from_sealed_copy(argv);
        return exec_in(cfg.exec);
    }
    if (cfg.name == NULL) {
        static char name[32];

        snprintf(name, sizeof(name), PREFIX "%d", (int)getpid());
        cfg.name = name;
    }
    if (cfg.userns && access("/proc/self/ns/user", F_OK) != 0)
        die(0, "a kernel with CONFIG_USER_NS, or --no-userns",
            "this kernel has no user namespaces");
    if (pipe2(sync_pipe, O_CLOEXEC) == -1 ||
        (use_tty &&
         socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, tty_sock) == -1))
        die(errno, NULL, "pipe2, socketpair");
    if (cfg.image == NULL && cfg.rootfs == NULL) {
        beside_exe("image/manifest", manifest);
        cfg.image = manifest;
    }
    if (cfg.image != NULL) {
        load_image();
        make_container_dirs();
    } else {
        find_rootfs();
    }
    if (stat("/proc/self/ns/mnt", &host_mnt_ns) == -1)
        die(errno, NULL, "stat /proc/self/ns/mnt");
    plan_net();
    setup_cgroups();
    setup_time_ns();
    prepare_root();

    uname(&uts);
    say("host: uname() says the hostname is \"%s\"", uts.nodename);
    /* The child runs child_main() on its own stack, which grows down:
       pass its top. SIGCHLD: tell us when it ends, like a forked child.
       With CLONE_NEWUSER, the new user namespace is made first and owns
       the others: the child's capabilities reach them, and no further. */
    flags = clone_flags | (cfg.userns ? CLONE_NEWUSER : 0);
    child = clone(child_main, child_stack + STACK_SIZE, flags | SIGCHLD, NULL);
    if (child == -1)
        die(errno,
            cfg.userns && (errno == ENOSPC || errno == EPERM)
                ? "the host forbids user namespaces (sysctl "
                  "user.max_user_namespaces, or a security module): "
                  "--no-userns"
                : NULL,
            "clone(%s" CLONE_FLAGS_TEXT ")",
            cfg.userns ? "CLONE_NEWUSER | " : "");
    say("clone(%s" CLONE_FLAGS_TEXT " | SIGCHLD) started the child, PID %d "
        "on the host",
        cfg.userns ? "CLONE_NEWUSER | " : "", (int)child);
    child_pid = child;
    if (fchdir(saved_cwd) == -1)
        die(errno, NULL, "fchdir back to the runtime's cwd");
    forward_signals();
    if (cfg.userns)
        write_id_maps(child);
    show_namespaces(child);
    connect_net(child);
    join_cgroups(child);
    record_init(child);

    /* "go"; the write end stays open while the runtime lives: the child
       sees it close if the runtime dies (see keep_pdeathsig()). A child
       that failed has closed its end: EPIPE, not SIGPIPE (the runtime's
       dispositions are no longer the child's), and its status says why. */
    close(sync_pipe[0]);
    signal(SIGPIPE, SIG_IGN);
    if (write(sync_pipe[1], "g", 1) != 1 && errno != EPIPE)
        die(errno, NULL, "write to the child's sync pipe");
    /* The child has a copy of the root's mount, in its own namespace:
       the runtime's goes now, while the child works. An unmount waits for
       an RCU grace period; at exit, it would make the exit that slower. */
    if (umount2(cfg.rootfs, MNT_DETACH) == -1)
        die(errno, NULL, "umount2(%s, MNT_DETACH)", cfg.rootfs);
    root_mounted = 0;
    make_cpuset(child);
    if (use_tty)
        take_terminal();
    if (write(sync_pipe[1], "x", 1) != 1 && errno != EPIPE)
        die(errno, NULL, "write to the child's sync pipe");

    if (tty_master != -1)
        relay(child);
    status = wait_child(child);
    disconnect_net();
    report_usage();
    commit_layer();
    uname(&uts);
    say("host: the hostname is still \"%s\"", uts.nodename);
    return status;
}
