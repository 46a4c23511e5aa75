#!/usr/bin/env bash
# Lesson 04, the network namespace: a veth pair, a bridge, all over
# rtnetlink. Run against lesson04 and later, like every test file in a
# network namespace of its own (lib.sh), which plays the host: every
# address pinged here lives in a namespace this test made.
. "$(dirname "$0")/../lib.sh"
ping1() { "$ROOTFS/bin/busybox" ping -c 1 -W 1 "$@" >/dev/null 2>&1; }
lease() { [ -e "/run/container-lessons/$1" ]; }

ct -q ls /sys/class/net
expect_eq "inside: only lo and eth0" "eth0 lo" "$(echo $OUT)"
ct -q --net none ls /sys/class/net
expect_eq "--net none: only lo" "lo" "$OUT"
ct -q --net none cat /sys/class/net/lo/operstate
expect_match "  ... and lo is up" '^(unknown|up)$' "$OUT"
ct -q sh -c 'ip route | grep ^default'
expect_match "a default route via the host's end" \
    '^default via 172\.30\.[0-9]+\.1 dev eth0' "$OUT"

ct -v --ip 172.30.201.2/24 true
expect_match "narration: the netlink request and its ip command" \
    'RTM_NEWLINK = ip link add cl-[0-9]+ type veth peer name eth0 netns' \
    "$ERR"
expect_match "  ... the address" \
    'RTM_NEWADDR = ip addr add 172\.30\.201\.2/24 dev eth0' "$ERR"
expect_match "  ... and the route" \
    'RTM_NEWROUTE = ip route add default via 172\.30\.201\.1 dev eth0' "$ERR"

ct_bg sleep -q --ip 172.30.200.2/24 sleep 5
expect_true "host -> container: ping 172.30.200.2 across the veth" \
    ping1 172.30.200.2
expect_true "  ... the host's end is cl-PID, with the project's prefix" \
    ip link show "cl-$RT"
expect_true "  ... the address is leased while the container runs" \
    lease 172.30.200.2
ct -q --ip 172.30.200.2/24 true
expect_eq "address already in use: 125" 125 "$RC"
expect_match "  ... says so" 'already in use' "$ERR"
ct -q --ip 172.30.200.9/24 true
expect_eq "another container in the same network: 125" 125 "$RC"
kill -KILL "$CT"
ct_wait 5
ct -q --ip 172.30.202.2/24 ping -c 1 -W 1 172.30.202.1
expect_eq "container -> host: ping the gateway" 0 "$RC"
expect_true "after exit the address is free again" eval '! lease 172.30.202.2'

# Concurrent containers never collide: each gets its own network.
for i in 1 2 3 4 5; do
    "$RUN" -q sh -c 'ip -4 -o addr show eth0 | awk "{print \$4}";
        ping -c 1 -W 1 $(ip route | awk "/^default/ {print \$3}") >/dev/null &&
        sleep 0.3' >"$TMP/c$i" 2>&1 &
done
wait
addrs=$(cat "$TMP"/c? | sort -u | grep -c '^172\.30\.')
expect_eq "5 containers at once: 5 different addresses, all reach the host" \
    5 "$addrs"

# A bridge: created on first use, containers on it reach each other.
ct_bg sleep -q --bridge cl-t0 --ip 172.31.0.10/24 sleep 5
expect_match "--bridge cl-t0 creates the bridge" ': cl-t0: ' \
    "$(ip -o link show type bridge)"
ct -q --bridge cl-t0 ping -c 1 -W 1 172.31.0.10
expect_eq "two containers on one bridge ping each other" 0 "$RC"
expect_true "host -> container on the bridge" ping1 172.31.0.10
ct -q --net bridge --bridge cl-t0 true
expect_eq "--net bridge --bridge NAME is accepted" 0 "$RC"
{ kill -KILL "$RT"; wait "$RT"; } 2>/dev/null
expect_true "the runtime killed by SIGKILL leaves its lease" \
    lease 172.31.0.10
ct -v --cleanup
expect_eq "--cleanup: status 0" 0 "$RC"
expect_match "  ... removes the unused bridge" 'ip link del cl-t0' "$ERR"
expect_match "  ... and says so in the story too" \
    '^==> removed the bridge cl-t0: no container is on it' "$ERR"
expect_true "  ... and the killed runtime's lease" \
    eval '! lease 172.31.0.10'

ct -q --ip 172.30.9.2 true
expect_eq "malformed address (no prefix): 125" 125 "$RC"
ct -q --ip 172.300.9.2/24 true
expect_eq "malformed address: 125" 125 "$RC"
ct -q --ip 172.30.9.2/33 true
expect_eq "prefix over 32: 125" 125 "$RC"
expect_match "  ... says what is wrong" 'prefix length' "$ERR"
ct -q --bridge cl-abcdefghijklm true
expect_eq "bridge name over 15 bytes: 125" 125 "$RC"
expect_match "  ... says the limit" '15 bytes' "$ERR"
ct -q --bridge cl-t1 --net none true
expect_eq "--bridge with --net none: 125" 125 "$RC"
ct -q --net wifi true
expect_eq "unknown --net mode: 125" 125 "$RC"
ct -q --bridge cl-t2 --ip 10.0.0.2/24 true
expect_eq "--ip outside a new bridge's network: 125" 125 "$RC"
expect_match "  ... names the bridge's network" "cl-t2's network is 172\.31\." "$ERR"
expect_eq "bad input made no bridge" "" "$(ip -o link show type bridge)"
expect_nothing_left
