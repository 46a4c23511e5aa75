/*
 * userns.c: the user namespace: the ID maps written for the child, root
 * inside and nobody outside; the time and cgroup namespaces.
 *
 * From lesson07-full on. Read: user_namespaces(7), time_namespaces(7),
 * cgroup_namespaces(7), setresuid(2).
 */
#include "run.h"

/*
 * --userns: "INSIDE:OUTSIDE:COUNT", comma-separated, as uid_map and gid_map
 * take them (user_namespaces(7)). The kernel refuses ranges that overlap,
 * inside or outside; container root (ID 0) must be mapped, or the child
 * could never become it. NULL, or what is wrong.
 */
const char *
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

/* Through --userns: container ID id as a host ID (to_host), or host ID
   id as a container ID; -1 if the map has no such ID. */
unsigned long
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
void
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
void
become_root(void)
{
    if (setresgid(0, 0, 0) == -1 || setgroups(0, NULL) == -1 ||
        setresuid(0, 0, 0) == -1)
        die(errno, NULL, "setresgid(0), setgroups(0), setresuid(0)");
    say("%ssetresuid(0, 0, 0): root in the user namespace, UID %lu "
        "outside; capabilities over its namespaces only",
        side, map_id(0, 1));
}

/* The kernel must have user namespaces, unless --no-userns. */
void
check_userns(void)
{
    if (cfg.userns && access("/proc/self/ns/user", F_OK) != 0)
        die(0, "a kernel with CONFIG_USER_NS, or --no-userns",
            "this kernel has no user namespaces");
}

/* The child's first steps in its user namespace: root there. */
void
enter_userns(void)
{
    if (!cfg.userns)
        return;
    become_root();
    keep_pdeathsig();
}

/*
 * The parent-death signal is cleared when the credentials change (as in
 * setresuid): set it again, then make sure the runtime did not die in
 * between. The sync pipe's write end stays open in the runtime for its
 * whole life, so POLLHUP on the read end means it is gone.
 */
void
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
void
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

/* Why clone(CLONE_NEWUSER) may fail where clone() without it would not. */
const char *
userns_fix(int err)
{
    if (cfg.userns && (err == ENOSPC || err == EPERM))
        return "the host forbids user namespaces (sysctl "
               "user.max_user_namespaces, or a security module): "
               "--no-userns";
    return NULL;
}

/* In all its cgroups now: a cgroup namespace made now has them as its
   root. */
void
enter_cgroup_ns(void)
{
    if (access("/proc/self/ns/cgroup", F_OK) != 0)
        say("child: this kernel has no cgroup namespace (Linux 4.6): "
            "/proc/self/cgroup shows the host's paths");
    else if (unshare(CLONE_NEWCGROUP) == -1)
        die(errno, NULL, "unshare(CLONE_NEWCGROUP)");
    else
        say("child: unshare(CLONE_NEWCGROUP): /proc/self/cgroup shows the "
            "container's cgroup as /");
}
