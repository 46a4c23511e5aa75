/*
 * net.c: the network: planned before clone(), the veth pair made with its
 * peer in the child's namespace, configured inside; the host's end goes
 * with that namespace.
 *
 * From lesson04-net on. Read: network_namespaces(7), veth(4).
 */
#include "run.h"

#define VETH_NET   "172.30.0.0" /* --net veth: 172.30.N.0/24 a pair */
#define BRIDGE_NET "172.31.0.0" /* new bridges: 172.31.K.0/24 each */
struct net_plan net;

/* The bridge's network: its address if it exists, else a free
   172.31.K.0/24 that it will keep for good. 1 if it must be made. */
static int
bridge_plan(void)
{
    int i, index = (int)if_nametoindex(cfg.bridge);

    for (i = 0; index != 0 && i < n_host_addrs; i++) {
        if (host_addrs[i].index == index) {
            net.gw = host_addrs[i].addr;
            net.prefix = host_addrs[i].prefix;
            return 0;
        }
    }
    if (index != 0)
        die(0, "give it an IPv4 address, or choose another --bridge",
            "bridge %s has no IPv4 address", cfg.bridge);
    for (i = 0; i < 256; i++) {
        inet_pton(AF_INET, BRIDGE_NET, &net.gw);
        net.gw.s_addr = htonl(ntohl(net.gw.s_addr) + (i << 8) + 1);
        net.prefix = 24;
        if (!subnet_taken(net.gw, 24))
            return 1;
    }
    die(0, "remove unused bridges: run --cleanup",
        "no free subnet in " BRIDGE_NET "/16 for a bridge");
}

static void
bridge_make(int fd)
{
    int err;

    bridge_create(fd, cfg.bridge);
    err = addr_add(fd, cfg.bridge, net.gw, net.prefix);
    if (err != 0)
        die(err, nl_why[0] ? nl_why : NULL, "ip addr add %s/%d dev %s",
            inet_ntoa(net.gw), net.prefix, cfg.bridge);
    link_set_up(fd, cfg.bridge, NULL);
    say("the bridge %s is %s/%d, the containers' gateway; it stays until "
        "run --cleanup finds it unused",
        cfg.bridge, inet_ntoa(net.gw), net.prefix);
}

/*
 * Choose the container's address and, with --net veth, the host end's,
 * under the lock, and take a lease on it; with --net bridge, make the
 * bridge if it is new. All before clone(), so that the child has the
 * plan in its copy of memory.
 */
void
plan_net(void)
{
    uint32_t host, first, hosts;
    int fd, new_bridge = 0;

    if (cfg.net == NET_NONE)
        return;
    state_lock();
    fd = nl_open();
    dump_host_addrs(fd);
    if (cfg.net == NET_BRIDGE)
        new_bridge = bridge_plan();
    if (cfg.ip != NULL) {
        net.addr = cfg.ip_addr;
        if (cfg.net == NET_VETH) {
            net.prefix = cfg.ip_prefix;
            net.gw = peer_in_subnet(net.addr, net.prefix);
            if (subnet_taken(net.addr, net.prefix))
                die(0, "choose another --ip, or leave it out",
                    "--ip %s/%d: address already in use: the host has "
                    "that network",
                    inet_ntoa(net.addr), net.prefix);
        } else if (cfg.ip_prefix != net.prefix ||
                   ((net.addr.s_addr ^ net.gw.s_addr) & netmask(net.prefix))) {
            die(0, "choose an address in the bridge's network",
                "--ip %s: bridge %s's network is %s/%d", cfg.ip, cfg.bridge,
                inet_ntoa(net.gw), net.prefix);
        } else if (net.addr.s_addr == net.gw.s_addr) {
            die(0, "choose another address in its network",
                "--ip %s is bridge %s's own address", cfg.ip, cfg.bridge);
        }
        if (lease_live(net.addr))
            die(0, "choose another --ip, or leave it out",
                "--ip %s: address already in use by another container",
                inet_ntoa(net.addr));
    } else if (cfg.net == NET_VETH) {
        /* One 172.30.N.0/24 per pair: N.1 on the host, N.2 inside. */
        for (host = 1; host < 255; host++) {
            inet_pton(AF_INET, VETH_NET, &net.gw);
            net.gw.s_addr = htonl(ntohl(net.gw.s_addr) + (host << 8) + 1);
            net.addr.s_addr = htonl(ntohl(net.gw.s_addr) + 1);
            net.prefix = 24;
            if (!subnet_taken(net.gw, 24) && !lease_live(net.addr))
                break;
        }
        if (host == 255)
            die(0, "stop some containers, or run --cleanup",
                "no free subnet in " VETH_NET "/16");
    } else {
        /* The first address of the bridge's network not leased. */
        first = ntohl(net.gw.s_addr & netmask(net.prefix));
        hosts = net.prefix >= 31 ? 0 : (1u << (32 - net.prefix)) - 2;
        for (host = 1; host <= hosts; host++) {
            net.addr.s_addr = htonl(first + host);
            if (net.addr.s_addr != net.gw.s_addr && !lease_live(net.addr))
                break;
        }
        if (host > hosts)
            die(0, "stop some containers, or run --cleanup",
                "no free address on bridge %s", cfg.bridge);
    }
    if (new_bridge)
        bridge_make(fd);
    lease_take(net.addr);
    close(fd);
    state_unlock();
}

/* The host's end: the veth pair, then its address or its bridge. */
void
connect_net(pid_t child)
{
    int fd, err;

    if (cfg.net == NET_NONE)
        return;
    fd = nl_open();
    snprintf(net.host_if, sizeof(net.host_if), PREFIX "%d", (int)getpid());
    veth_create(fd, net.host_if, "eth0", child);
    if (cfg.net == NET_VETH) {
        err = addr_add(fd, net.host_if, net.gw, net.prefix);
        if (err != 0)
            die(err, err == EEXIST ? "choose another --ip" : nl_why,
                "ip addr add %s/%d dev %s", inet_ntoa(net.gw), net.prefix,
                net.host_if);
        link_set_up(fd, net.host_if, NULL);
    } else {
        link_set_up(fd, net.host_if, cfg.bridge);
    }
    close(fd);
    say("the container will be %s/%d behind %s (%s); the pair goes when "
        "its network namespace does",
        inet_ntoa(net.addr), net.prefix, net.host_if,
        cfg.net == NET_VETH ? "its gateway" : "a port of the bridge");
}

/*
 * After the container: the kernel deletes the pair when it frees the
 * container's network namespace, in the background, a moment after its
 * last process exits. The runtime does not wait for it, nor deletes it
 * itself: a deletion waits for an RCU grace period (30 ms on a busy host),
 * and would make every exit that much slower. --cleanup deletes the end
 * of a runtime that is gone, if it is still there.
 */
void
disconnect_net(void)
{
    if (net.host_if[0] != '\0')
        tell("%s goes with the container's network namespace: the kernel "
             "deletes the pair in the background",
             net.host_if);
}

/* Inside the container, its own netlink socket sees only lo and eth0. */
void
configure_net(void)
{
    char gw[INET_ADDRSTRLEN];
    int fd, err;

    fd = nl_open();
    link_set_up(fd, "lo", NULL);
    if (cfg.net != NET_NONE) {
        err = addr_add(fd, "eth0", net.addr, net.prefix);
        if (err != 0)
            die(err, nl_why[0] ? nl_why : NULL, "ip addr add %s/%d dev eth0",
                inet_ntoa(net.addr), net.prefix);
        link_set_up(fd, "eth0", NULL);
        route_add_default(fd, net.gw, "eth0");
    }
    close(fd);
    if (cfg.net == NET_NONE)
        say("child: lo is up, and alone: a network namespace with no way "
            "out");
    else /* inet_ntoa() has one buffer: the gateway's address goes in gw */
        say("child: lo and eth0 are up, eth0 is %s/%d, the default route "
            "goes via %s: over rtnetlink, as ip(8) does",
            inet_ntoa(net.addr), net.prefix,
            inet_ntop(AF_INET, &net.gw, gw, sizeof(gw)));
}
