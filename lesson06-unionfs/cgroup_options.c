/*
 * cgroup_options.c: the options of cgroups: the container's name, --freeze
 * and --thaw, and the limits.
 *
 * From lesson05-cgroups on.
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

/* A container's name is part of its cgroups' paths and of its record's:
   the rules of a hostname keep '/' and ".." out. */
void
opt_name(const struct opt *o, const char *arg, struct config *c)
{
    const char *why = check_hostname(arg);

    if (why != NULL)
        bad_usage("--%s \"%s\" %s", o->name, arg, why);
    opt_string(o, arg, c);
}

static void
opt_freeze(const struct opt *o, const char *arg, struct config *c)
{
    const char *why = check_hostname(arg);

    if (why != NULL)
        bad_usage("--freeze/--thaw \"%s\" %s", arg, why);
    opt_string(o, arg, c);
}

static const struct opt cgroup_rows[] = {
    {"name", 0, "NAME", "the container's name (default: cl-PID)", opt_name,
     FIELD(name)},
    {"freeze", 0, "NAME", "stop every process of a running container",
     opt_freeze, FIELD(freeze)},
    {"thaw", 0, "NAME", "let them run again", opt_freeze, FIELD(thaw)},
    {0},
};
const struct opt_table cgroup_opts = {.rows = cgroup_rows};

/* Each limit is checked as it is read, before anything is made: a bad one
   leaves no cgroup behind. */
static void
limit_memory(const struct opt *o, const char *arg, struct config *c)
{
    (void)o;
    if ((c->lim.memory = parse_size(arg)) <= 0)
        bad_usage("--memory %s is not a size, as 64M or 1G", arg);
}

static void
limit_memory_swap(const struct opt *o, const char *arg, struct config *c)
{
    (void)o;
    c->lim.memory_swap = strcmp(arg, "-1") == 0 ? -1 : parse_size(arg);
    if (c->lim.memory_swap == 0 || c->lim.memory_swap < -1)
        bad_usage("--memory-swap %s is not a size, or -1", arg);
}

static void
limit_cpus(const struct opt *o, const char *arg, struct config *c)
{
    double cpus;
    char *end;

    (void)o;
    cpus = strtod(arg, &end);
    if (*end != '\0' || end == arg || !(cpus >= 0.01))
        bad_usage("--cpus %s: a number of CPUs from 0.01, as 0.5", arg);
    if (cpus > sysconf(_SC_NPROCESSORS_ONLN))
        bad_usage("--cpus %s: this host has %ld CPUs", arg,
                  sysconf(_SC_NPROCESSORS_ONLN));
    c->lim.cpu_period = 100000;
    c->lim.cpu_quota = (long)(cpus * 100000 + 0.5);
}

static void
limit_cpu_shares(const struct opt *o, const char *arg, struct config *c)
{
    char *end;
    long n = strtol(arg, &end, 10);

    (void)o;
    if (*end != '\0' || n < 2 || n > 262144)
        bad_usage("--cpu-shares %s: from 2 to 262144", arg);
    c->lim.cpu_shares = (unsigned long)n;
}

/* --cpuset-cpus and --cpuset-mems: a set the kernel has online, or
   writing cpuset.cpus would fail with EINVAL after the cgroup is made. */
static void
limit_cpuset(const struct opt *o, const char *arg, struct config *c)
{
    const char *what = o->at == FIELD(lim.cpuset_cpus) ? "cpu" : "node";
    unsigned long long mask[16];

    if (parse_cpu_list(arg, mask) == -1)
        bad_usage("--cpuset-%ss %s is not a list, as 0-1,3", what, arg);
    if (!within_online(mask, what))
        bad_usage("--cpuset-%ss %s: not all are online on this host "
                  "(/sys/devices/system/%s/online)",
                  what, arg, what);
    opt_string(o, arg, c);
}

static void
limit_pids(const struct opt *o, const char *arg, struct config *c)
{
    char *end;
    long n;

    (void)o;
    n = strcmp(arg, "max") == 0 ? -1 : strtol(arg, &end, 10);
    if (n != -1 && (*end != '\0' || end == arg || n <= 0))
        bad_usage("--pids-limit %s: a number above 0, or max", arg);
    c->lim.pids = n;
}

static void
limit_blkio_weight(const struct opt *o, const char *arg, struct config *c)
{
    char *end;
    long n = strtol(arg, &end, 10);

    (void)o;
    if (*end != '\0' || n < 10 || n > 1000)
        bad_usage("--blkio-weight %s: from 10 to 1000", arg);
    c->lim.blkio_weight = (unsigned long)n;
}

/* The four throttles: the row's at is the kind, READ_BPS .. WRITE_IOPS. */
static void
limit_throttle(const struct opt *o, const char *arg, struct config *c)
{
    struct limits *l = &c->lim;
    const char *why;

    if (l->n_throttle == 8)
        bad_usage("at most 8 device throttles");
    why = parse_throttle(arg, (int)o->at, &l->throttle[l->n_throttle]);
    if (why != NULL)
        bad_usage("%s %s", "--device-...-bps/iops", why);
    l->n_throttle++;
}

static void
limit_device(const struct opt *o, const char *arg, struct config *c)
{
    struct limits *l = &c->lim;
    const char *why;

    (void)o;
    if (l->n_devices == MAX_DEV_RULES)
        bad_usage("at most %d device rules", MAX_DEV_RULES);
    why = parse_dev_rule(arg, &l->devices[l->n_devices]);
    if (why != NULL)
        bad_usage("--device \"%s\" %s", arg, why);
    l->n_devices++;
}

static void
limit_net_classid(const struct opt *o, const char *arg, struct config *c)
{
    char *end;

    (void)o;
    strtoul(arg, &end, 0);
    if (*end != '\0' || end == arg)
        bad_usage("--net-classid %s: a number, as 0x100001", arg);
    c->lim.net_classid = arg;
}

static void
limit_net_prio(const struct opt *o, const char *arg, struct config *c)
{
    const char *eq = strchr(arg, '=');
    char *end;

    (void)o;
    if (eq == NULL || eq == arg || eq - arg >= IFNAMSIZ ||
        strtol(eq + 1, &end, 10) < 0 || *end != '\0' || end == eq + 1)
        bad_usage("--net-prio %s: IF=PRIO, as eth0=5", arg);
    c->lim.net_prio = arg;
}

/* "2MB:64M": a huge page size this host has, in /sys/kernel/mm/hugepages,
   and a limit. */
static void
limit_hugetlb(const struct opt *o, const char *arg, struct config *c)
{
    const char *colon = strchr(arg, ':');
    struct limits *l = &c->lim;
    char *end, path[96];
    long n;

    (void)o;
    n = colon == NULL ? 0 : strtol(arg, &end, 10);
    if (colon == NULL || n <= 0 ||
        colon - arg >= (long)sizeof(l->hugetlb_size) ||
        (strncmp(end, "MB:", 3) != 0 && strncmp(end, "GB:", 3) != 0) ||
        (l->hugetlb_limit = parse_size(colon + 1)) <= 0)
        bad_usage("--hugetlb %s: SIZE:LIMIT, as 2MB:64M", arg);
    snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%ldkB",
             *end == 'M' ? n * 1024 : n * 1024 * 1024);
    if (access(path, F_OK) == -1)
        bad_usage("--hugetlb %s: this host has no %.*s huge pages (%s)", arg,
                  (int)(colon - arg), arg, path);
    snprintf(l->hugetlb_size, sizeof(l->hugetlb_size), "%.*s",
             (int)(colon - arg), arg);
}

/* The cgroups go under it: no "..", which would climb out of the
   hierarchy. */
static void
opt_cgroup_parent(const struct opt *o, const char *arg, struct config *c)
{
    (void)o;
    if (strstr(arg, "..") != NULL || *arg == '\0')
        bad_usage("--cgroup-parent %s: no \"..\", not empty", arg);
    c->cgroup_parent = arg;
}

/* Deny every device, then allow those a program expects. */
static void
limit_defaults(struct config *c)
{
    static const struct dev_rule default_devices[] = {
        {'a', -1, -1, 7, 0}, {'c', 1, 3, 7, 1}, {'c', 1, 5, 7, 1},
        {'c', 1, 7, 7, 1},   {'c', 1, 8, 7, 1}, {'c', 1, 9, 7, 1},
        {'c', 5, 0, 7, 1},   {'c', 5, 2, 7, 1}, {'c', 136, -1, 7, 1},
    };

    c->cgroup_parent = "container-lessons";
    memcpy(c->lim.devices, default_devices, sizeof(default_devices));
    c->lim.n_devices = sizeof(default_devices) / sizeof(default_devices[0]);
}

/* --memory-swap is memory and swap together, as v1's
   memory.memsw.limit_in_bytes: the kernel refuses one below the memory
   limit. */
static void
limit_check(struct config *c)
{
    if (c->lim.memory_swap > 0 && c->lim.memory_swap < c->lim.memory)
        bad_usage("--memory-swap is memory and swap together: at least "
                  "--memory");
    if (c->lim.memory_swap != 0 && c->lim.memory == 0)
        bad_usage("--memory-swap needs --memory");
}

static const struct opt limit_rows[] = {
    {"memory", 0, "SIZE", "memory; then the OOM killer", limit_memory, 0},
    {"memory-swap", 0, "SIZE", "memory and swap together (-1: any)",
     limit_memory_swap, 0},
    {"cpus", 0, "N.N", "CPU time, in CPUs (0.5: half of one)", limit_cpus, 0},
    {"cpu-shares", 0, "N", "CPU weight under contention (2..262144)",
     limit_cpu_shares, 0},
    {"cpuset-cpus", 0, "LIST", "the CPUs it may run on, as 0-1,3", limit_cpuset,
     FIELD(lim.cpuset_cpus)},
    {"cpuset-mems", 0, "LIST", "the memory nodes it may use", limit_cpuset,
     FIELD(lim.cpuset_mems)},
    {"pids-limit", 0, "N|max",
     "processes and threads (default " DEFAULT_PIDS_TEXT ")", limit_pids, 0},
    {"blkio-weight", 0, "N", "I/O weight (10..1000)", limit_blkio_weight, 0},
    {"device-read-bps", 0, "DEV:RATE", "bytes read from a block device",
     limit_throttle, READ_BPS},
    {"device-write-bps", 0, "DEV:RATE", "bytes written to it", limit_throttle,
     WRITE_BPS},
    {"device-read-iops", 0, "DEV:N", "reads from it, a second", limit_throttle,
     READ_IOPS},
    {"device-write-iops", 0, "DEV:N", "writes to it, a second", limit_throttle,
     WRITE_IOPS},
    {"device", 0, "RULE", "also allow a device: \"c 1:3 rwm\", * for any",
     limit_device, 0},
    {"net-classid", 0, "ID", "net_cls class id for tc, as 0x100001",
     limit_net_classid, 0},
    {"net-prio", 0, "IF=N", "net_prio priority of eth0 (or IF) inside",
     limit_net_prio, 0},
    {"hugetlb", 0, "SIZE:LIMIT", "huge pages, as 2MB:64M", limit_hugetlb, 0},
    {"cgroup-parent", 0, "DIR",
     "where the cgroups go (default:\ncontainer-lessons, under ours on v1)",
     opt_cgroup_parent, 0},
    {0},
};
const struct opt_table limit_opts = {
    .heading = "Limits (cgroups; sizes as 64M or 1G, rates as 1M per second):",
    .rows = limit_rows,
    .defaults = limit_defaults,
    .check = limit_check};
