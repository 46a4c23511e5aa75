/*
 * cgroup_cpuset.c: the v1 cpuset cgroup, made while the child works.
 *
 * From lesson07-full on. Read: the kernel's
 * Documentation/admin-guide/cgroup-v1/cpusets.rst.
 */
#include "run.h"

static char cpuset_later[PATH_MAX]; /* v1 cpuset: made while the child works */

/* For create_cgroups_v1(): 1 if controller C is cpuset, alone in its
   hierarchy; its cgroup is then left for make_cpuset(), and until then
   cg_dir(C_CPUSET) is NULL: neither limited nor joined. */
int
defer_cpuset(int c)
{
    int d;

    for (d = c + 1; d < C_N && strcmp(cg.mnt[d], cg.mnt[c]) != 0; d++)
        ;
    if (c != C_CPUSET || d < C_N)
        return 0;
    strcpy(cpuset_later, cg.dir[c]);
    cg.dir[c][0] = '\0';
    return 1;
}

/*
 * On v1, the first mkdir in the cpuset hierarchy for a while takes
 * cpuset's lock for writing, which waits for an RCU grace period: 6 ms
 * here, a third of the whole start. So the container's cpuset cgroup is
 * made after the child has its "go", while it mounts its root, and the
 * child waits for a second byte before it execs the command: the wait is
 * spent while the child works. Its other cgroups hold it from the start.
 */
void
make_cpuset(pid_t pid)
{
    char parent[PATH_MAX], v[24];
    int err;

    if (cpuset_later[0] == '\0')
        return;
    state_lock();
    strcpy(cg.dir[C_CPUSET], cpuset_later);
    snprintf(parent, sizeof(parent), "%s", cg.dir[C_CPUSET]);
    *strrchr(parent, '/') = '\0';
    cg_mkdir_v1(parent, C_CPUSET);
    cg_mkdir_v1(cg.dir[C_CPUSET], C_CPUSET);
    state_unlock();
    cpuset_later[0] = '\0';
    apply_cpuset();
    snprintf(v, sizeof(v), "%d", (int)pid);
    err = cg_write(cg.dir[C_CPUSET], "cgroup.procs", v);
    if (err != 0 && err != ESRCH) /* ESRCH: the child failed already */
        die(err, NULL, "echo %s > %s/cgroup.procs", v, cg.dir[C_CPUSET]);
}
