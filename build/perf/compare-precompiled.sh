#!/usr/bin/env bash
# Compares the precompiled (ReadyToRun) Killswitch analyzers with the IL ones on one compiler command line: the same
# csc invocation, alternating IL and precompiled, N times each, with Killswitch's and CA1416's times as the compiler
# reports them (/reportanalyzer), the wall time and the load average of every run, then the medians.
#
# The command line is the one `measure-analyzers.sh --mode package` saves (OUT/csc.rsp): a real build's, naming the
# packed Killswitch.Build's precompiled copy for this platform (precompiled-analyzers/<rid>/). The IL copy is the
# same package's analyzers/dotnet/cs/. The compiler writes to a temporary file, not to the project's obj/.
#
# Usage: build/perf/compare-precompiled.sh RSP PROJECT_DIR [RUNS [NICE]]
#   RSP          the csc.rsp that measure-analyzers.sh --mode package wrote into its output folder
#   PROJECT_DIR  the project's directory (the command line's relative paths start there)
#   RUNS         alternations (default 4): RUNS IL runs and RUNS precompiled runs
#   NICE         runs the compiler at this niceness (e.g. -10, as root), as measure-analyzers.sh --nice
set -euo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 0
fi
rsp="${1:-}"
project_dir="${2:-}"
runs="${3:-4}"
nice_level="${4:-}"
if [[ ! -f "$rsp" || ! -d "$project_dir" ]]; then
  echo "Pass RSP (the csc.rsp that measure-analyzers.sh --mode package writes) and PROJECT_DIR (see --help)." >&2
  exit 2
fi
if ! [[ "$runs" =~ ^[0-9]+$ ]] || (( runs < 1 )); then
  echo "RUNS takes a whole number >= 1." >&2
  exit 2
fi

line="$(cat "$rsp")"
csc="${line%% *}"
precompiled_dir="$(grep -oE '/analyzer:[^ ]*/precompiled-analyzers/[^/ ]+/Killswitch\.Analyzers\.dll' "$rsp" | head -n 1 | sed 's|^/analyzer:||; s|/Killswitch\.Analyzers\.dll$||')"
if [[ -z "$precompiled_dir" ]]; then
  echo "$rsp names no precompiled Killswitch analyzers (precompiled-analyzers/<rid>/): was the package packed with" >&2
  echo "crossgen2, and does it have a copy for this platform? See docs/performance.md." >&2
  exit 1
fi
package_dir="${precompiled_dir%/precompiled-analyzers/*}"
il_dir="$package_dir/analyzers/dotnet/cs"

work="$(mktemp -d /tmp/killswitch-precompiled.XXXXXX)"
trap 'rm -rf "$work"' EXIT
# The compiler's arguments without the program, writing to the temporary folder, no reference assembly.
args="$(printf '%s\n' "${line#* }" | sed -E "s#(^| )/out:[^ ]+#\1/out:$work/out.dll#; s#(^| )/refout:[^ ]+##g")"
printf '%s\n' "$args" >"$work/precompiled.rsp"
printf '%s\n' "${args//$precompiled_dir/$il_dir}" >"$work/il.rsp"
[[ "$args" == *"/reportanalyzer"* ]] || printf '/reportanalyzer\n' | tee -a "$work/precompiled.rsp" >>"$work/il.rsp"

run=()
if [[ -n "$nice_level" ]]; then
  run=(nice -n "$nice_level")
fi

echo "csc: $csc.dll; IL: $il_dir; precompiled: $precompiled_dir"
printf 'variant\trun\twall_ms\tkillswitch_s\tca1416_s\tload\n' >"$work/runs.tsv"
for ((i = 1; i <= runs; i++)); do
  for variant in il precompiled; do
    start=$(date +%s%N)
    output="$(cd "$project_dir" && "${run[@]}" dotnet "$csc.dll" @"$work/$variant.rsp" 2>&1)" \
      || { printf '%s\n' "$output" | tail -n 20 >&2; echo "The $variant compilation failed." >&2; exit 1; }
    wall=$(( ($(date +%s%N) - start) / 1000000 ))
    if grep -q 'CS8034' <<<"$output"; then
      grep 'CS8034' <<<"$output" >&2
      echo "The $variant analyzers did not load." >&2
      exit 1
    fi
    killswitch="$(awk '$3 ~ /^Killswitch\.Analyzers,/ { print ($1 ~ /^</ ? 0 : $1); exit }' <<<"$output")"
    ca1416="$(awk '/PlatformCompatibilityAnalyzer/ { print ($1 ~ /^</ ? 0 : $1); exit }' <<<"$output")"
    load="$(cut -d' ' -f1 /proc/loadavg)"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$variant" "$i" "$wall" "${killswitch:-NA}" "${ca1416:-NA}" "$load" >>"$work/runs.tsv"
    echo "$variant run=$i wall=${wall}ms killswitch=${killswitch:-NA}s ca1416=${ca1416:-NA}s load=$load"
  done
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "NA"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for variant in il precompiled; do
  ks="$(awk -F'\t' -v v="$variant" '$1 == v && $4 != "NA" { print $4 }' "$work/runs.tsv" | median)"
  ca="$(awk -F'\t' -v v="$variant" '$1 == v && $5 != "NA" { print $5 }' "$work/runs.tsv" | median)"
  wall="$(awk -F'\t' -v v="$variant" '$1 == v { print $3 }' "$work/runs.tsv" | median)"
  echo "median $variant: killswitch=${ks}s ca1416=${ca}s wall=${wall}ms ($runs runs)"
done
