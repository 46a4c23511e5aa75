/*
 * masks.c: the parts of /proc and /sys masked or made read-only, as runc
 * and Docker do.
 *
 * From lesson07-full on. Read: proc(5), mount(2) (MS_BIND, MS_RDONLY).
 */
#include "run.h"

/*
 * Parts of /proc and /sys that show or change the host, as Docker hides
 * them: a masked file is /dev/null bind-mounted over it, a masked
 * directory an empty read-only tmpfs; a read-only path is bind-mounted
 * onto itself and remounted read-only. A process with CAP_SYS_ADMIN could
 * unmount them: that is why it is dropped.
 */
static const char *const masked_paths[] = {
    "/proc/acpi",
    "/proc/asound",
    "/proc/interrupts", /* every CPU's interrupt counts: a side channel */
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
};
static const char *const readonly_paths[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

/* Mask PATH if this kernel has it. */
static void
mask_one(const char *path)
{
    struct stat st;

    if (stat(path, &st) == -1)
        return; /* not in this kernel */
    if (S_ISDIR(st.st_mode)
            ? mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0") == -1
            : mount("/dev/null", path, NULL, MS_BIND, NULL) == -1)
        die(errno, NULL, "mask %s", path);
}

void
mask_paths(void)
{
    char path[PATH_MAX];
    struct statvfs sv;
    struct stat st;
    struct dirent *d;
    unsigned long flags;
    size_t i;
    DIR *cpus;

    /* A mask must be the real /dev/null, not a file the image put there. */
    if (stat("/dev/null", &st) == -1 || !S_ISCHR(st.st_mode) ||
        st.st_rdev != makedev(1, 3))
        die(errno, NULL, "/dev/null is not the character device 1:3");
    for (i = 0; i < sizeof(masked_paths) / sizeof(masked_paths[0]); i++)
        mask_one(masked_paths[i]);
    /* And, as moby since 2025, each CPU's thermal_throttle counters
       (x86's thermal interrupts): the host's load, seen from a container.
       Only the cpuN directories have them; the list depends on the host. */
    cpus = opendir("/sys/devices/system/cpu");
    while (cpus != NULL && (d = readdir(cpus)) != NULL) {
        if (strncmp(d->d_name, "cpu", 3) != 0 || d->d_name[3] < '0' ||
            d->d_name[3] > '9')
            continue;
        snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s/%s", d->d_name,
                 "thermal_throttle");
        mask_one(path);
    }
    if (cpus != NULL)
        closedir(cpus);
    tell("child: masked /proc/kcore, /proc/keys, /proc/interrupts, "
         "/sys/firmware, ...: /dev/null or an empty tmpfs over them");
    for (i = 0; i < sizeof(readonly_paths) / sizeof(readonly_paths[0]); i++) {
        if (statvfs(readonly_paths[i], &sv) == -1)
            continue;
        /* A remount must keep the flags the mount has, or it is EPERM. */
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY |
                (sv.f_flag & ST_NOSUID ? MS_NOSUID : 0) |
                (sv.f_flag & ST_NODEV ? MS_NODEV : 0) |
                (sv.f_flag & ST_NOEXEC ? MS_NOEXEC : 0);
        if (mount(readonly_paths[i], readonly_paths[i], NULL, MS_BIND | MS_REC,
                  NULL) == -1 ||
            mount(NULL, readonly_paths[i], NULL, flags, NULL) == -1)
            die(errno, NULL, "make %s read-only", readonly_paths[i]);
    }
    tell("child: read-only /proc/sys, /proc/sysrq-trigger, /proc/irq, "
         "/proc/bus, /proc/fs: core_pattern and sysrq are the host's");
    say("child: /proc/kcore, /proc/keys, /sys/firmware, ... masked, "
        "/proc/sys, /proc/sysrq-trigger, ... read-only: the host's kernel "
        "is not the container's to read or to tune");
}
