/*
 * cgroup_options.c: the cgroup limits' options.
 *
 * From lesson05-cgroups on; read run.c first.
 */
#include "run.h"

/* "64M", "1g", "512k", "4096": bytes. -1 if malformed. "-1" is not a size;
   callers that take -1 for "unlimited" check for it first. */
static long long
parse_size(const char *s)
{
    char *end;
    long long n;
    int shift = 0;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    n = strtoll(s, &end, 10);
    if (errno != 0)
        return -1;
    switch (*end) {
    case 'k':
    case 'K':
        shift = 10;
        end++;
        break;
    case 'm':
    case 'M':
        shift = 20;
        end++;
        break;
    case 'g':
    case 'G':
        shift = 30;
        end++;
        break;
    case 't':
    case 'T':
        shift = 40;
        end++;
        break;
    }
    if ((*end == 'b' || *end == 'B') && shift != 0)
        end++;
    if (*end != '\0' || n > (LLONG_MAX >> shift))
        return -1;
    return n << shift;
}

/* "0-2,5": a set of CPUs or memory nodes, as cpuset.cpus takes it. -1 if
   malformed, else 0 and the set in MASK (CPUs 0 to 1023). */
static int
parse_cpu_list(const char *s, unsigned long long mask[16])
{
    long a, b;
    char *end;

    memset(mask, 0, 16 * sizeof(mask[0]));
    for (;;) {
        if (*s < '0' || *s > '9')
            return -1;
        a = b = strtol(s, &end, 10);
        if (*end == '-') {
            s = end + 1;
            if (*s < '0' || *s > '9')
                return -1;
            b = strtol(s, &end, 10);
        }
        if (a > b || b >= 1024)
            return -1;
        for (; a <= b; a++)
            mask[a / 64] |= 1ULL << (a % 64);
        if (*end == '\0')
            return 0;
        if (*end != ',')
            return -1;
        s = end + 1;
    }
}

/*
 * cpu.shares (v1, 2..262144, default 1024) to cpu.weight (v2, 1..10000,
 * default 100) as crun >= 1.23 and runc >= 1.3.2 convert it: a quadratic
 * in log2(shares) through (2, 1), (1024, 100) and (262144, 10000).
 */
unsigned long
shares_to_weight(unsigned long shares)
{
    double l, w;

    if (shares == 0)
        return 0;
    l = log2((double)shares);
    w = ceil(pow(10.0, (l * l + 125 * l) / 612.0 - 7.0 / 34.0));
    return w < 1 ? 1 : w > 10000 ? 10000 : (unsigned long)w;
}

/* blkio.weight (v1, 10..1000) to io.weight (v2, 1..10000), linearly. */
unsigned long
blkio_to_io_weight(unsigned long w)
{
    return 1 + (w - 10) * 9999 / 990;
}

/* A device rule as devices.allow takes it: "TYPE MAJOR:MINOR ACCESS",
   TYPE a (all), b or c, MAJOR and MINOR numbers or *, ACCESS of r w m. */
static const char *
parse_dev_rule(const char *s, struct dev_rule *r)
{
    char type, maj[12], min[12], acc[8];
    char *end;
    size_t i;

    if (sscanf(s, "%c %11[0-9*]:%11[0-9*] %7s", &type, maj, min, acc) != 4)
        return "is not \"TYPE MAJOR:MINOR ACCESS\", as in \"c 1:3 rw\"";
    if (type != 'a' && type != 'b' && type != 'c')
        return "has a type other than a, b or c";
    r->type = type;
    r->major = strcmp(maj, "*") == 0 ? -1 : strtol(maj, &end, 10);
    r->minor = strcmp(min, "*") == 0 ? -1 : strtol(min, &end, 10);
    r->access = 0;
    for (i = 0; acc[i] != '\0'; i++) {
        if (acc[i] == 'm')
            r->access |= BPF_DEVCG_ACC_MKNOD;
        else if (acc[i] == 'r')
            r->access |= BPF_DEVCG_ACC_READ;
        else if (acc[i] == 'w')
            r->access |= BPF_DEVCG_ACC_WRITE;
        else
            return "has access other than r, w and m";
    }
    r->allow = 1;
    return NULL;
}

/* "DEV:RATE", DEV a device file (/dev/sda) or MAJOR:MINOR, RATE bytes
   ("1M") or, for iops, a number. */
static const char *
parse_throttle(const char *s, int kind, struct throttle *t)
{
    const char *colon = strrchr(s, ':');
    char dev[PATH_MAX];
    struct stat st;
    long long rate;

    if (colon == NULL || (size_t)(colon - s) >= sizeof(dev))
        return "is not DEVICE:RATE";
    memcpy(dev, s, colon - s);
    dev[colon - s] = '\0';
    rate = parse_size(colon + 1);
    if (rate <= 0)
        return "has a rate that is not a positive number";
    if (sscanf(dev, "%u:%u", &t->major, &t->minor) != 2) {
        if (stat(dev, &st) == -1 || !S_ISBLK(st.st_mode))
            return "names no block device";
        t->major = major(st.st_rdev);
        t->minor = minor(st.st_rdev);
    }
    t->kind = kind;
    t->rate = (unsigned long long)rate;
    return NULL;
}

/* Does MASK hold only what the kernel has online (cpu or node)? */
static int
within_online(const unsigned long long mask[16], const char *what)
{
    unsigned long long online[16];
    char path[64], buf[256] = "0";
    FILE *f;
    int i;

    snprintf(path, sizeof(path), "/sys/devices/system/%s/online", what);
    f = fopen(path, "re");
    if (f != NULL) {
        if (fgets(buf, sizeof(buf), f) == NULL)
            strcpy(buf, "0");
        buf[strcspn(buf, "\n")] = '\0';
        fclose(f);
    }
    if (parse_cpu_list(buf, online) == -1)
        return 1;
    for (i = 0; i < 16; i++)
        if (mask[i] & ~online[i])
            return 0;
    return 1;
}

/* One limit option: checked here, before anything is made. */
void
parse_limit(int opt, const char *arg, struct limits *l)
{
    unsigned long long mask[16];
    char *end, path[96];
    const char *why;
    double cpus;
    long n;

    switch (opt) {
    case O_MEMORY:
        if ((l->memory = parse_size(arg)) <= 0)
            bad_usage("--memory %s is not a size, as 64M or 1G", arg);
        break;
    case O_MEMORY_SWAP:
        l->memory_swap = strcmp(arg, "-1") == 0 ? -1 : parse_size(arg);
        if (l->memory_swap == 0 || l->memory_swap < -1)
            bad_usage("--memory-swap %s is not a size, or -1", arg);
        break;
    case O_CPUS:
        cpus = strtod(arg, &end);
        if (*end != '\0' || end == arg || !(cpus >= 0.01))
            bad_usage("--cpus %s: a number of CPUs from 0.01, as 0.5", arg);
        if (cpus > sysconf(_SC_NPROCESSORS_ONLN))
            bad_usage("--cpus %s: this host has %ld CPUs", arg,
                      sysconf(_SC_NPROCESSORS_ONLN));
        l->cpu_period = 100000;
        l->cpu_quota = (long)(cpus * 100000 + 0.5);
        break;
    case O_CPU_SHARES:
        n = strtol(arg, &end, 10);
        if (*end != '\0' || n < 2 || n > 262144)
            bad_usage("--cpu-shares %s: from 2 to 262144", arg);
        l->cpu_shares = (unsigned long)n;
        break;
    case O_CPUSET_CPUS:
    case O_CPUSET_MEMS:
        why = opt == O_CPUSET_CPUS ? "cpu" : "node";
        if (parse_cpu_list(arg, mask) == -1)
            bad_usage("--cpuset-%ss %s is not a list, as 0-1,3", why, arg);
        if (!within_online(mask, why))
            bad_usage("--cpuset-%ss %s: not all are online on this host "
                      "(/sys/devices/system/%s/online)",
                      why, arg, why);
        *(opt == O_CPUSET_CPUS ? &l->cpuset_cpus : &l->cpuset_mems) = arg;
        break;
    case O_PIDS:
        n = strcmp(arg, "max") == 0 ? -1 : strtol(arg, &end, 10);
        if (n != -1 && (*end != '\0' || end == arg || n <= 0))
            bad_usage("--pids-limit %s: a number above 0, or max", arg);
        l->pids = n;
        break;
    case O_BLKIO_WEIGHT:
        n = strtol(arg, &end, 10);
        if (*end != '\0' || n < 10 || n > 1000)
            bad_usage("--blkio-weight %s: from 10 to 1000", arg);
        l->blkio_weight = (unsigned long)n;
        break;
    case O_READ_BPS:
    case O_WRITE_BPS:
    case O_READ_IOPS:
    case O_WRITE_IOPS:
        if (l->n_throttle == 8)
            bad_usage("at most 8 device throttles");
        why =
            parse_throttle(arg, opt - O_READ_BPS, &l->throttle[l->n_throttle]);
        if (why != NULL)
            bad_usage("%s %s", "--device-...-bps/iops", why);
        l->n_throttle++;
        break;
    case O_DEVICE:
        if (l->n_devices == MAX_DEV_RULES)
            bad_usage("at most %d device rules", MAX_DEV_RULES);
        why = parse_dev_rule(arg, &l->devices[l->n_devices]);
        if (why != NULL)
            bad_usage("--device \"%s\" %s", arg, why);
        l->n_devices++;
        break;
    case O_NET_CLASSID:
        strtoul(arg, &end, 0);
        if (*end != '\0' || end == arg)
            bad_usage("--net-classid %s: a number, as 0x100001", arg);
        l->net_classid = arg;
        break;
    case O_NET_PRIO:
        why = strchr(arg, '=');
        if (why == NULL || why == arg || why - arg >= IFNAMSIZ ||
            strtol(why + 1, &end, 10) < 0 || *end != '\0' || end == why + 1)
            bad_usage("--net-prio %s: IF=PRIO, as eth0=5", arg);
        l->net_prio = arg;
        break;
    case O_HUGETLB:
        why = strchr(arg, ':');
        n = why == NULL ? 0 : strtol(arg, &end, 10);
        if (why == NULL || n <= 0 ||
            why - arg >= (long)sizeof(l->hugetlb_size) ||
            (strncmp(end, "MB:", 3) != 0 && strncmp(end, "GB:", 3) != 0) ||
            (l->hugetlb_limit = parse_size(why + 1)) <= 0)
            bad_usage("--hugetlb %s: SIZE:LIMIT, as 2MB:64M", arg);
        snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%ldkB",
                 *end == 'M' ? n * 1024 : n * 1024 * 1024);
        if (access(path, F_OK) == -1)
            bad_usage("--hugetlb %s: this host has no %.*s huge pages (%s)",
                      arg, (int)(why - arg), arg, path);
        snprintf(l->hugetlb_size, sizeof(l->hugetlb_size), "%.*s",
                 (int)(why - arg), arg);
        break;
    }
}
