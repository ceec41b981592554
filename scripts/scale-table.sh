#!/usr/bin/env bash
# The scaling table of docs/performance.md: million-clients.json's workload
# (every subsystem active, 5 CAPs a site, 4,000 clients a CAP, one simulated
# week) at 10k, 100k, 1M and 10M clients, scaled by the number of sites
# (10M is scenarios/ten-million-clients.json), one replication per policy,
# release build. Prints a Markdown table: wall time, events, events/s, peak
# resident memory and bytes per client, from /usr/bin/time.
#
#   scripts/scale-table.sh                 # all four sizes, both policies
#   SIZES="1m 10m" POLICIES=legacy scripts/scale-table.sh
#   JOBS=1 scripts/scale-table.sh          # one thread a run (no status lane
#                                          # thread): the single-core figures
#
# The 10M runs take about a minute each and 2 GiB; on a shared machine run
# it when nothing else is, and quote the ratio 10M/1M of the same call.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release -p smssim --locked --quiet
sim=./target/release/smssim
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
read -r -a sizes <<< "${SIZES:-10k 100k 1m 10m}"
read -r -a policies <<< "${POLICIES:-legacy hotfix}"
jobs=()
if [ -n "${JOBS:-}" ]; then jobs=(--jobs "$JOBS"); fi

args_for() {
  case "$1" in
    10k) echo "scenarios/million-clients.json --set topology.child_sites=0 --set topology.clients_per_cap=2000" ;;
    100k) echo "scenarios/million-clients.json --set topology.child_sites=4" ;;
    1m) echo "scenarios/million-clients.json" ;;
    10m) echo "scenarios/ten-million-clients.json" ;;
    *) echo "unknown size $1 (10k, 100k, 1m, 10m)" >&2; exit 2 ;;
  esac
}

echo "| clients | policy | events | wall s | events/s | peak MiB | bytes/client |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for size in "${sizes[@]}"; do
  for p in "${policies[@]}"; do
    # shellcheck disable=SC2046
    /usr/bin/time -f "%M %e" -o "$out/time" \
      $sim run $(args_for "$size") --policy "$p" "${jobs[@]}" --quiet --out "$out/r"
    read -r kib wall < "$out/time"
    events=$(awk -F, '$6 == "sim.events" {print $7}' "$out/r/metrics.csv")
    clients=$(awk -F, '$6 == "clients.count" {print $7}' "$out/r/metrics.csv")
    awk -v c="$clients" -v p="$p" -v e="$events" -v w="$wall" -v k="$kib" 'BEGIN {
      printf "| %\047d | %s | %\047d | %.2f | %.2f M | %d | %d |\n",
        c, p, e, w, e / w / 1e6, k / 1024, k * 1024 / c }'
  done
done
