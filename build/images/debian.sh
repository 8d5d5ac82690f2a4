#!/usr/bin/env bash
# Builds killswitch/debian:12, a minimal Debian rootfs (debootstrap --variant=minbase from the package mirror) imported
# with `docker import`: no registry involved. Also builds killswitch/debian-tools:12, the same rootfs plus iptables and
# iproute2 (tc), the base of the tools image. The rootfs tarballs are cached in $KILLSWITCH_IMAGE_CACHE keyed by a hash
# of this script and its inputs; with the hash-tagged image present, nothing runs.
#
# With a registry instead: docker pull debian:bookworm-slim && docker tag debian:bookworm-slim killswitch/debian:12
source "$(dirname "$0")/lib.sh"

# Runtime libraries .NET needs (libicu for globalization, libssl for TLS, ca-certificates for HTTPS).
INCLUDE="ca-certificates,libicu72,libssl3,zlib1g,tzdata"
TOOLS="iptables iproute2"
hash=$(ks_hash "$0" "$KS_IMAGES_DIR/lib.sh" "$KS_DEBIAN_SUITE" "$KS_DEBIAN_MIRROR" "$INCLUDE" "$TOOLS")
base="killswitch/debian:12"
tools="killswitch/debian-tools:12"

if ks_image_exists "$base-$hash" && ks_image_exists "$tools-$hash"; then
  ks_log "$base and $tools are up to date ($hash)"
  exit 0
fi

mkdir -p "$KS_CACHE_DIR/debootstrap-cache"
base_tar="$KS_CACHE_DIR/debian-12-$hash.tar"
tools_tar="$KS_CACHE_DIR/debian-tools-12-$hash.tar"
if [ ! -f "$base_tar" ] || [ ! -f "$tools_tar" ]; then
  ks_require debootstrap debootstrap
  work=$(mktemp -d "$KS_CACHE_DIR/rootfs.XXXXXX")
  trap 'umount "$work/tools/proc" 2>/dev/null || true; rm -rf "$work"' EXIT
  ks_log "debootstrap $KS_DEBIAN_SUITE (minbase + $INCLUDE) from $KS_DEBIAN_MIRROR"
  debootstrap --variant=minbase --include="$INCLUDE" --cache-dir="$KS_CACHE_DIR/debootstrap-cache" \
    "$KS_DEBIAN_SUITE" "$work/rootfs" "$KS_DEBIAN_MIRROR" >"$work/debootstrap.log" 2>&1 \
    || { tail -30 "$work/debootstrap.log" >&2; exit 1; }
  # Smaller image: no apt lists, no docs, no man pages, no package cache.
  rm -rf "$work/rootfs/var/lib/apt/lists/"* "$work/rootfs/var/cache/apt/"*.bin "$work/rootfs/var/cache/apt/archives/"*.deb \
    "$work/rootfs/usr/share/doc/"* "$work/rootfs/usr/share/man/"* "$work/rootfs/usr/share/info/"*
  printf 'deb %s %s main\n' "$KS_DEBIAN_MIRROR" "$KS_DEBIAN_SUITE" >"$work/rootfs/etc/apt/sources.list"

  ks_log "tools rootfs: + $TOOLS"
  cp -a "$work/rootfs" "$work/tools"
  cp /etc/resolv.conf "$work/tools/etc/resolv.conf"
  mount -t proc proc "$work/tools/proc"
  chroot "$work/tools" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $TOOLS" \
    >"$work/tools.log" 2>&1 || { umount "$work/tools/proc"; tail -30 "$work/tools.log" >&2; exit 1; }
  umount "$work/tools/proc"
  rm -rf "$work/tools/var/lib/apt/lists/"* "$work/tools/var/cache/apt/archives/"*.deb "$work/tools/usr/share/doc/"* "$work/tools/usr/share/man/"*
  : >"$work/tools/etc/resolv.conf"

  tar -C "$work/rootfs" --numeric-owner -cf "$base_tar.tmp" . && mv "$base_tar.tmp" "$base_tar"
  tar -C "$work/tools" --numeric-owner -cf "$tools_tar.tmp" . && mv "$tools_tar.tmp" "$tools_tar"
fi

import() {
  ks_log "docker import $1 -> $2"
  docker import --change "LABEL $KS_IMAGE_LABEL=$2" --change 'CMD ["/bin/bash"]' \
    --change 'ENV LANG=C.UTF-8' "$1" "$2-$hash" >/dev/null
  docker tag "$2-$hash" "$2"
}
import "$base_tar" "$base"
import "$tools_tar" "$tools"
ks_log "built $base and $tools ($hash)"
