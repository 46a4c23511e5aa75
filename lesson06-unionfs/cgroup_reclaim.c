/*
 * cgroup_reclaim.c: after the container: what it used, its processes
 * killed, its cgroups removed; the records of cgroups, and what killed runs
 * left, reclaimed.
 *
 * From lesson05-cgroups on. Read: cgroups(7).
 */
#include "run.h"

/* What the container used: cpuacct (v2: cpu.stat), the memory peak, and
   how often the OOM killer fired. Read before the cgroups go. */
void
report_usage(void)
{
    const char *cpu = cg_dir(C_CPUACCT), *mem = cg_dir(C_MEMORY);
    long long usec = -1, peak = -1, ooms = -1;

    if (cg.mode == CG_V2) {
        usec = cg_stat(cg.v2, "cpu.stat", "usage_usec");
        peak = cg_has(cg.v2, "memory.peak")
                   ? atoll(cg_read(cg.v2, "memory.peak"))
                   : -1;
        ooms = cg_stat(cg.v2, "memory.events", "oom_kill");
    } else {
        if (cpu != NULL)
            usec = atoll(cg_read(cpu, "cpuacct.usage")) / 1000;
        if (mem != NULL) {
            peak = atoll(cg_read(mem, "memory.max_usage_in_bytes"));
            ooms = cg_stat(mem, "memory.oom_control", "oom_kill");
        }
    }
    say("usage: CPU time %lld.%03lld s, peak memory %lld KiB, OOM kills %lld",
        usec / 1000000, usec / 1000 % 1000, peak / 1024, ooms);
}

/* Kill whatever is left in DIR: cgroup.kill (v2, Linux 5.14), else
   freeze it so that nothing forks away, SIGKILL each task, thaw. */
static void
kill_cgroup(const char *dir, const char *freezer)
{
    char path[PATH_MAX + 32];
    FILE *f;
    int pid;

    if (cg_has(dir, "cgroup.kill")) {
        cg_write(dir, "cgroup.kill", "1");
        return;
    }
    if (freezer != NULL)
        cg_write(freezer, cg.mode == CG_V2 ? "cgroup.freeze" : "freezer.state",
                 cg.mode == CG_V2 ? "1" : "FROZEN");
    snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
    f = fopen(path, "re");
    while (f != NULL && fscanf(f, "%d", &pid) == 1)
        kill(pid, SIGKILL);
    if (f != NULL)
        fclose(f);
    if (freezer != NULL)
        cg_write(freezer, cg.mode == CG_V2 ? "cgroup.freeze" : "freezer.state",
                 cg.mode == CG_V2 ? "0" : "THAWED");
}

/* rmdir a cgroup; EBUSY means tasks remain: kill them and try again. */
static void
cg_rmdir(const char *dir, const char *freezer)
{
    int i;

    for (i = 0; i < 50; i++) {
        if (rmdir(dir) == 0) {
            tell("rmdir %s", dir);
            return;
        }
        if (errno == ENOENT)
            return;
        if (errno != EBUSY)
            break;
        if (i == 0)
            kill_cgroup(dir, freezer);
        usleep(20000);
    }
    warn(errno, "rmdir %s", dir);
}

/* Remove DIR's parent too if it is ours and empty; another container may
   still be in it (EBUSY, ENOTEMPTY), and that is fine. */
static void
cg_rmdir_parent(const char *dir)
{
    char parent[PATH_MAX];

    snprintf(parent, sizeof(parent), "%s", dir);
    *strrchr(parent, '/') = '\0';
    if (strstr(parent, "container-lessons") != NULL)
        rmdir(parent);
}

/* Remove the cgroups in cg (the container's, or a record's) and the
   record; the caller holds the state lock. */
static void
remove_cgroups(void)
{
    int c;

    if (cg.mode == CG_V2 && cg.v2[0] != '\0') {
        cg_rmdir(cg.v2, cg.v2);
        cg_rmdir_parent(cg.v2);
    }
    for (c = 0; cg.mode != CG_V2 && c < C_N; c++) {
        if (cg.dir[c][0] == '\0')
            continue;
        cg_rmdir(cg.dir[c], cg_dir(C_FREEZER));
        cg_rmdir_parent(cg.dir[c]);
    }
    if (cg.record[0] != '\0')
        unlink(cg.record);
}

/* At exit, however the runtime ends but SIGKILL: the cgroups go (their
   tasks killed first if any remain), then the private mounts. */
void
teardown_cgroups(void)
{
    if (getpid() != cg.owner)
        return;
    state_lock();
    remove_cgroups();
    unmount_private();
    state_unlock();
}

/* A record's cgroup path: absolute, without "..", and ending in the
   container's NAME: a record written by someone else cannot name another
   cgroup for --cleanup to empty and remove. */
static int
cgroup_path_ok(const char *rel, const char *name)
{
    const char *last = strrchr(rel, '/');

    return rel[0] == '/' && strstr(rel, "/..") == NULL && last != NULL &&
           strcmp(last + 1, name) == 0;
}

/*
 * The record STATE_DIR/NAME.ct of a container: "PID STARTTIME", then a
 * line "CONTROLLER PATH" per cgroup, PATH under the hierarchy's mount
 * point ("cgroup2 PATH" on v2). Loads its cgroups into cg; 1 if its
 * runtime still runs.
 */
int
load_record(const char *path)
{
    char ctl[32], rel[PATH_MAX], name[PATH_MAX];
    const char *why;
    int alive, c, d, bad = 0;
    FILE *f = state_open(path, &why);

    if (f == NULL && why != NULL)
        say("refusing %s: %s; nothing in it is touched (remove it by hand)",
            path, why);
    if (f == NULL)
        return why != NULL ? -1 : 0;
    /* STATE_DIR/NAME.ct: NAME is the last part of each of its cgroups. */
    snprintf(name, sizeof(name), "%s", strrchr(path, '/') + 1);
    name[strlen(name) - 3] = '\0';
    memset(cg.dir, 0, sizeof(cg.dir));
    cg.v2[0] = '\0';
    snprintf(cg.record, sizeof(cg.record), "%s", path);
    alive = owner_alive(f);
    while (fscanf(f, "%31s %4095s", ctl, rel) == 2) {
        if (!cgroup_path_ok(rel, name)) {
            bad = 1;
            break;
        }
        if (strcmp(ctl, "cgroup2") == 0)
            join(cg.v2, cg.v2_mnt, "", rel);
        for (c = 0; c < C_N; c++) {
            if (strcmp(ctl, cg_ctl[c]) != 0 || cg.mnt[c][0] == '\0')
                continue;
            for (d = 0; d < C_N; d++)
                if (strcmp(cg.mnt[d], cg.mnt[c]) == 0)
                    join(cg.dir[d], cg.mnt[c], "", rel);
        }
    }
    fclose(f);
    if (bad) {
        say("refusing %s: its cgroup %s is not the container's own; nothing "
            "in it is touched (remove it by hand)",
            path, rel);
        memset(cg.dir, 0, sizeof(cg.dir));
        cg.v2[0] = cg.record[0] = '\0';
        return -1;
    }
    return alive;
}

/* Find the hierarchies, mounting those the host lacks (as the runtime
   does); for --freeze, --thaw and --cleanup. */
void
open_hierarchies(void)
{
    cg.mode = cgroup_mode();
    find_hierarchies();
    if (cg.mode != CG_V2)
        mount_missing_hierarchies();
}

/* The cgroups of containers whose runtime was killed: kill what is left
   in them and remove them. Under the state lock. */
void
reclaim_records(void)
{
    char path[PATH_MAX];
    struct dirent *d;
    size_t len;
    DIR *dir = opendir(STATE_DIR);

    while (dir != NULL && (d = readdir(dir)) != NULL) {
        len = strlen(d->d_name);
        if (len < 4 || strcmp(d->d_name + len - 3, ".ct") != 0)
            continue;
        snprintf(path, sizeof(path), STATE_DIR "/%s", d->d_name);
        if (load_record(path))
            continue;
        say("reclaimed the cgroups of %.*s, left by a runtime that was "
            "killed",
            (int)len - 3, d->d_name);
        remove_cgroups();
    }
    if (dir != NULL)
        closedir(dir);
    memset(cg.dir, 0, sizeof(cg.dir));
    cg.v2[0] = cg.record[0] = '\0';
}
