/*
 * namespaces.c: namespaces.
 *
 * From lesson01-uts on; read run.c first.
 */
#include "run.h"

/* The namespaces this lesson creates, as named in /proc/PID/ns. */
static const char *const ns_names[] = {"uts", "pid", "mnt", "net", NULL};

/*
 * Each namespace a process is in appears as a magic link in /proc/PID/ns;
 * it reads as "uts:[INODE]", and two processes share the namespace exactly
 * when the inodes are equal.
 */
static void
ns_link(pid_t pid, const char *ns, char *buf, size_t size)
{
    char path[64];
    ssize_t n;

    snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns);
    n = readlink(path, buf, size - 1);
    if (n == -1)
        die(errno, NULL, "readlink %s", path);
    buf[n] = '\0';
}

void
show_namespaces(pid_t child)
{
    char host[64], cont[64];
    int i;

    for (i = 0; ns_names[i] != NULL; i++) {
        ns_link(getpid(), ns_names[i], host, sizeof(host));
        ns_link(child, ns_names[i], cont, sizeof(cont));
        say("/proc/%d/ns/%-4s -> %-20s (host: %s%s)", (int)child, ns_names[i],
            cont, host,
            strcmp(host, cont) == 0 ? ", shared" : ", a new namespace");
    }
}
