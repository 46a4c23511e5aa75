/*
 * init.c: --init, a tiny init of our own as PID 1: it runs the command as
 * PID 2, reaps orphans and passes signals on.
 *
 * From lesson02-pid on. Read: pid_namespaces(7), sigwaitinfo(2),
 * waitpid(2), fork(2).
 */
#include "run.h"

/* --init: the child, PID 1 of its namespace, goes on as init_main(). */
static const struct opt init_rows[] = {
    {"init", 0, NULL, "a tiny init is PID 1, the command PID 2", opt_flag,
     FIELD(init)},
    {0},
};
const struct opt_table init_opts = {.rows = init_rows};

/*
 * --init: stay PID 1 and run the command as PID 2, as tini and docker --init
 * do. Every signal is blocked and taken with sigwaitinfo(): a blocked signal
 * is queued for PID 1 rather than dropped, so each one can be passed on to
 * the command. SIGCHLD means a child ended: the command, or an orphan that
 * the kernel gave to PID 1; both are reaped, or they stay zombies.
 */
_Noreturn void
init_main(char **argv)
{
    sigset_t all;
    siginfo_t si;
    pid_t cmd, pid;
    int status;

    sigfillset(&all);
    if (sigprocmask(SIG_BLOCK, &all, NULL) == -1)
        die(errno, NULL, "init: sigprocmask");
    /* PID 1 stays the runtime's binary: not dumpable, so that the
       container's processes (no CAP_SYS_PTRACE) cannot open its
       /proc/1/exe, the host's file (CVE-2019-5736). */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
        die(errno, NULL, "init: prctl(PR_SET_DUMPABLE, 0)");
    cmd = fork();
    if (cmd == -1)
        die(errno, NULL, "init: fork");
    if (cmd == 0) {
        sigprocmask(SIG_UNBLOCK, &all, NULL);
        exec_command(argv);
    }
    say("init: PID 1 runs the command as PID %d, reaps orphans and "
        "forwards signals",
        (int)cmd);
    for (;;) {
        if (sigwaitinfo(&all, &si) == -1) {
            if (errno == EINTR)
                continue;
            die(errno, NULL, "init: sigwaitinfo");
        }
        if (si.si_signo != SIGCHLD) {
            say("init: forwarding signal %d (%s) to PID %d", si.si_signo,
                strsignal(si.si_signo), (int)cmd);
            kill(cmd, si.si_signo);
            continue;
        }
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid != cmd) {
                say("init: reaped orphan PID %d", (int)pid);
                continue;
            }
            /* When PID 1 exits, the kernel kills the rest of the
               namespace with SIGKILL. */
            if (WIFSIGNALED(status))
                exit(128 + WTERMSIG(status));
            exit(WEXITSTATUS(status));
        }
    }
}
