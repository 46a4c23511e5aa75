/*
 * rootfs.h: what the files of the root filesystem share.
 *
 * From lesson03-mount on; included by run.h.
 */
#ifndef ROOTFS_H
#define ROOTFS_H

#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

/* rootfs.c */
extern const struct opt_table rootfs_opts;
extern struct stat host_mnt_ns;
void find_rootfs(void);
void note_host_mnt_ns(void);
void check_new_mount_ns(void);
void private_mounts(void);
void go_to_root(void);
void enter_root(void);
void reset_env(void);

#endif
