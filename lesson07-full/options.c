/*
 * options.c: the command line: tables of options, one row an option, and
 * the help made from them.
 *
 * From lesson01-uts on. Read: getopt_long(3).
 */
#include "run.h"

/* All the tables' rows together; lesson07 has 40. */
#define MAX_OPTS 64

/* The help's first lines: what this lesson's run does. */
static const char intro[] =
    "Run COMMAND (default /bin/sh) in new user, UTS, IPC, PID, mount,\n"
    "network, cgroup and time namespaces, on the demo image (or\n"
    "--rootfs DIR), limited by cgroups, with 14 capabilities, no new\n"
    "privileges and a seccomp filter.\n";

/* An option that turns something on: its int in struct config is 1. */
void
opt_flag(const struct opt *o, const char *arg, struct config *c)
{
    (void)arg;
    *(int *)((char *)c + o->at) = 1;
}

/* An option whose value is its argument, as given: the string stays in
   argv, which lives as long as the runtime. */
void
opt_string(const struct opt *o, const char *arg, struct config *c)
{
    *(const char **)((char *)c + o->at) = arg;
}

/* sethostname(2) takes up to HOST_NAME_MAX bytes; DNS (RFC 1123) less. */
const char *
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

static void
run_defaults(struct config *c)
{
    c->hostname = "container";
}

/* The default hostname is checked too, like one given. */
static void
run_check(struct config *c)
{
    const char *why = check_hostname(c->hostname);

    if (why != NULL)
        bad_usage("--hostname \"%s\" %s", c->hostname, why);
}

static const struct opt run_rows[] = {
    {"quiet", 'q', NULL, "no narration", opt_flag, FIELD(quiet)},
    {"verbose", 'v', NULL,
     "narrate every system call and file, not only\none line a step", opt_flag,
     FIELD(verbose)},
    {"hostname", 0, "NAME", "the container's hostname (default: container)",
     opt_string, FIELD(hostname)},
    {0},
};
static const struct opt_table run_opts = {
    .rows = run_rows, .defaults = run_defaults, .check = run_check};

static void opt_help(const struct opt *o, const char *arg, struct config *c);
static const struct opt help_rows[] = {
    {"help", 'h', NULL, "this help", opt_help, 0},
    {0},
};
static const struct opt_table help_opts = {.rows = help_rows};

/* The lesson's options, table by table, in the order of the help. */
static const struct opt_table *const tables[] = {
    &run_opts,
    &init_opts,
    &rootfs_opts,
    &net_opts,
    &cgroup_opts,
    &exec_opts,
    &limit_opts,
    &image_opts,
    &harden_opts,
    /* --help last, after every lesson's table */
    &help_opts,
};
#define N_TABLES (sizeof(tables) / sizeof(tables[0]))

/* The help: the intro, a line or more a row, what every lesson says. */
static void
usage(FILE *out)
{
    const struct opt *o;
    const char *h;
    char names[64];
    size_t t, n;

    fprintf(out, "usage: run [OPTIONS] [--] [COMMAND [ARG...]]\n%s\n", intro);
    for (t = 0; t < N_TABLES; t++) {
        if (tables[t]->heading != NULL)
            fprintf(out, "%s\n", tables[t]->heading);
        for (o = tables[t]->rows; o->name != NULL; o++) {
            if (o->letter != 0)
                n = snprintf(names, sizeof(names), "  -%c, --%s", o->letter,
                             o->name);
            else
                n = snprintf(names, sizeof(names), "      --%s", o->name);
            if (o->arg != NULL && n < sizeof(names))
                snprintf(names + n, sizeof(names) - n, " %s", o->arg);
            fprintf(out, "%-21s  ", names);
            for (h = o->help; *h != '\0'; h++) {
                if (*h == '\n')
                    fprintf(out, "\n%23s", "");
                else
                    fputc(*h, out);
            }
            fputc('\n', out);
        }
    }
    fputs("\n"
          "Words after the options are the command's, even if they start\n"
          "with '-'. Exit status: the command's, 128+N if it was killed by\n"
          "signal N; 125 if the runtime fails, 126 if the command cannot be\n"
          "executed, 127 if it is not found.\n",
          out);
}

static void
opt_help(const struct opt *o, const char *arg, struct config *c)
{
    (void)o;
    (void)arg;
    (void)c;
    usage(stdout);
    exit(0);
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

/*
 * Every table's defaults first, then the options in the order given (a
 * later one overrides an earlier one), then every table's checks, which
 * see all the options at once: an option may depend on one given after it.
 */
void
parse_args(int argc, char **argv, struct config *c)
{
    static char *default_argv[] = {"/bin/sh", NULL};
    struct option longopts[MAX_OPTS + 1] = {{0}};
    /* The row of each answer of getopt_long(3): 256 + i for the i-th long
       option, a short option's letter for the letter. */
    const struct opt *row[256 + MAX_OPTS] = {0}, *o;
    char letters[2 * MAX_OPTS + 3] = "+:";
    size_t t, k = 2;
    int opt, n = 0;

    memset(c, 0, sizeof(*c));
    for (t = 0; t < N_TABLES; t++) {
        if (tables[t]->defaults != NULL)
            tables[t]->defaults(c);
        for (o = tables[t]->rows; o->name != NULL; o++, n++) {
            if (n == MAX_OPTS)
                die(0, "raise MAX_OPTS", "more than %d options", MAX_OPTS);
            longopts[n].name = o->name;
            longopts[n].has_arg = o->arg != NULL;
            longopts[n].val = 256 + n;
            row[256 + n] = o;
            if (o->letter == 0)
                continue;
            row[o->letter] = o;
            letters[k++] = o->letter;
            if (o->arg != NULL)
                letters[k++] = ':';
        }
    }
    opterr = 0;
    optind = 1;
    /* "+": stop at the first word that is not an option; it is the
       command's, and so are all the words after it. ":": a missing
       argument is ':', not '?'. */
    while ((opt = getopt_long(argc, argv, letters, longopts, NULL)) != -1) {
        if (opt == ':')
            bad_usage("option %s needs an argument", argv[optind - 1]);
        if (opt == '?' && optopt >= 256)
            bad_usage("option --%s takes no argument", row[optopt]->name);
        if (opt == '?' && optopt != 0)
            bad_usage("unknown option -%c", optopt);
        if (opt == '?')
            bad_usage("unknown option %s", argv[optind - 1]);
        row[opt]->parse(row[opt], optarg, c);
    }
    for (t = 0; t < N_TABLES; t++)
        if (tables[t]->check != NULL)
            tables[t]->check(c);
    c->argv = optind < argc ? argv + optind : default_argv;
}
