#!/usr/bin/env bash
# Builds killswitch/tools:1, the image of helper containers and pods that act inside a target's network namespace:
# iptables, tc (iproute2), nsenter (util-linux), the .NET runtime and the Killswitch network agent
# (src/Killswitch.Chaos.Agent, entrypoint `killswitch-agent`). The tag's "1" is the agent's command-line contract
# version (src/Killswitch.Chaos.Agent/README.md); it changes only when that contract breaks.
#
#   docker run --rm --network container:<target> --cap-add NET_ADMIN killswitch/tools:1 probe
#   docker run --rm --network container:<target> --cap-add NET_ADMIN killswitch/tools:1 inject --tag t1 --port 8080 --fault latency --latency-ms 200
#
# With a registry: build this once where the repo is, push it, and set DockerTargetOptions.ToolsImage (or the
# Kubernetes target's helper image) to the pushed name.
source "$(dirname "$0")/lib.sh"

parent="killswitch/debian-tools:12"
image="killswitch/tools:1"
ks_image_exists "$parent" || bash "$KS_IMAGES_DIR/debian.sh"
root=$(ks_dotnet_root)
core=$(ks_runtime_version Microsoft.NETCore.App)
agent_src="$KS_REPO_ROOT/src/Killswitch.Chaos.Agent"
core_src="$KS_REPO_ROOT/src/Killswitch.Chaos"
sources=$(cd "$KS_REPO_ROOT" && find src/Killswitch.Chaos.Agent src/Killswitch.Chaos Directory.Build.props Directory.Build.targets Directory.Packages.props build/Library.targets \
  -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' \) -not -path '*/bin/*' -not -path '*/obj/*' -print0 \
  | LC_ALL=C sort -z | xargs -0 sha256sum)
hash=$(ks_hash "$0" "$KS_IMAGES_DIR/lib.sh" "$(docker image inspect -f '{{.Id}}' "$parent")" "$core" "$sources")
if ks_image_exists "$image-$hash"; then
  ks_log "$image is up to date ($hash)"
  exit 0
fi

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
ks_log "dotnet publish Killswitch.Chaos.Agent"
dotnet publish "$agent_src/Killswitch.Chaos.Agent.csproj" -c Release -o "$context/agent" -p:UseAppHost=false -nologo -v q >"$context/publish.log" 2>&1 \
  || { cat "$context/publish.log" >&2; exit 1; }
rm -f "$context/agent/"*.pdb
mkdir -p "$context/dotnet/shared/Microsoft.NETCore.App" "$context/dotnet/host"
cp -a "$root/dotnet" "$context/dotnet/"
cp -a "$root/host/fxr" "$context/dotnet/host/"
cp -a "$root/shared/Microsoft.NETCore.App/$core" "$context/dotnet/shared/Microsoft.NETCore.App/"
# The agent references ASP.NET-free assemblies only: the bare .NET runtime is enough.
cat >"$context/Dockerfile" <<DOCKERFILE
ARG BASE_IMAGE=$parent
FROM \${BASE_IMAGE}
COPY dotnet/ /usr/share/dotnet/
COPY agent/ /opt/killswitch/agent/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \\
 && printf '#!/bin/sh\nexec dotnet /opt/killswitch/agent/Killswitch.Chaos.Agent.dll "\$@"\n' >/usr/local/bin/killswitch-agent \\
 && chmod +x /usr/local/bin/killswitch-agent
ENV DOTNET_ROOT=/usr/share/dotnet DOTNET_RUNNING_IN_CONTAINER=true DOTNET_gcServer=0 DOTNET_GCHeapHardLimit=0x4000000
ENTRYPOINT ["/usr/local/bin/killswitch-agent"]
CMD ["probe"]
LABEL $KS_IMAGE_LABEL=$image
DOCKERFILE
ks_log "docker build $image (.NET $core + agent)"
docker build -q -t "$image-$hash" -t "$image" "$context" >"$context/build.log" 2>&1 || { cat "$context/build.log" >&2; exit 1; }
ks_log "built $image ($hash)"
