#!/usr/bin/env bash
# Provides the CI cluster's Kubernetes binaries in $KILLSWITCH_K8S_HOME/bin: restored in seconds from the cached
# tgz when one exists for this source version + patch, otherwise built from Debian's source package (cold: about
# 14 min on 2 cores, 3.7 GB of disk while building) and cached. Needs root for apt-get.
#
# What is built: kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy and kubectl with the
# tree's own `make WHAT=...` (the tree is GOPATH-style; a plain `go build` does not work), after oom-score.patch;
# plus the static `pause` binary from the same tree (build/pause/linux/pause.c), the pods' sandbox image.
#
# Usage: build/k8s/build.sh [--force] [--keep-tree]
#   --force       rebuild even when the cache has this key
#   --keep-tree   keep the source tree in $KILLSWITCH_K8S_CACHE/src-<key> (a patch change then rebuilds in ~30 s)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

force=false
keep_tree=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --force) force=true; shift ;;
    --keep-tree) keep_tree=true; shift ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "Unknown argument '$1' (see --help)." >&2; exit 2 ;;
  esac
done

key="$(k8s_cache_key)"
tgz="$k8s_cache/kubernetes-$key.tgz"
stamp="$k8s_bin/.key"

restore() {
  rm -rf "$k8s_bin.new"
  mkdir -p "$k8s_bin.new"
  tar -C "$k8s_bin.new" -xzf "$tgz"
  echo "$key" >"$k8s_bin.new/.key"
  rm -rf "$k8s_bin"
  mv "$k8s_bin.new" "$k8s_bin"
}

if [[ "$force" == false && -f "$tgz" ]]; then
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$key" ]]; then
    k8s_log "binaries $key already in $k8s_bin"
  else
    restore
    k8s_log "binaries $key restored from $tgz"
  fi
  exit 0
fi

if [[ "$(id -u)" != 0 ]]; then
  echo "Building Kubernetes needs root (apt-get install, apt-get source). Run: sudo $0 $*" >&2
  exit 1
fi

k8s_log "cold build of $k8s_source_package $k8s_source_version (key $key); about 14 min on 2 cores"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends dpkg-dev golang-go rsync jq gcc libc6-dev patch >/dev/null

if [[ -z "$(apt-cache showsrc "$k8s_source_package" 2>/dev/null | head -n 1)" ]]; then
  # Debian's images ship without deb-src lines: add them for the same suites as the binary lines.
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
    >/etc/apt/sources.list.d/killswitch-deb-src.sources
  apt-get update -qq
fi

mkdir -p "$k8s_cache"
work="$k8s_cache/src-$key"
if [[ "$keep_tree" == false ]]; then
  trap 'rm -rf "$work"' EXIT
fi
if [[ ! -f "$work/.patched" ]]; then
  rm -rf "$work"
  mkdir -p "$work"
  (cd "$work" && apt-get source -qq "$k8s_source_package=$k8s_source_version" >apt-source.log 2>&1) || {
    cat "$work/apt-source.log" >&2
    echo "apt-get source $k8s_source_package=$k8s_source_version failed (is Debian's mirror reachable?)." >&2
    exit 1
  }
  tree="$(find "$work" -mindepth 1 -maxdepth 1 -type d -name "kubernetes-*" | head -n 1)"
  patch -d "$tree" -p1 --forward --quiet <"$k8s_scripts/oom-score.patch"
  touch "$work/.patched"
fi
tree="$(find "$work" -mindepth 1 -maxdepth 1 -type d -name "kubernetes-*" | head -n 1)"

what=""
for b in "${k8s_binaries[@]}"; do what+="cmd/$b "; done
started=$SECONDS
(cd "$tree" && make WHAT="${what% }")
k8s_log "make finished in $((SECONDS - started)) s"

out="$work/out"
rm -rf "$out"
mkdir -p "$out"
for b in "${k8s_binaries[@]}"; do cp "$tree/_output/local/bin/linux/amd64/$b" "$out/"; done
gcc -Os -Wall -Werror -static -DVERSION=v3.2-killswitch -o "$out/pause" "$tree/build/pause/linux/pause.c"
strip "$out/pause"
tar -C "$out" -czf "$tgz.tmp" .
mv "$tgz.tmp" "$tgz"
k8s_log "cached $tgz ($(du -h "$tgz" | cut -f1))"
restore
k8s_log "binaries $key in $k8s_bin"
