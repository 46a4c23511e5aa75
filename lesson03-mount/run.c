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
 * Adds:    CLONE_NEWNS, --rootfs DIR, --chroot, the root filesystem
 *          (rootfs_beside .. enter_root), a clean environment (reset_env).
 * Changes: ns_names, clone_flags, CLONE_FLAGS_TEXT, struct config, usage,
 *          parse_args, child_main, main.
 * Read:    mount_namespaces(7), mount(2), pivot_root(2), umount2(2),
 *          chroot(2), proc(5), sysfs(5), pts(4), and lesson02's pages.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

/* Exit codes as docker and podman use them; otherwise the command's own. */
#define EXIT_RUNTIME  125 /* the runtime itself failed */
#define EXIT_NOEXEC   126 /* the command exists but cannot be executed */
#define EXIT_NOTFOUND 127 /* the command does not exist */

#define STACK_SIZE (1024 * 1024)
#define NEED_ROOT  "needs root: run with sudo"
#define MAKE_ROOTFS                                                            \
    "build it with `make rootfs`, or pass --rootfs DIR (a directory with "     \
    "a static busybox in bin/)"

/* After SIGHUP, seconds before SIGKILL: see forward_signal(). */
#define HANGUP_GRACE      2
#define HANGUP_GRACE_TEXT "2"

struct config {
    const char *hostname; /* the container's hostname */
    char **argv;          /* the container's command, NULL-terminated */
    int quiet;            /* -q: no narration */
    int init;             /* --init: our own init is PID 1 */
    const char *rootfs;   /* --rootfs: the container's root directory */
    int chroot;           /* --chroot: chroot(2) instead of pivot_root(2) */
};

static struct config cfg;
static int color;        /* colour narration: stderr is a tty, no NO_COLOR */
static int sync_pipe[2]; /* the parent says "go" to the child through it */
static pid_t child_pid;  /* the container's PID 1, as the host sees it */
static struct stat host_mnt_ns; /* the host's /proc/self/ns/mnt */
static volatile sig_atomic_t signals_forwarded;
static char child_stack[STACK_SIZE] __attribute__((aligned(16)));

/* The namespaces this lesson creates, as named in /proc/PID/ns. */
static const char *const ns_names[] = {"uts", "pid", "mnt", NULL};
static const int clone_flags = CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWNS;
#define CLONE_FLAGS_TEXT "CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWNS"

/* ---- narration and errors ------------------------------------------ */

/* Checked like printf(3): the compiler warns when the arguments do not
   match the format. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static _Noreturn void die(int err, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static _Noreturn void bad_usage(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static const char *
paint(const char *code)
{
    return color ? code : "";
}

/* Narrate one step: what is done, with which syscall or file, and why.
   One write(2) a line, so that lines written at once (by the init and the
   command, say) do not mix. */
static void
say(const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    int n;

    if (cfg.quiet)
        return;
    n = snprintf(line, sizeof(line) - 1, "%s==>%s ", paint("\033[1;36m"),
                 paint("\033[0m"));
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - 1 - n, fmt, ap);
    va_end(ap);
    strcat(line, "\n");
    (void)!write(STDERR_FILENO, line, strlen(line));
}

/* The usual fix for an errno, when the caller knows no better one. */
static const char *
fix_for(int err)
{
    switch (err) {
    case EPERM:
    case EACCES:
        if (geteuid() != 0)
            return NEED_ROOT;
        return "a security module (AppArmor, SELinux, seccomp) or the "
               "container you are in forbids it: see `make doctor`";
    case ENOSPC:
        return "too many namespaces: raise /proc/sys/user/max_*_namespaces";
    case EINVAL:
        return "the kernel lacks this feature: see `make doctor`";
    default:
        return NULL;
    }
}

/* "run: WHAT: ERRNO TEXT" and a line with the fix, on stderr. */
static void
report(int err, const char *fix, const char *fmt, va_list ap)
{
    fprintf(stderr, "%srun: ", paint("\033[1;31m"));
    vfprintf(stderr, fmt, ap);
    if (err != 0)
        fprintf(stderr, ": %s", strerror(err));
    fprintf(stderr, "%s\n", paint("\033[0m"));
    if (fix == NULL)
        fix = fix_for(err);
    if (fix != NULL)
        fprintf(stderr, "     fix: %s\n", fix);
}

/*
 * The one way this runtime fails: name the step, the errno text (err may be
 * 0) and the fix (NULL: the usual one for err), then exit 125.
 */
static _Noreturn void
die(int err, const char *fix, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(err, fix, fmt, ap);
    va_end(ap);
    exit(EXIT_RUNTIME);
}

/* ---- options ------------------------------------------------------- */

static void
usage(FILE *out)
{
    fputs(
        "usage: run [OPTIONS] [--] [COMMAND [ARG...]]\n"
        "Run COMMAND (default /bin/sh) in new UTS, PID and mount namespaces,\n"
        "with the directory ROOTFS as its root.\n"
        "\n"
        "  -q, --quiet          no narration\n"
        "      --hostname NAME  the container's hostname (default: container)\n"
        "      --init           a tiny init is PID 1, the command PID 2\n"
        "      --rootfs DIR     the container's root (default: build/rootfs)\n"
        "      --chroot         chroot(2), not pivot_root(2): to compare\n"
        "  -h, --help           this help\n"
        "\n"
        "Words after the options are the command's, even if they start\n"
        "with '-'. Exit status: the command's, 128+N if it was killed by\n"
        "signal N; 125 if the runtime fails, 126 if the command cannot be\n"
        "executed, 127 if it is not found.\n",
        out);
}

/* sethostname(2) takes up to HOST_NAME_MAX bytes; DNS (RFC 1123) less. */
static const char *
check_hostname(const char *name)
{
    size_t len = strlen(name);
    size_t i;

    if (len == 0)
        return "is empty";
    if (len > HOST_NAME_MAX)
        return "is longer than 64 bytes (HOST_NAME_MAX)";
    for (i = 0; i < len; i++) {
        if (strchr("abcdefghijklmnopqrstuvwxyz"
                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.",
                   name[i]) == NULL)
            return "may hold only letters, digits, '-' and '.'";
    }
    if (name[0] == '-' || name[0] == '.')
        return "may not start with '-' or '.'";
    return NULL;
}

/* A usage error: one line, a pointer to --help, exit 125. */
static _Noreturn void
bad_usage(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(0, "see run --help", fmt, ap);
    va_end(ap);
    exit(EXIT_RUNTIME);
}

static void
parse_args(int argc, char **argv, struct config *c)
{
    static const struct option longopts[] = {
        {"quiet", no_argument, NULL, 'q'},
        {"hostname", required_argument, NULL, 'H'},
        {"init", no_argument, NULL, 'I'},
        {"rootfs", required_argument, NULL, 'R'},
        {"chroot", no_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static char *default_argv[] = {"/bin/sh", NULL};
    const char *why;
    int opt;

    c->hostname = "container";
    c->quiet = 0;
    c->init = 0;
    c->rootfs = NULL;
    c->chroot = 0;
    opterr = 0;
    optind = 1;
    /* "+": stop at the first word that is not an option; it is the
       command's, and so are all the words after it. */
    while ((opt = getopt_long(argc, argv, "+:qh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'q':
            c->quiet = 1;
            break;
        case 'H':
            c->hostname = optarg;
            break;
        case 'I':
            c->init = 1;
            break;
        case 'R':
            c->rootfs = optarg;
            break;
        case 'C':
            c->chroot = 1;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        case ':':
            bad_usage("option %s needs an argument", argv[optind - 1]);
        default:
            if (optopt != 0)
                bad_usage("unknown option -%c", optopt);
            bad_usage("unknown option %s", argv[optind - 1]);
        }
    }
    why = check_hostname(c->hostname);
    if (why != NULL)
        bad_usage("--hostname \"%s\" %s", c->hostname, why);
    c->argv = optind < argc ? argv + optind : default_argv;
}

/* ---- namespaces ---------------------------------------------------- */

/*
 * Each namespace a process is in appears as a magic link in /proc/PID/ns;
 * it reads as "uts:[INODE]", and two processes share the namespace exactly
 * when the inodes are equal.
 */
static void
ns_link(pid_t pid, const char *ns, char *buf, size_t size)
{
    char path[64];
    ssize_t n;

    snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns);
    n = readlink(path, buf, size - 1);
    if (n == -1)
        die(errno, NULL, "readlink %s", path);
    buf[n] = '\0';
}

static void
show_namespaces(pid_t child)
{
    char host[64], cont[64];
    int i;

    for (i = 0; ns_names[i] != NULL; i++) {
        ns_link(getpid(), ns_names[i], host, sizeof(host));
        ns_link(child, ns_names[i], cont, sizeof(cont));
        say("/proc/%d/ns/%-4s -> %-20s (host: %s%s)", (int)child, ns_names[i],
            cont, host,
            strcmp(host, cont) == 0 ? ", shared" : ", a new namespace");
    }
}

/* ---- the root filesystem ------------------------------------------ */

/*
 * The default rootfs, build/rootfs at the top of the source tree, found
 * from the program's own path (the exe lives in lessonNN-x/): "DIR/run"
 * gives "DIR/../build/rootfs". 0 on success, -1 if it does not fit.
 */
static int
rootfs_beside(const char *exe, char *buf, size_t size)
{
    const char *slash = strrchr(exe, '/');
    int dirlen = slash == NULL ? 1 : (int)(slash - exe);
    int n;

    if (slash == NULL)
        exe = ".";
    n = snprintf(buf, size, "%.*s/../build/rootfs", dirlen, exe);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* --rootfs, or the default; pivot_root and the narration want its real,
   whole path. It is checked before anything is made. */
static void
find_rootfs(void)
{
    static char exe[PATH_MAX], beside[PATH_MAX];
    ssize_t n;

    if (cfg.rootfs == NULL) {
        n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        if (n == -1)
            die(errno, NULL, "readlink /proc/self/exe");
        exe[n] = '\0';
        if (rootfs_beside(exe, beside, sizeof(beside)) == -1)
            die(ENAMETOOLONG, MAKE_ROOTFS, "default rootfs beside %s", exe);
        cfg.rootfs = beside;
    }
    cfg.rootfs = realpath(cfg.rootfs, NULL);
    if (cfg.rootfs == NULL)
        die(errno, MAKE_ROOTFS, "rootfs");
}

/* Refuse to touch any mount unless this is a new mount namespace: a
   pivot_root or umount2 in the host's would detach the host's own root. */
static void
check_new_mount_ns(void)
{
    struct stat st;

    if (stat("/proc/self/ns/mnt", &st) == -1)
        die(errno, NULL, "stat /proc/self/ns/mnt");
    if (st.st_dev == host_mnt_ns.st_dev && st.st_ino == host_mnt_ns.st_ino)
        die(0, "report this bug; nothing was changed",
            "refusing to change mounts in the host's mount namespace");
}

/* The kernel's own filesystems, mounted in the new root in this order.
   Every tmpfs has a size: without size= one may take half the host's
   memory (its pages are the host's until the container is limited). */
static const struct kernel_fs {
    const char *source, *target, *type;
    unsigned long flags;
    const char *data, *why;
} kernel_fs[] = {
    {"proc", "/proc", "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL,
     "a procfs of this PID namespace: ps sees only the container"},
    {"sysfs", "/sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NOEXEC | MS_NODEV,
     NULL, "read-only: the container may look, not reconfigure"},
    {"tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_STRICTATIME,
     "mode=755,size=65536k", "an empty tmpfs: no host disks in it"},
    {"devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
     "newinstance,ptmxmode=0666,mode=0620,gid=5",
     "a new instance: the host's terminals are not there"},
    {"shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
     "mode=1777,size=65536k", "POSIX shared memory"},
    {"tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=65536k",
     "scratch space that vanishes with the container, 64 MiB at most"},
};

/* The device nodes a program expects; every other device stays out. */
static const struct dev_node {
    const char *path;
    unsigned int major, minor;
} dev_nodes[] = {
    {"/dev/null", 1, 3},   {"/dev/zero", 1, 5},    {"/dev/full", 1, 7},
    {"/dev/random", 1, 8}, {"/dev/urandom", 1, 9}, {"/dev/tty", 5, 0},
};

static const char *const dev_links[][2] = {
    {"pts/ptmx", "/dev/ptmx"},          {"/proc/self/fd", "/dev/fd"},
    {"/proc/self/fd/0", "/dev/stdin"},  {"/proc/self/fd/1", "/dev/stdout"},
    {"/proc/self/fd/2", "/dev/stderr"},
};

static void
make_dev(void)
{
    mode_t old = umask(0);
    size_t i;

    for (i = 0; i < sizeof(dev_nodes) / sizeof(dev_nodes[0]); i++) {
        const struct dev_node *d = &dev_nodes[i];

        if (mknod(d->path, S_IFCHR | 0666, makedev(d->major, d->minor)) == -1)
            die(errno, NULL, "mknod %s", d->path);
    }
    umask(old);
    for (i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++) {
        if (symlink(dev_links[i][0], dev_links[i][1]) == -1)
            die(errno, NULL, "symlink %s", dev_links[i][1]);
    }
    if (mkdir("/dev/pts", 0755) == -1 || mkdir("/dev/shm", 01777) == -1)
        die(errno, NULL, "mkdir /dev/pts, /dev/shm");
    say("child: mknod /dev/{null,zero,full,random,urandom,tty}, "
        "/dev/ptmx -> pts/ptmx");
}

static void
mount_kernel_fs(void)
{
    size_t i;

    for (i = 0; i < sizeof(kernel_fs) / sizeof(kernel_fs[0]); i++) {
        const struct kernel_fs *m = &kernel_fs[i];

        if (mount(m->source, m->target, m->type, m->flags, m->data) == -1)
            die(errno,
                errno == ENOENT ? "the rootfs needs empty /proc /sys /dev "
                                  "/tmp directories (make rootfs has them)"
                                : NULL,
                "mount %s on %s", m->type, m->target);
        say("child: mount -t %s %s: %s", m->type, m->target, m->why);
        if (strcmp(m->target, "/dev") == 0)
            make_dev();
    }
}

/*
 * Make the rootfs "/" of this mount namespace, with the host's root gone.
 * The order matters: private first, or the bind mount and everything after
 * it propagates to the host (systemd mounts / shared) and pivot_root fails
 * with EINVAL; a bind mount, because pivot_root needs a mount point.
 */
static void
enter_root(void)
{
    check_new_mount_ns();
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
        die(errno, NULL, "mount --make-rprivate /");
    say("child: mount(\"/\", MS_REC | MS_PRIVATE): no mount event reaches "
        "the host from here on");
    if (mount(cfg.rootfs, cfg.rootfs, NULL, MS_BIND | MS_REC, NULL) == -1)
        die(errno, NULL, "bind mount %s onto itself", cfg.rootfs);
    if (chdir(cfg.rootfs) == -1)
        die(errno, NULL, "chdir %s", cfg.rootfs);
    if (cfg.chroot) {
        if (chroot(".") == -1)
            die(errno, NULL, "chroot %s", cfg.rootfs);
        say("child: chroot(\"%s\"): only what \"/\" means to this process "
            "changed; the host's root is still mounted (try "
            "/usr/local/bin/chroot-escape)",
            cfg.rootfs);
    } else {
        /* pivot_root(".", "."): the new root becomes "/" and the old root
           is mounted on top of it; unmounting "." detaches the old one,
           and no directory for it is needed in the rootfs. */
        if (syscall(SYS_pivot_root, ".", ".") == -1)
            die(errno,
                errno == EINVAL ? "the new root must be a mount point and "
                                  "no mount above it shared: see `make "
                                  "doctor`"
                                : NULL,
                "pivot_root(\"%s\")", cfg.rootfs);
        if (umount2(".", MNT_DETACH) == -1)
            die(errno, NULL, "umount2(old root, MNT_DETACH)");
        say("child: pivot_root(\"%s\") and umount2(old root, MNT_DETACH): "
            "the host's files are gone from this namespace",
            cfg.rootfs);
    }
    if (chdir("/") == -1)
        die(errno, NULL, "chdir /");
    mount_kernel_fs();
}

/* The host's environment names paths the rootfs may not have. */
static void
reset_env(void)
{
    const char *term = getenv("TERM");

    if (clearenv() != 0)
        die(0, NULL, "clearenv");
    if (setenv("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", 1) ||
        setenv("HOME", "/root", 1) || (term && setenv("TERM", term, 1)))
        die(errno, NULL, "setenv");
}

/* ---- the container side -------------------------------------------- */

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

    say("child: execvp(\"%s\"): the container is now the command", argv[0]);
    execvp(argv[0], argv);
    err = errno;
    if (err == ENOENT)
        fprintf(stderr, "run: %s: command not found\n", argv[0]);
    else
        fprintf(stderr, "run: %s: cannot execute: %s\n", argv[0],
                strerror(err));
    _exit(err == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC);
}

/*
 * --init: stay PID 1 and run the command as PID 2, as tini and docker --init
 * do. Every signal is blocked and taken with sigwaitinfo(): a blocked signal
 * is queued for PID 1 rather than dropped, so each one can be passed on to
 * the command. SIGCHLD means a child ended: the command, or an orphan that
 * the kernel gave to PID 1; both are reaped, or they stay zombies.
 */
static _Noreturn void
init_main(char **argv)
{
    sigset_t all;
    siginfo_t si;
    pid_t cmd, pid;
    int status;

    sigfillset(&all);
    if (sigprocmask(SIG_BLOCK, &all, NULL) == -1)
        die(errno, NULL, "init: sigprocmask");
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

/* The child, started by clone() in its new namespaces. */
static int
child_main(void *arg)
{
    char go;

    (void)arg;
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
    enter_root();
    reset_env();
    if (cfg.init)
        init_main(cfg.argv);
    say("child: the command becomes PID 1; the kernel drops signals it has "
        "no handler for (a shell ignores SIGTERM): --init avoids that");
    exec_command(cfg.argv);
}

/* ---- the host side ------------------------------------------------- */

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

static void
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
    const char *nocolor;
    pid_t child;
    int status;

    nocolor = getenv("NO_COLOR"); /* no-color.org: set and not empty */
    color = isatty(STDERR_FILENO) && (nocolor == NULL || *nocolor == '\0');
    parse_args(argc, argv, &cfg);
    if (geteuid() != 0)
        die(0, NEED_ROOT, "creating namespaces needs CAP_SYS_ADMIN");
    if (pipe2(sync_pipe, O_CLOEXEC) == -1)
        die(errno, NULL, "pipe2");
    find_rootfs();
    if (stat("/proc/self/ns/mnt", &host_mnt_ns) == -1)
        die(errno, NULL, "stat /proc/self/ns/mnt");

    uname(&uts);
    say("host: uname() says the hostname is \"%s\"", uts.nodename);
    /* The child runs child_main() on its own stack, which grows down:
       pass its top. SIGCHLD: tell us when it ends, like a forked child. */
    child = clone(child_main, child_stack + STACK_SIZE, clone_flags | SIGCHLD,
                  NULL);
    if (child == -1)
        die(errno, NULL, "clone(" CLONE_FLAGS_TEXT ")");
    say("clone(" CLONE_FLAGS_TEXT " | SIGCHLD) started the child, PID %d "
        "on the host",
        (int)child);
    child_pid = child;
    forward_signals();
    show_namespaces(child);

    close(sync_pipe[0]);
    if (write(sync_pipe[1], "g", 1) != 1)
        die(errno, NULL, "write to the child's sync pipe");
    close(sync_pipe[1]);

    status = wait_child(child);
    uname(&uts);
    say("host: the hostname is still \"%s\"", uts.nodename);
    return status;
}
