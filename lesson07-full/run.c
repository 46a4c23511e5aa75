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
 * Changes: enum_O_NAME (the options), struct config, ns_names,
 *          clone_flags, CLONE_FLAGS_TEXT, usage, parse_args,
 *          show_namespaces, kernel_fs, make_dev, mount_kernel_fs,
 *          enter_root, create_cgroups, join_cgroups, setup_cgroups,
 *          load_record, unpack, load_image,
 *          make_container_dirs, remove_container_dirs, mount_overlay,
 *          commit_one, reclaim_container_dirs, exec_command, init_main,
 *          child_main, forward_signal, main.
 * Read:    user_namespaces(7), capabilities(7), seccomp(2), prctl(2),
 *          personality(2), setns(2), ipc_namespaces(7), cgroup_namespaces(7),
 *          time_namespaces(7), pty(7), termios(3), ioctl_tty(2),
 *          unix(7) (SCM_RIGHTS), memfd_create(2), and lesson06's pages.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <math.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/if_link.h>
#include <linux/magic.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/seccomp.h>
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

/* The ten cgroup v1 subsystems, and pids (Linux 4.3). */
enum {
    C_BLKIO,
    C_CPU,
    C_CPUACCT,
    C_CPUSET,
    C_DEVICES,
    C_FREEZER,
    C_MEMORY,
    C_NET_CLS,
    C_NET_PRIO,
    C_HUGETLB,
    C_PIDS,
    C_N
};
static const char *const cg_ctl[C_N] = {
    "blkio",  "cpu",     "cpuacct",  "cpuset",  "devices", "freezer",
    "memory", "net_cls", "net_prio", "hugetlb", "pids",
};
enum { CG_V1, CG_HYBRID, CG_V2 };
enum { READ_BPS, WRITE_BPS, READ_IOPS, WRITE_IOPS };
#define MAX_DEV_RULES 32
/* Without --pids-limit, as podman: a classroom host survives a fork bomb
   (the kernel's own limit, pid_max, is often 4 million). */
#define DEFAULT_PIDS      2048
#define DEFAULT_PIDS_TEXT "2048"

/* Long options without a letter; from O_MEMORY on, a limit. */
enum {
    O_NAME = 256,
    O_CGROUP_PARENT,
    O_FREEZE,
    O_THAW,
    O_MEMORY,
    O_MEMORY_SWAP,
    O_CPUS,
    O_CPU_SHARES,
    O_CPUSET_CPUS,
    O_CPUSET_MEMS,
    O_PIDS,
    O_BLKIO_WEIGHT,
    O_READ_BPS,
    O_WRITE_BPS,
    O_READ_IOPS,
    O_WRITE_IOPS,
    O_DEVICE,
    O_NET_CLASSID,
    O_NET_PRIO,
    O_HUGETLB,
    O_IMAGE,
    O_KEEP,
    O_COMMIT,
    O_USERNS,
    O_NO_USERNS,
    O_CAP_ADD,
    O_CAP_DROP,
    O_SECCOMP,
    O_LIST,
    O_EXEC
};

/* The user namespace: container IDs C..C+N-1 are host IDs H..H+N-1, the
   same ranges for user and group IDs. The kernel takes up to 340 lines
   (5 before Linux 4.15). */
#define DEFAULT_USERNS "0:100000:65536"
#define MAX_MAPS       5
struct id_range {
    unsigned long inside, outside, count;
};

/* Docker's default capabilities: what an ordinary program run as root
   needs, and none of those that reach beyond the container. */
#define DEFAULT_CAPS                                                           \
    ((1ULL << CAP_CHOWN) | (1ULL << CAP_DAC_OVERRIDE) | (1ULL << CAP_FSETID) | \
     (1ULL << CAP_FOWNER) | (1ULL << CAP_MKNOD) | (1ULL << CAP_NET_RAW) |      \
     (1ULL << CAP_SETGID) | (1ULL << CAP_SETUID) | (1ULL << CAP_SETFCAP) |     \
     (1ULL << CAP_SETPCAP) | (1ULL << CAP_NET_BIND_SERVICE) |                  \
     (1ULL << CAP_SYS_CHROOT) | (1ULL << CAP_KILL) |                           \
     (1ULL << CAP_AUDIT_WRITE))

/* Layers in one image: the mount options must fit in a 4096-byte page,
   each layer named by 64 hex digits and a colon. */
#define MAX_LAYERS 60

/* A devices rule: type a, b or c; major and minor, -1 for "*"; access,
   BPF_DEVCG_ACC_* bits (m 1, r 2, w 4); allow or deny. */
struct dev_rule {
    char type;
    long major, minor;
    int access, allow;
};

struct throttle {
    unsigned int major, minor;
    int kind; /* READ_BPS .. WRITE_IOPS */
    unsigned long long rate;
};

/* The limits asked for; 0 or NULL: not set. */
struct limits {
    long long memory, memory_swap; /* bytes; swap: memory + swap, -1 any */
    long cpu_quota, cpu_period;    /* --cpus N: N * period per period, us */
    unsigned long cpu_shares;
    const char *cpuset_cpus, *cpuset_mems;
    long pids;
    unsigned long blkio_weight;
    struct throttle throttle[8];
    int n_throttle;
    struct dev_rule devices[MAX_DEV_RULES];
    int n_devices;
    const char *net_classid, *net_prio;
    char hugetlb_size[16]; /* "2MB", as in hugetlb.2MB.limit_in_bytes */
    long long hugetlb_limit;
};

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
    const char *name;       /* --name: the container's, for its cgroups */
    const char *cgroup_parent; /* --cgroup-parent */
    const char *freeze;        /* --freeze NAME */
    const char *thaw;          /* --thaw NAME */
    struct limits lim;
    const char *image;  /* --image: the image's manifest */
    int keep;           /* --keep: keep the upper layer after exit */
    const char *commit; /* --commit: write the upper layer as a tar */
    int userns;         /* a user namespace (--no-userns: 0) */
    struct id_range map[MAX_MAPS]; /* --userns: its ID mapping */
    int n_map;
    unsigned long long caps; /* the capabilities kept, a bit each */
    int seccomp;             /* the seccomp filter (--seccomp off: 0) */
    int list;                /* --list: the running containers */
    const char *exec;        /* --exec NAME: a command in a running one */
};

/* The container's image: its layers in the cache, bottom first, and its
   own directories. */
struct image {
    char cache[PATH_MAX];
    char layer[MAX_LAYERS][PATH_MAX];
    int n;
    char dir[PATH_MAX], upper[PATH_MAX], work[PATH_MAX], root[PATH_MAX];
    pid_t owner;
};

/* The container's cgroups. */
struct cgroups {
    int mode;                /* CG_V1, CG_HYBRID or CG_V2 */
    char mnt[C_N][PATH_MAX]; /* v1: where each hierarchy is mounted */
    char dir[C_N][PATH_MAX]; /* v1: the container's cgroup in each */
    char v2_mnt[PATH_MAX];   /* v2: where the hierarchy is mounted */
    char v2[PATH_MAX];       /* v2: the container's cgroup */
    char priv[PATH_MAX];     /* hierarchies we mounted ourselves, if any */
    char record[PATH_MAX];   /* STATE_DIR/NAME.ct */
    pid_t owner;             /* the runtime: only it removes them */
    pid_t priv_owner;        /* the runtime that mounted priv */
};

/* The container's network, planned before clone(). */
struct net_plan {
    char host_if[IFNAMSIZ];  /* the host's end of the veth pair: cl-PID */
    struct in_addr addr, gw; /* the container's address and gateway */
    int prefix;
};

static struct config cfg;
static struct net_plan net;
static struct cgroups cg;
static struct image img;
static int color;        /* colour narration: stderr is a tty, no NO_COLOR */
static int sync_pipe[2]; /* the parent says "go" to the child through it */
static pid_t child_pid;  /* the container's PID 1, as the host sees it */
static struct stat host_mnt_ns; /* the host's /proc/self/ns/mnt */
static volatile sig_atomic_t signals_forwarded;
static pid_t init_pid;   /* a container's PID 1, from its record */
static int cpuset_later; /* v1 cpuset: made while the child works */
static char child_stack[STACK_SIZE] __attribute__((aligned(16)));
static int saved_cwd = -1; /* the runtime's cwd, while it is the root */
static int root_mounted;   /* the root is mounted in the runtime's mount ns */

/* The namespaces this lesson creates, as named in /proc/PID/ns: the
   child's cgroup namespace comes later (see child_main), and "time" is
   there from Linux 5.6. */
static const char *const ns_names[] = {"user", "uts", "ipc",  "pid",
                                       "mnt",  "net", "time", NULL};
static const int clone_flags =
    CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET;
#define CLONE_FLAGS_TEXT                                                       \
    "CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNS | "              \
    "CLONE_NEWNET"

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

/* A failure that does not end the run: said, and the run goes on. */
static void
warn(int err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(err, NULL, fmt, ap);
    va_end(ap);
}

/* ---- options ------------------------------------------------------- */

static void
usage(FILE *out)
{
    fputs(
        "usage: run [OPTIONS] [--] [COMMAND [ARG...]]\n"
        "Run COMMAND (default /bin/sh) in new user, UTS, IPC, PID, mount,\n"
        "network, cgroup and time namespaces, on the demo image (or\n"
        "--rootfs DIR), limited by cgroups, with 14 capabilities, no new\n"
        "privileges and a seccomp filter.\n"
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
        "      --cleanup        remove what killed runs left: cgroups,\n"
        "                       unused bridges, stale address leases\n"
        "      --name NAME      the container's name (default: cl-PID)\n"
        "      --list           the running containers\n"
        "      --exec NAME      run COMMAND in the running container NAME,\n"
        "                       with its capabilities and seccomp\n"
        "      --freeze NAME    stop every process of a running container\n"
        "      --thaw NAME      let them run again\n"
        "Limits (cgroups; sizes as 64M or 1G, rates as 1M per second):\n"
        "      --memory SIZE    memory; then the OOM killer\n"
        "      --memory-swap SIZE  memory and swap together (-1: any)\n"
        "      --cpus N.N       CPU time, in CPUs (0.5: half of one)\n"
        "      --cpu-shares N   CPU weight under contention (2..262144)\n"
        "      --cpuset-cpus LIST, --cpuset-mems LIST  CPUs, memory nodes\n"
        "      --pids-limit N|max  processes and threads "
        "(default " DEFAULT_PIDS_TEXT ")\n"
        "      --blkio-weight N I/O weight (10..1000)\n"
        "      --device-read-bps DEV:RATE, --device-write-bps DEV:RATE,\n"
        "      --device-read-iops DEV:N, --device-write-iops DEV:N\n"
        "      --device RULE    also allow a device: \"c 1:3 rwm\", * for any\n"
        "      --net-classid ID net_cls class id for tc, as 0x100001\n"
        "      --net-prio IF=N  net_prio priority of eth0 (or IF) inside\n"
        "      --hugetlb SIZE:LIMIT  huge pages, as 2MB:64M\n"
        "      --cgroup-parent DIR  where the cgroups go (default:\n"
        "                       container-lessons, under ours on v1)\n"
        "Images (overlayfs):\n"
        "      --image MANIFEST the root is this image's layers, under a\n"
        "                       writable one (default: build/image/manifest)\n"
        "      --keep           keep the writable layer after exit\n"
        "      --commit OUT.tar write it as a new layer, whiteouts and all\n"
        "Hardening:\n"
        "      --userns MAP     ID ranges INSIDE:OUTSIDE:COUNT, comma-\n"
        "                       separated (default: " DEFAULT_USERNS ")\n"
        "      --no-userns      root inside is root outside: to compare\n"
        "      --cap-add CAP, --cap-drop CAP  a capability (NET_ADMIN, or\n"
        "                       ALL) more or less than Docker's 14\n"
        "      --seccomp off    no seccomp filter: to compare\n"
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

/* "64M", "1g", "512k", "4096": bytes. -1 if malformed. "-1" is not a size;
   callers that take -1 for "unlimited" check for it first. */
static long long
parse_size(const char *s)
{
    char *end;
    long long n;
    int shift = 0;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    n = strtoll(s, &end, 10);
    if (errno != 0)
        return -1;
    switch (*end) {
    case 'k':
    case 'K':
        shift = 10;
        end++;
        break;
    case 'm':
    case 'M':
        shift = 20;
        end++;
        break;
    case 'g':
    case 'G':
        shift = 30;
        end++;
        break;
    case 't':
    case 'T':
        shift = 40;
        end++;
        break;
    }
    if ((*end == 'b' || *end == 'B') && shift != 0)
        end++;
    if (*end != '\0' || n > (LLONG_MAX >> shift))
        return -1;
    return n << shift;
}

/* "0-2,5": a set of CPUs or memory nodes, as cpuset.cpus takes it. -1 if
   malformed, else 0 and the set in MASK (CPUs 0 to 1023). */
static int
parse_cpu_list(const char *s, unsigned long long mask[16])
{
    long a, b;
    char *end;

    memset(mask, 0, 16 * sizeof(mask[0]));
    for (;;) {
        if (*s < '0' || *s > '9')
            return -1;
        a = b = strtol(s, &end, 10);
        if (*end == '-') {
            s = end + 1;
            if (*s < '0' || *s > '9')
                return -1;
            b = strtol(s, &end, 10);
        }
        if (a > b || b >= 1024)
            return -1;
        for (; a <= b; a++)
            mask[a / 64] |= 1ULL << (a % 64);
        if (*end == '\0')
            return 0;
        if (*end != ',')
            return -1;
        s = end + 1;
    }
}

/*
 * cpu.shares (v1, 2..262144, default 1024) to cpu.weight (v2, 1..10000,
 * default 100) as crun >= 1.23 and runc >= 1.3.2 convert it: a quadratic
 * in log2(shares) through (2, 1), (1024, 100) and (262144, 10000).
 */
static unsigned long
shares_to_weight(unsigned long shares)
{
    double l, w;

    if (shares == 0)
        return 0;
    l = log2((double)shares);
    w = ceil(pow(10.0, (l * l + 125 * l) / 612.0 - 7.0 / 34.0));
    return w < 1 ? 1 : w > 10000 ? 10000 : (unsigned long)w;
}

/* blkio.weight (v1, 10..1000) to io.weight (v2, 1..10000), linearly. */
static unsigned long
blkio_to_io_weight(unsigned long w)
{
    return 1 + (w - 10) * 9999 / 990;
}

/* A device rule as devices.allow takes it: "TYPE MAJOR:MINOR ACCESS",
   TYPE a (all), b or c, MAJOR and MINOR numbers or *, ACCESS of r w m. */
static const char *
parse_dev_rule(const char *s, struct dev_rule *r)
{
    char type, maj[12], min[12], acc[8];
    char *end;
    size_t i;

    if (sscanf(s, "%c %11[0-9*]:%11[0-9*] %7s", &type, maj, min, acc) != 4)
        return "is not \"TYPE MAJOR:MINOR ACCESS\", as in \"c 1:3 rw\"";
    if (type != 'a' && type != 'b' && type != 'c')
        return "has a type other than a, b or c";
    r->type = type;
    r->major = strcmp(maj, "*") == 0 ? -1 : strtol(maj, &end, 10);
    r->minor = strcmp(min, "*") == 0 ? -1 : strtol(min, &end, 10);
    r->access = 0;
    for (i = 0; acc[i] != '\0'; i++) {
        if (acc[i] == 'm')
            r->access |= BPF_DEVCG_ACC_MKNOD;
        else if (acc[i] == 'r')
            r->access |= BPF_DEVCG_ACC_READ;
        else if (acc[i] == 'w')
            r->access |= BPF_DEVCG_ACC_WRITE;
        else
            return "has access other than r, w and m";
    }
    r->allow = 1;
    return NULL;
}

/* "DEV:RATE", DEV a device file (/dev/sda) or MAJOR:MINOR, RATE bytes
   ("1M") or, for iops, a number. */
static const char *
parse_throttle(const char *s, int kind, struct throttle *t)
{
    const char *colon = strrchr(s, ':');
    char dev[PATH_MAX];
    struct stat st;
    long long rate;

    if (colon == NULL || (size_t)(colon - s) >= sizeof(dev))
        return "is not DEVICE:RATE";
    memcpy(dev, s, colon - s);
    dev[colon - s] = '\0';
    rate = parse_size(colon + 1);
    if (rate <= 0)
        return "has a rate that is not a positive number";
    if (sscanf(dev, "%u:%u", &t->major, &t->minor) != 2) {
        if (stat(dev, &st) == -1 || !S_ISBLK(st.st_mode))
            return "names no block device";
        t->major = major(st.st_rdev);
        t->minor = minor(st.st_rdev);
    }
    t->kind = kind;
    t->rate = (unsigned long long)rate;
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

/* Does MASK hold only what the kernel has online (cpu or node)? */
static int
within_online(const unsigned long long mask[16], const char *what)
{
    unsigned long long online[16];
    char path[64], buf[256] = "0";
    FILE *f;
    int i;

    snprintf(path, sizeof(path), "/sys/devices/system/%s/online", what);
    f = fopen(path, "re");
    if (f != NULL) {
        if (fgets(buf, sizeof(buf), f) == NULL)
            strcpy(buf, "0");
        buf[strcspn(buf, "\n")] = '\0';
        fclose(f);
    }
    if (parse_cpu_list(buf, online) == -1)
        return 1;
    for (i = 0; i < 16; i++)
        if (mask[i] & ~online[i])
            return 0;
    return 1;
}

/* One limit option: checked here, before anything is made. */
static void
parse_limit(int opt, const char *arg, struct limits *l)
{
    unsigned long long mask[16];
    char *end, path[96];
    const char *why;
    double cpus;
    long n;

    switch (opt) {
    case O_MEMORY:
        if ((l->memory = parse_size(arg)) <= 0)
            bad_usage("--memory %s is not a size, as 64M or 1G", arg);
        break;
    case O_MEMORY_SWAP:
        l->memory_swap = strcmp(arg, "-1") == 0 ? -1 : parse_size(arg);
        if (l->memory_swap == 0 || l->memory_swap < -1)
            bad_usage("--memory-swap %s is not a size, or -1", arg);
        break;
    case O_CPUS:
        cpus = strtod(arg, &end);
        if (*end != '\0' || end == arg || !(cpus >= 0.01))
            bad_usage("--cpus %s: a number of CPUs from 0.01, as 0.5", arg);
        if (cpus > sysconf(_SC_NPROCESSORS_ONLN))
            bad_usage("--cpus %s: this host has %ld CPUs", arg,
                      sysconf(_SC_NPROCESSORS_ONLN));
        l->cpu_period = 100000;
        l->cpu_quota = (long)(cpus * 100000 + 0.5);
        break;
    case O_CPU_SHARES:
        n = strtol(arg, &end, 10);
        if (*end != '\0' || n < 2 || n > 262144)
            bad_usage("--cpu-shares %s: from 2 to 262144", arg);
        l->cpu_shares = (unsigned long)n;
        break;
    case O_CPUSET_CPUS:
    case O_CPUSET_MEMS:
        why = opt == O_CPUSET_CPUS ? "cpu" : "node";
        if (parse_cpu_list(arg, mask) == -1)
            bad_usage("--cpuset-%ss %s is not a list, as 0-1,3", why, arg);
        if (!within_online(mask, why))
            bad_usage("--cpuset-%ss %s: not all are online on this host "
                      "(/sys/devices/system/%s/online)",
                      why, arg, why);
        *(opt == O_CPUSET_CPUS ? &l->cpuset_cpus : &l->cpuset_mems) = arg;
        break;
    case O_PIDS:
        n = strcmp(arg, "max") == 0 ? -1 : strtol(arg, &end, 10);
        if (n != -1 && (*end != '\0' || end == arg || n <= 0))
            bad_usage("--pids-limit %s: a number above 0, or max", arg);
        l->pids = n;
        break;
    case O_BLKIO_WEIGHT:
        n = strtol(arg, &end, 10);
        if (*end != '\0' || n < 10 || n > 1000)
            bad_usage("--blkio-weight %s: from 10 to 1000", arg);
        l->blkio_weight = (unsigned long)n;
        break;
    case O_READ_BPS:
    case O_WRITE_BPS:
    case O_READ_IOPS:
    case O_WRITE_IOPS:
        if (l->n_throttle == 8)
            bad_usage("at most 8 device throttles");
        why =
            parse_throttle(arg, opt - O_READ_BPS, &l->throttle[l->n_throttle]);
        if (why != NULL)
            bad_usage("%s %s", "--device-...-bps/iops", why);
        l->n_throttle++;
        break;
    case O_DEVICE:
        if (l->n_devices == MAX_DEV_RULES)
            bad_usage("at most %d device rules", MAX_DEV_RULES);
        why = parse_dev_rule(arg, &l->devices[l->n_devices]);
        if (why != NULL)
            bad_usage("--device \"%s\" %s", arg, why);
        l->n_devices++;
        break;
    case O_NET_CLASSID:
        strtoul(arg, &end, 0);
        if (*end != '\0' || end == arg)
            bad_usage("--net-classid %s: a number, as 0x100001", arg);
        l->net_classid = arg;
        break;
    case O_NET_PRIO:
        why = strchr(arg, '=');
        if (why == NULL || why == arg || why - arg >= IFNAMSIZ ||
            strtol(why + 1, &end, 10) < 0 || *end != '\0' || end == why + 1)
            bad_usage("--net-prio %s: IF=PRIO, as eth0=5", arg);
        l->net_prio = arg;
        break;
    case O_HUGETLB:
        why = strchr(arg, ':');
        n = why == NULL ? 0 : strtol(arg, &end, 10);
        if (why == NULL || n <= 0 ||
            why - arg >= (long)sizeof(l->hugetlb_size) ||
            (strncmp(end, "MB:", 3) != 0 && strncmp(end, "GB:", 3) != 0) ||
            (l->hugetlb_limit = parse_size(why + 1)) <= 0)
            bad_usage("--hugetlb %s: SIZE:LIMIT, as 2MB:64M", arg);
        snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%ldkB",
                 *end == 'M' ? n * 1024 : n * 1024 * 1024);
        if (access(path, F_OK) == -1)
            bad_usage("--hugetlb %s: this host has no %.*s huge pages (%s)",
                      arg, (int)(why - arg), arg, path);
        snprintf(l->hugetlb_size, sizeof(l->hugetlb_size), "%.*s",
                 (int)(why - arg), arg);
        break;
    }
}

/*
 * --userns: "INSIDE:OUTSIDE:COUNT", comma-separated, as uid_map and gid_map
 * take them (user_namespaces(7)). The kernel refuses ranges that overlap,
 * inside or outside; container root (ID 0) must be mapped, or the child
 * could never become it. NULL, or what is wrong.
 */
static const char *
parse_map(const char *s, struct config *c)
{
    struct id_range *r;
    const char *p = s;
    char *end;
    int i, j, n = 0, root = 0;

    for (;;) {
        if (n == MAX_MAPS)
            return "has more than 5 ranges";
        r = &c->map[n++];
        errno = 0;
        r->inside = strtoul(p, &end, 10);
        if (*end != ':' || end == p || errno)
            return "is not INSIDE:OUTSIDE:COUNT[,...]";
        r->outside = strtoul(p = end + 1, &end, 10);
        if (*end != ':' || end == p || errno)
            return "is not INSIDE:OUTSIDE:COUNT[,...]";
        r->count = strtoul(p = end + 1, &end, 10);
        if ((*end != ',' && *end != '\0') || end == p || errno)
            return "is not INSIDE:OUTSIDE:COUNT[,...]";
        if (r->count == 0 || r->inside + r->count > 4294967295UL ||
            r->outside + r->count > 4294967295UL)
            return "has an empty range or one past ID 4294967294";
        root |= r->inside == 0;
        if (*end == '\0')
            break;
        p = end + 1;
    }
    for (i = 0; i < n; i++)
        for (j = 0; j < i; j++)
            if ((c->map[i].inside < c->map[j].inside + c->map[j].count &&
                 c->map[j].inside < c->map[i].inside + c->map[i].count) ||
                (c->map[i].outside < c->map[j].outside + c->map[j].count &&
                 c->map[j].outside < c->map[i].outside + c->map[i].count))
                return "has ranges that overlap";
    if (!root)
        return "does not map ID 0, the container's root";
    c->n_map = n;
    return NULL;
}

/* capabilities(7), in the order of linux/capability.h: bit N is cap_name[N]. */
static const char *const cap_name[] = {
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "KILL",
    "SETGID",
    "SETUID",
    "SETPCAP",
    "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_ADMIN",
    "NET_RAW",
    "IPC_LOCK",
    "IPC_OWNER",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_CHROOT",
    "SYS_PTRACE",
    "SYS_PACCT",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_NICE",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "MKNOD",
    "LEASE",
    "AUDIT_WRITE",
    "AUDIT_CONTROL",
    "SETFCAP",
    "MAC_OVERRIDE",
    "MAC_ADMIN",
    "SYSLOG",
    "WAKE_ALARM",
    "BLOCK_SUSPEND",
    "AUDIT_READ",
    "PERFMON",
    "BPF",
    "CHECKPOINT_RESTORE",
};
#define N_CAPS ((int)(sizeof(cap_name) / sizeof(cap_name[0])))

/* "NET_ADMIN", "cap_net_admin" or "ALL": its bits, 0 if unknown. */
static unsigned long long
parse_cap(const char *s)
{
    int i;

    if (strncasecmp(s, "CAP_", 4) == 0)
        s += 4;
    if (strcasecmp(s, "ALL") == 0)
        return (1ULL << N_CAPS) - 1;
    for (i = 0; i < N_CAPS; i++)
        if (strcasecmp(s, cap_name[i]) == 0)
            return 1ULL << i;
    return 0;
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
        {"name", required_argument, NULL, O_NAME},
        {"cgroup-parent", required_argument, NULL, O_CGROUP_PARENT},
        {"freeze", required_argument, NULL, O_FREEZE},
        {"thaw", required_argument, NULL, O_THAW},
        {"memory", required_argument, NULL, O_MEMORY},
        {"memory-swap", required_argument, NULL, O_MEMORY_SWAP},
        {"cpus", required_argument, NULL, O_CPUS},
        {"cpu-shares", required_argument, NULL, O_CPU_SHARES},
        {"cpuset-cpus", required_argument, NULL, O_CPUSET_CPUS},
        {"cpuset-mems", required_argument, NULL, O_CPUSET_MEMS},
        {"pids-limit", required_argument, NULL, O_PIDS},
        {"blkio-weight", required_argument, NULL, O_BLKIO_WEIGHT},
        {"device-read-bps", required_argument, NULL, O_READ_BPS},
        {"device-write-bps", required_argument, NULL, O_WRITE_BPS},
        {"device-read-iops", required_argument, NULL, O_READ_IOPS},
        {"device-write-iops", required_argument, NULL, O_WRITE_IOPS},
        {"device", required_argument, NULL, O_DEVICE},
        {"net-classid", required_argument, NULL, O_NET_CLASSID},
        {"net-prio", required_argument, NULL, O_NET_PRIO},
        {"hugetlb", required_argument, NULL, O_HUGETLB},
        {"image", required_argument, NULL, O_IMAGE},
        {"keep", no_argument, NULL, O_KEEP},
        {"commit", required_argument, NULL, O_COMMIT},
        {"userns", required_argument, NULL, O_USERNS},
        {"no-userns", no_argument, NULL, O_NO_USERNS},
        {"cap-add", required_argument, NULL, O_CAP_ADD},
        {"cap-drop", required_argument, NULL, O_CAP_DROP},
        {"seccomp", required_argument, NULL, O_SECCOMP},
        {"list", no_argument, NULL, O_LIST},
        {"exec", required_argument, NULL, O_EXEC},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static char *default_argv[] = {"/bin/sh", NULL};
    static const char *const net_modes[] = {"none", "veth", "bridge"};
    static const struct dev_rule default_devices[] = {
        {'a', -1, -1, 7, 0}, {'c', 1, 3, 7, 1}, {'c', 1, 5, 7, 1},
        {'c', 1, 7, 7, 1},   {'c', 1, 8, 7, 1}, {'c', 1, 9, 7, 1},
        {'c', 5, 0, 7, 1},   {'c', 5, 2, 7, 1}, {'c', 136, -1, 7, 1},
    };
    unsigned long long cap;
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
    c->name = NULL;
    c->cgroup_parent = "container-lessons";
    c->freeze = c->thaw = NULL;
    memset(&c->lim, 0, sizeof(c->lim));
    c->image = c->commit = NULL;
    c->keep = 0;
    c->userns = 1;
    parse_map(DEFAULT_USERNS, c);
    c->caps = DEFAULT_CAPS;
    c->seccomp = 1;
    c->list = 0;
    c->exec = NULL;
    /* Deny every device, then allow those a program expects. */
    memcpy(c->lim.devices, default_devices, sizeof(default_devices));
    c->lim.n_devices = sizeof(default_devices) / sizeof(default_devices[0]);
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
        case O_NAME:
            if ((why = check_hostname(optarg)) != NULL)
                bad_usage("--name \"%s\" %s", optarg, why);
            c->name = optarg;
            break;
        case O_CGROUP_PARENT:
            if (strstr(optarg, "..") != NULL || *optarg == '\0')
                bad_usage("--cgroup-parent %s: no \"..\", not empty", optarg);
            c->cgroup_parent = optarg;
            break;
        case O_FREEZE:
        case O_THAW:
            if ((why = check_hostname(optarg)) != NULL)
                bad_usage("--freeze/--thaw \"%s\" %s", optarg, why);
            *(opt == O_FREEZE ? &c->freeze : &c->thaw) = optarg;
            break;
        case O_IMAGE:
            c->image = optarg;
            break;
        case O_KEEP:
            c->keep = 1;
            break;
        case O_COMMIT:
            c->commit = optarg;
            break;
        case O_USERNS:
            if ((why = parse_map(optarg, c)) != NULL)
                bad_usage("--userns %s %s", optarg, why);
            c->userns = 1;
            break;
        case O_NO_USERNS:
            c->userns = 0;
            break;
        case O_CAP_ADD:
        case O_CAP_DROP:
            if ((cap = parse_cap(optarg)) == 0)
                bad_usage("%s %s: no such capability (see capabilities(7): "
                          "NET_ADMIN, SYS_TIME, ... or ALL)",
                          opt == O_CAP_ADD ? "--cap-add" : "--cap-drop",
                          optarg);
            if (opt == O_CAP_ADD)
                c->caps |= cap;
            else
                c->caps &= ~cap;
            break;
        case O_SECCOMP:
            if (strcmp(optarg, "off") != 0 && strcmp(optarg, "on") != 0)
                bad_usage("--seccomp %s: use on or off", optarg);
            c->seccomp = strcmp(optarg, "on") == 0;
            break;
        case O_LIST:
            c->list = 1;
            break;
        case O_EXEC:
            if ((why = check_hostname(optarg)) != NULL)
                bad_usage("--exec \"%s\" %s", optarg, why);
            c->exec = optarg;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        case ':':
            bad_usage("option %s needs an argument", argv[optind - 1]);
        default:
            if (opt >= O_MEMORY && opt < O_IMAGE) {
                parse_limit(opt, optarg, &c->lim);
                break;
            }
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
    if (c->lim.memory_swap > 0 && c->lim.memory_swap < c->lim.memory)
        bad_usage("--memory-swap is memory and swap together: at least "
                  "--memory");
    if (c->lim.memory_swap != 0 && c->lim.memory == 0)
        bad_usage("--memory-swap needs --memory");
    if ((c->keep || c->commit != NULL) && c->rootfs != NULL)
        bad_usage("--keep and --commit need an image, not --rootfs");
    if (c->image != NULL && c->rootfs != NULL)
        bad_usage("--image and --rootfs: one root, not both");
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
        snprintf(host, sizeof(host), "/proc/self/ns/%s", ns_names[i]);
        if (access(host, F_OK) != 0)
            continue; /* not in this kernel: said where it is made */
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

/* The kernel's own filesystems, mounted in the new root in this order,
   before pivot_root: in a user namespace, proc and sysfs may be mounted
   only where the host's are still fully visible (mount_too_revealing()).
   Every tmpfs has a size: without size= one may take half the host's
   memory (its pages are the host's until the container is limited). */
static const struct kernel_fs {
    const char *source, *target, *type;
    unsigned long flags;
    const char *data, *why;
} kernel_fs[] = {
    {"proc", "proc", "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL,
     "a procfs of this PID namespace: ps sees only the container"},
    {"sysfs", "sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NOEXEC | MS_NODEV,
     NULL, "read-only: the container may look, not reconfigure"},
    {"tmpfs", "dev", "tmpfs", MS_NOSUID | MS_STRICTATIME,
     "mode=755,size=65536k", "an empty tmpfs: no host disks in it"},
    {"devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
     "newinstance,ptmxmode=0666,mode=0620,gid=5",
     "a new instance: the host's terminals are not there"},
    {"shm", "dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
     "mode=1777,size=65536k", "POSIX shared memory"},
    {"tmpfs", "tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=65536k",
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

/*
 * In the new root's dev (the cwd is the new root). mknod(2) is refused in
 * a user namespace, and a tmpfs mounted there is nodev anyway; so each
 * node is the host's own, bind-mounted onto an empty file, after a check
 * that the host's is the device it should be.
 */
static void
make_dev(void)
{
    mode_t old = umask(0);
    struct stat st;
    size_t i;
    int fd;

    for (i = 0; i < sizeof(dev_nodes) / sizeof(dev_nodes[0]); i++) {
        const struct dev_node *d = &dev_nodes[i];
        const char *rel = d->path + 1;

        if (!cfg.userns) {
            if (mknod(rel, S_IFCHR | 0666, makedev(d->major, d->minor)) == -1)
                die(errno, NULL, "mknod %s", d->path);
            continue;
        }
        if (stat(d->path, &st) == -1 || !S_ISCHR(st.st_mode) ||
            st.st_rdev != makedev(d->major, d->minor))
            die(errno, "the host's /dev is not what it should be",
                "host %s is not the character device %u:%u", d->path, d->major,
                d->minor);
        fd = open(rel, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd == -1 || close(fd) == -1 ||
            mount(d->path, rel, NULL, MS_BIND, NULL) == -1)
            die(errno, NULL, "bind mount the host's %s", d->path);
    }
    umask(old);
    for (i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++) {
        if (symlink(dev_links[i][0], dev_links[i][1] + 1) == -1)
            die(errno, NULL, "symlink %s", dev_links[i][1]);
    }
    if (mkdir("dev/pts", 0755) == -1 || mkdir("dev/shm", 01777) == -1)
        die(errno, NULL, "mkdir /dev/pts, /dev/shm");
    if (cfg.userns)
        say("child: bind mount the host's /dev/{null,zero,full,random,"
            "urandom,tty}: mknod is refused in a user namespace");
    else
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
                : errno == EPERM && cfg.userns
                    ? "the host's /proc or /sys has parts hidden (as "
                      "inside another container): try --no-userns"
                    : NULL,
                "mount %s on /%s", m->type, m->target);
        say("child: mount -t %s /%s: %s", m->type, m->target, m->why);
        if (strcmp(m->target, "dev") == 0)
            make_dev();
    }
}

/*
 * Parts of /proc and /sys that show or change the host, as Docker hides
 * them: a masked file is /dev/null bind-mounted over it, a masked
 * directory an empty read-only tmpfs; a read-only path is bind-mounted
 * onto itself and remounted read-only. A process with CAP_SYS_ADMIN could
 * unmount them: that is why it is dropped.
 */
static const char *const masked_paths[] = {
    "/proc/acpi",
    "/proc/asound",
    "/proc/interrupts", /* every CPU's interrupt counts: a side channel */
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
};
static const char *const readonly_paths[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

/* Mask PATH if this kernel has it. */
static void
mask_one(const char *path)
{
    struct stat st;

    if (stat(path, &st) == -1)
        return; /* not in this kernel */
    if (S_ISDIR(st.st_mode)
            ? mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0") == -1
            : mount("/dev/null", path, NULL, MS_BIND, NULL) == -1)
        die(errno, NULL, "mask %s", path);
}

static void
mask_paths(void)
{
    char path[PATH_MAX];
    struct statvfs sv;
    struct stat st;
    struct dirent *d;
    unsigned long flags;
    size_t i;
    DIR *cpus;

    /* A mask must be the real /dev/null, not a file the image put there. */
    if (stat("/dev/null", &st) == -1 || !S_ISCHR(st.st_mode) ||
        st.st_rdev != makedev(1, 3))
        die(errno, NULL, "/dev/null is not the character device 1:3");
    for (i = 0; i < sizeof(masked_paths) / sizeof(masked_paths[0]); i++)
        mask_one(masked_paths[i]);
    /* And, as moby since 2025, each CPU's thermal_throttle counters
       (x86's thermal interrupts): the host's load, seen from a container.
       Only the cpuN directories have them; the list depends on the host. */
    cpus = opendir("/sys/devices/system/cpu");
    while (cpus != NULL && (d = readdir(cpus)) != NULL) {
        if (strncmp(d->d_name, "cpu", 3) != 0 || d->d_name[3] < '0' ||
            d->d_name[3] > '9')
            continue;
        snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s/%s", d->d_name,
                 "thermal_throttle");
        mask_one(path);
    }
    if (cpus != NULL)
        closedir(cpus);
    say("child: masked /proc/kcore, /proc/keys, /proc/interrupts, "
        "/sys/firmware, ...: /dev/null or an empty tmpfs over them");
    for (i = 0; i < sizeof(readonly_paths) / sizeof(readonly_paths[0]); i++) {
        if (statvfs(readonly_paths[i], &sv) == -1)
            continue;
        /* A remount must keep the flags the mount has, or it is EPERM. */
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY |
                (sv.f_flag & ST_NOSUID ? MS_NOSUID : 0) |
                (sv.f_flag & ST_NODEV ? MS_NODEV : 0) |
                (sv.f_flag & ST_NOEXEC ? MS_NOEXEC : 0);
        if (mount(readonly_paths[i], readonly_paths[i], NULL, MS_BIND | MS_REC,
                  NULL) == -1 ||
            mount(NULL, readonly_paths[i], NULL, flags, NULL) == -1)
            die(errno, NULL, "make %s read-only", readonly_paths[i]);
    }
    say("child: read-only /proc/sys, /proc/sysrq-trigger, /proc/irq, "
        "/proc/bus, /proc/fs: core_pattern and sysrq are the host's");
}

/* With --image the root is an overlay, mounted by the image code below. */
static void mount_overlay(void);

/*
 * The runtime prepares the root in a mount namespace of its own (the host
 * sees none of it) and makes it its cwd: the overlay, or the rootfs bound
 * onto itself. clone(CLONE_NEWNS) copies the mounts, and moves the cwd to
 * the copy; so the child starts inside its root without walking the
 * host's path, which the container's root (UID 100000 on the host) may
 * not be allowed to search (/root, /home/USER). The runtime, still the
 * host's root, mounts the overlay: any kernel can, and the mount is the
 * host root's, so copy-up may give a file any owner.
 */
static void
prepare_root(void)
{
    /* The cwd, for paths the user gave (--commit OUT.tar), after. */
    saved_cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (saved_cwd == -1)
        die(errno, NULL, "open the cwd");
    /* On a hybrid host the runtime has one already (for the hierarchies
       it mounted): every mount in it is private. */
    if (cg.priv[0] == '\0') {
        if (unshare(CLONE_NEWNS) == -1)
            die(errno, NULL, "unshare(CLONE_NEWNS) for the runtime");
        check_new_mount_ns();
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
            die(errno, NULL, "mount --make-rprivate /");
        say("unshare(CLONE_NEWNS), mount(\"/\", MS_REC | MS_PRIVATE): the "
            "runtime prepares the root where the host does not see it");
    }
    check_new_mount_ns();
    if (cfg.image != NULL)
        mount_overlay();
    else if (mount(cfg.rootfs, cfg.rootfs, NULL, MS_BIND | MS_REC, NULL) == -1)
        die(errno, NULL, "bind mount %s onto itself", cfg.rootfs);
    root_mounted = 1;
    if (chdir(cfg.rootfs) == -1)
        die(errno, NULL, "chdir %s", cfg.rootfs);
}

/*
 * Make the rootfs "/" of this mount namespace, with the host's root gone.
 * The child's cwd is its root (see prepare_root()). The order matters:
 * private first, or everything after propagates to the host (systemd
 * mounts / shared) and pivot_root fails with EINVAL. Then a bind mount of
 * ".": mounts copied into a user namespace's mount namespace are locked
 * to the ones under them, pivot_root refuses to move a locked one, and a
 * new bind mount is not locked. open_tree(2) makes it without a path,
 * move_mount(2) puts it in place.
 */
static void
enter_root(void)
{
    int tree;

    check_new_mount_ns();
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
        die(errno, NULL, "mount --make-rprivate /");
    say("child: mount(\"/\", MS_REC | MS_PRIVATE): no mount event reaches "
        "the host from here on");
    tree = (int)syscall(SYS_open_tree, AT_FDCWD, ".",
                        OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
    if (tree == -1 ||
        syscall(SYS_move_mount, tree, "", AT_FDCWD, ".",
                MOVE_MOUNT_F_EMPTY_PATH) == -1 ||
        fchdir(tree) == -1)
        die(errno, errno == ENOSYS ? "open_tree needs Linux 5.2" : NULL,
            "bind mount %s onto itself (open_tree, move_mount)", cfg.rootfs);
    close(tree);
    mount_kernel_fs();
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
    mask_paths();
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

/* ---- cgroups: finding the hierarchies ------------------------------ */

/*
 * A cgroup is a directory in a cgroup filesystem; writing a PID to its
 * cgroup.procs moves the process in, and the files beside it set the
 * limits. cgroup v1 has one hierarchy per controller (or per group of
 * co-mounted controllers, as systemd mounts cpu,cpuacct); cgroup v2 has
 * one hierarchy for all. A hybrid host has v1 hierarchies plus an (often
 * empty) v2 one at /sys/fs/cgroup/unified. Nothing is assumed about the
 * paths: statfs(2) tells the mode, /proc/self/mountinfo where each
 * hierarchy is, /proc/self/cgroup where we are in it.
 */
static int
cgroup_mode(void)
{
    struct statfs fs;

    if (statfs("/sys/fs/cgroup", &fs) == -1)
        die(errno, "mount cgroups on /sys/fs/cgroup", "statfs /sys/fs/cgroup");
    if (fs.f_type == CGROUP2_SUPER_MAGIC)
        return CG_V2;
    if (statfs("/sys/fs/cgroup/unified", &fs) == 0 &&
        fs.f_type == CGROUP2_SUPER_MAGIC)
        return CG_HYBRID;
    return CG_V1;
}

/*
 * One line of /proc/self/mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT
 * OPTIONS [TAGS...] - FSTYPE SOURCE SUPER-OPTIONS". For a cgroup
 * filesystem, 1 (v1) or 2 (v2) with its mount point, its root and its
 * super options (for v1, the controllers: "rw,cpu,cpuacct"); else 0.
 */
static int
parse_mountinfo(const char *line, char *mnt, char *root, char *opts)
{
    const char *dash = strstr(line, " - ");
    char fstype[32], source[64];

    if (dash == NULL ||
        sscanf(line, "%*d %*d %*s %4095s %4095s", root, mnt) != 2 ||
        sscanf(dash + 3, "%31s %63s %4095s", fstype, source, opts) != 3)
        return 0;
    if (strcmp(fstype, "cgroup2") == 0)
        return 2;
    return strcmp(fstype, "cgroup") == 0;
}

/* A + SEP + B into OUT, of PATH_MAX bytes; too long ends the run. OUT
   may be A. */
static void
join(char *out, const char *a, const char *sep, const char *b)
{
    char buf[PATH_MAX];
    int n = snprintf(buf, sizeof(buf), "%s%s%s", a, sep, b);

    if (n < 0 || n >= PATH_MAX)
        die(ENAMETOOLONG, NULL, "%s%s%s", a, sep, b);
    memcpy(out, buf, (size_t)n + 1);
}

/* Is NAME one of the comma-separated words of LIST? */
static int
has_word(const char *list, const char *name)
{
    size_t n = strlen(name);
    const char *p;

    for (p = list; (p = strstr(p, name)) != NULL; p += n)
        if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return 0;
}

/* Our own cgroup in the hierarchy of CTL (NULL: v2), from /proc/self/cgroup
   lines "ID:CONTROLLERS:PATH"; v2's line is "0::PATH". */
static void
own_cgroup(const char *ctl, char *path)
{
    char line[PATH_MAX + 128], *a, *b;
    FILE *f = fopen("/proc/self/cgroup", "re");

    strcpy(path, "/");
    if (f == NULL)
        die(errno, NULL, "open /proc/self/cgroup");
    while (fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        a = strchr(line, ':');
        b = a == NULL ? NULL : strchr(a + 1, ':');
        if (b == NULL)
            continue;
        *b = '\0';
        if (ctl == NULL ? a[1] == '\0' : has_word(a + 1, ctl)) {
            snprintf(path, PATH_MAX, "%s", b + 1);
            break;
        }
    }
    fclose(f);
}

static void
find_hierarchies(void)
{
    static char line[3 * PATH_MAX], mnt[PATH_MAX], root[PATH_MAX],
        opts[PATH_MAX];
    FILE *f = fopen("/proc/self/mountinfo", "re");
    int c, kind;

    if (f == NULL)
        die(errno, NULL, "open /proc/self/mountinfo");
    while (fgets(line, sizeof(line), f) != NULL) {
        kind = parse_mountinfo(line, mnt, root, opts);
        if (kind == 2 && cg.mode == CG_V2 && strcmp(mnt, "/sys/fs/cgroup") == 0)
            snprintf(cg.v2_mnt, PATH_MAX, "%s", mnt);
        for (c = 0; kind == 1 && c < C_N; c++)
            if (cg.mnt[c][0] == '\0' && has_word(opts, cg_ctl[c]))
                snprintf(cg.mnt[c], PATH_MAX, "%s", mnt);
    }
    fclose(f);
}

/* Is the v1 controller CTL in the kernel and enabled (/proc/cgroups)? */
static int
controller_enabled(const char *ctl)
{
    char name[32];
    int hier, num, enabled, found = 0;
    FILE *f = fopen("/proc/cgroups", "re");

    if (f == NULL)
        return 0;
    fscanf(f, "%*[^\n]\n");
    while (fscanf(f, "%31s %d %d %d", name, &hier, &num, &enabled) == 4)
        if (strcmp(name, ctl) == 0)
            found = enabled;
    fclose(f);
    return found;
}

/* The private mounts go with the runtime; only their directory is left. */
static void
unmount_private(void)
{
    if (cg.priv[0] == '\0' || getpid() != cg.priv_owner)
        return;
    if (umount2(cg.priv, MNT_DETACH) == -1 || rmdir(cg.priv) == -1)
        warn(errno, "remove %s", cg.priv);
    cg.priv[0] = '\0';
}

/*
 * v1 hierarchies the host has not mounted (here often net_cls, net_prio
 * and hugetlb) are mounted by the runtime, in a mount namespace of its
 * own so that the host sees no change: unshare(CLONE_NEWNS), every mount
 * private, a tmpfs on an empty directory, one directory per hierarchy.
 * net_cls and net_prio are mounted together, as systemd does.
 */
static void
mount_missing_hierarchies(void)
{
    static const char *const groups[] = {
        "net_cls,net_prio", "net_cls", "net_prio",
        "hugetlb",          "blkio",   "cpu,cpuacct",
        "cpuset",           "devices", "freezer",
        "memory",           "pids"};
    char dir[PATH_MAX];
    size_t g;
    int c, missing;

    for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        for (missing = 1, c = 0; c < C_N; c++)
            if (has_word(groups[g], cg_ctl[c]) &&
                (cg.mnt[c][0] != '\0' || !controller_enabled(cg_ctl[c])))
                missing = 0;
        if (!missing)
            continue;
        if (cg.priv[0] == '\0') {
            if (unshare(CLONE_NEWNS) == -1 ||
                mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
                die(errno, NULL, "unshare(CLONE_NEWNS) for the runtime");
            snprintf(cg.priv, PATH_MAX, STATE_DIR "/mnt.%d", (int)getpid());
            rmdir(cg.priv); /* a killed runtime's, if it had our PID */
            if (mkdir(cg.priv, 0700) == -1 ||
                mount("tmpfs", cg.priv, "tmpfs", 0, "mode=700") == -1)
                die(errno, NULL, "a private tmpfs on %s", cg.priv);
            cg.priv_owner = getpid();
            atexit(unmount_private);
            say("unshare(CLONE_NEWNS): the runtime mounts what the host "
                "lacks in a mount namespace of its own, on %s",
                cg.priv);
        }
        join(dir, cg.priv, "/", groups[g]);
        if (mkdir(dir, 0755) == -1)
            die(errno, NULL, "mkdir %s", dir);
        if (mount("cgroup", dir, "cgroup", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                  groups[g]) == -1) {
            /* Since Linux 6.11 a kernel may have a controller for v2 only
               (CONFIG_MEMCG_V1, CONFIG_CPUSETS_V1 off): /proc/cgroups
               still lists it, and the v1 mount is EINVAL. */
            if (errno != EINVAL)
                die(errno, NULL, "mount -t cgroup -o %s cgroup %s", groups[g],
                    dir);
            rmdir(dir);
            say("mount -t cgroup -o %s: this kernel has no cgroup v1 %s%s: "
                "the container is not limited by it",
                groups[g], groups[g],
                strcmp(groups[g], "memory") == 0   ? " (CONFIG_MEMCG_V1)"
                : strcmp(groups[g], "cpuset") == 0 ? " (CONFIG_CPUSETS_V1)"
                                                   : "");
            continue;
        }
        say("mount -t cgroup -o %s cgroup %s: the host had not mounted it",
            groups[g], dir);
        for (c = 0; c < C_N; c++)
            if (has_word(groups[g], cg_ctl[c]))
                snprintf(cg.mnt[c], PATH_MAX, "%s", dir);
    }
}

/* ---- cgroups: control files ---------------------------------------- */

/* echo VALUE > DIR/FILE, narrated so. Returns 0 or the errno. */
static int
cg_write(const char *dir, const char *file, const char *value)
{
    char path[PATH_MAX + 64];
    int fd, err = 0;

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    say("%secho \"%s\" > %s", side, value, path);
    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd == -1 || write(fd, value, strlen(value)) == -1)
        err = errno;
    if (fd != -1)
        close(fd);
    return err;
}

static void
cg_must(const char *dir, const char *file, const char *value)
{
    int err = cg_write(dir, file, value);

    if (err != 0)
        die(err, err == ENOENT ? "this kernel lacks that control file" : NULL,
            "echo \"%s\" > %s/%s", value, dir, file);
}

/* The first line of DIR/FILE, or "" if it cannot be read. */
static const char *
cg_read(const char *dir, const char *file)
{
    static char buf[4096];
    char path[PATH_MAX + 64];
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    buf[0] = '\0';
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd == -1)
        return buf;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return buf;
}

/* The number after KEY in a "key value" file (cpu.stat, memory.events). */
static long long
cg_stat(const char *dir, const char *file, const char *key)
{
    char path[PATH_MAX + 64], k[64];
    long long v, found = -1;
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    f = fopen(path, "re");
    if (f == NULL)
        return -1;
    while (fscanf(f, "%63s %lld", k, &v) == 2)
        if (strcmp(k, key) == 0)
            found = v;
    fclose(f);
    return found;
}

static int
cg_has(const char *dir, const char *file)
{
    char path[PATH_MAX + 64];

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    return access(path, F_OK) == 0;
}

/* ---- cgroups: devices on v2, a BPF program ------------------------- */

/*
 * cgroup v2 has no devices files: access to a device node is decided by a
 * BPF_PROG_TYPE_CGROUP_DEVICE program attached to the cgroup. It gets a
 * struct bpf_cgroup_dev_ctx (access_type = access << 16 | type, major,
 * minor) in r1 and returns 1 to allow, 0 to deny. Assembled here
 * instruction by instruction: rules are tried last to first, as v1 reads
 * devices.allow and devices.deny; the first that matches decides.
 */
#define INSN(c, d, s, o, i)                                                    \
    ((struct bpf_insn){                                                        \
        .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})

static int
build_dev_prog(const struct dev_rule *rules, int n, struct bpf_insn *prog)
{
    int len = 0, i, start, type;

    /* r2 = type, r3 = access, r4 = major, r5 = minor */
    prog[len++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 2, 1, 0, 0);
    prog[len++] = INSN(BPF_ALU | BPF_AND | BPF_K, 2, 0, 0, 0xffff);
    prog[len++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 3, 1, 0, 0);
    prog[len++] = INSN(BPF_ALU | BPF_RSH | BPF_K, 3, 0, 0, 16);
    prog[len++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 4, 1, 4, 0);
    prog[len++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 5, 1, 8, 0);
    for (i = n - 1; i >= 0; i--) {
        start = len;
        /* Each test jumps to the next rule; offsets are fixed below. */
        if (rules[i].type != 'a') {
            type =
                rules[i].type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
            prog[len++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 2, 0, 0, type);
        }
        if (rules[i].access != 7) {
            /* Every access asked for must be in the rule: r1 = r3 & acc;
               if (r1 != r3) next. */
            prog[len++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, 1, 3, 0, 0);
            prog[len++] =
                INSN(BPF_ALU | BPF_AND | BPF_K, 1, 0, 0, rules[i].access);
            prog[len++] = INSN(BPF_JMP | BPF_JNE | BPF_X, 1, 3, 0, 0);
        }
        if (rules[i].major != -1)
            prog[len++] =
                INSN(BPF_JMP | BPF_JNE | BPF_K, 4, 0, 0, rules[i].major);
        if (rules[i].minor != -1)
            prog[len++] =
                INSN(BPF_JMP | BPF_JNE | BPF_K, 5, 0, 0, rules[i].minor);
        prog[len++] =
            INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, rules[i].allow);
        prog[len++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
        /* A rule without tests decides every access: the rules before
           it could never be reached, and the verifier refuses code that
           cannot run. */
        if (start == len - 2)
            return len;
        for (; start < len - 2; start++)
            if (BPF_CLASS(prog[start].code) == BPF_JMP)
                prog[start].off = (short)(len - start - 1);
    }
    /* No rule matched: deny. */
    prog[len++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
    prog[len++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    return len;
}

static void
attach_dev_prog(const char *dir)
{
    static char log[65536];
    struct bpf_insn prog[8 + 12 * MAX_DEV_RULES];
    union bpf_attr attr;
    int fd, cgfd, n;

    n = build_dev_prog(cfg.lim.devices, cfg.lim.n_devices, prog);
    memset(&attr, 0, sizeof(attr));
    attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    attr.insns = (uintptr_t)prog;
    attr.insn_cnt = (uint32_t)n;
    attr.license = (uintptr_t) "GPL";
    attr.log_buf = (uintptr_t)log;
    attr.log_size = sizeof(log);
    attr.log_level = 1;
    fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
    if (fd == -1) {
        fprintf(stderr, "%s\n", log);
        die(errno, "the verifier's log is above",
            "bpf(BPF_PROG_LOAD, BPF_PROG_TYPE_CGROUP_DEVICE)");
    }
    cgfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    memset(&attr, 0, sizeof(attr));
    attr.target_fd = (uint32_t)cgfd;
    attr.attach_bpf_fd = (uint32_t)fd;
    attr.attach_type = BPF_CGROUP_DEVICE;
    attr.attach_flags = BPF_F_ALLOW_MULTI;
    if (cgfd == -1 ||
        syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof(attr)) == -1)
        die(errno, NULL, "bpf(BPF_PROG_ATTACH, BPF_CGROUP_DEVICE) to %s", dir);
    say("bpf(BPF_PROG_LOAD) a %d-instruction device filter, "
        "bpf(BPF_PROG_ATTACH) it to %s: it goes with the cgroup",
        n, dir);
    close(cgfd);
    close(fd);
}

/* ---- cgroups: the container's ----------------------------------------- */

/* mkdir DIR unless it is there; v1 cpuset children start with no CPUs and
   no memory nodes, and take no task until they are given their parent's. */
static void
cg_mkdir(const char *dir, int c)
{
    char parent[PATH_MAX];

    if (mkdir(dir, 0755) == -1) {
        if (errno != EEXIST)
            die(errno, NULL, "mkdir %s", dir);
        return;
    }
    say("mkdir %s", dir);
    if (c == C_CPUSET && cg.mode != CG_V2) {
        snprintf(parent, sizeof(parent), "%s", dir);
        *strrchr(parent, '/') = '\0';
        cg_must(dir, "cpuset.cpus", cg_read(parent, "cpuset.cpus"));
        cg_must(dir, "cpuset.mems", cg_read(parent, "cpuset.mems"));
    }
}

/* The parent of the container's cgroups in a hierarchy mounted at MNT:
   --cgroup-parent if it starts with '/', else under our own cgroup (v1:
   so that limits set on the caller still hold) or the root (v2: a cgroup
   with processes may not have children with controllers). */
static void
cg_parent(const char *mnt, const char *ctl, char *out)
{
    char own[PATH_MAX], base[PATH_MAX];

    if (cfg.cgroup_parent[0] == '/' || cg.mode == CG_V2)
        strcpy(own, "");
    else
        own_cgroup(ctl, own);
    if (strcmp(own, "/") == 0)
        own[0] = '\0';
    join(base, mnt, "", own);
    join(out, base, "/", cfg.cgroup_parent + (cfg.cgroup_parent[0] == '/'));
}

/*
 * Make the container's cgroups: on v1 one in each hierarchy, on v2 one,
 * after enabling in our parent every controller the root delegates
 * (cgroup.subtree_control); never a write to a cgroup we did not make.
 * Then the record STATE_DIR/NAME.ct that --freeze and --cleanup read.
 */
static void
create_cgroups(void)
{
    char parent[PATH_MAX], want[256] = "", *tok, *save;
    FILE *rec;
    int c, d;

    snprintf(parent, sizeof(parent), STATE_DIR "/%s.ct", cfg.name);
    rec = state_create(parent);
    if (rec == NULL)
        die(errno, errno == EEXIST ? "choose another --name" : NULL,
            "container %s: %s", cfg.name, parent);
    strcpy(cg.record, parent); /* ours to remove, now */
    put_owner(rec);
    if (cg.mode == CG_V2) {
        cg_parent(cg.v2_mnt, NULL, parent);
        cg_mkdir(parent, -1);
        snprintf(want, sizeof(want), "%s",
                 cg_read(cg.v2_mnt, "cgroup.subtree_control"));
        for (tok = strtok_r(want, " ", &save); tok != NULL;
             tok = strtok_r(NULL, " ", &save)) {
            char plus[40];

            snprintf(plus, sizeof(plus), "+%s", tok);
            cg_write(parent, "cgroup.subtree_control", plus);
        }
        join(cg.v2, parent, "/", cfg.name);
        cg_mkdir(cg.v2, -1);
        fprintf(rec, "cgroup2 %s\n", cg.v2 + strlen(cg.v2_mnt));
    } else {
        for (c = 0; c < C_N; c++) {
            /* Without a device policy root in the container opens every
               device node it can make or find: runc refuses to run so. */
            if (cg.mnt[c][0] == '\0' && c == C_DEVICES)
                die(0,
                    "mount the v1 devices hierarchy, or use a cgroup v2 host "
                    "(its device policy is a BPF program)",
                    "no devices cgroup on this host: the container could open "
                    "any device");
            if (cg.mnt[c][0] == '\0') {
                say("no %s hierarchy on this host: the container is not "
                    "limited by it",
                    cg_ctl[c]);
                continue;
            }
            /* Co-mounted controllers share one cgroup. */
            for (d = 0; d < c && strcmp(cg.mnt[d], cg.mnt[c]) != 0; d++)
                ;
            if (d < c) {
                strcpy(cg.dir[c], cg.dir[d]);
                continue;
            }
            cg_parent(cg.mnt[c], cg_ctl[c], parent);
            join(cg.dir[c], parent, "/", cfg.name);
            fprintf(rec, "%s %s\n", cg_ctl[c], cg.dir[c] + strlen(cg.mnt[c]));
            for (d = c + 1; d < C_N && strcmp(cg.mnt[d], cg.mnt[c]) != 0; d++)
                ;
            if (c == C_CPUSET && d == C_N) {
                cpuset_later = 1; /* see make_cpuset() */
                continue;
            }
            cg_mkdir(parent, c);
            cg_mkdir(cg.dir[c], c);
        }
    }
    if (fclose(rec) != 0)
        die(errno, NULL, "write %s", cg.record);
}

/* The cgroup that holds controller C's files: v1 its hierarchy's, v2 the
   one cgroup; NULL if the host lacks it. */
static const char *
cg_dir(int c)
{
    if (cg.mode == CG_V2)
        return cg.v2;
    return cg.dir[c][0] != '\0' ? cg.dir[c] : NULL;
}

static void
apply_memory(void)
{
    const char *dir = cg_dir(C_MEMORY);
    char v[32];

    if (dir == NULL || (cfg.lim.memory == 0 && cfg.lim.memory_swap == 0))
        return;
    if (cg.mode == CG_V2) {
        /* v2 counts swap apart: swap.max = (memory + swap) - memory. */
        snprintf(v, sizeof(v), "%lld", cfg.lim.memory);
        if (cfg.lim.memory > 0)
            cg_must(dir, "memory.max", v);
        if (cfg.lim.memory_swap == -1)
            strcpy(v, "max");
        else if (cfg.lim.memory_swap > 0)
            snprintf(v, sizeof(v), "%lld",
                     cfg.lim.memory_swap - cfg.lim.memory);
        if (cfg.lim.memory_swap != 0)
            cg_must(dir, "memory.swap.max", v);
        return;
    }
    snprintf(v, sizeof(v), "%lld", cfg.lim.memory);
    if (cfg.lim.memory > 0)
        cg_must(dir, "memory.limit_in_bytes", v);
    if (cfg.lim.memory_swap == 0)
        return;
    snprintf(v, sizeof(v), "%lld", cfg.lim.memory_swap);
    if (!cg_has(dir, "memory.memsw.limit_in_bytes"))
        say("memory.memsw.limit_in_bytes is missing: swap accounting is off "
            "(boot with swapaccount=1); --memory-swap is not applied");
    else
        cg_must(dir, "memory.memsw.limit_in_bytes", v);
}

static void
apply_cpu(void)
{
    const char *dir = cg_dir(C_CPU);
    char v[48];

    if (dir == NULL)
        return;
    if (cfg.lim.cpu_quota > 0) {
        if (cg.mode == CG_V2) {
            snprintf(v, sizeof(v), "%ld %ld", cfg.lim.cpu_quota,
                     cfg.lim.cpu_period);
            cg_must(dir, "cpu.max", v);
        } else {
            snprintf(v, sizeof(v), "%ld", cfg.lim.cpu_period);
            cg_must(dir, "cpu.cfs_period_us", v);
            snprintf(v, sizeof(v), "%ld", cfg.lim.cpu_quota);
            cg_must(dir, "cpu.cfs_quota_us", v);
        }
    }
    if (cfg.lim.cpu_shares > 0) {
        if (cg.mode == CG_V2) {
            snprintf(v, sizeof(v), "%lu", shares_to_weight(cfg.lim.cpu_shares));
            cg_must(dir, "cpu.weight", v);
        } else {
            snprintf(v, sizeof(v), "%lu", cfg.lim.cpu_shares);
            cg_must(dir, "cpu.shares", v);
        }
    }
}

static void
apply_cpuset(void)
{
    const char *dir = cg_dir(C_CPUSET);

    if (dir == NULL)
        return;
    if (cfg.lim.cpuset_cpus != NULL)
        cg_must(dir, "cpuset.cpus", cfg.lim.cpuset_cpus);
    if (cfg.lim.cpuset_mems != NULL)
        cg_must(dir, "cpuset.mems", cfg.lim.cpuset_mems);
}

static void
apply_pids(void)
{
    const char *dir = cg_dir(C_PIDS);
    char v[24];

    if (dir == NULL || cfg.lim.pids == -1)
        return;
    if (cfg.lim.pids == 0)
        say("pids.max " DEFAULT_PIDS_TEXT ": the default, as podman's: a "
            "fork bomb stops there (--pids-limit N or max)");
    snprintf(v, sizeof(v), "%ld", cfg.lim.pids ? cfg.lim.pids : DEFAULT_PIDS);
    cg_must(dir, "pids.max", v);
}

static void
apply_blkio(void)
{
    static const char *const v1[] = {
        "blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
        "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device"};
    static const char *const v2[] = {"rbps", "wbps", "riops", "wiops"};
    const char *dir = cg_dir(C_BLKIO), *file;
    const struct throttle *t;
    char v[80];
    int i;

    if (dir == NULL)
        return;
    if (cfg.lim.blkio_weight > 0) {
        /* The weight is the I/O scheduler's: BFQ's file if it has one. */
        if (cg.mode == CG_V2 && !cg_has(dir, "io.bfq.weight")) {
            file = "io.weight";
            snprintf(v, sizeof(v), "default %lu",
                     blkio_to_io_weight(cfg.lim.blkio_weight));
        } else {
            file = cg.mode == CG_V2              ? "io.bfq.weight"
                   : cg_has(dir, "blkio.weight") ? "blkio.weight"
                                                 : "blkio.bfq.weight";
            snprintf(v, sizeof(v), "%lu", cfg.lim.blkio_weight);
        }
        if (!cg_has(dir, file))
            die(ENOENT,
                "use the bfq I/O scheduler: echo bfq > "
                "/sys/block/DEV/queue/scheduler",
                "%s/%s", dir, file);
        cg_must(dir, file, v);
    }
    for (i = 0; i < cfg.lim.n_throttle; i++) {
        t = &cfg.lim.throttle[i];
        if (cg.mode == CG_V2) {
            snprintf(v, sizeof(v), "%u:%u %s=%llu", t->major, t->minor,
                     v2[t->kind], t->rate);
            cg_must(dir, "io.max", v);
        } else {
            snprintf(v, sizeof(v), "%u:%u %llu", t->major, t->minor, t->rate);
            cg_must(dir, v1[t->kind], v);
        }
    }
}

static void
apply_devices(void)
{
    const struct dev_rule *r;
    const char *dir = cg_dir(C_DEVICES);
    char v[64], maj[12], min[12];
    int i;

    if (dir == NULL)
        return;
    if (cg.mode == CG_V2) {
        attach_dev_prog(dir);
        return;
    }
    for (i = 0; i < cfg.lim.n_devices; i++) {
        r = &cfg.lim.devices[i];
        snprintf(maj, sizeof(maj), r->major == -1 ? "*" : "%ld", r->major);
        snprintf(min, sizeof(min), r->minor == -1 ? "*" : "%ld", r->minor);
        snprintf(v, sizeof(v), "%c %s:%s %s%s%s", r->type, maj, min,
                 r->access & BPF_DEVCG_ACC_READ ? "r" : "",
                 r->access & BPF_DEVCG_ACC_WRITE ? "w" : "",
                 r->access & BPF_DEVCG_ACC_MKNOD ? "m" : "");
        if (r->type == 'a')
            strcpy(v, "a");
        cg_must(dir, r->allow ? "devices.allow" : "devices.deny", v);
    }
}

static void
apply_hugetlb(void)
{
    const char *dir = cg_dir(C_HUGETLB);
    char file[64], v[32];

    if (cfg.lim.hugetlb_limit == 0)
        return;
    if (dir == NULL)
        die(0, "see `make doctor`", "this host has no hugetlb controller");
    snprintf(file, sizeof(file), "hugetlb.%s.%s", cfg.lim.hugetlb_size,
             cg.mode == CG_V2 ? "max" : "limit_in_bytes");
    snprintf(v, sizeof(v), "%lld", cfg.lim.hugetlb_limit);
    cg_must(dir, file, v);
}

/* net_cls tags the container's packets with a class id for tc(8); there
   is no v2 controller for it, nor for net_prio. */
static void
apply_net_cls(void)
{
    if (cfg.lim.net_classid == NULL && cfg.lim.net_prio == NULL)
        return;
    if (cg.mode == CG_V2) {
        say("cgroup v2 has no net_cls or net_prio controller: "
            "--net-classid and --net-prio are not applied. v2 matches a "
            "cgroup directly: nftables `socket cgroupv2 level 2 "
            "\"container-lessons/%s\"`, or a BPF cgroup_skb program",
            cfg.name);
        return;
    }
    if (cfg.lim.net_classid != NULL && cg_dir(C_NET_CLS) != NULL)
        cg_must(cg_dir(C_NET_CLS), "net_cls.classid", cfg.lim.net_classid);
}

/* net_prio.ifpriomap names interfaces of the writer's network namespace
   (Linux 6.1 and older: of the host's first one only): the child, in the
   container's, writes "eth0 PRIO" itself. */
static void
apply_net_prio(void)
{
    char v[48];
    int err;

    if (cfg.lim.net_prio == NULL || cg.mode == CG_V2 ||
        cg_dir(C_NET_PRIO) == NULL)
        return;
    snprintf(v, sizeof(v), "%s", cfg.lim.net_prio);
    *strchr(v, '=') = ' ';
    err = cg_write(cg_dir(C_NET_PRIO), "net_prio.ifpriomap", v);
    if (err == ENODEV)
        warn(err,
             "--net-prio %s is not applied: this kernel looks the "
             "name up in the host's initial network namespace only",
             cfg.lim.net_prio);
    else if (err != 0)
        die(err, NULL, "echo \"%s\" > %s/net_prio.ifpriomap", v,
            cg_dir(C_NET_PRIO));
}

/* Move the child in: one write to cgroup.procs per cgroup, before it
   execs, so that nothing it runs escapes the limits. */
static void
join_cgroups(pid_t pid)
{
    char v[24];
    int c;

    snprintf(v, sizeof(v), "%d", (int)pid);
    if (cg.mode == CG_V2) {
        cg_must(cg.v2, "cgroup.procs", v);
        return;
    }
    for (c = 0; c < C_N; c++)
        if (cg.dir[c][0] != '\0' && !(c == C_CPUSET && cpuset_later) &&
            (c == 0 || strcmp(cg.dir[c], cg.dir[c - 1]) != 0))
            cg_must(cg.dir[c], "cgroup.procs", v);
}

/*
 * On v1, the first mkdir in the cpuset hierarchy for a while takes
 * cpuset's lock for writing, which waits for an RCU grace period: 6 ms
 * here, a third of the whole start. So the container's cpuset cgroup is
 * made after the child has its "go", while it mounts its root, and the
 * child waits for a second byte before it execs the command: the wait is
 * spent while the child works. Its other cgroups hold it from the start.
 */
static void
make_cpuset(pid_t pid)
{
    char parent[PATH_MAX], v[24];
    int err;

    if (!cpuset_later)
        return;
    state_lock();
    snprintf(parent, sizeof(parent), "%s", cg.dir[C_CPUSET]);
    *strrchr(parent, '/') = '\0';
    cg_mkdir(parent, C_CPUSET);
    cg_mkdir(cg.dir[C_CPUSET], C_CPUSET);
    state_unlock();
    cpuset_later = 0;
    apply_cpuset();
    snprintf(v, sizeof(v), "%d", (int)pid);
    err = cg_write(cg.dir[C_CPUSET], "cgroup.procs", v);
    if (err != 0 && err != ESRCH) /* ESRCH: the child failed already */
        die(err, NULL, "echo %s > %s/cgroup.procs", v, cg.dir[C_CPUSET]);
}

/* ---- cgroups: after the container ---------------------------------- */

/* What the container used: cpuacct (v2: cpu.stat), the memory peak, and
   how often the OOM killer fired. Read before the cgroups go. */
static void
report_usage(void)
{
    const char *cpu = cg_dir(C_CPUACCT), *mem = cg_dir(C_MEMORY);
    long long usec = -1, peak = -1, ooms = -1;

    if (cg.mode == CG_V2) {
        usec = cg_stat(cg.v2, "cpu.stat", "usage_usec");
        peak = cg_has(cg.v2, "memory.peak")
                   ? atoll(cg_read(cg.v2, "memory.peak"))
                   : -1;
        ooms = cg_stat(cg.v2, "memory.events", "oom_kill");
    } else {
        if (cpu != NULL)
            usec = atoll(cg_read(cpu, "cpuacct.usage")) / 1000;
        if (mem != NULL) {
            peak = atoll(cg_read(mem, "memory.max_usage_in_bytes"));
            ooms = cg_stat(mem, "memory.oom_control", "oom_kill");
        }
    }
    say("usage: CPU time %lld.%03lld s, peak memory %lld KiB, OOM kills %lld",
        usec / 1000000, usec / 1000 % 1000, peak / 1024, ooms);
}

/* Kill whatever is left in DIR: cgroup.kill (v2, Linux 5.14), else
   freeze it so that nothing forks away, SIGKILL each task, thaw. */
static void
kill_cgroup(const char *dir, const char *freezer)
{
    char path[PATH_MAX + 32];
    FILE *f;
    int pid;

    if (cg_has(dir, "cgroup.kill")) {
        cg_write(dir, "cgroup.kill", "1");
        return;
    }
    if (freezer != NULL)
        cg_write(freezer, cg.mode == CG_V2 ? "cgroup.freeze" : "freezer.state",
                 cg.mode == CG_V2 ? "1" : "FROZEN");
    snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
    f = fopen(path, "re");
    while (f != NULL && fscanf(f, "%d", &pid) == 1)
        kill(pid, SIGKILL);
    if (f != NULL)
        fclose(f);
    if (freezer != NULL)
        cg_write(freezer, cg.mode == CG_V2 ? "cgroup.freeze" : "freezer.state",
                 cg.mode == CG_V2 ? "0" : "THAWED");
}

/* rmdir a cgroup; EBUSY means tasks remain: kill them and try again. */
static void
cg_rmdir(const char *dir, const char *freezer)
{
    int i;

    for (i = 0; i < 50; i++) {
        if (rmdir(dir) == 0) {
            say("rmdir %s", dir);
            return;
        }
        if (errno == ENOENT)
            return;
        if (errno != EBUSY)
            break;
        if (i == 0)
            kill_cgroup(dir, freezer);
        usleep(20000);
    }
    warn(errno, "rmdir %s", dir);
}

/* Remove DIR's parent too if it is ours and empty; another container may
   still be in it (EBUSY, ENOTEMPTY), and that is fine. */
static void
cg_rmdir_parent(const char *dir)
{
    char parent[PATH_MAX];

    snprintf(parent, sizeof(parent), "%s", dir);
    *strrchr(parent, '/') = '\0';
    if (strstr(parent, "container-lessons") != NULL)
        rmdir(parent);
}

/* Remove the cgroups in cg (the container's, or a record's) and the
   record; the caller holds the state lock. */
static void
remove_cgroups(void)
{
    int c;

    if (cg.mode == CG_V2 && cg.v2[0] != '\0') {
        cg_rmdir(cg.v2, cg.v2);
        cg_rmdir_parent(cg.v2);
    }
    for (c = 0; cg.mode != CG_V2 && c < C_N; c++) {
        if (cg.dir[c][0] == '\0')
            continue;
        cg_rmdir(cg.dir[c], cg_dir(C_FREEZER));
        cg_rmdir_parent(cg.dir[c]);
    }
    if (cg.record[0] != '\0')
        unlink(cg.record);
}

/* At exit, however the runtime ends but SIGKILL: the cgroups go (their
   tasks killed first if any remain), then the private mounts. */
static void
teardown_cgroups(void)
{
    if (getpid() != cg.owner)
        return;
    state_lock();
    remove_cgroups();
    unmount_private();
    state_unlock();
}

/* A record's cgroup path: absolute, without "..", and ending in the
   container's NAME: a record written by someone else cannot name another
   cgroup for --cleanup to empty and remove. */
static int
cgroup_path_ok(const char *rel, const char *name)
{
    const char *last = strrchr(rel, '/');

    return rel[0] == '/' && strstr(rel, "/..") == NULL && last != NULL &&
           strcmp(last + 1, name) == 0;
}

/*
 * The record STATE_DIR/NAME.ct of a container: "PID STARTTIME", then a
 * line "CONTROLLER PATH" per cgroup, PATH under the hierarchy's mount
 * point ("cgroup2 PATH" on v2), and "init PID", its PID 1 on the host.
 * Loads its cgroups into cg and init_pid; 1 if its runtime still runs.
 */
static int
load_record(const char *path)
{
    char ctl[32], rel[PATH_MAX], name[PATH_MAX];
    unsigned long long init_start;
    const char *why;
    int alive, c, d, bad = 0;
    FILE *f = state_open(path, &why);

    init_pid = 0;
    if (f == NULL && why != NULL)
        say("refusing %s: %s; nothing in it is touched (remove it by hand)",
            path, why);
    if (f == NULL)
        return why != NULL ? -1 : 0;
    /* STATE_DIR/NAME.ct: NAME is the last part of each of its cgroups. */
    snprintf(name, sizeof(name), "%s", strrchr(path, '/') + 1);
    name[strlen(name) - 3] = '\0';
    memset(cg.dir, 0, sizeof(cg.dir));
    cg.v2[0] = '\0';
    snprintf(cg.record, sizeof(cg.record), "%s", path);
    alive = owner_alive(f);
    while (fscanf(f, "%31s %4095s", ctl, rel) == 2) {
        if (strcmp(ctl, "init") == 0) {
            /* "init PID STARTTIME": a PID the kernel gave out again is not
               the container's PID 1. */
            init_pid = atoi(rel);
            if (fscanf(f, "%llu", &init_start) != 1 ||
                start_time(init_pid) != init_start)
                init_pid = 0;
            continue;
        }
        if (strcmp(ctl, "caps") == 0 || strcmp(ctl, "seccomp") == 0)
            continue; /* for --exec: load_hardening() */
        if (!cgroup_path_ok(rel, name)) {
            bad = 1;
            break;
        }
        if (strcmp(ctl, "cgroup2") == 0)
            join(cg.v2, cg.v2_mnt, "", rel);
        for (c = 0; c < C_N; c++) {
            if (strcmp(ctl, cg_ctl[c]) != 0 || cg.mnt[c][0] == '\0')
                continue;
            for (d = 0; d < C_N; d++)
                if (strcmp(cg.mnt[d], cg.mnt[c]) == 0)
                    join(cg.dir[d], cg.mnt[c], "", rel);
        }
    }
    fclose(f);
    if (bad) {
        say("refusing %s: its cgroup %s is not the container's own; nothing "
            "in it is touched (remove it by hand)",
            path, rel);
        memset(cg.dir, 0, sizeof(cg.dir));
        cg.v2[0] = cg.record[0] = '\0';
        return -1;
    }
    return alive;
}

/* Find the hierarchies, mounting those the host lacks (as the runtime
   does); for --freeze, --thaw and --cleanup. */
static void
open_hierarchies(void)
{
    cg.mode = cgroup_mode();
    find_hierarchies();
    if (cg.mode != CG_V2)
        mount_missing_hierarchies();
}

/* The cgroups of containers whose runtime was killed: kill what is left
   in them and remove them. Under the state lock. */
static void
reclaim_records(void)
{
    char path[PATH_MAX];
    struct dirent *d;
    size_t len;
    DIR *dir = opendir(STATE_DIR);

    while (dir != NULL && (d = readdir(dir)) != NULL) {
        len = strlen(d->d_name);
        if (len < 4 || strcmp(d->d_name + len - 3, ".ct") != 0)
            continue;
        snprintf(path, sizeof(path), STATE_DIR "/%s", d->d_name);
        if (load_record(path))
            continue;
        say("reclaimed the cgroups of %.*s, left by a runtime that was "
            "killed",
            (int)len - 3, d->d_name);
        remove_cgroups();
    }
    if (dir != NULL)
        closedir(dir);
    memset(cg.dir, 0, sizeof(cg.dir));
    cg.v2[0] = cg.record[0] = '\0';
}

/* Make the container's cgroups and write its limits, before clone();
   what is left of containers whose runtime was killed goes first. */
static void
setup_cgroups(void)
{
    cg.mode = cgroup_mode();
    say("statfs(/sys/fs/cgroup): cgroup %s",
        cg.mode == CG_V2       ? "v2"
        : cg.mode == CG_HYBRID ? "v1, hybrid (and an empty v2)"
                               : "v1");
    find_hierarchies();
    if (cg.mode == CG_V2 && cg.v2_mnt[0] == '\0')
        die(0, "see `make doctor`", "no cgroup2 at /sys/fs/cgroup");
    state_lock();
    if (cg.mode != CG_V2)
        mount_missing_hierarchies();
    reclaim_records();
    cg.owner = getpid();
    atexit(teardown_cgroups);
    create_cgroups();
    state_unlock();
    apply_memory();
    apply_cpu();
    if (!cpuset_later)
        apply_cpuset();
    apply_pids();
    apply_blkio();
    apply_devices();
    apply_hugetlb();
    apply_net_cls();
}

/* --freeze NAME, --thaw NAME: the freezer stops every task of the
   container at once (v1 freezer.state, v2 cgroup.freeze) and waits until
   the kernel says all are stopped (v2: "frozen 1" in cgroup.events). */
static int
freeze(const char *name, int on)
{
    char path[PATH_MAX];
    const char *dir;
    int i, done = 0;

    snprintf(path, sizeof(path), STATE_DIR "/%s.ct", name);
    state_lock();
    open_hierarchies();
    if (load_record(path) != 1)
        die(ENOENT, "see the names in " STATE_DIR "/*.ct",
            "no running container %s", name);
    dir = cg_dir(C_FREEZER);
    if (dir == NULL)
        die(0, "see `make doctor`", "this host has no freezer");
    cg_must(dir, cg.mode == CG_V2 ? "cgroup.freeze" : "freezer.state",
            cg.mode == CG_V2 ? (on ? "1" : "0") : (on ? "FROZEN" : "THAWED"));
    for (i = 0; i < 100 && !done; i++) {
        if (cg.mode == CG_V2)
            done = cg_stat(dir, "cgroup.events", "frozen") == on;
        else
            done = strcmp(cg_read(dir, "freezer.state"),
                          on ? "FROZEN" : "THAWED") == 0;
        if (!done)
            usleep(10000);
    }
    if (!done)
        die(EBUSY, NULL, "%s did not become %s", dir, on ? "frozen" : "thawed");
    say("container %s is %s", name, on ? "frozen" : "thawed");
    cg.record[0] = '\0';
    unmount_private();
    state_unlock();
    return 0;
}

/* ---- the user namespace and the time namespace --------------------- */

/* Through --userns: container ID id as a host ID (to_host), or host ID
   id as a container ID; -1 if the map has no such ID. */
static unsigned long
map_id(unsigned long id, int to_host)
{
    unsigned long from, to;
    int i;

    if (!cfg.userns)
        return id;
    for (i = 0; i < cfg.n_map; i++) {
        from = to_host ? cfg.map[i].inside : cfg.map[i].outside;
        to = to_host ? cfg.map[i].outside : cfg.map[i].inside;
        if (id >= from && id - from < cfg.map[i].count)
            return id - from + to;
    }
    return (unsigned long)-1;
}

/*
 * The parent writes the child's ID maps; each file may be written once,
 * in one write(2). An unprivileged writer would have to write "deny" to
 * setgroups first (Linux 3.19, CVE-2014-8989: dropping a group could
 * grant access); the runtime is root in the parent namespace, so the
 * container keeps setgroups(2), which su and login need.
 */
static void
write_id_maps(pid_t child)
{
    static const char *const files[] = {"gid_map", "uid_map"};
    char path[64], buf[512];
    size_t i, len = 0;
    int fd, k;

    for (k = 0; k < cfg.n_map; k++)
        len +=
            snprintf(buf + len, sizeof(buf) - len, "%lu %lu %lu\n",
                     cfg.map[k].inside, cfg.map[k].outside, cfg.map[k].count);
    for (i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "/proc/%d/%s", (int)child, files[i]);
        fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd == -1 || write(fd, buf, len) != (ssize_t)len)
            die(errno,
                errno == EPERM ? "a host ID in --userns is not valid here"
                               : NULL,
                "write \"%.*s\" to %s", (int)len - 1, buf, path);
        close(fd);
    }
    say("/proc/%d/uid_map and gid_map: \"%.*s\": root inside is ID %lu on "
        "the host",
        (int)child, (int)len - 1, buf, map_id(0, 1));
}

/*
 * In the child, once the maps are written: setresuid(0) makes it ID 0 of
 * its namespace, host ID 100000. Until then it is the host's root, whom
 * the namespace cannot show (it sees 65534, nobody); files it created
 * would fail with EOVERFLOW. A process keeps every capability of the
 * namespace it made, and only of that namespace and those it owns.
 */
static void
become_root(void)
{
    if (setresgid(0, 0, 0) == -1 || setgroups(0, NULL) == -1 ||
        setresuid(0, 0, 0) == -1)
        die(errno, NULL, "setresgid(0), setgroups(0), setresuid(0)");
    say("%ssetresuid(0, 0, 0): root in the user namespace, UID %lu "
        "outside; capabilities over its namespaces only",
        side, map_id(0, 1));
}

/*
 * The parent-death signal is cleared when the credentials change (as in
 * setresuid): set it again, then make sure the runtime did not die in
 * between. The sync pipe's write end stays open in the runtime for its
 * whole life, so POLLHUP on the read end means it is gone.
 */
static void
keep_pdeathsig(void)
{
    struct pollfd p = {.fd = sync_pipe[0], .events = POLLIN};

    if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
        die(errno, NULL, "prctl(PR_SET_PDEATHSIG)");
    if (poll(&p, 1, 0) == 1 && (p.revents & POLLHUP))
        _exit(EXIT_RUNTIME);
}

/*
 * A time namespace (Linux 5.6) holds offsets for CLOCK_MONOTONIC and
 * CLOCK_BOOTTIME, so a container moved to another host keeps its clocks.
 * unshare(CLONE_NEWTIME) moves the caller's future children, not the
 * caller; offsets are written before a process enters. Here they make
 * the container's boot time now: uptime inside starts at 0. CLOCK_REALTIME
 * is not namespaced: the date is the host's.
 */
static void
setup_time_ns(void)
{
    struct timespec mono, boot;
    char buf[128];
    int fd;

    if (access("/proc/self/ns/time", F_OK) != 0) {
        say("this kernel has no time namespace (Linux 5.6, CONFIG_TIME_NS): "
            "the container's uptime is the host's");
        return;
    }
    if (unshare(CLONE_NEWTIME) == -1)
        die(errno, NULL, "unshare(CLONE_NEWTIME)");
    clock_gettime(CLOCK_MONOTONIC, &mono);
    clock_gettime(CLOCK_BOOTTIME, &boot);
    snprintf(buf, sizeof(buf), "monotonic %ld 0\nboottime %ld 0\n",
             -(long)mono.tv_sec, -(long)boot.tv_sec);
    fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
    if (fd == -1 || write(fd, buf, strlen(buf)) == -1)
        die(errno, NULL, "write /proc/self/timens_offsets");
    close(fd);
    say("unshare(CLONE_NEWTIME), /proc/self/timens_offsets: monotonic and "
        "boot clocks -%ld s, so the container's uptime starts at 0",
        (long)boot.tv_sec);
}

/* ---- images: sha256, to name a layer by its content ----------------- */

/* SHA-256 (FIPS 180-4): a layer's cache directory is named by the digest
   of its tar file, so the same layer is unpacked once for every image and
   container that uses it. */
static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

struct sha256 {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
sha256_block(struct sha256 *s, const unsigned char *p)
{
    uint32_t w[64], a, b, c, d, e, f, g, h, t1, t2;
    int i;

    for (i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (; i < 64; i++)
        w[i] = (ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10)) +
               w[i - 7] +
               (ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3)) +
               w[i - 16];
    a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
    e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
    for (i = 0; i < 64; i++) {
        t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) +
             sha_k[i] + w[i];
        t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
             ((a & b) ^ (a & c) ^ (b & c));
        h = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    s->h[0] += a, s->h[1] += b, s->h[2] += c, s->h[3] += d;
    s->h[4] += e, s->h[5] += f, s->h[6] += g, s->h[7] += h;
}

static void
sha256_init(struct sha256 *s)
{
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                   0xa54ff53a, 0x510e527f, 0x9b05688c,
                                   0x1f83d9ab, 0x5be0cd19};

    memcpy(s->h, h0, sizeof(h0));
    s->len = 0;
}

static void
sha256_update(struct sha256 *s, const void *data, size_t n)
{
    const unsigned char *p = data;
    size_t used = s->len % 64;

    s->len += n;
    while (n > 0) {
        size_t take = 64 - used < n ? 64 - used : n;

        memcpy(s->buf + used, p, take);
        used += take, p += take, n -= take;
        if (used == 64) {
            sha256_block(s, s->buf);
            used = 0;
        }
    }
}

/* The digest as 64 hex digits. */
static void
sha256_hex(struct sha256 *s, char hex[65])
{
    uint64_t bits = s->len * 8;
    unsigned char pad = 0x80, len[8];
    int i;

    sha256_update(s, &pad, 1);
    pad = 0;
    while (s->len % 64 != 56)
        sha256_update(s, &pad, 1);
    for (i = 0; i < 8; i++)
        len[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha256_update(s, len, 8);
    for (i = 0; i < 8; i++)
        snprintf(hex + 8 * i, 9, "%08x", s->h[i]);
}

/* ---- images: reading a layer, a tar archive ------------------------- */

/*
 * A tar archive is a run of 512-byte headers, each followed by its file's
 * data padded to 512 bytes, and ends with two zero blocks. Numbers are
 * octal text; the checksum is the sum of the header's bytes with its own
 * field counted as spaces. ustar splits a long path into prefix and name;
 * GNU tar puts a longer one in an entry 'L' (or 'K' for a link target)
 * before it, pax in an 'x' entry of "LEN path=VALUE\n" records.
 */
struct tar_entry {
    char path[PATH_MAX], link[PATH_MAX];
    char type; /* '0' file, '1' hard link, '2' symlink, '5' directory... */
    unsigned long long size, mtime;
    unsigned int mode, uid, gid;
};

/* An octal field of LEN bytes, NUL- or space-terminated; -1 if bad. A
   number too big for its octal digits (a size of 8 GiB or more) is GNU's
   base-256: the first byte's top bit set, then big-endian bytes. */
static long long
tar_octal(const char *f, int len)
{
    long long v = 0;
    int i = 0;

    if ((unsigned char)f[0] == 0x80) {
        for (i = 1; i < len; i++) {
            if (v >> 55)
                return -1; /* more than 63 bits */
            v = v << 8 | (unsigned char)f[i];
        }
        return v;
    }
    while (i < len && f[i] == ' ')
        i++;
    for (; i < len && f[i] >= '0' && f[i] <= '7'; i++)
        v = v * 8 + (f[i] - '0');
    if (i < len && f[i] != '\0' && f[i] != ' ')
        return -1;
    return v;
}

/* Decode one header block: 0, or what is wrong with it. Long names from
   an 'L', 'K' or 'x' entry before it are applied by the caller. */
static const char *
tar_header(const unsigned char *b, struct tar_entry *e)
{
    long long sum = tar_octal((const char *)b + 148, 8), check = 0, v;
    int i;

    for (i = 0; i < 512; i++)
        check += i >= 148 && i < 156 ? ' ' : b[i];
    if (sum < 0 || sum != check)
        return "bad header checksum";
    e->type = b[156] ? (char)b[156] : '0';
    if ((v = tar_octal((const char *)b + 100, 8)) < 0)
        return "bad mode field";
    e->mode = (unsigned int)v & 07777;
    if ((v = tar_octal((const char *)b + 108, 8)) < 0)
        return "bad uid field";
    e->uid = (unsigned int)v;
    if ((v = tar_octal((const char *)b + 116, 8)) < 0)
        return "bad gid field";
    e->gid = (unsigned int)v;
    if ((v = tar_octal((const char *)b + 124, 12)) < 0)
        return "bad size field";
    e->size = (unsigned long long)v;
    if ((v = tar_octal((const char *)b + 136, 12)) < 0)
        return "bad mtime field";
    e->mtime = (unsigned long long)v;
    /* ustar: "prefix/name" when the prefix (byte 345) is set. */
    if (memcmp(b + 257, "ustar", 5) == 0 && b[345] != '\0')
        snprintf(e->path, sizeof(e->path), "%.155s/%.100s", b + 345, b);
    else
        snprintf(e->path, sizeof(e->path), "%.100s", b);
    snprintf(e->link, sizeof(e->link), "%.100s", b + 157);
    return NULL;
}

/* A member's path must stay inside the layer: not absolute, no "..". */
static const char *
check_member(const char *path)
{
    const char *p = path;

    if (*path == '/')
        return "is an absolute path";
    while (*p != '\0') {
        if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
            return "climbs out with \"..\"";
        p = strchr(p, '/');
        if (p == NULL)
            break;
        p++;
    }
    return NULL;
}

/* Open the directory that holds PATH's last component, walking from ROOT
   one component at a time with O_NOFOLLOW: a symlink on the way (one the
   layer itself made, say) fails instead of leading out of the layer.
   Missing directories are made. Sets *NAME to the last component. */
static int
open_parent(int root, char *path, char **name)
{
    char *slash, *p = path;
    int fd = dup(root), next;

    while (fd != -1 && (slash = strchr(p, '/')) != NULL) {
        *slash = '\0';
        if (*p != '\0' && strcmp(p, ".") != 0) {
            if (mkdirat(fd, p, 0755) == -1 && errno != EEXIST)
                next = -1;
            else
                next = openat(fd, p,
                              O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            close(fd);
            fd = next;
        }
        *slash = '/';
        p = slash + 1;
    }
    *name = p;
    return fd;
}

/* Read exactly N bytes; 0 at a clean end, -1 on a short read. */
static int
read_full(int fd, void *buf, size_t n)
{
    size_t got = 0;
    ssize_t r;

    while (got < n) {
        r = read(fd, (char *)buf + got, n - got);
        if (r <= 0)
            return got == 0 && r == 0 ? 0 : -1;
        got += (size_t)r;
    }
    return 1;
}

/* The value of KEY in a pax header's "LEN KEY=VALUE\n" records. */
static int
pax_value(const char *rec, size_t n, const char *key, char *out, size_t size)
{
    size_t klen = strlen(key), off = 0, len, i;
    const char *kv, *end;

    while (off < n) {
        /* "LEN key=value\n": LEN, digits only, counts the whole record
           (strtoul would read "-5" as a length that wraps off + len) and
           must end inside the data, on the record's newline. */
        for (len = 0, i = off; i < n && rec[i] >= '0' && rec[i] <= '9'; i++)
            if ((len = len * 10 + (size_t)(rec[i] - '0')) > n - off)
                return 0;
        if (i == off || i >= n || rec[i] != ' ' || len < i - off + 2 ||
            rec[off + len - 1] != '\n')
            return 0;
        kv = rec + i + 1;
        end = rec + off + len - 1; /* the newline */
        if ((size_t)(end - kv) > klen && strncmp(kv, key, klen) == 0 &&
            kv[klen] == '=') {
            snprintf(out, size, "%.*s", (int)(end - kv - klen - 1),
                     kv + klen + 1);
            return 1;
        }
        off += len;
    }
    return 0;
}

/*
 * Unpack the layer TAR into the directory DIR (its file descriptor ROOT),
 * converting the OCI whiteouts to overlayfs's own: ".wh.NAME" becomes a
 * character device 0/0 named NAME, ".wh..wh..opq" the xattr
 * trusted.overlay.opaque=y on its directory. NULL, or what was wrong.
 */
static const char *
unpack(int tarfd, int root, char *why, size_t whysize)
{
    static char data[65536], longname[PATH_MAX], longlink[PATH_MAX];
    unsigned char b[512];
    struct tar_entry e;
    const char *bad;
    char *name, *lname;
    unsigned long long left;
    int r, dir, fd, ldir;

    longname[0] = longlink[0] = '\0';
    for (;;) {
        r = read_full(tarfd, b, 512);
        if (r <= 0)
            return r == 0 ? "no end-of-archive blocks" : "truncated";
        for (r = 0; r < 512 && b[r] == 0; r++)
            ;
        if (r == 512)
            return NULL; /* the end: a zero block */
        if ((bad = tar_header(b, &e)) != NULL)
            return bad;
        if (e.type == 'L' || e.type == 'K' || e.type == 'x') {
            if (e.size >= sizeof(data) ||
                read_full(tarfd, data, (e.size + 511) / 512 * 512) != 1)
                return "truncated long name";
            if (e.type == 'L')
                snprintf(longname, sizeof(longname), "%.*s", (int)e.size, data);
            else if (e.type == 'K')
                snprintf(longlink, sizeof(longlink), "%.*s", (int)e.size, data);
            else {
                pax_value(data, e.size, "path", longname, sizeof(longname));
                pax_value(data, e.size, "linkpath", longlink, sizeof(longlink));
            }
            continue;
        }
        if (longname[0] != '\0')
            strcpy(e.path, longname);
        if (longlink[0] != '\0')
            strcpy(e.link, longlink);
        longname[0] = longlink[0] = '\0';
        /* "bin/" is the directory bin itself: its mode and owner too. */
        for (r = (int)strlen(e.path); r > 1 && e.path[r - 1] == '/'; r--)
            e.path[r - 1] = '\0';
        snprintf(why, whysize, "%s", e.path);
        if ((bad = check_member(e.path)) != NULL ||
            (e.type == '1' && (bad = check_member(e.link)) != NULL))
            return bad;
        dir = open_parent(root, e.path, &name);
        if (dir == -1)
            return "goes through a symlink or a file";
        fd = -1;
        bad = NULL;
        if (strcmp(name, ".wh..wh..opq") == 0) {
            if (fsetxattr(dir, "trusted.overlay.opaque", "y", 1, 0) == -1)
                bad = "setxattr trusted.overlay.opaque";
        } else if (strncmp(name, ".wh.", 4) == 0) {
            if (mknodat(dir, name + 4, S_IFCHR, makedev(0, 0)) == -1)
                bad = "mknod whiteout";
        } else if (*name == '\0' || strcmp(name, ".") == 0) {
            /* the layer's top directory itself */
        } else if (e.type == '5') {
            struct stat st;

            if (mkdirat(dir, name, 0755) == -1 &&
                (errno != EEXIST ||
                 fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
                 !S_ISDIR(st.st_mode)))
                bad = "is a directory over something that is not one";
        } else if (e.type == '2') {
            if (symlinkat(e.link, dir, name) == -1)
                bad = "symlink";
        } else if (e.type == '1') {
            ldir = open_parent(root, e.link, &lname);
            if (ldir == -1 || linkat(ldir, lname, dir, name, 0) == -1)
                bad = "hard link";
            if (ldir != -1)
                close(ldir);
        } else if (e.type == '0' || e.type == '7') {
            fd = openat(dir, name,
                        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                        0600);
            if (fd == -1)
                bad = "create";
        } else if (e.type == '6' ||
                   (e.type == '3' && tar_octal((char *)b + 329, 8) == 0 &&
                    tar_octal((char *)b + 337, 8) == 0)) {
            /* A FIFO, or a character device 0:0: overlay's own form of a
               whiteout, as a layer copied from an upper directory has. */
            if (mknodat(dir, name, e.type == '6' ? S_IFIFO : S_IFCHR, 0) == -1)
                bad = "mknod";
        } else if (e.type == '3' || e.type == '4') {
            /* Any other device node is not created: unpacked by the host's
               root, a layer's "sda" would be the host's disk wherever the
               device cgroup does not stop it (runc, crun: the same). */
            say("%s: a %s device %lld:%lld in the layer is not created", e.path,
                e.type == '3' ? "character" : "block",
                tar_octal((char *)b + 329, 8), tar_octal((char *)b + 337, 8));
            *name = '\0'; /* nothing to own, time or chmod */
        }
        /* The data, if any: into the file, or skipped. */
        for (left = (e.size + 511) / 512 * 512; bad == NULL && left > 0;) {
            size_t n = left < sizeof(data) ? left : sizeof(data);
            size_t keep = e.size < n ? e.size : n;

            if (read_full(tarfd, data, n) != 1)
                bad = "truncated";
            else if (fd != -1 && write(fd, data, keep) != (ssize_t)keep)
                bad = "write";
            e.size -= keep;
            left -= n;
        }
        if (bad == NULL && *name != '\0' && strncmp(name, ".wh.", 4) != 0) {
            struct timespec t[2] = {{(time_t)e.mtime, 0}, {(time_t)e.mtime, 0}};

            /* Never through a symlink: a layer's own link could point
               anywhere on the host. Owners shifted into the user
               namespace's range: the container's root owns its files. */
            fchownat(dir, name, map_id(e.uid, 1), map_id(e.gid, 1),
                     AT_SYMLINK_NOFOLLOW);
            if (e.type != '2' && e.type != '1')
                fchmodat(dir, name, e.mode, AT_SYMLINK_NOFOLLOW);
            utimensat(dir, name, t, AT_SYMLINK_NOFOLLOW);
        }
        if (fd != -1)
            close(fd);
        close(dir);
        if (bad != NULL)
            return bad;
    }
}

/* ---- images: layers, the overlay, commit ---------------------------- */

/* rm -r PATH, not crossing into other filesystems' mounts. */
static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    (void)st;
    (void)f;
    return (flag == FTW_DP ? rmdir(path) : unlink(path)) == -1 &&
                   errno != ENOENT
               ? -1
               : 0;
}

static void
remove_tree(const char *path)
{
    if (nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) == -1 &&
        errno != ENOENT)
        warn(errno, "rm -r %s", path);
}

static void
remove_container_dirs(void)
{
    if (getpid() != img.owner || img.dir[0] == '\0')
        return;
    /* Mounted in the runtime's own mount namespace (prepare_root()). */
    if (root_mounted)
        umount2(img.root, MNT_DETACH);
    if (cfg.keep) {
        char owner[PATH_MAX];

        join(owner, img.dir, "/", "owner");
        unlink(owner);
        remove_tree(img.work);
        rmdir(img.root);
        say("--keep: the container's writes stay in %s", img.upper);
        return;
    }
    remove_tree(img.dir);
}

/* A directory of the tree the program is in: "TOP/lessonNN-x/run" gives
   "TOP/build/WHAT". */
static void
beside_exe(const char *what, char *out)
{
    char exe[PATH_MAX], *slash;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

    if (n == -1)
        die(errno, NULL, "readlink /proc/self/exe");
    exe[n] = '\0';
    slash = strrchr(exe, '/'); /* .../lessonNN-x/run */
    *slash = '\0';
    slash = strrchr(exe, '/');
    *slash = '\0';
    join(out, exe, "/build/", what);
}

/*
 * Unpack one layer into the cache, unless it is there: LAYERS/SHA256 is
 * the layer, made under a temporary name and renamed into place, so that
 * a half-unpacked layer is never used and two runtimes racing for one
 * layer both end up with the same one. Hashing a 5 MB tar takes longer
 * than starting the container, so the digest is remembered, as git's
 * index does, under the tar's device, inode, size, mtime and ctime (no
 * write leaves the ctime as it was): LAYERS/.digests/KEY -> SHA256.
 */
static void
cache_layer(const char *tar, char *dir)
{
    char hex[65], tmp[PATH_MAX], why[PATH_MAX] = "", memo[PATH_MAX], key[160];
    unsigned char buf[65536];
    struct sha256 s;
    struct stat st;
    const char *bad;
    ssize_t n;
    int fd, root;

    fd = open(tar, O_RDONLY | O_CLOEXEC);
    if (fd == -1 || fstat(fd, &st) == -1)
        die(errno, "the manifest names layers relative to itself", "layer %s",
            tar);
    snprintf(key, sizeof(key), "%lx-%lx-%lld-%lld.%09ld-%lld.%09ld",
             (unsigned long)st.st_dev, (unsigned long)st.st_ino,
             (long long)st.st_size, (long long)st.st_mtim.tv_sec,
             st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
             st.st_ctim.tv_nsec);
    join(memo, img.cache, "/.digests/", key);
    if (readlink(memo, hex, sizeof(hex)) != 64) {
        sha256_init(&s);
        while ((n = read(fd, buf, sizeof(buf))) > 0)
            sha256_update(&s, buf, (size_t)n);
        sha256_hex(&s, hex);
        join(tmp, img.cache, "/", ".digests");
        mkdir(tmp, 0700);
        (void)!symlink(hex, memo); /* a cache: a failure costs a hash */
    }
    hex[64] = '\0';
    join(dir, img.cache, "/", hex);
    if (access(dir, F_OK) == 0) {
        say("layer %s: sha256 %.12s..., already unpacked in the cache", tar,
            hex);
        close(fd);
        return;
    }
    snprintf(tmp, sizeof(tmp), "%s.tmp.%d", dir, (int)getpid());
    if (mkdir(tmp, 0755) == -1 || lseek(fd, 0, SEEK_SET) == -1 ||
        (root = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
        die(errno, NULL, "unpack %s into %s", tar, tmp);
    bad = unpack(fd, root, why, sizeof(why));
    close(root);
    close(fd);
    if (bad != NULL) {
        remove_tree(tmp);
        die(0, "the layer is damaged or hostile: nothing of it was used",
            "layer %s: member \"%s\": %s", tar, why, bad);
    }
    if (rename(tmp, dir) == -1) {
        remove_tree(tmp); /* another runtime unpacked it meanwhile */
        if (access(dir, F_OK) != 0)
            die(errno, NULL, "rename %s %s", tmp, dir);
    }
    say("layer %s: sha256 %.12s..., unpacked into %s", tar, hex, dir);
}

/* The image: a manifest with one layer tar a line, bottom first, names
   relative to the manifest; '#' starts a comment. */
static void
load_image(void)
{
    static char tars[MAX_LAYERS][PATH_MAX];
    char line[PATH_MAX], base[PATH_MAX], *p;
    FILE *f = fopen(cfg.image, "re");
    int i;

    if (f == NULL)
        die(errno, "make image builds the demo image, build/image/manifest",
            "image %s", cfg.image);
    snprintf(base, sizeof(base), "%s", cfg.image);
    p = strrchr(base, '/');
    if (p != NULL)
        *p = '\0';
    else
        strcpy(base, ".");
    while (fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "#\n")] = '\0';
        for (p = line + strlen(line); p > line && p[-1] == ' ';)
            *--p = '\0';
        if (line[0] == '\0')
            continue;
        if (img.n == MAX_LAYERS)
            die(0, "merge layers: the overlay options must fit in a page",
                "image %s: more than %d layers", cfg.image, MAX_LAYERS);
        if (line[0] == '/')
            snprintf(tars[img.n++], PATH_MAX, "%s", line);
        else
            join(tars[img.n++], base, "/", line);
    }
    fclose(f);
    if (img.n == 0)
        die(0, "list one layer tar a line", "image %s has no layers",
            cfg.image);
    /* Owners shifted for a user namespace make another cache, one per
       mapping: build/layers.0-100000-65536. */
    strcpy(base, "layers");
    for (i = 0; cfg.userns && i < cfg.n_map; i++)
        snprintf(base + strlen(base), sizeof(base) - strlen(base),
                 "%c%lu-%lu-%lu", i == 0 ? '.' : '_', cfg.map[i].inside,
                 cfg.map[i].outside, cfg.map[i].count);
    beside_exe(base, img.cache);
    if (mkdir(img.cache, 0700) == -1 && errno != EEXIST)
        die(errno, NULL, "mkdir %s", img.cache);
    if (cfg.userns)
        say("layers for the user namespace: owners shifted by %lu, in %s",
            map_id(0, 1), img.cache);
    for (i = 0; i < img.n; i++)
        cache_layer(tars[i], img.layer[i]);
}

/*
 * The container's own directories, BUILD/containers/NAME: upper (its
 * writes), work (overlayfs's scratch, on the same filesystem) and root
 * (where the overlay is mounted, in the child's mount namespace only).
 * Removed at exit unless --keep.
 */
static void
make_container_dirs(void)
{
    char dir[PATH_MAX];
    FILE *f;

    beside_exe("containers", dir);
    if (mkdir(dir, 0700) == -1 && errno != EEXIST)
        die(errno, NULL, "mkdir %s", dir);
    join(img.dir, dir, "/", cfg.name);
    join(img.upper, img.dir, "/", "upper");
    join(img.work, img.dir, "/", "work");
    join(img.root, img.dir, "/", "root");
    if (mkdir(img.dir, 0700) == -1 || mkdir(img.upper, 0755) == -1 ||
        mkdir(img.work, 0700) == -1 || mkdir(img.root, 0755) == -1)
        die(errno,
            errno == EEXIST ? "a container by that name ran with --keep: "
                              "remove its directory, or choose another --name"
                            : NULL,
            "mkdir %s/{upper,work,root}", img.dir);
    img.owner = getpid();
    atexit(remove_container_dirs);
    /* The upper layer's top is the container's "/": its root's. */
    if (chown(img.upper, map_id(0, 1), map_id(0, 1)) == -1)
        die(errno, NULL, "chown %s", img.upper);
    /* Whose it is, for --cleanup: "PID STARTTIME", as a lease. */
    join(dir, img.dir, "/", "owner");
    f = fopen(dir, "wxe");
    if (f == NULL)
        die(errno, NULL, "create %s", dir);
    put_owner(f);
    if (fclose(f) != 0)
        die(errno, NULL, "write %s", dir);
    cfg.rootfs = img.root;
}

/*
 * In the runtime, after / is private: overlay with lowerdir=TOP:...:BASE,
 * upperdir and workdir. A read finds the topmost layer that has the file;
 * the first write copies it up into upperdir. Paths are given relative to
 * the cache (the cwd), as the options must fit in one page. Mounted by
 * the host's root, it works on any kernel; with a user namespace, the
 * layers were shifted so that the container's root owns its files (else
 * they would be nobody's, and root inside could not write its own /etc).
 */
static void
mount_overlay(void)
{
    static char opts[4096];
    size_t len;
    int i;

    if (chdir(img.cache) == -1)
        die(errno, NULL, "chdir %s", img.cache);
    strcpy(opts, "lowerdir=");
    for (i = img.n - 1; i >= 0; i--) {
        len = strlen(opts);
        snprintf(opts + len, sizeof(opts) - len, "%s%s",
                 strrchr(img.layer[i], '/') + 1, i > 0 ? ":" : "");
    }
    len = strlen(opts);
    if ((size_t)snprintf(opts + len, sizeof(opts) - len,
                         ",upperdir=%s,workdir=%s", img.upper,
                         img.work) >= sizeof(opts) - len)
        die(E2BIG, "fewer layers: mount options fit in one 4096-byte page",
            "overlay options for %d layers", img.n);
    /* nodev: a device node in the image, or made by the container in its
       upper layer, does not open (the container's /dev is its own). */
    if (mount("overlay", img.root, "overlay", MS_NODEV, opts) == -1)
        die(errno,
            errno == ENODEV ? "kernel lacks overlay: modprobe overlay" : NULL,
            "mount -t overlay -o %s overlay %s", opts, img.root);
    say("mount -t overlay -o %.400s%s overlay %s: %d read-only "
        "layers under one writable upper layer; a write copies the file up",
        opts, strlen(opts) > 400 ? "..." : "", img.root, img.n);
}

/* ---- images: commit, the upper layer as a new layer ----------------- */

static FILE *commit_out;
static size_t upper_len;

/* One tar header block; a name longer than 100 bytes or a link target
   longer than 99 goes first in a GNU 'L' or 'K' entry, and a size of
   8 GiB or more (past 11 octal digits) is written in base-256. */
static void
tar_put(const char *name, char type, const struct stat *st, const char *link,
        unsigned long long size)
{
    const char *const longs[2] = {name, link};
    struct stat l = {.st_mode = 0644};
    unsigned char b[512];
    unsigned int sum = 0;
    size_t n;
    int i;

    for (i = 0; i < 2; i++) {
        if ((n = strlen(longs[i]) + 1) <= 100)
            continue;
        /* ././@LongLink, its data the whole string, NUL included. */
        tar_put("././@LongLink", i == 0 ? 'L' : 'K', &l, "", n);
        memset(b, 0, sizeof(b));
        fwrite(longs[i], 1, n, commit_out);
        fwrite(b, 1, (512 - n % 512) % 512, commit_out);
    }
    memset(b, 0, sizeof(b));
    snprintf((char *)b, 100, "%s", name);
    snprintf((char *)b + 100, 8, "%07o", (unsigned)st->st_mode & 07777);
    snprintf((char *)b + 108, 8, "%07o", (unsigned)st->st_uid);
    snprintf((char *)b + 116, 8, "%07o", (unsigned)st->st_gid);
    if (size > 077777777777ULL) {
        b[124] = 0x80;
        for (i = 11; i > 0; i--, size >>= 8)
            b[124 + i] = (unsigned char)(size & 0xff);
    } else {
        snprintf((char *)b + 124, 12, "%011llo", size);
    }
    snprintf((char *)b + 136, 12, "%011llo", (unsigned long long)st->st_mtime);
    b[156] = (unsigned char)type;
    snprintf((char *)b + 157, 100, "%s", link); /* cut: the 'K' has it */
    memcpy(b + 257,
           "ustar\0"
           "00",
           8);
    memset(b + 148, ' ', 8);
    for (i = 0; i < 512; i++)
        sum += b[i];
    snprintf((char *)b + 148, 8, "%06o", sum);
    fwrite(b, 1, sizeof(b), commit_out);
}

/* OCI's name for the whiteout of PATH: "etc/hosts" is "etc/.wh.hosts". */
static void
whiteout_name(const char *path, char *out)
{
    const char *base = strrchr(path, '/');
    int dirlen = base == NULL ? 0 : (int)(base - path + 1);

    snprintf(out, PATH_MAX, "%.*s.wh.%s", dirlen, path, path + dirlen);
}

/* Each entry of the upper dir: overlayfs's whiteouts become OCI ones. */
static int
commit_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    static const struct stat marker = {.st_mode = 0644};
    char name[PATH_MAX], link[PATH_MAX] = "", wh[2], buf[65536];
    const char *rel = path + upper_len + 1;
    struct stat ids = *st;
    size_t n;
    FILE *in;

    (void)flag;
    if (f->level == 0)
        return 0;
    /* The layer holds the owners the container saw, not the host's. */
    ids.st_uid = map_id(st->st_uid, 0);
    ids.st_gid = map_id(st->st_gid, 0);
    if (ids.st_uid == (uid_t)-1 || ids.st_gid == (gid_t)-1)
        ids.st_uid = ids.st_gid = 65534; /* the kernel's "nobody" */
    st = &ids;
    if (S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0)) {
        whiteout_name(rel, name);
        tar_put(name, '0', &marker, "", 0);
        return 0;
    }
    if (S_ISDIR(st->st_mode)) {
        tar_put(rel, '5', st, "", 0);
        if (getxattr(path, "trusted.overlay.opaque", wh, 1) == 1 &&
            wh[0] == 'y') {
            snprintf(name, sizeof(name), "%s/.wh..wh..opq", rel);
            tar_put(name, '0', &marker, "", 0);
        }
    } else if (S_ISLNK(st->st_mode)) {
        n = (size_t)readlink(path, link, sizeof(link) - 1);
        link[n == (size_t)-1 ? 0 : n] = '\0';
        tar_put(rel, '2', st, link, 0);
    } else if (S_ISREG(st->st_mode)) {
        tar_put(rel, '0', st, "", (unsigned long long)st->st_size);
        in = fopen(path, "re");
        while (in != NULL && (n = fread(buf, 1, sizeof(buf), in)) > 0)
            fwrite(buf, 1, n, commit_out);
        if (in != NULL)
            fclose(in);
        memset(buf, 0, 512);
        fwrite(buf, 1, (512 - st->st_size % 512) % 512, commit_out);
    } else {
        warn(0, "--commit: %s is not a file, directory or link: left out", rel);
    }
    return 0;
}

/* --commit OUT.tar: the container's writes, as a layer to stack on top. */
static void
commit_layer(void)
{
    char zero[1024] = {0};

    if (cfg.commit == NULL || img.upper[0] == '\0')
        return;
    commit_out = fopen(cfg.commit, "we");
    if (commit_out == NULL)
        die(errno, NULL, "--commit %s", cfg.commit);
    upper_len = strlen(img.upper);
    if (nftw(img.upper, commit_one, 16, FTW_PHYS) == -1)
        die(errno, NULL, "walk %s", img.upper);
    fwrite(zero, 1, sizeof(zero), commit_out);
    if (fclose(commit_out) != 0)
        die(errno, NULL, "write %s", cfg.commit);
    say("--commit: the upper layer, whiteouts as .wh. entries, is now the "
        "layer %s: list it last in a manifest to stack it on top",
        cfg.commit);
}

/* --cleanup: the directories of containers whose runtime was killed (a
   kept upper layer, with no work directory beside it, stays), and layers
   a killed runtime was unpacking (SHA256.tmp.PID). */
static void
reclaim_container_dirs(void)
{
    char dir[PATH_MAX], path[PATH_MAX], rec[PATH_MAX], top[PATH_MAX], *p;
    int live;
    struct dirent *d, *t;
    FILE *f;
    DIR *dp, *top_dp;

    beside_exe("containers", dir);
    dp = opendir(dir);
    while (dp != NULL && (d = readdir(dp)) != NULL) {
        if (d->d_name[0] == '.')
            continue;
        join(path, dir, "/", d->d_name);
        join(rec, path, "/", "owner");
        f = fopen(rec, "re");
        if (f != NULL) {
            live = owner_alive(f);
            fclose(f);
            if (live)
                continue; /* its runtime runs */
        }
        join(rec, path, "/", "work");
        if (access(rec, F_OK) != 0)
            continue; /* kept with --keep */
        remove_tree(path);
        say("removed %s, left by a runtime that was killed", path);
    }
    if (dp != NULL)
        closedir(dp);
    /* Each cache: build/layers, and build/layers.MAP for user namespaces. */
    beside_exe("", top);
    top_dp = opendir(top);
    while (top_dp != NULL && (t = readdir(top_dp)) != NULL) {
        if (strncmp(t->d_name, "layers", 6) != 0)
            continue;
        join(dir, top, "", t->d_name);
        dp = opendir(dir);
        while (dp != NULL && (d = readdir(dp)) != NULL) {
            p = strstr(d->d_name, ".tmp.");
            if (p == NULL || !gone(atoi(p + 5)))
                continue;
            join(path, dir, "/", d->d_name);
            remove_tree(path);
            say("removed %s, left by a runtime that was killed", path);
        }
        if (dp != NULL)
            closedir(dp);
    }
    if (top_dp != NULL)
        closedir(top_dp);
}

/* ---- hardening: capabilities, no_new_privs, seccomp ----------------- */

/*
 * Root's power is a set of capabilities. Keep cfg.caps in the bounding set
 * (the most any later exec can gain; dropping needs CAP_SETPCAP, so it
 * goes first), then in permitted and effective with capset(2); ambient
 * and inheritable are emptied (Docker since 20.10.14, CVE-2022-24769: a
 * program with inheritable file capabilities gained them from it). When
 * root execs a program, its new permitted set is the bounding set: cfg.caps.
 */
static void
drop_caps(void)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    int cap, last = N_CAPS - 1;
    FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");

    if (f != NULL) {
        if (fscanf(f, "%d", &last) != 1)
            last = N_CAPS - 1;
        fclose(f);
    }
    for (cap = 0; cap <= last; cap++)
        if (!(cfg.caps & (1ULL << cap)) &&
            prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1)
            die(errno, NULL, "prctl(PR_CAPBSET_DROP, %d)", cap);
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
        errno != EINVAL) /* EINVAL: before Linux 4.3, no ambient set */
        die(errno, NULL, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
    memset(d, 0, sizeof(d)); /* inheritable: none */
    d[0].effective = d[0].permitted = (uint32_t)cfg.caps;
    d[1].effective = d[1].permitted = (uint32_t)(cfg.caps >> 32);
    if (syscall(SYS_capset, &h, d) == -1)
        die(errno, NULL, "capset");
    say("%scapset and PR_CAPBSET_DROP: %d capabilities kept of %d (CapEff "
        "%016llx): no SYS_ADMIN, SYS_MODULE, SYS_TIME, NET_ADMIN, ...",
        side, __builtin_popcountll(cfg.caps & ((2ULL << last) - 1)), last + 1,
        cfg.caps & ((2ULL << last) - 1));
}

/*
 * The seccomp filter, classic BPF (seccomp(2)): the kernel runs it on each
 * system call, over struct seccomp_data (nr, arch, args). The architecture
 * comes first: numbers differ between ABIs, and a process could use
 * another one (x32, or 32-bit calls on x86_64) to slip past the list.
 *
 * It is an allow-list, as Docker's default profile is (moby's
 * profiles/seccomp/default.json): the calls named below pass, every other
 * one fails. A deny-list lets through whatever it forgot to name, and
 * every call Linux adds after it was written; an allow-list fails closed.
 * A call that is not on the list fails with ENOSYS, "no such call", as on
 * an older kernel, so that the C library takes its fallback (clone3 to
 * clone, faccessat2 to faccessat, statx to newfstatat): EPERM would be a
 * hard error to it. A call the list knows and refuses, or allows only
 * with a capability the container lacks, fails with EPERM, the kernel's
 * own answer to a missing capability.
 *
 * The numbers are those of the architecture compiled for, from
 * <sys/syscall.h>, never typed in: SYS_open is 2 on x86_64 and does not
 * exist on arm64.
 */
#if defined(__x86_64__)
#define SECCOMP_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SECCOMP_ARCH AUDIT_ARCH_AARCH64
#else
#error "seccomp: add this architecture's AUDIT_ARCH_ value"
#endif
#define X32_SYSCALL_BIT 0x40000000
#define NEW_NS_FLAGS                                                           \
    (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |               \
     CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP)

/* Refused with EPERM, whatever the capabilities: the kernel's keyring,
   module loading, kexec, raw file handles (shocker), eBPF, perf,
   userfaultfd (a tool of kernel exploits), the kernel log, and joining
   namespaces. (Docker gives some of them back with a capability; here
   --cap-add does not.) */
static const int denied_syscalls[] = {
    SYS_keyctl,
    SYS_add_key,
    SYS_request_key,
    SYS_kexec_load,
    SYS_kexec_file_load,
    SYS_init_module,
    SYS_finit_module,
    SYS_delete_module,
    SYS_open_by_handle_at,
    SYS_name_to_handle_at,
    SYS_bpf,
    SYS_perf_event_open,
    SYS_userfaultfd,
    SYS_syslog,
    SYS_setns,
};

/* Docker's default allow-list, in its order, less io_uring_setup,
   io_uring_enter and io_uring_register: a second system call interface,
   whose bugs gave root in most of Google's kCTF exploits of 2022, which
   Docker and containerd took out in 2023. Its 32-bit-only names
   (chown32, socketcall, ...) have no number on these two ABIs. clone,
   clone3, unshare, personality and socket have rules of their own
   (build_seccomp). */
static const int allowed_syscalls[] = {
    SYS_accept,
    SYS_accept4,
    SYS_adjtimex,
    SYS_bind,
    SYS_brk,
    SYS_capget,
    SYS_capset,
    SYS_chdir,
    SYS_clock_adjtime,
    SYS_clock_getres,
    SYS_clock_gettime,
    SYS_clock_nanosleep,
    SYS_close,
    SYS_close_range,
    SYS_connect,
    SYS_copy_file_range,
    SYS_dup,
    SYS_dup3,
    SYS_epoll_create1,
    SYS_epoll_ctl,
    SYS_epoll_pwait,
    SYS_epoll_pwait2,
    SYS_eventfd2,
    SYS_execve,
    SYS_execveat,
    SYS_exit,
    SYS_exit_group,
    SYS_faccessat,
    SYS_faccessat2,
    SYS_fadvise64,
    SYS_fallocate,
    SYS_fanotify_mark,
    SYS_fchdir,
    SYS_fchmod,
    SYS_fchmodat,
    SYS_fchown,
    SYS_fchownat,
    SYS_fcntl,
    SYS_fdatasync,
    SYS_fgetxattr,
    SYS_flistxattr,
    SYS_flock,
    SYS_fremovexattr,
    SYS_fsetxattr,
    SYS_fstat,
    SYS_fstatfs,
    SYS_fsync,
    SYS_ftruncate,
    SYS_futex,
    SYS_futex_waitv,
    SYS_get_robust_list,
    SYS_getcpu,
    SYS_getcwd,
    SYS_getdents64,
    SYS_getegid,
    SYS_geteuid,
    SYS_getgid,
    SYS_getgroups,
    SYS_getitimer,
    SYS_getpeername,
    SYS_getpgid,
    SYS_getpid,
    SYS_getppid,
    SYS_getpriority,
    SYS_getrandom,
    SYS_getresgid,
    SYS_getresuid,
    SYS_getrlimit,
    SYS_getrusage,
    SYS_getsid,
    SYS_getsockname,
    SYS_getsockopt,
    SYS_gettid,
    SYS_gettimeofday,
    SYS_getuid,
    SYS_getxattr,
    SYS_inotify_add_watch,
    SYS_inotify_init1,
    SYS_inotify_rm_watch,
    SYS_io_cancel,
    SYS_io_destroy,
    SYS_io_getevents,
    SYS_io_pgetevents,
    SYS_io_setup,
    SYS_io_submit,
    SYS_ioctl,
    SYS_ioprio_get,
    SYS_ioprio_set,
    SYS_kill,
    SYS_landlock_add_rule,
    SYS_landlock_create_ruleset,
    SYS_landlock_restrict_self,
    SYS_lgetxattr,
    SYS_linkat,
    SYS_listen,
    SYS_listxattr,
    SYS_llistxattr,
    SYS_lremovexattr,
    SYS_lseek,
    SYS_lsetxattr,
    SYS_madvise,
    SYS_membarrier,
    SYS_memfd_create,
    SYS_memfd_secret,
    SYS_mincore,
    SYS_mkdirat,
    SYS_mknodat,
    SYS_mlock,
    SYS_mlock2,
    SYS_mlockall,
    SYS_mmap,
    SYS_mprotect,
    SYS_mq_getsetattr,
    SYS_mq_notify,
    SYS_mq_open,
    SYS_mq_timedreceive,
    SYS_mq_timedsend,
    SYS_mq_unlink,
    SYS_mremap,
    SYS_msgctl,
    SYS_msgget,
    SYS_msgrcv,
    SYS_msgsnd,
    SYS_msync,
    SYS_munlock,
    SYS_munlockall,
    SYS_munmap,
    SYS_nanosleep,
    SYS_newfstatat,
    SYS_openat,
    SYS_openat2,
    SYS_pidfd_open,
    SYS_pidfd_send_signal,
    SYS_pipe2,
    SYS_pkey_alloc,
    SYS_pkey_free,
    SYS_pkey_mprotect,
    SYS_ppoll,
    SYS_prctl,
    SYS_pread64,
    SYS_preadv,
    SYS_preadv2,
    SYS_prlimit64,
    SYS_process_mrelease,
    SYS_process_vm_readv,
    SYS_process_vm_writev,
    SYS_pselect6,
    SYS_ptrace,
    SYS_pwrite64,
    SYS_pwritev,
    SYS_pwritev2,
    SYS_read,
    SYS_readahead,
    SYS_readlinkat,
    SYS_readv,
    SYS_recvfrom,
    SYS_recvmmsg,
    SYS_recvmsg,
    SYS_remap_file_pages,
    SYS_removexattr,
    SYS_renameat,
    SYS_renameat2,
    SYS_restart_syscall,
    SYS_rseq,
    SYS_rt_sigaction,
    SYS_rt_sigpending,
    SYS_rt_sigprocmask,
    SYS_rt_sigqueueinfo,
    SYS_rt_sigreturn,
    SYS_rt_sigsuspend,
    SYS_rt_sigtimedwait,
    SYS_rt_tgsigqueueinfo,
    SYS_sched_get_priority_max,
    SYS_sched_get_priority_min,
    SYS_sched_getaffinity,
    SYS_sched_getattr,
    SYS_sched_getparam,
    SYS_sched_getscheduler,
    SYS_sched_rr_get_interval,
    SYS_sched_setaffinity,
    SYS_sched_setattr,
    SYS_sched_setparam,
    SYS_sched_setscheduler,
    SYS_sched_yield,
    SYS_seccomp,
    SYS_semctl,
    SYS_semget,
    SYS_semop,
    SYS_semtimedop,
    SYS_sendfile,
    SYS_sendmmsg,
    SYS_sendmsg,
    SYS_sendto,
    SYS_set_robust_list,
    SYS_set_tid_address,
    SYS_setfsgid,
    SYS_setfsuid,
    SYS_setgid,
    SYS_setgroups,
    SYS_setitimer,
    SYS_setpgid,
    SYS_setpriority,
    SYS_setregid,
    SYS_setresgid,
    SYS_setresuid,
    SYS_setreuid,
    SYS_setrlimit,
    SYS_setsid,
    SYS_setsockopt,
    SYS_setuid,
    SYS_setxattr,
    SYS_shmat,
    SYS_shmctl,
    SYS_shmdt,
    SYS_shmget,
    SYS_shutdown,
    SYS_sigaltstack,
    SYS_signalfd4,
    SYS_socketpair,
    SYS_splice,
    SYS_statfs,
    SYS_statx,
    SYS_symlinkat,
    SYS_sync,
    SYS_sync_file_range,
    SYS_syncfs,
    SYS_sysinfo,
    SYS_tee,
    SYS_tgkill,
    SYS_timer_create,
    SYS_timer_delete,
    SYS_timer_getoverrun,
    SYS_timer_gettime,
    SYS_timer_settime,
    SYS_timerfd_create,
    SYS_timerfd_gettime,
    SYS_timerfd_settime,
    SYS_times,
    SYS_tkill,
    SYS_truncate,
    SYS_umask,
    SYS_uname,
    SYS_unlinkat,
    SYS_utimensat,
    SYS_vmsplice,
    SYS_wait4,
    SYS_waitid,
    SYS_write,
    SYS_writev,
/* The old forms, which arm64 never had: it has only the *at
   and newer calls (openat for open, clone for fork, ppoll for
   poll), and x86_64's own arch_prctl and modify_ldt. */
#ifdef SYS_access
    SYS_access,
#endif
#ifdef SYS_alarm
    SYS_alarm,
#endif
#ifdef SYS_arch_prctl
    SYS_arch_prctl,
#endif
#ifdef SYS_chmod
    SYS_chmod,
#endif
#ifdef SYS_chown
    SYS_chown,
#endif
#ifdef SYS_creat
    SYS_creat,
#endif
#ifdef SYS_dup2
    SYS_dup2,
#endif
#ifdef SYS_epoll_create
    SYS_epoll_create,
#endif
#ifdef SYS_epoll_ctl_old
    SYS_epoll_ctl_old,
#endif
#ifdef SYS_epoll_wait
    SYS_epoll_wait,
#endif
#ifdef SYS_epoll_wait_old
    SYS_epoll_wait_old,
#endif
#ifdef SYS_eventfd
    SYS_eventfd,
#endif
#ifdef SYS_fork
    SYS_fork,
#endif
#ifdef SYS_futimesat
    SYS_futimesat,
#endif
#ifdef SYS_get_thread_area
    SYS_get_thread_area,
#endif
#ifdef SYS_getdents
    SYS_getdents,
#endif
#ifdef SYS_getpgrp
    SYS_getpgrp,
#endif
#ifdef SYS_inotify_init
    SYS_inotify_init,
#endif
#ifdef SYS_lchown
    SYS_lchown,
#endif
#ifdef SYS_link
    SYS_link,
#endif
#ifdef SYS_lstat
    SYS_lstat,
#endif
#ifdef SYS_mkdir
    SYS_mkdir,
#endif
#ifdef SYS_mknod
    SYS_mknod,
#endif
#ifdef SYS_modify_ldt
    SYS_modify_ldt,
#endif
#ifdef SYS_open
    SYS_open,
#endif
#ifdef SYS_pause
    SYS_pause,
#endif
#ifdef SYS_pipe
    SYS_pipe,
#endif
#ifdef SYS_poll
    SYS_poll,
#endif
#ifdef SYS_readlink
    SYS_readlink,
#endif
#ifdef SYS_rename
    SYS_rename,
#endif
#ifdef SYS_rmdir
    SYS_rmdir,
#endif
#ifdef SYS_select
    SYS_select,
#endif
#ifdef SYS_set_thread_area
    SYS_set_thread_area,
#endif
#ifdef SYS_signalfd
    SYS_signalfd,
#endif
#ifdef SYS_stat
    SYS_stat,
#endif
#ifdef SYS_symlink
    SYS_symlink,
#endif
#ifdef SYS_time
    SYS_time,
#endif
#ifdef SYS_unlink
    SYS_unlink,
#endif
#ifdef SYS_utime
    SYS_utime,
#endif
#ifdef SYS_utimes
    SYS_utimes,
#endif
#ifdef SYS_vfork
    SYS_vfork,
#endif
};

/* Allowed only with a capability, as Docker does: without it the kernel
   would refuse them anyway, and the filter says EPERM as it would. They
   are kept off the default surface all the same: each one is kernel code
   that every container could reach. */
static const struct {
    int nr, cap;
} cap_syscalls[] = {
    {SYS_fanotify_init, CAP_SYS_ADMIN},
    {SYS_fsconfig, CAP_SYS_ADMIN}, /* CVE-2022-0185's overflow */
    {SYS_fsmount, CAP_SYS_ADMIN},
    {SYS_fsopen, CAP_SYS_ADMIN},
    {SYS_fspick, CAP_SYS_ADMIN},
    {SYS_lookup_dcookie, CAP_SYS_ADMIN},
    {SYS_mount, CAP_SYS_ADMIN},
    {SYS_mount_setattr, CAP_SYS_ADMIN},
    {SYS_move_mount, CAP_SYS_ADMIN},
    {SYS_open_tree, CAP_SYS_ADMIN},
    {SYS_quotactl, CAP_SYS_ADMIN},
    {SYS_quotactl_fd, CAP_SYS_ADMIN},
    {SYS_setdomainname, CAP_SYS_ADMIN},
    {SYS_sethostname, CAP_SYS_ADMIN},
    {SYS_umount2, CAP_SYS_ADMIN},
    {SYS_reboot, CAP_SYS_BOOT},
    {SYS_chroot, CAP_SYS_CHROOT},
    {SYS_acct, CAP_SYS_PACCT},
    /* another process's descriptors, memory and kernel objects */
    {SYS_kcmp, CAP_SYS_PTRACE},
    {SYS_pidfd_getfd, CAP_SYS_PTRACE},
    {SYS_process_madvise, CAP_SYS_PTRACE},
#ifdef SYS_iopl
    {SYS_iopl, CAP_SYS_RAWIO},
#endif
#ifdef SYS_ioperm
    {SYS_ioperm, CAP_SYS_RAWIO},
#endif
    {SYS_settimeofday, CAP_SYS_TIME},
    {SYS_clock_settime, CAP_SYS_TIME},
    {SYS_vhangup, CAP_SYS_TTY_CONFIG},
    /* NUMA memory policies: pages on other nodes, other processes' */
    {SYS_get_mempolicy, CAP_SYS_NICE},
    {SYS_mbind, CAP_SYS_NICE},
    {SYS_set_mempolicy, CAP_SYS_NICE},
    {SYS_set_mempolicy_home_node, CAP_SYS_NICE},
};

/* personality(2): Docker's values only: 0 (Linux), PER_LINUX32, UNAME26
   (a 2.6 version number for old programs), both, and 0xffffffff, which
   only asks. The other flags weaken the memory layout: READ_IMPLIES_EXEC
   makes data executable, ADDR_NO_RANDOMIZE turns ASLR off, MMAP_PAGE_ZERO
   maps page 0 (CVE-2009-1895: through a set-user-ID program it undid
   mmap_min_addr, for NULL-pointer exploits). */
static const unsigned int personas[] = {PER_LINUX, PER_LINUX32, UNAME26,
                                        PER_LINUX32 | UNAME26, 0xffffffff};

/* socket(2): every family but AF_VSOCK, as Docker since 2023. vsock
   talks to the hypervisor and is not network-namespaced: --net none
   does not cut it (and CVE-2021-26708 was a race in it to kernel code).
   AF_NETLINK, AF_PACKET (with NET_RAW), AF_UNIX, ... stay. */
static const unsigned int socket_refused[] = {AF_VSOCK};

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define STMT(code, k) ((struct sock_filter)BPF_STMT(code, k))
#define JUMP(k, t, f)                                                          \
    ((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, t, f))
#define RET(v) STMT(BPF_RET | BPF_K, v)
#define LOAD(field)                                                            \
    STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))

/* The filter's length at most: two instructions a name, the checks. A
   classic BPF program has at most BPF_MAXINSNS (4096). */
#define SECCOMP_MAX                                                            \
    (2 * (N_OF(denied_syscalls) + N_OF(allowed_syscalls) +                     \
          N_OF(cap_syscalls)) +                                                \
     N_OF(personas) + N_OF(socket_refused) + 32)
_Static_assert(SECCOMP_MAX <= BPF_MAXINSNS, "the seccomp filter is too long");

/* At prog[n]: call nr with its first argument one of values[]: ret_in;
   with another: ret_out. The low 32 bits are compared: what the kernel
   reads of an int argument. The number of instructions after it. */
static int
arg0_rule(struct sock_filter *prog, int n, int nr, const unsigned int *values,
          int count, unsigned int ret_in, unsigned int ret_out)
{
    int i;

    prog[n++] = JUMP(nr, 0, count + 3);
    prog[n++] = LOAD(args[0]);
    for (i = 0; i < count; i++)
        prog[n++] = JUMP(values[i], count - i, 0);
    prog[n++] = RET(ret_out);
    prog[n++] = RET(ret_in);
    return n;
}

/*
 * Build the filter for the capability set caps into prog; the number of
 * instructions. A list of compare-and-return pairs, in the tables' order,
 * for reading. Its cost: a call walks the list to its own name, some 700
 * instructions for one past the end (measured: 0.3 to 0.6 us more per
 * call, with the kernel's BPF JIT). Since Linux 5.11 the kernel runs the
 * filter once per number when it is loaded and remembers the calls it
 * allows whatever their arguments: those, nearly all a program makes,
 * then skip it (no difference measured). Calls it refuses, the ones whose
 * arguments it checks, and every call on older kernels pay the walk; a
 * binary search over the sorted numbers, as libseccomp can emit, would
 * take some 10 steps, at the price of a filter no one reads.
 */
static int
build_seccomp(struct sock_filter *prog, unsigned long long caps)
{
    static const struct {
        int nr;
        unsigned int flags;
    } ns_calls[] = {{SYS_clone, NEW_NS_FLAGS},
                    {SYS_unshare, NEW_NS_FLAGS | CLONE_NEWTIME}};
    const unsigned int eperm = SECCOMP_RET_ERRNO | EPERM;
    int i, n = 0;

    prog[n++] = LOAD(arch);
    prog[n++] = JUMP(SECCOMP_ARCH, 1, 0);
    prog[n++] = RET(SECCOMP_RET_KILL_PROCESS);
    prog[n++] = LOAD(nr);
#if defined(__x86_64__)
    prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
                                             X32_SYSCALL_BIT, 0, 1);
    prog[n++] = RET(eperm);
#endif
    for (i = 0; i < N_OF(denied_syscalls); i++) {
        prog[n++] = JUMP(denied_syscalls[i], 0, 1);
        prog[n++] = RET(eperm);
    }
    /* clone3(2) passes its flags in memory, where BPF cannot look: ENOSYS
       makes the C library fall back to clone(2), which it can. */
    prog[n++] = JUMP(SYS_clone3, 0, 1);
    prog[n++] = RET(SECCOMP_RET_ERRNO | ENOSYS);
    /* clone and unshare: refused only when they ask for a namespace, a
       way to the kernel code that a user namespace opens (CVE-2022-0185,
       CVE-2023-32233). Flags are the first argument on x86_64 and arm64
       alike, and clone(2) reads only their low 32 bits. */
    for (i = 0; i < N_OF(ns_calls); i++) {
        prog[n++] = JUMP(ns_calls[i].nr, 0, 4);
        prog[n++] = LOAD(args[0]);
        prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K,
                                                 ns_calls[i].flags, 0, 1);
        prog[n++] = RET(eperm);
        prog[n++] = RET(SECCOMP_RET_ALLOW);
    }
    n = arg0_rule(prog, n, SYS_personality, personas, N_OF(personas),
                  SECCOMP_RET_ALLOW, eperm);
    n = arg0_rule(prog, n, SYS_socket, socket_refused, N_OF(socket_refused),
                  eperm, SECCOMP_RET_ALLOW);
    for (i = 0; i < N_OF(cap_syscalls); i++) {
        prog[n++] = JUMP(cap_syscalls[i].nr, 0, 1);
        prog[n++] = RET(caps & (1ULL << cap_syscalls[i].cap) ? SECCOMP_RET_ALLOW
                                                             : eperm);
    }
    for (i = 0; i < N_OF(allowed_syscalls); i++) {
        prog[n++] = JUMP(allowed_syscalls[i], 0, 1);
        prog[n++] = RET(SECCOMP_RET_ALLOW);
    }
    prog[n++] = RET(SECCOMP_RET_ERRNO | ENOSYS);
    return n;
}

/*
 * no_new_privs: from here on, no exec can gain privileges (set-user-ID
 * bits and file capabilities are ignored); it is also what lets a process
 * load a seccomp filter without CAP_SYS_ADMIN. The filter is the last
 * step before exec: every call after it is filtered, and inherited by
 * every child.
 */
static void
load_seccomp(void)
{
    static struct sock_filter prog[SECCOMP_MAX];
    struct sock_fprog fprog = {.filter = prog};

    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
        die(errno, NULL, "prctl(PR_SET_NO_NEW_PRIVS)");
    say("%sprctl(PR_SET_NO_NEW_PRIVS, 1): no exec gains privileges now", side);
    if (!cfg.seccomp) {
        say("%s--seccomp off: every system call is allowed", side);
        return;
    }
    fprog.len = (unsigned short)build_seccomp(prog, cfg.caps);
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) == -1)
        die(errno,
            errno == EINVAL ? "the kernel lacks CONFIG_SECCOMP_FILTER" : NULL,
            "prctl(PR_SET_SECCOMP)");
    say("%sseccomp: a %d-instruction BPF filter, Docker's allow-list (%d "
        "calls, %d more with a capability): keyctl, bpf, "
        "unshare(CLONE_NEW*), socket(AF_VSOCK), ... fail with EPERM, "
        "io_uring and the calls not on it with ENOSYS",
        side, fprog.len, N_OF(allowed_syscalls), N_OF(cap_syscalls));
}

/* No descriptor of the runtime's reaches the command: only 0, 1, 2. */
static void
close_fds(void)
{
    struct dirent *d;
    DIR *dir;
    int fd;

    if (syscall(SYS_close_range, 3, ~0U, 0) == 0)
        return;
    dir = opendir("/proc/self/fd"); /* before Linux 5.9 */
    while (dir != NULL && (d = readdir(dir)) != NULL) {
        fd = atoi(d->d_name);
        if (fd > 2 && fd != dirfd(dir))
            close(fd);
    }
    if (dir != NULL)
        closedir(dir);
}

/* All of it, in this order, as the last steps before exec. */
static void
harden(void)
{
    close_fds();
    drop_caps();
    load_seccomp();
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
    char path[PATH_MAX];
    struct in_addr addr;
    struct dirent *d;
    int fd, i, j, ports, pid;
    DIR *dir;

    state_lock();
    open_hierarchies();
    reclaim_records();
    dir = opendir(STATE_DIR);
    while (dir != NULL && (d = readdir(dir)) != NULL) {
        if (inet_pton(AF_INET, d->d_name, &addr) == 1)
            lease_live(addr);
        /* A killed runtime's mount point: empty here, its mounts were
           in its own mount namespace. */
        pid = 0;
        if (sscanf(d->d_name, "mnt.%d", &pid) == 1 && gone(pid)) {
            snprintf(path, sizeof(path), STATE_DIR "/%s", d->d_name);
            if (rmdir(path) == 0)
                say("rmdir %s, left by a runtime that was killed", path);
        }
    }
    if (dir != NULL)
        closedir(dir);
    reclaim_container_dirs();
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
    unmount_private();
    state_unlock();
    return 0;
}

/* ---- a terminal of its own ---------------------------------------- */

/*
 * Until here the container shared the terminal the runtime was started
 * on, and had it as its controlling terminal: ioctl(TIOCSTI) on /dev/tty
 * pushes bytes into a terminal's input as if they were typed, and the
 * host's shell reads them once the container exits and runs them, as
 * root (bubblewrap's CVE-2017-5226; runc gives a container a console of
 * its own for the same reason, and docker run -t asks for one). So, when
 * the runtime's stdin and stdout are a terminal, the container gets a
 * pseudo-terminal from its own devpts instance (mount_kernel_fs): its
 * /dev/pts/0, whose line discipline turns Ctrl-C, Ctrl-Z and Ctrl-\ into
 * signals for the container's foreground process group, as a terminal
 * does for any shell. The runtime puts the host's terminal in raw mode,
 * so that those bytes reach the container uninterpreted, and relays
 * between the two until the container exits; a window size change
 * (SIGWINCH) is passed on with TIOCSWINSZ. Without a terminal the
 * container still gets setsid(2): a session of its own and no
 * controlling terminal, so /dev/tty opens nothing of the host's.
 *
 * The child opens /dev/ptmx once its root is set up, in its own mount
 * and user namespaces: the pty belongs to the container's devpts, its
 * slave to the container's root. It passes the master to the runtime over
 * a socketpair (SCM_RIGHTS, as runc's --console-socket does): the runtime
 * never walks a path that the container could have changed, such as
 * /proc/PID/root/dev/ptmx, nor mounts anything for it. A runtime killed
 * with SIGKILL cannot restore the host's terminal: `stty sane` does.
 */
static int use_tty;                /* stdin and stdout are a terminal */
static int tty_sock[2] = {-1, -1}; /* the child sends the master over it */
static int tty_master = -1;        /* the runtime's end of the pty */
static int tty_raw;                /* the host's terminal is raw now */
static struct termios tty_saved;   /* ... and was this before */
static volatile sig_atomic_t tty_resized;

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
static void
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
static void
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
static void
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
    /* PID 1 stays the runtime's binary: not dumpable, so that the
       container's processes (no CAP_SYS_PTRACE) cannot open its
       /proc/1/exe, the host's file (CVE-2019-5736). */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
        die(errno, NULL, "init: prctl(PR_SET_DUMPABLE, 0)");
    cmd = fork();
    if (cmd == -1)
        die(errno, NULL, "init: fork");
    if (cmd == 0) {
        /* With a terminal, the command's own process group is its
           foreground one (as tini does): Ctrl-C signals the command, not
           PID 1 as well. SIGTTOU, blocked, does not stop tcsetpgrp(). */
        if (use_tty &&
            (setpgid(0, 0) == -1 || tcsetpgrp(STDIN_FILENO, getpid()) == -1))
            die(errno, NULL, "init: setpgid, tcsetpgrp");
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

/* ---- the host side ------------------------------------------------- */

/*
 * SIGINT, SIGTERM and SIGHUP sent to the runtime are passed on to the
 * container's PID 1. If it has no handler, the kernel drops them; so a
 * second one is sent as SIGKILL, which the kernel always delivers when it
 * comes from an ancestor PID namespace. After a hangup nobody may be left
 * to send it again, so SIGHUP also sets an alarm: if the container is
 * still there HANGUP_GRACE seconds later, SIGALRM makes it SIGKILL (docker
 * stop waits 10 s after SIGTERM). No terminal signals the container
 * behind the runtime's back any more: it has a session of its own
 * (setup_terminal()). With a terminal of its own, Ctrl-C is a byte that
 * the relay passes on and the container's terminal turns into SIGINT for
 * the container's foreground group; without one, the Ctrl-C of the
 * terminal the runtime runs on signals the runtime's group only, and the
 * runtime passes it on like any other. A hangup's SIGHUP goes to the
 * session leader, which may be the runtime. Only kill(2), alarm(2) and
 * write(2) here: they are safe in a signal handler, stdio is not.
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

/* ---- containers by name: --list, --exec ----------------------------- */

/*
 * CVE-2019-5736 (runc): a process of the runtime's inside a container is
 * the host's binary as /proc/PID/exe. --exec of a script that starts
 * "#!/proc/self/exe" makes the kernel run the runtime again there, where
 * the container's root can open it and, once no one runs it (ETXTBSY),
 * write the host's runtime. Without a user namespace that root is the
 * host's. So --exec runs from a sealed copy in memory, as runc does:
 * memfd_create(2), the binary copied in, sealed against every write, and
 * fexecve(3)'d; its /proc/self/exe is then the memfd, nothing on disk.
 */
static void
run_from_sealed_copy(char **argv)
{
    extern char **environ;
    char exe[64];
    ssize_t n;
    int in, mem;
    off_t off = 0;
    struct stat st;

    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0 && strncmp(exe, "/memfd:", 7) == 0)
        return; /* this is the copy */
    in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    mem = memfd_create("container-lessons", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (in == -1 || mem == -1 || fstat(in, &st) == -1)
        die(errno, NULL, "a sealed copy of the runtime: memfd_create");
    while (off < st.st_size)
        if (sendfile(mem, in, &off, (size_t)(st.st_size - off)) <= 0)
            die(errno, NULL, "a sealed copy of the runtime: sendfile");
    close(in);
    if (fcntl(mem, F_ADD_SEALS,
              F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) == -1)
        die(errno, NULL, "a sealed copy of the runtime: F_ADD_SEALS");
    say("exec: memfd_create, sendfile, F_SEAL_WRITE, fexecve: the runtime "
        "runs from a sealed copy (CVE-2019-5736)");
    fexecve(mem, argv, environ);
    die(errno, NULL, "fexecve of the sealed copy");
}

/* Its PID 1 goes into the container's record, for --list and --exec, and
   its hardening, for --exec: "caps HEX" (its capability set) and
   "seccomp 1" or "0". */
static void
record_init(pid_t child)
{
    int fd = open(cg.record, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
    FILE *f = fd == -1 ? NULL : fdopen(fd, "a");

    /* With its start time, as the owner lines: PIDs are reused. */
    if (f == NULL ||
        fprintf(f, "init %d %llu\ncaps %llx\nseccomp %d\n", (int)child,
                start_time(child), cfg.caps, cfg.seccomp) < 0 ||
        fclose(f) != 0)
        die(errno, NULL, "write %s", cg.record);
}

/* --list: NAME, its PID 1 on the host, the runtime's PID, the command. */
static int
list_containers(void)
{
    char path[PATH_MAX], cmd[256];
    struct dirent *d;
    size_t len, i;
    ssize_t n;
    int fd, runtime;
    FILE *f;
    DIR *dir = opendir(STATE_DIR);

    printf("%-20s %8s %8s  %s\n", "NAME", "PID", "RUNTIME", "COMMAND");
    while (dir != NULL && (d = readdir(dir)) != NULL) {
        len = strlen(d->d_name);
        if (len < 4 || strcmp(d->d_name + len - 3, ".ct") != 0)
            continue;
        snprintf(path, sizeof(path), STATE_DIR "/%s", d->d_name);
        if (load_record(path) != 1 || init_pid <= 0)
            continue; /* starting, or left by a killed runtime */
        runtime = 0;
        if ((f = fopen(path, "re")) != NULL) {
            if (fscanf(f, "%d", &runtime) != 1)
                runtime = 0;
            fclose(f);
        }
        snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)init_pid);
        n = -1;
        if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
            n = read(fd, cmd, sizeof(cmd) - 1);
            close(fd);
        }
        for (i = 0; n > 0 && i < (size_t)n - 1; i++)
            if (cmd[i] == '\0')
                cmd[i] = ' ';
        cmd[n > 0 ? n : 0] = '\0';
        printf("%-20.*s %8d %8d  %s\n", (int)len - 3, d->d_name, (int)init_pid,
               runtime, cmd);
    }
    if (dir != NULL)
        closedir(dir);
    return 0;
}

/* The container's ID maps, read back from its PID 1 (for narration and
   for become_root()). */
static void
read_id_map(pid_t pid)
{
    char path[64];
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
    f = fopen(path, "re");
    cfg.n_map = 0;
    while (f != NULL && cfg.n_map < MAX_MAPS &&
           fscanf(f, "%lu %lu %lu", &cfg.map[cfg.n_map].inside,
                  &cfg.map[cfg.n_map].outside, &cfg.map[cfg.n_map].count) == 3)
        cfg.n_map++;
    if (f != NULL)
        fclose(f);
}

/*
 * The capability set and seccomp setting a container started with, from
 * its record, into cfg: an --exec gets the container's, not those of its
 * own command line, as docker exec does, or `--exec` into a `--cap-drop
 * ALL` container would have Docker's 14 back. Checked as they are read:
 * a set with bits past the last capability, or a record without them,
 * is refused, never taken for "all" or "none".
 */
static void
load_hardening(const char *path, const char *name)
{
    char line[PATH_MAX + 64], key[32], val[64], *end;
    int caps = 0, seccomp = 0;
    const char *why;
    FILE *f = state_open(path, &why);

    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        if (sscanf(line, "%31s %63s", key, val) != 2)
            continue;
        if (strcmp(key, "caps") == 0) {
            errno = 0;
            cfg.caps = strtoull(val, &end, 16);
            caps = errno == 0 && end != val && *end == '\0' &&
                   (cfg.caps & ~((1ULL << N_CAPS) - 1)) == 0;
        } else if (strcmp(key, "seccomp") == 0) {
            cfg.seccomp = val[0] == '1';
            seccomp = (val[0] == '0' || val[0] == '1') && val[1] == '\0';
        }
    }
    if (f != NULL)
        fclose(f);
    if (!caps || !seccomp)
        die(0, "stop it and start it again with this run",
            "--exec: the record of %s has no valid capability set and "
            "seccomp setting (%s)",
            name, path);
    say("exec: the container's hardening, from its record: capabilities "
        "%016llx, seccomp %s; not this command line's",
        cfg.caps, cfg.seccomp ? "on" : "off");
}

/*
 * --exec NAME: run a command in a running container, as docker exec and
 * nsenter do. Into its cgroups first (as the host's root), then into each
 * of its namespaces with setns(2) on /proc/PID/ns/X, the user namespace
 * last (after it, the host's privileges are gone). A PID namespace takes
 * only the children of the process that joins it: the command is a
 * child, forked after. It gets the same hardening as the container's own
 * PID 1: the same capabilities and seccomp setting.
 *
 * Until it execs the command, the process that joins is the runtime, host
 * root with the host's memory and environment, in the container's
 * namespaces: first PR_SET_DUMPABLE 0 (runc's CVE-2016-9962, where the
 * container's root ptraced the joining runc init and used its descriptors
 * to the host). A process that is not dumpable can be traced, and its
 * /proc/PID/mem, environ and fd opened, only by a holder of CAP_SYS_PTRACE
 * over the host's user namespace, which no container has. The child
 * inherits it; execve() of the command makes the command dumpable again,
 * the container's own.
 */
static int
exec_in(const char *name)
{
    static const char *const order[] = {"ipc",  "uts",    "net", "pid",
                                        "time", "cgroup", "mnt", "user"};
    char path[PATH_MAX], joined[128] = "";
    struct stat ours, theirs;
    int fd[sizeof(order) / sizeof(order[0])];
    pid_t child;
    size_t i;

    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
        die(errno, NULL, "prctl(PR_SET_DUMPABLE, 0)");
    say("exec: prctl(PR_SET_DUMPABLE, 0): until it is the command, the "
        "container cannot trace this process or read its /proc/PID/mem");
    snprintf(path, sizeof(path), STATE_DIR "/%s.ct", name);
    if (access(path, F_OK) != 0)
        die(ENOENT, "see the running containers with --list",
            "--exec: no container %s", name);
    state_lock();
    open_hierarchies();
    if (load_record(path) != 1 || init_pid <= 0 || gone(init_pid))
        die(ENOENT, "see the running containers with --list",
            "--exec: no running container %s", name);
    load_hardening(path, name);
    join_cgroups(getpid());
    cg.record[0] = '\0';
    unmount_private();
    state_unlock();
    say("exec: joined the cgroups of %s (PID 1 is %d on the host)", name,
        (int)init_pid);
    /* Every namespace is opened first: after setns(mnt), /proc is the
       container's, where this process has no /proc/self. */
    cfg.userns = 0;
    for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        fd[i] = -1;
        snprintf(path, sizeof(path), "/proc/self/ns/%s", order[i]);
        if (stat(path, &ours) == -1)
            continue; /* not in this kernel */
        snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)init_pid, order[i]);
        if (stat(path, &theirs) == -1)
            die(errno, NULL, "stat %s", path);
        if (ours.st_ino == theirs.st_ino && ours.st_dev == theirs.st_dev)
            continue; /* shared with the host: --no-userns, say */
        if ((fd[i] = open(path, O_RDONLY | O_CLOEXEC)) == -1)
            die(errno, NULL, "open %s", path);
        if (strcmp(order[i], "user") == 0) {
            cfg.userns = 1;
            read_id_map(init_pid);
        }
    }
    for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        if (fd[i] == -1)
            continue;
        if (setns(fd[i], 0) == -1)
            die(errno, NULL, "setns(/proc/%d/ns/%s)", (int)init_pid, order[i]);
        close(fd[i]);
        snprintf(joined + strlen(joined), sizeof(joined) - strlen(joined),
                 "%s%s", joined[0] ? " " : "", order[i]);
    }
    say("exec: setns(2) into its namespaces: %s", joined);
    if (pipe2(sync_pipe, O_CLOEXEC) == -1 ||
        (use_tty &&
         socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, tty_sock) == -1))
        die(errno, NULL, "pipe2, socketpair");
    child = fork();
    if (child == -1)
        die(errno, NULL, "fork");
    if (child == 0) {
        side = "exec: ";
        close(sync_pipe[1]);
        if (cfg.userns)
            become_root();
        keep_pdeathsig();
        reset_env();
        setup_terminal();
        harden();
        exec_command(cfg.argv);
    }
    close(sync_pipe[0]);
    child_pid = child;
    forward_signals();
    if (use_tty)
        take_terminal();
    if (tty_master != -1)
        relay(child);
    return wait_child(child);
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
