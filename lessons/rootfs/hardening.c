/*
 * hardening: what lesson07's container looks like from inside, for its
 * tests and for a class. Static, for the busybox rootfs
 * (/usr/local/bin/hardening).
 *
 *   hardening syscalls   each system call lesson07's seccomp filter refuses,
 *                        called with harmless arguments: NAME ERRNO-NAME
 *                        (EPERM: refused; ENOSYS: not on its allow-list)
 *   hardening fds        the open file descriptors, but the one reading
 *                        /proc/self/fd
 *   hardening msgget KEY make a System V message queue with KEY (hex), so
 *                        that /proc/sysvipc/msg shows it; never removed
 *                        here: the IPC namespace goes with the container
 *
 * Every call is one that cannot change anything where it succeeds: lookups
 * of what does not exist, objects that die with the process.
 *
 * Read: seccomp(2), keyctl(2), sysvipc(7), ipc_namespaces(7), personality(2),
 * io_uring_setup(2), vsock(7).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *
errno_name(int err)
{
    switch (err) {
    case 0:
        return "OK";
    case EPERM:
        return "EPERM";
    case EACCES:
        return "EACCES";
    case EINVAL:
        return "EINVAL";
    case ENOSYS:
        return "ENOSYS";
    case EBADF:
        return "EBADF";
    case EFAULT:
        return "EFAULT";
    case ENOENT:
        return "ENOENT";
    case ENOKEY:
        return "ENOKEY";
    case ENOEXEC:
        return "ENOEXEC";
    default:
        return strerror(err);
    }
}

/* Each call fails or does nothing lasting even where it is allowed. */
static const struct call {
    const char *name;
    long nr, a0, a1, a2, a3, a4;
} calls[] = {
    /* KEYCTL_GET_KEYRING_ID of the session keyring, without creating it */
    {"keyctl", SYS_keyctl, 0, -3, 0, 0, 0},
    {"add_key", SYS_add_key, 0, 0, 0, 0, 0},         /* NULL type */
    {"request_key", SYS_request_key, 0, 0, 0, 0, 0}, /* NULL type */
    {"kexec_load", SYS_kexec_load, 0, 0, 0, 0, 0},   /* no segments */
    {"kexec_file_load", SYS_kexec_file_load, -1, -1, 0, 0, 0},
    {"init_module", SYS_init_module, 0, 0, 0, 0, 0}, /* no image */
    {"finit_module", SYS_finit_module, -1, 0, 0, 0, 0},
    {"delete_module", SYS_delete_module, 0, 0, 0, 0, 0}, /* NULL name */
    {"open_by_handle_at", SYS_open_by_handle_at, -1, 0, 0, 0, 0},
    {"name_to_handle_at", SYS_name_to_handle_at, -1, 0, 0, 0, 0},
    {"bpf", SYS_bpf, -1, 0, 0, 0, 0}, /* no command -1 */
    {"perf_event_open", SYS_perf_event_open, 0, 0, 0, 0, 0},
    {"userfaultfd", SYS_userfaultfd, -1, 0, 0, 0, 0}, /* bad flags */
    {"syslog", SYS_syslog, 10, 0, 0, 0, 0},           /* buffer size */
    {"setns", SYS_setns, -1, 0, 0, 0, 0},
    {"unshare(CLONE_NEWUSER)", SYS_unshare, CLONE_NEWUSER, 0, 0, 0, 0},
    {"unshare(CLONE_NEWNS)", SYS_unshare, CLONE_NEWNS, 0, 0, 0, 0},
    {"unshare(CLONE_NEWNET)", SYS_unshare, CLONE_NEWNET, 0, 0, 0, 0},
    {"clone3", SYS_clone3, 0, 0, 0, 0, 0}, /* NULL args */
    /* Not on the allow-list, or only with a capability or argument the
       container does not have: */
    {"io_uring_setup", SYS_io_uring_setup, 1, 0, 0, 0, 0}, /* NULL params */
    {"move_pages", SYS_move_pages, 0, 0, 0, 0, 0},         /* no pages */
    {"socket(AF_VSOCK)", SYS_socket, AF_VSOCK, SOCK_STREAM, 0, 0, 0},
    {"personality(READ_IMPLIES_EXEC)", SYS_personality, READ_IMPLIES_EXEC, 0, 0,
     0, 0}, /* undone below where it is allowed */
    {"pidfd_getfd", SYS_pidfd_getfd, -1, 0, 0, 0, 0},
    {"kcmp", SYS_kcmp, 0, 0, -1, 0, 0}, /* bad type */
};

static int
syscalls(void)
{
    size_t i;
    long r;

    for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        const struct call *c = &calls[i];

        errno = 0;
        r = syscall(c->nr, c->a0, c->a1, c->a2, c->a3, c->a4);
        printf("%s %s\n", c->name, errno_name(r == -1 ? errno : 0));
        if (r != -1 && c->nr == SYS_personality)
            syscall(SYS_personality, r); /* the old persona back */
        else if (r != -1 && c->nr == SYS_socket)
            close((int)r);
    }
    /* clone(CLONE_NEWUTS) would start a child where it is allowed: only
       a fork-like clone, which the filter must let through. */
    errno = 0;
    r = syscall(SYS_unshare, 0L);
    printf("unshare(0) %s\n", errno_name(r == -1 ? errno : 0));
    return 0;
}

static int
fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;

    if (d == NULL) {
        perror("hardening: /proc/self/fd");
        return 1;
    }
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d))
            printf("%s\n", e->d_name);
    closedir(d);
    return 0;
}

int
main(int argc, char *argv[])
{
    int id;

    if (argc == 2 && strcmp(argv[1], "syscalls") == 0)
        return syscalls();
    if (argc == 2 && strcmp(argv[1], "fds") == 0)
        return fds();
    if (argc == 3 && strcmp(argv[1], "msgget") == 0) {
        id = msgget((key_t)strtol(argv[2], NULL, 16), IPC_CREAT | 0600);
        if (id == -1) {
            perror("hardening: msgget");
            return 1;
        }
        printf("%d\n", id);
        return 0;
    }
    fprintf(stderr, "usage: hardening syscalls|fds|msgget KEY\n");
    return 2;
}
