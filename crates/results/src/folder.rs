//! A results folder written as one unit.
//!
//! A command's files are written into a staging folder beside the target
//! (`.NAME.tmp-PID` in the same parent, so on the same file system), then
//! the staging folder is swapped with the target in one step: on Linux
//! `renameat2(RENAME_EXCHANGE)`, elsewhere (or on a file system without it)
//! two renames. A reader therefore sees the old folder or the new one, never
//! a mix, and nothing of an earlier command's files survives into the new
//! folder. A lock file beside the target (`.NAME.lock`) keeps a second
//! writer out while the first holds it.
//!
//! An interrupted command leaves at most its staging folder and its lock
//! file behind, both hidden; the next writer to take the lock removes them.
//!
//! Only a folder that is empty or was written by smssim (it holds a
//! `manifest.json` whose `tool` is `smssim`) is ever replaced, so a mistyped
//! `--out $HOME` is refused instead of swapped away.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// The file that marks a folder as written by smssim.
pub const MANIFEST: &str = "manifest.json";

/// A results folder that could not be started or swapped in.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// The target exists and is not a folder.
    #[error("{path}: exists and is not a folder: expected a results folder, or a path that does not exist yet")]
    NotAFolder {
        /// The target.
        path: String,
    },
    /// The target is a folder with files smssim did not write.
    #[error(
        "{path}: this folder holds files that smssim did not write (no manifest.json from smssim), \
         and writing results would replace it whole: choose a new or empty folder"
    )]
    NotOurs {
        /// The target.
        path: String,
    },
    /// The target has no usable name (`/`, `..`).
    #[error("{path}: expected a folder path ending in a name, e.g. results/run1")]
    NoName {
        /// The target.
        path: String,
    },
    /// The target is, or holds, a folder the command reads.
    #[error(
        "{path}: this folder would be replaced whole, and it holds {input}, which this command reads: \
         write to another folder"
    )]
    HoldsInput {
        /// The target.
        path: String,
        /// The input inside it.
        input: String,
    },
    /// Another writer holds the folder's lock.
    #[error(
        "{path}: another smssim command is writing this folder (it holds {lock}); \
         wait for it to finish, or write to another folder"
    )]
    Busy {
        /// The target.
        path: String,
        /// The lock file.
        lock: String,
    },
    /// The file system refused an operation.
    #[error("{what} {path}")]
    Io {
        /// What was being done ("cannot create", …).
        what: &'static str,
        /// The path it was done to.
        path: String,
        /// The operating system's reason.
        source: io::Error,
    },
}

impl FolderError {
    /// Whether the user can fix this by choosing another folder or waiting
    /// (a path that cannot be written, as opposed to a failing disk).
    pub fn is_user_error(&self) -> bool {
        match self {
            FolderError::Io { source, .. } => matches!(
                source.kind(),
                io::ErrorKind::PermissionDenied
                    | io::ErrorKind::NotADirectory
                    | io::ErrorKind::ReadOnlyFilesystem
                    | io::ErrorKind::InvalidFilename
                    | io::ErrorKind::AlreadyExists
            ),
            _ => true,
        }
    }
}

fn io_err(what: &'static str, path: &Path) -> impl FnOnce(io::Error) -> FolderError {
    let path = path.display().to_string();
    move |source| FolderError::Io { what, path, source }
}

/// A results folder being written. Files go into [`path`](Self::path);
/// [`commit`](Self::commit) swaps them in whole. Dropped uncommitted, it
/// removes its staging folder and leaves the target as it was.
#[derive(Debug)]
pub struct FolderWriter {
    target: PathBuf,
    staging: PathBuf,
    lock: Lock,
    committed: bool,
}

impl FolderWriter {
    /// Checks the target, takes its lock, removes what interrupted writers
    /// left, and creates the staging folder. Call it before any long work,
    /// so that a bad `--out` is reported at once.
    pub fn begin(target: &Path) -> Result<Self, FolderError> {
        Self::begin_keeping(target, &[])
    }

    /// As [`begin`](Self::begin), but refuses a target that is, or holds,
    /// one of `inputs` (`smssim plot R --out R` would replace the results it
    /// draws).
    pub fn begin_keeping(target: &Path, inputs: &[&Path]) -> Result<Self, FolderError> {
        let target = resolve(target)?;
        refuse_inputs(&target, inputs)?;
        let (parent, name) = split(&target)?;
        fs::create_dir_all(&parent).map_err(io_err("cannot create", &parent))?;
        check_replaceable(&target)?;
        let lock = Lock::take(&parent, &name, &target)?;
        remove_leftovers(&parent, &name);
        let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        fs::create_dir(&staging).map_err(io_err("cannot create", &staging))?;
        Ok(FolderWriter {
            target,
            staging,
            lock,
            committed: false,
        })
    }

    /// Checks, without creating or locking anything, that
    /// [`begin`](Self::begin) would accept `target` now: for a dry run.
    pub fn check(target: &Path) -> Result<PathBuf, FolderError> {
        let target = resolve(target)?;
        let (parent, name) = split(&target)?;
        check_replaceable(&target)?;
        let lock = parent.join(format!(".{name}.lock"));
        if let Ok(file) = File::open(&lock) {
            if let Err(fs::TryLockError::WouldBlock) = file.try_lock_shared() {
                return Err(FolderError::Busy {
                    path: target.display().to_string(),
                    lock: lock.display().to_string(),
                });
            }
        }
        Ok(target)
    }

    /// Where to write the folder's files.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// The folder the files will appear in.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Swaps the staging folder in for the target and removes the old one.
    pub fn commit(mut self) -> Result<(), FolderError> {
        sync_dir(&self.staging);
        // Checked again: something may have appeared while we worked.
        check_replaceable(&self.target)?;
        let (parent, name) = split(&self.target)?;
        if self.target.exists() {
            match exchange(&self.staging, &self.target) {
                Ok(()) => {}
                Err(e) if exchange_unsupported(&e) => {
                    // Two renames: in between, readers see no folder (never
                    // a mixed one).
                    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
                    fs::rename(&self.target, &old).map_err(io_err("cannot move", &self.target))?;
                    fs::rename(&self.staging, &self.target)
                        .map_err(io_err("cannot move", &self.staging))?;
                    fs::rename(&old, &self.staging).map_err(io_err("cannot move", &old))?;
                }
                Err(e) => return Err(io_err("cannot swap in", &self.target)(e)),
            }
            // The staging path now holds the old folder.
            let _ = fs::remove_dir_all(&self.staging);
        } else {
            fs::rename(&self.staging, &self.target)
                .map_err(io_err("cannot move", &self.staging))?;
        }
        sync_dir(&parent);
        self.committed = true;
        self.lock.release();
        Ok(())
    }
}

impl Drop for FolderWriter {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
            self.lock.release();
        }
    }
}

/// Refuses a target that is one of `inputs` or a folder above one.
fn refuse_inputs(target: &Path, inputs: &[&Path]) -> Result<(), FolderError> {
    let Ok(real_target) = fs::canonicalize(target) else {
        // A target that does not exist yet holds nothing.
        return Ok(());
    };
    for input in inputs {
        if let Ok(real) = fs::canonicalize(input) {
            if real.starts_with(&real_target) {
                return Err(FolderError::HoldsInput {
                    path: target.display().to_string(),
                    input: input.display().to_string(),
                });
            }
        }
    }
    Ok(())
}

/// An existing target's real path (a symlink to a folder is followed, so
/// the folder it points at is replaced, not the link); a new target as
/// given.
fn resolve(target: &Path) -> Result<PathBuf, FolderError> {
    match fs::symlink_metadata(target) {
        Ok(_) => {
            let real = fs::canonicalize(target).map_err(io_err("cannot resolve", target))?;
            if !real.is_dir() {
                return Err(FolderError::NotAFolder {
                    path: target.display().to_string(),
                });
            }
            Ok(real)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(target.to_path_buf()),
        Err(e) => Err(io_err("cannot read", target)(e)),
    }
}

fn split(target: &Path) -> Result<(PathBuf, String), FolderError> {
    let no_name = || FolderError::NoName {
        path: target.display().to_string(),
    };
    let name = match target.components().next_back() {
        Some(std::path::Component::Normal(n)) => n.to_str().ok_or_else(no_name)?.to_string(),
        _ => return Err(no_name()),
    };
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// A target may be replaced if it does not exist, is empty, or holds a
/// manifest written by smssim.
fn check_replaceable(target: &Path) -> Result<(), FolderError> {
    let meta = match fs::metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_err("cannot read", target)(e)),
    };
    let shown = || target.display().to_string();
    if !meta.is_dir() {
        return Err(FolderError::NotAFolder { path: shown() });
    }
    let mut entries = fs::read_dir(target).map_err(io_err("cannot read", target))?;
    if entries.next().is_none() {
        return Ok(());
    }
    if is_ours(&target.join(MANIFEST)) {
        Ok(())
    } else {
        Err(FolderError::NotOurs { path: shown() })
    }
}

/// Whether `manifest` is a smssim manifest (read at most 1 MiB of it).
fn is_ours(manifest: &Path) -> bool {
    use std::io::Read;
    let Ok(meta) = fs::metadata(manifest) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    let mut text = Vec::new();
    let read = File::open(manifest).and_then(|f| f.take(1 << 20).read_to_end(&mut text));
    if read.is_err() {
        return false;
    }
    serde_json::from_slice::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| {
            v.get("tool")
                .and_then(|t| t.as_str())
                .map(|t| t == "smssim")
        })
        .unwrap_or(false)
}

/// Removes staging and old folders that interrupted writers of this target
/// left; only the lock holder calls it, so none of them is in use.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let tmp = format!(".{name}.tmp-");
    let old = format!(".{name}.old-");
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(n) = file_name.to_str() else {
            continue;
        };
        if n.starts_with(&tmp) || n.starts_with(&old) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// The file system (or kernel) cannot exchange: fall back to two renames.
fn exchange_unsupported(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Unsupported
        || matches!(e.raw_os_error(), Some(code) if code == rustix::io::Errno::INVAL.raw_os_error()
            || code == rustix::io::Errno::NOSYS.raw_os_error())
}

/// Makes renames in `dir` durable; a failure only weakens durability.
fn sync_dir(dir: &Path) {
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

/// `.NAME.lock` beside the target, held with an exclusive advisory lock;
/// removed by its holder when done.
#[derive(Debug)]
struct Lock {
    path: PathBuf,
    file: Option<File>,
}

impl Lock {
    fn take(parent: &Path, name: &str, target: &Path) -> Result<Lock, FolderError> {
        let path = parent.join(format!(".{name}.lock"));
        // A holder removes the file when done; whoever opened it before the
        // removal locks a file no longer in the folder and must try again.
        for _ in 0..100 {
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(io_err("cannot create", &path))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(FolderError::Busy {
                        path: target.display().to_string(),
                        lock: path.display().to_string(),
                    })
                }
                Err(fs::TryLockError::Error(e)) => return Err(io_err("cannot lock", &path)(e)),
            }
            if same_file(&file, &path) {
                return Ok(Lock {
                    path,
                    file: Some(file),
                });
            }
        }
        Err(FolderError::Busy {
            path: target.display().to_string(),
            lock: path.display().to_string(),
        })
    }

    fn release(&mut self) {
        if let Some(file) = self.file.take() {
            let _ = fs::remove_file(&self.path);
            drop(file);
        }
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(dir: &Path) {
        fs::write(dir.join(MANIFEST), r#"{"tool":"smssim"}"#).unwrap();
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn new_folder_appears_whole() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("a/b/out");
        let w = FolderWriter::begin(&target).unwrap();
        fs::write(w.path().join("x.csv"), "1").unwrap();
        assert!(!target.exists());
        w.commit().unwrap();
        assert_eq!(names(&target), ["x.csv"]);
        assert_eq!(names(&root.path().join("a/b")), ["out"]);
    }

    #[test]
    fn replacing_keeps_nothing_of_the_old_folder() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        fs::create_dir(&target).unwrap();
        manifest(&target);
        fs::write(target.join("compare.csv"), "old").unwrap();
        let w = FolderWriter::begin(&target).unwrap();
        manifest(w.path());
        fs::write(w.path().join("metrics.csv"), "new").unwrap();
        w.commit().unwrap();
        assert_eq!(names(&target), ["manifest.json", "metrics.csv"]);
        assert_eq!(names(root.path()), ["out"]);
    }

    #[test]
    fn dropped_writer_leaves_the_old_folder() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        fs::create_dir(&target).unwrap();
        manifest(&target);
        {
            let w = FolderWriter::begin(&target).unwrap();
            fs::write(w.path().join("metrics.csv"), "new").unwrap();
        }
        assert_eq!(names(&target), ["manifest.json"]);
        assert_eq!(names(root.path()), ["out"]);
    }

    #[test]
    fn leftovers_of_an_interrupted_writer_are_removed() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        fs::create_dir(root.path().join(".out.tmp-99999")).unwrap();
        fs::create_dir(root.path().join(".out.old-99998")).unwrap();
        fs::write(root.path().join(".out.lock"), "").unwrap();
        fs::create_dir(root.path().join(".other.tmp-1")).unwrap();
        FolderWriter::begin(&target).unwrap().commit().unwrap();
        assert_eq!(names(root.path()), [".other.tmp-1", "out"]);
    }

    #[test]
    fn a_second_writer_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        let first = FolderWriter::begin(&target).unwrap();
        let err = FolderWriter::begin(&target).unwrap_err();
        assert!(matches!(err, FolderError::Busy { .. }), "{err}");
        assert!(err.is_user_error());
        first.commit().unwrap();
        FolderWriter::begin(&target).unwrap().commit().unwrap();
    }

    #[test]
    fn a_target_holding_an_input_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let results = root.path().join("r");
        fs::create_dir(&results).unwrap();
        manifest(&results);
        let err = FolderWriter::begin_keeping(&results, &[&results]).unwrap_err();
        assert!(matches!(err, FolderError::HoldsInput { .. }), "{err}");
        let inner = results.join("shard");
        fs::create_dir(&inner).unwrap();
        assert!(FolderWriter::begin_keeping(&results, &[&inner]).is_err());
        FolderWriter::begin_keeping(&results.join("plots"), &[&results])
            .unwrap()
            .commit()
            .unwrap();
    }

    #[test]
    fn check_creates_nothing() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("a/out");
        assert_eq!(FolderWriter::check(&target).unwrap(), target);
        assert!(names(root.path()).is_empty());
        let w = FolderWriter::begin(&target).unwrap();
        assert!(matches!(
            FolderWriter::check(&target),
            Err(FolderError::Busy { .. })
        ));
        w.commit().unwrap();
        FolderWriter::check(&target).unwrap();
    }

    #[test]
    fn foreign_folders_and_files_are_refused() {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        fs::create_dir(&home).unwrap();
        fs::write(home.join("thesis.tex"), "years of work").unwrap();
        let err = FolderWriter::begin(&home).unwrap_err();
        assert!(matches!(err, FolderError::NotOurs { .. }), "{err}");
        let file = root.path().join("file");
        fs::write(&file, "").unwrap();
        let err = FolderWriter::begin(&file).unwrap_err();
        assert!(matches!(err, FolderError::NotAFolder { .. }), "{err}");
        assert!(FolderWriter::begin(Path::new("/")).is_err());
        // Nothing was created beside them.
        assert_eq!(names(root.path()), ["file", "home"]);
        // An empty folder is fine.
        let empty = root.path().join("empty");
        fs::create_dir(&empty).unwrap();
        FolderWriter::begin(&empty).unwrap().commit().unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_folder_is_replaced_where_it_points() {
        let root = tempfile::tempdir().unwrap();
        let real = root.path().join("real");
        fs::create_dir(&real).unwrap();
        manifest(&real);
        let link = root.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let w = FolderWriter::begin(&link).unwrap();
        fs::write(w.path().join("new.csv"), "").unwrap();
        w.commit().unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(names(&link), ["new.csv"]);
    }
}
