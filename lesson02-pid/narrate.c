/*
 * narrate.c: narration and errors: say() tells each step of the story,
 * tell() its detail (with -v), die() a failure with the step, the errno
 * text and its fix; colour only on a terminal, NO_COLOR honoured.
 *
 * From lesson01-uts on. Read: errno(3), strerror(3), isatty(3).
 */
#include "run.h"

int color;             /* colour narration: stderr is a tty, no NO_COLOR */
const char *side = ""; /* "child: " once in the container */

/* Colour only on a terminal, and never with NO_COLOR set and not empty
   (no-color.org). */
void
init_color(void)
{
    const char *nocolor = getenv("NO_COLOR");

    color = isatty(STDERR_FILENO) && (nocolor == NULL || *nocolor == '\0');
}

static const char *
paint(const char *code)
{
    return color ? code : "";
}

/* One line of narration after MARK: one write(2) a line, so that lines
   written at once (by the init and the command, say) do not mix. */
static void
narrate(const char *mark, const char *fmt, va_list ap)
{
    char line[1024];
    int n;

    n = snprintf(line, sizeof(line) - 1, "%s%s%s ", paint("\033[1;36m"), mark,
                 paint("\033[0m"));
    vsnprintf(line + n, sizeof(line) - 1 - n, fmt, ap);
    strcat(line, "\n");
    (void)!write(STDERR_FILENO, line, strlen(line));
}

/* The narration has two depths. say() tells one step of the story, what is
   done and why, in a line: what a class reads on a projector. */
void
say(const char *fmt, ...)
{
    va_list ap;

    if (cfg.quiet)
        return;
    va_start(ap, fmt);
    narrate("==>", fmt, ap);
    va_end(ap);
}

/* tell() is a step's detail, printed only with -v: each system call and
   file, for study. A step told in detail ends with its say(), the sum. */
void
tell(const char *fmt, ...)
{
    va_list ap;

    if (cfg.quiet || !cfg.verbose)
        return;
    va_start(ap, fmt);
    narrate("  -", fmt, ap);
    va_end(ap);
}

/* The usual fix for an errno, when the caller knows no better one. */
static const char *
fix_for(int err)
{
    switch (err) {
    case EPERM:
    case EACCES:
        if (geteuid() != 0)
            return NEED_ROOT;
        return "a security module (AppArmor, SELinux, seccomp) or the "
               "container you are in forbids it: see `make doctor`";
    case ENOSPC:
        return "too many namespaces: raise /proc/sys/user/max_*_namespaces";
    case EINVAL:
        return "the kernel lacks this feature: see `make doctor`";
    default:
        return NULL;
    }
}

/* "run: WHAT: ERRNO TEXT" and a line with the fix, on stderr. */
void
report(int err, const char *fix, const char *fmt, va_list ap)
{
    fprintf(stderr, "%srun: ", paint("\033[1;31m"));
    vfprintf(stderr, fmt, ap);
    if (err != 0)
        fprintf(stderr, ": %s", strerror(err));
    fprintf(stderr, "%s\n", paint("\033[0m"));
    if (fix == NULL)
        fix = fix_for(err);
    if (fix != NULL)
        fprintf(stderr, "     fix: %s\n", fix);
}

/*
 * The one way this runtime fails: name the step, the errno text (err may be
 * 0) and the fix (NULL: the usual one for err), then exit 125.
 */
_Noreturn void
die(int err, const char *fix, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(err, fix, fmt, ap);
    va_end(ap);
    exit(EXIT_RUNTIME);
}
