//! `smssim merge`: shards of one sweep concatenate into the unsharded
//! result.
//!
//! Before anything is written, the inputs are checked: each is a results
//! folder written by smssim, all come from one experiment (scenario file
//! and its hash, overrides, policies, grid and run count agree), they hold
//! disjoint runs, and when they are shards (`--shard I/N`) every shard of
//! the N is there exactly once.

use crate::atomic::AtomicFile;
use crate::folder::MANIFEST;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

/// Files that merge by concatenation, sorted by `run_id`.
pub const MERGED: [&str; 3] = ["runs.csv", "metrics.csv", "timeseries.csv"];

/// Manifest fields that must agree between the folders of one experiment.
pub const SAME_EXPERIMENT: [&str; 9] = [
    "command",
    "scenario",
    "scenario_sha256",
    "seed",
    "overrides",
    "policies",
    "grid",
    "total_runs",
    "version",
];

/// Largest manifest read (a real one is a few KiB).
const MAX_MANIFEST_BYTES: u64 = 1 << 20;

/// A merge that could not be done.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A file could not be read or written.
    #[error("{path}: cannot read or write")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: io::Error,
    },
    /// An input is not a results folder of smssim.
    #[error("{path}: not a results folder of smssim ({why}): expected the --out folder of a sharded `smssim sweep`")]
    NotResults {
        /// The folder.
        path: String,
        /// What is missing.
        why: String,
    },
    /// Two folders come from different experiments.
    #[error(
        "{path}: its manifest's {field} ({theirs}) differs from {first}'s ({ours}): \
         the folders are not shards of one sweep"
    )]
    Mismatch {
        /// The folder that differs.
        path: String,
        /// The first folder.
        first: String,
        /// The manifest field.
        field: String,
        /// The first folder's value.
        ours: String,
        /// This folder's value.
        theirs: String,
    },
    /// Shards are missing or given twice.
    #[error("{problem}: give every shard's folder once, e.g. `smssim merge shard0 shard1 shard2 -o merged`")]
    Shards {
        /// What is wrong.
        problem: String,
    },
    /// Two shards' files have different columns.
    #[error("{path}: its header differs from {first}'s: the folders are not shards of one sweep")]
    Header {
        /// The file that differs.
        path: String,
        /// The first file read.
        first: String,
    },
    /// Two shards hold the same run.
    #[error("run {run_id} appears in more than one folder ({path})")]
    Duplicate {
        /// The run.
        run_id: u64,
        /// Where it appeared again.
        path: String,
    },
    /// A row does not start with a run id.
    #[error("{path}:{line}: expected a run id in the first column")]
    BadRow {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
    },
}

impl MergeError {
    /// Whether the inputs are at fault (as opposed to the disk).
    pub fn is_user_error(&self) -> bool {
        !matches!(self, MergeError::Io { .. })
    }
}

fn io_err(p: &Path) -> impl FnOnce(io::Error) -> MergeError {
    let path = p.display().to_string();
    move |source| MergeError::Io { path, source }
}

/// One input folder, checked.
struct Input {
    dir: PathBuf,
    manifest: serde_json::Map<String, Value>,
    shard: Option<(u64, u64)>,
}

fn read_input(dir: &Path) -> Result<Input, MergeError> {
    let not = |why: &str| MergeError::NotResults {
        path: dir.display().to_string(),
        why: why.to_string(),
    };
    if !dir.is_dir() {
        return Err(not(if dir.exists() {
            "not a folder"
        } else {
            "no such folder"
        }));
    }
    let path = dir.join(MANIFEST);
    if !path.is_file() {
        return Err(not("no manifest.json"));
    }
    let mut text = Vec::new();
    std::fs::File::open(&path)
        .and_then(|f| f.take(MAX_MANIFEST_BYTES + 1).read_to_end(&mut text))
        .map_err(io_err(&path))?;
    if text.len() as u64 > MAX_MANIFEST_BYTES {
        return Err(not("manifest.json is larger than 1 MiB"));
    }
    let manifest = match serde_json::from_slice::<Value>(&text) {
        Ok(Value::Object(m)) if m.get("tool").and_then(Value::as_str) == Some("smssim") => m,
        _ => return Err(not("manifest.json is not smssim's")),
    };
    if !dir.join("runs.csv").is_file() {
        return Err(not("no runs.csv"));
    }
    let shard = manifest.get("shard").and_then(|s| {
        Some((
            s.get("index")?.as_u64()?,
            s.get("count")?.as_u64().filter(|&n| n > 0)?,
        ))
    });
    Ok(Input {
        dir: dir.to_path_buf(),
        manifest,
        shard,
    })
}

fn show(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "none".into(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

/// Checks that `inputs` are the shards of one experiment.
fn check_inputs(inputs: &[Input]) -> Result<(), MergeError> {
    let first = &inputs[0];
    for other in &inputs[1..] {
        for field in SAME_EXPERIMENT {
            let (a, b) = (first.manifest.get(field), other.manifest.get(field));
            if a != b {
                return Err(MergeError::Mismatch {
                    path: other.dir.display().to_string(),
                    first: first.dir.display().to_string(),
                    field: field.to_string(),
                    ours: show(a),
                    theirs: show(b),
                });
            }
        }
    }
    let counts: Vec<Option<u64>> = inputs.iter().map(|i| i.shard.map(|s| s.1)).collect();
    if counts.iter().any(Option::is_some) {
        if let Some(i) = inputs.iter().find(|i| i.shard.is_none()) {
            return Err(MergeError::Shards {
                problem: format!("{} holds a whole run, not a shard", i.dir.display()),
            });
        }
        let n = counts[0].unwrap_or(1);
        if let Some(i) = inputs.iter().find(|i| i.shard.map(|s| s.1) != Some(n)) {
            return Err(MergeError::Shards {
                problem: format!(
                    "{} is a shard of {}, {} of {n}",
                    i.dir.display(),
                    i.shard.map_or(0, |s| s.1),
                    first.dir.display()
                ),
            });
        }
        let mut seen: BTreeMap<u64, &Path> = BTreeMap::new();
        for i in inputs {
            let index = i.shard.map_or(0, |s| s.0);
            if let Some(prev) = seen.insert(index, &i.dir) {
                return Err(MergeError::Shards {
                    problem: format!(
                        "shard {index}/{n} is given twice ({} and {})",
                        prev.display(),
                        i.dir.display()
                    ),
                });
            }
        }
        let missing: Vec<String> = (0..n)
            .filter(|k| !seen.contains_key(k))
            .map(|k| k.to_string())
            .collect();
        if !missing.is_empty() {
            let shown = if missing.len() > 10 {
                format!(
                    "{} and {} more",
                    missing[..10].join(", "),
                    missing.len() - 10
                )
            } else {
                missing.join(", ")
            };
            return Err(MergeError::Shards {
                problem: format!("shards {shown} of {n} are missing"),
            });
        }
    }
    Ok(())
}

/// Merges `runs.csv`, `metrics.csv` and `timeseries.csv` of `dirs` into
/// `out`, rows ordered by run id (then their order within a shard), and
/// writes a manifest that lists every shard. Every input is checked first.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<(), MergeError> {
    if dirs.is_empty() {
        return Err(MergeError::Shards {
            problem: "no folders given".into(),
        });
    }
    let mut inputs = dirs
        .iter()
        .map(|d| read_input(d))
        .collect::<Result<Vec<_>, _>>()?;
    inputs.sort_by_key(|i| i.shard.map_or(0, |s| s.0));
    check_inputs(&inputs)?;
    let mut runs = 0usize;
    for name in MERGED {
        let mut header: Option<(String, String)> = None;
        let mut rows: Vec<(u64, usize, String)> = Vec::new();
        let mut owner: BTreeMap<u64, usize> = BTreeMap::new();
        for (shard, input) in inputs.iter().enumerate() {
            let path = input.dir.join(name);
            if !path.exists() {
                continue;
            }
            let file = std::fs::File::open(&path).map_err(io_err(&path))?;
            let mut lines = BufReader::new(file).lines();
            let head = match lines.next() {
                Some(h) => h.map_err(io_err(&path))?,
                None => continue,
            };
            match &header {
                None => header = Some((head, path.display().to_string())),
                Some((h, first)) if *h != head => {
                    return Err(MergeError::Header {
                        path: path.display().to_string(),
                        first: first.clone(),
                    })
                }
                _ => {}
            }
            for (n, line) in lines.enumerate() {
                let line = line.map_err(io_err(&path))?;
                let id: u64 = line
                    .split(',')
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| MergeError::BadRow {
                        path: path.display().to_string(),
                        line: n + 2,
                    })?;
                if name == "runs.csv" {
                    if owner.insert(id, shard).is_some() {
                        return Err(MergeError::Duplicate {
                            run_id: id,
                            path: path.display().to_string(),
                        });
                    }
                } else if *owner.entry(id).or_insert(shard) != shard {
                    return Err(MergeError::Duplicate {
                        run_id: id,
                        path: path.display().to_string(),
                    });
                }
                rows.push((id, rows.len(), line));
            }
        }
        if name == "runs.csv" {
            runs = rows.len();
        }
        let Some((head, _)) = header else { continue };
        rows.sort_by_key(|r| (r.0, r.1));
        let target = out.join(name);
        let mut f = AtomicFile::create(&target).map_err(io_err(&target))?;
        writeln!(f, "{head}").map_err(io_err(&target))?;
        for (_, _, line) in rows {
            writeln!(f, "{line}").map_err(io_err(&target))?;
        }
        f.commit().map_err(io_err(&target))?;
    }
    if inputs[0].manifest.get("command").and_then(Value::as_str) == Some("sweep") {
        rebuild_sweep(out)?;
    }
    let mut manifest = inputs[0].manifest.clone();
    manifest.remove("shard");
    manifest.remove("command_line");
    manifest.insert("runs".into(), runs.into());
    manifest.insert(
        "merged_by".into(),
        serde_json::json!(std::env::args().collect::<Vec<_>>()),
    );
    let shards: Vec<Value> = inputs
        .iter()
        .map(|i| {
            serde_json::json!({
                "folder": i.dir.display().to_string(),
                "shard": i.manifest.get("shard"),
                "runs": i.manifest.get("runs"),
                "git_revision": i.manifest.get("git_revision"),
                "command_line": i.manifest.get("command_line"),
            })
        })
        .collect();
    manifest.insert("shards".into(), shards.into());
    crate::write::write_manifest(out, &Value::Object(manifest)).map_err(|e| MergeError::Io {
        path: e.path,
        source: e.source,
    })
}

/// Rebuilds `sweep.csv` from the merged `runs.csv` and `metrics.csv`: the
/// varied values from the columns between `seed` and `events`, each run's
/// metrics from its rows. Values were written in shortest round-trip form,
/// so they read back to the same numbers and the file equals the unsharded
/// sweep's.
fn rebuild_sweep(out: &Path) -> Result<(), MergeError> {
    use crate::sweep::{write_sweep, SweepRun};
    let bad = |path: &Path, line: u64| MergeError::BadRow {
        path: path.display().to_string(),
        line: line as usize,
    };
    let runs_path = out.join("runs.csv");
    let mut reader =
        csv::Reader::from_path(&runs_path).map_err(|e| io_err(&runs_path)(io::Error::other(e)))?;
    let head = reader
        .headers()
        .map_err(|e| io_err(&runs_path)(io::Error::other(e)))?
        .clone();
    let col = |name: &str| head.iter().position(|h| h == name);
    let (Some(policy_col), Some(seed_col), Some(events_col)) =
        (col("policy"), col("seed"), col("events"))
    else {
        return Err(bad(&runs_path, 1));
    };
    let params: Vec<String> = head
        .iter()
        .skip(seed_col + 1)
        .take(events_col.saturating_sub(seed_col + 1))
        .map(str::to_string)
        .collect();
    let mut runs: Vec<SweepRun> = Vec::new();
    let mut index: BTreeMap<u64, usize> = BTreeMap::new();
    for (n, row) in reader.records().enumerate() {
        let row = row.map_err(|e| io_err(&runs_path)(io::Error::other(e)))?;
        let id: u64 = row
            .get(0)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad(&runs_path, n as u64 + 2))?;
        index.insert(id, runs.len());
        runs.push(SweepRun {
            params: (seed_col + 1..events_col)
                .map(|c| row.get(c).unwrap_or_default().to_string())
                .collect(),
            policy: row.get(policy_col).unwrap_or_default().to_string(),
            metrics: Vec::new(),
        });
    }
    let metrics_path = out.join("metrics.csv");
    if metrics_path.exists() {
        let mut reader = csv::Reader::from_path(&metrics_path)
            .map_err(|e| io_err(&metrics_path)(io::Error::other(e)))?;
        let head = reader
            .headers()
            .map_err(|e| io_err(&metrics_path)(io::Error::other(e)))?
            .clone();
        let col = |name: &str| head.iter().position(|h| h == name);
        let (Some(metric_col), Some(value_col), Some(unit_col)) =
            (col("metric"), col("value"), col("unit"))
        else {
            return Err(bad(&metrics_path, 1));
        };
        for (n, row) in reader.records().enumerate() {
            let row = row.map_err(|e| io_err(&metrics_path)(io::Error::other(e)))?;
            let line = n as u64 + 2;
            let id: u64 = row
                .get(0)
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| bad(&metrics_path, line))?;
            let run = *index.get(&id).ok_or_else(|| bad(&metrics_path, line))?;
            let (Some(metric), Some(value), Some(unit)) =
                (row.get(metric_col), row.get(value_col), row.get(unit_col))
            else {
                return Err(bad(&metrics_path, line));
            };
            let value = if value.is_empty() {
                f64::NAN
            } else {
                value.parse().map_err(|_| bad(&metrics_path, line))?
            };
            runs[run]
                .metrics
                .push((metric.to_string(), unit.to_string(), value));
        }
    }
    write_sweep(out, &params, &runs).map_err(|e| MergeError::Io {
        path: e.path,
        source: e.source,
    })
}
