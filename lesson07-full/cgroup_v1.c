/*
 * cgroup_v1.c: cgroups on v1 and hybrid hosts: a cgroup in each hierarchy,
 * for cgroup.c's functions when the host is not v2.
 *
 * From lesson05-cgroups on. Read: the kernel's
 * Documentation/admin-guide/cgroup-v1/.
 */
#include "run.h"

/* mkdir DIR unless it is there; v1 cpuset children start with no CPUs and
   no memory nodes, and take no task until they are given their parent's. */
void
cg_mkdir_v1(const char *dir, int c)
{
    char parent[PATH_MAX];

    if (!cg_mkdir(dir) || c != C_CPUSET)
        return;
    snprintf(parent, sizeof(parent), "%s", dir);
    *strrchr(parent, '/') = '\0';
    cg_must(dir, "cpuset.cpus", cg_read(parent, "cpuset.cpus"));
    cg_must(dir, "cpuset.mems", cg_read(parent, "cpuset.mems"));
}

/* The container's cgroup in each hierarchy, each a line of the record
   REC; a hierarchy the host lacks does not limit it. */
void
create_cgroups_v1(FILE *rec)
{
    char parent[PATH_MAX];
    int c, d;

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
            tell("no %s hierarchy on this host: the container is not "
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
        join(cg.dir[c], parent, "/", cfg.name);
        fprintf(rec, "%s %s\n", cg_ctl[c], cg.dir[c] + strlen(cg.mnt[c]));
        if (defer_cpuset(c))
            continue; /* see make_cpuset() */
        cg_mkdir_v1(parent, c);
        cg_mkdir_v1(cg.dir[c], c);
    }
}

/* v1 limits memory, and memory plus swap together (memsw); the memsw
   file is there only with swap accounting. */
void
apply_memory_v1(const char *dir)
{
    char v[32];

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

/* v1's CFS bandwidth is two files, period and quota; its weight is
   cpu.shares, the value as given. */
void
apply_cpu_v1(const char *dir)
{
    char v[48];

    if (cfg.lim.cpu_quota > 0) {
        snprintf(v, sizeof(v), "%ld", cfg.lim.cpu_period);
        cg_must(dir, "cpu.cfs_period_us", v);
        snprintf(v, sizeof(v), "%ld", cfg.lim.cpu_quota);
        cg_must(dir, "cpu.cfs_quota_us", v);
    }
    if (cfg.lim.cpu_shares > 0) {
        snprintf(v, sizeof(v), "%lu", cfg.lim.cpu_shares);
        cg_must(dir, "cpu.shares", v);
    }
}

/* One write per hierarchy: co-mounted controllers share a cgroup, and
   get one write. */
void
join_cgroups_v1(const char *pid)
{
    int c;

    for (c = 0; c < C_N; c++)
        if (cg.dir[c][0] != '\0' &&
            (c == 0 || strcmp(cg.dir[c], cg.dir[c - 1]) != 0))
            cg_must(cg.dir[c], "cgroup.procs", pid);
}
