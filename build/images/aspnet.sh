#!/usr/bin/env bash
# Builds killswitch/aspnet:10: killswitch/debian:12 plus the ASP.NET Core and .NET runtimes copied from the installed
# SDK (shared/Microsoft.NETCore.App and shared/Microsoft.AspNetCore.App, same versions the tests run on), laid out and
# configured like Microsoft's mcr.microsoft.com/dotnet/aspnet:10.0 (dotnet on PATH, port 8080, /app), so a Dockerfile
# written for one runs on the other. Framework-dependent apps (`dotnet publish`, no runtime identifier) run on it.
#
# Why copy the runtime instead of publishing self-contained: one runtime layer shared by every service image, no
# runtime packs to download (they are not on every offline feed), and exactly the runtime the tests were built against.
#
# With a registry instead: docker pull mcr.microsoft.com/dotnet/aspnet:10.0 && docker tag mcr.microsoft.com/dotnet/aspnet:10.0 killswitch/aspnet:10
# (or build service images with --build-arg BASE_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0).
source "$(dirname "$0")/lib.sh"

parent="killswitch/debian:12"
image="killswitch/aspnet:10"
ks_image_exists "$parent" || bash "$KS_IMAGES_DIR/debian.sh"
root=$(ks_dotnet_root)
core=$(ks_runtime_version Microsoft.NETCore.App)
asp=$(ks_runtime_version Microsoft.AspNetCore.App)
hash=$(ks_hash "$0" "$KS_IMAGES_DIR/lib.sh" "$(docker image inspect -f '{{.Id}}' "$parent")" "$core" "$asp")
if ks_image_exists "$image-$hash"; then
  ks_log "$image is up to date ($hash)"
  exit 0
fi

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/dotnet/shared" "$context/dotnet/host"
cp -a "$root/dotnet" "$root/LICENSE.txt" "$root/ThirdPartyNotices.txt" "$context/dotnet/" 2>/dev/null || cp -a "$root/dotnet" "$context/dotnet/"
cp -a "$root/host/fxr" "$context/dotnet/host/"
mkdir -p "$context/dotnet/shared/Microsoft.NETCore.App" "$context/dotnet/shared/Microsoft.AspNetCore.App"
cp -a "$root/shared/Microsoft.NETCore.App/$core" "$context/dotnet/shared/Microsoft.NETCore.App/"
cp -a "$root/shared/Microsoft.AspNetCore.App/$asp" "$context/dotnet/shared/Microsoft.AspNetCore.App/"
cat >"$context/Dockerfile" <<DOCKERFILE
ARG BASE_IMAGE=$parent
FROM \${BASE_IMAGE}
COPY dotnet/ /usr/share/dotnet/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet && mkdir /app
ENV DOTNET_ROOT=/usr/share/dotnet \\
    DOTNET_RUNNING_IN_CONTAINER=true \\
    DOTNET_VERSION=$core \\
    ASPNET_VERSION=$asp \\
    ASPNETCORE_HTTP_PORTS=8080
WORKDIR /app
EXPOSE 8080
LABEL $KS_IMAGE_LABEL=$image
DOCKERFILE
ks_log "docker build $image (.NET $core, ASP.NET Core $asp)"
docker build -q -t "$image-$hash" -t "$image" "$context" >"$context/build.log" 2>&1 || { cat "$context/build.log" >&2; exit 1; }
ks_log "built $image ($hash)"
