/*
 * net_options.c: the network's options: --net, --ip, --bridge, --cleanup.
 *
 * From lesson04-net on. Read: ip-address(8).
 */
#include "run.h"

/* "ADDR/PREFIX": room for the container and its gateway, and neither the
   network's own address nor its broadcast address. */
const char *
parse_cidr(const char *s, struct in_addr *addr, int *prefix)
{
    const char *slash = strchr(s, '/');
    char buf[INET_ADDRSTRLEN], *end;
    uint32_t host, mask;
    long p;

    if (slash == NULL)
        return "needs a prefix length, as in 172.30.9.2/24";
    if ((size_t)(slash - s) >= sizeof(buf))
        return "is not an IPv4 address";
    memcpy(buf, s, slash - s);
    buf[slash - s] = '\0';
    if (inet_pton(AF_INET, buf, addr) != 1)
        return "is not an IPv4 address";
    p = strtol(slash + 1, &end, 10);
    if (end == slash + 1 || *end != '\0' || p < 0 || p > 32)
        return "has a prefix length that is not 0 to 32";
    if (p < 8 || p > 30)
        return "needs a prefix length from 8 to 30 (room for the container "
               "and its gateway)";
    mask = ntohl(netmask((int)p));
    host = ntohl(addr->s_addr) & ~mask;
    if (host == 0 || host == ~mask)
        return "is the network's own or its broadcast address";
    *prefix = (int)p;
    return NULL;
}

/* Interface names hold IFNAMSIZ - 1 = 15 bytes. */
const char *
check_bridge_name(const char *name)
{
    size_t i, len = strlen(name);

    if (len >= IFNAMSIZ)
        return "is longer than 15 bytes (IFNAMSIZ)";
    if (strncmp(name, PREFIX, strlen(PREFIX)) != 0 || len == strlen(PREFIX))
        return "must start with \"" PREFIX "\", so that run --cleanup can "
               "find it";
    for (i = 0; i < len; i++) {
        if (strchr("abcdefghijklmnopqrstuvwxyz"
                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.",
                   name[i]) == NULL)
            return "may hold only letters, digits, '-', '_' and '.'";
    }
    return NULL;
}

#define DEFAULT_BRIDGE "cl-br0"

static const char *const net_modes[] = {"none", "veth", "bridge"};

static void
opt_net(const struct opt *o, const char *arg, struct config *c)
{
    (void)o;
    for (c->net = 0; c->net < 3; c->net++)
        if (strcmp(arg, net_modes[c->net]) == 0)
            return;
    bad_usage("--net %s: use none, veth or bridge", arg);
}

/* -1: no --net, decided by net_check(). */
static void
net_defaults(struct config *c)
{
    c->net = -1;
}

/* --bridge alone means --net bridge. Names and the address are checked
   here, before anything is made: a half-made network would be left. */
static void
net_check(struct config *c)
{
    const char *why;

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
}

static const struct opt net_rows[] = {
    {"net", 0, "MODE",
     "none: only lo; veth (default): a pair to the\n"
     "host; bridge: on a bridge with other ones",
     opt_net, 0},
    {"ip", 0, "ADDR/LEN", "the container's address (default: a free one)",
     opt_string, FIELD(ip)},
    {"bridge", 0, "NAME",
     "the bridge, cl-..., made on first use\n(default: " DEFAULT_BRIDGE ")",
     opt_string, FIELD(bridge)},
    {"cleanup", 0, NULL,
     "remove what killed runs left: cgroups,\n"
     "unused bridges, stale address leases",
     opt_flag, FIELD(cleanup)},
    {0},
};
const struct opt_table net_opts = {
    .rows = net_rows, .defaults = net_defaults, .check = net_check};
