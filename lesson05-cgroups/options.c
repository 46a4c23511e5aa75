/*
 * options.c: options.
 *
 * From lesson01-uts on; read run.c first.
 */
#include "run.h"

#define DEFAULT_BRIDGE "cl-br0"

static void
usage(FILE *out)
{
    fputs(
        "usage: run [OPTIONS] [--] [COMMAND [ARG...]]\n"
        "Run COMMAND (default /bin/sh) in new UTS, PID, mount and network\n"
        "namespaces, with the directory ROOTFS as its root, limited by\n"
        "cgroups.\n"
        "\n"
        "  -q, --quiet          no narration\n"
        "      --hostname NAME  the container's hostname (default: container)\n"
        "      --init           a tiny init is PID 1, the command PID 2\n"
        "      --rootfs DIR     the container's root (default: build/rootfs)\n"
        "      --chroot         chroot(2), not pivot_root(2): to compare\n"
        "      --net MODE       none: only lo; veth (default): a pair to the\n"
        "                       host; bridge: on a bridge with other ones\n"
        "      --ip ADDR/LEN    the container's address (default: a free one)\n"
        "      --bridge NAME    the bridge, cl-..., made on first use\n"
        "                       (default: " DEFAULT_BRIDGE ")\n"
        "      --cleanup        remove what killed runs left: cgroups,\n"
        "                       unused bridges, stale address leases\n"
        "      --name NAME      the container's name (default: cl-PID)\n"
        "      --freeze NAME    stop every process of a running container\n"
        "      --thaw NAME      let them run again\n"
        "Limits (cgroups; sizes as 64M or 1G, rates as 1M per second):\n"
        "      --memory SIZE    memory; then the OOM killer\n"
        "      --memory-swap SIZE  memory and swap together (-1: any)\n"
        "      --cpus N.N       CPU time, in CPUs (0.5: half of one)\n"
        "      --cpu-shares N   CPU weight under contention (2..262144)\n"
        "      --cpuset-cpus LIST, --cpuset-mems LIST  CPUs, memory nodes\n"
        "      --pids-limit N|max  processes and threads "
        "(default " DEFAULT_PIDS_TEXT ")\n"
        "      --blkio-weight N I/O weight (10..1000)\n"
        "      --device-read-bps DEV:RATE, --device-write-bps DEV:RATE,\n"
        "      --device-read-iops DEV:N, --device-write-iops DEV:N\n"
        "      --device RULE    also allow a device: \"c 1:3 rwm\", * for any\n"
        "      --net-classid ID net_cls class id for tc, as 0x100001\n"
        "      --net-prio IF=N  net_prio priority of eth0 (or IF) inside\n"
        "      --hugetlb SIZE:LIMIT  huge pages, as 2MB:64M\n"
        "      --cgroup-parent DIR  where the cgroups go (default:\n"
        "                       container-lessons, under ours on v1)\n"
        "  -h, --help           this help\n"
        "\n"
        "Words after the options are the command's, even if they start\n"
        "with '-'. Exit status: the command's, 128+N if it was killed by\n"
        "signal N; 125 if the runtime fails, 126 if the command cannot be\n"
        "executed, 127 if it is not found.\n",
        out);
}

/* sethostname(2) takes up to HOST_NAME_MAX bytes; DNS (RFC 1123) less. */
static const char *
check_hostname(const char *name)
{
    size_t len = strlen(name);
    size_t i;

    if (len == 0)
        return "is empty";
    if (len > HOST_NAME_MAX)
        return "is longer than 64 bytes (HOST_NAME_MAX)";
    for (i = 0; i < len; i++) {
        if (strchr("abcdefghijklmnopqrstuvwxyz"
                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.",
                   name[i]) == NULL)
            return "may hold only letters, digits, '-' and '.'";
    }
    if (name[0] == '-' || name[0] == '.')
        return "may not start with '-' or '.'";
    return NULL;
}

/* A usage error: one line, a pointer to --help, exit 125. */
_Noreturn void
bad_usage(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(0, "see run --help", fmt, ap);
    va_end(ap);
    exit(EXIT_RUNTIME);
}

void
parse_args(int argc, char **argv, struct config *c)
{
    static const struct option longopts[] = {
        {"quiet", no_argument, NULL, 'q'},
        {"hostname", required_argument, NULL, 'H'},
        {"init", no_argument, NULL, 'I'},
        {"rootfs", required_argument, NULL, 'R'},
        {"chroot", no_argument, NULL, 'C'},
        {"net", required_argument, NULL, 'N'},
        {"ip", required_argument, NULL, 'P'},
        {"bridge", required_argument, NULL, 'B'},
        {"cleanup", no_argument, NULL, 'X'},
        {"name", required_argument, NULL, O_NAME},
        {"cgroup-parent", required_argument, NULL, O_CGROUP_PARENT},
        {"freeze", required_argument, NULL, O_FREEZE},
        {"thaw", required_argument, NULL, O_THAW},
        {"memory", required_argument, NULL, O_MEMORY},
        {"memory-swap", required_argument, NULL, O_MEMORY_SWAP},
        {"cpus", required_argument, NULL, O_CPUS},
        {"cpu-shares", required_argument, NULL, O_CPU_SHARES},
        {"cpuset-cpus", required_argument, NULL, O_CPUSET_CPUS},
        {"cpuset-mems", required_argument, NULL, O_CPUSET_MEMS},
        {"pids-limit", required_argument, NULL, O_PIDS},
        {"blkio-weight", required_argument, NULL, O_BLKIO_WEIGHT},
        {"device-read-bps", required_argument, NULL, O_READ_BPS},
        {"device-write-bps", required_argument, NULL, O_WRITE_BPS},
        {"device-read-iops", required_argument, NULL, O_READ_IOPS},
        {"device-write-iops", required_argument, NULL, O_WRITE_IOPS},
        {"device", required_argument, NULL, O_DEVICE},
        {"net-classid", required_argument, NULL, O_NET_CLASSID},
        {"net-prio", required_argument, NULL, O_NET_PRIO},
        {"hugetlb", required_argument, NULL, O_HUGETLB},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static char *default_argv[] = {"/bin/sh", NULL};
    static const char *const net_modes[] = {"none", "veth", "bridge"};
    static const struct dev_rule default_devices[] = {
        {'a', -1, -1, 7, 0}, {'c', 1, 3, 7, 1}, {'c', 1, 5, 7, 1},
        {'c', 1, 7, 7, 1},   {'c', 1, 8, 7, 1}, {'c', 1, 9, 7, 1},
        {'c', 5, 0, 7, 1},   {'c', 5, 2, 7, 1}, {'c', 136, -1, 7, 1},
    };
    const char *why;
    int opt;

    c->hostname = "container";
    c->quiet = 0;
    c->init = 0;
    c->rootfs = NULL;
    c->chroot = 0;
    c->net = -1;
    c->bridge = NULL;
    c->ip = NULL;
    c->cleanup = 0;
    c->name = NULL;
    c->cgroup_parent = "container-lessons";
    c->freeze = c->thaw = NULL;
    memset(&c->lim, 0, sizeof(c->lim));
    /* Deny every device, then allow those a program expects. */
    memcpy(c->lim.devices, default_devices, sizeof(default_devices));
    c->lim.n_devices = sizeof(default_devices) / sizeof(default_devices[0]);
    opterr = 0;
    optind = 1;
    /* "+": stop at the first word that is not an option; it is the
       command's, and so are all the words after it. */
    while ((opt = getopt_long(argc, argv, "+:qh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'q':
            c->quiet = 1;
            break;
        case 'H':
            c->hostname = optarg;
            break;
        case 'I':
            c->init = 1;
            break;
        case 'R':
            c->rootfs = optarg;
            break;
        case 'C':
            c->chroot = 1;
            break;
        case 'N':
            for (c->net = 0; c->net < 3; c->net++)
                if (strcmp(optarg, net_modes[c->net]) == 0)
                    break;
            if (c->net == 3)
                bad_usage("--net %s: use none, veth or bridge", optarg);
            break;
        case 'P':
            c->ip = optarg;
            break;
        case 'B':
            c->bridge = optarg;
            break;
        case 'X':
            c->cleanup = 1;
            break;
        case O_NAME:
            if ((why = check_hostname(optarg)) != NULL)
                bad_usage("--name \"%s\" %s", optarg, why);
            c->name = optarg;
            break;
        case O_CGROUP_PARENT:
            if (strstr(optarg, "..") != NULL || *optarg == '\0')
                bad_usage("--cgroup-parent %s: no \"..\", not empty", optarg);
            c->cgroup_parent = optarg;
            break;
        case O_FREEZE:
        case O_THAW:
            if ((why = check_hostname(optarg)) != NULL)
                bad_usage("--freeze/--thaw \"%s\" %s", optarg, why);
            *(opt == O_FREEZE ? &c->freeze : &c->thaw) = optarg;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        case ':':
            bad_usage("option %s needs an argument", argv[optind - 1]);
        default:
            if (opt >= O_MEMORY) {
                parse_limit(opt, optarg, &c->lim);
                break;
            }
            if (optopt != 0)
                bad_usage("unknown option -%c", optopt);
            bad_usage("unknown option %s", argv[optind - 1]);
        }
    }
    why = check_hostname(c->hostname);
    if (why != NULL)
        bad_usage("--hostname \"%s\" %s", c->hostname, why);
    if (c->bridge != NULL && c->net != -1 && c->net != NET_BRIDGE)
        bad_usage("--bridge needs --net bridge, not --net %s",
                  net_modes[c->net]);
    if (c->net == -1)
        c->net = c->bridge != NULL ? NET_BRIDGE : NET_VETH;
    if (c->net == NET_BRIDGE && c->bridge == NULL)
        c->bridge = DEFAULT_BRIDGE;
    if (c->bridge != NULL && (why = check_bridge_name(c->bridge)) != NULL)
        bad_usage("--bridge \"%s\" %s", c->bridge, why);
    if (c->ip != NULL && c->net == NET_NONE)
        bad_usage("--ip needs a network: not with --net none");
    if (c->ip != NULL &&
        (why = parse_cidr(c->ip, &c->ip_addr, &c->ip_prefix)) != NULL)
        bad_usage("--ip %s %s", c->ip, why);
    if (c->lim.memory_swap > 0 && c->lim.memory_swap < c->lim.memory)
        bad_usage("--memory-swap is memory and swap together: at least "
                  "--memory");
    if (c->lim.memory_swap != 0 && c->lim.memory == 0)
        bad_usage("--memory-swap needs --memory");
    c->argv = optind < argc ? argv + optind : default_argv;
}
