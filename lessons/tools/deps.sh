#!/bin/sh
# deps.sh: install the Debian packages that building and testing need, and
# only those that are missing; say what is installed and why.
# On other distributions it prints what to install instead.
set -u

missing=""
why=""
need() { # need PACKAGE REASON TEST...
    pkg=$1 reason=$2
    shift 2
    if ! "$@" >/dev/null 2>&1; then
        missing="$missing $pkg"
        why="$why
  $pkg: $reason"
    fi
}
static_busybox() {
    for b in ${BUSYBOX:-} /bin/busybox /usr/bin/busybox; do
        [ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1 && return 0
    done
    return 1
}

need gcc "the C compiler" command -v cc
need libc6-dev "libc headers and libc.a (static chroot-escape)" \
    test -e /usr/include/stdio.h -a -e /usr/lib/"$(uname -m)"-linux-gnu/libc.a
need make "the build" command -v make
need busybox-static "the container's root filesystem" static_busybox
need libcmocka-dev "unit tests" test -e /usr/include/cmocka.h
need procps "tests find the container's processes (pgrep, ps)" \
    command -v pgrep
need util-linux "tests drop root (setpriv)" command -v setpriv
need bsdutils "tests run the runtime on a tty (script)" command -v script
need strace "07-full holds an --exec at its execve (strace -e inject)" \
    command -v strace
need iproute2 "tests look at links in their network namespace (ip)" \
    command -v ip
need clang-format "the style check of every C file" command -v clang-format
need diffutils "lesson diffs" command -v diff
need graphviz "pictures: make graph, make diagrams and their tests (dot)" \
    command -v dot

[ -z "$missing" ] && exit 0
echo "deps: missing:$why"
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "deps: install them with your package manager (as root on Debian or"
    echo "      Ubuntu: apt-get install$missing), then run this again."
    exit 1
fi
echo "deps: installing from Debian:$missing"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/tmp/deps.$$.log 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 &&
      apt-get install -y -q --no-install-recommends $missing >/tmp/deps.$$.log 2>&1; } || {
    echo "deps: apt-get failed:"; tail -n 20 /tmp/deps.$$.log; rm -f /tmp/deps.$$.log
    exit 1
}
rm -f /tmp/deps.$$.log
echo "deps: installed:$missing"
