/*
 * test_nsgraph.c: cmocka unit tests of lessons/tools/nsgraph.c's pure
 * functions: DOT escaping, and the parsers of /proc/PID/cgroup lines, of
 * /proc/PID/mountinfo lines and of an overlay mount's options.
 *
 * nsgraph.c is included so that its static functions can be called; its
 * main becomes nsgraph_main. lessons/tests/run.sh builds it:
 *     cc -std=gnu11 -o build/test_nsgraph test_nsgraph.c -lcmocka
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define main nsgraph_main
#include "../../tools/nsgraph.c"
#undef main

static const char *
esc(const char *s, size_t size)
{
    static char out[256];

    memset(out, 'X', sizeof(out));
    return dot_escape(s, out, size);
}

static void
dot_escape_plain(void **state)
{
    (void)state;
    assert_string_equal(esc("PID 42 sleep", 256), "PID 42 sleep");
    assert_string_equal(esc("", 256), "");
}

static void
dot_escape_quotes_and_backslashes(void **state)
{
    (void)state;
    assert_string_equal(esc("a\"b\\c", 256), "a\\\"b\\\\c");
    /* A trailing backslash must not swallow the closing quote. */
    assert_string_equal(esc("end\\", 256), "end\\\\");
}

static void
dot_escape_newlines_and_controls(void **state)
{
    (void)state;
    assert_string_equal(esc("two\nlines", 256), "two\\nlines");
    assert_string_equal(esc("tab\there\r\x7f\x1b", 256), "tab?here???");
    /* Bytes of UTF-8 pass as they are: dot reads UTF-8. */
    assert_string_equal(esc("caf\xc3\xa9", 256), "caf\xc3\xa9");
}

static void
dot_escape_cuts_short_never_mid_escape(void **state)
{
    (void)state;
    assert_string_equal(esc("a\"b", 4), "a\\\"");
    assert_string_equal(esc("a\"b", 3), "a");
    assert_string_equal(esc("abcdef", 4), "ab");
    assert_string_equal(esc("abc", 1), "");
    assert_ptr_equal(dot_escape("abc", NULL, 0), NULL);
}

static void
cgroup_line_v1(void **state)
{
    char line[] = "4:memory:/container-lessons/cl-42\n";
    char named[] = "1:name=systemd:/user.slice";
    char both[] = "12:cpu,cpuacct:/";
    char *ctl, *path;

    (void)state;
    assert_int_equal(parse_cgroup_line(line, &ctl, &path), 4);
    assert_string_equal(ctl, "memory");
    assert_string_equal(path, "/container-lessons/cl-42");
    assert_int_equal(parse_cgroup_line(named, &ctl, &path), 1);
    assert_string_equal(ctl, "name=systemd");
    assert_string_equal(path, "/user.slice");
    assert_int_equal(parse_cgroup_line(both, &ctl, &path), 12);
    assert_string_equal(ctl, "cpu,cpuacct");
    assert_string_equal(path, "/");
}

static void
cgroup_line_v2(void **state)
{
    char line[] = "0::/container-lessons/cl-42";
    char colon[] = "0::/a:b/c";
    char *ctl, *path;

    (void)state;
    assert_int_equal(parse_cgroup_line(line, &ctl, &path), 0);
    assert_string_equal(ctl, "");
    assert_string_equal(path, "/container-lessons/cl-42");
    assert_int_equal(parse_cgroup_line(colon, &ctl, &path), 0);
    assert_string_equal(path, "/a:b/c");
}

static void
cgroup_line_not_one(void **state)
{
    const char *bad[] = {
        "",      "\n",     "x:cpu:/", "3:cpu",         "3:cpu:", "3:cpu:rel/a",
        "-1::/", ":cpu:/", "3",       "99999999999::/"};
    char line[64], *ctl = NULL, *path = NULL;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(line, sizeof(line), "%s", bad[i]);
        assert_int_equal(parse_cgroup_line(line, &ctl, &path), -1);
    }
}

static void
mountinfo_overlay_root(void **state)
{
    char line[] = "94 65 0:41 / / rw,relatime - overlay overlay "
                  "rw,lowerdir=c:b:a,upperdir=/u,workdir=/w,uuid=on\n";
    char *mnt, *type, *src, *opts;

    (void)state;
    assert_int_equal(mountinfo_fields(line, &mnt, &type, &src, &opts), 0);
    assert_string_equal(mnt, "/");
    assert_string_equal(type, "overlay");
    assert_string_equal(src, "overlay");
    assert_string_equal(opts, "rw,lowerdir=c:b:a,upperdir=/u,workdir=/w,"
                              "uuid=on");
}

static void
mountinfo_optional_fields_and_escapes(void **state)
{
    char line[] = "36 35 98:0 /mnt1 /mnt\\040two rw,noatime master:1 "
                  "shared:2 - ext3 /dev/root rw,errors=continue";
    char none[] = "36 35 98:0 / /proc rw - proc proc rw";
    char *mnt, *type, *src, *opts;

    (void)state;
    assert_int_equal(mountinfo_fields(line, &mnt, &type, &src, &opts), 0);
    assert_string_equal(mnt, "/mnt two");
    assert_string_equal(type, "ext3");
    assert_string_equal(src, "/dev/root");
    assert_string_equal(opts, "rw,errors=continue");
    assert_int_equal(mountinfo_fields(none, &mnt, &type, &src, &opts), 0);
    assert_string_equal(mnt, "/proc");
    assert_string_equal(type, "proc");
}

static void
mountinfo_not_one(void **state)
{
    char short_line[] = "36 35 98:0";
    char no_dash[] = "36 35 98:0 / / rw shared:1 overlay overlay rw";
    char cut[] = "36 35 98:0 / / rw - overlay overlay";
    char *mnt, *type, *src, *opts;

    (void)state;
    assert_int_equal(mountinfo_fields(short_line, &mnt, &type, &src, &opts),
                     -1);
    assert_int_equal(mountinfo_fields(no_dash, &mnt, &type, &src, &opts), -1);
    assert_int_equal(mountinfo_fields(cut, &mnt, &type, &src, &opts), -1);
}

static void
overlay_layers_top_first(void **state)
{
    char opts[] = "rw,lowerdir=del:add:base,upperdir=/b/upper,"
                  "workdir=/b/work,uuid=on";
    struct overlay o;

    (void)state;
    assert_int_equal(parse_overlay_opts(opts, &o), 0);
    assert_int_equal(o.nlower, 3);
    assert_string_equal(o.lower[0], "del"); /* relative: as given */
    assert_string_equal(o.lower[1], "add");
    assert_string_equal(o.lower[2], "base");
    assert_string_equal(o.upper, "/b/upper");
    assert_string_equal(o.work, "/b/work");
}

static void
overlay_escapes(void **state)
{
    /* ',' and ' ' octal-escaped by the kernel, ':' in a name by who
       mounted it. */
    char opts[] = "lowerdir=/x\\:y:/z\\054q:/s\\040t,upperdir=/u\\054v,"
                  "workdir=/w";
    struct overlay o;

    (void)state;
    assert_int_equal(parse_overlay_opts(opts, &o), 0);
    assert_int_equal(o.nlower, 3);
    assert_string_equal(o.lower[0], "/x:y");
    assert_string_equal(o.lower[1], "/z,q");
    assert_string_equal(o.lower[2], "/s t");
    assert_string_equal(o.upper, "/u,v");
}

static void
overlay_read_only_data_only_and_plus(void **state)
{
    char ro[] = "ro,lowerdir=/a:/b";
    char data[] = "lowerdir=/a:/b::/d1::/d2,upperdir=/u,workdir=/w";
    char plus[] = "lowerdir+=/a,lowerdir+=/b,datadir+=/d,upperdir=/u";
    struct overlay o;

    (void)state;
    assert_int_equal(parse_overlay_opts(ro, &o), 0);
    assert_int_equal(o.nlower, 2);
    assert_null(o.upper);
    assert_null(o.work);
    assert_int_equal(parse_overlay_opts(data, &o), 0);
    assert_int_equal(o.nlower, 2);
    assert_string_equal(o.lower[1], "/b");
    assert_int_equal(parse_overlay_opts(plus, &o), 0);
    assert_int_equal(o.nlower, 2);
    assert_string_equal(o.lower[0], "/a");
    assert_string_equal(o.lower[1], "/b");
}

static void
overlay_without_layers(void **state)
{
    char none[] = "rw,upperdir=/u,workdir=/w";
    char empty[] = "lowerdir=,upperdir=/u";
    struct overlay o;

    (void)state;
    assert_int_equal(parse_overlay_opts(none, &o), -1);
    assert_int_equal(parse_overlay_opts(empty, &o), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dot_escape_plain),
        cmocka_unit_test(dot_escape_quotes_and_backslashes),
        cmocka_unit_test(dot_escape_newlines_and_controls),
        cmocka_unit_test(dot_escape_cuts_short_never_mid_escape),
        cmocka_unit_test(cgroup_line_v1),
        cmocka_unit_test(cgroup_line_v2),
        cmocka_unit_test(cgroup_line_not_one),
        cmocka_unit_test(mountinfo_overlay_root),
        cmocka_unit_test(mountinfo_optional_fields_and_escapes),
        cmocka_unit_test(mountinfo_not_one),
        cmocka_unit_test(overlay_layers_top_first),
        cmocka_unit_test(overlay_escapes),
        cmocka_unit_test(overlay_read_only_data_only_and_plus),
        cmocka_unit_test(overlay_without_layers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
