/*
 * test_run.c: cmocka unit tests of one lesson's files, for what needs no
 * root: option parsing, hostname validation, path helpers, and the error
 * paths of syscalls, reached by wrapping them with -Wl,--wrap=NAME.
 *
 * Built once per lesson with -DLESSON=N -DLESSON_SRC='"FILE"', FILE a list
 * of #include lines, one for each of the lesson's C files: they are
 * included so that their static functions can be called.
 * Every lesson passes the tests of the lessons before it.
 */
#define _GNU_SOURCE /* as run.h defines it, before any header */
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
verbose_option(void **state)
{
    (void)state;
    assert_int_equal(PARSE("run", "-v", "true"), -1);
    assert_int_equal(cfg.verbose, 1);
    memset(&cfg, 0, sizeof(cfg));
    assert_int_equal(PARSE("run", "--verbose", "true"), -1);
    assert_int_equal(cfg.verbose, 1);
    assert_int_equal(cfg.quiet, 0);
}

/* What say() and tell() write to fd 2 (not stdio's stderr), as text. */
static const char *
narration(void (*narrate)(void))
{
    static char buf[4096];
    FILE *f = tmpfile();
    int saved = dup(STDERR_FILENO), fd = f != NULL ? fileno(f) : -1;
    ssize_t n;

    assert_true(saved != -1 && fd != -1);
    dup2(fd, STDERR_FILENO);
    narrate();
    dup2(saved, STDERR_FILENO);
    close(saved);
    n = pread(fd, buf, sizeof(buf) - 1, 0);
    fclose(f);
    buf[n > 0 ? n : 0] = '\0';
    return buf;
}

static void
story_and_detail(void)
{
    say("a step");
    tell("its system call");
}

/* The two depths: say() always, tell() only with -v; -q silences both. */
static void
narration_depths(void **state)
{
    (void)state;
    cfg.quiet = 0;
    assert_string_equal(narration(story_and_detail), "==> a step\n");
    cfg.verbose = 1;
    assert_string_equal(narration(story_and_detail),
                        "==> a step\n  - its system call\n");
    cfg.quiet = 1;
    assert_string_equal(narration(story_and_detail), "");
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

#if LESSON >= 4
/* A fake kernel: send() keeps the request, recv() answers it with an
   NLMSG_ERROR carrying reply_error and, if set, the words reply_msg. */
static char sent[NL_BUFSIZE];
static size_t sent_len;
static int reply_error;
static const char *reply_msg;

ssize_t
__wrap_send(int fd, const void *buf, size_t len, int flags)
{
    (void)fd;
    (void)flags;
    memcpy(sent, buf, len);
    sent_len = len;
    return (ssize_t)len;
}

ssize_t
__wrap_recv(int fd, void *buf, size_t len, int flags)
{
    const struct nlmsghdr *req = (const struct nlmsghdr *)sent;
    struct nlmsghdr *h = buf;
    struct nlmsgerr *e = NLMSG_DATA(h);
    struct rtattr *rta;

    (void)fd;
    (void)flags;
    memset(buf, 0, len);
    h->nlmsg_type = NLMSG_ERROR;
    h->nlmsg_seq = req->nlmsg_seq;
    h->nlmsg_len = NLMSG_LENGTH(sizeof(*e));
    e->error = -reply_error;
    e->msg = *req;
    if (reply_msg != NULL) {
        h->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
        rta = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));
        rta->rta_type = NLMSGERR_ATTR_MSG;
        rta->rta_len = RTA_LENGTH(strlen(reply_msg) + 1);
        strcpy(RTA_DATA(rta), reply_msg);
        h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(rta->rta_len);
    }
    return h->nlmsg_len;
}

static void
attributes_are_padded_to_4_bytes(void **state)
{
    char buf[NL_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
    struct nlmsghdr *h;
    struct rtattr *rta;

    (void)state;
    h = nl_start(buf, RTM_NEWLINK, NLM_F_CREATE, &ifi, sizeof(ifi));
    assert_int_equal(h->nlmsg_len, 16 + 16);
    assert_int_equal(h->nlmsg_type, RTM_NEWLINK);
    assert_int_equal(h->nlmsg_flags, NLM_F_REQUEST | NLM_F_CREATE);
    nla_put_str(h, IFLA_IFNAME, "eth0");
    rta = (struct rtattr *)(buf + 32);
    assert_int_equal(rta->rta_type, IFLA_IFNAME);
    assert_int_equal(rta->rta_len, 4 + 5);   /* "eth0" and its NUL */
    assert_int_equal(h->nlmsg_len, 32 + 12); /* padded to 4 bytes */
    assert_memory_equal(buf + 32 + 4, "eth0\0\0\0\0", 8);
    nla_put_u32(h, IFLA_MTU, 1500);
    rta = (struct rtattr *)(buf + 44);
    assert_int_equal(rta->rta_len, 8);
    assert_int_equal(*(uint32_t *)RTA_DATA(rta), 1500);
    assert_int_equal(h->nlmsg_len, 52);
}

/* The attribute of TYPE among those from A to END, or fail. */
static struct rtattr *
find_attr(struct rtattr *a, int len, int type)
{
    for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
        if (a->rta_type == type)
            return a;
    fail_msg("no attribute %d", type);
    return NULL;
}

static void
veth_request_nests_the_peer(void **state)
{
    struct nlmsghdr *h = (struct nlmsghdr *)sent;
    struct rtattr *linkinfo, *data, *peer, *a;
    char *end;

    (void)state;
    reply_error = 0;
    reply_msg = NULL;
    veth_create(-1, "cl-1", "eth0", 42);
    /* 16 nlmsghdr + 16 ifinfomsg + 12 IFNAME "cl-1" + LINKINFO (4 + 12
       KIND "veth" + DATA (4 + PEER (4 + 16 ifinfomsg + 12 IFNAME "eth0"
       + 8 NET_NS_PID))) */
    assert_int_equal(sent_len, 104);
    assert_int_equal(h->nlmsg_len, 104);
    assert_int_equal(h->nlmsg_flags,
                     NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
    end = sent + h->nlmsg_len;
    a = find_attr(IFLA_RTA(NLMSG_DATA(h)), IFLA_PAYLOAD(h), IFLA_IFNAME);
    assert_string_equal(RTA_DATA(a), "cl-1");
    linkinfo =
        find_attr(IFLA_RTA(NLMSG_DATA(h)), IFLA_PAYLOAD(h), IFLA_LINKINFO);
    assert_ptr_equal((char *)linkinfo + linkinfo->rta_len, end);
    a = find_attr(RTA_DATA(linkinfo), RTA_PAYLOAD(linkinfo), IFLA_INFO_KIND);
    assert_string_equal(RTA_DATA(a), "veth");
    data = find_attr(RTA_DATA(linkinfo), RTA_PAYLOAD(linkinfo), IFLA_INFO_DATA);
    assert_ptr_equal((char *)data + data->rta_len, end);
    peer = find_attr(RTA_DATA(data), RTA_PAYLOAD(data), VETH_INFO_PEER);
    assert_ptr_equal((char *)peer + peer->rta_len, end);
    /* The peer's value: an ifinfomsg, then its own attributes. */
    a = (struct rtattr *)((char *)RTA_DATA(peer) +
                          NLMSG_ALIGN(sizeof(struct ifinfomsg)));
    a = find_attr(a, end - (char *)a, IFLA_IFNAME);
    assert_string_equal(RTA_DATA(a), "eth0");
    a = find_attr(a, end - (char *)a, IFLA_NET_NS_PID);
    assert_int_equal(*(uint32_t *)RTA_DATA(a), 42);
}

static void
kernel_errors_are_decoded(void **state)
{
    struct in_addr addr = {.s_addr = htonl(0x7f000002)};

    (void)state;
    reply_error = EEXIST;
    reply_msg = "Address already assigned";
    assert_int_equal(addr_add(-1, "lo", addr, 8), EEXIST);
    assert_string_equal(nl_why, "Address already assigned");
    reply_msg = NULL;
    assert_int_equal(addr_add(-1, "lo", addr, 8), EEXIST);
    assert_string_equal(nl_why, "");
}

static void
failed_request_names_its_ip_command(void **state)
{
    struct in_addr gw = {.s_addr = htonl(0xac1e0101)};

    (void)state;
    reply_error = ENETUNREACH;
    reply_msg = "Nexthop has invalid gateway";
    catching = 1;
    if (setjmp(exit_jump) == 0)
        route_add_default(-1, gw, "lo");
    catching = 0;
    fflush(stderr);
    assert_int_equal(exit_code, EXIT_RUNTIME);
    assert_non_null(strstr(err_text, "ip route add default via 172.30.1.1"));
    assert_non_null(strstr(err_text, strerror(ENETUNREACH)));
    assert_non_null(strstr(err_text, "fix: Nexthop has invalid gateway"));
}

static void
cidr_rules(void **state)
{
    struct in_addr a;
    int p = -1;

    (void)state;
    assert_null(parse_cidr("172.30.9.2/24", &a, &p));
    assert_int_equal(p, 24);
    assert_int_equal(a.s_addr, htonl(0xac1e0902));
    assert_non_null(strstr(parse_cidr("172.30.9.2", &a, &p), "prefix"));
    assert_non_null(parse_cidr("172.300.9.2/24", &a, &p));
    assert_non_null(parse_cidr("172.30.9/24", &a, &p));
    assert_non_null(parse_cidr("172.30.9.2/", &a, &p));
    assert_non_null(parse_cidr("172.30.9.2/24x", &a, &p));
    assert_non_null(strstr(parse_cidr("172.30.9.2/33", &a, &p), "0 to 32"));
    assert_non_null(parse_cidr("172.30.9.2/31", &a, &p));
    assert_non_null(strstr(parse_cidr("172.30.9.0/24", &a, &p), "network"));
    assert_non_null(parse_cidr("172.30.9.255/24", &a, &p));
    assert_null(parse_cidr("10.0.0.1/8", &a, &p));
}

static void
gateway_is_first_free_address(void **state)
{
    struct in_addr a = {.s_addr = htonl(0xac1e0905)};

    (void)state;
    assert_int_equal(peer_in_subnet(a, 24).s_addr, htonl(0xac1e0901));
    a.s_addr = htonl(0xac1e0901);
    assert_int_equal(peer_in_subnet(a, 24).s_addr, htonl(0xac1e0902));
    assert_int_equal(netmask(24), htonl(0xffffff00));
    assert_int_equal(netmask(0), 0);
}

static void
bridge_names(void **state)
{
    (void)state;
    assert_null(check_bridge_name("cl-br0"));
    assert_null(check_bridge_name("cl-abcdefghijkl")); /* 15 bytes */
    assert_non_null(strstr(check_bridge_name("cl-abcdefghijklm"), "15"));
    assert_non_null(strstr(check_bridge_name("br0"), "cl-"));
    assert_non_null(check_bridge_name("cl-"));
    assert_non_null(check_bridge_name("cl-a b"));
}

static void
net_options(void **state)
{
    (void)state;
    assert_int_equal(PARSE("run"), -1);
    assert_int_equal(cfg.net, NET_VETH);
    assert_null(cfg.bridge);
    assert_int_equal(PARSE("run", "--net", "bridge"), -1);
    assert_string_equal(cfg.bridge, DEFAULT_BRIDGE);
    assert_int_equal(PARSE("run", "--bridge", "cl-lab"), -1);
    assert_int_equal(cfg.net, NET_BRIDGE);
    assert_int_equal(PARSE("run", "--ip", "10.1.2.3/16", "--net", "none"),
                     EXIT_RUNTIME);
    assert_int_equal(PARSE("run", "--net", "none", "--bridge", "cl-x"),
                     EXIT_RUNTIME);
    assert_non_null(strstr(err_text, "--bridge needs --net bridge"));
    assert_int_equal(PARSE("run", "--net", "wifi"), EXIT_RUNTIME);
    assert_int_equal(PARSE("run", "--ip", "10.1.2.3/16"), -1);
    assert_int_equal(cfg.ip_prefix, 16);
    assert_int_equal(PARSE("run", "--cleanup"), -1);
    assert_int_equal(cfg.cleanup, 1);
}
#endif

#if LESSON >= 5
static void
sizes(void **state)
{
    (void)state;
    assert_int_equal(parse_size("64M"), 64LL << 20);
    assert_int_equal(parse_size("64MB"), 64LL << 20);
    assert_int_equal(parse_size("1g"), 1LL << 30);
    assert_int_equal(parse_size("512k"), 512LL << 10);
    assert_int_equal(parse_size("4096"), 4096);
    assert_int_equal(parse_size("12XB"), -1);
    assert_int_equal(parse_size("4096B"), -1);
    assert_int_equal(parse_size(""), -1);
    assert_int_equal(parse_size("-1"), -1);
    assert_int_equal(parse_size("M"), -1);
    assert_int_equal(parse_size("99999999999T"), -1);
}

static void
shares_become_weights(void **state)
{
    (void)state;
    assert_int_equal(shares_to_weight(2), 1);
    assert_int_equal(shares_to_weight(1024), 100);
    assert_int_equal(shares_to_weight(262144), 10000);
    assert_int_equal(shares_to_weight(512), 59);
    assert_int_equal(shares_to_weight(2048), 174);
    assert_int_equal(blkio_to_io_weight(10), 1);
    assert_int_equal(blkio_to_io_weight(500), 4950);
    assert_int_equal(blkio_to_io_weight(1000), 10000);
}

static void
mountinfo_lines(void **state)
{
    char mnt[PATH_MAX], root[PATH_MAX], opts[PATH_MAX];

    (void)state;
    assert_int_equal(parse_mountinfo("31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct "
                                     "rw,relatime shared:7 - cgroup cgroup "
                                     "rw,cpu,cpuacct\n",
                                     mnt, root, opts),
                     1);
    assert_string_equal(mnt, "/sys/fs/cgroup/cpu,cpuacct");
    assert_string_equal(root, "/");
    assert_true(has_word(opts, "cpu"));
    assert_true(has_word(opts, "cpuacct"));
    assert_false(has_word(opts, "cpuset"));
    assert_false(has_word(opts, "acct"));
    assert_int_equal(parse_mountinfo("40 30 0:37 / /sys/fs/cgroup/net_cls,"
                                     "net_prio rw - cgroup cgroup "
                                     "rw,net_cls,net_prio",
                                     mnt, root, opts),
                     1);
    assert_true(has_word(opts, "net_prio"));
    assert_int_equal(parse_mountinfo("41 30 0:38 /docker/abc /sys/fs/cgroup "
                                     "rw - cgroup2 cgroup2 rw,nsdelegate",
                                     mnt, root, opts),
                     2);
    assert_string_equal(root, "/docker/abc");
    assert_int_equal(parse_mountinfo("26 1 254:0 / / rw - ext4 /dev/vda rw",
                                     mnt, root, opts),
                     0);
    assert_int_equal(parse_mountinfo("garbage", mnt, root, opts), 0);
}

static void
cpu_lists(void **state)
{
    unsigned long long m[16];

    (void)state;
    assert_int_equal(parse_cpu_list("0-2,5", m), 0);
    assert_int_equal(m[0], 0x27);
    assert_int_equal(parse_cpu_list("64", m), 0);
    assert_int_equal(m[1], 1);
    assert_int_equal(parse_cpu_list("3-1", m), -1);
    assert_int_equal(parse_cpu_list("1,", m), -1);
    assert_int_equal(parse_cpu_list("x", m), -1);
    assert_int_equal(parse_cpu_list("2000", m), -1);
}

static void
device_rules(void **state)
{
    struct dev_rule r;

    (void)state;
    assert_null(parse_dev_rule("c 1:3 rwm", &r));
    assert_int_equal(r.type, 'c');
    assert_int_equal(r.major, 1);
    assert_int_equal(r.minor, 3);
    assert_int_equal(r.access, 7);
    assert_int_equal(r.allow, 1);
    assert_null(parse_dev_rule("b *:* r", &r));
    assert_int_equal(r.major, -1);
    assert_int_equal(r.minor, -1);
    assert_int_equal(r.access, BPF_DEVCG_ACC_READ);
    assert_non_null(parse_dev_rule("x 1:3 r", &r));
    assert_non_null(parse_dev_rule("c 1:3 rz", &r));
    assert_non_null(parse_dev_rule("c 1 rw", &r));
}

static void
throttles(void **state)
{
    struct throttle t;

    (void)state;
    assert_null(parse_throttle("8:16:1M", WRITE_BPS, &t));
    assert_int_equal(t.major, 8);
    assert_int_equal(t.minor, 16);
    assert_int_equal(t.rate, 1 << 20);
    assert_int_equal(t.kind, WRITE_BPS);
    assert_non_null(parse_throttle("/dev/null:1M", READ_BPS, &t));
    assert_non_null(parse_throttle("8:0:0", READ_BPS, &t));
    assert_non_null(parse_throttle("8:0", READ_BPS, &t));
}

#define ASSERT_INSN(p, c, d, s, o, i)                                          \
    do {                                                                       \
        assert_int_equal((p).code, (c));                                       \
        assert_int_equal((p).dst_reg, (d));                                    \
        assert_int_equal((p).src_reg, (s));                                    \
        assert_int_equal((p).off, (o));                                        \
        assert_int_equal((p).imm, (i));                                        \
    } while (0)

static void
device_program(void **state)
{
    const struct dev_rule rules[] = {
        {'a', -1, -1, 7, 0},                 /* deny everything, */
        {'c', 1, 3, 7, 1},                   /* but /dev/null, */
        {'b', 7, -1, BPF_DEVCG_ACC_READ, 1}, /* and reading loop devices */
    };
    struct bpf_insn p[64];
    int n;

    (void)state;
    n = build_dev_prog(rules, 3, p);
    /* The context: r2 type, r3 access, r4 major, r5 minor. */
    ASSERT_INSN(p[0], BPF_LDX | BPF_W | BPF_MEM, 2, 1, 0, 0);
    ASSERT_INSN(p[1], BPF_ALU | BPF_AND | BPF_K, 2, 0, 0, 0xffff);
    ASSERT_INSN(p[2], BPF_LDX | BPF_W | BPF_MEM, 3, 1, 0, 0);
    ASSERT_INSN(p[3], BPF_ALU | BPF_RSH | BPF_K, 3, 0, 0, 16);
    ASSERT_INSN(p[4], BPF_LDX | BPF_W | BPF_MEM, 4, 1, 4, 0);
    ASSERT_INSN(p[5], BPF_LDX | BPF_W | BPF_MEM, 5, 1, 8, 0);
    /* The last rule first: b 7:* r. Each miss jumps to insn 13. */
    ASSERT_INSN(p[6], BPF_JMP | BPF_JNE | BPF_K, 2, 0, 6, BPF_DEVCG_DEV_BLOCK);
    ASSERT_INSN(p[7], BPF_ALU64 | BPF_MOV | BPF_X, 1, 3, 0, 0);
    ASSERT_INSN(p[8], BPF_ALU | BPF_AND | BPF_K, 1, 0, 0, BPF_DEVCG_ACC_READ);
    ASSERT_INSN(p[9], BPF_JMP | BPF_JNE | BPF_X, 1, 3, 3, 0);
    ASSERT_INSN(p[10], BPF_JMP | BPF_JNE | BPF_K, 4, 0, 2, 7);
    ASSERT_INSN(p[11], BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
    ASSERT_INSN(p[12], BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    /* c 1:3 rwm: misses jump to insn 18. */
    ASSERT_INSN(p[13], BPF_JMP | BPF_JNE | BPF_K, 2, 0, 4, BPF_DEVCG_DEV_CHAR);
    ASSERT_INSN(p[14], BPF_JMP | BPF_JNE | BPF_K, 4, 0, 3, 1);
    ASSERT_INSN(p[15], BPF_JMP | BPF_JNE | BPF_K, 5, 0, 2, 3);
    ASSERT_INSN(p[16], BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
    ASSERT_INSN(p[17], BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    /* a: no test, so it decides, and nothing follows it. */
    ASSERT_INSN(p[18], BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
    ASSERT_INSN(p[19], BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    assert_int_equal(n, 20);
    /* Without a catch-all rule, the program ends with a deny. */
    n = build_dev_prog(rules + 1, 1, p);
    assert_int_equal(n, 6 + 5 + 2);
    ASSERT_INSN(p[11], BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
}

static void
limit_options(void **state)
{
    (void)state;
    assert_int_equal(PARSE("run"), -1);
    assert_int_equal(cfg.lim.n_devices, 9);
    assert_int_equal(cfg.lim.devices[0].type, 'a');
    assert_int_equal(cfg.lim.devices[0].allow, 0);
    assert_int_equal(PARSE("run", "--cpus", "0.5", "--memory", "64M",
                           "--pids-limit", "32", "--device", "b 7:0 r"),
                     -1);
    assert_int_equal(cfg.lim.cpu_quota, 50000);
    assert_int_equal(cfg.lim.cpu_period, 100000);
    assert_int_equal(cfg.lim.memory, 64 << 20);
    assert_int_equal(cfg.lim.pids, 32);
    assert_int_equal(cfg.lim.n_devices, 10);
    assert_int_equal(PARSE("run", "--memory", "12XB"), EXIT_RUNTIME);
    assert_non_null(strstr(err_text, "--memory 12XB is not a size"));
    assert_int_equal(PARSE("run", "--cpus", "0"), EXIT_RUNTIME);
    assert_int_equal(PARSE("run", "--cpus", "9999"), EXIT_RUNTIME);
    assert_int_equal(PARSE("run", "--pids-limit", "0"), EXIT_RUNTIME);
    assert_int_equal(PARSE("run", "--pids-limit", "-3"), EXIT_RUNTIME);
    assert_int_equal(PARSE("run", "--pids-limit", "max"), -1);
    assert_int_equal(cfg.lim.pids, -1); /* no limit: apply_pids skips */
    assert_int_equal(PARSE("run", "--pids-limit", "maxi"), EXIT_RUNTIME);
    assert_int_equal(PARSE("run", "--cpuset-cpus", "4000"), EXIT_RUNTIME);
    assert_int_equal(PARSE("run", "--cpu-shares", "1"), EXIT_RUNTIME);
    assert_int_equal(PARSE("run", "--hugetlb", "3MB:4M"), EXIT_RUNTIME);
    assert_int_equal(PARSE("run", "--memory-swap", "64M"), EXIT_RUNTIME);
    assert_int_equal(PARSE("run", "--memory", "64M", "--memory-swap", "-1"),
                     -1);
    assert_int_equal(cfg.lim.memory_swap, -1);
    assert_int_equal(PARSE("run", "--name", "a b"), EXIT_RUNTIME);
}
#endif

#if LESSON >= 6
static void
sha256_vectors(void **state)
{
    struct sha256 s;
    char hex[65];

    (void)state;
    sha256_init(&s);
    sha256_hex(&s, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
                             "27ae41e4649b934ca495991b7852b855");
    sha256_init(&s);
    sha256_update(&s, "ab", 2);
    sha256_update(&s, "c", 1);
    sha256_hex(&s, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
                             "b00361a396177a9cb410ff61f20015ad");
    sha256_init(&s);
    sha256_update(
        &s, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56);
    sha256_hex(&s, hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039"
                             "a33ce45964ff2167f6ecedd419db06c1");
}

static void
octal_fields(void **state)
{
    (void)state;
    assert_int_equal(tar_octal("0000644\0", 8), 0644);
    assert_int_equal(tar_octal("  12 \0\0\0", 8), 10);
    assert_int_equal(tar_octal("00000000012", 12), 10);
    assert_int_equal(tar_octal("0009", 4), -1);
    assert_int_equal(tar_octal("\0\0\0\0", 4), 0);
    /* GNU base-256 (a size of 8 GiB and more): 0x80, then big-endian. */
    assert_int_equal(tar_octal("\x80\0\0\0\0\0\0\x02\0\0\0\0", 12), 8LL << 30);
    assert_int_equal(
        tar_octal("\x80\x7f\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 12),
        -1); /* past 63 bits */
}

/* tar_put() writes a header, tar_header() reads it back. */
static void
headers_round_trip(void **state)
{
    struct stat st = {.st_mode = S_IFREG | 04755,
                      .st_uid = 1000,
                      .st_gid = 100,
                      .st_mtime = 1700000000};
    unsigned char *b;
    struct tar_entry e;
    char *buf = NULL, name[200];
    size_t size = 0;
    int i;

    (void)state;
    commit_out = open_memstream(&buf, &size);
    tar_put("etc/motd", '0', &st, "", 12);
    fclose(commit_out);
    assert_int_equal(size, 512);
    b = (unsigned char *)buf;
    assert_null(tar_header(b, &e));
    assert_string_equal(e.path, "etc/motd");
    assert_int_equal(e.type, '0');
    assert_int_equal(e.mode, 04755);
    assert_int_equal(e.uid, 1000);
    assert_int_equal(e.gid, 100);
    assert_int_equal(e.size, 12);
    assert_int_equal(e.mtime, 1700000000);
    /* One changed byte, and the checksum no longer adds up. */
    b[0] = 'E';
    assert_string_equal(tar_header(b, &e), "bad header checksum");
    b[0] = 'e';
    memcpy(b + 124, "0000000001x", 11);
    assert_non_null(tar_header(b, &e));
    free(buf);

    /* A name over 100 bytes, a symlink target over 99: a GNU 'L' or 'K'
       entry with it, then the header. */
    memset(name, 'n', 150);
    name[150] = '\0';
    for (i = 0; i < 2; i++) {
        buf = NULL;
        commit_out = open_memstream(&buf, &size);
        if (i == 0)
            tar_put(name, '5', &st, "", 0);
        else
            tar_put("link", '2', &st, name, 0);
        fclose(commit_out);
        assert_int_equal(size, 512 + 512 + 512);
        assert_null(tar_header((unsigned char *)buf, &e));
        assert_int_equal(e.type, i == 0 ? 'L' : 'K');
        assert_int_equal(e.size, 151);
        assert_memory_equal(buf + 512, name, 151);
        assert_null(tar_header((unsigned char *)buf + 1024, &e));
        assert_int_equal(e.type, i == 0 ? '5' : '2');
        free(buf);
    }

    /* 8 GiB: past the 11 octal digits, written and read in base-256. */
    buf = NULL;
    commit_out = open_memstream(&buf, &size);
    tar_put("big", '0', &st, "", 8ULL << 30);
    fclose(commit_out);
    assert_int_equal(size, 512);
    assert_null(tar_header((unsigned char *)buf, &e));
    assert_int_equal(e.size, 8ULL << 30);
    assert_int_equal((unsigned char)buf[124], 0x80);
    free(buf);
}

static void
ustar_prefix_and_pax(void **state)
{
    struct stat st = {.st_mode = 0644};
    struct tar_entry e;
    char *buf = NULL, out[64];
    size_t size = 0;
    unsigned int sum = 0;
    int i;

    (void)state;
    commit_out = open_memstream(&buf, &size);
    tar_put("file", '0', &st, "", 0);
    fclose(commit_out);
    memcpy(buf + 345, "a/b", 3); /* the ustar prefix */
    memset(buf + 148, ' ', 8);
    for (i = 0; i < 512; i++)
        sum += (unsigned char)buf[i];
    snprintf(buf + 148, 8, "%06o", sum);
    assert_null(tar_header((unsigned char *)buf, &e));
    assert_string_equal(e.path, "a/b/file");
    free(buf);
    assert_int_equal(pax_value("22 mtime=1700000000.5\n15 path=abc/de\n", 37,
                               "path", out, sizeof(out)),
                     1);
    assert_string_equal(out, "abc/de");
    assert_int_equal(pax_value("12 size=10\n", 11, "path", out, sizeof(out)),
                     0);
    /* Lengths that would read past the record: refused, nothing copied. */
    strcpy(out, "untouched");
    assert_int_equal(pax_value("-5 path=abc\n", 12, "path", out, sizeof(out)),
                     0);
    assert_int_equal(pax_value("3 path=abc\n", 11, "path", out, sizeof(out)),
                     0);
    assert_int_equal(pax_value("99999999999999999999999 path=a\n", 31, "path",
                               out, sizeof(out)),
                     0);
    assert_string_equal(out, "untouched");
    assert_int_equal(pax_value("8 path=\n", 8, "path", out, sizeof(out)), 1);
    assert_string_equal(out, "");
}

static void
member_paths(void **state)
{
    (void)state;
    assert_null(check_member("etc/motd"));
    assert_null(check_member("./etc"));
    assert_null(check_member("a/..b/c"));
    assert_non_null(check_member("../x"));
    assert_non_null(check_member("a/../../x"));
    assert_non_null(check_member("a/.."));
    assert_non_null(check_member("/etc/passwd"));
}

static void
whiteout_names(void **state)
{
    char out[PATH_MAX];

    (void)state;
    whiteout_name("etc/hosts", out);
    assert_string_equal(out, "etc/.wh.hosts");
    whiteout_name("x", out);
    assert_string_equal(out, ".wh.x");
    whiteout_name("a/b/c", out);
    assert_string_equal(out, "a/b/.wh.c");
}
#endif

#if LESSON >= 7
static void
userns_maps(void **state)
{
    (void)state;
    assert_int_equal(PARSE("run", "true"), -1);
    assert_int_equal(cfg.userns, 1);
    assert_int_equal(cfg.n_map, 1);
    assert_int_equal(map_id(0, 1), 100000);
    assert_int_equal(map_id(65535, 1), 165535);
    assert_int_equal((long)map_id(65536, 1), -1);
    assert_int_equal(map_id(100005, 0), 5);
    assert_int_equal((long)map_id(0, 0), -1); /* unmapped */
    assert_int_equal(PARSE("run", "--userns", "0:200000:10,10:300000:5", "x"),
                     -1);
    assert_int_equal(cfg.n_map, 2);
    assert_int_equal(map_id(12, 1), 300002);
    assert_int_equal(map_id(300004, 0), 14);
    assert_int_equal(PARSE("run", "--no-userns", "x"), -1);
    assert_int_equal(cfg.userns, 0);
    assert_int_equal(map_id(7, 1), 7);
}

static void
bad_userns_maps(void **state)
{
    static const char *const bad[][2] = {
        {"0:100000", "INSIDE:OUTSIDE:COUNT"},
        {"0:1:2:3", "INSIDE:OUTSIDE:COUNT"},
        {"0:100000:0", "empty range"},
        {"0:4294967290:10", "past ID"},
        {"0:100:10,5:200:10", "overlap"},
        {"0:100:10,20:105:10", "overlap"},
        {"1:100000:10", "does not map ID 0"},
        {"0:1:1,1:2:1,2:3:1,3:4:1,4:5:1,5:6:1", "more than 5"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(PARSE("run", "--userns", (char *)bad[i][0], "x"),
                         EXIT_RUNTIME);
        assert_non_null(strstr(err_text, bad[i][1]));
    }
}

static void
capability_names(void **state)
{
    (void)state;
    assert_int_equal(N_CAPS, CAP_LAST_CAP + 1);
    assert_int_equal(parse_cap("NET_ADMIN"), 1ULL << CAP_NET_ADMIN);
    assert_int_equal(parse_cap("cap_sys_time"), 1ULL << CAP_SYS_TIME);
    assert_int_equal(parse_cap("CHECKPOINT_RESTORE"),
                     1ULL << CAP_CHECKPOINT_RESTORE);
    assert_int_equal(parse_cap("all"), (1ULL << N_CAPS) - 1);
    assert_int_equal(parse_cap("FOO"), 0);
    assert_int_equal(__builtin_popcountll(DEFAULT_CAPS), 14);
    assert_int_equal(
        PARSE("run", "--cap-drop", "ALL", "--cap-add", "KILL", "x"), -1);
    assert_int_equal(cfg.caps, 1ULL << CAP_KILL);
    assert_int_equal(PARSE("run", "--cap-add", "CAP_FOO", "x"), EXIT_RUNTIME);
    assert_non_null(strstr(err_text, "no such capability"));
}

/* A classic BPF interpreter for what build_seccomp() emits: loads of
   struct seccomp_data, jeq, jge, jset, ret. */
static unsigned int
run_filter(const struct sock_filter *f, int n, unsigned int arch, int nr,
           unsigned long arg0)
{
    struct seccomp_data d = {.nr = nr, .arch = arch};
    uint32_t a = 0;
    int pc;

    d.args[0] = arg0;
    for (pc = 0; pc < n; pc++) {
        const struct sock_filter *i = &f[pc];

        switch (i->code) {
        case BPF_LD | BPF_W | BPF_ABS:
            assert_true(i->k + 4 <= sizeof(d));
            memcpy(&a, (char *)&d + i->k, 4);
            break;
        case BPF_JMP | BPF_JEQ | BPF_K:
            pc += a == i->k ? i->jt : i->jf;
            break;
        case BPF_JMP | BPF_JGE | BPF_K:
            pc += a >= i->k ? i->jt : i->jf;
            break;
        case BPF_JMP | BPF_JSET | BPF_K:
            pc += (a & i->k) ? i->jt : i->jf;
            break;
        case BPF_RET | BPF_K:
            return i->k;
        default:
            fail_msg("instruction %d: code %#x", pc, i->code);
        }
    }
    fail_msg("the filter ran off its end");
    return 0;
}

/* load_hardening() on a record holding text: its exit status if it
   exited, else -1. */
static int
hardening_of(const char *text)
{
    char path[] = "/tmp/test_run_recordXXXXXX";
    int fd = mkstemp(path), rc = -1;

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    catching = 1;
    if (setjmp(exit_jump) == 0)
        load_hardening(path, "t");
    else
        rc = exit_code;
    catching = 0;
    fflush(stderr);
    unlink(path);
    return rc;
}

/* --exec takes the container's capabilities and seccomp from its record,
   and refuses a record whose values do not hold. */
static void
exec_hardening(void **state)
{
    (void)state;
    cfg.caps = DEFAULT_CAPS;
    cfg.seccomp = 1;
    assert_int_equal(hardening_of("1 2\ncgroup2 /a/very/long/path/of/more/"
                                  "than/sixty/four/characters/for/the/scan/"
                                  "x\ninit 5\ncaps 0\nseccomp 0\n"),
                     -1);
    assert_int_equal(cfg.caps, 0);
    assert_int_equal(cfg.seccomp, 0);
    assert_int_equal(hardening_of("init 5\ncaps 200000\nseccomp 1\n"), -1);
    assert_int_equal(cfg.caps, 1ULL << CAP_SYS_ADMIN);
    assert_int_equal(cfg.seccomp, 1);
    /* No values, or values that do not parse, or bits past the last
       capability, or a seccomp neither 0 nor 1: refused. */
    assert_int_equal(hardening_of("init 5\n"), EXIT_RUNTIME);
    assert_non_null(strstr(err_text, "no valid capability set"));
    assert_int_equal(hardening_of("init 5\ncaps a80425fb\n"), EXIT_RUNTIME);
    assert_int_equal(hardening_of("caps zz\nseccomp 1\n"), EXIT_RUNTIME);
    assert_int_equal(hardening_of("caps a8x\nseccomp 1\n"), EXIT_RUNTIME);
    assert_int_equal(hardening_of("caps ffffffffffffffff\nseccomp 1\n"),
                     EXIT_RUNTIME);
    assert_int_equal(hardening_of("caps -1\nseccomp 1\n"), EXIT_RUNTIME);
    assert_int_equal(hardening_of("caps 0\nseccomp 2\n"), EXIT_RUNTIME);
    assert_int_equal(hardening_of("caps 0\nseccomp 10\n"), EXIT_RUNTIME);
}

/* The filter's verdict on call nr with first argument arg0. */
#define VERDICT(arch, nr, arg0) run_filter(f, n, arch, nr, arg0)
#define NATIVE(nr, arg0)        VERDICT(SECCOMP_ARCH, nr, arg0)

static void
seccomp_filter(void **state)
{
    static struct sock_filter f[SECCOMP_MAX];
    const unsigned int eperm = SECCOMP_RET_ERRNO | EPERM;
    const unsigned int enosys = SECCOMP_RET_ERRNO | ENOSYS;
    int n = build_seccomp(f, DEFAULT_CAPS);
    int i;

    (void)state;
    assert_true(n > 0 && n <= SECCOMP_MAX && n <= BPF_MAXINSNS);
    print_message("seccomp: %d instructions, %d calls allowed, %d more "
                  "with a capability\n",
                  n, N_OF(allowed_syscalls), N_OF(cap_syscalls));
    for (i = 0; i < N_OF(denied_syscalls); i++)
        assert_int_equal(NATIVE(denied_syscalls[i], 0), eperm);
    assert_int_equal(NATIVE(SYS_keyctl, 0), eperm);
    assert_int_equal(NATIVE(SYS_bpf, 0), eperm);
    assert_int_equal(NATIVE(SYS_setns, 0), eperm);
    /* Every call of the list passes, and the ones busybox and the C
       library cannot start without. */
    for (i = 0; i < N_OF(allowed_syscalls); i++)
        assert_int_equal(NATIVE(allowed_syscalls[i], 0), SECCOMP_RET_ALLOW);
    {
        static const int needed[] = {
            SYS_read,
            SYS_write,
            SYS_openat,
            SYS_close,
            SYS_execve,
            SYS_exit_group,
            SYS_wait4,
            SYS_getdents64,
            SYS_newfstatat,
            SYS_statx,
            SYS_faccessat,
            SYS_faccessat2,
            SYS_prlimit64,
            SYS_rseq,
            SYS_set_robust_list,
            SYS_set_tid_address,
            SYS_rt_sigreturn,
            SYS_rt_sigaction,
            SYS_mmap,
            SYS_brk,
            SYS_futex,
            SYS_ioctl,
            SYS_ppoll,
            SYS_pselect6,
            SYS_getrandom,
            SYS_mknodat,
            SYS_capget,
            SYS_ptrace,
            SYS_uname,
            SYS_setsockopt,
#ifdef SYS_open
            SYS_open,
            SYS_stat,
            SYS_fork,
            SYS_arch_prctl,
            SYS_poll,
            SYS_dup2,
#endif
        };
        for (i = 0; i < N_OF(needed); i++)
            assert_int_equal(NATIVE(needed[i], 0), SECCOMP_RET_ALLOW);
    }
    /* Not on the list: ENOSYS, as a kernel without them says. io_uring
       is out; so are calls Docker never lists, and numbers past the
       last one. */
    assert_int_equal(NATIVE(SYS_io_uring_setup, 0), enosys);
    assert_int_equal(NATIVE(SYS_io_uring_enter, 0), enosys);
    assert_int_equal(NATIVE(SYS_io_uring_register, 0), enosys);
    assert_int_equal(NATIVE(SYS_move_pages, 0), enosys);
    assert_int_equal(NATIVE(SYS_migrate_pages, 0), enosys);
    assert_int_equal(NATIVE(SYS_swapon, 0), enosys);
    assert_int_equal(NATIVE(SYS_pivot_root, 0), enosys);
    assert_int_equal(NATIVE(1000, 0), enosys);
    assert_int_equal(NATIVE(0x3fffffff, 0), enosys);
    /* With a capability only: EPERM without it, as the kernel. */
    assert_int_equal(NATIVE(SYS_mount, 0), eperm);
    assert_int_equal(NATIVE(SYS_umount2, 0), eperm);
    assert_int_equal(NATIVE(SYS_sethostname, 0), eperm);
    assert_int_equal(NATIVE(SYS_clock_settime, 0), eperm);
    assert_int_equal(NATIVE(SYS_kcmp, 0), eperm);
    assert_int_equal(NATIVE(SYS_pidfd_getfd, 0), eperm);
    assert_int_equal(NATIVE(SYS_mbind, 0), eperm);
    assert_int_equal(NATIVE(SYS_chroot, 0), SECCOMP_RET_ALLOW);
    /* clone and unshare: only with a CLONE_NEW* flag. */
    assert_int_equal(NATIVE(SYS_clone, SIGCHLD), SECCOMP_RET_ALLOW);
    assert_int_equal(NATIVE(SYS_clone, CLONE_VM | CLONE_THREAD | CLONE_SIGHAND),
                     SECCOMP_RET_ALLOW);
    assert_int_equal(NATIVE(SYS_clone, CLONE_NEWUSER | SIGCHLD), eperm);
    assert_int_equal(NATIVE(SYS_clone, CLONE_NEWPID), eperm);
    assert_int_equal(NATIVE(SYS_unshare, 0), SECCOMP_RET_ALLOW);
    assert_int_equal(NATIVE(SYS_unshare, CLONE_FILES), SECCOMP_RET_ALLOW);
    assert_int_equal(NATIVE(SYS_unshare, CLONE_NEWNS), eperm);
    assert_int_equal(NATIVE(SYS_unshare, CLONE_NEWTIME), eperm);
    assert_int_equal(NATIVE(SYS_clone3, 0), enosys);
    /* personality: Docker's five values, nothing else. */
    assert_int_equal(NATIVE(SYS_personality, 0), SECCOMP_RET_ALLOW);
    assert_int_equal(NATIVE(SYS_personality, 8), SECCOMP_RET_ALLOW);
    assert_int_equal(NATIVE(SYS_personality, 0x20000), SECCOMP_RET_ALLOW);
    assert_int_equal(NATIVE(SYS_personality, 0x20008), SECCOMP_RET_ALLOW);
    assert_int_equal(NATIVE(SYS_personality, 0xffffffff), SECCOMP_RET_ALLOW);
    assert_int_equal(NATIVE(SYS_personality, READ_IMPLIES_EXEC), eperm);
    assert_int_equal(NATIVE(SYS_personality, ADDR_NO_RANDOMIZE), eperm);
    assert_int_equal(NATIVE(SYS_personality, MMAP_PAGE_ZERO), eperm);
    assert_int_equal(NATIVE(SYS_personality, 1), eperm);
    /* socket: every family but AF_VSOCK. */
    assert_int_equal(NATIVE(SYS_socket, AF_UNIX), SECCOMP_RET_ALLOW);
    assert_int_equal(NATIVE(SYS_socket, AF_INET), SECCOMP_RET_ALLOW);
    assert_int_equal(NATIVE(SYS_socket, AF_INET6), SECCOMP_RET_ALLOW);
    assert_int_equal(NATIVE(SYS_socket, AF_NETLINK), SECCOMP_RET_ALLOW);
    assert_int_equal(NATIVE(SYS_socket, AF_PACKET), SECCOMP_RET_ALLOW);
    assert_int_equal(NATIVE(SYS_socket, AF_VSOCK), eperm);
    /* Another ABI is killed, whatever the call. */
    assert_int_equal(VERDICT(AUDIT_ARCH_I386, SYS_read, 0),
                     SECCOMP_RET_KILL_PROCESS);
    assert_int_equal(VERDICT(AUDIT_ARCH_ARM, SYS_read, 0),
                     SECCOMP_RET_KILL_PROCESS);
    assert_int_equal(VERDICT(SECCOMP_ARCH == AUDIT_ARCH_X86_64
                                 ? AUDIT_ARCH_AARCH64
                                 : AUDIT_ARCH_X86_64,
                             SYS_read, 0),
                     SECCOMP_RET_KILL_PROCESS);
#if defined(__x86_64__)
    assert_int_equal(NATIVE(X32_SYSCALL_BIT | SYS_read, 0), eperm);
#endif
    /* A capability given back opens its calls, and only those; the
       EPERM list stays closed. */
    n = build_seccomp(f, DEFAULT_CAPS | 1ULL << CAP_SYS_ADMIN);
    assert_int_equal(NATIVE(SYS_mount, 0), SECCOMP_RET_ALLOW);
    assert_int_equal(NATIVE(SYS_umount2, 0), SECCOMP_RET_ALLOW);
    assert_int_equal(NATIVE(SYS_kcmp, 0), eperm);
    assert_int_equal(NATIVE(SYS_setns, 0), eperm);
    assert_int_equal(NATIVE(SYS_unshare, CLONE_NEWNS), eperm);
    n = build_seccomp(f, 1ULL << CAP_SYS_TIME);
    assert_int_equal(NATIVE(SYS_clock_settime, 0), SECCOMP_RET_ALLOW);
    assert_int_equal(NATIVE(SYS_chroot, 0), eperm); /* --cap-drop ALL */
    assert_int_equal(NATIVE(SYS_read, 0), SECCOMP_RET_ALLOW);
}

/* The terminal's master goes from the child to the runtime over a
   socketpair (SCM_RIGHTS): what arrives is the same open file, here a
   pipe's write end; a child that closed its end first sends nothing. */
static void
descriptor_passes_over_a_socket(void **state)
{
    int sv[2], p[2], fd;
    char c = 0;

    (void)state;
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
    assert_int_equal(pipe(p), 0);
    send_fd(sv[1], p[1]);
    fd = recv_fd(sv[0]);
    close(p[1]);
    assert_true(fd > 2 && fd != p[1] && fd != sv[0] && fd != sv[1]);
    assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    assert_int_equal(write(fd, "m", 1), 1);
    assert_int_equal(read(p[0], &c, 1), 1);
    assert_int_equal(c, 'm');
    close(fd);
    close(p[0]);
    close(sv[1]);
    assert_int_equal(recv_fd(sv[0]), -1);
    close(sv[0]);
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
        TEST(verbose_option),
        TEST(narration_depths),
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
#if LESSON >= 4
        TEST(attributes_are_padded_to_4_bytes),
        TEST(veth_request_nests_the_peer),
        TEST(kernel_errors_are_decoded),
        TEST(failed_request_names_its_ip_command),
        TEST(cidr_rules),
        TEST(gateway_is_first_free_address),
        TEST(bridge_names),
        TEST(net_options),
#endif
#if LESSON >= 5
        TEST(sizes),
        TEST(shares_become_weights),
        TEST(mountinfo_lines),
        TEST(cpu_lists),
        TEST(device_rules),
        TEST(throttles),
        TEST(device_program),
        TEST(limit_options),
#endif
#if LESSON >= 6
        TEST(sha256_vectors),
        TEST(octal_fields),
        TEST(headers_round_trip),
        TEST(ustar_prefix_and_pax),
        TEST(member_paths),
        TEST(whiteout_names),
#endif
#if LESSON >= 7
        TEST(userns_maps),
        TEST(bad_userns_maps),
        TEST(capability_names),
        TEST(seccomp_filter),
        TEST(exec_hardening),
        TEST(descriptor_passes_over_a_socket),
#endif
    };

    return cmocka_run_group_tests_name(LESSON_NAME, tests, NULL, NULL);
}
