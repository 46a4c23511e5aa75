/*
 * cgroup_find.c: the hierarchies found: cgroup v1, hybrid or v2, from
 * statfs(2) and /proc/self/mountinfo; the runtime's own cgroup; what the
 * host lacks, mounted in a mount namespace of the runtime's.
 *
 * From lesson05-cgroups on. Read: statfs(2), proc(5) (mountinfo),
 * cgroups(7).
 */
#include "run.h"

const char *const cg_ctl[C_N] = {
    "blkio",  "cpu",     "cpuacct",  "cpuset",  "devices", "freezer",
    "memory", "net_cls", "net_prio", "hugetlb", "pids",
};

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
int
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
void
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
void
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

void
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
void
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
void
mount_missing_hierarchies(void)
{
    static const char *const groups[] = {
        "net_cls,net_prio", "net_cls", "net_prio",
        "hugetlb",          "blkio",   "cpu,cpuacct",
        "cpuset",           "devices", "freezer",
        "memory",           "pids"};
    char dir[PATH_MAX], mounted[256] = "";
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
            tell("unshare(CLONE_NEWNS): the runtime mounts what the host "
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
        tell("mount -t cgroup -o %s cgroup %s: the host had not mounted it",
             groups[g], dir);
        snprintf(mounted + strlen(mounted), sizeof(mounted) - strlen(mounted),
                 " %s", groups[g]);
        for (c = 0; c < C_N; c++)
            if (has_word(groups[g], cg_ctl[c]))
                snprintf(cg.mnt[c], PATH_MAX, "%s", dir);
    }
    if (mounted[0] != '\0')
        say("the runtime mounts the v1 hierarchies the host lacks,%s, in a "
            "mount namespace of its own: the host sees none of them",
            mounted);
}
