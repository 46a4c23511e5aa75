/*
 * nsgraph.c: a picture of running containers as the kernel sees them.
 *
 *     nsgraph [--all] [--host PID] PID... | dot -Tsvg >graph.svg
 *
 * Prints Graphviz DOT: the processes beside the host (PID 1, or nsgraph
 * itself if PID 1 cannot be read) and the namespaces each is in, by inode
 * number, orange where a process does not share the host's; then each
 * one's cgroup in every hierarchy, the overlay layers of its root, and its
 * veth pair to the outside with the bridge that end is a port of. It reads
 * /proc and asks rtnetlink; it changes nothing. --all adds every process
 * not in all of the host's namespaces. Run it as root: the kernel shows
 * /proc/PID/ns only to who may ptrace(2) PID.
 *
 * Read: namespaces(7), proc(5) (/proc/PID/ns, cgroup, mountinfo, status),
 *       cgroups(7), setns(2), rtnetlink(7), veth(4), the kernel's
 *       Documentation/filesystems/overlayfs.rst, graphviz's "DOT Language".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/* The types in /proc/PID/ns (pid_for_children and time_for_children are
   where its next children go, not where it is). */
enum { NS_MNT, NS_UTS, NS_IPC, NS_PID, NS_NET, NS_USER, NS_CGROUP, NS_N = 8 };
static const char *const ns_type[NS_N] = {"mnt", "uts",  "ipc",    "pid",
                                          "net", "user", "cgroup", "time"};

#define MAX_LOWER 500 /* overlayfs stacks at most 500 lower layers */
#define MAX_IFS   256

/* Grey: the host's, or shared with it; orange: not. Few colours, large
   fonts: it is shown on a projector. */
#define HOST  "class=\"host\", fillcolor=\"#e0e0e0\""
#define APART "class=\"apart\", fillcolor=\"#ffcc80\", color=\"#e65100\""
#define PLAIN "class=\"plain\", fillcolor=\"#ffffff\""

struct proc {
    pid_t pid;
    char comm[32];          /* its name: up to 15 bytes, any bytes */
    char nspid[64];         /* its PID in each pid namespace, outermost first */
    unsigned long ns[NS_N]; /* inode numbers; 0: no such type here */
};

struct overlay {
    char *lower[MAX_LOWER]; /* top first, as in lowerdir= */
    int nlower;
    char *upper, *work; /* NULL if read-only */
};

struct link {
    int index, peer, master; /* peer: IFLA_LINK, a veth's other end */
    int elsewhere;           /* the peer is in another net namespace */
    char name[IF_NAMESIZE];
};

static struct proc host;
static struct proc *procs;
static int nprocs;
static int self_net = -1; /* our own net namespace, to come back to */

static void
die(int err, const char *fmt, ...)
{
    va_list ap;

    fputs("nsgraph: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (err != 0)
        fprintf(stderr, ": %s", strerror(err));
    fputc('\n', stderr);
    exit(1);
}

/* ---- parsers, pure ---------------------------------------------------- */

/*
 * S as the inside of a DOT quoted string: '"' and '\' get a backslash, a
 * newline becomes \n (a line break in a label), other control characters
 * '?'; a process's name or a path may hold any of them. Cut short rather
 * than overflow OUT, never in the middle of an escape. Returns OUT.
 */
static char *
dot_escape(const char *s, char *out, size_t size)
{
    size_t n = 0;

    for (; *s != '\0' && n + 3 <= size; s++) { /* 2 bytes and the '\0' */
        if (*s == '"' || *s == '\\' || *s == '\n')
            out[n++] = '\\';
        if (*s == '\n')
            out[n++] = 'n';
        else if ((unsigned char)*s < ' ' || *s == 0x7f)
            out[n++] = '?';
        else
            out[n++] = *s;
    }
    if (size > 0)
        out[n] = '\0';
    return out;
}

/*
 * A line of /proc/PID/cgroup, "ID:CONTROLLERS:PATH", split in place: a v1
 * hierarchy has a number and its controllers ("4:memory:/a"), the one v2
 * hierarchy is "0::/a". PATH is relative to the reader's cgroup namespace
 * and may hold ':'. Returns ID, or -1 if the line is not one.
 */
static int
parse_cgroup_line(char *line, char **ctl, char **path)
{
    char *end, *colon;
    long id;

    line[strcspn(line, "\n")] = '\0';
    id = strtol(line, &end, 10);
    if (end == line || *end != ':' || id < 0 || id > INT_MAX)
        return -1;
    if ((colon = strchr(end + 1, ':')) == NULL || colon[1] != '/')
        return -1;
    *colon = '\0';
    *ctl = end + 1;
    *path = colon + 1;
    return (int)id;
}

/* mountinfo writes a space, tab, newline or backslash (and, in options,
   ',' and '=') in a field as an octal escape: "\040". Undone in place. */
static void
unescape_octal(char *s)
{
    char *d = s;

    for (; *s != '\0'; s++, d++) {
        if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
            s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
            *d = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
            s += 3;
        } else
            *d = *s;
    }
    *d = '\0';
}

/*
 * A line of /proc/PID/mountinfo, split in place (proc(5)):
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=..
 * the mount point, 5th, is relative to PID's root; after optional fields
 * and "-" come the type, the source and the filesystem's own options.
 * Returns 0, or -1 if the line is not one.
 */
static int
mountinfo_fields(char *line, char **mnt, char **type, char **src, char **opts)
{
    char *f[64], *s, *save = NULL;
    int n = 0, i;

    line[strcspn(line, "\n")] = '\0';
    for (s = strtok_r(line, " ", &save); s != NULL && n < 64;
         s = strtok_r(NULL, " ", &save))
        f[n++] = s;
    for (i = 6; i < n && strcmp(f[i], "-") != 0; i++)
        ;
    if (i + 3 >= n)
        return -1;
    unescape_octal(f[4]);
    *mnt = f[4];
    *type = f[i + 1];
    *src = f[i + 2];
    *opts = f[i + 3];
    return 0;
}

/*
 * A lowerdir= value, split in place: TOP:...:BOTTOM, a ':' in a name
 * written "\:" by who mounted it. After "::" come data-only layers (Linux
 * 6.5), not in the stack. Added to O's layers.
 */
static void
split_lower(char *s, struct overlay *o)
{
    char *d = s, *start = s, c;
    int data = 0;

    for (;; s++) {
        if (*s == '\\' && s[1] != '\0') {
            *d++ = *++s;
        } else if (*s != ':' && *s != '\0') {
            *d++ = *s;
        } else {
            c = *s; /* d may be s */
            *d = '\0';
            data |= *start == '\0' && c == ':';
            if (*start != '\0' && !data && o->nlower < MAX_LOWER)
                o->lower[o->nlower++] = start;
            if (c == '\0')
                return;
            start = ++d;
        }
    }
}

/*
 * An overlay's options, split in place: lowerdir= (or, from Linux 6.8,
 * lowerdir+= a layer at a time), upperdir=, workdir=. The paths are as
 * given to mount(2), so may be relative to the mounting process's cwd.
 * Returns 0, or -1 if there is no layer.
 */
static int
parse_overlay_opts(char *opts, struct overlay *o)
{
    char *opt, *save = NULL, *value;

    memset(o, 0, sizeof(*o));
    for (opt = strtok_r(opts, ",", &save); opt != NULL;
         opt = strtok_r(NULL, ",", &save)) {
        if ((value = strchr(opt, '=')) == NULL)
            continue;
        *value++ = '\0';
        unescape_octal(value);
        if (strcmp(opt, "upperdir") == 0)
            o->upper = value;
        else if (strcmp(opt, "workdir") == 0)
            o->work = value;
        else if (strcmp(opt, "lowerdir") == 0 || strcmp(opt, "lowerdir+") == 0)
            split_lower(value, o);
    }
    return o->nlower > 0 ? 0 : -1;
}

/* ---- /proc ------------------------------------------------------------- */

/* A small file, whole, as text; -1 and errno if it cannot be read. */
static int
read_text(const char *path, char *buf, size_t size)
{
    size_t n = 0;
    ssize_t r = 0;
    int fd, err;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
        return -1;
    while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0)
        n += (size_t)r;
    err = errno;
    close(fd);
    buf[n] = '\0';
    errno = err;
    return r == -1 ? -1 : 0;
}

static int
read_proc(pid_t pid, struct proc *p)
{
    char path[64], buf[4096], *s;
    struct stat st;
    size_t n;
    int t;

    memset(p, 0, sizeof(*p));
    p->pid = pid;
    snprintf(path, sizeof(path), "/proc/%d/comm", pid);
    if (read_text(path, p->comm, sizeof(p->comm)) == -1)
        return -1;
    if ((n = strlen(p->comm)) > 0 && p->comm[n - 1] == '\n')
        p->comm[n - 1] = '\0';
    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    if (read_text(path, buf, sizeof(buf)) == -1)
        return -1;
    if ((s = strstr(buf, "\nNSpid:\t")) != NULL) /* Linux 4.1 */
        snprintf(p->nspid, sizeof(p->nspid), "%.*s", (int)strcspn(s + 8, "\n"),
                 s + 8);
    /* /proc/PID/ns/TYPE opens a file of nsfs, one for each namespace: two
       processes are in the same namespace when theirs is the same inode.
       No such file: this kernel has no such type. */
    for (t = 0; t < NS_N; t++) {
        snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, ns_type[t]);
        if (stat(path, &st) == 0)
            p->ns[t] = st.st_ino;
        else if (errno != ENOENT)
            return -1;
    }
    if (p->ns[NS_MNT] == 0) { /* a zombie: its namespaces are let go */
        errno = ESRCH;
        return -1;
    }
    return 0;
}

static pid_t
parent_of(pid_t pid)
{
    char path[64], buf[1024], *s;

    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    /* "PID (COMM) STATE PPID ...": COMM may hold ") ", so the last ')' */
    if (read_text(path, buf, sizeof(buf)) == -1 ||
        (s = strrchr(buf, ')')) == NULL || strlen(s) < 4)
        return 0;
    return (pid_t)strtol(s + 4, NULL, 10);
}

/* Not in all of the host's namespaces? */
static int
apart(const struct proc *p)
{
    return memcmp(p->ns, host.ns, sizeof(host.ns)) != 0;
}

/* Is procs[I] the first in its namespace of TYPE, not the host's? */
static int
first_in(int i, int type)
{
    int j;

    for (j = 0; j < i && procs[j].ns[type] != procs[i].ns[type]; j++)
        ;
    return j == i && procs[i].ns[type] != host.ns[type];
}

static void
add_proc(const struct proc *p)
{
    int i;

    for (i = 0; i < nprocs && procs[i].pid != p->pid; i++)
        ;
    if (i < nprocs || p->pid == host.pid)
        return;
    if ((procs = realloc(procs, (nprocs + 1) * sizeof(*p))) == NULL)
        die(errno, "realloc");
    procs[nprocs++] = *p;
}

/* --all: every process whose namespaces are not all the host's. */
static void
scan_all(void)
{
    struct dirent *e;
    struct proc p;
    char *end;
    long pid;
    DIR *d;

    if ((d = opendir("/proc")) == NULL)
        die(errno, "opendir /proc");
    while ((errno = 0, e = readdir(d)) != NULL) {
        pid = strtol(e->d_name, &end, 10);
        /* Skip what is not a process, is gone, or cannot be seen. */
        if (*end == '\0' && pid > 0 && read_proc((pid_t)pid, &p) == 0 &&
            apart(&p))
            add_proc(&p);
    }
    if (errno != 0)
        die(errno, "readdir /proc");
    closedir(d);
}

/* ---- rtnetlink ---------------------------------------------------------- */

/*
 * The links of PID's net namespace. A netlink socket talks to the
 * namespace it was made in: make it there, with setns(2), and come back.
 * (/sys/class/net is no help: it shows the namespace of whoever mounted
 * that sysfs, not ours after `unshare -n`, and an ifindex is unique only
 * within a namespace.) Returns how many, or -1 if it cannot be entered.
 */
static int
links_of(pid_t pid, struct link *l, int max)
{
    struct {
        struct nlmsghdr nh;
        struct ifinfomsg ifi;
    } req = {{.nlmsg_len = sizeof(req),
              .nlmsg_type = RTM_GETLINK,
              .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP},
             {.ifi_family = AF_UNSPEC}};
    static char buf[65536] __attribute__((aligned(NLMSG_ALIGNTO)));
    struct nlmsghdr *nh;
    struct rtattr *rta;
    char path[64];
    int fd, sock, n = 0, alen;
    ssize_t len;

    snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
        return -1;
    if (setns(fd, CLONE_NEWNET) == -1) { /* not root: CAP_SYS_ADMIN */
        fprintf(stderr, "nsgraph: setns %s: %s\n", path, strerror(errno));
        close(fd);
        return -1;
    }
    close(fd);
    sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (setns(self_net, CLONE_NEWNET) == -1)
        die(errno, "setns back to our own net namespace");
    if (sock == -1)
        die(errno, "socket(AF_NETLINK) in %s", path);
    if (send(sock, &req, sizeof(req), 0) == -1)
        die(errno, "send RTM_GETLINK");
    for (;;) {
        if ((len = recv(sock, buf, sizeof(buf), 0)) <= 0)
            die(len == 0 ? EPIPE : errno, "recv RTM_GETLINK");
        for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, len);
             nh = NLMSG_NEXT(nh, len)) {
            if (nh->nlmsg_type == NLMSG_DONE) {
                close(sock);
                return n;
            }
            if (nh->nlmsg_type == NLMSG_ERROR)
                die(-((struct nlmsgerr *)NLMSG_DATA(nh))->error,
                    "RTM_GETLINK in %s", path);
            if (nh->nlmsg_type != RTM_NEWLINK || n == max)
                continue;
            memset(&l[n], 0, sizeof(l[n]));
            l[n].index = ((struct ifinfomsg *)NLMSG_DATA(nh))->ifi_index;
            alen = IFLA_PAYLOAD(nh);
            for (rta = IFLA_RTA(NLMSG_DATA(nh)); RTA_OK(rta, alen);
                 rta = RTA_NEXT(rta, alen)) {
                if (rta->rta_type == IFLA_IFNAME)
                    snprintf(l[n].name, sizeof(l[n].name), "%s",
                             (char *)RTA_DATA(rta));
                else if (rta->rta_type == IFLA_LINK)
                    l[n].peer = *(int *)RTA_DATA(rta);
                else if (rta->rta_type == IFLA_MASTER)
                    l[n].master = *(int *)RTA_DATA(rta);
                else if (rta->rta_type == IFLA_LINK_NETNSID)
                    l[n].elsewhere = 1; /* the peer's netns, by its id */
            }
            n++;
        }
    }
}

static const struct link *
find_link(const struct link *l, int n, int index)
{
    int i;

    for (i = 0; i < n && l[i].index != index; i++)
        ;
    return i < n && index != 0 ? &l[i] : NULL;
}

/* ---- DOT ---------------------------------------------------------------- */

/* A node: ID, its style, and a label made from FMT, escaped. */
static void
node(const char *id, const char *style, const char *fmt, ...)
{
    char text[8192], esc[16384];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    printf("    \"%s\" [%s, label=\"%s\"];\n", id, style,
           dot_escape(text, esc, sizeof(esc)));
}

static void
print_proc(const struct proc *p, const char *style)
{
    const char *inner = strrchr(p->nspid, '\t'); /* the innermost PID */
    char id[32];

    snprintf(id, sizeof(id), "p:%d", p->pid);
    node(id, style, "PID %d%s%s%s\n%s", p->pid, inner ? " (" : "",
         inner ? inner + 1 : "", inner ? " inside)" : "", p->comm);
}

/* A box for each type, of the namespaces of that type; an edge from each
   process to each of its namespaces. */
static void
print_namespaces(void)
{
    const struct proc *p;
    char id[64];
    int t, i;

    for (t = 0; t < NS_N; t++) {
        if (host.ns[t] == 0)
            continue;
        printf("  subgraph cluster_%s {\n    label=\"%s\";\n", ns_type[t],
               ns_type[t]);
        snprintf(id, sizeof(id), "%s:%lu", ns_type[t], host.ns[t]);
        node(id, HOST, "%s\n%lu (host)", ns_type[t], host.ns[t]);
        for (i = 0; i < nprocs; i++) {
            snprintf(id, sizeof(id), "%s:%lu", ns_type[t], procs[i].ns[t]);
            if (first_in(i, t))
                node(id, APART, "%s\n%lu", ns_type[t], procs[i].ns[t]);
        }
        printf("  }\n");
        for (i = -1; i < nprocs; i++) {
            p = i < 0 ? &host : &procs[i];
            printf("  \"p:%d\" -> \"%s:%lu\"%s;\n", p->pid, ns_type[t],
                   p->ns[t],
                   p->ns[t] == host.ns[t] ? ""
                                          : " [color=\"#e65100\", penwidth=2]");
        }
    }
}

/* P's cgroup in each hierarchy, orange where it is not the host's. */
static void
print_cgroups(const struct proc *p)
{
    char path[64], buf[4096], hbuf[4096], key[4096], id[64];
    char *line, *save = NULL, *ctl, *cg;
    int n = 0;

    snprintf(path, sizeof(path), "/proc/%d/cgroup", p->pid);
    if (read_text(path, buf, sizeof(buf)) == -1)
        return;
    hbuf[0] = '\n';
    snprintf(path, sizeof(path), "/proc/%d/cgroup", host.pid);
    if (read_text(path, hbuf + 1, sizeof(hbuf) - 1) == -1)
        hbuf[1] = '\0';
    printf("  \"p:%d\" -> \"cg:%d:0\" [lhead=cluster_cg%d];\n"
           "  subgraph cluster_cg%d {\n    label=\"cgroups of PID %d\";\n",
           p->pid, p->pid, p->pid, p->pid, p->pid);
    for (line = strtok_r(buf, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        snprintf(key, sizeof(key), "\n%s\n", line); /* the host's line? */
        if (parse_cgroup_line(line, &ctl, &cg) == -1)
            continue;
        snprintf(id, sizeof(id), "cg:%d:%d", p->pid, n++);
        node(id, strstr(hbuf, key) != NULL ? HOST : APART, "%s\n%s",
             *ctl != '\0' ? ctl : "v2 (0::)", cg);
    }
    printf("  }\n");
}

/* The root of P's mount namespace; an overlay's layers, top to bottom. */
static void
print_root(const struct proc *p)
{
    static char buf[1 << 20];
    char path[64], id[64], prev[64], *line, *save = NULL, *mnt, *type;
    char *src, *opts, *rtype = NULL, *rsrc = NULL, *ropts = NULL;
    unsigned long ino = p->ns[NS_MNT];
    struct overlay o;
    int i;

    snprintf(path, sizeof(path), "/proc/%d/mountinfo", p->pid);
    if (read_text(path, buf, sizeof(buf)) == -1)
        return;
    /* Mounts on "/" stack up: the last is the one the process sees. */
    for (line = strtok_r(buf, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save))
        if (mountinfo_fields(line, &mnt, &type, &src, &opts) == 0 &&
            strcmp(mnt, "/") == 0) {
            rtype = type;
            rsrc = src;
            ropts = opts;
        }
    if (rtype == NULL)
        return;
    snprintf(prev, sizeof(prev), "root:%lu", ino);
    printf("  \"mnt:%lu\" -> \"%s\";\n", ino, prev);
    if (strcmp(rtype, "overlay") != 0 || parse_overlay_opts(ropts, &o) == -1) {
        node(prev, PLAIN, "/ is %s\n%s", rtype, rsrc);
        return;
    }
    printf("  subgraph cluster_root%lu {\n    label=\"its root: overlayfs "
           "(paths as given to mount(2),\\nmaybe relative to the mounting "
           "process's cwd)\";\n",
           ino);
    if (o.work != NULL) {
        snprintf(id, sizeof(id), "work:%lu", ino);
        node(id, PLAIN, "work: overlayfs's scratch\n%s", o.work);
        printf("    \"%s\" -> \"%s\" [style=dashed];\n", prev, id);
    }
    /* In a column, top down: in rank=same, "a -> b" puts a below b. */
    printf("    { rank=same;\n");
    node(prev, PLAIN, "/ (overlay)\nthe container's view");
    for (i = -1; i < o.nlower; i++) {
        if (i < 0 && o.upper == NULL)
            continue;
        if (i < 0)
            snprintf(id, sizeof(id), "upper:%lu", ino);
        else
            snprintf(id, sizeof(id), "lower:%lu:%d", ino, i + 1);
        if (i < 0)
            node(id, APART, "upper: writable\n%s", o.upper);
        else
            node(id, HOST, "lower %d%s: read-only\n%s", i + 1,
                 i == 0              ? " (top)"
                 : i == o.nlower - 1 ? " (bottom)"
                                     : "",
                 o.lower[i]);
        printf("    \"%s\" -> \"%s\" [dir=back];\n", id, prev);
        strcpy(prev, id);
    }
    printf("    }\n  }\n");
}

/*
 * The links of P's net namespace; a veth's peer, in the net namespace of
 * P's nearest ancestor outside P's (where the runtime made the pair and
 * kept its end), and the bridge that end is a port of.
 */
static void
print_net(const struct proc *p)
{
    static struct link in[MAX_IFS], out[MAX_IFS];
    const struct link *peer, *br;
    unsigned long ino = p->ns[NS_NET];
    char id[64], pid[64], bid[64];
    struct proc a = *p, up;
    int i, nin, nout = -1;

    if ((nin = links_of(p->pid, in, MAX_IFS)) == -1)
        return;
    while (a.ns[NS_NET] == ino && read_proc(parent_of(a.pid), &up) == 0)
        a = up;
    if (a.ns[NS_NET] == ino)
        a = host;
    for (i = 0; i < nin; i++) {
        snprintf(id, sizeof(id), "if:%lu:%d", ino, in[i].index);
        node(id, APART, "%s\nifindex %d", in[i].name, in[i].index);
        printf("  \"net:%lu\" -> \"%s\";\n", ino, id);
        if (!in[i].elsewhere)
            continue;
        if (nout == -1 && (nout = links_of(a.pid, out, MAX_IFS)) == -1)
            return;
        if ((peer = find_link(out, nout, in[i].peer)) == NULL)
            continue;
        snprintf(pid, sizeof(pid), "if:%lu:%d", a.ns[NS_NET], peer->index);
        node(pid, PLAIN, "%s\nifindex %d, outside", peer->name, peer->index);
        printf("  \"%s\" -> \"%s\" [class=\"veth\", label=\"veth pair\", "
               "dir=both, penwidth=2];\n",
               id, pid);
        if (a.ns[NS_NET] == host.ns[NS_NET])
            printf("  \"net:%lu\" -> \"%s\" [style=dotted];\n", a.ns[NS_NET],
                   pid);
        if ((br = find_link(out, nout, peer->master)) == NULL)
            continue;
        snprintf(bid, sizeof(bid), "if:%lu:%d", a.ns[NS_NET], br->index);
        node(bid, PLAIN, "%s\nbridge, ifindex %d", br->name, br->index);
        printf("  \"%s\" -> \"%s\" [class=\"port\", label=\"port of\"];\n", pid,
               bid);
    }
}

static void
print_graph(void)
{
    char text[256], esc[512];
    int i;

    snprintf(text, sizeof(text), "orange: not the host's (PID %d, %s)",
             host.pid, host.comm);
    printf("digraph nsgraph {\n"
           "  graph [rankdir=LR, compound=true, labelloc=t, fontsize=22,\n"
           "         fontname=\"Helvetica\", label=\"%s\"];\n"
           "  node [shape=box, style=\"rounded,filled\", fontsize=18,\n"
           "        fontname=\"Helvetica\"];\n"
           "  edge [color=\"#9e9e9e\", fontname=\"Helvetica\", "
           "fontsize=16];\n"
           "  subgraph cluster_host {\n    label=\"the host\";\n",
           dot_escape(text, esc, sizeof(esc)));
    print_proc(&host, HOST);
    printf("  }\n  subgraph cluster_procs {\n    label=\"processes\";\n");
    for (i = 0; i < nprocs; i++)
        print_proc(&procs[i], apart(&procs[i]) ? APART : PLAIN);
    printf("  }\n");
    print_namespaces();
    /* The cgroups of each container (pid namespace), its root (the mount
       namespace's) and its links (the net namespace's), once each. */
    for (i = 0; i < nprocs; i++) {
        if (first_in(i, NS_PID) || procs[i].ns[NS_PID] == host.ns[NS_PID])
            print_cgroups(&procs[i]);
        if (first_in(i, NS_MNT))
            print_root(&procs[i]);
        if (first_in(i, NS_NET))
            print_net(&procs[i]);
    }
    printf("}\n");
}

static pid_t
pid_arg(const char *s)
{
    char *end;
    long pid = strtol(s, &end, 10);

    if (*s == '\0' || *end != '\0' || pid <= 0 || pid > INT_MAX)
        die(0, "\"%s\" is not a PID", s);
    return (pid_t)pid;
}

int
main(int argc, char *argv[])
{
    struct proc p;
    pid_t host_pid = 0;
    int i, all = 0;

    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--all") == 0)
            all = 1;
        else if (strcmp(argv[i], "--host") == 0 && i + 1 < argc)
            host_pid = pid_arg(argv[++i]);
        else
            break;
    }
    if ((i == argc && !all) || (i < argc && argv[i][0] == '-')) {
        fputs("usage: nsgraph [--all] [--host PID] PID... | dot -Tsvg\n"
              "The processes' namespaces beside the host's, their cgroups,\n"
              "overlay root and veth pair, as Graphviz DOT.\n"
              "  --all       also every process not in all of the host's "
              "namespaces\n"
              "  --host PID  the host (default: PID 1, else nsgraph)\n",
              i < argc && strcmp(argv[i], "--help") == 0 ? stdout : stderr);
        return i < argc && strcmp(argv[i], "--help") == 0 ? 0 : 2;
    }
    if ((self_net = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) == -1)
        die(errno, "open /proc/self/ns/net");
    if (host_pid != 0 && read_proc(host_pid, &host) == -1)
        die(errno == ENOENT ? ESRCH : errno, "--host %d", host_pid);
    if (host_pid == 0 && read_proc(1, &host) == -1) {
        /* In a container itself, or kept out by a security module. */
        fprintf(stderr, "nsgraph: /proc/1: %s; the host is nsgraph\n",
                strerror(errno));
        if (read_proc(getpid(), &host) == -1)
            die(errno, "/proc/%d", getpid());
    }
    for (; i < argc; i++) {
        if (read_proc(pid_arg(argv[i]), &p) == -1)
            die(errno == ENOENT ? ESRCH : errno, "PID %s", argv[i]);
        add_proc(&p);
    }
    if (all)
        scan_all();
    print_graph();
    if (fflush(stdout) == EOF || ferror(stdout))
        die(errno, "write to stdout");
    return 0;
}
