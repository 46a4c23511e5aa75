/*
 * seccomp.c: the seccomp allow-list, a classic BPF program built here, and
 * no_new_privs, which lets an unprivileged process load it.
 *
 * From lesson07-full on. Read: seccomp(2), prctl(2) (PR_SET_NO_NEW_PRIVS),
 * personality(2).
 */
#include "run.h"

/*
 * The seccomp filter, classic BPF (seccomp(2)): the kernel runs it on each
 * system call, over struct seccomp_data (nr, arch, args). The architecture
 * comes first: numbers differ between ABIs, and a process could use
 * another one (x32, or 32-bit calls on x86_64) to slip past the list.
 *
 * It is an allow-list, as Docker's default profile is (moby's
 * profiles/seccomp/default.json): the calls named below pass, every other
 * one fails. A deny-list lets through whatever it forgot to name, and
 * every call Linux adds after it was written; an allow-list fails closed.
 * A call that is not on the list fails with ENOSYS, "no such call", as on
 * an older kernel, so that the C library takes its fallback (clone3 to
 * clone, faccessat2 to faccessat, statx to newfstatat): EPERM would be a
 * hard error to it. A call the list knows and refuses, or allows only
 * with a capability the container lacks, fails with EPERM, the kernel's
 * own answer to a missing capability.
 *
 * The numbers are those of the architecture compiled for, from
 * <sys/syscall.h>, never typed in: SYS_open is 2 on x86_64 and does not
 * exist on arm64.
 */
#if defined(__x86_64__)
#define SECCOMP_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SECCOMP_ARCH AUDIT_ARCH_AARCH64
#else
#error "seccomp: add this architecture's AUDIT_ARCH_ value"
#endif
#define X32_SYSCALL_BIT 0x40000000
#define NEW_NS_FLAGS                                                           \
    (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |               \
     CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP)

/* Refused with EPERM, whatever the capabilities: the kernel's keyring,
   module loading, kexec, raw file handles (shocker), eBPF, perf,
   userfaultfd (a tool of kernel exploits), the kernel log, and joining
   namespaces. (Docker gives some of them back with a capability; here
   --cap-add does not.) */
static const int denied_syscalls[] = {
    SYS_keyctl,
    SYS_add_key,
    SYS_request_key,
    SYS_kexec_load,
    SYS_kexec_file_load,
    SYS_init_module,
    SYS_finit_module,
    SYS_delete_module,
    SYS_open_by_handle_at,
    SYS_name_to_handle_at,
    SYS_bpf,
    SYS_perf_event_open,
    SYS_userfaultfd,
    SYS_syslog,
    SYS_setns,
};

/* Docker's default allow-list, in its order, less io_uring_setup,
   io_uring_enter and io_uring_register: a second system call interface,
   whose bugs gave root in most of Google's kCTF exploits of 2022, which
   Docker and containerd took out in 2023. Its 32-bit-only names
   (chown32, socketcall, ...) have no number on these two ABIs. clone,
   clone3, unshare, personality and socket have rules of their own
   (build_seccomp). */
static const int allowed_syscalls[] = {
    SYS_accept,
    SYS_accept4,
    SYS_adjtimex,
    SYS_bind,
    SYS_brk,
    SYS_capget,
    SYS_capset,
    SYS_chdir,
    SYS_clock_adjtime,
    SYS_clock_getres,
    SYS_clock_gettime,
    SYS_clock_nanosleep,
    SYS_close,
    SYS_close_range,
    SYS_connect,
    SYS_copy_file_range,
    SYS_dup,
    SYS_dup3,
    SYS_epoll_create1,
    SYS_epoll_ctl,
    SYS_epoll_pwait,
    SYS_epoll_pwait2,
    SYS_eventfd2,
    SYS_execve,
    SYS_execveat,
    SYS_exit,
    SYS_exit_group,
    SYS_faccessat,
    SYS_faccessat2,
    SYS_fadvise64,
    SYS_fallocate,
    SYS_fanotify_mark,
    SYS_fchdir,
    SYS_fchmod,
    SYS_fchmodat,
    SYS_fchown,
    SYS_fchownat,
    SYS_fcntl,
    SYS_fdatasync,
    SYS_fgetxattr,
    SYS_flistxattr,
    SYS_flock,
    SYS_fremovexattr,
    SYS_fsetxattr,
    SYS_fstat,
    SYS_fstatfs,
    SYS_fsync,
    SYS_ftruncate,
    SYS_futex,
    SYS_futex_waitv,
    SYS_get_robust_list,
    SYS_getcpu,
    SYS_getcwd,
    SYS_getdents64,
    SYS_getegid,
    SYS_geteuid,
    SYS_getgid,
    SYS_getgroups,
    SYS_getitimer,
    SYS_getpeername,
    SYS_getpgid,
    SYS_getpid,
    SYS_getppid,
    SYS_getpriority,
    SYS_getrandom,
    SYS_getresgid,
    SYS_getresuid,
    SYS_getrlimit,
    SYS_getrusage,
    SYS_getsid,
    SYS_getsockname,
    SYS_getsockopt,
    SYS_gettid,
    SYS_gettimeofday,
    SYS_getuid,
    SYS_getxattr,
    SYS_inotify_add_watch,
    SYS_inotify_init1,
    SYS_inotify_rm_watch,
    SYS_io_cancel,
    SYS_io_destroy,
    SYS_io_getevents,
    SYS_io_pgetevents,
    SYS_io_setup,
    SYS_io_submit,
    SYS_ioctl,
    SYS_ioprio_get,
    SYS_ioprio_set,
    SYS_kill,
    SYS_landlock_add_rule,
    SYS_landlock_create_ruleset,
    SYS_landlock_restrict_self,
    SYS_lgetxattr,
    SYS_linkat,
    SYS_listen,
    SYS_listxattr,
    SYS_llistxattr,
    SYS_lremovexattr,
    SYS_lseek,
    SYS_lsetxattr,
    SYS_madvise,
    SYS_membarrier,
    SYS_memfd_create,
    SYS_memfd_secret,
    SYS_mincore,
    SYS_mkdirat,
    SYS_mknodat,
    SYS_mlock,
    SYS_mlock2,
    SYS_mlockall,
    SYS_mmap,
    SYS_mprotect,
    SYS_mq_getsetattr,
    SYS_mq_notify,
    SYS_mq_open,
    SYS_mq_timedreceive,
    SYS_mq_timedsend,
    SYS_mq_unlink,
    SYS_mremap,
    SYS_msgctl,
    SYS_msgget,
    SYS_msgrcv,
    SYS_msgsnd,
    SYS_msync,
    SYS_munlock,
    SYS_munlockall,
    SYS_munmap,
    SYS_nanosleep,
    SYS_newfstatat,
    SYS_openat,
    SYS_openat2,
    SYS_pidfd_open,
    SYS_pidfd_send_signal,
    SYS_pipe2,
    SYS_pkey_alloc,
    SYS_pkey_free,
    SYS_pkey_mprotect,
    SYS_ppoll,
    SYS_prctl,
    SYS_pread64,
    SYS_preadv,
    SYS_preadv2,
    SYS_prlimit64,
    SYS_process_mrelease,
    SYS_process_vm_readv,
    SYS_process_vm_writev,
    SYS_pselect6,
    SYS_ptrace,
    SYS_pwrite64,
    SYS_pwritev,
    SYS_pwritev2,
    SYS_read,
    SYS_readahead,
    SYS_readlinkat,
    SYS_readv,
    SYS_recvfrom,
    SYS_recvmmsg,
    SYS_recvmsg,
    SYS_remap_file_pages,
    SYS_removexattr,
    SYS_renameat,
    SYS_renameat2,
    SYS_restart_syscall,
    SYS_rseq,
    SYS_rt_sigaction,
    SYS_rt_sigpending,
    SYS_rt_sigprocmask,
    SYS_rt_sigqueueinfo,
    SYS_rt_sigreturn,
    SYS_rt_sigsuspend,
    SYS_rt_sigtimedwait,
    SYS_rt_tgsigqueueinfo,
    SYS_sched_get_priority_max,
    SYS_sched_get_priority_min,
    SYS_sched_getaffinity,
    SYS_sched_getattr,
    SYS_sched_getparam,
    SYS_sched_getscheduler,
    SYS_sched_rr_get_interval,
    SYS_sched_setaffinity,
    SYS_sched_setattr,
    SYS_sched_setparam,
    SYS_sched_setscheduler,
    SYS_sched_yield,
    SYS_seccomp,
    SYS_semctl,
    SYS_semget,
    SYS_semop,
    SYS_semtimedop,
    SYS_sendfile,
    SYS_sendmmsg,
    SYS_sendmsg,
    SYS_sendto,
    SYS_set_robust_list,
    SYS_set_tid_address,
    SYS_setfsgid,
    SYS_setfsuid,
    SYS_setgid,
    SYS_setgroups,
    SYS_setitimer,
    SYS_setpgid,
    SYS_setpriority,
    SYS_setregid,
    SYS_setresgid,
    SYS_setresuid,
    SYS_setreuid,
    SYS_setrlimit,
    SYS_setsid,
    SYS_setsockopt,
    SYS_setuid,
    SYS_setxattr,
    SYS_shmat,
    SYS_shmctl,
    SYS_shmdt,
    SYS_shmget,
    SYS_shutdown,
    SYS_sigaltstack,
    SYS_signalfd4,
    SYS_socketpair,
    SYS_splice,
    SYS_statfs,
    SYS_statx,
    SYS_symlinkat,
    SYS_sync,
    SYS_sync_file_range,
    SYS_syncfs,
    SYS_sysinfo,
    SYS_tee,
    SYS_tgkill,
    SYS_timer_create,
    SYS_timer_delete,
    SYS_timer_getoverrun,
    SYS_timer_gettime,
    SYS_timer_settime,
    SYS_timerfd_create,
    SYS_timerfd_gettime,
    SYS_timerfd_settime,
    SYS_times,
    SYS_tkill,
    SYS_truncate,
    SYS_umask,
    SYS_uname,
    SYS_unlinkat,
    SYS_utimensat,
    SYS_vmsplice,
    SYS_wait4,
    SYS_waitid,
    SYS_write,
    SYS_writev,
/* The old forms, which arm64 never had: it has only the *at
   and newer calls (openat for open, clone for fork, ppoll for
   poll), and x86_64's own arch_prctl and modify_ldt. */
#ifdef SYS_access
    SYS_access,
#endif
#ifdef SYS_alarm
    SYS_alarm,
#endif
#ifdef SYS_arch_prctl
    SYS_arch_prctl,
#endif
#ifdef SYS_chmod
    SYS_chmod,
#endif
#ifdef SYS_chown
    SYS_chown,
#endif
#ifdef SYS_creat
    SYS_creat,
#endif
#ifdef SYS_dup2
    SYS_dup2,
#endif
#ifdef SYS_epoll_create
    SYS_epoll_create,
#endif
#ifdef SYS_epoll_ctl_old
    SYS_epoll_ctl_old,
#endif
#ifdef SYS_epoll_wait
    SYS_epoll_wait,
#endif
#ifdef SYS_epoll_wait_old
    SYS_epoll_wait_old,
#endif
#ifdef SYS_eventfd
    SYS_eventfd,
#endif
#ifdef SYS_fork
    SYS_fork,
#endif
#ifdef SYS_futimesat
    SYS_futimesat,
#endif
#ifdef SYS_get_thread_area
    SYS_get_thread_area,
#endif
#ifdef SYS_getdents
    SYS_getdents,
#endif
#ifdef SYS_getpgrp
    SYS_getpgrp,
#endif
#ifdef SYS_inotify_init
    SYS_inotify_init,
#endif
#ifdef SYS_lchown
    SYS_lchown,
#endif
#ifdef SYS_link
    SYS_link,
#endif
#ifdef SYS_lstat
    SYS_lstat,
#endif
#ifdef SYS_mkdir
    SYS_mkdir,
#endif
#ifdef SYS_mknod
    SYS_mknod,
#endif
#ifdef SYS_modify_ldt
    SYS_modify_ldt,
#endif
#ifdef SYS_open
    SYS_open,
#endif
#ifdef SYS_pause
    SYS_pause,
#endif
#ifdef SYS_pipe
    SYS_pipe,
#endif
#ifdef SYS_poll
    SYS_poll,
#endif
#ifdef SYS_readlink
    SYS_readlink,
#endif
#ifdef SYS_rename
    SYS_rename,
#endif
#ifdef SYS_rmdir
    SYS_rmdir,
#endif
#ifdef SYS_select
    SYS_select,
#endif
#ifdef SYS_set_thread_area
    SYS_set_thread_area,
#endif
#ifdef SYS_signalfd
    SYS_signalfd,
#endif
#ifdef SYS_stat
    SYS_stat,
#endif
#ifdef SYS_symlink
    SYS_symlink,
#endif
#ifdef SYS_time
    SYS_time,
#endif
#ifdef SYS_unlink
    SYS_unlink,
#endif
#ifdef SYS_utime
    SYS_utime,
#endif
#ifdef SYS_utimes
    SYS_utimes,
#endif
#ifdef SYS_vfork
    SYS_vfork,
#endif
};

/* Allowed only with a capability, as Docker does: without it the kernel
   would refuse them anyway, and the filter says EPERM as it would. They
   are kept off the default surface all the same: each one is kernel code
   that every container could reach. */
static const struct {
    int nr, cap;
} cap_syscalls[] = {
    {SYS_fanotify_init, CAP_SYS_ADMIN},
    {SYS_fsconfig, CAP_SYS_ADMIN}, /* CVE-2022-0185's overflow */
    {SYS_fsmount, CAP_SYS_ADMIN},
    {SYS_fsopen, CAP_SYS_ADMIN},
    {SYS_fspick, CAP_SYS_ADMIN},
    {SYS_lookup_dcookie, CAP_SYS_ADMIN},
    {SYS_mount, CAP_SYS_ADMIN},
    {SYS_mount_setattr, CAP_SYS_ADMIN},
    {SYS_move_mount, CAP_SYS_ADMIN},
    {SYS_open_tree, CAP_SYS_ADMIN},
    {SYS_quotactl, CAP_SYS_ADMIN},
    {SYS_quotactl_fd, CAP_SYS_ADMIN},
    {SYS_setdomainname, CAP_SYS_ADMIN},
    {SYS_sethostname, CAP_SYS_ADMIN},
    {SYS_umount2, CAP_SYS_ADMIN},
    {SYS_reboot, CAP_SYS_BOOT},
    {SYS_chroot, CAP_SYS_CHROOT},
    {SYS_acct, CAP_SYS_PACCT},
    /* another process's descriptors, memory and kernel objects */
    {SYS_kcmp, CAP_SYS_PTRACE},
    {SYS_pidfd_getfd, CAP_SYS_PTRACE},
    {SYS_process_madvise, CAP_SYS_PTRACE},
#ifdef SYS_iopl
    {SYS_iopl, CAP_SYS_RAWIO},
#endif
#ifdef SYS_ioperm
    {SYS_ioperm, CAP_SYS_RAWIO},
#endif
    {SYS_settimeofday, CAP_SYS_TIME},
    {SYS_clock_settime, CAP_SYS_TIME},
    {SYS_vhangup, CAP_SYS_TTY_CONFIG},
    /* NUMA memory policies: pages on other nodes, other processes' */
    {SYS_get_mempolicy, CAP_SYS_NICE},
    {SYS_mbind, CAP_SYS_NICE},
    {SYS_set_mempolicy, CAP_SYS_NICE},
    {SYS_set_mempolicy_home_node, CAP_SYS_NICE},
};

/* personality(2): Docker's values only: 0 (Linux), PER_LINUX32, UNAME26
   (a 2.6 version number for old programs), both, and 0xffffffff, which
   only asks. The other flags weaken the memory layout: READ_IMPLIES_EXEC
   makes data executable, ADDR_NO_RANDOMIZE turns ASLR off, MMAP_PAGE_ZERO
   maps page 0 (CVE-2009-1895: through a set-user-ID program it undid
   mmap_min_addr, for NULL-pointer exploits). */
static const unsigned int personas[] = {PER_LINUX, PER_LINUX32, UNAME26,
                                        PER_LINUX32 | UNAME26, 0xffffffff};

/* socket(2): every family but AF_VSOCK, as Docker since 2023. vsock
   talks to the hypervisor and is not network-namespaced: --net none
   does not cut it (and CVE-2021-26708 was a race in it to kernel code).
   AF_NETLINK, AF_PACKET (with NET_RAW), AF_UNIX, ... stay. */
static const unsigned int socket_refused[] = {AF_VSOCK};

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define STMT(code, k) ((struct sock_filter)BPF_STMT(code, k))
#define JUMP(k, t, f)                                                          \
    ((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, t, f))
#define RET(v) STMT(BPF_RET | BPF_K, v)
#define LOAD(field)                                                            \
    STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))

/* The filter's length at most: two instructions a name, the checks. A
   classic BPF program has at most BPF_MAXINSNS (4096). */
#define SECCOMP_MAX                                                            \
    (2 * (N_OF(denied_syscalls) + N_OF(allowed_syscalls) +                     \
          N_OF(cap_syscalls)) +                                                \
     N_OF(personas) + N_OF(socket_refused) + 32)
_Static_assert(SECCOMP_MAX <= BPF_MAXINSNS, "the seccomp filter is too long");

/* At prog[n]: call nr with its first argument one of values[]: ret_in;
   with another: ret_out. The low 32 bits are compared: what the kernel
   reads of an int argument. The number of instructions after it. */
static int
arg0_rule(struct sock_filter *prog, int n, int nr, const unsigned int *values,
          int count, unsigned int ret_in, unsigned int ret_out)
{
    int i;

    prog[n++] = JUMP(nr, 0, count + 3);
    prog[n++] = LOAD(args[0]);
    for (i = 0; i < count; i++)
        prog[n++] = JUMP(values[i], count - i, 0);
    prog[n++] = RET(ret_out);
    prog[n++] = RET(ret_in);
    return n;
}

/*
 * Build the filter for the capability set caps into prog; the number of
 * instructions. A list of compare-and-return pairs, in the tables' order,
 * for reading. Its cost: a call walks the list to its own name, some 700
 * instructions for one past the end (measured: 0.3 to 0.6 us more per
 * call, with the kernel's BPF JIT). Since Linux 5.11 the kernel runs the
 * filter once per number when it is loaded and remembers the calls it
 * allows whatever their arguments: those, nearly all a program makes,
 * then skip it (no difference measured). Calls it refuses, the ones whose
 * arguments it checks, and every call on older kernels pay the walk; a
 * binary search over the sorted numbers, as libseccomp can emit, would
 * take some 10 steps, at the price of a filter no one reads.
 */
static int
build_seccomp(struct sock_filter *prog, unsigned long long caps)
{
    static const struct {
        int nr;
        unsigned int flags;
    } ns_calls[] = {{SYS_clone, NEW_NS_FLAGS},
                    {SYS_unshare, NEW_NS_FLAGS | CLONE_NEWTIME}};
    const unsigned int eperm = SECCOMP_RET_ERRNO | EPERM;
    int i, n = 0;

    prog[n++] = LOAD(arch);
    prog[n++] = JUMP(SECCOMP_ARCH, 1, 0);
    prog[n++] = RET(SECCOMP_RET_KILL_PROCESS);
    prog[n++] = LOAD(nr);
#if defined(__x86_64__)
    prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
                                             X32_SYSCALL_BIT, 0, 1);
    prog[n++] = RET(eperm);
#endif
    for (i = 0; i < N_OF(denied_syscalls); i++) {
        prog[n++] = JUMP(denied_syscalls[i], 0, 1);
        prog[n++] = RET(eperm);
    }
    /* clone3(2) passes its flags in memory, where BPF cannot look: ENOSYS
       makes the C library fall back to clone(2), which it can. */
    prog[n++] = JUMP(SYS_clone3, 0, 1);
    prog[n++] = RET(SECCOMP_RET_ERRNO | ENOSYS);
    /* clone and unshare: refused only when they ask for a namespace, a
       way to the kernel code that a user namespace opens (CVE-2022-0185,
       CVE-2023-32233). Flags are the first argument on x86_64 and arm64
       alike, and clone(2) reads only their low 32 bits. */
    for (i = 0; i < N_OF(ns_calls); i++) {
        prog[n++] = JUMP(ns_calls[i].nr, 0, 4);
        prog[n++] = LOAD(args[0]);
        prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K,
                                                 ns_calls[i].flags, 0, 1);
        prog[n++] = RET(eperm);
        prog[n++] = RET(SECCOMP_RET_ALLOW);
    }
    n = arg0_rule(prog, n, SYS_personality, personas, N_OF(personas),
                  SECCOMP_RET_ALLOW, eperm);
    n = arg0_rule(prog, n, SYS_socket, socket_refused, N_OF(socket_refused),
                  eperm, SECCOMP_RET_ALLOW);
    for (i = 0; i < N_OF(cap_syscalls); i++) {
        prog[n++] = JUMP(cap_syscalls[i].nr, 0, 1);
        prog[n++] = RET(caps & (1ULL << cap_syscalls[i].cap) ? SECCOMP_RET_ALLOW
                                                             : eperm);
    }
    for (i = 0; i < N_OF(allowed_syscalls); i++) {
        prog[n++] = JUMP(allowed_syscalls[i], 0, 1);
        prog[n++] = RET(SECCOMP_RET_ALLOW);
    }
    prog[n++] = RET(SECCOMP_RET_ERRNO | ENOSYS);
    return n;
}

/*
 * no_new_privs: from here on, no exec can gain privileges (set-user-ID
 * bits and file capabilities are ignored); it is also what lets a process
 * load a seccomp filter without CAP_SYS_ADMIN. The filter is the last
 * step before exec: every call after it is filtered, and inherited by
 * every child.
 */
void
load_seccomp(void)
{
    static struct sock_filter prog[SECCOMP_MAX];
    struct sock_fprog fprog = {.filter = prog};

    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
        die(errno, NULL, "prctl(PR_SET_NO_NEW_PRIVS)");
    tell("%sprctl(PR_SET_NO_NEW_PRIVS, 1): no exec gains privileges now", side);
    if (!cfg.seccomp) {
        say("%sno_new_privs: no exec gains privileges now; --seccomp off: "
            "every system call is allowed",
            side);
        return;
    }
    fprog.len = (unsigned short)build_seccomp(prog, cfg.caps);
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) == -1)
        die(errno,
            errno == EINVAL ? "the kernel lacks CONFIG_SECCOMP_FILTER" : NULL,
            "prctl(PR_SET_SECCOMP)");
    say("%sno_new_privs, then seccomp: a %d-instruction BPF filter, Docker's "
        "allow-list (%d calls, %d more with a capability): keyctl, bpf, "
        "unshare(CLONE_NEW*), socket(AF_VSOCK), ... fail with EPERM, "
        "io_uring and the calls not on it with ENOSYS",
        side, fprog.len, N_OF(allowed_syscalls), N_OF(cap_syscalls));
}
