/*
 * caps.c: capabilities: the ones kept (Docker's 14, and --cap-add,
 * --cap-drop); every other dropped from the bounding set, the ambient and
 * inheritable sets emptied.
 *
 * From lesson07-full on. Read: capabilities(7), capset(2), prctl(2)
 * (PR_CAPBSET_DROP, PR_CAP_AMBIENT).
 */
#include "run.h"

/* capabilities(7), in the order of linux/capability.h: bit N is cap_name[N]. */
const char *const cap_name[] = {
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "KILL",
    "SETGID",
    "SETUID",
    "SETPCAP",
    "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_ADMIN",
    "NET_RAW",
    "IPC_LOCK",
    "IPC_OWNER",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_CHROOT",
    "SYS_PTRACE",
    "SYS_PACCT",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_NICE",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "MKNOD",
    "LEASE",
    "AUDIT_WRITE",
    "AUDIT_CONTROL",
    "SETFCAP",
    "MAC_OVERRIDE",
    "MAC_ADMIN",
    "SYSLOG",
    "WAKE_ALARM",
    "BLOCK_SUSPEND",
    "AUDIT_READ",
    "PERFMON",
    "BPF",
    "CHECKPOINT_RESTORE",
};

/* "NET_ADMIN", "cap_net_admin" or "ALL": its bits, 0 if unknown. */
unsigned long long
parse_cap(const char *s)
{
    int i;

    if (strncasecmp(s, "CAP_", 4) == 0)
        s += 4;
    if (strcasecmp(s, "ALL") == 0)
        return (1ULL << N_CAPS) - 1;
    for (i = 0; i < N_CAPS; i++)
        if (strcasecmp(s, cap_name[i]) == 0)
            return 1ULL << i;
    return 0;
}

/*
 * Root's power is a set of capabilities. Keep cfg.caps in the bounding set
 * (the most any later exec can gain; dropping needs CAP_SETPCAP, so it
 * goes first), then in permitted and effective with capset(2); ambient
 * and inheritable are emptied (Docker since 20.10.14, CVE-2022-24769: a
 * program with inheritable file capabilities gained them from it). When
 * root execs a program, its new permitted set is the bounding set: cfg.caps.
 */
void
drop_caps(void)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    int cap, last = N_CAPS - 1;
    FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");

    if (f != NULL) {
        if (fscanf(f, "%d", &last) != 1)
            last = N_CAPS - 1;
        fclose(f);
    }
    for (cap = 0; cap <= last; cap++)
        if (!(cfg.caps & (1ULL << cap)) &&
            prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1)
            die(errno, NULL, "prctl(PR_CAPBSET_DROP, %d)", cap);
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
        errno != EINVAL) /* EINVAL: before Linux 4.3, no ambient set */
        die(errno, NULL, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
    memset(d, 0, sizeof(d)); /* inheritable: none */
    d[0].effective = d[0].permitted = (uint32_t)cfg.caps;
    d[1].effective = d[1].permitted = (uint32_t)(cfg.caps >> 32);
    if (syscall(SYS_capset, &h, d) == -1)
        die(errno, NULL, "capset");
    say("%scapset and PR_CAPBSET_DROP: %d capabilities kept of %d (CapEff "
        "%016llx): no SYS_ADMIN, SYS_MODULE, SYS_TIME, NET_ADMIN, ...",
        side, __builtin_popcountll(cfg.caps & ((2ULL << last) - 1)), last + 1,
        cfg.caps & ((2ULL << last) - 1));
}
