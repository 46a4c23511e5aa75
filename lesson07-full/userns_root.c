/*
 * userns_root.c: the root and the layers when the container's root is not
 * the host's: the runtime prepares the root, /dev's nodes are the host's,
 * the layers' owners are shifted.
 *
 * From lesson07-full on. Read: user_namespaces(7), mount_namespaces(7).
 */
#include "run.h"

/* The runtime's own root, prepared for the container (prepare_root()). */
int saved_cwd = -1; /* the runtime's cwd, while it is the root */
int root_mounted;   /* the root is mounted in the runtime's mount ns */

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
void
prepare_root(void)
{
    /* The cwd, for paths the user gave (--commit OUT.tar), after. */
    saved_cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (saved_cwd == -1)
        die(errno, NULL, "open the cwd");
    /* On a v1 or hybrid host the runtime has one already (for the hierarchies
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

/* The child has a copy of the root's mount, in its own namespace: the
   runtime goes back to its own cwd, and its mount goes now, while the
   child works. An unmount waits for an RCU
   grace period; at exit, it would make the exit that slower. */
void
release_root(void)
{
    if (fchdir(saved_cwd) == -1)
        die(errno, NULL, "fchdir back to the runtime's cwd");
    if (umount2(cfg.rootfs, MNT_DETACH) == -1)
        die(errno, NULL, "umount2(%s, MNT_DETACH)", cfg.rootfs);
    root_mounted = 0;
}

/*
 * A device node in the new root's dev, PATH there: mknod(2) is refused in
 * a user namespace, and a tmpfs mounted there is nodev anyway; so the node
 * is the host's own, bind-mounted onto an empty file, after a check that
 * the host's is the device it should be.
 */
void
bind_host_dev(const char *path, dev_t dev)
{
    struct stat st;
    int fd;

    if (stat(path, &st) == -1 || !S_ISCHR(st.st_mode) || st.st_rdev != dev)
        die(errno, "the host's /dev is not what it should be",
            "host %s is not the character device %u:%u", path, major(dev),
            minor(dev));
    fd = open(path + 1, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd == -1 || close(fd) == -1 ||
        mount(path, path + 1, NULL, MS_BIND, NULL) == -1)
        die(errno, NULL, "bind mount the host's %s", path);
}

/* The layer cache's name: owners shifted for a user namespace make
   another cache, one per mapping: build/layers.0-100000-65536. */
const char *
layers_name(void)
{
    static char base[PATH_MAX];
    int i;

    strcpy(base, "layers");
    for (i = 0; cfg.userns && i < cfg.n_map; i++)
        snprintf(base + strlen(base), sizeof(base) - strlen(base),
                 "%c%lu-%lu-%lu", i == 0 ? '.' : '_', cfg.map[i].inside,
                 cfg.map[i].outside, cfg.map[i].count);
    return base;
}

/* A file's owner in the upper layer as the container saw it, not the
   host's, for the layer --commit writes: ST's owners, mapped back, in
   IDS; the kernel's "nobody" for an owner outside the mapping. */
const struct stat *
container_owner(const struct stat *st, struct stat *ids)
{
    *ids = *st;
    ids->st_uid = map_id(st->st_uid, 0);
    ids->st_gid = map_id(st->st_gid, 0);
    if (ids->st_uid == (uid_t)-1 || ids->st_gid == (gid_t)-1)
        ids->st_uid = ids->st_gid = 65534;
    return ids;
}
