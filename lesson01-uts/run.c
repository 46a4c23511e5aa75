/*
 * lesson01-uts/run.c: a process with a hostname of its own.
 *
 * A container is an ordinary process to which the kernel shows its own view
 * of the system. The smallest view is the hostname, held in a UTS namespace
 * (after struct utsname, which uname(2) fills). clone(2) with CLONE_NEWUTS
 * starts the child in a new one, copied from ours; the child renames its
 * copy and the host keeps its name.
 *
 * Adds:    clone(2) with CLONE_NEWUTS, sethostname(2) in the child, the
 *          namespace's identity in /proc/PID/ns/uts.
 * Files:   run.c         the story of one run: clone(2) with CLONE_NEWUTS,
 *                        sethostname(2) in the child, the wait
 *          namespaces.c  the namespaces as rows: clone(2)'s flags, and the
 *                        child's beside the host's in /proc/PID/ns
 *          narrate.c     say(), tell() and die(): a line a step (its
 *                        every system call with -v), and errors that
 *                        name their fix
 *          options.c     the command line
 *          run.h         what the files share
 * Changes: nothing; this is the first lesson.
 * Read:    clone(2), namespaces(7), uts_namespaces(7), sethostname(2),
 *          uname(2), execvp(3), waitpid(2), prctl(2)
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
static _Noreturn void
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
