/*
 * probe: the escape lab. Each probe tries one known container escape or
 * isolation leak and prints one line:
 *
 *   NAME OPEN reason        the hole is there
 *   NAME BLOCKED reason     something (a namespace, a cgroup, a missing
 *                           capability, the kernel) closes it
 *
 *   probe NAME      run one probe
 *   probe all       run every probe in order, each in a forked child with
 *                   a timeout, so that one hung probe cannot hang the lab
 *   probe list      the probes' names
 *
 * Every probe is harmless even where the hole is open: it detects, it
 * never uses. Files that would be dangerous to write are opened for writing
 * and closed unwritten (or only access(2)ed); the module it offers the
 * kernel is garbage; it never reboots, never sets the clock or the host's
 * hostname; the fork bomb and the memory hog are bounded and clean up.
 * The terminal probe pushes a comment line into its controlling terminal
 * and flushes it again, and only when run by name (`probe tiocsti`, in a
 * terminal the lab made with script(1)): `probe all` injects nothing.
 * lessons/escapes/matrix says what each lesson is expected to show.
 *
 * Static, for the busybox rootfs (/usr/local/bin/probe); lessons 01 and 02
 * run it from the host, by its path.
 *
 * Read: namespaces(7), pid_namespaces(7), capabilities(7), chroot(2),
 * mknod(2), mount(2), init_module(2), capget(2), open_by_handle_at(2),
 * cgroups(7), user_namespaces(7), keyctl(2), syslog(2), proc(5),
 * rtnetlink(7), fork(2), io_uring_setup(2), vsock(7), personality(2),
 * pidfd_getfd(2), ioctl_tty(2) (TIOCSTI), credentials(7) (sessions), and
 * the kernel's Documentation/admin-guide/cgroup-v1/cgroups.rst
 * (release_agent).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/if_link.h>
#include <linux/magic.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#define TIMEOUT_SECS 20  /* for one probe under `probe all` */
#define FORK_BOUND   500 /* the fork bomb's children, at most */
#define MEM_MIB      256 /* the memory hog's MiB, at most */

/* The kernel gives the initial namespaces fixed inode numbers
   (include/linux/proc_ns.h); every namespace made later gets a new one.
   (The initial mount and network namespaces have no fixed number.) */
#define PROC_UTS_INIT_INO  0xEFFFFFFEU
#define PROC_PID_INIT_INO  0xEFFFFFFCU
#define PROC_USER_INIT_INO 0xEFFFFFFDU

static const char *name; /* the probe running, for verdict() */
static int by_name;      /* run as `probe NAME`, not `probe all` */

/* Print this probe's one line. */
static int verdict(int open, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
verdict(int open, const char *fmt, ...)
{
    va_list ap;

    printf("%s %s ", name, open ? "OPEN" : "BLOCKED");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    return 0;
}

/* The inode of /proc/PID/ns/NS (PID may be "self"), 0 if unreadable. */
static unsigned long
ns_ino(const char *pid, const char *ns)
{
    char path[64];
    struct stat st;

    snprintf(path, sizeof(path), "/proc/%s/ns/%s", pid, ns);
    return stat(path, &st) == -1 ? 0 : (unsigned long)st.st_ino;
}

/* Is /proc the host's, mounted in the host's PID namespace? Then it
   shows every process of the host. (A /proc of the container's own PID
   namespace names this process by getpid(); the host's by its host PID.) */
static int
host_proc(void)
{
    char self[32] = "";
    ssize_t n;

    if (ns_ino("self", "pid") == PROC_PID_INIT_INO)
        return 1;
    n = readlink("/proc/self", self, sizeof(self) - 1);
    return n > 0 && atoi(self) != getpid();
}

/* The host, as a PID of the host's /proc: the nearest ancestor in another
   UTS or PID namespace, which is the runtime that started the container.
   NULL where the host's processes cannot be seen. */
static const char *
host_pid(void)
{
    static char pid[32];
    unsigned long uts = ns_ino("self", "uts"), pidns = ns_ino("self", "pid");
    char path[64], line[128];
    FILE *f;
    int ppid, hops;

    if (!host_proc())
        return NULL;
    snprintf(pid, sizeof(pid), "self");
    for (hops = 0; hops < 64; hops++) {
        snprintf(path, sizeof(path), "/proc/%s/status", pid);
        if ((f = fopen(path, "r")) == NULL)
            return NULL;
        ppid = 0;
        while (fgets(line, sizeof(line), f) != NULL)
            if (sscanf(line, "PPid: %d", &ppid) == 1)
                break;
        fclose(f);
        if (ppid <= 0)
            return NULL;
        snprintf(pid, sizeof(pid), "%d", ppid);
        if (ns_ino(pid, "uts") != uts || ns_ino(pid, "pid") != pidns)
            return pid;
    }
    return NULL;
}

/* Is capability CAP in this process's effective set? (capget(2): a read.) */
static int
has_cap(int cap)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];

    if (syscall(SYS_capget, &h, d) == -1)
        return 0;
    return (d[cap / 32].effective >> (cap % 32)) & 1;
}

/* 1: host processes. */
static int
p_procs(void)
{
    if (ns_ino("self", "pid") == PROC_PID_INIT_INO)
        return verdict(1, "no PID namespace: every process of the host is "
                          "in this one");
    if (host_proc())
        return verdict(1, "/proc is the host's (mounted in its PID "
                          "namespace): ps lists the host");
    return verdict(0, "own PID namespace and its own /proc");
}

/* 2: the host's hostname. sethostname(2) changes the hostname of the
   caller's UTS namespace; this only looks at which one that is. */
static int
p_hostname(void)
{
    unsigned long self = ns_ino("self", "uts");
    const char *host;

    if (self == PROC_UTS_INIT_INO)
        return verdict(1, "the initial UTS namespace: sethostname would "
                          "rename the host");
    if ((host = host_pid()) != NULL && self == ns_ino(host, "uts"))
        return verdict(1, "the runtime's UTS namespace");
    return verdict(0, "own UTS namespace (inode %lu)", self);
}

/* 3: the chroot escape of lessons/rootfs/escape.c, without reading or
   writing anything: chroot into a subdirectory, climb "..", compare "/". */
static int
p_chroot(void)
{
    struct stat before, after, host;
    char jail[64];
    int i, moved, tmp;

    if (stat("/", &before) == -1)
        return verdict(0, "stat /: %s", strerror(errno));
    /* Without a mount namespace and a root of its own, "/" is the host's
       already: there is nothing to escape from. */
    snprintf(jail, sizeof(jail), "/proc/%s/root/",
             host_pid() != NULL ? host_pid() : "0");
    if (host_pid() != NULL && stat(jail, &host) == 0 &&
        host.st_dev == before.st_dev && host.st_ino == before.st_ino)
        return verdict(1, "/ is the host's own root already");
    snprintf(jail, sizeof(jail), "/tmp/probe-jail.%d", (int)getpid());
    if (mkdir(jail, 0700) == -1)
        return verdict(0, "mkdir %s: %s", jail, strerror(errno));
    tmp = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (chroot(jail) == -1) {
        rmdir(jail);
        return verdict(0, "chroot: %s (no CAP_SYS_CHROOT)", strerror(errno));
    }
    /* The cwd is still outside the new root: ".." stops only at this
       process's root (now the jail, which the cwd is above) or at the
       root of the mount namespace. */
    for (i = 0; i < 64; i++)
        if (chdir("..") == -1)
            break;
    if (chroot(".") == -1 || stat("/", &after) == -1)
        return verdict(0, "chroot .: %s", strerror(errno));
    moved = before.st_dev != after.st_dev || before.st_ino != after.st_ino;
    /* The jail's name is relative to the old root: remove it by a
       descriptor of the old /tmp. */
    unlinkat(tmp, jail + strlen("/tmp/"), AT_REMOVEDIR);
    close(tmp);
    if (moved)
        return verdict(1, "\"..\" climbed above the container's root "
                          "(chroot, not pivot_root)");
    return verdict(0, "\"..\" stopped at the container's root (pivot_root)");
}

/* 4: the host's mounts. */
static int
p_mounts(void)
{
    const char *host = host_pid();

    if (host != NULL && ns_ino("self", "mnt") == ns_ino(host, "mnt"))
        return verdict(1, "the runtime's mount namespace: "
                          "/proc/self/mountinfo is the host's");
    return verdict(0, "own mount namespace: mountinfo lists its own");
}

/* 5: the host's network interfaces, over rtnetlink (RTM_GETLINK dump).
   Inside a network namespace of its own a container has lo and, with a
   veth, one end of a pair whose peer is in another namespace: the kernel
   then reports IFLA_LINK_NETNSID. Any other interface is the host's. */
static int
p_netifs(void)
{
    struct {
        struct nlmsghdr nh;
        struct ifinfomsg ifi;
    } req = {{NLMSG_LENGTH(sizeof(struct ifinfomsg)), RTM_GETLINK,
              NLM_F_REQUEST | NLM_F_DUMP, 1, 0},
             {.ifi_family = AF_UNSPEC}};
    static char buf[32768];
    char host[IFNAMSIZ] = "", own[IFNAMSIZ] = "";
    int fd, done = 0, n = 0;
    ssize_t len;

    const char *hp = host_pid();

    if (hp != NULL && ns_ino("self", "net") == ns_ino(hp, "net"))
        return verdict(1, "the runtime's network namespace");
    fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd == -1 || send(fd, &req, req.nh.nlmsg_len, 0) == -1)
        return verdict(0, "rtnetlink: %s", strerror(errno));
    while (!done && (len = recv(fd, buf, sizeof(buf), 0)) > 0) {
        struct nlmsghdr *nh = (struct nlmsghdr *)buf;

        for (; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
            struct ifinfomsg *ifi = NLMSG_DATA(nh);
            struct rtattr *a = IFLA_RTA(ifi);
            int alen = IFLA_PAYLOAD(nh), peer_elsewhere = 0;
            const char *ifname = "?";

            if (nh->nlmsg_type == NLMSG_DONE || nh->nlmsg_type == NLMSG_ERROR) {
                done = 1;
                break;
            }
            for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
                if (a->rta_type == IFLA_IFNAME)
                    ifname = RTA_DATA(a);
                if (a->rta_type == IFLA_LINK_NETNSID)
                    peer_elsewhere = 1;
            }
            n++;
            if (ifi->ifi_flags & IFF_LOOPBACK)
                continue;
            if (peer_elsewhere)
                snprintf(own, sizeof(own), "%s", ifname);
            else if (host[0] == '\0')
                snprintf(host, sizeof(host), "%s", ifname);
        }
    }
    close(fd);
    if (host[0] != '\0')
        return verdict(1,
                       "sees %s, not lo and not its own veth end "
                       "(%d links)",
                       host, n);
    if (own[0] != '\0')
        return verdict(0,
                       "own network namespace: lo and %s, whose peer is "
                       "outside",
                       own);
    return verdict(0, "only lo: no link of the host");
}

/* 6: a host block device. The device node is only a name: whether it
   opens is up to the devices cgroup (or, on v2, its BPF program). */
static int
p_blockdev(void)
{
    unsigned int major = 0, minor = 0;
    char line[256], dev[32] = "", node[64];
    const char *dir = "/tmp";
    struct statvfs vfs;
    FILE *f;
    int fd, err;

    f = fopen("/proc/partitions", "r"); /* not namespaced: the host's */
    while (f != NULL && fgets(line, sizeof(line), f) != NULL)
        if (sscanf(line, "%u %u %*u %31s", &major, &minor, dev) == 3)
            break;
    if (f != NULL)
        fclose(f);
    if (dev[0] == '\0')
        return verdict(0, "no block device in /proc/partitions");
    /* A nodev mount refuses to open any device node: pick a dir without. */
    if (statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_NODEV))
        dir = "/dev";
    snprintf(node, sizeof(node), "%s/.probe-blk.%d", dir, (int)getpid());
    if (mknod(node, S_IFBLK | 0600, makedev(major, minor)) == -1)
        return verdict(0, "mknod %s (%u:%u): %s", dev, major, minor,
                       strerror(errno));
    fd = open(node, O_RDONLY | O_CLOEXEC);
    err = errno;
    if (fd != -1)
        close(fd);
    unlink(node);
    if (fd != -1)
        return verdict(1, "mknod and open(O_RDONLY) of %s (%u:%u)", dev, major,
                       minor);
    /* No devices cgroup said no to mknod, yet open fails: the host
       itself (a sandbox around it) refuses even root its disks. */
    if (err == EPERM || err == EACCES)
        return verdict(0,
                       "host: mknod works, but even root may not open "
                       "%s on this host (%s)",
                       dev, strerror(err));
    return verdict(0, "mknod works, open of %s: %s", dev, strerror(err));
}

/* 7: mount a new filesystem (CAP_SYS_ADMIN). */
static int
p_mount(void)
{
    char dir[64];
    int err;

    snprintf(dir, sizeof(dir), "/tmp/probe-mnt.%d", (int)getpid());
    if (mkdir(dir, 0700) == -1)
        return verdict(0, "mkdir %s: %s", dir, strerror(errno));
    if (mount("probe", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
              "size=4k") == -1) {
        err = errno;
        rmdir(dir);
        return verdict(0, "mount tmpfs: %s", strerror(err));
    }
    umount2(dir, MNT_DETACH);
    rmdir(dir);
    return verdict(1, "mounted (and unmounted) a tmpfs");
}

/* Open PATH for writing and close it unwritten: 8, 9. */
static int
open_unwritten(const char *path, const char *why)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);

    if (fd == -1 && errno == ENOENT && access("/proc/self", F_OK) == 0)
        return verdict(0, "kernel: built without %s (ENOENT)", path);
    if (fd == -1)
        return verdict(0, "open %s O_WRONLY: %s", path, strerror(errno));
    close(fd);
    return verdict(1, "%s opens for writing (closed unwritten): %s", path, why);
}

/* 8: core_pattern is not namespaced: "|prog" runs prog as root on the
   host at every crash. */
static int
p_core_pattern(void)
{
    return open_unwritten("/proc/sys/kernel/core_pattern",
                          "a pipe in it runs on the host");
}

/* 9: sysrq-trigger: one letter reboots or crashes the host. */
static int
p_sysrq(void)
{
    return open_unwritten("/proc/sysrq-trigger", "one letter reboots the host");
}

/* 10: load a kernel module. init_module(2) checks CAP_SYS_MODULE (and
   modules_disabled) first, EPERM, and only then looks at the image: a
   garbage image that gets that far fails with ENOEXEC or similar. */
static int
p_module(void)
{
    static char garbage[64] = "not an ELF module";

    if (syscall(SYS_init_module, garbage, sizeof(garbage), "") == 0)
        return verdict(1, "the kernel accepted garbage?!");
    if (errno == EPERM)
        return verdict(0, "init_module: EPERM");
    if (errno == ENOSYS)
        return verdict(0, "kernel: built without modules (ENOSYS)");
    return verdict(1, "init_module got past the checks to the image (%s)",
                   strerror(errno));
}

/* 11: set the clock. CLOCK_REALTIME is not namespaced (time namespaces
   offset only the monotonic and boot clocks): CAP_SYS_TIME sets the
   host's, if it is held in the initial user namespace; in another it
   counts for nothing here. Only the capability is looked at. */
static int
p_clock(void)
{
    if (!has_cap(CAP_SYS_TIME))
        return verdict(0, "no CAP_SYS_TIME");
    if (ns_ino("self", "user") != PROC_USER_INIT_INO)
        return verdict(0, "CAP_SYS_TIME, but in a user namespace: the kernel "
                          "asks for it in the initial one");
    return verdict(1, "CAP_SYS_TIME is in the effective set");
}

/* 12: "shocker": open_by_handle_at(2) opens any inode of a filesystem by
   its handle, outside any chroot or bind mount. The kernel checks
   CAP_DAC_READ_SEARCH (EPERM) before it looks at the handle: an empty one
   then fails with EINVAL. */
static int
p_shocker(void)
{
    struct file_handle fh = {0};
    int root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd;

    fd = syscall(SYS_open_by_handle_at, root, &fh, O_RDONLY);
    if (fd >= 0)
        close(fd);
    if (root != -1)
        close(root);
    if (fd == -1 && (errno == EPERM || errno == ENOSYS))
        return verdict(0, "open_by_handle_at: %s", strerror(errno));
    return verdict(1, "open_by_handle_at got past CAP_DAC_READ_SEARCH (%s)",
                   fd == -1 ? strerror(errno) : "opened");
}

/* Is DIR/release_agent there and writable (access(2), never opened)? */
static int
agent_writable(const char *dir, char *path, size_t size)
{
    snprintf(path, size, "%s/release_agent", dir);
    return access(path, W_OK) == 0;
}

/* 13: cgroup v1's release_agent runs as root on the host when a cgroup
   empties (CVE-2022-0492). It exists only at a v1 hierarchy's root. Look
   for a visible v1 mount; else try to mount an existing v1 hierarchy,
   read-only, in a fresh directory, and unmount it. */
static int
p_release_agent(void)
{
    char line[1024], mnt[512], type[64], path[600], ctl[64], dir[64];
    FILE *f = fopen("/proc/self/mountinfo", "r");
    int hier, enabled, ok, err = ENOENT;

    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        char *dash = strstr(line, " - ");

        if (dash == NULL || sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1 ||
            sscanf(dash, " - %63s", type) != 1 || strcmp(type, "cgroup") != 0)
            continue;
        if (agent_writable(mnt, path, sizeof(path))) {
            fclose(f);
            return verdict(1, "%s is writable (not written)", path);
        }
    }
    if (f != NULL)
        fclose(f);
    /* Only a controller already bound to a v1 hierarchy (hierarchy ID
       above 0): mounting it makes no new hierarchy. */
    f = fopen("/proc/cgroups", "r");
    ctl[0] = '\0';
    while (f != NULL && fgets(line, sizeof(line), f) != NULL)
        if (sscanf(line, "%63s %d %*d %d", ctl, &hier, &enabled) == 3 &&
            ctl[0] != '#' && hier > 0 && enabled)
            break;
        else
            ctl[0] = '\0';
    if (f != NULL)
        fclose(f);
    if (ctl[0] == '\0')
        return verdict(0, "host: no cgroup v1 hierarchy here (release_agent is "
                          "v1's; a pure v2 host)");
    snprintf(dir, sizeof(dir), "/tmp/probe-cg.%d", (int)getpid());
    if (mkdir(dir, 0700) == -1)
        return verdict(0, "mkdir %s: %s", dir, strerror(errno));
    if (mount("cgroup", dir, "cgroup",
              MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, ctl) == -1) {
        err = errno;
        rmdir(dir);
        return verdict(0, "mount -t cgroup -o %s: %s", ctl, strerror(err));
    }
    snprintf(path, sizeof(path), "%s/release_agent", dir);
    ok = access(path, F_OK) == 0;
    umount2(dir, MNT_DETACH);
    rmdir(dir);
    if (ok)
        return verdict(1,
                       "could mount the v1 %s hierarchy (read-only here): "
                       "its release_agent is the host's",
                       ctl);
    return verdict(0, "mounted v1 %s, but no release_agent in it", ctl);
}

/* Run FN in a forked child; its exit status, or 128+signal. */
static int
in_child(int (*fn)(void))
{
    int status;
    pid_t pid = fork();

    if (pid == -1)
        return -1;
    if (pid == 0)
        _exit(fn());
    if (waitpid(pid, &status, 0) == -1)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int
unshare_user(void)
{
    return unshare(CLONE_NEWUSER) == 0 ? 0 : errno;
}

/* 14: a user namespace makes its creator "root" in it, with every
   capability over what it owns: the start of many kernel exploits. */
static int
p_userns(void)
{
    int err = in_child(unshare_user);

    if (err == 0)
        return verdict(1, "unshare(CLONE_NEWUSER) works");
    return verdict(0, "unshare(CLONE_NEWUSER): %s",
                   err > 0 && err < 128 ? strerror(err) : "child failed");
}

/* 15: the kernel keyring is not namespaced: keys are per user ID, so
   root in a container shares root's keys on the host. */
static int
p_keyctl(void)
{
    long id = syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */,
                      -3 /* KEY_SPEC_SESSION_KEYRING */, 0);

    if (id == -1 && (errno == EPERM || errno == ENOSYS || errno == EACCES))
        return verdict(0, "keyctl: %s", strerror(errno));
    if (id == -1)
        return verdict(1, "keyctl answers (%s)", strerror(errno));
    return verdict(1, "keyctl: session keyring %ld", id);
}

/* 16: /proc/kcore is the host's memory, as an ELF core file. */
static int
p_kcore(void)
{
    char elf[4];
    int fd = open("/proc/kcore", O_RDONLY | O_CLOEXEC);

    if (fd == -1 && errno == ENOENT)
        return verdict(0, "kernel: built without /proc/kcore (ENOENT)");
    if (fd == -1)
        return verdict(0, "open /proc/kcore: %s", strerror(errno));
    if (read(fd, elf, sizeof(elf)) != sizeof(elf)) {
        close(fd);
        return verdict(0, "read /proc/kcore: %s", strerror(errno));
    }
    close(fd);
    return verdict(1, "read the ELF header of /proc/kcore");
}

/* 17: the kernel log is not namespaced: it holds the host's messages. */
static int
p_kmsg(void)
{
    int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);

    if (size == -1)
        return verdict(0, "syslog(SIZE_BUFFER): %s", strerror(errno));
    return verdict(1, "syslog(2): a kernel log of %d bytes", size);
}

/* 18: a bounded fork bomb. The children wait on a pipe, so that they all
   live at once, and exit when the parent closes it. pids.max makes fork
   fail with EAGAIN. */
static int
p_forkbomb(void)
{
    int fds[2], i, err = 0;
    char c;

    if (pipe(fds) == -1)
        return verdict(0, "pipe: %s", strerror(errno));
    for (i = 0; i < FORK_BOUND; i++) {
        pid_t pid = fork();

        if (pid == -1) {
            err = errno;
            break;
        }
        if (pid == 0) {
            close(fds[1]);
            while (read(fds[0], &c, 1) == -1 && errno == EINTR)
                ;
            _exit(0);
        }
    }
    close(fds[1]);
    while (wait(NULL) > 0)
        ;
    close(fds[0]);
    if (i == FORK_BOUND)
        return verdict(1, "%d children at once", FORK_BOUND);
    return verdict(0, "fork %d: %s", i + 1, strerror(err));
}

static int
hog(void)
{
    char *p;
    int i;

    for (i = 0; i < MEM_MIB; i++) {
        p = malloc(1 << 20);
        if (p == NULL)
            return 1;
        memset(p, 1, 1 << 20); /* only touched pages are charged */
    }
    return 0;
}

/* 19: bounded memory exhaustion, in a child: the memory cgroup's OOM
   killer ends it with SIGKILL. */
static int
p_memory(void)
{
    int rc = in_child(hog);

    if (rc == 0)
        return verdict(1, "allocated and touched %d MiB", MEM_MIB);
    if (rc == 128 + SIGKILL)
        return verdict(0, "killed (SIGKILL: the OOM killer) before %d MiB",
                       MEM_MIB);
    return verdict(0, "malloc failed before %d MiB (%d)", MEM_MIB, rc);
}

/* 20: files of /proc and /sys that are not namespaced and show the
   host's activity: /proc/interrupts (every CPU's interrupt counts, a side
   channel on the host's keyboard, disks and network) and each CPU's
   thermal_throttle counters. */
static int
p_masked(void)
{
    char buf[256], path[PATH_MAX];
    const char *seen = NULL;
    struct dirent *d;
    ssize_t n;
    DIR *cpus;
    int fd;

    fd = open("/proc/interrupts", O_RDONLY | O_CLOEXEC);
    if (fd != -1) {
        n = read(fd, buf, sizeof(buf));
        close(fd);
        if (n > 0)
            seen = "/proc/interrupts";
    }
    cpus = opendir("/sys/devices/system/cpu");
    while (seen == NULL && cpus != NULL && (d = readdir(cpus)) != NULL) {
        if (strncmp(d->d_name, "cpu", 3) != 0 || d->d_name[3] < '0' ||
            d->d_name[3] > '9')
            continue;
        snprintf(path, sizeof(path),
                 "/sys/devices/system/cpu/%s/thermal_throttle/"
                 "core_throttle_count",
                 d->d_name);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd != -1 && read(fd, buf, sizeof(buf)) > 0)
            seen = "thermal_throttle";
        if (fd != -1)
            close(fd);
    }
    if (cpus != NULL)
        closedir(cpus);
    if (seen != NULL)
        return verdict(1, "read the host's %s", seen);
    return verdict(0, "/proc/interrupts and thermal_throttle read empty");
}

/* 21: a /tmp without a size: a tmpfs's default is half of the host's
   memory, and its pages are the host's (until a memory cgroup charges
   them); a /tmp that is not a tmpfs is the host's own, on its disk. */
static int
p_tmpsize(void)
{
    struct statfs fs;
    unsigned long long size, mem = 0;
    char line[128];
    FILE *f;

    if (statfs("/tmp", &fs) == -1)
        return verdict(0, "statfs /tmp: %s", strerror(errno));
    if (fs.f_type != TMPFS_MAGIC)
        return verdict(1, "/tmp is not a tmpfs: the host's own /tmp");
    size = (unsigned long long)fs.f_blocks * fs.f_bsize;
    if ((f = fopen("/proc/meminfo", "r")) != NULL) {
        while (fgets(line, sizeof(line), f) != NULL)
            if (sscanf(line, "MemTotal: %llu kB", &mem) == 1)
                break;
        fclose(f);
    }
    if (mem > 0 && size >= mem * 1024 / 4)
        return verdict(1, "/tmp is a tmpfs of %llu MiB, of %llu MiB of memory",
                       size >> 20, mem >> 10);
    return verdict(0, "/tmp is a tmpfs of %llu MiB", size >> 20);
}

/* 22: device nodes in the root filesystem: an image's layer may carry any
   (a tar entry is a mode and a device number), and unpacked by the host's
   root it is real. Is / mounted nodev, so that none opens there? */
static int
p_rootdev(void)
{
    char line[4096], mnt[PATH_MAX], opts[1024];
    FILE *f = fopen("/proc/self/mountinfo", "r");
    int nodev = -1;

    if (f == NULL)
        return verdict(0, "open /proc/self/mountinfo: %s", strerror(errno));
    while (fgets(line, sizeof(line), f) != NULL)
        if (sscanf(line, "%*s %*s %*s %*s %4095s %1023s", mnt, opts) == 2 &&
            strcmp(mnt, "/") == 0)
            nodev = strstr(opts, "nodev") != NULL; /* the last "/" wins */
    fclose(f);
    if (nodev == 1)
        return verdict(0, "/ is mounted nodev: a layer's device node does "
                          "not open");
    return verdict(1, "/ is mounted without nodev: a device node in the root "
                      "opens (only the device cgroup stands in the way)");
}

/* The Seccomp: line of /proc/self/status: 2 where a filter is loaded, 0
   where none is. Without a filter, EPERM and ENOSYS are the kernel's own
   answers (a call it was built without, a host that refuses it). */
static int
seccomp_mode(void)
{
    char line[128];
    int mode = -1;
    FILE *f = fopen("/proc/self/status", "r");

    if (f == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL)
        if (sscanf(line, "Seccomp: %d", &mode) == 1)
            break;
    fclose(f);
    return mode;
}

/* 23: io_uring, a second system call interface to the kernel, with its
   own long list of bugs. io_uring_setup(2) with no parameters: EFAULT
   where it reaches the kernel; a ring is never made. */
static int
p_io_uring(void)
{
    long fd = syscall(SYS_io_uring_setup, 1, NULL);
    int err = errno, disabled = 0;
    FILE *f;

    if (fd >= 0) {
        close((int)fd);
        return verdict(1, "io_uring_setup made a ring");
    }
    if (err != EPERM && err != ENOSYS)
        return verdict(1, "io_uring_setup reached the kernel (%s)",
                       strerror(err));
    f = fopen("/proc/sys/kernel/io_uring_disabled", "r");
    if (f != NULL) {
        if (fscanf(f, "%d", &disabled) != 1)
            disabled = 0;
        fclose(f);
    }
    if (seccomp_mode() == 2 && !(err == EPERM && disabled))
        return verdict(0, "io_uring_setup: %s (seccomp)", strerror(err));
    if (err == ENOSYS)
        return verdict(0, "kernel: built without io_uring (ENOSYS)");
    return verdict(0, "host: io_uring_setup: EPERM (io_uring_disabled %d)",
                   disabled);
}

/* 24: vsock talks to the hypervisor and to other guests, and it is not
   network-namespaced: --net none does not cut it. */
static int
p_vsock(void)
{
    int fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (fd >= 0) {
        close(fd);
        return verdict(1, "socket(AF_VSOCK): the hypervisor's sockets, "
                          "past any network namespace");
    }
    if (errno == EAFNOSUPPORT)
        return verdict(0, "kernel: no vsock (EAFNOSUPPORT)");
    if ((errno == EPERM || errno == ENOSYS) && seccomp_mode() == 2)
        return verdict(0, "socket(AF_VSOCK): %s (seccomp)", strerror(errno));
    if (errno == EPERM || errno == EACCES)
        return verdict(0, "host: socket(AF_VSOCK): %s", strerror(errno));
    return verdict(1, "socket(AF_VSOCK) reached the kernel (%s)",
                   strerror(errno));
}

/* 25: personality(2) flags change how the kernel lays out memory:
   READ_IMPLIES_EXEC makes every readable mapping executable. Set it, and
   at once put the old persona back. */
static int
p_personality(void)
{
    int old = personality(0xffffffff), r;

    if (old == -1)
        return verdict(0, "personality(query): %s", strerror(errno));
    r = personality((unsigned long)old | READ_IMPLIES_EXEC);
    if (r == -1)
        return verdict(0, "personality(READ_IMPLIES_EXEC): %s",
                       strerror(errno));
    personality((unsigned long)old);
    return verdict(1, "personality(READ_IMPLIES_EXEC) accepted (undone)");
}

/* 26: pidfd_getfd(2) copies a descriptor out of another process (with
   ptrace rights over it). A pidfd of -1: EBADF where it reaches the
   kernel. */
static int
p_pidfd_getfd(void)
{
    long fd = syscall(SYS_pidfd_getfd, -1, 0, 0);

    if (fd >= 0) {
        close((int)fd);
        return verdict(1, "pidfd_getfd took a descriptor?!");
    }
    if (errno == ENOSYS && seccomp_mode() == 0)
        return verdict(0, "kernel: no pidfd_getfd (ENOSYS: before Linux 5.6)");
    if (errno == EPERM || errno == ENOSYS)
        return verdict(0, "pidfd_getfd: %s", strerror(errno));
    return verdict(1, "pidfd_getfd reached the kernel (%s)", strerror(errno));
}

/* The bytes the terminal probe pushes: a comment line, which does nothing
   if a shell ever read it. */
#define TIOCSTI_TEXT "# cl-probe tiocsti: a comment, pushed and flushed\n"

/* 27: the container types into the host's shell (bubblewrap's
   CVE-2017-5226): TIOCSTI pushes bytes into the input of the caller's
   controlling terminal, as if typed there. If that is the terminal the
   runtime was started on, whatever reads it next, the host's shell after
   the container exits, runs them. Whose terminal is it? A terminal
   belongs to one session: TIOCGSID names its leader, as this PID
   namespace sees it (0: a process outside it). A leader outside the
   container (0, or in another UTS namespace) made the terminal the
   host's; a container with a terminal of its own made the session
   itself (setsid(2) and TIOCSCTTY). TIOCINQ, before and after, shows the
   bytes did arrive; TCIFLUSH takes them out again (SIGTTOU ignored: this
   probe runs in a process group of its own, not the terminal's
   foreground one). Linux 6.2 can turn TIOCSTI off, EIO, for any process
   without CAP_SYS_ADMIN (dev.tty.legacy_tiocsti = 0). */
static int
p_tiocsti(void)
{
    static const char text[] = TIOCSTI_TEXT;
    char leader[32];
    int fd, before = 0, after = 0, host, err;
    pid_t sid = 0;
    size_t i;

    fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd == -1)
        return verdict(0, "no controlling terminal (open /dev/tty: %s)",
                       strerror(errno));
    if (ioctl(fd, TIOCGSID, &sid) == -1)
        sid = 0;
    snprintf(leader, sizeof(leader), "%d", (int)sid);
    host = sid == 0 || ns_ino(leader, "uts") != ns_ino("self", "uts");
    if (!by_name) {
        close(fd);
        return verdict(0, "not run: only `probe tiocsti`, in a terminal "
                          "made for it, pushes input");
    }
    signal(SIGTTOU, SIG_IGN);
    ioctl(fd, TIOCINQ, &before);
    for (i = 0; i < sizeof(text) - 1; i++)
        if (ioctl(fd, TIOCSTI, &text[i]) == -1)
            break;
    err = errno;
    ioctl(fd, TIOCINQ, &after);
    tcflush(fd, TCIFLUSH);
    close(fd);
    if (i < sizeof(text) - 1 && err == EIO)
        return verdict(0, "kernel: TIOCSTI is off (dev.tty.legacy_tiocsti "
                          "= 0, Linux 6.2)");
    if (i < sizeof(text) - 1)
        return verdict(0, "TIOCSTI: %s", strerror(err));
    if (after - before < (int)i)
        return verdict(0,
                       "TIOCSTI returned, but no input arrived (%d "
                       "bytes)",
                       after - before);
    if (host && sid == 0)
        return verdict(1,
                       "pushed %zu bytes into the host's terminal (its "
                       "session leader is outside this PID namespace), "
                       "flushed",
                       i);
    if (host)
        return verdict(1,
                       "pushed %zu bytes into the host's terminal (its "
                       "session leader, PID %d, is outside the UTS "
                       "namespace), flushed",
                       i, (int)sid);
    return verdict(0,
                   "its controlling terminal is its own (session leader "
                   "PID %d, inside): the input stayed in the container",
                   (int)sid);
}

static const struct probe {
    const char *name;
    int (*fn)(void);
} probes[] = {
    {"procs", p_procs},
    {"hostname", p_hostname},
    {"chroot", p_chroot},
    {"mounts", p_mounts},
    {"netifs", p_netifs},
    {"blockdev", p_blockdev},
    {"mount", p_mount},
    {"core_pattern", p_core_pattern},
    {"sysrq", p_sysrq},
    {"module", p_module},
    {"clock", p_clock},
    {"shocker", p_shocker},
    {"release_agent", p_release_agent},
    {"userns", p_userns},
    {"keyctl", p_keyctl},
    {"kcore", p_kcore},
    {"kmsg", p_kmsg},
    {"forkbomb", p_forkbomb},
    {"memory", p_memory},
    {"masked", p_masked},
    {"tmpsize", p_tmpsize},
    {"rootdev", p_rootdev},
    {"io_uring", p_io_uring},
    {"vsock", p_vsock},
    {"personality", p_personality},
    {"pidfd_getfd", p_pidfd_getfd},
    {"tiocsti", p_tiocsti},
};
#define N_PROBES (sizeof(probes) / sizeof(probes[0]))

/* Run probe P in a child of its own process group; kill the group if it
   takes longer than TIMEOUT_SECS. A probe that printed nothing is an
   ERROR, which matches no expectation. */
static void
run_one(const struct probe *p)
{
    struct timespec tick = {0, 20 * 1000 * 1000};
    int status, t;
    pid_t pid, got;

    fflush(stdout);
    pid = fork();
    if (pid == -1) {
        printf("%s ERROR fork: %s\n", p->name, strerror(errno));
        return;
    }
    if (pid == 0) {
        setpgid(0, 0);
        name = p->name;
        _exit(p->fn());
    }
    setpgid(pid, pid);
    for (t = 0; t < TIMEOUT_SECS * 50; t++) {
        got = waitpid(pid, &status, WNOHANG);
        if (got == pid)
            break;
        nanosleep(&tick, NULL);
    }
    if (t == TIMEOUT_SECS * 50) {
        kill(-pid, SIGKILL);
        waitpid(pid, &status, 0);
        printf("%s ERROR timed out after %d s\n", p->name, TIMEOUT_SECS);
    } else if (!WIFEXITED(status)) {
        printf("%s ERROR killed by signal %d\n", p->name, WTERMSIG(status));
    }
    /* Reap what a killed probe left: we may be a PID 1. */
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
    fflush(stdout);
}

int
main(int argc, char *argv[])
{
    size_t i;

    if (argc != 2) {
        fprintf(stderr, "usage: probe NAME|all|list\n");
        return 2;
    }
    for (i = 0; i < N_PROBES; i++) {
        if (strcmp(argv[1], "list") == 0)
            printf("%s\n", probes[i].name);
        else if (strcmp(argv[1], "all") == 0)
            run_one(&probes[i]);
        else if (strcmp(argv[1], probes[i].name) == 0) {
            by_name = 1;
            run_one(&probes[i]);
        } else
            continue;
        if (strcmp(argv[1], probes[i].name) == 0)
            return 0;
    }
    if (strcmp(argv[1], "all") == 0 || strcmp(argv[1], "list") == 0)
        return 0;
    fprintf(stderr, "probe: no probe %s; `probe list` lists them\n", argv[1]);
    return 2;
}
