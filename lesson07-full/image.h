/*
 * image.h: what the files of images share.
 *
 * From lesson06-unionfs on; included by run.h.
 */
#ifndef IMAGE_H
#define IMAGE_H

#include <ftw.h>
#include <sys/xattr.h>
#include <time.h>

/* Layers in one image: the mount options must fit in a 4096-byte page,
   each layer named by 64 hex digits and a colon. */
#define MAX_LAYERS 60

/* The container's image: its layers in the cache, bottom first, and its
   own directories. */
struct image {
    char cache[PATH_MAX];
    char layer[MAX_LAYERS][PATH_MAX];
    int n;
    char dir[PATH_MAX], upper[PATH_MAX], work[PATH_MAX], root[PATH_MAX];
    pid_t owner;
};

struct sha256 {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
};

/* sha256.c */
void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
void sha256_hex(struct sha256 *s, char hex[65]);

/* tar.c */
const char *unpack(int tarfd, int root, char *why, size_t whysize);

/* image.c */
extern struct image img;
/* With --image the root is an overlay: mount_overlay(), image.c. */
void mount_overlay(void);
void remove_tree(const char *path);
void beside_exe(const char *what, char *out);
void load_image(void);
void make_container_dirs(void);

/* image_options.c */
extern const struct opt_table image_opts;

/* commit.c */
void commit_layer(void);
void reclaim_container_dirs(void);

#endif
