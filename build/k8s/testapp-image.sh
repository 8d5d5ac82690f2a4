#!/usr/bin/env bash
# Builds killswitch/chaos-testapp:1, the image the Kubernetes target's integration tests deploy: the chaos tests' own
# two-service app (tests/Killswitch.Chaos.TestApp: `--service payments|checkout`, /health/ready, /pid, /pay, /checkout)
# on killswitch/aspnet:10 (build/images/aspnet.sh). Skipped when the image tagged with the hash of its sources exists.
# For kind: kind load docker-image killswitch/chaos-testapp:1 --name <cluster> (the tests' Kind provider does it).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
image="killswitch/chaos-testapp:1"
base="${KILLSWITCH_ASPNET_IMAGE:-killswitch/aspnet:10}"
if ! docker image inspect "$base" >/dev/null 2>&1; then
  echo "Base image $base is missing: build it with build/images/aspnet.sh (or set KILLSWITCH_ASPNET_IMAGE)." >&2
  exit 1
fi

hash="$( { docker image inspect -f '{{.Id}}' "$base"; cat "$0";
  cd "$repo" && find tests/Killswitch.Chaos.TestApp src/Killswitch.Chaos Directory.Build.props Directory.Build.targets Directory.Packages.props \
    -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' \) -not -path '*/bin/*' -not -path '*/obj/*' -print0 |
    LC_ALL=C sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-16)"
if docker image inspect "$image-$hash" >/dev/null 2>&1; then
  echo "[testapp] $image is up to date ($hash)" >&2
  exit 0
fi

context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
dotnet publish "$repo/tests/Killswitch.Chaos.TestApp/Killswitch.Chaos.TestApp.csproj" -c Release -o "$context/app" -p:UseAppHost=false -nologo -v q \
  >"$context/publish.log" 2>&1 || { cat "$context/publish.log" >&2; exit 1; }
cat >"$context/Dockerfile" <<DOCKERFILE
FROM $base
COPY app/ /app/
WORKDIR /app
ENTRYPOINT ["dotnet", "/app/Killswitch.Chaos.TestApp.dll"]
LABEL killswitch.dev/image=$image
DOCKERFILE
docker build -q -t "$image-$hash" -t "$image" "$context" >/dev/null
echo "[testapp] built $image ($hash)" >&2
