/*
 * tar.c: a layer, a tar archive, unpacked: ustar, pax and GNU headers,
 * never through a symlink or outside the layer.
 *
 * From lesson06-unionfs on. Read: tar(5), openat(2), fchownat(2).
 */
#include "run.h"

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
const char *
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
