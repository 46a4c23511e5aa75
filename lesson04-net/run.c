/*
 * lesson04-net/run.c: a network stack of its own.
 *
 * lesson03 plus CLONE_NEWNET. A new network namespace has its own
 * interfaces, addresses, routes and firewall, and starts with nothing but
 * a loopback that is down. The runtime joins it to the host with a veth
 * pair, two interfaces linked like the ends of a cable: one end stays on
 * the host as cl-PID, the other is created straight inside the container
 * as eth0. Every request is an rtnetlink message built here by hand and
 * narrated with the ip(8) command that sends the same. With --net bridge
 * the host ends join a bridge, a virtual switch, and containers on it
 * reach each other. The child waits on the sync pipe until its end of the
 * pair exists, then brings up lo and eth0 and adds its default route.
 *
 * Adds:    CLONE_NEWNET, --net none|veth|bridge, --ip, --bridge, --cleanup;
 *          rtnetlink (nl_start .. route_add_default); addresses, leases and
 *          the host's side (dump_host_addrs .. configure_net); cleanup.
 * Changes: ns_names, clone_flags, CLONE_FLAGS_TEXT, struct config, usage,
 *          parse_args, child_main, main.
 * Read:    network_namespaces(7), veth(4), netlink(7), rtnetlink(7),
 *          ip-link(8), ip-address(8), ip-route(8), flock(2), and lesson03's
 *          pages.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

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

/* Every object the runtime leaves visible on the host carries PREFIX, so
   that leftovers can be found; its state lives in STATE_DIR. */
#define PREFIX         "cl-"
#define STATE_DIR      "/run/container-lessons"
#define VETH_NET       "172.30.0.0" /* --net veth: 172.30.N.0/24 a pair */
#define BRIDGE_NET     "172.31.0.0" /* new bridges: 172.31.K.0/24 each */
#define DEFAULT_BRIDGE "cl-br0"

enum { NET_NONE, NET_VETH, NET_BRIDGE };

struct config {
    const char *hostname;   /* the container's hostname */
    char **argv;            /* the container's command, NULL-terminated */
    int quiet;              /* -q: no narration */
    int init;               /* --init: our own init is PID 1 */
    const char *rootfs;     /* --rootfs: the container's root directory */
    int chroot;             /* --chroot: chroot(2) instead of pivot_root(2) */
    int net;                /* --net: NET_NONE, NET_VETH or NET_BRIDGE */
    const char *bridge;     /* --bridge: the bridge, named cl-... */
    const char *ip;         /* --ip ADDR/PREFIX as given, or NULL */
    struct in_addr ip_addr; /* ... its address */
    int ip_prefix;          /* ... and prefix length */
    int cleanup;            /* --cleanup: reclaim what killed runs left */
};

/* The container's network, planned before clone(). */
struct net_plan {
    char host_if[IFNAMSIZ];  /* the host's end of the veth pair: cl-PID */
    struct in_addr addr, gw; /* the container's address and gateway */
    int prefix;
};

static struct config cfg;
static struct net_plan net;
static int color;        /* colour narration: stderr is a tty, no NO_COLOR */
static int sync_pipe[2]; /* the parent says "go" to the child through it */
static pid_t child_pid;  /* the container's PID 1, as the host sees it */
static struct stat host_mnt_ns; /* the host's /proc/self/ns/mnt */
static volatile sig_atomic_t signals_forwarded;
static char child_stack[STACK_SIZE] __attribute__((aligned(16)));

/* The namespaces this lesson creates, as named in /proc/PID/ns. */
static const char *const ns_names[] = {"uts", "pid", "mnt", "net", NULL};
static const int clone_flags =
    CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET;
#define CLONE_FLAGS_TEXT                                                       \
    "CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET"

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
        "Run COMMAND (default /bin/sh) in new UTS, PID, mount and network\n"
        "namespaces, with the directory ROOTFS as its root.\n"
        "\n"
        "  -q, --quiet          no narration\n"
        "      --hostname NAME  the container's hostname (default: container)\n"
        "      --init           a tiny init is PID 1, the command PID 2\n"
        "      --rootfs DIR     the container's root (default: build/rootfs)\n"
        "      --chroot         chroot(2), not pivot_root(2): to compare\n"
        "      --net MODE       none: only lo; veth (default): a pair to the\n"
        "                       host; bridge: on a bridge with other ones\n"
        "      --ip ADDR/LEN    the container's address (default: a free one)\n"
        "      --bridge NAME    the bridge, cl-..., made on first use\n"
        "                       (default: " DEFAULT_BRIDGE ")\n"
        "      --cleanup        remove what killed runs left: unused\n"
        "                       bridges, stale address leases\n"
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

static uint32_t
netmask(int prefix)
{
    return prefix == 0 ? 0 : htonl(~0u << (32 - prefix));
}

/* "ADDR/PREFIX": room for the container and its gateway, and neither the
   network's own address nor its broadcast address. */
static const char *
parse_cidr(const char *s, struct in_addr *addr, int *prefix)
{
    const char *slash = strchr(s, '/');
    char buf[INET_ADDRSTRLEN], *end;
    uint32_t host, mask;
    long p;

    if (slash == NULL)
        return "needs a prefix length, as in 172.30.9.2/24";
    if ((size_t)(slash - s) >= sizeof(buf))
        return "is not an IPv4 address";
    memcpy(buf, s, slash - s);
    buf[slash - s] = '\0';
    if (inet_pton(AF_INET, buf, addr) != 1)
        return "is not an IPv4 address";
    p = strtol(slash + 1, &end, 10);
    if (end == slash + 1 || *end != '\0' || p < 0 || p > 32)
        return "has a prefix length that is not 0 to 32";
    if (p < 8 || p > 30)
        return "needs a prefix length from 8 to 30 (room for the container "
               "and its gateway)";
    mask = ntohl(netmask((int)p));
    host = ntohl(addr->s_addr) & ~mask;
    if (host == 0 || host == ~mask)
        return "is the network's own or its broadcast address";
    *prefix = (int)p;
    return NULL;
}

/* Interface names hold IFNAMSIZ - 1 = 15 bytes. */
static const char *
check_bridge_name(const char *name)
{
    size_t i, len = strlen(name);

    if (len >= IFNAMSIZ)
        return "is longer than 15 bytes (IFNAMSIZ)";
    if (strncmp(name, PREFIX, strlen(PREFIX)) != 0 || len == strlen(PREFIX))
        return "must start with \"" PREFIX "\", so that run --cleanup can "
               "find it";
    for (i = 0; i < len; i++) {
        if (strchr("abcdefghijklmnopqrstuvwxyz"
                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.",
                   name[i]) == NULL)
            return "may hold only letters, digits, '-', '_' and '.'";
    }
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
        {"net", required_argument, NULL, 'N'},
        {"ip", required_argument, NULL, 'P'},
        {"bridge", required_argument, NULL, 'B'},
        {"cleanup", no_argument, NULL, 'X'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static char *default_argv[] = {"/bin/sh", NULL};
    static const char *const net_modes[] = {"none", "veth", "bridge"};
    const char *why;
    int opt;

    c->hostname = "container";
    c->quiet = 0;
    c->init = 0;
    c->rootfs = NULL;
    c->chroot = 0;
    c->net = -1;
    c->bridge = NULL;
    c->ip = NULL;
    c->cleanup = 0;
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
        case 'N':
            for (c->net = 0; c->net < 3; c->net++)
                if (strcmp(optarg, net_modes[c->net]) == 0)
                    break;
            if (c->net == 3)
                bad_usage("--net %s: use none, veth or bridge", optarg);
            break;
        case 'P':
            c->ip = optarg;
            break;
        case 'B':
            c->bridge = optarg;
            break;
        case 'X':
            c->cleanup = 1;
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
    if (c->bridge != NULL && c->net != -1 && c->net != NET_BRIDGE)
        bad_usage("--bridge needs --net bridge, not --net %s",
                  net_modes[c->net]);
    if (c->net == -1)
        c->net = c->bridge != NULL ? NET_BRIDGE : NET_VETH;
    if (c->net == NET_BRIDGE && c->bridge == NULL)
        c->bridge = DEFAULT_BRIDGE;
    if (c->bridge != NULL && (why = check_bridge_name(c->bridge)) != NULL)
        bad_usage("--bridge \"%s\" %s", c->bridge, why);
    if (c->ip != NULL && c->net == NET_NONE)
        bad_usage("--ip needs a network: not with --net none");
    if (c->ip != NULL &&
        (why = parse_cidr(c->ip, &c->ip_addr, &c->ip_prefix)) != NULL)
        bad_usage("--ip %s %s", c->ip, why);
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

/* ---- the network: rtnetlink ---------------------------------------- */

/*
 * The kernel is asked for links, addresses and routes in rtnetlink
 * messages on a netlink socket: a struct nlmsghdr, a fixed header for the
 * message type (struct ifinfomsg for links, ifaddrmsg for addresses, rtmsg
 * for routes), then attributes, each a struct rtattr (length, type) and its
 * value, padded to 4 bytes. An attribute may nest others. This is what
 * ip(8) sends; `ip -d monitor` and `strace -e sendmsg ip ...` show it.
 */
#define NL_BUFSIZE  4096      /* a request */
#define NL_RECVSIZE 32768     /* a reply: a dump packs many messages in one */
static char nl_why[256];      /* the kernel's own words for the last error */
static const char *side = ""; /* "child: " once in the container */

/* Start a request of TYPE whose fixed header is HDR (LEN bytes). */
static struct nlmsghdr *
nl_start(void *buf, int type, int flags, const void *hdr, size_t len)
{
    struct nlmsghdr *h = buf;

    memset(buf, 0, NL_BUFSIZE);
    h->nlmsg_len = NLMSG_LENGTH(len);
    h->nlmsg_type = type;
    h->nlmsg_flags = NLM_F_REQUEST | flags;
    memcpy(NLMSG_DATA(h), hdr, len);
    return h;
}

/* Append an attribute, padded; its length counts the value, not the pad. */
static struct rtattr *
nla_put(struct nlmsghdr *h, int type, const void *data, size_t len)
{
    struct rtattr *rta;

    if (NLMSG_ALIGN(h->nlmsg_len) + RTA_SPACE(len) > NL_BUFSIZE)
        die(EMSGSIZE, NULL, "netlink message");
    rta = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));
    rta->rta_type = type;
    rta->rta_len = RTA_LENGTH(len);
    if (len > 0)
        memcpy(RTA_DATA(rta), data, len);
    h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_SPACE(len);
    return rta;
}

static void
nla_put_str(struct nlmsghdr *h, int type, const char *s)
{
    nla_put(h, type, s, strlen(s) + 1);
}

static void
nla_put_u32(struct nlmsghdr *h, int type, uint32_t v)
{
    nla_put(h, type, &v, sizeof(v));
}

/* A nested attribute: open it, append its members, then close it, which
   sets its length to cover them. */
static struct rtattr *
nla_nest(struct nlmsghdr *h, int type)
{
    return nla_put(h, type, NULL, 0);
}

static void
nla_end(struct nlmsghdr *h, struct rtattr *nest)
{
    nest->rta_len = (char *)h + h->nlmsg_len - (char *)nest;
}

static int
nl_open(void)
{
    int fd, on = 1;

    fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd == -1)
        die(errno, NULL, "socket(AF_NETLINK, NETLINK_ROUTE)");
    /* Extended acks: the kernel says in words what it did not like. */
    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof(on));
    return fd;
}

/* The kernel's words for an error, if it sent any (extended ack). */
static const char *
nl_ext_msg(const struct nlmsghdr *h)
{
    const struct nlmsgerr *e = NLMSG_DATA(h);
    const struct rtattr *rta;
    int len;

    if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
        return NULL;
    /* The TLVs follow the error and, unless capped, the whole request. */
    len = sizeof(*e);
    if (!(h->nlmsg_flags & NLM_F_CAPPED))
        len += e->msg.nlmsg_len - NLMSG_HDRLEN;
    rta = (const struct rtattr *)((const char *)e + NLMSG_ALIGN(len));
    len = h->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(len);
    for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
        if (rta->rta_type == NLMSGERR_ATTR_MSG)
            return RTA_DATA(rta);
    return NULL;
}

/*
 * Send a request and read the kernel's answer: an NLMSG_ERROR message
 * whose error is 0 (done) or a negative errno. With a callback, the
 * request is a dump: every reply message goes to it until NLMSG_DONE.
 * Narrates the request with the ip(8) command that would do the same.
 * Returns 0 or the errno; the kernel's words go to nl_why.
 */
static int
nl_talk(int fd, struct nlmsghdr *req, const char *ip_cmd,
        void (*each)(const struct nlmsghdr *, void *), void *arg)
{
    static const char *const types[] = {
        [RTM_NEWLINK] = "RTM_NEWLINK", [RTM_DELLINK] = "RTM_DELLINK",
        [RTM_GETLINK] = "RTM_GETLINK", [RTM_NEWADDR] = "RTM_NEWADDR",
        [RTM_GETADDR] = "RTM_GETADDR", [RTM_NEWROUTE] = "RTM_NEWROUTE",
    };
    static uint32_t seq;
    static char buf[NL_RECVSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    struct nlmsghdr *h;
    ssize_t n;
    int len;

    req->nlmsg_seq = ++seq;
    req->nlmsg_flags |= each ? NLM_F_DUMP : NLM_F_ACK;
    if (ip_cmd != NULL)
        say("%snetlink %s = %s", side, types[req->nlmsg_type], ip_cmd);
    if (send(fd, req, req->nlmsg_len, 0) == -1)
        die(errno, NULL, "send to netlink: %s", types[req->nlmsg_type]);
    nl_why[0] = '\0';
    for (;;) {
        n = recv(fd, buf, sizeof(buf), 0);
        if (n == -1)
            die(errno, NULL, "recv from netlink");
        len = (int)n;
        for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
             h = NLMSG_NEXT(h, len)) {
            if (h->nlmsg_seq != req->nlmsg_seq)
                continue;
            if (h->nlmsg_type == NLMSG_DONE)
                return 0;
            if (h->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *e = NLMSG_DATA(h);
                const char *why = nl_ext_msg(h);

                if (why != NULL)
                    snprintf(nl_why, sizeof(nl_why), "%s", why);
                return -e->error;
            }
            if (each != NULL)
                each(h, arg);
        }
    }
}

/* The same, for requests whose failure ends the run. */
static void
nl_must(int fd, struct nlmsghdr *req, const char *ip_cmd)
{
    int err = nl_talk(fd, req, ip_cmd, NULL, NULL);

    if (err != 0)
        die(err, nl_why[0] ? nl_why : NULL, "%s", ip_cmd);
}

static void
link_set_up(int fd, const char *name, const char *master)
{
    char buf[NL_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    char cmd[96];
    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
    struct nlmsghdr *h;

    ifi.ifi_index = (int)if_nametoindex(name);
    if (ifi.ifi_index == 0)
        die(errno, NULL, "no interface %s", name);
    ifi.ifi_flags = IFF_UP;
    ifi.ifi_change = IFF_UP;
    h = nl_start(buf, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
    if (master != NULL)
        nla_put_u32(h, IFLA_MASTER, if_nametoindex(master));
    snprintf(cmd, sizeof(cmd), "ip link set %s%s%s up", name,
             master != NULL ? " master " : "", master != NULL ? master : "");
    nl_must(fd, h, cmd);
}

static int
addr_add(int fd, const char *name, struct in_addr addr, int prefix)
{
    char buf[NL_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    char cmd[96];
    struct ifaddrmsg ifa = {.ifa_family = AF_INET};
    struct nlmsghdr *h;

    ifa.ifa_prefixlen = (unsigned char)prefix;
    ifa.ifa_scope = RT_SCOPE_UNIVERSE;
    ifa.ifa_index = if_nametoindex(name);
    if (ifa.ifa_index == 0)
        die(errno, NULL, "no interface %s", name);
    h = nl_start(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa,
                 sizeof(ifa));
    nla_put(h, IFA_LOCAL, &addr, sizeof(addr));
    nla_put(h, IFA_ADDRESS, &addr, sizeof(addr));
    snprintf(cmd, sizeof(cmd), "ip addr add %s/%d dev %s", inet_ntoa(addr),
             prefix, name);
    return nl_talk(fd, h, cmd, NULL, NULL);
}

/* ip link add HOST type veth peer name PEER netns PID: a pair of linked
   interfaces, the peer created straight inside the container's network
   namespace, so that it never appears on the host. */
static void
veth_create(int fd, const char *host, const char *peer, pid_t pid)
{
    char buf[NL_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    char cmd[128];
    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
    struct rtattr *linkinfo, *data, *peerinfo;
    struct nlmsghdr *h;

    h = nl_start(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi,
                 sizeof(ifi));
    nla_put_str(h, IFLA_IFNAME, host);
    linkinfo = nla_nest(h, IFLA_LINKINFO);
    nla_put_str(h, IFLA_INFO_KIND, "veth");
    data = nla_nest(h, IFLA_INFO_DATA);
    /* VETH_INFO_PEER holds a whole link description: its own ifinfomsg,
       then the peer's attributes. */
    peerinfo = nla_put(h, VETH_INFO_PEER, &ifi, sizeof(ifi));
    nla_put_str(h, IFLA_IFNAME, peer);
    nla_put_u32(h, IFLA_NET_NS_PID, (uint32_t)pid);
    nla_end(h, peerinfo);
    nla_end(h, data);
    nla_end(h, linkinfo);
    snprintf(cmd, sizeof(cmd), "ip link add %s type veth peer name %s netns %d",
             host, peer, (int)pid);
    nl_must(fd, h, cmd);
}

static void
bridge_create(int fd, const char *name)
{
    char buf[NL_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    char cmd[96];
    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
    struct rtattr *linkinfo;
    struct nlmsghdr *h;

    h = nl_start(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi,
                 sizeof(ifi));
    nla_put_str(h, IFLA_IFNAME, name);
    linkinfo = nla_nest(h, IFLA_LINKINFO);
    nla_put_str(h, IFLA_INFO_KIND, "bridge");
    nla_end(h, linkinfo);
    snprintf(cmd, sizeof(cmd), "ip link add %s type bridge", name);
    nl_must(fd, h, cmd);
}

/* Deleting one end of a veth pair deletes both. ENODEV: it was gone. */
static void
link_delete(int fd, int index, const char *name)
{
    char buf[NL_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    char cmd[64];
    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = index};
    int err;

    snprintf(cmd, sizeof(cmd), "ip link del %s", name);
    err = nl_talk(fd, nl_start(buf, RTM_DELLINK, 0, &ifi, sizeof(ifi)), cmd,
                  NULL, NULL);
    if (err != 0 && err != ENODEV)
        die(err, nl_why[0] ? nl_why : NULL, "%s", cmd);
}

static void
route_add_default(int fd, struct in_addr gw, const char *dev)
{
    char buf[NL_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    char cmd[96];
    struct rtmsg rt = {
        .rtm_family = AF_INET,
        .rtm_table = RT_TABLE_MAIN,
        .rtm_protocol = RTPROT_BOOT,
        .rtm_scope = RT_SCOPE_UNIVERSE,
        .rtm_type = RTN_UNICAST,
    };
    struct nlmsghdr *h;

    h = nl_start(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &rt, sizeof(rt));
    nla_put(h, RTA_GATEWAY, &gw, sizeof(gw));
    nla_put_u32(h, RTA_OIF, if_nametoindex(dev));
    snprintf(cmd, sizeof(cmd), "ip route add default via %s dev %s",
             inet_ntoa(gw), dev);
    nl_must(fd, h, cmd);
}

/* ---- the network: addresses, leases, the host's side ---------------- */

/* The IPv4 addresses on the host: a dump of RTM_GETADDR (ip -4 addr). */
static struct host_addr {
    struct in_addr addr;
    int prefix, index;
} host_addrs[256];
static int n_host_addrs;

static void
collect_addr(const struct nlmsghdr *h, void *arg)
{
    const struct ifaddrmsg *ifa = NLMSG_DATA(h);
    const struct rtattr *rta = IFA_RTA(ifa);
    int len = IFA_PAYLOAD(h);

    (void)arg;
    if (ifa->ifa_family != AF_INET || n_host_addrs == 256)
        return;
    for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
        if (rta->rta_type == IFA_LOCAL) {
            struct host_addr *a = &host_addrs[n_host_addrs++];

            memcpy(&a->addr, RTA_DATA(rta), sizeof(a->addr));
            a->prefix = ifa->ifa_prefixlen;
            a->index = (int)ifa->ifa_index;
        }
    }
}

static void
dump_host_addrs(int fd)
{
    char buf[NL_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    struct ifaddrmsg ifa = {.ifa_family = AF_INET};
    int err;

    n_host_addrs = 0;
    err = nl_talk(fd, nl_start(buf, RTM_GETADDR, 0, &ifa, sizeof(ifa)),
                  "ip -4 addr show", collect_addr, NULL);
    if (err != 0)
        die(err, NULL, "ip -4 addr show");
}

/* Does ADDR/PREFIX overlap a network the host already has? */
static int
subnet_taken(struct in_addr addr, int prefix)
{
    int i, p;

    for (i = 0; i < n_host_addrs; i++) {
        p = prefix < host_addrs[i].prefix ? prefix : host_addrs[i].prefix;
        if (((addr.s_addr ^ host_addrs[i].addr.s_addr) & netmask(p)) == 0)
            return 1;
    }
    return 0;
}

/* Field 22 of /proc/PID/stat: when the process started. With the PID it
   names one process for good, even after the PID is reused. */
static unsigned long long
start_time(pid_t pid)
{
    char path[64], buf[1024], *p;
    unsigned long long t = 0;
    FILE *f;
    int i;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    f = fopen(path, "re");
    if (f == NULL)
        return 0;
    if (fgets(buf, sizeof(buf), f) != NULL && (p = strrchr(buf, ')'))) {
        for (i = 0; i < 20 && p != NULL; i++)
            p = strchr(p + 1, ' ');
        if (p != NULL)
            t = strtoull(p + 1, NULL, 10);
    }
    fclose(f);
    return t;
}

/* A process that is gone, or a zombie: it has left its namespaces. */
static int
gone(pid_t pid)
{
    char path[64], buf[256], *p;
    int dead = 1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    f = fopen(path, "re");
    if (f == NULL)
        return 1;
    if (fgets(buf, sizeof(buf), f) != NULL && (p = strrchr(buf, ')')))
        dead = p[2] == 'Z' || p[2] == 'X';
    fclose(f);
    return dead;
}

/*
 * The runtime's state files (leases, records) decide what --cleanup kills
 * and removes, as root: only root may write them. They are made 0600 and
 * never through a symlink, and read back only if they are regular files
 * of root's that no one else may write. STATE_DIR itself is root's, 0700.
 */
static FILE *
state_create(const char *path)
{
    int fd =
        open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

    return fd == -1 ? NULL : fdopen(fd, "w");
}

/* Open a state file to read; NULL if it is missing or not to be trusted
   (then WHY says which). */
static FILE *
state_open(const char *path, const char **why)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

    *why = NULL;
    if (fd == -1) {
        if (errno == ELOOP)
            *why = "it is a symlink";
        return NULL;
    }
    if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
        *why = "it is not a regular file";
    else if (st.st_uid != 0)
        *why = "it is not root's";
    else if (st.st_mode & 022)
        *why = "others may write it";
    if (*why != NULL) {
        close(fd);
        return NULL;
    }
    return fdopen(fd, "r");
}

/* "PID STARTTIME" of this process: the first line of a lease, and of
   every other record of who owns something. */
static void
put_owner(FILE *f)
{
    fprintf(f, "%d %llu\n", (int)getpid(), start_time(getpid()));
}

/* Does the owner named by F's first line still run? A zombie does not:
   killed, it waits only for its parent to reap it. */
static int
owner_alive(FILE *f)
{
    unsigned long long t;
    int pid;

    return fscanf(f, "%d %llu", &pid, &t) == 2 && t != 0 &&
           start_time(pid) == t && !gone(pid);
}

/*
 * A lease is a file STATE_DIR/ADDRESS holding "PID STARTTIME" of the
 * runtime that uses ADDRESS, which removes it at exit. A runtime that was
 * killed leaves it behind; a lease whose process is gone is stale, and is
 * reclaimed here by the next run (or by --cleanup).
 */
static int
lease_live(struct in_addr addr)
{
    char path[64];
    const char *why;
    FILE *f;

    snprintf(path, sizeof(path), STATE_DIR "/%s", inet_ntoa(addr));
    f = state_open(path, &why);
    if (f == NULL && why != NULL)
        die(0, "remove it: a lease is root's own file, mode 0600",
            "refusing the lease %s: %s", path, why);
    if (f == NULL)
        return 0;
    if (owner_alive(f)) {
        fclose(f);
        return 1;
    }
    fclose(f);
    say("reclaimed %s, left by a runtime that was killed", path);
    unlink(path);
    return 0;
}

static char lease_path[64];
static pid_t lease_owner;

static void
lease_release(void)
{
    if (lease_path[0] != '\0' && getpid() == lease_owner)
        unlink(lease_path);
}

static void
lease_take(struct in_addr addr)
{
    FILE *f;

    snprintf(lease_path, sizeof(lease_path), STATE_DIR "/%s", inet_ntoa(addr));
    lease_owner = getpid();
    f = state_create(lease_path);
    if (f == NULL)
        die(errno, NULL, "create %s", lease_path);
    put_owner(f);
    if (fclose(f) != 0)
        die(errno, NULL, "write %s", lease_path);
    atexit(lease_release);
}

/* Concurrent runtimes take turns: flock(2) on the state directory, held
   once however deeply the calls nest (flock locks belong to an open file,
   so a second open of our own would wait for us forever). */
static int lock_fd = -1, lock_depth;

static void
state_lock(void)
{
    struct stat st;

    if (lock_depth++ > 0)
        return;
    if (mkdir(STATE_DIR, 0700) == -1 && errno != EEXIST)
        die(errno, NULL, "mkdir " STATE_DIR);
    lock_fd = open(STATE_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (lock_fd == -1 || flock(lock_fd, LOCK_EX) == -1)
        die(errno, NULL, "lock " STATE_DIR);
    /* Root's, and no one else's: 0700 (an older runtime made it 0755). */
    if (fstat(lock_fd, &st) == -1 || st.st_uid != 0 ||
        fchmod(lock_fd, 0700) == -1)
        die(errno, "remove it; the runtime makes it again",
            STATE_DIR " is not a directory of root's");
}

static void
state_unlock(void)
{
    if (--lock_depth == 0) {
        close(lock_fd);
        lock_fd = -1;
    }
}

/* The first usable address of ADDR/PREFIX's subnet, or the second if ADDR
   is the first: the host's end of a veth pair given --ip. */
static struct in_addr
peer_in_subnet(struct in_addr addr, int prefix)
{
    struct in_addr gw;
    uint32_t net = ntohl(addr.s_addr) & ntohl(netmask(prefix));

    gw.s_addr = htonl(net + 1);
    if (gw.s_addr == addr.s_addr)
        gw.s_addr = htonl(net + 2);
    return gw;
}

/* The bridge's network: its address if it exists, else a free
   172.31.K.0/24 that it will keep for good. 1 if it must be made. */
static int
bridge_plan(void)
{
    int i, index = (int)if_nametoindex(cfg.bridge);

    for (i = 0; index != 0 && i < n_host_addrs; i++) {
        if (host_addrs[i].index == index) {
            net.gw = host_addrs[i].addr;
            net.prefix = host_addrs[i].prefix;
            return 0;
        }
    }
    if (index != 0)
        die(0, "give it an IPv4 address, or choose another --bridge",
            "bridge %s has no IPv4 address", cfg.bridge);
    for (i = 0; i < 256; i++) {
        inet_pton(AF_INET, BRIDGE_NET, &net.gw);
        net.gw.s_addr = htonl(ntohl(net.gw.s_addr) + (i << 8) + 1);
        net.prefix = 24;
        if (!subnet_taken(net.gw, 24))
            return 1;
    }
    die(0, "remove unused bridges: run --cleanup",
        "no free subnet in " BRIDGE_NET "/16 for a bridge");
}

static void
bridge_make(int fd)
{
    int err;

    bridge_create(fd, cfg.bridge);
    err = addr_add(fd, cfg.bridge, net.gw, net.prefix);
    if (err != 0)
        die(err, nl_why[0] ? nl_why : NULL, "ip addr add %s/%d dev %s",
            inet_ntoa(net.gw), net.prefix, cfg.bridge);
    link_set_up(fd, cfg.bridge, NULL);
    say("the bridge %s is %s/%d, the containers' gateway; it stays until "
        "run --cleanup finds it unused",
        cfg.bridge, inet_ntoa(net.gw), net.prefix);
}

/*
 * Choose the container's address and, with --net veth, the host end's,
 * under the lock, and take a lease on it; with --net bridge, make the
 * bridge if it is new. All before clone(), so that the child has the
 * plan in its copy of memory.
 */
static void
plan_net(void)
{
    uint32_t host, first, hosts;
    int fd, new_bridge = 0;

    if (cfg.net == NET_NONE)
        return;
    state_lock();
    fd = nl_open();
    dump_host_addrs(fd);
    if (cfg.net == NET_BRIDGE)
        new_bridge = bridge_plan();
    if (cfg.ip != NULL) {
        net.addr = cfg.ip_addr;
        if (cfg.net == NET_VETH) {
            net.prefix = cfg.ip_prefix;
            net.gw = peer_in_subnet(net.addr, net.prefix);
            if (subnet_taken(net.addr, net.prefix))
                die(0, "choose another --ip, or leave it out",
                    "--ip %s/%d: address already in use: the host has "
                    "that network",
                    inet_ntoa(net.addr), net.prefix);
        } else if (cfg.ip_prefix != net.prefix ||
                   ((net.addr.s_addr ^ net.gw.s_addr) & netmask(net.prefix))) {
            die(0, "choose an address in the bridge's network",
                "--ip %s: bridge %s's network is %s/%d", cfg.ip, cfg.bridge,
                inet_ntoa(net.gw), net.prefix);
        } else if (net.addr.s_addr == net.gw.s_addr) {
            die(0, "choose another address in its network",
                "--ip %s is bridge %s's own address", cfg.ip, cfg.bridge);
        }
        if (lease_live(net.addr))
            die(0, "choose another --ip, or leave it out",
                "--ip %s: address already in use by another container",
                inet_ntoa(net.addr));
    } else if (cfg.net == NET_VETH) {
        /* One 172.30.N.0/24 per pair: N.1 on the host, N.2 inside. */
        for (host = 1; host < 255; host++) {
            inet_pton(AF_INET, VETH_NET, &net.gw);
            net.gw.s_addr = htonl(ntohl(net.gw.s_addr) + (host << 8) + 1);
            net.addr.s_addr = htonl(ntohl(net.gw.s_addr) + 1);
            net.prefix = 24;
            if (!subnet_taken(net.gw, 24) && !lease_live(net.addr))
                break;
        }
        if (host == 255)
            die(0, "stop some containers, or run --cleanup",
                "no free subnet in " VETH_NET "/16");
    } else {
        /* The first address of the bridge's network not leased. */
        first = ntohl(net.gw.s_addr & netmask(net.prefix));
        hosts = net.prefix >= 31 ? 0 : (1u << (32 - net.prefix)) - 2;
        for (host = 1; host <= hosts; host++) {
            net.addr.s_addr = htonl(first + host);
            if (net.addr.s_addr != net.gw.s_addr && !lease_live(net.addr))
                break;
        }
        if (host > hosts)
            die(0, "stop some containers, or run --cleanup",
                "no free address on bridge %s", cfg.bridge);
    }
    if (new_bridge)
        bridge_make(fd);
    lease_take(net.addr);
    close(fd);
    state_unlock();
}

/* The host's end: the veth pair, then its address or its bridge. */
static void
connect_net(pid_t child)
{
    int fd, err;

    if (cfg.net == NET_NONE)
        return;
    fd = nl_open();
    snprintf(net.host_if, sizeof(net.host_if), PREFIX "%d", (int)getpid());
    veth_create(fd, net.host_if, "eth0", child);
    if (cfg.net == NET_VETH) {
        err = addr_add(fd, net.host_if, net.gw, net.prefix);
        if (err != 0)
            die(err, err == EEXIST ? "choose another --ip" : nl_why,
                "ip addr add %s/%d dev %s", inet_ntoa(net.gw), net.prefix,
                net.host_if);
        link_set_up(fd, net.host_if, NULL);
    } else {
        link_set_up(fd, net.host_if, cfg.bridge);
    }
    close(fd);
    say("the container will be %s/%d behind %s (%s); the pair goes when "
        "its network namespace does",
        inet_ntoa(net.addr), net.prefix, net.host_if,
        cfg.net == NET_VETH ? "its gateway" : "a port of the bridge");
}

/*
 * After the container: the kernel deletes the pair when it frees the
 * container's network namespace, in the background, a moment after its
 * last process exits. The runtime does not wait for it, nor deletes it
 * itself: a deletion waits for an RCU grace period (30 ms on a busy host),
 * and would make every exit that much slower. --cleanup deletes the end
 * of a runtime that is gone, if it is still there.
 */
static void
disconnect_net(void)
{
    if (net.host_if[0] != '\0')
        say("%s goes with the container's network namespace: the kernel "
            "deletes the pair in the background",
            net.host_if);
}

/* Inside the container, its own netlink socket sees only lo and eth0. */
static void
configure_net(void)
{
    int fd, err;

    side = "child: ";
    fd = nl_open();
    link_set_up(fd, "lo", NULL);
    if (cfg.net != NET_NONE) {
        err = addr_add(fd, "eth0", net.addr, net.prefix);
        if (err != 0)
            die(err, nl_why[0] ? nl_why : NULL, "ip addr add %s/%d dev eth0",
                inet_ntoa(net.addr), net.prefix);
        link_set_up(fd, "eth0", NULL);
        route_add_default(fd, net.gw, "eth0");
    }
    close(fd);
}

/* ---- the runtime's own actions ------------------------------------- */

/* --cleanup: what killed runtimes left: stale leases, unused bridges. */
static struct link_info {
    int index, master, bridge, veth;
    char name[IFNAMSIZ];
} links[512];
static int n_links;

static void
collect_link(const struct nlmsghdr *h, void *arg)
{
    const struct ifinfomsg *ifi = NLMSG_DATA(h);
    const struct rtattr *rta = IFLA_RTA(ifi), *sub;
    int len = IFLA_PAYLOAD(h), sublen;
    struct link_info *l;

    (void)arg;
    if (n_links == 512)
        return;
    l = &links[n_links++];
    memset(l, 0, sizeof(*l));
    l->index = ifi->ifi_index;
    for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
        if (rta->rta_type == IFLA_IFNAME)
            snprintf(l->name, sizeof(l->name), "%s", (char *)RTA_DATA(rta));
        else if (rta->rta_type == IFLA_MASTER)
            memcpy(&l->master, RTA_DATA(rta), sizeof(l->master));
        else if (rta->rta_type == IFLA_LINKINFO) {
            sublen = RTA_PAYLOAD(rta);
            for (sub = RTA_DATA(rta); RTA_OK(sub, sublen);
                 sub = RTA_NEXT(sub, sublen))
                if (sub->rta_type == IFLA_INFO_KIND) {
                    l->bridge = strcmp(RTA_DATA(sub), "bridge") == 0;
                    l->veth = strcmp(RTA_DATA(sub), "veth") == 0;
                }
        }
    }
}

static int
cleanup(void)
{
    char buf[NL_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
    struct in_addr addr;
    struct dirent *d;
    int fd, i, j, ports, pid;
    DIR *dir;

    state_lock();
    dir = opendir(STATE_DIR);
    while (dir != NULL && (d = readdir(dir)) != NULL) {
        if (inet_pton(AF_INET, d->d_name, &addr) == 1)
            lease_live(addr);
    }
    if (dir != NULL)
        closedir(dir);
    fd = nl_open();
    n_links = 0;
    if (nl_talk(fd, nl_start(buf, RTM_GETLINK, 0, &ifi, sizeof(ifi)),
                "ip link show", collect_link, NULL) != 0)
        die(errno, NULL, "ip link show");
    /* The host's end of a container that is gone: its namespace is being
       freed in the background; remove it now, or its bridge looks used. */
    for (i = 0; i < n_links; i++) {
        pid = atoi(links[i].name + strlen(PREFIX));
        if (links[i].veth && pid > 0 && gone(pid) &&
            strncmp(links[i].name, PREFIX, strlen(PREFIX)) == 0) {
            link_delete(fd, links[i].index, links[i].name);
            links[i].master = 0;
        }
    }
    for (i = 0; i < n_links; i++) {
        if (!links[i].bridge ||
            strncmp(links[i].name, PREFIX, strlen(PREFIX)) != 0)
            continue;
        for (ports = 0, j = 0; j < n_links; j++)
            ports += links[j].master == links[i].index;
        if (ports == 0)
            link_delete(fd, links[i].index, links[i].name);
        else
            say("kept %s: %d container(s) still on it", links[i].name, ports);
    }
    close(fd);
    state_unlock();
    return 0;
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
    configure_net();
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
    if (cfg.cleanup)
        return cleanup();
    if (pipe2(sync_pipe, O_CLOEXEC) == -1)
        die(errno, NULL, "pipe2");
    find_rootfs();
    if (stat("/proc/self/ns/mnt", &host_mnt_ns) == -1)
        die(errno, NULL, "stat /proc/self/ns/mnt");
    plan_net();

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
    connect_net(child);

    close(sync_pipe[0]);
    if (write(sync_pipe[1], "g", 1) != 1)
        die(errno, NULL, "write to the child's sync pipe");
    close(sync_pipe[1]);

    status = wait_child(child);
    disconnect_net();
    uname(&uts);
    say("host: the hostname is still \"%s\"", uts.nodename);
    return status;
}
