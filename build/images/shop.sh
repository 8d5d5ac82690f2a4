#!/usr/bin/env bash
# Builds the sample shop's images, killswitch/shop-payments:dev and killswitch/shop-checkout:dev, from
# samples/Shop/<service>/Dockerfile on killswitch/aspnet:10 (--build-arg BASE_IMAGE): the app is published on the host
# (`dotnet publish -c Release`, framework-dependent) into a temporary build context laid out as the Dockerfile expects
# (bin/Release/net10.0/publish/), so the worktree's own bin/ is not touched. Each image is skipped when its content hash
# tag exists (the hash covers this script, the base image's id and the service's sources and Dockerfile, plus the repo's
# build settings). The tag "dev" is what samples/Shop/k8s/*.yaml and samples/Shop.ChaosTests/ShopSystem.cs name.
#
# With a registry: the same Dockerfiles build on mcr.microsoft.com/dotnet/aspnet:10.0 (their default BASE_IMAGE).
source "$(dirname "$0")/lib.sh"

parent="killswitch/aspnet:10"
ks_image_exists "$parent" || bash "$KS_IMAGES_DIR/aspnet.sh"
parent_id=$(docker image inspect -f '{{.Id}}' "$parent")

# build_service <project folder name> <image>
build_service() {
  local project="$1" image="$2" dir sources hash context
  dir="$KS_REPO_ROOT/samples/Shop/$project"
  sources=$(cd "$KS_REPO_ROOT" && find "samples/Shop/$project" Directory.Build.props Directory.Build.targets Directory.Packages.props \
    -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.json' -o -name 'Dockerfile' -o -name '.dockerignore' \) \
    -not -path '*/bin/*' -not -path '*/obj/*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
  hash=$(ks_hash "$0" "$KS_IMAGES_DIR/lib.sh" "$parent_id" "$sources")
  if ks_image_exists "$image-$hash"; then
    ks_log "$image is up to date ($hash)"
    return 0
  fi

  context=$(mktemp -d)
  ks_log "dotnet publish samples/Shop/$project"
  dotnet publish "$dir/$project.csproj" -c Release -o "$context/bin/Release/net10.0/publish" -p:UseAppHost=false -nologo -v q >"$context/publish.log" 2>&1 \
    || { cat "$context/publish.log" >&2; rm -rf "$context"; return 1; }
  rm -f "$context/bin/Release/net10.0/publish/"*.pdb
  cp "$dir/Dockerfile" "$dir/.dockerignore" "$context/"
  ks_log "docker build $image (FROM $parent)"
  docker build -q --build-arg "BASE_IMAGE=$parent" --label "$KS_IMAGE_LABEL=$image" -t "$image-$hash" -t "$image" "$context" >"$context/build.log" 2>&1 \
    || { cat "$context/build.log" >&2; rm -rf "$context"; return 1; }
  rm -rf "$context"
  ks_prune "$image" "$hash"
  ks_log "built $image ($hash)"
}

build_service Shop.Payments killswitch/shop-payments:dev
build_service Shop.Checkout killswitch/shop-checkout:dev
