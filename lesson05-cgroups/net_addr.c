/*
 * net_addr.c: addresses: the host's, and leases of the containers' ones, so
 * that two runs never share one.
 *
 * From lesson04-net on. Read: ip-address(8).
 */
#include "run.h"

/* The netmask of a prefix length, in network byte order. */
uint32_t
netmask(int prefix)
{
    return prefix == 0 ? 0 : htonl(~0u << (32 - prefix));
}

/* The IPv4 addresses on the host: a dump of RTM_GETADDR (ip -4 addr). */
struct host_addr host_addrs[256];
int n_host_addrs;

static void
collect_addr(const struct nlmsghdr *h, void *arg)
{
    const struct ifaddrmsg *ifa = NLMSG_DATA(h);
    const struct rtattr *rta = IFA_RTA(ifa);
    int len = IFA_PAYLOAD(h);

    (void)arg;
    if (ifa->ifa_family != AF_INET || n_host_addrs == 256)
        return;
    for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
        if (rta->rta_type == IFA_LOCAL) {
            struct host_addr *a = &host_addrs[n_host_addrs++];

            memcpy(&a->addr, RTA_DATA(rta), sizeof(a->addr));
            a->prefix = ifa->ifa_prefixlen;
            a->index = (int)ifa->ifa_index;
        }
    }
}

void
dump_host_addrs(int fd)
{
    char buf[NL_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    struct ifaddrmsg ifa = {.ifa_family = AF_INET};
    int err;

    n_host_addrs = 0;
    err = nl_talk(fd, nl_start(buf, RTM_GETADDR, 0, &ifa, sizeof(ifa)),
                  "ip -4 addr show", collect_addr, NULL);
    if (err != 0)
        die(err, NULL, "ip -4 addr show");
}

/* Does ADDR/PREFIX overlap a network the host already has? */
int
subnet_taken(struct in_addr addr, int prefix)
{
    int i, p;

    for (i = 0; i < n_host_addrs; i++) {
        p = prefix < host_addrs[i].prefix ? prefix : host_addrs[i].prefix;
        if (((addr.s_addr ^ host_addrs[i].addr.s_addr) & netmask(p)) == 0)
            return 1;
    }
    return 0;
}

/*
 * A lease is a file STATE_DIR/ADDRESS holding "PID STARTTIME" of the
 * runtime that uses ADDRESS, which removes it at exit. A runtime that was
 * killed leaves it behind; a lease whose process is gone is stale, and is
 * reclaimed here by the next run (or by --cleanup).
 */
int
lease_live(struct in_addr addr)
{
    char path[64];
    const char *why;
    FILE *f;

    snprintf(path, sizeof(path), STATE_DIR "/%s", inet_ntoa(addr));
    f = state_open(path, &why);
    if (f == NULL && why != NULL)
        die(0, "remove it: a lease is root's own file, mode 0600",
            "refusing the lease %s: %s", path, why);
    if (f == NULL)
        return 0;
    if (owner_alive(f)) {
        fclose(f);
        return 1;
    }
    fclose(f);
    say("reclaimed %s, left by a runtime that was killed", path);
    unlink(path);
    return 0;
}

static char lease_path[64];
static pid_t lease_owner;

static void
lease_release(void)
{
    if (lease_path[0] != '\0' && getpid() == lease_owner)
        unlink(lease_path);
}

void
lease_take(struct in_addr addr)
{
    FILE *f;

    snprintf(lease_path, sizeof(lease_path), STATE_DIR "/%s", inet_ntoa(addr));
    lease_owner = getpid();
    f = state_create(lease_path);
    if (f == NULL)
        die(errno, NULL, "create %s", lease_path);
    put_owner(f);
    if (fclose(f) != 0)
        die(errno, NULL, "write %s", lease_path);
    atexit(lease_release);
}

/* The first usable address of ADDR/PREFIX's subnet, or the second if ADDR
   is the first: the host's end of a veth pair given --ip. */
struct in_addr
peer_in_subnet(struct in_addr addr, int prefix)
{
    struct in_addr gw;
    uint32_t net = ntohl(addr.s_addr) & ntohl(netmask(prefix));

    gw.s_addr = htonl(net + 1);
    if (gw.s_addr == addr.s_addr)
        gw.s_addr = htonl(net + 2);
    return gw;
}
