//! Issued credentials in the store: each signed document is recorded
//! (exact bytes, hash, where it goes) before its file is written, and marked
//! written after; so a credential whose file never reached the disk (a
//! kill, a full disk) is written again, byte for byte, on the next run, and
//! a passed attempt handed in without a credential is found and issued.

use super::StoreError;
use super::db::Db;
use super::sql::{Engine, SqlError, params};
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// A credential about to be written.
#[derive(Debug, Clone)]
pub struct NewCredential<'a> {
    /// The document's id (`urn:uuid:…`).
    pub credential_id: &'a str,
    /// The attempt it certifies.
    pub attempt_id: &'a str,
    /// The issuer's did.
    pub issuer_did: &'a str,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
    /// The file's exact bytes.
    pub bytes: &'a [u8],
    /// The folder it goes to.
    pub out_dir: &'a std::path::Path,
}

/// A recorded credential whose file was not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unwritten {
    /// The document's id.
    pub credential_id: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The folder it goes to.
    pub out_dir: PathBuf,
    /// When it was issued (its file is named after it).
    pub issued_at: DateTime<Utc>,
    /// The learner's name, as the attempt records it.
    pub learner_name: String,
    /// The attempt it certifies.
    pub attempt_id: String,
}

impl Db {
    /// Records a signed credential of `c.attempt_id`, before its file is
    /// written.
    ///
    /// # Errors
    /// The store failed (or the attempt already has a credential).
    pub fn record_credential(&mut self, c: &NewCredential<'_>) -> Result<(), StoreError> {
        let fail = self.fail();
        insert_credential(self.engine(), c).map_err(fail)
    }

    /// Marks the credential's file as written.
    ///
    /// # Errors
    /// The store failed.
    pub fn credential_written(
        &mut self,
        credential_id: &str,
        file: &std::path::Path,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let fail = self.fail();
        self.engine()
            .execute(
                "UPDATE credentials SET file_name = ?2, written_us = ?3 WHERE credential_id = ?1",
                params![
                    credential_id,
                    file.display().to_string(),
                    at.timestamp_micros()
                ],
            )
            .map(|_| ())
            .map_err(fail)
    }

    /// The learner's credentials at the exam whose file was never written.
    ///
    /// # Errors
    /// The store failed.
    pub fn unwritten_credentials(
        &mut self,
        exam_id: &str,
        learner_key: &str,
    ) -> Result<Vec<Unwritten>, StoreError> {
        let fail = self.fail();
        self.engine()
            .rows(
                "SELECT c.credential_id, c.document, c.out_dir, c.issued_us, a.learner_name,
                   a.attempt_id
                 FROM credentials c JOIN attempts a ON a.attempt_id = c.attempt_id
                 WHERE c.exam_id = ?1 AND c.learner_key = ?2 AND c.written_us IS NULL
                 ORDER BY c.issued_us",
                params![exam_id, learner_key],
                |r| {
                    Ok(Unwritten {
                        credential_id: r.text(0)?,
                        bytes: r.text(1)?.into_bytes(),
                        out_dir: PathBuf::from(r.text(2)?),
                        issued_at: DateTime::from_timestamp_micros(r.int(3)?).unwrap_or_default(),
                        learner_name: r.text(4)?,
                        attempt_id: r.text(5)?,
                    })
                },
            )
            .map_err(fail)
    }

    /// The learner's handed-in attempts at the exam with no credential
    /// recorded (passed or not: the caller scores them). Attempts imported
    /// from earlier versions are left out: their credentials, if any, were
    /// issued then.
    ///
    /// # Errors
    /// The store failed.
    pub fn submitted_without_credential(
        &mut self,
        exam_id: &str,
        learner_key: &str,
    ) -> Result<Vec<String>, StoreError> {
        let fail = self.fail();
        self.engine()
            .rows(
                "SELECT a.attempt_id FROM attempts a
                 WHERE a.exam_id = ?1 AND a.learner_key = ?2 AND a.state = 'submitted'
                   AND a.origin = 'live'
                   AND NOT EXISTS (SELECT 1 FROM credentials c WHERE c.attempt_id = a.attempt_id)
                 ORDER BY a.number",
                params![exam_id, learner_key],
                |r| r.text(0),
            )
            .map_err(fail)
    }

    /// The file the attempt's credential was written to, if any.
    ///
    /// # Errors
    /// The store failed.
    pub fn credential_file(&mut self, attempt_id: &str) -> Result<Option<PathBuf>, StoreError> {
        let fail = self.fail();
        let file = self
            .engine()
            .row(
                "SELECT file_name FROM credentials WHERE attempt_id = ?1",
                params![attempt_id],
                |r| r.opt_text(0),
            )
            .map_err(fail)?;
        Ok(file.flatten().map(PathBuf::from))
    }
}

/// Inserts a signed credential of `c.attempt_id` (in the caller's
/// transaction, if any).
pub(super) fn insert_credential(e: &mut Engine, c: &NewCredential<'_>) -> Result<(), SqlError> {
    use sha2::Digest as _;
    let sha = crate::attempt::journal::hex(&sha2::Sha256::digest(c.bytes).into());
    let document = String::from_utf8_lossy(c.bytes).into_owned();
    let rows = e.execute(
        "INSERT INTO credentials (credential_id, kind, attempt_id, learner_key, exam_id,
           issuer_did, issued_us, state, document, sha256, out_dir)
         SELECT ?1, 'open_badge', attempt_id, learner_key, exam_id, ?3, CAST(?4 AS BIGINT),
           'signed', ?5, ?6, ?7
         FROM attempts WHERE attempt_id = ?2",
        params![
            c.credential_id,
            c.attempt_id,
            c.issuer_did,
            c.issued_at.timestamp_micros(),
            document,
            sha,
            c.out_dir.display().to_string(),
        ],
    )?;
    match rows {
        1 => Ok(()),
        _ => Err(SqlError::other(format!(
            "no attempt {} to record a credential for",
            c.attempt_id
        ))),
    }
}
