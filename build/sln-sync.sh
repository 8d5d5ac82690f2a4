#!/usr/bin/env bash
# Adds every project under src/, tests/ and samples/ that Toolkit.sln lacks (used after merges that both added projects).
set -euo pipefail
cd "$(dirname "$0")/.."
git checkout --ours Toolkit.sln 2>/dev/null || true
listed=$(dotnet sln Toolkit.sln list | tr '\\' '/')
find src tests samples -name '*.csproj' -not -path '*/obj/*' -not -path '*/bin/*' | sort | while read -r project; do
  grep -qxF "$project" <<<"$listed" || dotnet sln Toolkit.sln add "$project" >/dev/null
done
