/*
 * cgroup_files.c: control files, read and written, each write narrated as
 * the echo that would do it.
 *
 * From lesson05-cgroups on. Read: cgroups(7).
 */
#include "run.h"

/* The limits written, each file once with its first value and how many
   values it took (a device rule a value), for the story's line. */
static struct {
    char file[48], value[48];
    int n;
} limits[24];
static int n_limits;

/* Note FILE's VALUE as a limit; cgroup.* (joining, delegating, killing)
   and freezing are none. */
void
cg_note(const char *file, const char *value)
{
    int i;

    if (strncmp(file, "cgroup.", 7) == 0 || strcmp(file, "freezer.state") == 0)
        return;
    for (i = 0; i < n_limits && strcmp(limits[i].file, file) != 0; i++)
        ;
    if (i == n_limits) {
        if (n_limits == (int)(sizeof(limits) / sizeof(limits[0])))
            return;
        snprintf(limits[i].file, sizeof(limits[i].file), "%s", file);
        snprintf(limits[i].value, sizeof(limits[i].value), "%s", value);
        n_limits++;
    }
    if (limits[i].n == 0 || strcmp(limits[i].value, value) != 0)
        limits[i].n++;
}

/* The limits noted: "pids.max 2048, devices.allow (12 values)". */
const char *
cg_limits(void)
{
    static char text[1024];
    size_t len;
    int i;

    text[0] = '\0';
    for (i = 0; i < n_limits; i++) {
        len = strlen(text);
        if (limits[i].n == 1)
            snprintf(text + len, sizeof(text) - len, "%s%.47s %.47s",
                     i > 0 ? ", " : "", limits[i].file, limits[i].value);
        else
            snprintf(text + len, sizeof(text) - len, "%s%.47s (%d values)",
                     i > 0 ? ", " : "", limits[i].file, limits[i].n);
    }
    return n_limits > 0 ? text : "nothing (no controller)";
}

/* echo VALUE > DIR/FILE, narrated so (with -v). Returns 0 or the errno. */
int
cg_write(const char *dir, const char *file, const char *value)
{
    char path[PATH_MAX + 64];
    int fd, err = 0;

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    tell("%secho \"%s\" > %s", side, value, path);
    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd == -1 || write(fd, value, strlen(value)) == -1)
        err = errno;
    if (fd != -1)
        close(fd);
    if (err == 0)
        cg_note(file, value);
    return err;
}

void
cg_must(const char *dir, const char *file, const char *value)
{
    int err = cg_write(dir, file, value);

    if (err != 0)
        die(err, err == ENOENT ? "this kernel lacks that control file" : NULL,
            "echo \"%s\" > %s/%s", value, dir, file);
}

/* The first line of DIR/FILE, or "" if it cannot be read. */
const char *
cg_read(const char *dir, const char *file)
{
    static char buf[4096];
    char path[PATH_MAX + 64];
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    buf[0] = '\0';
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd == -1)
        return buf;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return buf;
}

/* The number after KEY in a "key value" file (cpu.stat, memory.events). */
long long
cg_stat(const char *dir, const char *file, const char *key)
{
    char path[PATH_MAX + 64], k[64];
    long long v, found = -1;
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    f = fopen(path, "re");
    if (f == NULL)
        return -1;
    while (fscanf(f, "%63s %lld", k, &v) == 2)
        if (strcmp(k, key) == 0)
            found = v;
    fclose(f);
    return found;
}

int
cg_has(const char *dir, const char *file)
{
    char path[PATH_MAX + 64];

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    return access(path, F_OK) == 0;
}
