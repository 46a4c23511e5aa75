/*
 * harden.h: what the files of the user namespace and the hardening share.
 *
 * From lesson07-full on; included by run.h.
 */
#ifndef HARDEN_H
#define HARDEN_H

#include <grp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/sendfile.h>
#include <sys/statvfs.h>
#include <termios.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

/* The user namespace: container IDs C..C+N-1 are host IDs H..H+N-1, the
   same ranges for user and group IDs. The kernel takes up to 340 lines
   (5 before Linux 4.15). */
#define DEFAULT_USERNS "0:100000:65536"
#define MAX_MAPS       5
struct id_range {
    unsigned long inside, outside, count;
};

/* Docker's default capabilities: what an ordinary program run as root
   needs, and none of those that reach beyond the container. */
#define DEFAULT_CAPS                                                           \
    ((1ULL << CAP_CHOWN) | (1ULL << CAP_DAC_OVERRIDE) | (1ULL << CAP_FSETID) | \
     (1ULL << CAP_FOWNER) | (1ULL << CAP_MKNOD) | (1ULL << CAP_NET_RAW) |      \
     (1ULL << CAP_SETGID) | (1ULL << CAP_SETUID) | (1ULL << CAP_SETFCAP) |     \
     (1ULL << CAP_SETPCAP) | (1ULL << CAP_NET_BIND_SERVICE) |                  \
     (1ULL << CAP_SYS_CHROOT) | (1ULL << CAP_KILL) |                           \
     (1ULL << CAP_AUDIT_WRITE))
#define N_CAPS ((int)(sizeof(cap_name) / sizeof(cap_name[0])))

/* harden_options.c */
extern const struct opt_table exec_opts;
extern const struct opt_table harden_opts;

/* caps.c */
extern const char *const cap_name[41];
unsigned long long parse_cap(const char *s);
void drop_caps(void);

/* seccomp.c */
void load_seccomp(void);

/* masks.c */
void mask_paths(void);

/* userns.c */
const char *parse_map(const char *s, struct config *c);
unsigned long map_id(unsigned long id, int to_host);
void write_id_maps(pid_t child);
void become_root(void);
void keep_pdeathsig(void);
void setup_time_ns(void);
const char *userns_fix(int err);
void check_userns(void);
void enter_userns(void);
void enter_cgroup_ns(void);

/* userns_root.c */
extern int saved_cwd;
extern int root_mounted;
void prepare_root(void);
void release_root(void);
void bind_host_dev(const char *path, dev_t dev);
const char *layers_name(void);
const struct stat *container_owner(const struct stat *st, struct stat *ids);

/* harden.c */
void harden(void);

/* pty.c */
extern int use_tty;
extern int tty_sock[2];
extern int tty_master;
void setup_terminal(void);
void take_terminal(void);
void relay(pid_t child);
void take_foreground(void);
void open_tty_sock(void);

/* exec.c */
extern pid_t init_pid;
void record_init(pid_t child);
int load_init_line(FILE *f, const char *key, const char *value);
int by_name(char **argv);

#endif
