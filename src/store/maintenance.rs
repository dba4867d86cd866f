//! Looking after the store: checking that what it holds is whole (the
//! database file itself, each attempt's hash chain, the registry against
//! the journals, the credentials against their hashes) and backing it up
//! while stations run (SQLite's online backup).

use super::StoreError;
use super::db::Db;
use super::sql::SqlError;
use crate::attempt::journal::{self, Entry};
use crate::attempt::{Event, Header};
use std::path::Path;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; nothing is wrong with the records.
    Note,
    /// Something is damaged, altered or missing.
    Error,
}

/// One thing `check` found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// How serious.
    pub severity: Severity,
    /// The attempt (or credential, or import source) concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// What was found, and what to do.
    pub what: String,
}

/// What `check` looked at.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Checked {
    /// Attempts whose journals were read.
    pub attempts: usize,
    /// Journal records read.
    pub records: usize,
    /// Credentials whose documents were hashed.
    pub credentials: usize,
}

fn finding(severity: Severity, subject: Option<&str>, what: String) -> Finding {
    Finding {
        severity,
        subject: subject.map(str::to_owned),
        what,
    }
}

/// An attempt as the registry records it.
struct Registered {
    attempt_id: String,
    exam_id: String,
    seed: String,
    learner_name: String,
    state: String,
    origin: String,
    has_result: bool,
}

impl Db {
    /// Checks the whole store; every finding goes to `found`, in the order
    /// found. A damaged database file is a finding, not an error.
    ///
    /// # Errors
    /// The store could not be read at all.
    pub fn check(&mut self, found: &mut dyn FnMut(Finding)) -> Result<Checked, StoreError> {
        let fail = self.fail();
        let mut checked = Checked::default();
        // The file: pages, indexes, constraints (SQLite's own check).
        if self.sqlite().is_some() {
            let problems = self
                .engine()
                .rows("PRAGMA quick_check", &[], |r| r.text(0))
                .map_err(&fail)?;
            if problems != ["ok"] {
                for p in problems {
                    found(finding(
                        Severity::Error,
                        None,
                        format!(
                            "the database file is damaged ({p}): keep it as it is, and restore the last backup"
                        ),
                    ));
                }
            }
        }
        let attempts: Vec<Registered> = self
            .engine()
            .rows(
                "SELECT a.attempt_id, a.exam_id, a.seed, a.learner_name, a.state, a.origin,
                   (SELECT COUNT(*) FROM results r WHERE r.attempt_id = a.attempt_id)
                 FROM attempts a ORDER BY a.started_us",
                &[],
                |r| {
                    Ok(Registered {
                        attempt_id: r.text(0)?,
                        exam_id: r.text(1)?,
                        seed: r.text(2)?,
                        learner_name: r.text(3)?,
                        state: r.text(4)?,
                        origin: r.text(5)?,
                        has_result: r.int(6)? > 0,
                    })
                },
            )
            .map_err(&fail)?;
        for a in &attempts {
            checked.attempts += 1;
            let bytes = self.journal_bytes(&a.attempt_id)?;
            let id = Some(a.attempt_id.as_str());
            if bytes.is_empty() {
                if a.state != "abandoned" {
                    found(finding(
                        Severity::Error,
                        id,
                        format!("{} attempt with no journal record", a.state),
                    ));
                }
                continue;
            }
            let read = match journal::read(&bytes) {
                Ok(read) => read,
                Err(e) => {
                    found(finding(Severity::Error, id, format!("journal: {e}")));
                    continue;
                }
            };
            checked.records += read.records.len();
            if read.valid_len != bytes.len() {
                found(finding(
                    Severity::Error,
                    id,
                    "journal: a record is not a whole line".into(),
                ));
            }
            for problem in header_problems(a, &read) {
                found(finding(Severity::Error, id, problem));
            }
            let handed_in = read.records.iter().any(|r| {
                matches!(
                    r.entry,
                    Entry::Event {
                        event: Event::Submitted { .. }
                    }
                )
            });
            match (a.state.as_str(), handed_in) {
                ("submitted", false) if a.origin == "imported" => found(finding(
                    Severity::Note,
                    id,
                    "imported as handed in (its journal file had a seal), but the journal ends before the hand-in".into(),
                )),
                ("submitted", false) => found(finding(
                    Severity::Error,
                    id,
                    "handed in, but the journal ends before the hand-in: its last records were cut or removed".into(),
                )),
                ("open" | "abandoned", true) => found(finding(
                    Severity::Error,
                    id,
                    format!("the journal hands the attempt in, but the registry says {}", a.state),
                )),
                ("submitted", true) if !a.has_result => found(finding(
                    Severity::Note,
                    id,
                    format!(
                        "handed in, no result yet: it is scored the next time exam {} is opened (brevet run, the kiosk)",
                        a.exam_id
                    ),
                )),
                _ => {}
            }
        }
        self.check_credentials(&mut checked, found)?;
        self.check_imports(found)?;
        self.check_look_alikes(found)?;
        Ok(checked)
    }

    fn check_credentials(
        &mut self,
        checked: &mut Checked,
        found: &mut dyn FnMut(Finding),
    ) -> Result<(), StoreError> {
        use sha2::Digest as _;
        let fail = self.fail();
        type Stored = (
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let credentials: Vec<Stored> = self
            .engine()
            .rows(
                "SELECT credential_id, state, document, sha256, file_name FROM credentials
                 ORDER BY issued_us",
                &[],
                |r| {
                    Ok((
                        r.text(0)?,
                        r.text(1)?,
                        r.opt_text(2)?,
                        r.opt_text(3)?,
                        r.opt_text(4)?,
                    ))
                },
            )
            .map_err(fail)?;
        for (id, state, document, sha, file) in credentials {
            let subject = Some(id.as_str());
            let (Some(document), Some(sha)) = (document, sha) else {
                if state == "signed" {
                    found(finding(
                        Severity::Error,
                        subject,
                        "signed, but its document is missing".into(),
                    ));
                }
                continue;
            };
            checked.credentials += 1;
            let digest = journal::hex(&sha2::Sha256::digest(document.as_bytes()).into());
            if digest != sha {
                found(finding(
                    Severity::Error,
                    subject,
                    "its document does not match its recorded SHA-256: altered".into(),
                ));
            }
            match file {
                None => found(finding(
                    Severity::Note,
                    subject,
                    "its file was never written: it is written the next time its learner opens the exam".into(),
                )),
                Some(f) => match std::fs::read(&f) {
                    Ok(bytes) if bytes == document.as_bytes() => {}
                    Ok(_) => found(finding(
                        Severity::Note,
                        subject,
                        format!("{f} differs from the credential issued"),
                    )),
                    // Learners move their credentials; the store keeps the
                    // document.
                    Err(_) => {}
                },
            }
        }
        Ok(())
    }

    /// Learners counted apart whose names look alike (the same Unicode
    /// confusable skeleton, UTS #39: "rn" and "m", or a name written
    /// wholly in Cyrillic letters that look Latin): one person under two
    /// spellings would have two attempt limits. A note: two people may
    /// well have such names.
    fn check_look_alikes(&mut self, found: &mut dyn FnMut(Finding)) -> Result<(), StoreError> {
        let fail = self.fail();
        let learners = self
            .engine()
            .rows(
                "SELECT skeleton, learner_key, display_name FROM learners
                 ORDER BY skeleton, learner_key",
                &[],
                |r| Ok((r.text(0)?, r.text(1)?, r.text(2)?)),
            )
            .map_err(fail)?;
        for group in learners.chunk_by(|a, b| a.0 == b.0) {
            if group.len() < 2 {
                continue;
            }
            let names: Vec<String> = group
                .iter()
                .map(|(_, key, name)| format!("{name:?} ({key})"))
                .collect();
            found(finding(
                Severity::Note,
                group.first().map(|(_, key, _)| key.as_str()),
                format!(
                    "learners whose names look alike, counted apart: {}; if they are one person, their attempts were not counted together",
                    names.join(", ")
                ),
            ));
        }
        Ok(())
    }

    fn check_imports(&mut self, found: &mut dyn FnMut(Finding)) -> Result<(), StoreError> {
        let fail = self.fail();
        let failed = self
            .engine()
            .rows(
                "SELECT source, outcome FROM imports
                 WHERE attempt_id IS NULL AND outcome NOT LIKE 'imported%' ORDER BY source",
                &[],
                |r| Ok((r.text(0)?, r.text(1)?)),
            )
            .map_err(fail)?;
        for (source, outcome) in failed {
            found(finding(
                Severity::Note,
                Some(&source),
                format!("journal file not imported: {outcome}"),
            ));
        }
        Ok(())
    }

    /// Copies the store, consistent as of one moment, to `to` (a new file,
    /// readable by its owner only) while others may go on writing.
    ///
    /// # Errors
    /// `to` exists or cannot be written, or the store cannot be read.
    pub fn backup(&mut self, to: &Path) -> Result<(), StoreError> {
        let fail = self.fail();
        let to_fail = |e: rusqlite::Error| super::db::database(to, &SqlError::from(e));
        let io = |source| StoreError::Io {
            path: to.to_path_buf(),
            source,
        };
        let folder = match to.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if to.exists() {
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "already exists: name a new file",
            )));
        }
        // Written beside, then linked to its name: a backup cut short never
        // looks whole, and an existing file is never replaced.
        let name = to
            .file_name()
            .map_or_else(|| "backup".into(), |n| n.to_string_lossy().into_owned());
        let partial = folder.join(format!(".{name}.{}.partial", super::embedded::new_id()));
        let _cleanup = RemoveOnDrop(&partial);
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&partial)
                .map_err(io)?;
        }
        {
            let Some(source) = self.sqlite() else {
                return Err(fail(SqlError::other(
                    "a PostgreSQL store is backed up with pg_dump (see docs/store.md)",
                )));
            };
            let mut dst = rusqlite::Connection::open(&partial).map_err(to_fail)?;
            let backup = rusqlite::backup::Backup::new(source, &mut dst)
                .map_err(|e| fail(SqlError::from(e)))?;
            backup
                .run_to_completion(256, std::time::Duration::from_millis(5), None)
                .map_err(to_fail)?;
        }
        std::fs::File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(io)?;
        std::fs::hard_link(&partial, to).map_err(io)?;
        std::fs::File::open(folder)
            .and_then(|d| d.sync_all())
            .map_err(io)?;
        Ok(())
    }
}

/// Removes a file when dropped (a partial backup, whatever happened).
struct RemoveOnDrop<'p>(&'p Path);

impl Drop for RemoveOnDrop<'_> {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(self.0);
    }
}

/// What the journal's start says that the registry does not.
fn header_problems(a: &Registered, read: &journal::Read) -> Vec<String> {
    let Some(journal::Record {
        seq: 0,
        entry: Entry::Start(header),
        ..
    }) = read.records.first()
    else {
        return vec!["the journal does not begin with the attempt's start".into()];
    };
    let Header {
        exam_id,
        seed,
        learner,
        ..
    } = header;
    let mut problems = Vec::new();
    for (what, journal, registry) in [
        ("exam", exam_id.clone(), a.exam_id.clone()),
        ("seed", seed.to_string(), a.seed.clone()),
        ("learner", learner.name.clone(), a.learner_name.clone()),
    ] {
        if journal != registry {
            problems.push(format!(
                "the journal's {what} ({journal:?}) is not the registry's ({registry:?})"
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::super::testing::{demo, take};
    use super::*;
    use crate::attempt::{Command, Response};

    #[test]
    fn learners_whose_names_look_alike_are_noted() {
        let (_dir, mut db) = store();
        let exam = demo();
        take(&mut db, &exam, "a3", "Mary Shelley", 200, &[]);
        take(&mut db, &exam, "a4", "Rnary Shelley", 300, &[]);
        let (_, found) = findings(&mut db);
        let alike: Vec<&Finding> = found
            .iter()
            .filter(|f| f.what.contains("look alike"))
            .collect();
        assert_eq!(alike.len(), 1, "{found:?}");
        assert_eq!(alike[0].severity, Severity::Note);
        assert!(
            alike[0].what.contains("Mary Shelley") && alike[0].what.contains("Rnary Shelley"),
            "{}",
            alike[0].what
        );
    }

    /// A store with two handed-in attempts, and its folder.
    fn store() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join(super::super::sqlite::FILE), "0", 0).unwrap();
        let exam = demo();
        let answer = Command::Answer {
            item: 0,
            response: Response::Bool(true),
        };
        take(&mut db, &exam, "a1", "Ada Lovelace", 0, &[answer]);
        take(&mut db, &exam, "a2", "Alan Turing", 100, &[]);
        (dir, db)
    }

    fn findings(db: &mut Db) -> (Checked, Vec<Finding>) {
        let mut found = Vec::new();
        let checked = db.check(&mut |f| found.push(f)).unwrap();
        (checked, found)
    }

    fn exec(db: &mut Db, sql: &str) {
        db.engine().batch(sql).unwrap();
    }

    #[test]
    fn a_whole_store_checks_clean() {
        let (_dir, mut db) = store();
        let (checked, found) = findings(&mut db);
        assert_eq!(found, []);
        assert_eq!(checked.attempts, 2);
        assert!(checked.records >= 5, "{checked:?}");
    }

    #[test]
    fn an_altered_record_a_cut_journal_and_a_wrong_registry_are_errors() {
        let (_dir, mut db) = store();
        exec(
            &mut db,
            "UPDATE journal SET record = replace(record, '\"value\":true', '\"value\":false')
             WHERE attempt_id = 'a1' AND seq = 1;
             DELETE FROM journal WHERE attempt_id = 'a2'
               AND seq = (SELECT MAX(seq) FROM journal WHERE attempt_id = 'a2');",
        );
        let (_, found) = findings(&mut db);
        let about = |id: &str| -> Vec<String> {
            found
                .iter()
                .filter(|f| f.subject.as_deref() == Some(id) && f.severity == Severity::Error)
                .map(|f| f.what.clone())
                .collect()
        };
        assert!(about("a1")[0].contains("hash chain"), "{found:?}");
        assert!(about("a2")[0].contains("cut or removed"), "{found:?}");

        let (_dir, mut db) = store();
        exec(
            &mut db,
            "UPDATE attempts SET learner_name = 'Grace Hopper' WHERE attempt_id = 'a1';
             UPDATE attempts SET state = 'open' WHERE attempt_id = 'a2';",
        );
        let (_, found) = findings(&mut db);
        let text = format!("{found:?}");
        assert!(
            text.contains("journal's learner (\\\"Ada Lovelace\\\")"),
            "{text}"
        );
        assert!(text.contains("registry says open"), "{text}");
    }

    #[test]
    fn an_altered_credential_is_an_error_and_an_unwritten_one_a_note() {
        let (_dir, mut db) = store();
        let document = br#"{"id":"urn:uuid:1"}"#;
        db.record_credential(&crate::store::credentials::NewCredential {
            credential_id: "urn:uuid:1",
            attempt_id: "a1",
            issuer_did: "did:key:z",
            issued_at: super::super::testing::t(5),
            bytes: document,
            out_dir: Path::new("/nowhere"),
        })
        .unwrap();
        let (checked, found) = findings(&mut db);
        assert_eq!(checked.credentials, 1);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].severity, Severity::Note);
        exec(
            &mut db,
            "UPDATE credentials SET document = replace(document, '1', '2')",
        );
        let (_, found) = findings(&mut db);
        assert!(
            found
                .iter()
                .any(|f| f.severity == Severity::Error && f.what.contains("altered")),
            "{found:?}"
        );
    }

    #[test]
    fn a_backup_is_a_whole_store_and_never_replaces_a_file() {
        let (dir, mut db) = store();
        let to = dir.path().join("backup.db");
        db.backup(&to).unwrap();
        let mut copy = Db::open(&to, "0", 0).unwrap();
        let (checked, found) = findings(&mut copy);
        assert_eq!((checked.attempts, found.len()), (2, 0));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&to).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = db.backup(&to).unwrap_err().to_string();
        assert!(again.contains("already exists"), "{again}");
        // Nothing half-written left beside it.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("partial"))
            .collect();
        assert_eq!(names, Vec::<String>::new());
    }
}
