#!/usr/bin/env bash
# Regenerates every folder under results/published/ that the write-ups in
# docs/ quote, with the commands they give. Same code, same outputs:
# metrics.csv, compare.csv, sweep.csv, ablation.csv and timeseries.csv come
# out byte-identical (runs.csv holds wall-clock times, manifest.json the
# revision). Takes a few minutes on two cores.
#
#   scripts/publish-results.sh            # all
#   scripts/publish-results.sh q319207    # one article's folders
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release -p smssim --locked
sim=./target/release/smssim
pub=results/published
only="${1:-}"

want() { [[ -z "$only" || "$only" == "$1" ]]; }
fresh() { rm -rf "$1"; }

if want hierarchy; then
  fresh $pub/hierarchy
  $sim compare scenarios/hierarchy.json --replications 10 --ablation --quiet \
    --set sample_interval=6h --out $pub/hierarchy
fi

if want q323627; then
  fresh $pub/q323627/compare
  $sim compare scenarios/status-storm.json --replications 10 --ablation --quiet \
    --out $pub/q323627/compare
  rm -f $pub/q323627/compare/timeseries.csv # 9.5 MB at 5-minute samples
  fresh $pub/q323627/sweep-clients-per-cap
  $sim sweep scenarios/status-storm.json \
    --vary topology.clients_per_cap=250,500,1000,2000,4000 \
    --policy legacy --policy hotfix --replications 5 --quiet \
    --out $pub/q323627/sweep-clients-per-cap
  rm -f $pub/q323627/sweep-clients-per-cap/timeseries.csv
  fresh $pub/q323627/sweep-same-minute-share
  $sim sweep scenarios/status-storm.json \
    --vary workload.advertisements.0.same_minute_share=0.1,0.2,0.3,0.4,0.6,0.8,1 \
    --policy legacy --policy hotfix --replications 5 --quiet \
    --out $pub/q323627/sweep-same-minute-share
  rm -f $pub/q323627/sweep-same-minute-share/timeseries.csv
  fresh $pub/q323627/sweep-spread
  $sim sweep scenarios/status-storm.json \
    --vary workload.advertisements.0.same_minute_delay_mean=1s,2s,5s,10s,20s,30s \
    --policy legacy --policy hotfix --replications 5 --quiet \
    --out $pub/q323627/sweep-spread
  rm -f $pub/q323627/sweep-spread/timeseries.csv
  fresh $pub/q323627/sweep-spread-all-in-minute
  $sim sweep scenarios/status-storm.json --set workload.advertisements.0.same_minute_share=1 \
    --vary workload.advertisements.0.same_minute_delay_mean=1s,2s,5s,10s,20s,30s \
    --policy legacy --policy hotfix --replications 5 --quiet \
    --out $pub/q323627/sweep-spread-all-in-minute
  rm -f $pub/q323627/sweep-spread-all-in-minute/timeseries.csv
  fresh $pub/q323627/sweep-clock-skew
  $sim sweep scenarios/status-storm.json \
    --vary clients.clock_skew_sigma=0s,2s,30s,120s \
    --policy legacy --replications 5 --quiet \
    --out $pub/q323627/sweep-clock-skew
  rm -f $pub/q323627/sweep-clock-skew/timeseries.csv
  fresh $pub/q323627/timeseries
  $sim run scenarios/status-storm.json --policy legacy --policy hotfix --quiet \
    --set duration_days=0.25 --set sample_interval=1m \
    --out $pub/q323627/timeseries
  plots=$(mktemp -d)
  $sim plot $pub/q323627/timeseries --out "$plots" >/dev/null
  cp "$plots"/cap.statmsgs_files_max.svg "$plots"/cqmgr.items_queued.svg $pub/q323627/timeseries/
  rm -rf "$plots"
  (cd $pub/q323627 && python3 summary.py > summary.txt)
fi

if want q242926; then
  fresh $pub/q242926
  $sim compare scenarios/ccr-retry.json --replications 10 --ablation --quiet \
    --set sample_interval=3h --out $pub/q242926
fi

if want q252717; then
  fresh $pub/q252717
  $sim compare scenarios/mixed-service-packs.json --replications 10 --ablation --quiet \
    --set sample_interval=6h --out $pub/q252717
fi

if want q319207; then
  fresh $pub/q319207/compare
  $sim compare scenarios/package-retry.json --replications 5 --quiet \
    --out $pub/q319207/compare
  fresh $pub/q319207/ablation
  $sim compare scenarios/package-retry.json --replications 3 --ablation --quiet \
    --out $pub/q319207/ablation
  rm -f $pub/q319207/ablation/timeseries.csv
  fresh $pub/q319207/sweep-child-sites
  $sim sweep scenarios/package-retry.json --set topology.grandchild_sites=0 \
    --vary topology.child_sites=10,20,40 --replications 3 --quiet \
    --out $pub/q319207/sweep-child-sites
  fresh $pub/q319207/retry-payload-package
  $sim compare scenarios/package-retry.json --set distribution.retry_payload=package \
    --replications 3 --quiet --out $pub/q319207/retry-payload-package
fi
if want rollout-study; then
  SMSSIM=$sim OUT=$pub/rollout-study scripts/rollout-study.sh > /dev/null
fi

echo "published: $(du -sh $pub | cut -f1) in $pub"
