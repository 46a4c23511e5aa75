/*
 * cgroup_freeze.c: --freeze and --thaw: every process of a running
 * container stopped and let go, by the freezer.
 *
 * From lesson05-cgroups on. Read: the kernel's
 * Documentation/admin-guide/cgroup-v1/freezer-subsystem.rst.
 */
#include "run.h"

/* --freeze NAME, --thaw NAME: the freezer stops every task of the
   container at once (v1 freezer.state, v2 cgroup.freeze) and waits until
   the kernel says all are stopped (v2: "frozen 1" in cgroup.events). */
int
freeze(const char *name, int on)
{
    char path[PATH_MAX];
    const char *dir;
    int i, done = 0;

    snprintf(path, sizeof(path), STATE_DIR "/%s.ct", name);
    state_lock();
    open_hierarchies();
    if (load_record(path) != 1)
        die(ENOENT, "see the names in " STATE_DIR "/*.ct",
            "no running container %s", name);
    dir = cg_dir(C_FREEZER);
    if (dir == NULL)
        die(0, "see `make doctor`", "this host has no freezer");
    cg_must(dir, cg.mode == CG_V2 ? "cgroup.freeze" : "freezer.state",
            cg.mode == CG_V2 ? (on ? "1" : "0") : (on ? "FROZEN" : "THAWED"));
    for (i = 0; i < 100 && !done; i++) {
        if (cg.mode == CG_V2)
            done = cg_stat(dir, "cgroup.events", "frozen") == on;
        else
            done = strcmp(cg_read(dir, "freezer.state"),
                          on ? "FROZEN" : "THAWED") == 0;
        if (!done)
            usleep(10000);
    }
    if (!done)
        die(EBUSY, NULL, "%s did not become %s", dir, on ? "frozen" : "thawed");
    say("container %s is %s", name, on ? "frozen" : "thawed");
    cg.record[0] = '\0';
    unmount_private();
    state_unlock();
    return 0;
}
