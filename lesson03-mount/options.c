/*
 * options.c: options.
 *
 * From lesson01-uts on; read run.c first.
 */
#include "run.h"

static void
usage(FILE *out)
{
    fputs(
        "usage: run [OPTIONS] [--] [COMMAND [ARG...]]\n"
        "Run COMMAND (default /bin/sh) in new UTS, PID and mount namespaces,\n"
        "with the directory ROOTFS as its root.\n"
        "\n"
        "  -q, --quiet          no narration\n"
        "      --hostname NAME  the container's hostname (default: container)\n"
        "      --init           a tiny init is PID 1, the command PID 2\n"
        "      --rootfs DIR     the container's root (default: build/rootfs)\n"
        "      --chroot         chroot(2), not pivot_root(2): to compare\n"
        "  -h, --help           this help\n"
        "\n"
        "Words after the options are the command's, even if they start\n"
        "with '-'. Exit status: the command's, 128+N if it was killed by\n"
        "signal N; 125 if the runtime fails, 126 if the command cannot be\n"
        "executed, 127 if it is not found.\n",
        out);
}

/* sethostname(2) takes up to HOST_NAME_MAX bytes; DNS (RFC 1123) less. */
static const char *
check_hostname(const char *name)
{
    size_t len = strlen(name);
    size_t i;

    if (len == 0)
        return "is empty";
    if (len > HOST_NAME_MAX)
        return "is longer than 64 bytes (HOST_NAME_MAX)";
    for (i = 0; i < len; i++) {
        if (strchr("abcdefghijklmnopqrstuvwxyz"
                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.",
                   name[i]) == NULL)
            return "may hold only letters, digits, '-' and '.'";
    }
    if (name[0] == '-' || name[0] == '.')
        return "may not start with '-' or '.'";
    return NULL;
}

/* A usage error: one line, a pointer to --help, exit 125. */
_Noreturn void
bad_usage(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(0, "see run --help", fmt, ap);
    va_end(ap);
    exit(EXIT_RUNTIME);
}

void
parse_args(int argc, char **argv, struct config *c)
{
    static const struct option longopts[] = {
        {"quiet", no_argument, NULL, 'q'},
        {"hostname", required_argument, NULL, 'H'},
        {"init", no_argument, NULL, 'I'},
        {"rootfs", required_argument, NULL, 'R'},
        {"chroot", no_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static char *default_argv[] = {"/bin/sh", NULL};
    const char *why;
    int opt;

    c->hostname = "container";
    c->quiet = 0;
    c->init = 0;
    c->rootfs = NULL;
    c->chroot = 0;
    opterr = 0;
    optind = 1;
    /* "+": stop at the first word that is not an option; it is the
       command's, and so are all the words after it. */
    while ((opt = getopt_long(argc, argv, "+:qh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'q':
            c->quiet = 1;
            break;
        case 'H':
            c->hostname = optarg;
            break;
        case 'I':
            c->init = 1;
            break;
        case 'R':
            c->rootfs = optarg;
            break;
        case 'C':
            c->chroot = 1;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        case ':':
            bad_usage("option %s needs an argument", argv[optind - 1]);
        default:
            if (optopt != 0)
                bad_usage("unknown option -%c", optopt);
            bad_usage("unknown option %s", argv[optind - 1]);
        }
    }
    why = check_hostname(c->hostname);
    if (why != NULL)
        bad_usage("--hostname \"%s\" %s", c->hostname, why);
    c->argv = optind < argc ? argv + optind : default_argv;
}
