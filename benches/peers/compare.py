#!/usr/bin/env python3
"""Agreement and timing tables for smssim and its SimPy peer.

    python3 compare.py agree SMSSIM_SWEEP_CSV PEER_SWEEP_CSV
    python3 compare.py times DIR

`agree` reads two files in smssim's sweep.csv columns (varied parameter,
policy, metric, unit, mean, ci95, n) and prints, per point, policy and
metric, both means with their 95 % half-widths and whether they agree:
`both inside` (each mean lies inside the other's interval), `overlap` (the
intervals overlap) or `DISAGREE`. It exits 1 if a headline metric
disagrees.

`times` reads DIR/*.time files written by `/usr/bin/time -f "%e s %M KB"`
and named `<tool>-<work>-<round>.time`, and prints min/median/max wall time
and peak memory per tool and work, and the peer/smssim ratio of medians.
"""

import csv
import glob
import os
import statistics
import sys

HEADLINE = ["status.lost", "status.lost_pct", "ad.clients_missing_status_pct"]
CONTEXT = ["status.generated", "ad.clients_ran", "cqmgr.copy_attempts", "cqmgr.collisions",
           "cap.statmsgs_peak", "ima.files_moved", "ddr.generated", "inventory.generated"]


def read(path):
    out = {}
    with open(path, newline="") as f:
        r = csv.reader(f)
        head = next(r)
        for row in r:
            point, pol, metric, _unit, mean, ci, n = row
            out[(point, pol, metric)] = (float(mean), float(ci) if ci else 0.0, int(n))
    return head[0], out


def fmt(mean, ci):
    if abs(mean) >= 100:
        return f"{mean:,.1f} ± {ci:,.1f}"
    return f"{mean:.4g} ± {ci:.2g}"


def verdict(a, b):
    (ma, ca, _), (mb, cb, _) = a, b
    lo_a, hi_a, lo_b, hi_b = ma - ca, ma + ca, mb - cb, mb + cb
    eps = 1e-9 * max(1.0, abs(ma), abs(mb))
    if lo_b - eps <= ma <= hi_b + eps and lo_a - eps <= mb <= hi_a + eps:
        return "both inside"
    if lo_a <= hi_b + eps and lo_b <= hi_a + eps:
        return "overlap"
    return "DISAGREE"


def agree(smssim_csv, peer_csv):
    key, s = read(smssim_csv)
    _, p = read(peer_csv)
    points = sorted({(k[0], k[1]) for k in p}, key=lambda x: (float(x[0]), x[1] != "legacy", x[1]))
    bad = 0
    print(f"| {key} | policy | metric | smssim (mean ± 95 % CI) | SimPy peer (mean ± 95 % CI) | agreement |")
    print("|---|---|---|---|---|---|")
    for metrics, headline in ((HEADLINE, True), (CONTEXT, False)):
        for point, pol in points:
            for m in metrics:
                if (point, pol, m) not in s or (point, pol, m) not in p:
                    continue
                a, b = s[(point, pol, m)], p[(point, pol, m)]
                v = verdict(a, b)
                if headline and v == "DISAGREE":
                    bad += 1
                print(f"| {point} | {pol} | {m} | {fmt(a[0], a[1])} (n={a[2]}) "
                      f"| {fmt(b[0], b[1])} (n={b[2]}) | {v} |")
        if headline:
            print("| | | *context (not agreement criteria)* | | | |")
    print()
    print("headline metrics disagreeing:", bad)
    return 1 if bad else 0


def times(d):
    rows = {}
    for f in sorted(glob.glob(os.path.join(d, "*.time"))):
        tool, work, _round = os.path.basename(f)[:-5].rsplit("-", 2)
        with open(f) as fh:
            line = [l for l in fh.read().splitlines() if l.endswith(" KB")][-1]
        secs, _, kb, _ = line.split()
        rows.setdefault((work, tool), []).append((float(secs), int(kb)))
    med = {}
    print("| work | tool | runs | wall time min / median / max (s) | peak memory (MB, median) |")
    print("|---|---|---|---|---|")
    for (work, tool), v in sorted(rows.items()):
        w = sorted(x[0] for x in v)
        m = statistics.median(w)
        med[(work, tool)] = m
        mem = statistics.median(x[1] for x in v) / 1024
        print(f"| {work} | {tool} | {len(w)} | {w[0]:.2f} / {m:.2f} / {w[-1]:.2f} | {mem:.0f} |")
    print()
    for work in sorted({k[0] for k in med}):
        peer = med.get((work, "peer"))
        for tool in sorted(t for (w, t) in med if w == work and t != "peer"):
            if peer:
                print(f"{work}: peer / {tool} = {peer / med[(work, tool)]:.1f}x (medians)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "agree":
        sys.exit(agree(sys.argv[2], sys.argv[3]))
    if len(sys.argv) == 3 and sys.argv[1] == "times":
        sys.exit(times(sys.argv[2]))
    sys.exit(__doc__)
