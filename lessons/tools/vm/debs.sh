#!/usr/bin/env bash
# debs.sh: Debian packages of any release and architecture, for the VM
# runner (vmtest.sh sources this file). The host's apt is left as it is:
# each RELEASE-ARCH gets an apt of its own under build/vm/apt (its own
# sources list, package lists, cache and an empty dpkg status), on the
# same mirror the host's apt is set up with, signed by the keys of
# debian-archive-keyring. So Debian 12 can fetch Debian 11's or 13's cloud
# kernel, or arm64 packages, without `dpkg --add-architecture` or a change
# to /etc/apt.

# The mirrors of the host's own Debian sources: the main archive's, and
# with SUFFIX -security the security archive's.
debs_mirror() { # debs_mirror [SUFFIX]
    apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' \
        'Identifier: Packages' 2>/dev/null |
        awk -v s="${1:-}" '$3 == "main" && (s == "" ? $2 !~ /-/ : $2 ~ s "$") {
            print $1; exit }'
}

# debs_apt RELEASE ARCH: set APT_CONFIG for that release and architecture
# (made on first use, its lists refreshed once a day).
debs_apt() { # debs_apt RELEASE ARCH
    local rel=$1 arch=$2 root mirror sec key
    root=$VM/apt/$rel-$arch
    export APT_CONFIG=$root/apt.conf
    if [ ! -s "$APT_CONFIG" ]; then
        mirror=$(debs_mirror)
        [ -n "$mirror" ] || { echo "vm: the host's apt lists no Debian mirror" >&2
                              return 1; }
        mkdir -p "$root/etc/apt.conf.d" "$root/etc/preferences.d" \
            "$root/etc/sources.list.d" "$root/state/lists/partial" \
            "$root/cache/archives/partial"
        : >"$root/state/status"
        # The release, its updates and its security archive: the newest
        # kernel of that release, as the host's own apt would install it.
        sec=$(debs_mirror -security)
        key=/usr/share/keyrings/debian-archive-keyring.gpg
        {
            echo "deb [arch=$arch signed-by=$key] $mirror $rel main"
            echo "deb [arch=$arch signed-by=$key] $mirror $rel-updates main"
            [ -z "$sec" ] ||
                echo "deb [arch=$arch signed-by=$key] $sec $rel-security main"
        } >"$root/etc/sources.list"
        cat >"$APT_CONFIG.tmp" <<EOF
Dir::Etc "$root/etc";
Dir::Etc::SourceList "$root/etc/sources.list";
Dir::Etc::SourceParts "$root/etc/sources.list.d";
Dir::Etc::Parts "$root/etc/apt.conf.d";
Dir::Etc::PreferencesParts "$root/etc/preferences.d";
Dir::State "$root/state";
Dir::State::status "$root/state/status";
Dir::Cache "$root/cache";
APT::Architecture "$arch";
APT::Architectures "$arch";
Acquire::Languages "none";
EOF
        mv "$APT_CONFIG.tmp" "$APT_CONFIG"
    fi
    if [ -z "$(find "$root/state/lists" -name '*Packages*' -mtime -1 2>/dev/null)" ]; then
        echo "vm: reading Debian $rel's $arch package index" >&2
        apt-get -q update >"$root/update.log" 2>&1 ||
            { cat "$root/update.log" >&2; return 1; }
    fi
}

# debs_get RELEASE ARCH DIR PACKAGE...: download the packages into DIR
# (dependencies not followed; see debs_closure).
debs_get() { # debs_get RELEASE ARCH DIR PKG...
    local rel=$1 arch=$2 dir=$3
    shift 3
    debs_apt "$rel" "$arch" || return 1
    mkdir -p "$dir"
    (cd "$dir" && apt-get -q download "$@" >download.log 2>&1) ||
        { cat "$dir/download.log" >&2; return 1; }
}

# debs_closure RELEASE ARCH PACKAGE...: the packages with everything they
# depend on (Depends and Pre-Depends, the first of each alternative).
debs_closure() { # debs_closure RELEASE ARCH PKG...
    local rel=$1 arch=$2
    shift 2
    debs_apt "$rel" "$arch" || return 1
    apt-cache depends --recurse --no-recommends --no-suggests \
        --no-conflicts --no-breaks --no-replaces --no-enhances "$@" 2>/dev/null |
        grep -E '^[a-z0-9]' | sort -u
}

# debs_kernel_package RELEASE ARCH: the cloud kernel's real package name
# (linux-image-cloud-ARCH is a metapackage that depends on it).
debs_kernel_package() {
    debs_apt "$1" "$2" || return 1
    apt-cache depends "linux-image-cloud-$2" 2>/dev/null |
        awk '/Depends: linux-image-/ {print $2; exit}'
}
