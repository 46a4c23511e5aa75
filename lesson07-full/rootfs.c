/*
 * rootfs.c: the root filesystem: the rootfs found, every mount made
 * private, pivot_root(2) into it, the kernel's filesystems and /dev in it,
 * a clean environment.
 *
 * From lesson03-mount on. Read: mount_namespaces(7), mount(2),
 * pivot_root(2), open_tree(2), move_mount(2), umount2(2), chroot(2),
 * proc(5), sysfs(5), pts(4).
 */
#include "run.h"

/* --rootfs, made a whole path by find_rootfs(); --chroot, which changes
   only what "/" means to the process: chroot-escape climbs out of it. */
static const struct opt rootfs_rows[] = {
    {"rootfs", 0, "DIR", "the container's root (default: build/rootfs)",
     opt_string, FIELD(rootfs)},
    {"chroot", 0, NULL, "chroot(2), not pivot_root(2): to compare", opt_flag,
     FIELD(chroot)},
    {0},
};
const struct opt_table rootfs_opts = {.rows = rootfs_rows};

#define MAKE_ROOTFS                                                            \
    "build it with `make rootfs`, or pass --rootfs DIR (a directory with "     \
    "a static busybox in bin/)"
struct stat host_mnt_ns; /* the host's /proc/self/ns/mnt */

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
void
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

/* The host's mount namespace, before clone(), for check_new_mount_ns(). */
void
note_host_mnt_ns(void)
{
    if (stat("/proc/self/ns/mnt", &host_mnt_ns) == -1)
        die(errno, NULL, "stat /proc/self/ns/mnt");
}

/* Refuse to touch any mount unless this is a new mount namespace: a
   pivot_root or umount2 in the host's would detach the host's own root. */
void
check_new_mount_ns(void)
{
    struct stat st;

    if (stat("/proc/self/ns/mnt", &st) == -1)
        die(errno, NULL, "stat /proc/self/ns/mnt");
    if (st.st_dev == host_mnt_ns.st_dev && st.st_ino == host_mnt_ns.st_ino)
        die(0, "report this bug; nothing was changed",
            "refusing to change mounts in the host's mount namespace");
}

/* The kernel's own filesystems, mounted in this order in the new root,
   the cwd, before pivot_root: in a user namespace (lesson07), proc and
   sysfs may be mounted only where the host's are still fully visible
   (mount_too_revealing()). Every tmpfs has a size: without size= one may
   take half the host's memory (its pages are the host's until the
   container is limited). */
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

/* In the new root's dev: the cwd is the new root. */
static void
make_dev(void)
{
    mode_t old = umask(0);
    size_t i;

    for (i = 0; i < sizeof(dev_nodes) / sizeof(dev_nodes[0]); i++) {
        const struct dev_node *d = &dev_nodes[i];

        if (cfg.userns) { /* mknod is refused there: see bind_host_dev() */
            bind_host_dev(d->path, makedev(d->major, d->minor));
            continue;
        }
        if (mknod(d->path + 1, S_IFCHR | 0666, makedev(d->major, d->minor)) ==
            -1)
            die(errno, NULL, "mknod %s", d->path);
    }
    umask(old);
    for (i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++) {
        if (symlink(dev_links[i][0], dev_links[i][1] + 1) == -1)
            die(errno, NULL, "symlink %s", dev_links[i][1]);
    }
    if (mkdir("dev/pts", 0755) == -1 || mkdir("dev/shm", 01777) == -1)
        die(errno, NULL, "mkdir /dev/pts, /dev/shm");
    tell("child: %s /dev/{null,zero,full,random,urandom,tty}, "
         "/dev/ptmx -> pts/ptmx",
         cfg.userns ? "bind mount the host's" : "mknod");
}

static void
mount_kernel_fs(void)
{
    char list[128] = "";
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
        tell("child: mount -t %s /%s: %s", m->type, m->target, m->why);
        snprintf(list + strlen(list), sizeof(list) - strlen(list), " /%s",
                 m->target);
        if (strcmp(m->target, "dev") == 0)
            make_dev();
    }
    say("child: the kernel's filesystems, the container's own:%s (the "
        "processes of its PID namespace, a read-only /sys, a /dev of a few "
        "nodes and no disks)",
        list);
}

/* Refuse to touch any mount outside a new mount namespace, then make
   every mount in it private: else what follows propagates to the host
   (systemd mounts / shared), and pivot_root fails with EINVAL. */
void
private_mounts(void)
{
    check_new_mount_ns();
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
        die(errno, NULL, "mount --make-rprivate /");
    say("child: mount(\"/\", MS_REC | MS_PRIVATE): no mount event reaches "
        "the host from here on");
}

/* The new root becomes the cwd: from here on it is ".", whatever path
   led to it. */
void
go_to_root(void)
{
    if (chdir(cfg.rootfs) == -1)
        die(errno, NULL, "chdir %s", cfg.rootfs);
}

/*
 * Make the cwd "/" of this mount namespace, with the host's root gone.
 * pivot_root needs a mount point: a bind mount of "." onto itself. It is
 * made with open_tree(2), which copies the tree at ".", and move_mount(2),
 * which puts the copy in place, without a path: in a user namespace
 * (lesson07), mounts copied from the host are locked to the ones under
 * them, pivot_root refuses to move a locked one, and a new bind mount is
 * not locked. Then the kernel's filesystems, then the pivot.
 */
void
enter_root(void)
{
    int tree;

    check_new_mount_ns();
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
}

/* The host's environment names paths the rootfs may not have. */
void
reset_env(void)
{
    const char *term = getenv("TERM");

    if (clearenv() != 0)
        die(0, NULL, "clearenv");
    if (setenv("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", 1) ||
        setenv("HOME", "/root", 1) || (term && setenv("TERM", term, 1)))
        die(errno, NULL, "setenv");
}
