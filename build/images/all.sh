#!/usr/bin/env bash
# Builds every image the Docker target, its tests and the sample need, each skipped when its content hash tag exists:
#   killswitch/debian:12, killswitch/debian-tools:12 (debian.sh), killswitch/aspnet:10 (aspnet.sh), killswitch/tools:1 (tools.sh),
#   killswitch/shop-payments:dev, killswitch/shop-checkout:dev (shop.sh: the sample, for KILLSWITCH_TARGET=docker|kubernetes)
# Cold (empty cache): debootstrap dominates; warm: a few `docker image inspect`s. See docs/targets/docker.md.
source "$(dirname "$0")/lib.sh"
bash "$KS_IMAGES_DIR/debian.sh"
bash "$KS_IMAGES_DIR/aspnet.sh"
bash "$KS_IMAGES_DIR/tools.sh"
bash "$KS_IMAGES_DIR/shop.sh"
