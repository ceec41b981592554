#!/usr/bin/env bash
# Runs smssim and its SimPy peer (status_storm.py) on the same points of
# scenarios/status-storm.json -- topology.clients_per_cap = 1000 and 4000,
# policies legacy and hotfix, REPS replications each -- and prints the
# agreement table and the wall-time table.
#
# This takes a while: about 20 minutes with the defaults on a 2-core machine
# (one round is ~5 min of Python for the peer's whole set, ~1 min for
# smssim on one core, plus the single-run timings; ROUNDS=3 rounds).
# ROUNDS=1 takes about 7 minutes.
#
# Environment: REPS (default 10), ROUNDS (default 3), OUT (default
# /tmp/peer-bench), SMSSIM (default target/release/smssim, built if absent).
# Timing runs alternate between the two tools so that a noisy, shared machine
# affects both alike; smssim runs with --jobs 1, as the peer uses one core
# (the whole set is also timed with smssim's default, one run per core:
# "smssim_alljobs").
set -euo pipefail
cd "$(dirname "$0")/../.."

REPS=${REPS:-10}
ROUNDS=${ROUNDS:-3}
OUT=${OUT:-/tmp/peer-bench}
SMSSIM=${SMSSIM:-target/release/smssim}
PEER=benches/peers/status_storm.py
SCEN=scenarios/status-storm.json
TIME=(/usr/bin/time -f "%e s %M KB")
# Every machine an SMS client: smssim runs advertisements only on SMS
# clients, and the peer, which has no Client Configuration Manager, treats
# every machine as one (status-storm.json's default makes 2 % of the
# machines new, not yet clients).
ALL_CLIENTS=(--set ccr.new_machines.share=0)

[ -x "$SMSSIM" ] || cargo build --release -p smssim
python3 -c 'import simpy' 2>/dev/null || python3 -m pip install 'simpy==4.1.2'
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

rm -rf "$OUT"
mkdir -p "$OUT/times"
echo "smssim: $("$SMSSIM" --version 2>/dev/null || echo "$SMSSIM")  $(git rev-parse --short HEAD 2>/dev/null || true)"
echo "peer:   Python $(python3 -c 'import sys; print(sys.version.split()[0])'), SimPy $(python3 -c 'import simpy; print(simpy.__version__)')"
echo "points: clients_per_cap 1000,4000 x legacy,hotfix x $REPS replications; $ROUNDS timing rounds"
echo

for r in $(seq 1 "$ROUNDS"); do
    echo "round $r/$ROUNDS: one legacy replication at 4000 clients per CAP" >&2
    "${TIME[@]}" -o "$OUT/times/smssim-single-$r.time" \
        "$SMSSIM" run "$SCEN" "${ALL_CLIENTS[@]}" --set topology.clients_per_cap=4000 --policy legacy \
        --jobs 1 --quiet --out "$OUT/smssim-single-$r"
    "${TIME[@]}" -o "$OUT/times/peer-single-$r.time" \
        python3 "$PEER" "$SCEN" "${ALL_CLIENTS[@]}" --clients-per-cap 4000 --policy legacy --replications 1 \
        --quiet > "$OUT/peer-single-$r.txt"

    echo "round $r/$ROUNDS: the whole set" >&2
    "${TIME[@]}" -o "$OUT/times/smssim-set-$r.time" \
        "$SMSSIM" sweep "$SCEN" "${ALL_CLIENTS[@]}" --vary topology.clients_per_cap=1000,4000 \
        --policy legacy --policy hotfix --replications "$REPS" \
        --jobs 1 --quiet --out "$OUT/smssim-set-$r"
    "${TIME[@]}" -o "$OUT/times/smssim_alljobs-set-$r.time" \
        "$SMSSIM" sweep "$SCEN" "${ALL_CLIENTS[@]}" --vary topology.clients_per_cap=1000,4000 \
        --policy legacy --policy hotfix --replications "$REPS" \
        --quiet --out "$OUT/smssim-alljobs-set-$r"
    "${TIME[@]}" -o "$OUT/times/peer-set-$r.time" \
        python3 "$PEER" "$SCEN" "${ALL_CLIENTS[@]}" --clients-per-cap 1000,4000 \
        --policy legacy --policy hotfix --replications "$REPS" --quiet \
        --csv "$OUT/peer-set-$r.csv" --runs-csv "$OUT/peer-runs-$r.csv" > "$OUT/peer-set-$r.txt"
done

echo "## Agreement (round 1; smssim sweep.csv vs the peer, $REPS replications each)"
echo
status=0
python3 benches/peers/compare.py agree "$OUT/smssim-set-1/sweep.csv" "$OUT/peer-set-1.csv" || status=$?
echo
echo "## Wall time ($ROUNDS interleaved rounds; smssim with --jobs 1)"
echo
python3 benches/peers/compare.py times "$OUT/times"
exit "$status"
