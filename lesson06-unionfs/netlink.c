/*
 * netlink.c: rtnetlink, as ip(8) asks the kernel: messages that make links,
 * addresses and routes, and the kernel's answers.
 *
 * From lesson04-net on. Read: netlink(7), rtnetlink(7), ip-link(8),
 * ip-address(8), ip-route(8).
 */
#include "run.h"

/*
 * The kernel is asked for links, addresses and routes in rtnetlink
 * messages on a netlink socket: a struct nlmsghdr, a fixed header for the
 * message type (struct ifinfomsg for links, ifaddrmsg for addresses, rtmsg
 * for routes), then attributes, each a struct rtattr (length, type) and its
 * value, padded to 4 bytes. An attribute may nest others. This is what
 * ip(8) sends; `ip -d monitor` and `strace -e sendmsg ip ...` show it.
 */

#define NL_RECVSIZE 32768 /* a reply: a dump packs many messages in one */
char nl_why[256];         /* the kernel's own words for the last error */

/* Start a request of TYPE whose fixed header is HDR (LEN bytes). */
struct nlmsghdr *
nl_start(void *buf, int type, int flags, const void *hdr, size_t len)
{
    struct nlmsghdr *h = buf;

    memset(buf, 0, NL_BUFSIZE);
    h->nlmsg_len = NLMSG_LENGTH(len);
    h->nlmsg_type = type;
    h->nlmsg_flags = NLM_F_REQUEST | flags;
    memcpy(NLMSG_DATA(h), hdr, len);
    return h;
}

/* Append an attribute, padded; its length counts the value, not the pad. */
static struct rtattr *
nla_put(struct nlmsghdr *h, int type, const void *data, size_t len)
{
    struct rtattr *rta;

    if (NLMSG_ALIGN(h->nlmsg_len) + RTA_SPACE(len) > NL_BUFSIZE)
        die(EMSGSIZE, NULL, "netlink message");
    rta = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));
    rta->rta_type = type;
    rta->rta_len = RTA_LENGTH(len);
    if (len > 0)
        memcpy(RTA_DATA(rta), data, len);
    h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_SPACE(len);
    return rta;
}

static void
nla_put_str(struct nlmsghdr *h, int type, const char *s)
{
    nla_put(h, type, s, strlen(s) + 1);
}

static void
nla_put_u32(struct nlmsghdr *h, int type, uint32_t v)
{
    nla_put(h, type, &v, sizeof(v));
}

/* A nested attribute: open it, append its members, then close it, which
   sets its length to cover them. */
static struct rtattr *
nla_nest(struct nlmsghdr *h, int type)
{
    return nla_put(h, type, NULL, 0);
}

static void
nla_end(struct nlmsghdr *h, struct rtattr *nest)
{
    nest->rta_len = (char *)h + h->nlmsg_len - (char *)nest;
}

int
nl_open(void)
{
    int fd, on = 1;

    fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd == -1)
        die(errno, NULL, "socket(AF_NETLINK, NETLINK_ROUTE)");
    /* Extended acks: the kernel says in words what it did not like. */
    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof(on));
    return fd;
}

/* The kernel's words for an error, if it sent any (extended ack). */
static const char *
nl_ext_msg(const struct nlmsghdr *h)
{
    const struct nlmsgerr *e = NLMSG_DATA(h);
    const struct rtattr *rta;
    int len;

    if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
        return NULL;
    /* The TLVs follow the error and, unless capped, the whole request. */
    len = sizeof(*e);
    if (!(h->nlmsg_flags & NLM_F_CAPPED))
        len += e->msg.nlmsg_len - NLMSG_HDRLEN;
    rta = (const struct rtattr *)((const char *)e + NLMSG_ALIGN(len));
    len = h->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(len);
    for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
        if (rta->rta_type == NLMSGERR_ATTR_MSG)
            return RTA_DATA(rta);
    return NULL;
}

/*
 * Send a request and read the kernel's answer: an NLMSG_ERROR message
 * whose error is 0 (done) or a negative errno. With a callback, the
 * request is a dump: every reply message goes to it until NLMSG_DONE.
 * Narrates the request with the ip(8) command that would do the same.
 * Returns 0 or the errno; the kernel's words go to nl_why.
 */
int
nl_talk(int fd, struct nlmsghdr *req, const char *ip_cmd,
        void (*each)(const struct nlmsghdr *, void *), void *arg)
{
    static const char *const types[] = {
        [RTM_NEWLINK] = "RTM_NEWLINK", [RTM_DELLINK] = "RTM_DELLINK",
        [RTM_GETLINK] = "RTM_GETLINK", [RTM_NEWADDR] = "RTM_NEWADDR",
        [RTM_GETADDR] = "RTM_GETADDR", [RTM_NEWROUTE] = "RTM_NEWROUTE",
    };
    static uint32_t seq;
    static char buf[NL_RECVSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    struct nlmsghdr *h;
    ssize_t n;
    int len;

    req->nlmsg_seq = ++seq;
    req->nlmsg_flags |= each ? NLM_F_DUMP : NLM_F_ACK;
    if (ip_cmd != NULL)
        tell("%snetlink %s = %s", side, types[req->nlmsg_type], ip_cmd);
    if (send(fd, req, req->nlmsg_len, 0) == -1)
        die(errno, NULL, "send to netlink: %s", types[req->nlmsg_type]);
    nl_why[0] = '\0';
    for (;;) {
        n = recv(fd, buf, sizeof(buf), 0);
        if (n == -1)
            die(errno, NULL, "recv from netlink");
        len = (int)n;
        for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
             h = NLMSG_NEXT(h, len)) {
            if (h->nlmsg_seq != req->nlmsg_seq)
                continue;
            if (h->nlmsg_type == NLMSG_DONE)
                return 0;
            if (h->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *e = NLMSG_DATA(h);
                const char *why = nl_ext_msg(h);

                if (why != NULL)
                    snprintf(nl_why, sizeof(nl_why), "%s", why);
                return -e->error;
            }
            if (each != NULL)
                each(h, arg);
        }
    }
}

/* The same, for requests whose failure ends the run. */
static void
nl_must(int fd, struct nlmsghdr *req, const char *ip_cmd)
{
    int err = nl_talk(fd, req, ip_cmd, NULL, NULL);

    if (err != 0)
        die(err, nl_why[0] ? nl_why : NULL, "%s", ip_cmd);
}

void
link_set_up(int fd, const char *name, const char *master)
{
    char buf[NL_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    char cmd[96];
    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
    struct nlmsghdr *h;

    ifi.ifi_index = (int)if_nametoindex(name);
    if (ifi.ifi_index == 0)
        die(errno, NULL, "no interface %s", name);
    ifi.ifi_flags = IFF_UP;
    ifi.ifi_change = IFF_UP;
    h = nl_start(buf, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
    if (master != NULL)
        nla_put_u32(h, IFLA_MASTER, if_nametoindex(master));
    snprintf(cmd, sizeof(cmd), "ip link set %s%s%s up", name,
             master != NULL ? " master " : "", master != NULL ? master : "");
    nl_must(fd, h, cmd);
}

int
addr_add(int fd, const char *name, struct in_addr addr, int prefix)
{
    char buf[NL_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    char cmd[96];
    struct ifaddrmsg ifa = {.ifa_family = AF_INET};
    struct nlmsghdr *h;

    ifa.ifa_prefixlen = (unsigned char)prefix;
    ifa.ifa_scope = RT_SCOPE_UNIVERSE;
    ifa.ifa_index = if_nametoindex(name);
    if (ifa.ifa_index == 0)
        die(errno, NULL, "no interface %s", name);
    h = nl_start(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa,
                 sizeof(ifa));
    nla_put(h, IFA_LOCAL, &addr, sizeof(addr));
    nla_put(h, IFA_ADDRESS, &addr, sizeof(addr));
    snprintf(cmd, sizeof(cmd), "ip addr add %s/%d dev %s", inet_ntoa(addr),
             prefix, name);
    return nl_talk(fd, h, cmd, NULL, NULL);
}

/* ip link add HOST type veth peer name PEER netns PID: a pair of linked
   interfaces, the peer created straight inside the container's network
   namespace, so that it never appears on the host. */
void
veth_create(int fd, const char *host, const char *peer, pid_t pid)
{
    char buf[NL_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    char cmd[128];
    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
    struct rtattr *linkinfo, *data, *peerinfo;
    struct nlmsghdr *h;

    h = nl_start(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi,
                 sizeof(ifi));
    nla_put_str(h, IFLA_IFNAME, host);
    linkinfo = nla_nest(h, IFLA_LINKINFO);
    nla_put_str(h, IFLA_INFO_KIND, "veth");
    data = nla_nest(h, IFLA_INFO_DATA);
    /* VETH_INFO_PEER holds a whole link description: its own ifinfomsg,
       then the peer's attributes. */
    peerinfo = nla_put(h, VETH_INFO_PEER, &ifi, sizeof(ifi));
    nla_put_str(h, IFLA_IFNAME, peer);
    nla_put_u32(h, IFLA_NET_NS_PID, (uint32_t)pid);
    nla_end(h, peerinfo);
    nla_end(h, data);
    nla_end(h, linkinfo);
    snprintf(cmd, sizeof(cmd), "ip link add %s type veth peer name %s netns %d",
             host, peer, (int)pid);
    nl_must(fd, h, cmd);
}

void
bridge_create(int fd, const char *name)
{
    char buf[NL_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    char cmd[96];
    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
    struct rtattr *linkinfo;
    struct nlmsghdr *h;

    h = nl_start(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi,
                 sizeof(ifi));
    nla_put_str(h, IFLA_IFNAME, name);
    linkinfo = nla_nest(h, IFLA_LINKINFO);
    nla_put_str(h, IFLA_INFO_KIND, "bridge");
    nla_end(h, linkinfo);
    snprintf(cmd, sizeof(cmd), "ip link add %s type bridge", name);
    nl_must(fd, h, cmd);
}

/* Deleting one end of a veth pair deletes both. ENODEV: it was gone. */
void
link_delete(int fd, int index, const char *name)
{
    char buf[NL_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    char cmd[64];
    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = index};
    int err;

    snprintf(cmd, sizeof(cmd), "ip link del %s", name);
    err = nl_talk(fd, nl_start(buf, RTM_DELLINK, 0, &ifi, sizeof(ifi)), cmd,
                  NULL, NULL);
    if (err != 0 && err != ENODEV)
        die(err, nl_why[0] ? nl_why : NULL, "%s", cmd);
}

void
route_add_default(int fd, struct in_addr gw, const char *dev)
{
    char buf[NL_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    char cmd[96];
    struct rtmsg rt = {
        .rtm_family = AF_INET,
        .rtm_table = RT_TABLE_MAIN,
        .rtm_protocol = RTPROT_BOOT,
        .rtm_scope = RT_SCOPE_UNIVERSE,
        .rtm_type = RTN_UNICAST,
    };
    struct nlmsghdr *h;

    h = nl_start(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &rt, sizeof(rt));
    nla_put(h, RTA_GATEWAY, &gw, sizeof(gw));
    nla_put_u32(h, RTA_OIF, if_nametoindex(dev));
    snprintf(cmd, sizeof(cmd), "ip route add default via %s dev %s",
             inet_ntoa(gw), dev);
    nl_must(fd, h, cmd);
}
