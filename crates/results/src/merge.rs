//! `smssim merge`: shards of one sweep concatenate into the unsharded
//! result.

use crate::atomic::AtomicFile;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// Files that merge by concatenation, sorted by `run_id`.
pub const MERGED: [&str; 3] = ["runs.csv", "metrics.csv", "timeseries.csv"];

/// A merge that could not be done.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: io::Error,
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
}

/// Merges `runs.csv`, `metrics.csv` and `timeseries.csv` of `dirs` into
/// `out`, rows ordered by run id (then their order within a shard), and
/// copies the first folder's `manifest.json`.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<(), MergeError> {
    let io_err = |p: &Path| {
        let path = p.display().to_string();
        move |source| MergeError::Io { path, source }
    };
    std::fs::create_dir_all(out).map_err(io_err(out))?;
    for name in MERGED {
        let mut header: Option<(String, String)> = None;
        let mut rows: Vec<(u64, usize, String)> = Vec::new();
        let mut seen_runs: Vec<(u64, usize)> = Vec::new();
        for (shard, dir) in dirs.iter().enumerate() {
            let path = dir.join(name);
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
            for line in lines {
                let line = line.map_err(io_err(&path))?;
                let id: u64 = line
                    .split(',')
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(u64::MAX);
                if name == "runs.csv" {
                    if seen_runs.iter().any(|&(r, s)| r == id && s != shard) {
                        return Err(MergeError::Duplicate {
                            run_id: id,
                            path: path.display().to_string(),
                        });
                    }
                    seen_runs.push((id, shard));
                }
                rows.push((id, rows.len(), line));
            }
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
    if let Some(m) = dirs
        .iter()
        .map(|d| d.join("manifest.json"))
        .find(|p| p.exists())
    {
        let text = std::fs::read(&m).map_err(io_err(&m))?;
        let target = out.join("manifest.json");
        crate::atomic::write_atomic(&target, &text).map_err(io_err(&target))?;
    }
    Ok(())
}
