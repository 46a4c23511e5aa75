/*
 * harden.c: the last steps before exec, in their order: the runtime's
 * descriptors closed, the capabilities dropped (caps.c), the seccomp filter
 * loaded (seccomp.c).
 *
 * From lesson07-full on. Read: close_range(2).
 */
#include "run.h"

/* No descriptor of the runtime's reaches the command: only 0, 1, 2. */
static void
close_fds(void)
{
    struct dirent *d;
    DIR *dir;
    int fd;

    if (syscall(SYS_close_range, 3, ~0U, 0) == 0)
        return;
    dir = opendir("/proc/self/fd"); /* before Linux 5.9 */
    while (dir != NULL && (d = readdir(dir)) != NULL) {
        fd = atoi(d->d_name);
        if (fd > 2 && fd != dirfd(dir))
            close(fd);
    }
    if (dir != NULL)
        closedir(dir);
}

/* All of it, in this order, as the last steps before exec. */
void
harden(void)
{
    close_fds();
    drop_caps();
    load_seccomp();
}
