#!/usr/bin/env bash
# Sums the <Counters> of every TRX file under a folder and prints "N passed, N failed, N skipped".
# Exit code: 0 when nothing failed and at least one test ran, 1 otherwise.
set -euo pipefail
dir=${1:?usage: trx-summary.sh <results folder>}
passed=0 failed=0 skipped=0 files=0
while IFS= read -r -d '' trx; do
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$(get total); executed=$(get executed); p=$(get passed)
  f=$(( $(get failed) + $(get error) + $(get timeout) + $(get aborted) ))
  passed=$((passed + p)); failed=$((failed + f))
  # Not executed = skipped (xunit reports skips as NotExecuted).
  skipped=$((skipped + total - executed))
done < <(find "$dir" -name '*.trx' -print0)
if [ "$files" -eq 0 ]; then
  echo "no TRX results found under $dir" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
