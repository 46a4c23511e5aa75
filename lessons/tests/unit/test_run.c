/*
 * test_run.c: cmocka unit tests of one lesson's run.c, for what needs no
 * root: option parsing, hostname validation, path helpers, and the error
 * paths of syscalls, reached by wrapping them with -Wl,--wrap=NAME.
 *
 * Built once per lesson with -DLESSON=N -DLESSON_SRC='"path/run.c"'; the
 * lesson's file is included so that its static functions can be called.
 * Every lesson passes the tests of the lessons before it.
 */
#define _GNU_SOURCE /* as the lesson defines it, before any header */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define main lesson_main
#include LESSON_SRC
#undef main

/* exit() and _exit() jump back into the test instead of ending it. */
static jmp_buf exit_jump;
static int catching, exit_code;
static char *err_text;
static size_t err_size;
static FILE *real_stderr;

void __real_exit(int code);
void __real__exit(int code);

void
__wrap_exit(int code)
{
    if (!catching)
        __real_exit(code);
    exit_code = code;
    longjmp(exit_jump, 1);
}

void
__wrap__exit(int code)
{
    __wrap_exit(code);
    __real__exit(code);
}

/* geteuid() and the syscalls' failures are the test's to choose. */
static uid_t fake_euid;
static int fake_errno;

uid_t
__wrap_geteuid(void)
{
    return fake_euid;
}

int
__wrap_sethostname(const char *name, size_t len)
{
    (void)name;
    (void)len;
    errno = fake_errno;
    return -1;
}

int
__wrap_execvp(const char *file, char *const argv[])
{
    (void)file;
    (void)argv;
    errno = fake_errno;
    return -1;
}

static int
setup(void **state)
{
    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    cfg.quiet = 1;
    color = 0;
    fake_euid = 0;
    real_stderr = stderr;
    stderr = open_memstream(&err_text, &err_size);
    return stderr == NULL;
}

static int
teardown(void **state)
{
    (void)state;
    fclose(stderr);
    stderr = real_stderr;
    free(err_text);
    err_text = NULL;
    return 0;
}

/* Parse ARGV into cfg; the exit status if parsing exited, else -1. */
#define PARSE(...)                                                             \
    parse(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *),                    \
          (char *[]){__VA_ARGS__, NULL})

static int
parse(int argc, char **argv)
{
    catching = 1;
    if (setjmp(exit_jump) != 0) {
        catching = 0;
        fflush(stderr);
        return exit_code;
    }
    parse_args(argc, argv, &cfg);
    catching = 0;
    return -1;
}

static void
defaults(void **state)
{
    (void)state;
    assert_int_equal(PARSE("run"), -1);
    assert_string_equal(cfg.hostname, "container");
    assert_string_equal(cfg.argv[0], "/bin/sh");
    assert_null(cfg.argv[1]);
    assert_int_equal(cfg.quiet, 0);
}

static void
options_then_command(void **state)
{
    (void)state;
    assert_int_equal(PARSE("run", "-q", "--hostname", "box", "ls", "-l"), -1);
    assert_int_equal(cfg.quiet, 1);
    assert_string_equal(cfg.hostname, "box");
    assert_string_equal(cfg.argv[0], "ls");
    assert_string_equal(cfg.argv[1], "-l");
    assert_null(cfg.argv[2]);
}

static void
double_dash_ends_options(void **state)
{
    (void)state;
    assert_int_equal(PARSE("run", "--", "-q"), -1);
    assert_int_equal(cfg.quiet, 0);
    assert_string_equal(cfg.argv[0], "-q");
}

static void
unknown_option_is_usage_error(void **state)
{
    (void)state;
    assert_int_equal(PARSE("run", "--nope"), EXIT_RUNTIME);
    assert_non_null(strstr(err_text, "unknown option --nope"));
    assert_non_null(strstr(err_text, "run --help"));
}

static void
unknown_short_option_is_named(void **state)
{
    (void)state;
    assert_int_equal(PARSE("run", "-qx"), EXIT_RUNTIME);
    assert_non_null(strstr(err_text, "unknown option -x"));
}

static void
missing_argument_is_usage_error(void **state)
{
    (void)state;
    assert_int_equal(PARSE("run", "--hostname"), EXIT_RUNTIME);
    assert_non_null(strstr(err_text, "needs an argument"));
}

static void
help_exits_zero(void **state)
{
    FILE *out = stdout;

    (void)state;
    stdout = fopen("/dev/null", "w");
    assert_int_equal(PARSE("run", "--help"), 0);
    fclose(stdout);
    stdout = out;
}

static void
hostname_rules(void **state)
{
    char name[HOST_NAME_MAX + 2];

    (void)state;
    assert_null(check_hostname("box"));
    assert_null(check_hostname("a-b.c9"));
    assert_non_null(check_hostname(""));
    assert_non_null(check_hostname("a b"));
    assert_non_null(check_hostname("a/b"));
    assert_non_null(check_hostname("-a"));
    assert_non_null(check_hostname(".a"));
    memset(name, 'a', sizeof(name) - 1);
    name[HOST_NAME_MAX] = '\0';
    assert_null(check_hostname(name));
    name[HOST_NAME_MAX] = 'a';
    name[HOST_NAME_MAX + 1] = '\0';
    assert_non_null(strstr(check_hostname(name), "64 bytes"));
}

static void
long_hostname_is_usage_error(void **state)
{
    char name[80];

    (void)state;
    memset(name, 'a', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    assert_int_equal(PARSE("run", "--hostname", name), EXIT_RUNTIME);
    assert_non_null(strstr(err_text, "longer than 64 bytes"));
}

static void
eperm_fix_depends_on_root(void **state)
{
    (void)state;
    fake_euid = 1000;
    assert_string_equal(fix_for(EPERM), NEED_ROOT);
    fake_euid = 0;
    assert_non_null(strstr(fix_for(EPERM), "security module"));
    assert_null(fix_for(ENOENT));
}

static void
sethostname_failure_names_step_and_fix(void **state)
{
    (void)state;
    cfg.hostname = "box";
    fake_euid = 1000;
    fake_errno = EPERM;
    catching = 1;
    if (setjmp(exit_jump) == 0)
        set_hostname();
    catching = 0;
    fflush(stderr);
    assert_int_equal(exit_code, EXIT_RUNTIME);
    assert_non_null(strstr(err_text, "sethostname(\"box\")"));
    assert_non_null(strstr(err_text, strerror(EPERM)));
    assert_non_null(strstr(err_text, "fix: needs root: run with sudo"));
}

static int
exec_status(int err)
{
    char *argv[] = {"cmd", NULL};

    fake_errno = err;
    catching = 1;
    if (setjmp(exit_jump) == 0)
        exec_command(argv);
    catching = 0;
    return exit_code;
}

static void
exec_failures_give_126_or_127(void **state)
{
    (void)state;
    assert_int_equal(exec_status(ENOENT), EXIT_NOTFOUND);
    assert_int_equal(exec_status(EACCES), EXIT_NOEXEC);
    assert_int_equal(exec_status(ENOEXEC), EXIT_NOEXEC);
}

#if LESSON >= 2
static void
init_option(void **state)
{
    (void)state;
    assert_int_equal(PARSE("run", "--init", "sleep", "1"), -1);
    assert_int_equal(cfg.init, 1);
    assert_string_equal(cfg.argv[0], "sleep");
    assert_int_equal(PARSE("run", "sleep", "--init"), -1);
    assert_int_equal(cfg.init, 0);
}
#endif

#if LESSON >= 3
static void
rootfs_options(void **state)
{
    (void)state;
    assert_int_equal(PARSE("run", "--rootfs", "/srv/r", "--chroot"), -1);
    assert_string_equal(cfg.rootfs, "/srv/r");
    assert_int_equal(cfg.chroot, 1);
    assert_int_equal(PARSE("run"), -1);
    assert_null(cfg.rootfs);
    assert_int_equal(cfg.chroot, 0);
}

static void
default_rootfs_is_beside_the_lesson(void **state)
{
    char buf[64];

    (void)state;
    assert_int_equal(rootfs_beside("/src/lesson03-mount/run", buf, 64), 0);
    assert_string_equal(buf, "/src/lesson03-mount/../build/rootfs");
    assert_int_equal(rootfs_beside("run", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "./../build/rootfs");
    assert_int_equal(rootfs_beside("/run", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "/../build/rootfs");
    assert_int_equal(rootfs_beside("/a/run", buf, 8), -1);
}
#endif

int
main(void)
{
    /* Each test starts from a blank cfg with stderr captured. */
#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        TEST(defaults),
        TEST(options_then_command),
        TEST(double_dash_ends_options),
        TEST(unknown_option_is_usage_error),
        TEST(unknown_short_option_is_named),
        TEST(missing_argument_is_usage_error),
        TEST(help_exits_zero),
        TEST(hostname_rules),
        TEST(long_hostname_is_usage_error),
        TEST(eperm_fix_depends_on_root),
        TEST(sethostname_failure_names_step_and_fix),
        TEST(exec_failures_give_126_or_127),
#if LESSON >= 2
        TEST(init_option),
#endif
#if LESSON >= 3
        TEST(rootfs_options),
        TEST(default_rootfs_is_beside_the_lesson),
#endif
    };

    return cmocka_run_group_tests_name(LESSON_NAME, tests, NULL, NULL);
}
