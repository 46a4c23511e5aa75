/*
 * cgroup.h: what the files of cgroups share.
 *
 * From lesson05-cgroups on; included by run.h.
 */
#ifndef CGROUP_H
#define CGROUP_H

#include <math.h>
#include <sys/statfs.h>
#include <linux/bpf.h>
#include <linux/magic.h>

/* The ten cgroup v1 subsystems, and pids (Linux 4.3). */
enum {
    C_BLKIO,
    C_CPU,
    C_CPUACCT,
    C_CPUSET,
    C_DEVICES,
    C_FREEZER,
    C_MEMORY,
    C_NET_CLS,
    C_NET_PRIO,
    C_HUGETLB,
    C_PIDS,
    C_N
};
enum { CG_V1, CG_HYBRID, CG_V2 };
enum { READ_BPS, WRITE_BPS, READ_IOPS, WRITE_IOPS };
#define MAX_DEV_RULES     32
#define DEFAULT_PIDS_TEXT "2048"

/* A devices rule: type a, b or c; major and minor, -1 for "*"; access,
   BPF_DEVCG_ACC_* bits (m 1, r 2, w 4); allow or deny. */
struct dev_rule {
    char type;
    long major, minor;
    int access, allow;
};

struct throttle {
    unsigned int major, minor;
    int kind; /* READ_BPS .. WRITE_IOPS */
    unsigned long long rate;
};

/* The limits asked for; 0 or NULL: not set. */
struct limits {
    long long memory, memory_swap; /* bytes; swap: memory + swap, -1 any */
    long cpu_quota, cpu_period;    /* --cpus N: N * period per period, us */
    unsigned long cpu_shares;
    const char *cpuset_cpus, *cpuset_mems;
    long pids;
    unsigned long blkio_weight;
    struct throttle throttle[8];
    int n_throttle;
    struct dev_rule devices[MAX_DEV_RULES];
    int n_devices;
    const char *net_classid, *net_prio;
    char hugetlb_size[16]; /* "2MB", as in hugetlb.2MB.limit_in_bytes */
    long long hugetlb_limit;
};

/* The container's cgroups. */
struct cgroups {
    int mode;                /* CG_V1, CG_HYBRID or CG_V2 */
    char mnt[C_N][PATH_MAX]; /* v1: where each hierarchy is mounted */
    char dir[C_N][PATH_MAX]; /* v1: the container's cgroup in each */
    char v2_mnt[PATH_MAX];   /* v2: where the hierarchy is mounted */
    char v2[PATH_MAX];       /* v2: the container's cgroup */
    char priv[PATH_MAX];     /* hierarchies we mounted ourselves, if any */
    char record[PATH_MAX];   /* STATE_DIR/NAME.ct */
    pid_t owner;             /* the runtime: only it removes them */
    pid_t priv_owner;        /* the runtime that mounted priv */
};

/* cgroup_options.c */
unsigned long shares_to_weight(unsigned long shares);
unsigned long blkio_to_io_weight(unsigned long w);
extern const struct opt_table cgroup_opts;
extern const struct opt_table limit_opts;
void opt_name(const struct opt *o, const char *arg, struct config *c);

/* cgroup_freeze.c */
int freeze(const char *name, int on);

/* cgroup_find.c */
extern const char *const cg_ctl[C_N];
int cgroup_mode(void);
void join(char *out, const char *a, const char *sep, const char *b);
void own_cgroup(const char *ctl, char *path);
void find_hierarchies(void);
void unmount_private(void);
void mount_missing_hierarchies(void);

/* cgroup_files.c */
void cg_note(const char *file, const char *value);
const char *cg_limits(void);
int cg_write(const char *dir, const char *file, const char *value);
void cg_must(const char *dir, const char *file, const char *value);
const char *cg_read(const char *dir, const char *file);
long long cg_stat(const char *dir, const char *file, const char *key);
int cg_has(const char *dir, const char *file);

/* cgroup_devices.c */
void attach_dev_prog(const char *dir);

/* cgroup.c */
extern struct cgroups cg;
int cg_mkdir(const char *dir);
void cg_parent(const char *mnt, const char *ctl, char *out);
void create_cgroups(void);
const char *cg_dir(int c);
void apply_memory(void);
void apply_cpu(void);
void apply_pids(void);
void setup_cgroups(void);
void join_cgroups(pid_t pid);

/* cgroup_v1.c */
void cg_mkdir_v1(const char *dir, int c);
void create_cgroups_v1(FILE *rec);
void apply_memory_v1(const char *dir);
void apply_cpu_v1(const char *dir);
void join_cgroups_v1(const char *pid);

/* cgroup_knobs.c */
void apply_cpuset(void);
void apply_blkio(void);
void apply_devices(void);
void apply_hugetlb(void);
void apply_net_cls(void);
void apply_net_prio(void);

/* cgroup_reclaim.c */
void report_usage(void);
void teardown_cgroups(void);
int load_record(const char *path);
void open_hierarchies(void);
void reclaim_records(void);

/* cgroup_cpuset.c (lesson07) */
int defer_cpuset(int c);
void make_cpuset(pid_t pid);

#endif
