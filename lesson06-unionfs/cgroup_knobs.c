/*
 * cgroup_knobs.c: the other controllers' limits, v1 and v2: cpuset, blkio
 * (v2: io), devices, hugetlb, net_cls, net_prio.
 *
 * From lesson05-cgroups on. Read: the kernel's
 * Documentation/admin-guide/cgroup-v1/ (cpusets.rst, blkio-controller.rst,
 * devices.rst, hugetlb.rst, net_cls.rst, net_prio.rst).
 */
#include "run.h"

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
