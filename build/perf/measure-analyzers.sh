#!/usr/bin/env bash
# Measures what the Killswitch analyzers cost in a real build, as the performance issue defines it:
#   Killswitch's own time as reported by `-p:ReportAnalyzer=true`, divided by the same project's compile time with
#   analyzers off (`-p:RunAnalyzers=false`), median of N runs; and CA1416's reported time the same way, for reference.
#
# Compile time = the Csc task's time in MSBuild's performance summary (`-clp:PerformanceSummary`) of a
# `--no-incremental -p:RunAnalyzers=false` build: the whole compiler invocation (start-up, parse, bind, emit),
# source generators included (RunAnalyzers=false skips analyzers only).
#
# The project gets Killswitch without being edited (its git status must stay what the benchmark set up):
#   --mode package  packs src/Killswitch.Build with a unique version into a local feed and references it through
#                   CustomAfterMicrosoftCommonTargets, so the real git step and the real analyzer run;
#   --mode direct   builds src/Killswitch.Analyzers, passes its dll as an <Analyzer> item and hands it the new-code
#                   file that the benchmark tool writes from git (what Killswitch.Build will compute);
#   --mode none     no Killswitch: compile time and CA1416 only;
#   --mode auto     (default) package when src/Killswitch.Build/build/Killswitch.Build.targets exists, else direct.
#
# Usage: build/perf/measure-analyzers.sh --project PATH [--runs N] [--out DIR] [--mode auto|package|direct|none]
#                                        [--base-ref REF] [--label TEXT] [--nice N] [--manifest FILE]
#   --nice N  runs the measured builds at niceness N (e.g. -10, as root) so that other jobs on a shared machine
#             disturb the timings less; the summary records it.
#   --manifest FILE  the flag manifest the flag rules (KS1002-KS1010) check the project against (package mode:
#             -p:KillswitchFlagManifest; write one with the benchmark tool's `manifest` command). Without it a
#             project with no flags.json measures KS1001 and only the "no manifest" check of the flag rules.
# Output: DIR/summary.md (table), DIR/runs.tsv (every run), DIR/*.log (build logs), DIR/csc.rsp (for `profile`).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
project=""
runs=3
out=""
mode="auto"
base_ref="main"
label=""
nice_level=""
manifest=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    --project) project="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --mode) mode="$2"; shift 2 ;;
    --base-ref) base_ref="$2"; shift 2 ;;
    --label) label="$2"; shift 2 ;;
    --nice) nice_level="$2"; shift 2 ;;
    --manifest) manifest="$2"; shift 2 ;;
    -h|--help) sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "Unknown argument '$1' (see --help)." >&2; exit 2 ;;
  esac
done

if [[ -z "$project" ]]; then
  echo "Missing --project: the .csproj (or its directory) to measure." >&2
  exit 2
fi
if [[ -d "$project" ]]; then
  project="$(find "$project" -maxdepth 1 -name '*.csproj' | head -n 1)"
fi
if [[ ! -f "$project" ]]; then
  echo "No project file at '$project'." >&2
  exit 2
fi
if ! [[ "$runs" =~ ^[0-9]+$ ]] || (( runs < 1 )); then
  echo "--runs takes a whole number >= 1 (the issue asks for at least 3)." >&2
  exit 2
fi

project="$(cd "$(dirname "$project")" && pwd)/$(basename "$project")"
project_dir="$(dirname "$project")"
name="$(basename "$project" .csproj)"
out="${out:-/tmp/killswitch-perf/${name}-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
label="${label:-$name}"
if [[ -n "$manifest" ]]; then
  [[ -f "$manifest" ]] || { echo "No manifest at '$manifest' (write one: Killswitch.Analyzers.Benchmarks manifest --project DIR --out FILE)." >&2; exit 2; }
  manifest="$(cd "$(dirname "$manifest")" && pwd)/$(basename "$manifest")"
fi

if [[ "$mode" == "auto" ]]; then
  if [[ -f "$repo_root/src/Killswitch.Build/build/Killswitch.Build.targets" ]]; then mode="package"; else mode="direct"; fi
fi

hook="$out/killswitch-bench.targets"
tool_dll="$repo_root/tests/Killswitch.Analyzers.Benchmarks/bin/Release/net10.0/Killswitch.Analyzers.Benchmarks.dll"

log() { printf '[measure %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

build_tool() {
  if [[ ! -f "$tool_dll" ]] || [[ -n "$(find "$repo_root/tests/Killswitch.Analyzers.Benchmarks" -name '*.cs' -newer "$tool_dll" -print -quit)" ]]; then
    log "building the benchmark tool"
    dotnet build "$repo_root/tests/Killswitch.Analyzers.Benchmarks" -c Release -v:q -nologo >"$out/tool-build.log" 2>&1 \
      || { cat "$out/tool-build.log" >&2; exit 1; }
  fi
}

case "$mode" in
  package)
    version="0.1.0-perf.$(date +%s)"
    feed="$out/feed"
    log "packing Killswitch.Build $version into $feed"
    dotnet pack "$repo_root/src/Killswitch.Build" -c Release -o "$feed" -p:Version="$version" -v:q -nologo >"$out/pack.log" 2>&1 \
      || { cat "$out/pack.log" >&2; exit 1; }
    cat >"$hook" <<EOF
<Project>
  <!-- Written by build/perf/measure-analyzers.sh: Killswitch.Build from a local feed, without editing the project. -->
  <ItemGroup>
    <PackageReference Include="Killswitch.Build" Version="$version" PrivateAssets="all" />
  </ItemGroup>
</Project>
EOF
    restore_args=(-p:RestoreAdditionalProjectSources="$feed" -p:RestorePackagesPath="$out/packages")
    if [[ -n "$manifest" ]]; then restore_args+=(-p:KillswitchFlagManifest="$manifest"); fi
    ;;
  direct)
    log "building Killswitch.Analyzers (Release)"
    dotnet build "$repo_root/src/Killswitch.Analyzers" -c Release -v:q -nologo >"$out/analyzer-build.log" 2>&1 \
      || { cat "$out/analyzer-build.log" >&2; exit 1; }
    analyzer_dll="$(find "$repo_root/src/Killswitch.Analyzers/bin/Release" -name Killswitch.Analyzers.dll | head -n 1)"
    build_tool
    git_root="$(git -C "$project_dir" rev-parse --show-toplevel)"
    log "writing the new-code file from git (base $base_ref)"
    rm -rf "$out/newcode"
    dotnet "$tool_dll" newcode --repo "$git_root" --base "$base_ref" --out "$out/newcode/bench.killswitch-newcode" \
      --base-text-dir "$out/newcode/base" | tee "$out/newcode.txt" >&2
    cat >"$hook" <<EOF
<Project>
  <!-- Written by build/perf/measure-analyzers.sh: the analyzer and its new-code file, without editing the project. -->
  <ItemGroup>
    <Analyzer Include="$analyzer_dll" />
    <AdditionalFiles Include="$out/newcode/bench.killswitch-newcode" />
    <AdditionalFiles Include="$out/newcode/base/**/*.killswitch-base" />
    <AdditionalFiles Include="$manifest" KillswitchKind="FlagManifest" Condition="'$manifest' != ''" />
  </ItemGroup>
</Project>
EOF
    restore_args=()
    ;;
  none)
    printf '<Project />\n' >"$hook"
    restore_args=()
    ;;
  *) echo "--mode is one of auto, package, direct, none (not '$mode')." >&2; exit 2 ;;
esac

run=()
if [[ -n "$nice_level" ]]; then
  run=(nice -n "$nice_level")
fi
common=(-nologo -p:CustomAfterMicrosoftCommonTargets="$hook" "${restore_args[@]}")

log "warm-up build of $project ($mode)"
"${run[@]}" dotnet build "$project" "${common[@]}" -p:ReportAnalyzer=true -v:n >"$out/warmup.log" 2>&1 \
  || { tail -n 30 "$out/warmup.log" >&2; echo "The warm-up build failed: see $out/warmup.log" >&2; exit 1; }

# Csc task time (ms) from the performance summary.
csc_ms() { awk '/Task Performance Summary/ { t = 1 } t && $3 == "Csc" { print $1; exit }' "$1"; }

# Seconds reported for one analyzer assembly or analyzer type in the ReportAnalyzer block ("<0.001" counts as 0).
reported_s() {
  awk -v pattern="$2" '
    /Total analyzer execution time/ { inside = 1; next }
    /Total generator execution time/ { inside = 0 }
    inside && index($0, pattern) { print ($1 ~ /^</ ? 0 : $1); exit }
  ' "$1"
}

printf 'run\tcompile_ms\tbuild_with_analyzers_csc_ms\tall_analyzers_s\tkillswitch_s\tca1416_s\n' >"$out/runs.tsv"
printf 'run\tanalyzer\tseconds\n' >"$out/killswitch-analyzers.tsv"
for ((i = 1; i <= runs; i++)); do
  log "run $i/$runs: analyzers off"
  "${run[@]}" dotnet build "$project" "${common[@]}" --no-restore --no-incremental -p:RunAnalyzers=false -clp:PerformanceSummary -v:n \
    >"$out/off-$i.log" 2>&1 || { tail -n 30 "$out/off-$i.log" >&2; exit 1; }
  log "run $i/$runs: ReportAnalyzer"
  "${run[@]}" dotnet build "$project" "${common[@]}" --no-restore --no-incremental -p:ReportAnalyzer=true -clp:PerformanceSummary -v:d \
    >"$out/on-$i.log" 2>&1 || { tail -n 30 "$out/on-$i.log" >&2; exit 1; }

  compile="$(csc_ms "$out/off-$i.log")"
  with_analyzers="$(csc_ms "$out/on-$i.log")"
  total="$(awk '/Total analyzer execution time:/ { print $(NF-1); exit }' "$out/on-$i.log")"
  killswitch="$(reported_s "$out/on-$i.log" "Killswitch.Analyzers, Version=")"
  ca1416="$(reported_s "$out/on-$i.log" "PlatformCompatibilityAnalyzer (CA1416")"
  # Each Killswitch analyzer type listed under the assembly (KS1001's, the flag-manifest rules', ...).
  awk -v run="$i" '
    /Total analyzer execution time/ { inside = 1; next }
    /Total generator execution time/ { inside = 0 }
    inside && $3 ~ /^Killswitch\./ && !/, Version=/ { name = $3; printf "%s\t%s\t%s\n", run, name, ($1 ~ /^</ ? 0 : $1) }
  ' "$out/on-$i.log" >>"$out/killswitch-analyzers.tsv"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "${compile:-NA}" "${with_analyzers:-NA}" "${total:-NA}" "${killswitch:-NA}" "${ca1416:-NA}" >>"$out/runs.tsv"
  log "run $i: compile ${compile:-?} ms, Killswitch ${killswitch:-not reported} s, CA1416 ${ca1416:-not reported} s"
done

# The compiler command line of the last analyzed build, for `Killswitch.Analyzers.Benchmarks profile --rsp`.
grep -m1 -E '^\s+\S*/csc(\.dll)? ' "$out/on-$runs.log" | sed 's/^ *//' >"$out/csc.rsp" || true

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "NA"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column_median() { awk -F'\t' -v c="$1" 'NR > 1 && $c != "NA" { print $c }' "$out/runs.tsv" | median; }

compile_med="$(column_median 2)"
with_med="$(column_median 3)"
total_med="$(column_median 4)"
ks_med="$(column_median 5)"
ca_med="$(column_median 6)"
ratio() { awk -v s="$1" -v ms="$2" 'BEGIN { if (s == "NA" || ms == "NA" || ms == 0) print "NA"; else printf "%.2f%%", 100 * s * 1000 / ms }'; }
ks_ratio="$(ratio "$ks_med" "$compile_med")"
ca_ratio="$(ratio "$ca_med" "$compile_med")"
# The same ratios run by run (each analyzed build against the analyzers-off build just before it), then the median:
# less sensitive to a slow spell on a shared machine than the ratio of medians.
run_ratio_median() { awk -F'\t' -v c="$1" 'NR > 1 && $c != "NA" && $2 != "NA" && $2 > 0 { print 100 * $c * 1000 / $2 }' "$out/runs.tsv" | median | awk '{ if ($1 == "NA") print "NA"; else printf "%.2f%%", $1 }'; }
ks_run_ratio="$(run_ratio_median 5)"
ca_run_ratio="$(run_ratio_median 6)"
verdict="$(awk -v k="$ks_med" -v c="$ca_med" -v m="$compile_med" 'BEGIN {
  if (k == "NA") { print "Killswitch not reported (did the analyzer run? see on-1.log)"; exit }
  r = 100 * k * 1000 / m
  printf "%s the 3%% target; %s CA1416 (%s s)", (r < 3 ? "under" : "OVER"), (c == "NA" ? "no CA1416 time to compare with" : (k <= c ? "not more than" : "MORE than")), c
}')"

{
  echo "## $label"
  echo
  echo "- project: \`$project\` ($mode mode), $runs runs, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "- flag manifest: ${manifest:-none}"
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; SDK $(dotnet --version); UseSharedCompilation=${UseSharedCompilation:-default}; niceness ${nice_level:-0}"
  echo
  echo "| measure | median |"
  echo "| --- | ---: |"
  echo "| compile time, analyzers off (Csc task) | ${compile_med} ms |"
  echo "| Csc task with analyzers and ReportAnalyzer | ${with_med} ms |"
  echo "| all analyzers, reported | ${total_med} s |"
  echo "| Killswitch.Analyzers, reported | ${ks_med} s |"
  echo "| CA1416 (PlatformCompatibilityAnalyzer), reported | ${ca_med} s |"
  echo "| Killswitch / compile (ratio of medians) | ${ks_ratio} |"
  echo "| CA1416 / compile (ratio of medians) | ${ca_ratio} |"
  echo "| Killswitch / compile (median of per-run ratios) | ${ks_run_ratio} |"
  echo "| CA1416 / compile (median of per-run ratios) | ${ca_run_ratio} |"
  echo
  echo "Killswitch analyzers one by one (median seconds):"
  echo
  echo "| analyzer | median |"
  echo "| --- | ---: |"
  for analyzer in $(awk -F'\t' 'NR > 1 { print $2 }' "$out/killswitch-analyzers.tsv" | sort -u); do
    echo "| $analyzer | $(awk -F'\t' -v a="$analyzer" 'NR > 1 && $2 == a { print $3 }' "$out/killswitch-analyzers.tsv" | median) s |"
  done
  echo
  echo "Verdict: $verdict."
  echo
  echo "Runs (runs.tsv):"
  echo
  echo '```'
  cat "$out/runs.tsv"
  echo '```'
} >"$out/summary.md"

cat "$out/summary.md"
log "logs and summary in $out"
