/*
 * signals.c: the runtime passes SIGINT, SIGTERM and SIGHUP on to the
 * container's PID 1, and a second one as SIGKILL.
 *
 * From lesson02-pid on. Read: signal(7), sigaction(2), alarm(2).
 */
#include "run.h"

/* After SIGHUP, seconds before SIGKILL: see forward_signal(). */
#define HANGUP_GRACE      2
#define HANGUP_GRACE_TEXT "2"
pid_t child_pid; /* the container's PID 1, as the host sees it */
static volatile sig_atomic_t signals_forwarded;

/*
 * SIGINT, SIGTERM and SIGHUP sent to the runtime are passed on to the
 * container's PID 1. If it has no handler, the kernel drops them; so a
 * second one is sent as SIGKILL, which the kernel always delivers when it
 * comes from an ancestor PID namespace. After a hangup nobody may be left
 * to send it again, so SIGHUP also sets an alarm: if the container is
 * still there HANGUP_GRACE seconds later, SIGALRM makes it SIGKILL (docker
 * stop waits 10 s after SIGTERM). Only kill(2), alarm(2) and write(2)
 * here: they are safe in a signal handler, stdio is not.
 */
static void
forward_signal(int sig)
{
    static const char first[] =
        "==> runtime: passed the signal on to the container's PID 1; "
        "without a handler there, the kernel drops it (send it again to "
        "SIGKILL)\n";
    static const char to_init[] =
        "==> runtime: passed the signal on to the container's init, which "
        "passes it to the command (send it again to SIGKILL)\n";
    static const char again[] =
        "==> runtime: signalled again: SIGKILL to the container\n";
    static const char hangup[] =
        "==> runtime: passed SIGHUP on; after a hangup nobody may be left "
        "to send it again: SIGKILL if the container is still there "
        "in " HANGUP_GRACE_TEXT " s\n";
    static const char late[] =
        "==> runtime: the container outlived the hangup: SIGKILL\n";
    const char *msg;
    int saved = errno;

    if (sig == SIGALRM) {
        sig = SIGKILL;
        msg = late;
    } else if (signals_forwarded++ > 0) {
        sig = SIGKILL;
        msg = again;
    } else if (sig == SIGHUP) {
        alarm(HANGUP_GRACE);
        msg = hangup;
    } else {
        msg = cfg.init ? to_init : first;
    }
    kill(child_pid, sig);
    if (!cfg.quiet)
        (void)!write(STDERR_FILENO, msg, strlen(msg));
    errno = saved;
}

void
forward_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGALRM};
    struct sigaction sa;
    size_t i;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = forward_signal;
    sigfillset(&sa.sa_mask);
    for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        if (sigaction(sigs[i], &sa, NULL) == -1)
            die(errno, NULL, "sigaction(%s)", strsignal(sigs[i]));
    }
}
