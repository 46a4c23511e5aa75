/*
 * cgroup.c: cgroups, the container's: made, limited in memory, CPU and
 * PIDs, and joined, on cgroup v2; v1 and hybrid hosts in cgroup_v1.c, the
 * other controllers in cgroup_knobs.c.
 *
 * From lesson05-cgroups on. Read: cgroups(7), the kernel's
 * Documentation/admin-guide/cgroup-v2.rst.
 */
#include "run.h"

/* Without --pids-limit, as podman: a classroom host survives a fork bomb
   (the kernel's own limit, pid_max, is often 4 million). */
#define DEFAULT_PIDS 2048
struct cgroups cg;

/* mkdir DIR unless it is there; 1 if it was made. */
int
cg_mkdir(const char *dir)
{
    if (mkdir(dir, 0755) == -1) {
        if (errno != EEXIST)
            die(errno, NULL, "mkdir %s", dir);
        return 0;
    }
    tell("mkdir %s", dir);
    return 1;
}

/* The parent of the container's cgroups in a hierarchy mounted at MNT:
   --cgroup-parent if it starts with '/', else under our own cgroup (v1:
   so that limits set on the caller still hold) or the root (v2: a cgroup
   with processes may not have children with controllers). */
void
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

    snprintf(parent, sizeof(parent), STATE_DIR "/%s.ct", cfg.name);
    rec = state_create(parent);
    if (rec == NULL)
        die(errno, errno == EEXIST ? "choose another --name" : NULL,
            "container %s: %s", cfg.name, parent);
    strcpy(cg.record, parent); /* ours to remove, now */
    put_owner(rec);
    if (cg.mode == CG_V2) {
        cg_parent(cg.v2_mnt, NULL, parent);
        cg_mkdir(parent);
        snprintf(want, sizeof(want), "%s",
                 cg_read(cg.v2_mnt, "cgroup.subtree_control"));
        for (tok = strtok_r(want, " ", &save); tok != NULL;
             tok = strtok_r(NULL, " ", &save)) {
            char plus[40];

            snprintf(plus, sizeof(plus), "+%s", tok);
            cg_write(parent, "cgroup.subtree_control", plus);
        }
        join(cg.v2, parent, "/", cfg.name);
        cg_mkdir(cg.v2);
        fprintf(rec, "cgroup2 %s\n", cg.v2 + strlen(cg.v2_mnt));
    } else {
        create_cgroups_v1(rec);
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
    if (cg.mode != CG_V2) {
        apply_memory_v1(dir);
        return;
    }
    /* v2 counts swap apart: swap.max = (memory + swap) - memory. */
    snprintf(v, sizeof(v), "%lld", cfg.lim.memory);
    if (cfg.lim.memory > 0)
        cg_must(dir, "memory.max", v);
    if (cfg.lim.memory_swap == -1)
        strcpy(v, "max");
    else if (cfg.lim.memory_swap > 0)
        snprintf(v, sizeof(v), "%lld", cfg.lim.memory_swap - cfg.lim.memory);
    if (cfg.lim.memory_swap != 0)
        cg_must(dir, "memory.swap.max", v);
}

void
apply_cpu(void)
{
    const char *dir = cg_dir(C_CPU);
    char v[48];

    if (dir == NULL)
        return;
    if (cg.mode != CG_V2) {
        apply_cpu_v1(dir);
        return;
    }
    if (cfg.lim.cpu_quota > 0) {
        snprintf(v, sizeof(v), "%ld %ld", cfg.lim.cpu_quota,
                 cfg.lim.cpu_period);
        cg_must(dir, "cpu.max", v);
    }
    if (cfg.lim.cpu_shares > 0) {
        snprintf(v, sizeof(v), "%lu", shares_to_weight(cfg.lim.cpu_shares));
        cg_must(dir, "cpu.weight", v);
    }
}

void
apply_pids(void)
{
    const char *dir = cg_dir(C_PIDS);
    char v[24];

    if (dir == NULL || cfg.lim.pids == -1)
        return;
    if (cfg.lim.pids == 0)
        tell("pids.max " DEFAULT_PIDS_TEXT ": the default, as podman's: a "
             "fork bomb stops there (--pids-limit N or max)");
    snprintf(v, sizeof(v), "%ld", cfg.lim.pids ? cfg.lim.pids : DEFAULT_PIDS);
    cg_must(dir, "pids.max", v);
}

/* Make the container's cgroups and write its limits, before clone();
   what is left of containers whose runtime was killed goes first. */
void
setup_cgroups(void)
{
    cg.mode = cgroup_mode();
    tell("statfs(/sys/fs/cgroup): cgroup %s",
         cg.mode == CG_V2       ? "v2"
         : cg.mode == CG_HYBRID ? "v1, hybrid (and an empty v2)"
                                : "v1");
    find_hierarchies();
    if (cg.mode == CG_V2 && cg.v2_mnt[0] == '\0')
        die(0, "see `make doctor`", "no cgroup2 at /sys/fs/cgroup");
    state_lock();
    if (cg.mode != CG_V2)
        mount_missing_hierarchies();
    reclaim_records();
    cg.owner = getpid();
    atexit(teardown_cgroups);
    create_cgroups();
    state_unlock();
    apply_memory();
    apply_cpu();
    apply_cpuset();
    apply_pids();
    apply_blkio();
    apply_devices();
    apply_hugetlb();
    apply_net_cls();
}

/* Move the child in: one write to cgroup.procs per cgroup, before it
   execs, so that nothing it runs escapes the limits. The story's line
   sums up the cgroups made and joined, and the limits written. */
void
join_cgroups(pid_t pid)
{
    char v[24], none[128] = "";
    int c;

    snprintf(v, sizeof(v), "%d", (int)pid);
    for (c = 0; cg.mode != CG_V2 && c < C_N; c++)
        if (cg.mnt[c][0] == '\0')
            snprintf(none + strlen(none), sizeof(none) - strlen(none), " %s",
                     cg_ctl[c]);
    if (cg.mode != CG_V2)
        join_cgroups_v1(v);
    else
        cg_must(cg.v2, "cgroup.procs", v);
    say("cgroup %s: made %s%s and moved the child in, before it runs "
        "anything: all it starts is limited by %s%s%s",
        cg.mode == CG_V2       ? "v2"
        : cg.mode == CG_HYBRID ? "v1, hybrid"
                               : "v1",
        cg.mode == CG_V2 ? cg.v2 : cfg.name,
        cg.mode == CG_V2 ? "" : " in each hierarchy", cg_limits(),
        none[0] != '\0' ? "; not by (no hierarchy on this host):" : "", none);
}
