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
 * Changes: nothing; this is the first lesson.
 * Read:    clone(2), namespaces(7), uts_namespaces(7), sethostname(2),
 *          uname(2), execvp(3), waitpid(2), prctl(2)
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
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

/* Exit codes as docker and podman use them; otherwise the command's own. */
#define EXIT_RUNTIME  125 /* the runtime itself failed */
#define EXIT_NOEXEC   126 /* the command exists but cannot be executed */
#define EXIT_NOTFOUND 127 /* the command does not exist */

#define STACK_SIZE (1024 * 1024)
#define NEED_ROOT  "needs root: run with sudo"

struct config {
    const char *hostname; /* the container's hostname */
    char **argv;          /* the container's command, NULL-terminated */
    int quiet;            /* -q: no narration */
};

static struct config cfg;
static int color;        /* colour narration: stderr is a tty, no NO_COLOR */
static int sync_pipe[2]; /* the parent says "go" to the child through it */
static char child_stack[STACK_SIZE] __attribute__((aligned(16)));

/* The namespaces this lesson creates, as named in /proc/PID/ns. */
static const char *const ns_names[] = {"uts", NULL};
static const int clone_flags = CLONE_NEWUTS;
#define CLONE_FLAGS_TEXT "CLONE_NEWUTS"

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
        "Run COMMAND (default /bin/sh) in a new UTS namespace.\n"
        "\n"
        "  -q, --quiet          no narration\n"
        "      --hostname NAME  the container's hostname (default: container)\n"
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
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static char *default_argv[] = {"/bin/sh", NULL};
    const char *why;
    int opt;

    c->hostname = "container";
    c->quiet = 0;
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
    exec_command(cfg.argv);
}

/* ---- the host side ------------------------------------------------- */

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
