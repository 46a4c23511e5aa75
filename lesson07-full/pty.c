/*
 * pty.c: a terminal of its own: a pty of the container's devpts, its master
 * passed to the runtime, which relays.
 *
 * From lesson07-full on. Read: pty(7), termios(3), ioctl_tty(2), unix(7)
 * (SCM_RIGHTS).
 */
#include "run.h"

/*
 * In lessons 01 to 06 the container shared the terminal the runtime was
 * started on, and had it as its controlling terminal: ioctl(TIOCSTI) on
 * /dev/tty pushes bytes into a terminal's input as if they were typed, and
 * the host's shell reads them once the container exits and runs them, as
 * root (bubblewrap's CVE-2017-5226; runc gives a container a console of its
 * own for the same reason, and docker run -t asks for one). So, when the
 * runtime's stdin and stdout are a terminal, the container gets a
 * pseudo-terminal from its own devpts instance (rootfs.c's
 * mount_kernel_fs()): its /dev/pts/0, whose line discipline turns Ctrl-C,
 * Ctrl-Z and Ctrl-\ into signals for the container's foreground process
 * group, as a terminal does for any shell. The runtime puts the host's
 * terminal in raw mode, so that those bytes reach the container
 * uninterpreted, and relays between the two until the container exits; a
 * window size change (SIGWINCH) is passed on with TIOCSWINSZ. Without a
 * terminal the container still gets setsid(2): a session of its own and no
 * controlling terminal, so /dev/tty opens nothing of the host's.
 *
 * The child opens /dev/ptmx once its root is set up, in its own mount and
 * user namespaces: the pty belongs to the container's devpts, its slave to
 * the container's root. It passes the master to the runtime over a
 * socketpair (SCM_RIGHTS, as runc's --console-socket does): the runtime
 * never walks a path that the container could have changed, such as
 * /proc/PID/root/dev/ptmx, nor mounts anything for it. A runtime killed
 * with SIGKILL cannot restore the host's terminal: `stty sane` does.
 *
 * So no terminal signals the container behind the runtime's back any more
 * (forward_signal()): with a terminal of its own, Ctrl-C is a byte that the
 * relay passes on and the container's terminal turns into SIGINT for the
 * container's foreground group; without one, the Ctrl-C of the terminal the
 * runtime runs on signals the runtime's group only, and the runtime passes
 * it on like any other. A hangup's SIGHUP goes to the session leader, which
 * may be the runtime.
 */
int use_tty;                     /* stdin and stdout are a terminal */
int tty_sock[2] = {-1, -1};      /* the child sends the master over it */
int tty_master = -1;             /* the runtime's end of the pty */
static int tty_raw;              /* the host's terminal is raw now */
static struct termios tty_saved; /* ... and was this before */
static volatile sig_atomic_t tty_resized;

/* With a terminal, the socketpair the child sends its pty's master
   over. */
void
open_tty_sock(void)
{
    if (use_tty &&
        socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, tty_sock) == -1)
        die(errno, NULL, "socketpair");
}

/* One descriptor over a Unix socket, as SCM_RIGHTS ancillary data. */
static void
send_fd(int sock, int fd)
{
    char data = 't';
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } u;
    struct iovec iov = {&data, 1};
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = u.buf,
                         .msg_controllen = sizeof(u.buf)};
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

    memset(u.buf, 0, sizeof(u.buf));
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    if (sendmsg(sock, &msg, 0) != 1)
        die(errno, NULL, "%ssend the terminal's master (SCM_RIGHTS)", side);
}

/* The descriptor sent, or -1 if the sender closed its end first. */
static int
recv_fd(int sock)
{
    char data;
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } u;
    struct iovec iov = {&data, 1};
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = u.buf,
                         .msg_controllen = sizeof(u.buf)};
    struct cmsghdr *c;
    ssize_t n;
    int fd;

    while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) == -1 && errno == EINTR)
        ;
    if (n == -1)
        die(errno, NULL, "receive the terminal's master (SCM_RIGHTS)");
    c = CMSG_FIRSTHDR(&msg);
    if (n == 0 || c == NULL || c->cmsg_type != SCM_RIGHTS)
        return -1; /* the child failed: its status says why */
    memcpy(&fd, CMSG_DATA(c), sizeof(int));
    return fd;
}

/*
 * In the container (its PID 1, or --exec's command), before harden():
 * setsid(2) leaves the host's session and its terminal. With a terminal,
 * a pty of the container's devpts: TIOCSPTLCK unlocks it (unlockpt(3)),
 * TIOCGPTPEER opens its slave from the master itself, with no path to
 * look up (Linux 4.13); TIOCSCTTY makes it this new session's
 * controlling terminal, and it becomes 0, 1 and 2.
 */
void
setup_terminal(void)
{
    int master, slave, n = -1, unlock = 0;

    if (setsid() == -1)
        die(errno, NULL, "%ssetsid", side);
    if (!use_tty) {
        say("%ssetsid(): a session of its own, with no controlling "
            "terminal: /dev/tty opens nothing of the host's",
            side);
        return;
    }
    master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master == -1 || ioctl(master, TIOCGPTN, &n) == -1 ||
        ioctl(master, TIOCSPTLCK, &unlock) == -1)
        die(errno, NULL, "%sopen the container's /dev/ptmx", side);
    slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave == -1)
        die(errno, errno == EINVAL ? "TIOCGPTPEER needs Linux 4.13" : NULL,
            "%sioctl(TIOCGPTPEER)", side);
    send_fd(tty_sock[1], master);
    close(master);
    close(tty_sock[1]);
    if (ioctl(slave, TIOCSCTTY, 0) == -1)
        die(errno, NULL, "%sioctl(TIOCSCTTY)", side);
    say("%s/dev/ptmx of its own devpts: /dev/pts/%d; setsid() and "
        "TIOCSCTTY make it the controlling terminal, dup2() makes it 0, 1 "
        "and 2; the master went to the runtime (SCM_RIGHTS)",
        side, n);
    if (dup2(slave, STDIN_FILENO) == -1 || dup2(slave, STDOUT_FILENO) == -1 ||
        dup2(slave, STDERR_FILENO) == -1)
        die(errno, NULL, "%sdup2 the terminal onto 0, 1, 2", side);
    close(slave);
}

/* atexit(3), and at the end of relay(): the host's terminal as it was. */
static void
restore_tty(void)
{
    if (tty_raw && tcsetattr(STDIN_FILENO, TCSADRAIN, &tty_saved) == 0)
        tty_raw = 0;
}

/* SIGWINCH, and SIGCHLD, which only has to interrupt ppoll(). */
static void
note_resize(int sig)
{
    if (sig == SIGWINCH)
        tty_resized = 1;
}

/* The host terminal's size, for the container's (its kernel then sends
   SIGWINCH to the container's foreground process group). */
static void
copy_size(void)
{
    struct winsize ws;

    if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
        ioctl(tty_master, TIOCSWINSZ, &ws);
}

/*
 * The runtime, before the child's last byte: take the master, give it the
 * host terminal's size, and make the host's terminal raw: no echo, no line
 * editing, no signals, every byte passed as it is typed (cfmakeraw(3)).
 * Output processing stays on: the runtime's own lines end in \n, the
 * container's terminal already sends \r\n, where one more \r does nothing.
 * The old settings come back at any exit: atexit(3) for exit() and die(),
 * and a signal to the runtime ends the container, and so relay().
 */
void
take_terminal(void)
{
    struct sigaction sa;
    struct termios raw;
    int n = -1;

    close(tty_sock[1]);
    tty_master = recv_fd(tty_sock[0]);
    close(tty_sock[0]);
    if (tty_master == -1)
        return;
    if (fcntl(tty_master, F_SETFL, O_NONBLOCK) == -1)
        die(errno, NULL, "fcntl(O_NONBLOCK) on the terminal's master");
    /* SA_RESTART: a resize must not fail a system call of the runtime's
       (ppoll() is never restarted: it returns EINTR, as relay() wants). */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = note_resize;
    sa.sa_flags = SA_RESTART;
    sigfillset(&sa.sa_mask);
    if (sigaction(SIGWINCH, &sa, NULL) == -1 ||
        sigaction(SIGCHLD, &sa, NULL) == -1)
        die(errno, NULL, "sigaction(SIGWINCH, SIGCHLD)");
    copy_size();
    if (tcgetattr(STDIN_FILENO, &tty_saved) == -1)
        die(errno, NULL, "tcgetattr");
    ioctl(tty_master, TIOCGPTN, &n);
    if (!(tty_saved.c_lflag & (ICANON | ECHO)))
        say("this terminal is raw already: a runtime killed with SIGKILL, "
            "which nothing can catch, leaves it so; `stty sane` restores "
            "it");
    say("a terminal of its own: /dev/pts/%d of the container's devpts; the "
        "host terminal is raw until it exits",
        n);
    say("the runtime relays between the two with poll(2), and passes "
        "SIGWINCH on with TIOCSWINSZ; Ctrl-C is a byte now, which the "
        "container's terminal turns into its SIGINT; a runtime killed "
        "with SIGKILL leaves the host terminal raw: `stty sane`");
    raw = tty_saved;
    cfmakeraw(&raw);
    raw.c_oflag |= OPOST | ONLCR;
    atexit(restore_tty);
    if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) == -1)
        die(errno, NULL, "tcsetattr(raw)");
    tty_raw = 1;
}

/* All of buf to fd; a terminal that hung up loses it. */
static void
write_all(int fd, const char *buf, ssize_t n)
{
    ssize_t w;

    while (n > 0) {
        w = write(fd, buf, (size_t)n);
        if (w == -1 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        buf += w;
        n -= w;
    }
}

/*
 * Host terminal to master, master to host terminal, until the child has
 * exited and what it wrote is read. SIGCHLD and SIGWINCH are blocked but
 * in ppoll(2), which unblocks them while it waits: a signal cannot slip in
 * between a check and the wait. waitid(WNOWAIT) sees the exit and leaves
 * the child to wait_child(). The master is non-blocking, and the host's
 * input waits in `in` until the master takes it (POLLOUT): a container
 * that reads no input can still write its output. Once it is gone the
 * host's input is left for the host's shell; the master is read until it
 * has nothing more (EIO: every slave is closed, or nothing at once:
 * something still holds one).
 */
void
relay(pid_t child)
{
    const struct timespec now = {0, 0};
    struct pollfd p[2];
    sigset_t mask, old;
    siginfo_t si;
    char in[4096], out[4096];
    ssize_t n, in_len = 0, in_off = 0;
    int exited = 0, host_open = 1, master_open = 1, ready, drained = 0;

    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGWINCH);
    sigprocmask(SIG_BLOCK, &mask, &old);
    for (;;) {
        if (tty_resized) {
            tty_resized = 0;
            copy_size();
        }
        memset(&si, 0, sizeof(si));
        if (!exited &&
            waitid(P_PID, (id_t)child, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            si.si_pid == child)
            exited = 1;
        if (exited)
            host_open = 0;
        /* 64 reads at most after the exit: a process that --exec left in
           the container may hold the slave, and write on. */
        if (exited && (!master_open || ++drained > 64))
            break;
        /* Negative descriptors are left out of ppoll(). */
        p[0].fd = host_open && in_len == 0 ? STDIN_FILENO : -1;
        p[0].events = POLLIN;
        p[1].fd = master_open ? tty_master : -1;
        p[1].events = POLLIN | (in_len > 0 ? POLLOUT : 0);
        ready = ppoll(p, 2, exited ? &now : NULL, &old);
        if (ready == -1 && errno == EINTR)
            continue;
        if (ready == -1)
            die(errno, NULL, "ppoll");
        if (ready == 0)
            break; /* exited, and nothing more to read */
        if (p[0].revents != 0) {
            in_len = read(STDIN_FILENO, in, sizeof(in));
            in_off = 0;
            if (in_len <= 0 && (in_len == 0 || errno != EINTR))
                host_open = 0; /* the host's terminal hung up */
            if (in_len < 0)
                in_len = 0;
        }
        if (p[1].revents & POLLOUT) {
            n = write(tty_master, in + in_off, (size_t)(in_len - in_off));
            if (n > 0)
                in_off += n;
            if (in_off == in_len || (n == -1 && errno != EAGAIN))
                in_len = 0; /* all taken, or no slave to take it */
        }
        if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            n = read(tty_master, out, sizeof(out));
            if (n > 0)
                write_all(STDOUT_FILENO, out, n);
            else if (n == 0 || (errno != EINTR && errno != EAGAIN))
                master_open = 0; /* every slave closed: wait for the exit */
        }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    restore_tty();
}

/* --init's command, in the child it forked: with a terminal, the
   command's own process group is its foreground one (as tini does):
   Ctrl-C signals the command, not PID 1 as well. SIGTTOU, blocked, does
   not stop tcsetpgrp(). */
void
take_foreground(void)
{
    if (use_tty &&
        (setpgid(0, 0) == -1 || tcsetpgrp(STDIN_FILENO, getpid()) == -1))
        die(errno, NULL, "init: setpgid, tcsetpgrp");
}
