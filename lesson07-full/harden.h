/*
 * harden.h: the types and functions that the files of the user namespace and
 * the hardening share.
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

/* caps.c */
extern const char *const cap_name[41];
unsigned long long parse_cap(const char *s);
void drop_caps(void);

/* masks.c */
void mask_paths(void);

/* rootfs.c */
extern int saved_cwd;
extern int root_mounted;
void prepare_root(void);

/* cgroup_cpuset.c */
int defer_cpuset(int c);
void make_cpuset(pid_t pid);

/* userns.c */
const char *parse_map(const char *s, struct config *c);
unsigned long map_id(unsigned long id, int to_host);
void write_id_maps(pid_t child);
void become_root(void);
void keep_pdeathsig(void);
void setup_time_ns(void);

/* harden.c */
void harden(void);

/* pty.c */
extern int use_tty;
extern int tty_sock[2];
extern int tty_master;
void setup_terminal(void);
void take_terminal(void);
void relay(pid_t child);

/* exec.c */
extern pid_t init_pid;
void run_from_sealed_copy(char **argv);
void record_init(pid_t child);
int load_init_line(FILE *f, const char *key, const char *value);
int list_containers(void);
int exec_in(const char *name);

#endif
