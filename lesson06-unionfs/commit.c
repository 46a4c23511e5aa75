/*
 * commit.c: --commit: the upper layer written as a new tar layer, whiteouts
 * as the OCI spec has them; directories that killed runs left, reclaimed.
 *
 * From lesson06-unionfs on. Read: the OCI image spec's layer.md, nftw(3),
 * xattr(7).
 */
#include "run.h"

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
    size_t n;
    FILE *in;

    (void)flag;
    if (f->level == 0)
        return 0;
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
void
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
void
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
    /* Each cache: build/layers, and lesson07's build/layers.MAP for user
       namespaces. */
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
