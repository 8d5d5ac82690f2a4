#!/usr/bin/env bash
# Adds every project under src/, tests/ and samples/ that Toolkit.sln lacks (used after merges that both added projects).
# Test fixtures (*.Fixture) stay out: they hold deliberately failing cases that only their tests run, with filters.
set -euo pipefail
cd "$(dirname "$0")/.."
git checkout --ours Toolkit.sln 2>/dev/null || true
listed=$(dotnet sln Toolkit.sln list | tr '\\' '/')
find src tests samples -name '*.csproj' -not -path '*/obj/*' -not -path '*/bin/*' -not -name '*.Fixture.csproj' | sort | while read -r project; do
  grep -qxF "$project" <<<"$listed" || dotnet sln Toolkit.sln add "$project" >/dev/null
done
