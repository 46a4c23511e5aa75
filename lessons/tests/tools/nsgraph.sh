#!/usr/bin/env bash
# nsgraph (lessons/tools/nsgraph.c): the picture of a running container.
# Run like an integration test, with a lesson's RUN and LESSON: the graph
# shows the namespaces that lesson's container does not share with the
# host, and no others; from lesson04 on its veth pair (and a bridge), from
# lesson05 its cgroups, from lesson06 its overlay layers; dot(1) draws it.
# The host is this test's shell (--host $$), in the network namespace that
# lib.sh made, where the runtime puts its end of the pair.
. "$(dirname "$0")/../lib.sh"
NSGRAPH=$TOP/build/nsgraph
n=$((10#$LESSON))

if ! out=$(make -s -C "$TOP" build/nsgraph 2>&1); then
    result FAIL "nsgraph builds (make build/nsgraph)" "$out"
    exit 0
fi
case $n in
1) want="uts" ;;
2) want="pid uts" ;;
3) want="mnt pid uts" ;;
*) want="mnt net pid uts" ;;
esac
args=(-q)
[ "$n" -ge 6 ] && args+=(--image "$TOP/build/image/manifest")

ino() { stat -L -c %i "/proc/$1/ns/$2"; } # ino PID TYPE
graph() { # graph ARGS...: nsgraph's output in DOT, its status in RC
    DOT=$("$NSGRAPH" "$@" 2>"$TMP/nsgraph.err")
    RC=$?
}
apart_types() { # the namespace types drawn as not the host's
    printf '%s\n' "$DOT" |
        sed -nE 's/^ *"(mnt|uts|ipc|pid|net|user|cgroup|time):[0-9]+" \[class="apart".*/\1/p' |
        sort -u | xargs
}
draws() { printf '%s\n' "$DOT" | dot -Tsvg >"$TMP/g.svg" && grep -q '<svg' "$TMP/g.svg"; }
has() { # has FIXED-STRING...: each is in the graph
    local s
    for s; do printf '%s\n' "$DOT" | grep -qF -- "$s" || return 1; done
}

# Before lesson03 the container's root is the host's: its command may
# have any name, and a name with a quote, a backslash and a space must
# still make a graph that dot reads.
cmd="sleep"
if [ "$n" -le 2 ]; then
    cmd='s"l\eep x'
    cp "$(command -v sleep)" "$TMP/$cmd"
    cmd=$TMP/$cmd
fi
if ct_bg "$(basename "$cmd")" "${args[@]}" "$cmd" 30; then
    graph --host $$ "$CT"
    expect_eq "nsgraph --host \$\$ CT: status 0" "0" "$RC"
    expect_eq "  ... the namespaces not the host's: $want" "$want" "$(apart_types)"
    missing=""
    for t in $want; do
        has "\"p:$CT\" -> \"$t:$(ino "$CT" "$t")\" [color" || missing="$missing $t"
    done
    expect_eq "  ... with the container's inode numbers, from its process" "" "$missing"
    expect_true "  ... the host's shell and its ipc namespace, shared" \
        has "\"p:$CT\" -> \"ipc:$(ino $$ ipc)\";"
    expect_true "  ... dot -Tsvg draws it" draws
    if [ "$n" -le 2 ]; then
        expect_true "  ... the name with '\"', '\\' and ' ' escaped in its label" \
            has '\ns\"l\\eep x"];'
    fi

    if [ "$n" -ge 4 ]; then
        idx=$(ip -o link show "cl-$RT" | cut -d: -f1)
        expect_match "  ... its veth pair: eth0 inside, cl-$RT (ifindex $idx) outside" \
            "^  \"if:$(ino "$CT" net):[0-9]+\" -> \"if:$(ino $$ net):$idx\" \[class=\"veth\"" "$DOT"
        expect_true "  ... the outside end's label" has "label=\"cl-$RT\\nifindex $idx, outside\""
    else
        expect_no_match "  ... no veth pair: it has the host's network" 'class="veth"' "$DOT"
    fi
    if [ "$n" -ge 5 ]; then
        expect_match "  ... its cgroup container-lessons/cl-$RT, not the host's" \
            "^ *\"cg:$CT:[0-9]+\" \[class=\"apart\".*/container-lessons/cl-$RT\"\];" "$DOT"
        expect_eq "  ... a node for each line of /proc/CT/cgroup" \
            "$(grep -c . "/proc/$CT/cgroup")" \
            "$(printf '%s\n' "$DOT" | grep -cE "^ *\"cg:$CT:[0-9]+\" \[")"
    else
        expect_no_match "  ... its cgroups are all the host's" \
            '^ *"cg:[0-9]+:[0-9]+" \[class="apart"' "$DOT"
    fi
    if [ "$n" -ge 6 ]; then
        # The cache names a layer by its tar's sha256; lowerdir lists the
        # top first, the manifest the bottom first.
        layers=""
        while read -r tar; do
            case $tar in '#'* | '') continue ;; esac
            sum=$(sha256sum <"$TOP/build/image/$tar" | cut -d' ' -f1)
            layers="$sum${layers:+ $layers}"
        done <"$TOP/build/image/manifest"
        got=$(printf '%s\n' "$DOT" |
            sed -nE 's/^ *"lower:[0-9]+:[0-9]+" .*\\n([^"]*)"\];$/\1/p' | xargs)
        expect_eq "  ... its overlay's lower layers, top first: del add base" \
            "$layers" "$got"
        mnt=$(ino "$CT" mnt)
        expect_true "  ... its upper dir, writable, not the host's" \
            has "\"upper:$mnt\" [class=\"apart\"" "label=\"upper: writable\\n$TOP/build/containers/cl-$RT/upper\"];"
        expect_true "  ... and its work dir" \
            has "label=\"work: overlayfs's scratch\\n$TOP/build/containers/cl-$RT/work\"];"
    else
        expect_no_match "  ... no overlay" '"lower:' "$DOT"
    fi

    graph --all
    expect_true "nsgraph --all finds the container's process" has "\"p:$CT\" ["
    kill -KILL "$CT"
    ct_wait 5
fi

# A bridge: the outside end is a port of it.
if [ "$n" -ge 4 ] &&
    ct_bg sleep "${args[@]}" --net bridge --bridge cl-tg0 sleep 30; then
    graph --host $$ "$CT"
    br=$(ip -o link show cl-tg0 | cut -d: -f1)
    expect_match "--net bridge: cl-$RT is a port of bridge cl-tg0 (ifindex $br)" \
        "^  \"if:$(ino $$ net):[0-9]+\" -> \"if:$(ino $$ net):$br\" \[class=\"port\"" "$DOT"
    expect_true "  ... the bridge's label" has "label=\"cl-tg0\\nbridge, ifindex $br\""
    expect_true "  ... dot -Tsvg draws it" draws
    kill -KILL "$CT"
    ct_wait 5
fi

graph 0
expect_eq "nsgraph 0: refused, status 1" "1" "$RC"
expect_match "  ... and says why" 'is not a PID' "$(cat "$TMP/nsgraph.err")"
reclaim >/dev/null 2>&1
expect_nothing_left
