/*
 * namespaces.c: the namespaces a lesson makes: clone(2)'s flags, and the
 * child's namespaces beside the host's in /proc/PID/ns.
 *
 * From lesson01-uts on. Read: namespaces(7), clone(2).
 */
#include "run.h"

/*
 * The namespaces this lesson creates: the flag clone(2) takes for each,
 * and its name in /proc/PID/ns. Each lesson adds its namespace as a row.
 */
static const struct ns {
    int flag;
    const char *flag_name, *name;
} namespaces[] = {
    {CLONE_NEWUTS, "CLONE_NEWUTS", "uts"},
    {CLONE_NEWPID, "CLONE_NEWPID", "pid"},
    {CLONE_NEWNS, "CLONE_NEWNS", "mnt"},
    {CLONE_NEWNET, "CLONE_NEWNET", "net"},
};
#define N_NAMESPACES (sizeof(namespaces) / sizeof(namespaces[0]))

/* The rows' flags for clone(2), but those in OMIT; *TEXT names them. */
int
ns_flags(int omit, const char **text)
{
    static char buf[256];
    int flags = 0;
    size_t i;

    buf[0] = '\0';
    for (i = 0; i < N_NAMESPACES; i++) {
        if (namespaces[i].flag == 0 || (namespaces[i].flag & omit) != 0)
            continue;
        flags |= namespaces[i].flag;
        snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
                 buf[0] != '\0' ? " | " : "", namespaces[i].flag_name);
    }
    *text = buf;
    return flags;
}

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
    char host[64], cont[64], made[128] = "", kept[128] = "";
    char *list;
    size_t i;

    for (i = 0; i < N_NAMESPACES; i++) {
        const char *ns = namespaces[i].name;

        snprintf(host, sizeof(host), "/proc/self/ns/%s", ns);
        if (access(host, F_OK) != 0)
            continue; /* not in this kernel: said where it is made */
        ns_link(getpid(), ns, host, sizeof(host));
        ns_link(child, ns, cont, sizeof(cont));
        tell("/proc/%d/ns/%-4s -> %-20s (host: %s%s)", (int)child, ns, cont,
             host, strcmp(host, cont) == 0 ? ", shared" : ", a new namespace");
        list = strcmp(host, cont) == 0 ? kept : made;
        snprintf(list + strlen(list), sizeof(made) - strlen(list), "%s%s",
                 list[0] != '\0' ? " " : "", ns);
    }
    say("/proc/%d/ns: new namespaces for the child: %s (their inodes are "
        "not the host's)%s%s",
        (int)child, made, kept[0] != '\0' ? "; still the host's: " : "", kept);
}
