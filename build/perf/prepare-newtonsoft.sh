#!/usr/bin/env bash
# Prepares the real-library case of the analyzer benchmark: Newtonsoft.Json 6.0.8 (MIT) from Debian 12's source
# package newtonsoft-json (6.0.8+dfsg-1.1), built for net10.0 from its unmodified sources, in a fresh git repository
# with the library on main and a synthetic feature branch (Killswitch.Analyzers.Benchmarks mutate: new methods,
# statements and flag-guarded branches in --files files, plus uncommitted and untracked changes).
# The library's code is fetched here at run time and never committed to this repository.
#
# Usage: build/perf/prepare-newtonsoft.sh DIR [--files N] [--enable-deb-src]
#   DIR               where the repository is created (must not exist or be empty), outside this repository
#   --files N         files the feature branch edits (default 60)
#   --enable-deb-src  as root, add Debian's deb-src lines (bookworm) when `apt-get source` has none, and update
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target=""
files=60
enable_src=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --files) files="$2"; shift 2 ;;
    --enable-deb-src) enable_src=true; shift ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) target="$1"; shift ;;
  esac
done
if [[ -z "$target" ]]; then
  echo "Missing DIR (see --help)." >&2
  exit 2
fi
if [[ -d "$target" && -n "$(ls -A "$target")" ]]; then
  echo "$target is not empty; pass an empty or new directory." >&2
  exit 2
fi

package="newtonsoft-json"
version="6.0.8+dfsg-1.1"

if [[ -z "$(apt-cache showsrc "$package" 2>/dev/null | head -n 1)" ]]; then
  if [[ "$enable_src" == true && "$(id -u)" == 0 ]]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >/etc/apt/sources.list.d/killswitch-deb-src.sources
    apt-get update -qq
  else
    cat >&2 <<EOF
apt has no source package '$package': Debian's deb-src lines are not enabled.
Enable them (as root): sed 's/^Types: deb\$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \\
  > /etc/apt/sources.list.d/killswitch-deb-src.sources && apt-get update
or run this script again with --enable-deb-src.
EOF
    exit 1
  fi
fi

download="$(mktemp -d)"
trap 'rm -rf "$download"' EXIT
# Only the upstream tarball is needed; apt may fail on the Debian packaging tarball, so check the file instead.
(cd "$download" && apt-get source --download-only "$package=$version" >apt.log 2>&1) || true
tarball="$(find "$download" -name "${package}_*.orig.tar.*" | head -n 1)"
if [[ -z "$tarball" ]]; then
  cat "$download/apt.log" >&2
  echo "Could not download the source of $package $version." >&2
  exit 1
fi
tar -xf "$tarball" -C "$download"
source_dir="$(find "$download" -maxdepth 3 -type d -path '*/Src/Newtonsoft.Json' | head -n 1)"

mkdir -p "$target/src"
target="$(cd "$target" && pwd)"
cp -r "$source_dir"/. "$target/src/"
find "$target/src" -name '*.csproj' -delete

cat >"$target/Newtonsoft.Json.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <!-- Newtonsoft.Json 6.0.8 (Debian source package newtonsoft-json 6.0.8+dfsg-1.1) built for net10.0 as is, for the
       Killswitch analyzer benchmark. No NET20/NET35/PORTABLE symbols: the library's full .NET Framework code path. -->
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <AssemblyName>Newtonsoft.Json</AssemblyName>
    <ImplicitUsings>disable</ImplicitUsings>
    <Nullable>disable</Nullable>
    <LangVersion>latest</LangVersion>
    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
    <GenerateAssemblyInfo>false</GenerateAssemblyInfo>
    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
    <!-- The SDK's default analyzers at the newest level, so CA1416 runs as it does in any net10.0 project. -->
    <AnalysisLevel>latest</AnalysisLevel>
    <!-- Code-access security and binary serialization are obsolete on .NET; the library predates that. -->
    <NoWarn>$(NoWarn);CS0618;CS0108;CS1591;SYSLIB0003;SYSLIB0011;SYSLIB0050;SYSLIB0051</NoWarn>
  </PropertyGroup>
  <ItemGroup>
    <Compile Include="src/**/*.cs" />
    <Compile Include="KillswitchBenchmark/**/*.cs" />
    <!-- SecurityPermission/ReflectionPermission moved out of the shared framework. -->
    <PackageReference Include="System.Security.Permissions" Version="10.0.12" />
  </ItemGroup>
</Project>
EOF
printf 'bin/\nobj/\n' >"$target/.gitignore"

export GIT_AUTHOR_NAME="Killswitch Benchmark" GIT_AUTHOR_EMAIL="bench@killswitch.invalid" GIT_AUTHOR_DATE="2025-01-01T00:00:00Z"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL" GIT_COMMITTER_DATE="$GIT_AUTHOR_DATE"
git -C "$target" init --quiet --initial-branch=main
git -C "$target" config user.name "$GIT_AUTHOR_NAME"
git -C "$target" config user.email "$GIT_AUTHOR_EMAIL"
git -C "$target" add --all
git -C "$target" commit --quiet -m "Newtonsoft.Json $version (Debian source package), built for net10.0"

tool_dll="$repo_root/tests/Killswitch.Analyzers.Benchmarks/bin/Release/net10.0/Killswitch.Analyzers.Benchmarks.dll"
dotnet build "$repo_root/tests/Killswitch.Analyzers.Benchmarks" -c Release -v:q -nologo >/dev/null
dotnet "$tool_dll" mutate --repo "$target" --files "$files" --seed 20250101

lines="$(git -C "$target" ls-files -- 'src/*.cs' | (cd "$target" && xargs cat) | wc -l)"
count="$(git -C "$target" ls-files -- 'src/*.cs' | wc -l)"
echo "Newtonsoft.Json $version: $count C# files, $lines lines on main; repository at $target"
