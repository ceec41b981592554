#!/usr/bin/env bash
# Peak memory of the combined scenario (scenarios/hierarchy.json, 100,000
# clients, every subsystem at work) as the simulated span grows from one
# week to half a year: flat when nothing accumulates per simulated day.
# Prints a Markdown table for docs/reliability.md. Takes a few minutes.
#
#   scripts/long-run-memory.sh [DAYS ...]     # default: 7 30 90 180
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release -p smssim --locked --quiet
sim=./target/release/smssim
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
days=("$@")
[[ ${#days[@]} -eq 0 ]] && days=(7 30 90 180)

echo "| simulated days | events | wall s | peak resident MiB | timeseries rows |"
echo "|---:|---:|---:|---:|---:|"
for d in "${days[@]}"; do
  # Fixed glibc malloc thresholds, so that the peak does not depend on the
  # allocator's adaptive heuristics (see docs/performance.md).
  GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072 \
    /usr/bin/time -f "%M %e" -o "$out/time" \
    $sim run scenarios/hierarchy.json --quiet --set "duration_days=$d" --out "$out/r$d"
  read -r kib wall < "$out/time"
  events=$(awk -F, 'NR==2 {print $(NF-1)}' "$out/r$d/runs.csv")
  rows=$(($(wc -l < "$out/r$d/timeseries.csv") - 1))
  echo "| $d | $events | $wall | $((kib / 1024)) | $rows |"
done
