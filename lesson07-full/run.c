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
 *          container's own capabilities and seccomp); the user, IPC, time
 *          and cgroup namespaces, capabilities, no_new_privs, a seccomp
 *          allow-list and masked paths; a terminal of its own, as docker
 *          run -t gives: when stdin and stdout are a terminal, a pty of the
 *          container's devpts, relayed by the runtime, and setsid(2)
 *          always.
 * Files:   userns.c          the core: the user namespace, its ID maps; the
 *                            time and cgroup namespaces
 *          userns_root.c     the root prepared by the runtime (with or
 *                            without a user namespace), /dev's nodes and
 *                            the layers' owners under one
 *          harden.c          the last steps before exec: descriptors
 *                            closed, capabilities dropped, seccomp loaded
 *          caps.c            capabilities: the bounding set, the ones kept
 *          seccomp.c         no_new_privs and the seccomp allow-list, a BPF
 *                            program
 *          cgroup_cpuset.c   the v1 cpuset cgroup, made while the child
 *                            works
 *          masks.c           the parts of /proc and /sys masked or
 *                            read-only
 *          pty.c             a terminal of its own, relayed by the runtime
 *          exec.c            --list and --exec: containers by name
 *          harden_options.c  the options of the hardening, --list and
 *                            --exec
 *          harden.h          what the files of the hardening share
 * Changes: Makefile, cgroup.h (defer_cpuset.decl, make_cpuset.decl),
 *          cgroup_reclaim.c (load_record), cgroup_v1.c (create_cgroups_v1),
 *          commit.c (commit_one), image.c (load_image, make_container_dirs,
 *          remove_container_dirs), image_options.c (image_check,
 *          image_rows), init.c (init_main), namespaces.c (namespaces),
 *          options.c (intro, tables), rootfs.c (make_dev, mount_kernel_fs),
 *          run.c (child_main, main, sync_pipe, wait_child), run.h (struct
 *          config, sync_pipe, wait_child.decl), tar.c (unpack).
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
int sync_pipe[2]; /* the parent says "go" to the child through it */
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

    /* While the child is the host's root, to the host's files (lesson07's
       user namespace ends that): the cgroup file is root's. */
    apply_net_prio();
    enter_userns();
    set_hostname();
    say("child: getpid() = %d: the first process of a new PID namespace",
        (int)getpid());
    configure_net();
    private_mounts();
    enter_root(); /* prepare_root() did go_to_root()'s work, in the runtime */
    mask_paths();
    reset_env();
    setup_terminal();
    /* The runtime makes its cpuset cgroup meanwhile (make_cpuset()). */
    if (read(sync_pipe[0], &go, 1) != 1)
        _exit(EXIT_RUNTIME);
    enter_cgroup_ns();
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
    const char *flags_text;
    int status, flags;
    pid_t child;

    init_color();
    parse_args(argc, argv, &cfg);
    use_tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    if (geteuid() != 0)
        die(0, NEED_ROOT, "creating namespaces needs CAP_SYS_ADMIN");
    if (cfg.cleanup)
        return cleanup();
    if (cfg.freeze != NULL || cfg.thaw != NULL)
        return freeze(cfg.freeze ? cfg.freeze : cfg.thaw, cfg.freeze != NULL);
    if (cfg.list || cfg.exec != NULL)
        return by_name(argv);
    if (cfg.name == NULL) {
        static char name[32];

        snprintf(name, sizeof(name), PREFIX "%d", (int)getpid());
        cfg.name = name;
    }
    check_userns();
    if (pipe2(sync_pipe, O_CLOEXEC) == -1)
        die(errno, NULL, "pipe2");
    open_tty_sock();
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
    note_host_mnt_ns();
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
    flags = ns_flags(cfg.userns ? 0 : CLONE_NEWUSER, &flags_text);
    child = clone(child_main, child_stack + STACK_SIZE, flags | SIGCHLD, NULL);
    if (child == -1)
        die(errno, userns_fix(errno), "clone(%s)", flags_text);
    say("clone(%s | SIGCHLD) started the child, PID %d on the host", flags_text,
        (int)child);
    child_pid = child;
    forward_signals();
    if (cfg.userns)
        write_id_maps(child);
    show_namespaces(child);
    connect_net(child);
    join_cgroups(child);
    record_init(child);

    /* "go"; the write end stays open while the runtime lives: a child can
       see it close if the runtime dies (lesson07's keep_pdeathsig()). A
       child that failed has closed its end: EPIPE, not SIGPIPE (the
       runtime's dispositions are no longer the child's), and its status
       says why. */
    close(sync_pipe[0]);
    signal(SIGPIPE, SIG_IGN);
    if (write(sync_pipe[1], "g", 1) != 1 && errno != EPIPE)
        die(errno, NULL, "write to the child's sync pipe");
    release_root();
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
