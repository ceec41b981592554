#!/usr/bin/env bash
# The rollout study of docs/rollout.md, with the project's own CLI:
# scenarios/rollout.json under its own plan (as-scheduled), two other orders
# of the same four fixes, doing nothing (legacy) and every fix at once
# (hotfix); each fix three days later than planned (what a day of delay
# costs); and the plan with each manual remedy added (what it buys).
#
# Every run of one replication shares its random numbers with the same
# replication of every other variant (common random numbers), so the
# differences are taken per replication and their 95 % interval is
# Student's t over the replications.
#
#   scripts/rollout-study.sh                 # 20 replications into results/published/rollout-study
#   R=4 OUT=/tmp/rs scripts/rollout-study.sh # quicker
#
# Prints the tables of docs/rollout.md and writes them to $OUT/summary.txt,
# the per-variant means to $OUT/variants.csv and the paired differences to
# $OUT/differences.csv.
set -euo pipefail
cd "$(dirname "$0")/.."

R="${R:-20}"
OUT="${OUT:-results/published/rollout-study}"
S=scenarios/rollout.json
if [[ -z "${SMSSIM:-}" ]]; then
  cargo build --release -p smssim --locked
  SMSSIM=./target/release/smssim
fi
rm -rf "$OUT"
mkdir -p "$OUT"

sp1='["A01","A03","A05","A07","A09","A11","A13","A15"]'
sp3='["CEN","A02","A04","A06","A08","A10","A12","A14","A16","A18","A17","A19"]'
# One step per fix: install(day, article, sites).
step() { printf '{"at":"%s","sites":%s,"install":"%s"}' "$1" "$3" "$2"; }
plan() { local IFS=,; echo "[$*]"; }

# The scenario's own plan, the articles' order: Q252717 with Q249077 first
# (the two fixes Q252717 requires on every SP1 site before anything else),
# Q242926, Q319207, Q323627.
articles_with() { # days of Q252717 Q249077 Q242926 Q319207 Q323627
  plan "$(step "$1" Q252717 "$sp1")" "$(step "$2" Q249077 "$sp1")" "$(step "$3" Q242926 "$sp1")" \
    "$(step "$4" Q319207 "$sp3")" "$(step "$5" Q323627 "$sp3")"
}
articles=$(articles_with 1d 1d 3d 7d 14d)
# The symptom the console shows first: Q323627, then Q319207, Q242926, and
# the two SP1 fixes last.
console_first=$(articles_with 14d 14d 7d 3d 1d)
# The central site's load first: Q319207, then Q323627, Q242926, the two
# SP1 fixes.
server_first=$(articles_with 14d 14d 7d 1d 3d)

run() { # name policy [rollout]
  local name=$1 policy=$2
  local args=("$SMSSIM" run "$S" --policy "$policy" --replications "$R" --quiet
    --set sample_interval=6h --out "$OUT/$name")
  if [[ $# -ge 3 ]]; then args+=(--set "rollout=$3"); fi
  "${args[@]}" > /dev/null
  echo "ran $name" >&2
}

run legacy legacy
run hotfix hotfix
run articles as-scheduled "$articles"
run console-first as-scheduled "$console_first"
run server-first as-scheduled "$server_first"

# Each fix three days later than in the articles' plan.
run late-q252717 as-scheduled "$(articles_with 4d 1d 3d 7d 14d)"
run late-q249077 as-scheduled "$(articles_with 1d 4d 3d 7d 14d)"
run late-q242926 as-scheduled "$(articles_with 1d 1d 6d 7d 14d)"
run late-q319207 as-scheduled "$(articles_with 1d 1d 3d 10d 14d)"
run late-q323627 as-scheduled "$(articles_with 1d 1d 3d 7d 17d)"

# The remedies, added to the articles' plan.
with() { echo "${articles%]},$1]"; }
# Q264630: CcrRetry.box cleared where Q242926 went on.
run clear-box as-scheduled "$(with '{"at":"3d","sites":'"$sp1"',"action":"clear_ccrretry_box"}')"
# Q319207: the Retry History of every package (17 and the daily signature
# update, CEN00001-CEN00012) deleted at the central site each morning of
# days 2 to 6 (the fix comes on day 7).
hist=""
for d in 2 3 4 5 6; do
  for p in $(seq 1 18); do
    id=$(printf 'CEN%05X' "$p")
    hist="$hist${hist:+,}{\"at\":\"$((d * 24 + 1))h\",\"site\":\"CEN\",\"action\":\"delete_retry_history\",\"package\":\"$id\"}"
  done
done
run delete-history as-scheduled "$(with "$hist")"
# Q319207's workaround: the failed DP removed from the packages on day 2.
run remove-dp as-scheduled "$(with '{"at":"2d","site":"CEN","action":"remove_dp","dp":0}')"

metrics="status.lost ad.clients_missing_status_pct ccm.attempts ccrretry.clients_with_duplicates ccm.sam_replications ccm.cross_version_attempts ccm.cross_version_clients clients.mixed_ever sched.jobs_created sched.backlog_peak package.site_latency_p95_s"

# Student t, two-sided 95 %, by degrees of freedom (1-30; above, 1.96).
T='1 12.706 2 4.303 3 3.182 4 2.776 5 2.571 6 2.447 7 2.365 8 2.306 9 2.262 10 2.228 11 2.201 12 2.179 13 2.160 14 2.145 15 2.131 16 2.120 17 2.110 18 2.101 19 2.093 20 2.086 21 2.080 22 2.074 23 2.069 24 2.064 25 2.060 26 2.056 27 2.052 28 2.048 29 2.045 30 2.042'

# variant,metric,mean,ci95,n
awk -F, -v T="$T" -v want="$metrics" '
  BEGIN { n = split(T, t, " "); for (i = 1; i < n; i += 2) tq[t[i]] = t[i+1]
          split(want, w, " "); for (i in w) keep[w[i]] = 1 }
  FNR == 1 { split(FILENAME, parts, "/"); v = parts[length(parts) - 1]; next }
  keep[$6] { k = v "," $6; s[k] += $7; q[k] += $7 * $7; c[k]++ ; if (!(k in seen)) { seen[k] = 1; order[++m] = k } }
  END { print "variant,metric,mean,ci95,n"
        for (j = 1; j <= m; j++) { k = order[j]; mean = s[k] / c[k]
          var = c[k] > 1 ? (q[k] - c[k] * mean * mean) / (c[k] - 1) : 0; if (var < 0) var = 0
          tt = (c[k] - 1 in tq) ? tq[c[k] - 1] : 1.96
          printf "%s,%.6g,%.4g,%d\n", k, mean, tt * sqrt(var / c[k]), c[k] } }
' "$OUT"/*/metrics.csv > "$OUT/variants.csv"

# Paired differences (variant - base, per replication): variant,base,metric,mean,ci95,n,per_day
pair() { # variant base days
  awk -F, -v T="$T" -v want="$metrics" -v days="$3" -v name="$1" -v base="$2" '
    BEGIN { n = split(T, t, " "); for (i = 1; i < n; i += 2) tq[t[i]] = t[i+1]
            split(want, w, " "); for (i in w) keep[w[i]] = 1 }
    FNR == 1 { f++; next }
    keep[$6] { k = $4 "," $6; if (f == 1) b[k] = $7; else d[k] = $7 }
    END { for (k in d) { split(k, kk, ","); x = d[k] - b[k]; s[kk[2]] += x; q[kk[2]] += x * x; c[kk[2]]++ }
          for (j = 1; j <= length(w); j++) { m = w[j]; if (!(m in c)) continue
            mean = s[m] / c[m]; var = c[m] > 1 ? (q[m] - c[m] * mean * mean) / (c[m] - 1) : 0; if (var < 0) var = 0
            tt = (c[m] - 1 in tq) ? tq[c[m] - 1] : 1.96; ci = tt * sqrt(var / c[m])
            printf "%s,%s,%s,%.6g,%.4g,%d,%.6g,%.4g\n", name, base, m, mean, ci, c[m], mean / days, ci / days } }
  ' "$OUT/$2/metrics.csv" "$OUT/$1/metrics.csv"
}
{
  echo "variant,base,metric,mean_diff,ci95,n,per_day,per_day_ci95"
  for v in console-first server-first legacy hotfix; do pair "$v" articles 1; done
  pair late-q252717 articles 3
  pair late-q249077 articles 3
  pair late-q242926 articles 3
  pair late-q319207 articles 3
  pair late-q323627 articles 3
  for v in clear-box delete-history remove-dp; do pair "$v" articles 1; done
} > "$OUT/differences.csv"

{
  echo "Variants: mean ± 95 % interval over $R replications"
  echo
  awk -F, 'NR > 1 { printf "%-16s %-34s %14s ± %s\n", $1, $2, $3, $4 }' "$OUT/variants.csv"
  echo
  echo "Paired differences from the articles' plan (per replication; 'late' variants also per day of delay)"
  echo
  awk -F, 'NR > 1 { printf "%-16s %-34s %14s ± %-10s", $1, $3, $4, $5; if ($1 ~ /^late/) printf "  per day %s ± %s", $7, $8; printf "\n" }' "$OUT/differences.csv"
} | tee "$OUT/summary.txt"
# The six-hourly series of 13 variants are 11 MB and quoted nowhere.
rm -f "$OUT"/*/timeseries.csv
