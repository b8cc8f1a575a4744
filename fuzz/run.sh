#!/usr/bin/env bash
# Runs the fuzz targets built in BUILD (make fuzz) for SECONDS in total, each
# on a copy of its seed corpus in a temporary folder, so that the repository
# is not touched. Fails on the first finding and names the input that
# reproduces it (kept in BUILD/fuzz-findings/).
#
# Usage: bash fuzz/run.sh BUILD SECONDS
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: bash $0 BUILD SECONDS" >&2
  exit 64
fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=$(cd "$1" && pwd)
SECONDS_TOTAL=$2
FINDINGS=$BUILD/fuzz-findings
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$FINDINGS"

# fuzz_bundle gets two fifths of the time: it is the bundle reader's real
# entry point.
targets=(fuzz_bundle fuzz_manifest fuzz_changes fuzz_extract)
declare -A share=([fuzz_bundle]=2 [fuzz_manifest]=1 [fuzz_changes]=1 [fuzz_extract]=1)
declare -A seeds=([fuzz_bundle]="corpus/bundle regressions" [fuzz_manifest]="corpus/manifest"
  [fuzz_changes]="corpus/changes" [fuzz_extract]="corpus/extract")
declare -A dict=([fuzz_bundle]=bundle.dict [fuzz_manifest]=bundle.dict [fuzz_changes]=bundle.dict
  [fuzz_extract]=extract.dict)

for t in "${targets[@]}"; do
  time=$((SECONDS_TOTAL * share[$t] / 5))
  [ "$time" -ge 1 ] || time=1
  mkdir -p "$WORK/$t"
  for d in ${seeds[$t]}; do
    if [ -d "$HERE/$d" ]; then find "$HERE/$d" -maxdepth 1 -type f ! -name '*.md' -exec cp {} "$WORK/$t/" \; ; fi
  done
  echo "== $t: ${time} s on $(find "$WORK/$t" -type f | wc -l) seeds"
  rc=0
  "$BUILD/fuzz/$t" "$WORK/$t" -dict="$HERE/${dict[$t]}" -max_total_time="$time" -max_len=65536 \
    -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$FINDINGS/$t-" -print_final_stats=1 \
    >"$WORK/$t.log" 2>&1 || rc=$?
  grep -E "^#[0-9]+[[:space:]]+DONE" "$WORK/$t.log" || true
  if [ "$rc" -ne 0 ]; then
    tail -n 60 "$WORK/$t.log"
    found=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$WORK/$t.log" | tail -n 1)
    echo "$t found a problem (exit $rc). Reproduce it with:" >&2
    echo "  $BUILD/fuzz/$t ${found:-$FINDINGS/$t-*}" >&2
    exit 1
  fi
done
echo "No findings in ${SECONDS_TOTAL} s of fuzzing."
