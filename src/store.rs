//! The data folder on disk, and the store in it. This is an edge module:
//! it does the file I/O that the core leaves out.
//!
//! Every durable record lives in the store ([`Store`]): attempts and the
//! rules that count them, their journals, results, the credentials issued
//! and the kiosk's events. Its logic is written once ([`attempts`],
//! [`results`], [`credentials`], [`events`], [`maintenance`]) over one seam
//! ([`sql`]) to two engines: the embedded default, `DATA/brevet.db`
//! ([`sqlite`]), and a PostgreSQL server shared by stations ([`postgres`]),
//! with one schema ([`schema`]).
//!
//! Earlier versions wrote each attempt's journal as a file,
//! `DATA/journals/<exam-id>/<learner-folder>/attempt-<n>.journal`; those
//! are imported into the store once ([`DataDir::journal_files`]). The file
//! writer below remains for tests and benchmarks that make such files.

pub mod attempts;
pub mod credentials;
pub mod db;
pub mod embedded;
pub mod events;
pub mod maintenance;
pub mod postgres;
pub mod results;
pub mod schema;
pub mod sql;
pub mod sqlite;
pub mod status;
#[cfg(test)]
pub(crate) mod testing;

pub use embedded::{Store, StoreSink, learner_key as store_key};

use crate::attempt::journal::{self, JournalError, Sink};
use crate::attempt::{Entry, Event, Learner};
use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where brevet keeps its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

/// Failure to use the data folder, with the path involved.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No folder could be chosen (no `--data`, `BREVET_DATA`, `XDG_DATA_HOME` or `HOME`).
    #[error("no data folder: set --data DIR or BREVET_DATA")]
    NoDataDir,
    /// A file operation failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The attempt was handed in (the registry or a seal says so) but its
    /// journal ends before the hand-in: its last records were cut or
    /// removed.
    #[error(
        "{}: this attempt was handed in, but its journal ends before the hand-in: its last records were cut or removed. It is not reopened; keep the store as it is and show it to the exam's organiser",
        path.display()
    )]
    SubmittedCut {
        /// The journal (a file, or the store and the attempt's id).
        path: PathBuf,
    },
    /// The store's database cannot be used.
    #[error("{}: {why}", path.display())]
    Database {
        /// The database file.
        path: PathBuf,
        /// What is wrong, and what to do.
        why: String,
    },
    /// The store's database cannot be opened to be written: the file or
    /// its folder is read only, or belongs to another user.
    #[error("{}: {why}", path.display())]
    Unwritable {
        /// The database file.
        path: PathBuf,
        /// What is wrong, and what to do.
        why: String,
    },
    /// The store was made by a newer brevet.
    #[error(
        "{}: this store was made by a newer brevet (schema {found}; this one knows up to {known}): upgrade brevet",
        path.display()
    )]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// Its schema version.
        found: u32,
        /// The newest this brevet knows.
        known: u32,
    },
    /// A journal is damaged or altered.
    #[error("{}: {source}{}", path.display(), journal_advice(source))]
    Journal {
        /// The journal file.
        path: PathBuf,
        /// What is wrong.
        source: JournalError,
    },
}

/// What to do about a journal that cannot be read, said after why.
fn journal_advice(e: &JournalError) -> &'static str {
    match e {
        JournalError::Empty => {
            ": the attempt never started (brevet stopped while creating it) and nothing was answered in it; move the file aside and run the same command again (in a room, tell the proctor)"
        }
        _ => {
            "; brevet neither resumes nor overwrites it: keep it as it is and show it to the exam's organiser"
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl DataDir {
    /// Chooses the data folder: `flag`, else `BREVET_DATA`, else
    /// `XDG_DATA_HOME/brevet`, else `~/.local/share/brevet`.
    ///
    /// # Errors
    /// None of those is set.
    pub fn locate(flag: Option<&Path>) -> Result<Self, StoreError> {
        let env = |k| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let root = flag
            .map(Path::to_path_buf)
            .or_else(|| env("BREVET_DATA"))
            // A relative XDG_DATA_HOME is invalid and must be ignored.
            .or_else(|| {
                env("XDG_DATA_HOME")
                    .filter(|p| p.is_absolute())
                    .map(|d| d.join("brevet"))
            })
            .or_else(|| env("HOME").map(|h| h.join(".local").join("share").join("brevet")))
            .ok_or(StoreError::NoDataDir)?;
        Ok(Self { root })
    }

    /// A data folder at `root`.
    pub fn at(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn learner_dir(&self, exam_id: &str, learner: &Learner) -> PathBuf {
        self.root
            .join("journals")
            .join(exam_id)
            .join(learner_key(learner))
    }

    /// Every journal file of earlier versions (`journals/*/*/attempt-N.journal`).
    ///
    /// # Errors
    /// A folder cannot be listed.
    pub fn journal_files(&self) -> Result<Vec<PathBuf>, StoreError> {
        let mut files = Vec::new();
        let root = self.root.join("journals");
        let list = |dir: &Path| -> Result<Vec<PathBuf>, StoreError> {
            match fs::read_dir(dir) {
                Ok(entries) => entries
                    .map(|e| e.map(|e| e.path()).map_err(io(dir)))
                    .collect(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
                Err(e) => Err(io(dir)(e)),
            }
        };
        for exam in list(&root)? {
            for learner in list(&exam)? {
                if learner.is_dir() {
                    files.extend(
                        list(&learner)?
                            .into_iter()
                            .filter(|p| attempt_number(p).is_some()),
                    );
                }
            }
        }
        files.sort();
        Ok(files)
    }

    /// Creates the journal of a new attempt (never overwriting one).
    ///
    /// # Errors
    /// The file cannot be created.
    pub fn new_journal(
        &self,
        exam_id: &str,
        learner: &Learner,
        number: usize,
    ) -> Result<(PathBuf, FileSink), StoreError> {
        let dir = self.learner_dir(exam_id, learner);
        fs::create_dir_all(&dir).map_err(io(&dir))?;
        let path = dir.join(format!("attempt-{number}.journal"));
        let file = OpenOptions::new()
            .append(true)
            .create_new(true)
            .open(&path)
            .map_err(io(&path))?;
        sync_dir(&dir)?;
        Ok((path.clone(), FileSink { file, path }))
    }
}

/// The folder of a learner's journal files in earlier versions: their id if
/// given, else their name, case- and space-insensitive, hashed. (The store
/// counts attempts by [`store_key`].)
fn learner_key(learner: &Learner) -> String {
    let basis = learner.id.as_deref().unwrap_or(&learner.name);
    let folded = basis
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let digest = Sha256::digest(folded.as_bytes());
    journal::hex(&digest.into())[..16].to_string()
}

fn attempt_number(path: &Path) -> Option<usize> {
    let name = path.file_name()?.to_str()?;
    name.strip_prefix("attempt-")?
        .strip_suffix(".journal")?
        .parse()
        .ok()
}

/// The seal of the journal at `path`: `attempt-N.submitted` beside
/// `attempt-N.journal`.
fn seal_path(journal: &Path) -> PathBuf {
    journal.with_extension("submitted")
}

/// A journal whose seal says it was submitted must hold that record, with
/// that hash.
pub(crate) fn check_seal(path: &Path, read: &journal::Read) -> Result<(), StoreError> {
    let seal_file = seal_path(path);
    let text = match fs::read_to_string(&seal_file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(&seal_file)(e)),
    };
    let mut words = text.split_whitespace();
    let (Some(seq), Some(hash)) = (
        words.next().and_then(|s| s.parse::<u64>().ok()),
        words.next(),
    ) else {
        return Err(io(&seal_file)(std::io::Error::other(
            "not a seal (expected: record number, hash)",
        )));
    };
    let holds = usize::try_from(seq).ok().is_some_and(|i| {
        read.records.get(i).is_some_and(|r| {
            matches!(
                r.entry,
                Entry::Event {
                    event: Event::Submitted { .. }
                }
            )
        }) && read.hashes.get(i).is_some_and(|h| journal::hex(h) == hash)
    });
    if holds {
        Ok(())
    } else {
        Err(StoreError::SubmittedCut {
            path: path.to_path_buf(),
        })
    }
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    // Makes the new file's directory entry durable; not possible everywhere.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// A journal file: each line is written and synced before `append` returns.
#[derive(Debug)]
pub struct FileSink {
    file: File,
    path: PathBuf,
}

impl FileSink {
    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Sink for FileSink {
    fn append(&mut self, line: &[u8]) -> std::io::Result<()> {
        self.file.write_all(line)?;
        self.file.sync_data()
    }

    fn sealed(&mut self, seq: u64, head: &journal::Hash) -> std::io::Result<()> {
        crate::atomic::write_file(
            &seal_path(&self.path),
            format!("{seq} {}\n", journal::hex(head)).as_bytes(),
            crate::atomic::WriteOptions {
                mode: 0o600,
                overwrite: true,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learner_keys_fold_case_and_spaces_and_prefer_ids() {
        let a = Learner {
            email: None,
            name: "Ada  Lovelace".into(),
            id: None,
        };
        let b = Learner {
            email: None,
            name: "ada lovelace".into(),
            id: None,
        };
        let c = Learner {
            email: None,
            name: "Ada Lovelace".into(),
            id: Some("E-12".into()),
        };
        assert_eq!(learner_key(&a), learner_key(&b));
        assert_ne!(learner_key(&a), learner_key(&c));
        assert_eq!(learner_key(&a).len(), 16);
    }

    #[test]
    fn attempt_files_are_numbered() {
        assert_eq!(attempt_number(Path::new("x/attempt-3.journal")), Some(3));
        assert_eq!(attempt_number(Path::new("x/attempt-x.journal")), None);
        assert_eq!(attempt_number(Path::new("x/.attempt-3.journal.tmp")), None);
    }
}
