/*
 * cgroup_devices.c: devices on cgroup v2: a BPF program built here and
 * attached to the container's cgroup.
 *
 * From lesson05-cgroups on. Read: bpf(2), the kernel's
 * Documentation/admin-guide/cgroup-v2.rst (Device controller).
 */
#include "run.h"

/*
 * cgroup v2 has no devices files: access to a device node is decided by a
 * BPF_PROG_TYPE_CGROUP_DEVICE program attached to the cgroup. It gets a
 * struct bpf_cgroup_dev_ctx (access_type = access << 16 | type, major,
 * minor) in r1 and returns 1 to allow, 0 to deny. Assembled here
 * instruction by instruction: rules are tried last to first, as v1 reads
 * devices.allow and devices.deny; the first that matches decides.
 */
#define INSN(c, d, s, o, i)                                                    \
    ((struct bpf_insn){                                                        \
        .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})

static int
build_dev_prog(const struct dev_rule *rules, int n, struct bpf_insn *prog)
{
    int len = 0, i, start, type;

    /* r2 = type, r3 = access, r4 = major, r5 = minor */
    prog[len++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 2, 1, 0, 0);
    prog[len++] = INSN(BPF_ALU | BPF_AND | BPF_K, 2, 0, 0, 0xffff);
    prog[len++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 3, 1, 0, 0);
    prog[len++] = INSN(BPF_ALU | BPF_RSH | BPF_K, 3, 0, 0, 16);
    prog[len++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 4, 1, 4, 0);
    prog[len++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 5, 1, 8, 0);
    for (i = n - 1; i >= 0; i--) {
        start = len;
        /* Each test jumps to the next rule; offsets are fixed below. */
        if (rules[i].type != 'a') {
            type =
                rules[i].type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
            prog[len++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 2, 0, 0, type);
        }
        if (rules[i].access != 7) {
            /* Every access asked for must be in the rule: r1 = r3 & acc;
               if (r1 != r3) next. */
            prog[len++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, 1, 3, 0, 0);
            prog[len++] =
                INSN(BPF_ALU | BPF_AND | BPF_K, 1, 0, 0, rules[i].access);
            prog[len++] = INSN(BPF_JMP | BPF_JNE | BPF_X, 1, 3, 0, 0);
        }
        if (rules[i].major != -1)
            prog[len++] =
                INSN(BPF_JMP | BPF_JNE | BPF_K, 4, 0, 0, rules[i].major);
        if (rules[i].minor != -1)
            prog[len++] =
                INSN(BPF_JMP | BPF_JNE | BPF_K, 5, 0, 0, rules[i].minor);
        prog[len++] =
            INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, rules[i].allow);
        prog[len++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
        /* A rule without tests decides every access: the rules before
           it could never be reached, and the verifier refuses code that
           cannot run. */
        if (start == len - 2)
            return len;
        for (; start < len - 2; start++)
            if (BPF_CLASS(prog[start].code) == BPF_JMP)
                prog[start].off = (short)(len - start - 1);
    }
    /* No rule matched: deny. */
    prog[len++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
    prog[len++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    return len;
}

void
attach_dev_prog(const char *dir)
{
    static char log[65536];
    struct bpf_insn prog[8 + 12 * MAX_DEV_RULES];
    char what[48];
    union bpf_attr attr;
    int fd, cgfd, n;

    n = build_dev_prog(cfg.lim.devices, cfg.lim.n_devices, prog);
    memset(&attr, 0, sizeof(attr));
    attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    attr.insns = (uintptr_t)prog;
    attr.insn_cnt = (uint32_t)n;
    attr.license = (uintptr_t) "GPL";
    attr.log_buf = (uintptr_t)log;
    attr.log_size = sizeof(log);
    attr.log_level = 1;
    fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
    if (fd == -1) {
        fprintf(stderr, "%s\n", log);
        die(errno, "the verifier's log is above",
            "bpf(BPF_PROG_LOAD, BPF_PROG_TYPE_CGROUP_DEVICE)");
    }
    cgfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    memset(&attr, 0, sizeof(attr));
    attr.target_fd = (uint32_t)cgfd;
    attr.attach_bpf_fd = (uint32_t)fd;
    attr.attach_type = BPF_CGROUP_DEVICE;
    attr.attach_flags = BPF_F_ALLOW_MULTI;
    if (cgfd == -1 ||
        syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof(attr)) == -1)
        die(errno, NULL, "bpf(BPF_PROG_ATTACH, BPF_CGROUP_DEVICE) to %s", dir);
    tell("bpf(BPF_PROG_LOAD) a %d-instruction device filter, "
         "bpf(BPF_PROG_ATTACH) it to %s: it goes with the cgroup",
         n, dir);
    snprintf(what, sizeof(what), "a BPF filter of %d instructions", n);
    cg_note("devices", what);
    close(cgfd);
    close(fd);
}
