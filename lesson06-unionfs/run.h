/*
 * run.h: what the files of the lesson share: the system headers, the exit
 * codes, the configuration and the functions each file offers; the topics'
 * headers after.
 *
 * From lesson01-uts on.
 */
#ifndef RUN_H
#define RUN_H

#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

struct config;
struct opt;

/* Exit codes as docker and podman use them; otherwise the command's own. */
#define EXIT_RUNTIME 125 /* the runtime itself failed */
#define NEED_ROOT    "needs root: run with sudo"

#include "rootfs.h"
#include "net.h"
#include "cgroup.h"
#include "image.h"

struct config {
    const char *hostname;   /* the container's hostname */
    char **argv;            /* the container's command, NULL-terminated */
    int quiet;              /* -q: no narration */
    int verbose;            /* -v: every system call and file too */
    int init;               /* --init: our own init is PID 1 */
    const char *rootfs;     /* --rootfs: the container's root directory */
    int chroot;             /* --chroot: chroot(2) instead of pivot_root(2) */
    int net;                /* --net: NET_NONE, NET_VETH or NET_BRIDGE */
    const char *bridge;     /* --bridge: the bridge, named cl-... */
    const char *ip;         /* --ip ADDR/PREFIX as given, or NULL */
    struct in_addr ip_addr; /* ... its address */
    int ip_prefix;          /* ... and prefix length */
    int cleanup;            /* --cleanup: reclaim what killed runs left */
    const char *name;       /* --name: the container's, for its cgroups */
    const char *cgroup_parent; /* --cgroup-parent */
    const char *freeze;        /* --freeze NAME */
    const char *thaw;          /* --thaw NAME */
    struct limits lim;
    const char *image;  /* --image: the image's manifest */
    int keep;           /* --keep: keep the upper layer after exit */
    const char *commit; /* --commit: write the upper layer as a tar */
};

/* One option: a row of a table (options.c). The help is made of the rows,
   and getopt_long(3) of their names. */
struct opt {
    const char *name; /* --NAME */
    int letter;       /* -LETTER too, or 0 */
    const char *arg;  /* its argument, as the help names it; NULL: none */
    const char *help; /* what it does; a '\n' goes on in the next line */
    void (*parse)(const struct opt *o, const char *arg, struct config *c);
    size_t at; /* for parse: FIELD(name) of opt_flag's or opt_string's
                  field, or which of the options that share it */
};
#define FIELD(name) offsetof(struct config, name)

/* A topic's options: a lesson adds its own table. defaults runs before any
   option is read (what is not set there is 0), check after all of them,
   for what one option needs of another. */
struct opt_table {
    const char *heading;    /* the help's line above the rows, or NULL */
    const struct opt *rows; /* up to one without a name */
    void (*defaults)(struct config *c);
    void (*check)(struct config *c);
};

/* narrate.c */
extern int color;
extern const char *side;
void init_color(void);
void warn(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Checked like printf(3): the compiler warns when the arguments do not
   match the format. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void die(int err, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void report(int err, const char *fix, const char *fmt, va_list ap);

/* init.c */
extern const struct opt_table init_opts;
_Noreturn void init_main(char **argv);

/* signals.c */
extern pid_t child_pid;
void forward_signals(void);

/* options.c */
_Noreturn void bad_usage(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
void parse_args(int argc, char **argv, struct config *c);
void opt_flag(const struct opt *o, const char *arg, struct config *c);
void opt_string(const struct opt *o, const char *arg, struct config *c);
const char *check_hostname(const char *name);

/* namespaces.c */
int ns_flags(int omit, const char **text);
void show_namespaces(pid_t child);

/* run.c */
extern struct config cfg;
_Noreturn void exec_command(char **argv);

#endif
