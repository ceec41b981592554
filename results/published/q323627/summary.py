"""Mean ± 95 % confidence interval (Student t) over replications, from the
published folders' runs.csv and metrics.csv (python3 summary.py > summary.txt)."""
import collections
import csv
import statistics as st

# Two-sided 95 % quantiles of Student's t by degrees of freedom (index).
T975 = [0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262,
        2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093]


def table(path, keys, group=("policy",)):
    runs = {r["run_id"]: r for r in csv.DictReader(open(path + "/runs.csv"))}
    d = collections.defaultdict(list)
    for r in csv.DictReader(open(path + "/metrics.csv")):
        if r["metric"] in keys:
            g = "/".join(runs[r["run_id"]][k] for k in group)
            d[(g, r["metric"])].append(float(r["value"]))
    print(f"== {path}")
    for (g, m), v in sorted(d.items(), key=lambda x: (x[0][0], keys.index(x[0][1]))):
        ci = T975[len(v) - 1] * st.stdev(v) / len(v) ** 0.5 if len(v) > 1 else 0.0
        print(f"{g:30s} {m:32s} {st.mean(v):12.3f} ± {ci:.3f} (n={len(v)})")


table("compare", ["status.generated", "status.lost", "status.lost_pct",
                  "ad.clients_missing_status_pct", "status.requeued",
                  "status.delivery_p95_s", "status.delivery_p99_s",
                  "cqmgr.collisions", "cap.inbox_peak",
                  "cap.statmsgs_peak", "cap.ddr_peak", "cap.inventory_peak"])
curve = ["ad.clients_missing_status_pct", "status.lost_pct"]
table("sweep-clients-per-cap", curve, ("topology.clients_per_cap", "policy"))
table("sweep-same-minute-share", curve,
      ("workload.advertisements.0.same_minute_share", "policy"))
table("sweep-spread", curve,
      ("workload.advertisements.0.same_minute_delay_mean_s", "policy"))
table("sweep-spread-all-in-minute", curve,
      ("workload.advertisements.0.same_minute_delay_mean_s", "policy"))
table("sweep-clock-skew", curve, ("clients.clock_skew_sigma_s", "policy"))
