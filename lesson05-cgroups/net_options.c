/*
 * net_options.c: the network's options.
 *
 * From lesson04-net on; read run.c first.
 */
#include "run.h"

uint32_t
netmask(int prefix)
{
    return prefix == 0 ? 0 : htonl(~0u << (32 - prefix));
}

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
