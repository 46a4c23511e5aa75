/*
 * lesson03-mount/run.c: a root filesystem of its own.
 *
 * lesson02 plus CLONE_NEWNS. A new mount namespace starts as a copy of the
 * host's mount table; the child changes its copy: it makes every mount
 * private (so nothing propagates back to the host), turns the rootfs into a
 * mount point, moves it to "/" with pivot_root(2) and detaches the old
 * root, then mounts the kernel's filesystems: /proc for its own PID
 * namespace, /sys read-only, a small /dev, /dev/pts, /dev/shm and /tmp.
 * --chroot uses chroot(2) instead, which only changes what "/" means to the
 * process: chroot-escape, in the rootfs, climbs out of it.
 *
 * Adds:    CLONE_NEWNS, --rootfs DIR, --chroot; the root filesystem, made
 *          private, pivoted into, with the kernel's filesystems and /dev; a
 *          clean environment.
 * Files:   rootfs.c  the core: a private mount tree, pivot_root(2), /proc,
 *                    /dev and /sys, a clean environment
 *          rootfs.h  what the files of the root filesystem share
 * Changes: Makefile, namespaces.c (namespaces), options.c (intro, tables),
 *          run.c (child_main, main), run.h (struct config).
 * Read:    mount_namespaces(7), mount(2), pivot_root(2), umount2(2),
 *          chroot(2), proc(5), sysfs(5), pts(4), and lesson02's pages.
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

    set_hostname();
    say("child: getpid() = %d: the first process of a new PID namespace",
        (int)getpid());
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
    if (pipe2(sync_pipe, O_CLOEXEC) == -1)
        die(errno, NULL, "pipe2");
    find_rootfs();
    note_host_mnt_ns();

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
    uname(&uts);
    say("host: the hostname is still \"%s\"", uts.nodename);
    return status;
}
