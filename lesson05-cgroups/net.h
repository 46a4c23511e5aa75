/*
 * net.h: what the files of the network share.
 *
 * From lesson04-net on; included by run.h.
 */
#ifndef NET_H
#define NET_H

#include <arpa/inet.h>
#include <dirent.h>
#include <net/if.h>
#include <stdint.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

/* Every object the runtime leaves visible on the host carries PREFIX, so
   that leftovers can be found; its state lives in STATE_DIR. */
#define PREFIX    "cl-"
#define STATE_DIR "/run/container-lessons"

enum { NET_NONE, NET_VETH, NET_BRIDGE };

/* The container's network, planned before clone(). */
struct net_plan {
    char host_if[IFNAMSIZ];  /* the host's end of the veth pair: cl-PID */
    struct in_addr addr, gw; /* the container's address and gateway */
    int prefix;
};

#define NL_BUFSIZE 4096 /* an rtnetlink request (netlink.c) */

/* state.c */
unsigned long long start_time(pid_t pid);
int gone(pid_t pid);
FILE *state_create(const char *path);
FILE *state_open(const char *path, const char **why);
void put_owner(FILE *f);
int owner_alive(FILE *f);
void state_lock(void);
void state_unlock(void);

/* net_addr.c */
uint32_t netmask(int prefix);
struct host_addr {
    struct in_addr addr;
    int prefix, index;
};
extern struct host_addr host_addrs[256];
extern int n_host_addrs;
void dump_host_addrs(int fd);
int subnet_taken(struct in_addr addr, int prefix);
int lease_live(struct in_addr addr);
void lease_take(struct in_addr addr);
struct in_addr peer_in_subnet(struct in_addr addr, int prefix);

/* net_options.c */
extern const struct opt_table net_opts;
const char *parse_cidr(const char *s, struct in_addr *addr, int *prefix);
const char *check_bridge_name(const char *name);

/* netlink.c */
extern char nl_why[256];
struct nlmsghdr *nl_start(void *buf, int type, int flags, const void *hdr,
                          size_t len);
int nl_open(void);
int nl_talk(int fd, struct nlmsghdr *req, const char *ip_cmd,
            void (*each)(const struct nlmsghdr *, void *), void *arg);
void link_set_up(int fd, const char *name, const char *master);
int addr_add(int fd, const char *name, struct in_addr addr, int prefix);
void veth_create(int fd, const char *host, const char *peer, pid_t pid);
void bridge_create(int fd, const char *name);
void link_delete(int fd, int index, const char *name);
void route_add_default(int fd, struct in_addr gw, const char *dev);

/* net.c */
extern struct net_plan net;
void plan_net(void);
void connect_net(pid_t child);
void disconnect_net(void);
void configure_net(void);

/* cleanup.c */
int cleanup(void);

#endif
