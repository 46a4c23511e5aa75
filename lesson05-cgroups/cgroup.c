/*
 * cgroup.c: cgroups: the container's.
 *
 * From lesson05-cgroups on; read run.c first.
 */
#include "run.h"

/* Without --pids-limit, as podman: a classroom host survives a fork bomb
   (the kernel's own limit, pid_max, is often 4 million). */
#define DEFAULT_PIDS 2048
struct cgroups cg;

/* mkdir DIR unless it is there; v1 cpuset children start with no CPUs and
   no memory nodes, and take no task until they are given their parent's. */
static void
cg_mkdir(const char *dir, int c)
{
    char parent[PATH_MAX];

    if (mkdir(dir, 0755) == -1) {
        if (errno != EEXIST)
            die(errno, NULL, "mkdir %s", dir);
        return;
    }
    say("mkdir %s", dir);
    if (c == C_CPUSET && cg.mode != CG_V2) {
        snprintf(parent, sizeof(parent), "%s", dir);
        *strrchr(parent, '/') = '\0';
        cg_must(dir, "cpuset.cpus", cg_read(parent, "cpuset.cpus"));
        cg_must(dir, "cpuset.mems", cg_read(parent, "cpuset.mems"));
    }
}

/* The parent of the container's cgroups in a hierarchy mounted at MNT:
   --cgroup-parent if it starts with '/', else under our own cgroup (v1:
   so that limits set on the caller still hold) or the root (v2: a cgroup
   with processes may not have children with controllers). */
static void
cg_parent(const char *mnt, const char *ctl, char *out)
{
    char own[PATH_MAX], base[PATH_MAX];

    if (cfg.cgroup_parent[0] == '/' || cg.mode == CG_V2)
        strcpy(own, "");
    else
        own_cgroup(ctl, own);
    if (strcmp(own, "/") == 0)
        own[0] = '\0';
    join(base, mnt, "", own);
    join(out, base, "/", cfg.cgroup_parent + (cfg.cgroup_parent[0] == '/'));
}

/*
 * Make the container's cgroups: on v1 one in each hierarchy, on v2 one,
 * after enabling in our parent every controller the root delegates
 * (cgroup.subtree_control); never a write to a cgroup we did not make.
 * Then the record STATE_DIR/NAME.ct that --freeze and --cleanup read.
 */
void
create_cgroups(void)
{
    char parent[PATH_MAX], want[256] = "", *tok, *save;
    FILE *rec;
    int c, d;

    snprintf(parent, sizeof(parent), STATE_DIR "/%s.ct", cfg.name);
    rec = state_create(parent);
    if (rec == NULL)
        die(errno, errno == EEXIST ? "choose another --name" : NULL,
            "container %s: %s", cfg.name, parent);
    strcpy(cg.record, parent); /* ours to remove, now */
    put_owner(rec);
    if (cg.mode == CG_V2) {
        cg_parent(cg.v2_mnt, NULL, parent);
        cg_mkdir(parent, -1);
        snprintf(want, sizeof(want), "%s",
                 cg_read(cg.v2_mnt, "cgroup.subtree_control"));
        for (tok = strtok_r(want, " ", &save); tok != NULL;
             tok = strtok_r(NULL, " ", &save)) {
            char plus[40];

            snprintf(plus, sizeof(plus), "+%s", tok);
            cg_write(parent, "cgroup.subtree_control", plus);
        }
        join(cg.v2, parent, "/", cfg.name);
        cg_mkdir(cg.v2, -1);
        fprintf(rec, "cgroup2 %s\n", cg.v2 + strlen(cg.v2_mnt));
    } else {
        for (c = 0; c < C_N; c++) {
            /* Without a device policy root in the container opens every
               device node it can make or find: runc refuses to run so. */
            if (cg.mnt[c][0] == '\0' && c == C_DEVICES)
                die(0,
                    "mount the v1 devices hierarchy, or use a cgroup v2 host "
                    "(its device policy is a BPF program)",
                    "no devices cgroup on this host: the container could open "
                    "any device");
            if (cg.mnt[c][0] == '\0') {
                say("no %s hierarchy on this host: the container is not "
                    "limited by it",
                    cg_ctl[c]);
                continue;
            }
            /* Co-mounted controllers share one cgroup. */
            for (d = 0; d < c && strcmp(cg.mnt[d], cg.mnt[c]) != 0; d++)
                ;
            if (d < c) {
                strcpy(cg.dir[c], cg.dir[d]);
                continue;
            }
            cg_parent(cg.mnt[c], cg_ctl[c], parent);
            cg_mkdir(parent, c);
            join(cg.dir[c], parent, "/", cfg.name);
            cg_mkdir(cg.dir[c], c);
            fprintf(rec, "%s %s\n", cg_ctl[c], cg.dir[c] + strlen(cg.mnt[c]));
        }
    }
    if (fclose(rec) != 0)
        die(errno, NULL, "write %s", cg.record);
}

/* The cgroup that holds controller C's files: v1 its hierarchy's, v2 the
   one cgroup; NULL if the host lacks it. */
const char *
cg_dir(int c)
{
    if (cg.mode == CG_V2)
        return cg.v2;
    return cg.dir[c][0] != '\0' ? cg.dir[c] : NULL;
}

void
apply_memory(void)
{
    const char *dir = cg_dir(C_MEMORY);
    char v[32];

    if (dir == NULL || (cfg.lim.memory == 0 && cfg.lim.memory_swap == 0))
        return;
    if (cg.mode == CG_V2) {
        /* v2 counts swap apart: swap.max = (memory + swap) - memory. */
        snprintf(v, sizeof(v), "%lld", cfg.lim.memory);
        if (cfg.lim.memory > 0)
            cg_must(dir, "memory.max", v);
        if (cfg.lim.memory_swap == -1)
            strcpy(v, "max");
        else if (cfg.lim.memory_swap > 0)
            snprintf(v, sizeof(v), "%lld",
                     cfg.lim.memory_swap - cfg.lim.memory);
        if (cfg.lim.memory_swap != 0)
            cg_must(dir, "memory.swap.max", v);
        return;
    }
    snprintf(v, sizeof(v), "%lld", cfg.lim.memory);
    if (cfg.lim.memory > 0)
        cg_must(dir, "memory.limit_in_bytes", v);
    if (cfg.lim.memory_swap == 0)
        return;
    snprintf(v, sizeof(v), "%lld", cfg.lim.memory_swap);
    if (!cg_has(dir, "memory.memsw.limit_in_bytes"))
        say("memory.memsw.limit_in_bytes is missing: swap accounting is off "
            "(boot with swapaccount=1); --memory-swap is not applied");
    else
        cg_must(dir, "memory.memsw.limit_in_bytes", v);
}

void
apply_cpu(void)
{
    const char *dir = cg_dir(C_CPU);
    char v[48];

    if (dir == NULL)
        return;
    if (cfg.lim.cpu_quota > 0) {
        if (cg.mode == CG_V2) {
            snprintf(v, sizeof(v), "%ld %ld", cfg.lim.cpu_quota,
                     cfg.lim.cpu_period);
            cg_must(dir, "cpu.max", v);
        } else {
            snprintf(v, sizeof(v), "%ld", cfg.lim.cpu_period);
            cg_must(dir, "cpu.cfs_period_us", v);
            snprintf(v, sizeof(v), "%ld", cfg.lim.cpu_quota);
            cg_must(dir, "cpu.cfs_quota_us", v);
        }
    }
    if (cfg.lim.cpu_shares > 0) {
        if (cg.mode == CG_V2) {
            snprintf(v, sizeof(v), "%lu", shares_to_weight(cfg.lim.cpu_shares));
            cg_must(dir, "cpu.weight", v);
        } else {
            snprintf(v, sizeof(v), "%lu", cfg.lim.cpu_shares);
            cg_must(dir, "cpu.shares", v);
        }
    }
}

void
apply_cpuset(void)
{
    const char *dir = cg_dir(C_CPUSET);

    if (dir == NULL)
        return;
    if (cfg.lim.cpuset_cpus != NULL)
        cg_must(dir, "cpuset.cpus", cfg.lim.cpuset_cpus);
    if (cfg.lim.cpuset_mems != NULL)
        cg_must(dir, "cpuset.mems", cfg.lim.cpuset_mems);
}

void
apply_pids(void)
{
    const char *dir = cg_dir(C_PIDS);
    char v[24];

    if (dir == NULL || cfg.lim.pids == -1)
        return;
    if (cfg.lim.pids == 0)
        say("pids.max " DEFAULT_PIDS_TEXT ": the default, as podman's: a "
            "fork bomb stops there (--pids-limit N or max)");
    snprintf(v, sizeof(v), "%ld", cfg.lim.pids ? cfg.lim.pids : DEFAULT_PIDS);
    cg_must(dir, "pids.max", v);
}

void
apply_blkio(void)
{
    static const char *const v1[] = {
        "blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
        "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device"};
    static const char *const v2[] = {"rbps", "wbps", "riops", "wiops"};
    const char *dir = cg_dir(C_BLKIO), *file;
    const struct throttle *t;
    char v[80];
    int i;

    if (dir == NULL)
        return;
    if (cfg.lim.blkio_weight > 0) {
        /* The weight is the I/O scheduler's: BFQ's file if it has one. */
        if (cg.mode == CG_V2 && !cg_has(dir, "io.bfq.weight")) {
            file = "io.weight";
            snprintf(v, sizeof(v), "default %lu",
                     blkio_to_io_weight(cfg.lim.blkio_weight));
        } else {
            file = cg.mode == CG_V2              ? "io.bfq.weight"
                   : cg_has(dir, "blkio.weight") ? "blkio.weight"
                                                 : "blkio.bfq.weight";
            snprintf(v, sizeof(v), "%lu", cfg.lim.blkio_weight);
        }
        if (!cg_has(dir, file))
            die(ENOENT,
                "use the bfq I/O scheduler: echo bfq > "
                "/sys/block/DEV/queue/scheduler",
                "%s/%s", dir, file);
        cg_must(dir, file, v);
    }
    for (i = 0; i < cfg.lim.n_throttle; i++) {
        t = &cfg.lim.throttle[i];
        if (cg.mode == CG_V2) {
            snprintf(v, sizeof(v), "%u:%u %s=%llu", t->major, t->minor,
                     v2[t->kind], t->rate);
            cg_must(dir, "io.max", v);
        } else {
            snprintf(v, sizeof(v), "%u:%u %llu", t->major, t->minor, t->rate);
            cg_must(dir, v1[t->kind], v);
        }
    }
}

void
apply_devices(void)
{
    const struct dev_rule *r;
    const char *dir = cg_dir(C_DEVICES);
    char v[64], maj[12], min[12];
    int i;

    if (dir == NULL)
        return;
    if (cg.mode == CG_V2) {
        attach_dev_prog(dir);
        return;
    }
    for (i = 0; i < cfg.lim.n_devices; i++) {
        r = &cfg.lim.devices[i];
        snprintf(maj, sizeof(maj), r->major == -1 ? "*" : "%ld", r->major);
        snprintf(min, sizeof(min), r->minor == -1 ? "*" : "%ld", r->minor);
        snprintf(v, sizeof(v), "%c %s:%s %s%s%s", r->type, maj, min,
                 r->access & BPF_DEVCG_ACC_READ ? "r" : "",
                 r->access & BPF_DEVCG_ACC_WRITE ? "w" : "",
                 r->access & BPF_DEVCG_ACC_MKNOD ? "m" : "");
        if (r->type == 'a')
            strcpy(v, "a");
        cg_must(dir, r->allow ? "devices.allow" : "devices.deny", v);
    }
}

void
apply_hugetlb(void)
{
    const char *dir = cg_dir(C_HUGETLB);
    char file[64], v[32];

    if (cfg.lim.hugetlb_limit == 0)
        return;
    if (dir == NULL)
        die(0, "see `make doctor`", "this host has no hugetlb controller");
    snprintf(file, sizeof(file), "hugetlb.%s.%s", cfg.lim.hugetlb_size,
             cg.mode == CG_V2 ? "max" : "limit_in_bytes");
    snprintf(v, sizeof(v), "%lld", cfg.lim.hugetlb_limit);
    cg_must(dir, file, v);
}

/* net_cls tags the container's packets with a class id for tc(8); there
   is no v2 controller for it, nor for net_prio. */
void
apply_net_cls(void)
{
    if (cfg.lim.net_classid == NULL && cfg.lim.net_prio == NULL)
        return;
    if (cg.mode == CG_V2) {
        say("cgroup v2 has no net_cls or net_prio controller: "
            "--net-classid and --net-prio are not applied. v2 matches a "
            "cgroup directly: nftables `socket cgroupv2 level 2 "
            "\"container-lessons/%s\"`, or a BPF cgroup_skb program",
            cfg.name);
        return;
    }
    if (cfg.lim.net_classid != NULL && cg_dir(C_NET_CLS) != NULL)
        cg_must(cg_dir(C_NET_CLS), "net_cls.classid", cfg.lim.net_classid);
}

/* net_prio.ifpriomap names interfaces of the writer's network namespace
   (Linux 6.1 and older: of the host's first one only): the child, in the
   container's, writes "eth0 PRIO" itself. */
void
apply_net_prio(void)
{
    char v[48];
    int err;

    if (cfg.lim.net_prio == NULL || cg.mode == CG_V2 ||
        cg_dir(C_NET_PRIO) == NULL)
        return;
    snprintf(v, sizeof(v), "%s", cfg.lim.net_prio);
    *strchr(v, '=') = ' ';
    err = cg_write(cg_dir(C_NET_PRIO), "net_prio.ifpriomap", v);
    if (err == ENODEV)
        warn(err,
             "--net-prio %s is not applied: this kernel looks the "
             "name up in the host's initial network namespace only",
             cfg.lim.net_prio);
    else if (err != 0)
        die(err, NULL, "echo \"%s\" > %s/net_prio.ifpriomap", v,
            cg_dir(C_NET_PRIO));
}

/* Move the child in: one write to cgroup.procs per cgroup, before it
   execs, so that nothing it runs escapes the limits. */
void
join_cgroups(pid_t pid)
{
    char v[24];
    int c;

    snprintf(v, sizeof(v), "%d", (int)pid);
    if (cg.mode == CG_V2) {
        cg_must(cg.v2, "cgroup.procs", v);
        return;
    }
    for (c = 0; c < C_N; c++)
        if (cg.dir[c][0] != '\0' &&
            (c == 0 || strcmp(cg.dir[c], cg.dir[c - 1]) != 0))
            cg_must(cg.dir[c], "cgroup.procs", v);
}
