/*
 * cleanup.c: --cleanup: what killed runs left, reclaimed: links, bridges,
 * leases, and from later lessons cgroups and directories.
 *
 * From lesson04-net on. Read: rtnetlink(7).
 */
#include "run.h"

/* --cleanup: what killed runtimes left: stale leases, unused bridges. */
static struct link_info {
    int index, master, bridge, veth;
    char name[IFNAMSIZ];
} links[512];
static int n_links;

static void
collect_link(const struct nlmsghdr *h, void *arg)
{
    const struct ifinfomsg *ifi = NLMSG_DATA(h);
    const struct rtattr *rta = IFLA_RTA(ifi), *sub;
    int len = IFLA_PAYLOAD(h), sublen;
    struct link_info *l;

    (void)arg;
    if (n_links == 512)
        return;
    l = &links[n_links++];
    memset(l, 0, sizeof(*l));
    l->index = ifi->ifi_index;
    for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
        if (rta->rta_type == IFLA_IFNAME)
            snprintf(l->name, sizeof(l->name), "%s", (char *)RTA_DATA(rta));
        else if (rta->rta_type == IFLA_MASTER)
            memcpy(&l->master, RTA_DATA(rta), sizeof(l->master));
        else if (rta->rta_type == IFLA_LINKINFO) {
            sublen = RTA_PAYLOAD(rta);
            for (sub = RTA_DATA(rta); RTA_OK(sub, sublen);
                 sub = RTA_NEXT(sub, sublen))
                if (sub->rta_type == IFLA_INFO_KIND) {
                    l->bridge = strcmp(RTA_DATA(sub), "bridge") == 0;
                    l->veth = strcmp(RTA_DATA(sub), "veth") == 0;
                }
        }
    }
}

int
cleanup(void)
{
    char buf[NL_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
    struct in_addr addr;
    struct dirent *d;
    int fd, i, j, ports, pid;
    DIR *dir;

    state_lock();
    dir = opendir(STATE_DIR);
    while (dir != NULL && (d = readdir(dir)) != NULL) {
        if (inet_pton(AF_INET, d->d_name, &addr) == 1)
            lease_live(addr);
    }
    if (dir != NULL)
        closedir(dir);
    fd = nl_open();
    n_links = 0;
    if (nl_talk(fd, nl_start(buf, RTM_GETLINK, 0, &ifi, sizeof(ifi)),
                "ip link show", collect_link, NULL) != 0)
        die(errno, NULL, "ip link show");
    /* The host's end of a container that is gone: its namespace is being
       freed in the background; remove it now, or its bridge looks used. */
    for (i = 0; i < n_links; i++) {
        pid = atoi(links[i].name + strlen(PREFIX));
        if (links[i].veth && pid > 0 && gone(pid) &&
            strncmp(links[i].name, PREFIX, strlen(PREFIX)) == 0) {
            link_delete(fd, links[i].index, links[i].name);
            links[i].master = 0;
        }
    }
    for (i = 0; i < n_links; i++) {
        if (!links[i].bridge ||
            strncmp(links[i].name, PREFIX, strlen(PREFIX)) != 0)
            continue;
        for (ports = 0, j = 0; j < n_links; j++)
            ports += links[j].master == links[i].index;
        if (ports == 0) {
            link_delete(fd, links[i].index, links[i].name);
            say("removed the bridge %s: no container is on it", links[i].name);
        } else
            say("kept %s: %d container(s) still on it", links[i].name, ports);
    }
    close(fd);
    state_unlock();
    return 0;
}
