/*
 * image.c: images: the layers unpacked into a cache named by their sha256,
 * the container's own directories, the overlay mounted on them.
 *
 * From lesson06-unionfs on. Read: the kernel's
 * Documentation/filesystems/overlayfs.rst, mount(2).
 */
#include "run.h"

struct image img;
static int unpacked_now; /* layers unpacked by this run, for the story */

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

void
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
void
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
        tell("layer %s: sha256 %.12s..., already unpacked in the cache", tar,
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
    tell("layer %s: sha256 %.12s..., unpacked into %s", tar, hex, dir);
    unpacked_now++;
}

/* The image: a manifest with one layer tar a line, bottom first, names
   relative to the manifest; '#' starts a comment. */
void
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
    beside_exe("layers", img.cache);
    if (mkdir(img.cache, 0700) == -1 && errno != EEXIST)
        die(errno, NULL, "mkdir %s", img.cache);
    for (i = 0; i < img.n; i++)
        cache_layer(tars[i], img.layer[i]);
    say("image %s: %d layer tars, named by their sha256 in %s: %d unpacked "
        "now, %d found there unpacked already",
        cfg.image, img.n, img.cache, unpacked_now, img.n - unpacked_now);
}

/*
 * The container's own directories, BUILD/containers/NAME: upper (its
 * writes), work (overlayfs's scratch, on the same filesystem) and root
 * (where the overlay is mounted).
 * Removed at exit unless --keep.
 */
void
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
 * After / is private: overlay with lowerdir=TOP:...:BASE, upperdir and
 * workdir. A read finds the topmost layer that has the file; the first
 * write copies it up into upperdir. Paths are given relative to the cache
 * (the cwd), as the options must fit in one page.
 */
void
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
    say("%smount -t overlay -o %.400s%s overlay %s: %d read-only "
        "layers under one writable upper layer; a write copies the file up",
        side, opts, strlen(opts) > 400 ? "..." : "", img.root, img.n);
}
