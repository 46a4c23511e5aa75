/*
 * harden_options.c: the options of the hardening (--userns, --no-userns,
 * --cap-add, --cap-drop, --seccomp) and of containers by name (--list,
 * --exec).
 *
 * From lesson07-full on.
 */
#include "run.h"

static const struct opt exec_rows[] = {
    {"list", 0, NULL, "the running containers", opt_flag, FIELD(list)},
    {"exec", 0, "NAME",
     "run COMMAND in the running container NAME,\n"
     "with its capabilities and seccomp",
     opt_name, FIELD(exec)},
    {0},
};
const struct opt_table exec_opts = {.rows = exec_rows};

static void
opt_userns(const struct opt *o, const char *arg, struct config *c)
{
    const char *why;

    (void)o;
    if ((why = parse_map(arg, c)) != NULL)
        bad_usage("--userns %s %s", arg, why);
    c->userns = 1;
}

static void
opt_no_userns(const struct opt *o, const char *arg, struct config *c)
{
    (void)o;
    (void)arg;
    c->userns = 0;
}

/* --cap-add (at 1) and --cap-drop (at 0), in the order given: "--cap-drop
   ALL --cap-add KILL" keeps KILL alone. */
static void
opt_cap(const struct opt *o, const char *arg, struct config *c)
{
    unsigned long long cap = parse_cap(arg);

    if (cap == 0)
        bad_usage("--%s %s: no such capability (see capabilities(7): "
                  "NET_ADMIN, SYS_TIME, ... or ALL)",
                  o->name, arg);
    if (o->at)
        c->caps |= cap;
    else
        c->caps &= ~cap;
}

static void
opt_seccomp(const struct opt *o, const char *arg, struct config *c)
{
    (void)o;
    if (strcmp(arg, "off") != 0 && strcmp(arg, "on") != 0)
        bad_usage("--seccomp %s: use on or off", arg);
    c->seccomp = strcmp(arg, "on") == 0;
}

/* Hardened unless told otherwise: root inside is UID 100000 outside, with
   Docker's capabilities and the seccomp filter. */
static void
harden_defaults(struct config *c)
{
    c->userns = 1;
    parse_map(DEFAULT_USERNS, c);
    c->caps = DEFAULT_CAPS;
    c->seccomp = 1;
}

static const struct opt harden_rows[] = {
    {"userns", 0, "MAP",
     "ID ranges INSIDE:OUTSIDE:COUNT, comma-\n"
     "separated (default: " DEFAULT_USERNS ")",
     opt_userns, 0},
    {"no-userns", 0, NULL, "root inside is root outside: to compare",
     opt_no_userns, 0},
    {"cap-add", 0, "CAP",
     "a capability more than Docker's 14\n"
     "(NET_ADMIN, SYS_TIME, ... or ALL)",
     opt_cap, 1},
    {"cap-drop", 0, "CAP", "a capability less (or ALL)", opt_cap, 0},
    {"seccomp", 0, "off", "no seccomp filter: to compare", opt_seccomp, 0},
    {0},
};
const struct opt_table harden_opts = {
    .heading = "Hardening:", .rows = harden_rows, .defaults = harden_defaults};
