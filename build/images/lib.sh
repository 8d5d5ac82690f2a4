#!/usr/bin/env bash
# Shared helpers for the image scripts (sourced, not run). Images are built without a registry: a Debian rootfs made
# with debootstrap from the package mirror is imported with `docker import`, and every other image is `FROM` it.
# Each image is tagged twice: its stable name (killswitch/aspnet:10) and that name with a content hash
# (killswitch/aspnet:10-3f2a...). When the hash tag exists, nothing is rebuilt.
set -euo pipefail

KS_IMAGES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KS_REPO_ROOT="$(cd "$KS_IMAGES_DIR/../.." && pwd)"
# Expensive things (the rootfs tarballs, the debootstrap package cache) live outside the repo.
KS_CACHE_DIR="${KILLSWITCH_IMAGE_CACHE:-/var/cache/killswitch/images}"
KS_DEBIAN_SUITE="${KILLSWITCH_DEBIAN_SUITE:-bookworm}"
KS_DEBIAN_MIRROR="${KILLSWITCH_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# Labels on everything we build, so `docker image ls --filter label=killswitch.dev/image` finds it.
KS_IMAGE_LABEL="killswitch.dev/image"

ks_log() { printf '[images] %s\n' "$*" >&2; }

# ks_hash <text or files...>: a short sha256 of the arguments' content (files are read, other words hashed as text).
ks_hash() {
  local item
  for item in "$@"; do
    if [ -f "$item" ]; then cat "$item"; elif [ -d "$item" ]; then
      (cd "$item" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    else printf '%s\n' "$item"; fi
  done | sha256sum | cut -c1-16
}

ks_image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# ks_require <command> <debian package>
ks_require() {
  command -v "$1" >/dev/null 2>&1 && return 0
  ks_log "installing $2 (for $1)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

# ks_dotnet_root: the installed SDK's root (its shared/ folder holds the runtimes copied into images).
ks_dotnet_root() { dirname "$(readlink -f "$(command -v dotnet)")"; }

# ks_runtime_version <framework>: the newest installed version of a shared framework with the given major.
ks_runtime_version() {
  local major="${KILLSWITCH_DOTNET_MAJOR:-10}"
  ls "$(ks_dotnet_root)/shared/$1" | grep "^$major\." | sort -V | tail -1
}
