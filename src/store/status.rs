//! The issuer's registry of credential statuses: the place each issued
//! credential holds in the issuer's status lists (chosen at random, once),
//! and every revocation, suspension and reinstatement with its date and
//! reason. The published lists are computed from it.
//!
//! A list takes at most [`LIST_FILL`] entries, half its places: a random
//! free place is then found in a couple of tries, and a set bit says little
//! about when its credential was issued. The next list is opened after.

use super::StoreError;
use super::db::Db;
use super::sql::{Engine, Kind, SqlError, params};
use crate::credential::status::{self, Entry, MIN_ENTRIES, Purpose};
use chrono::{DateTime, Utc};

/// Entries a list takes before the next one is opened.
pub const LIST_FILL: i64 = (MIN_ENTRIES / 2) as i64;

/// The URL of the `number`th list of `purpose` under `base` (a folder URL
/// ending with `/`): `…/revocation-1.json`.
pub fn list_url(base: &str, purpose: Purpose, number: u32) -> String {
    format!("{base}{}-{number}.json", purpose.name())
}

/// A status list of the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryList {
    /// Its URL.
    pub url: String,
    /// Its purpose.
    pub purpose: Purpose,
    /// The issuers of its credentials.
    pub issuers: Vec<String>,
}

/// A credential in the registry, with its status entries and history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    /// The credential's id (`urn:uuid:…`).
    pub credential_id: String,
    /// Its issuer's DID.
    pub issuer_did: String,
    /// The learner's name, as the attempt records it.
    pub learner_name: Option<String>,
    /// The exam.
    pub exam_id: Option<String>,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
    /// Its places in the status lists.
    pub entries: Vec<Entry>,
    /// Every change, oldest first.
    pub changes: Vec<Change>,
}

impl Registered {
    /// The latest change of `purpose`, if any.
    pub fn latest(&self, purpose: Purpose) -> Option<&Change> {
        self.changes.iter().rev().find(|c| c.purpose == purpose)
    }

    /// Whether the bit of `purpose` is set now.
    pub fn is_set(&self, purpose: Purpose) -> bool {
        self.latest(purpose).is_some_and(|c| c.set)
    }
}

/// One change of a credential's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Revocation or suspension.
    pub purpose: Purpose,
    /// Set (revoked, suspended) or cleared (reinstated).
    pub set: bool,
    /// When.
    pub at: DateTime<Utc>,
    /// Why, in the issuer's words.
    pub reason: String,
}

/// Why a status change is refused.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No such credential in this store.
    #[error(
        "no credential {0} in this store: statuses are kept where the credential was issued (--data, --store)"
    )]
    Unknown(String),
    /// The credential has no entry of that purpose.
    #[error(
        "credential {id} cannot be {what}: it was issued without a {purpose} entry (issuer.toml `status_lists`{hint})"
    )]
    NoEntry {
        /// The credential.
        id: String,
        /// What was asked (`revoked`, `suspended`, `reinstated`).
        what: &'static str,
        /// The purpose it lacks.
        purpose: &'static str,
        /// A hint on the setting that gives one.
        hint: &'static str,
    },
    /// Revocation is final.
    #[error("credential {0} is revoked: a revocation is final (issue a new credential instead)")]
    Revoked(String),
    /// Nothing to do.
    #[error("credential {id} is already {state}")]
    Already {
        /// The credential.
        id: String,
        /// Its state.
        state: &'static str,
    },
}

impl Db {
    /// The list new entries of `purpose` go to for `issuer_did`: the first
    /// of `base` with fewer than [`LIST_FILL`] entries and none of another
    /// issuer (a list is signed by one issuer: its credentials' own).
    ///
    /// # Errors
    /// The store failed.
    pub fn open_status_list(
        &mut self,
        base: &str,
        purpose: Purpose,
        issuer_did: &str,
    ) -> Result<String, StoreError> {
        let fail = self.fail();
        let mut number = 1;
        loop {
            let url = list_url(base, purpose, number);
            let (taken, others) = self
                .engine()
                .row(
                    "SELECT COUNT(*), COUNT(CASE WHEN c.issuer_did <> ?2 THEN 1 END)
                     FROM status_entries e JOIN credentials c ON c.credential_id = e.credential_id
                     WHERE e.list_id = ?1",
                    params![&url, issuer_did],
                    |r| Ok((r.int(0)?, r.int(1)?)),
                )
                .map_err(&fail)?
                .unwrap_or((0, 0));
            if taken < LIST_FILL && others == 0 {
                return Ok(url);
            }
            number += 1;
        }
    }

    /// Whether a place of a list is taken.
    ///
    /// # Errors
    /// The store failed.
    pub fn status_place_taken(&mut self, list: &str, index: u64) -> Result<bool, StoreError> {
        let fail = self.fail();
        place_taken(self.engine(), list, index).map_err(fail)
    }

    /// Records a signed credential and its places in the status lists, in
    /// one transaction. `Ok(false)`: a place was taken meanwhile (by
    /// another station); nothing was recorded, choose again.
    ///
    /// # Errors
    /// The store failed.
    pub fn record_credential_with_status(
        &mut self,
        c: &super::credentials::NewCredential<'_>,
        entries: &[Entry],
    ) -> Result<bool, StoreError> {
        if entries.is_empty() {
            return self.record_credential(c).map(|()| true);
        }
        let fail = self.fail();
        let outcome = self.engine().transaction(|e| {
            // Already there: this very transaction committed, and only its
            // acknowledgement was lost (a server that went away) before
            // being run again.
            let recorded = e
                .row(
                    "SELECT 1 FROM credentials WHERE credential_id = ?1",
                    params![c.credential_id],
                    |_| Ok(()),
                )?
                .is_some();
            if recorded {
                return Ok(true);
            }
            for entry in entries {
                if place_taken(e, &entry.list, entry.index)? {
                    return Ok(false);
                }
            }
            super::credentials::insert_credential(e, c)?;
            for entry in entries {
                e.execute(
                    "INSERT INTO status_entries (list_id, status_index, purpose, credential_id)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![
                        &entry.list,
                        i64::try_from(entry.index).unwrap_or(i64::MAX),
                        entry.purpose.name(),
                        c.credential_id
                    ],
                )?;
            }
            Ok(true)
        });
        match outcome {
            Ok(recorded) => Ok(recorded),
            // On a server, another station took a place between the check
            // and the insert.
            Err(e) if e.kind == Kind::Unique => {
                for entry in entries {
                    if self.status_place_taken(&entry.list, entry.index)? {
                        return Ok(false);
                    }
                }
                Err(fail(e))
            }
            Err(e) => Err(fail(e)),
        }
    }

    /// A credential of the registry, by id.
    ///
    /// # Errors
    /// The store failed.
    pub fn registered(&mut self, credential_id: &str) -> Result<Option<Registered>, StoreError> {
        let fail = self.fail();
        registered(self.engine(), credential_id).map_err(fail)
    }

    /// The credential whose file has these bytes (by SHA-256).
    ///
    /// # Errors
    /// The store failed.
    pub fn credential_by_sha256(&mut self, sha256: &str) -> Result<Option<String>, StoreError> {
        let fail = self.fail();
        self.engine()
            .row(
                "SELECT credential_id FROM credentials WHERE sha256 = ?1",
                params![sha256],
                |r| r.text(0),
            )
            .map_err(fail)
    }

    /// Revokes (`set` with revocation), suspends (`set` with suspension) or
    /// reinstates (suspension, not `set`) a credential, with the reason
    /// kept. A revocation is final.
    ///
    /// # Errors
    /// See [`ChangeError`].
    pub fn change_status(
        &mut self,
        credential_id: &str,
        purpose: Purpose,
        set: bool,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<Registered, ChangeError> {
        let fail = self.fail();
        let what = match (purpose, set) {
            (Purpose::Revocation, true) => "revoked",
            (Purpose::Suspension, true) => "suspended",
            (_, false) => "reinstated",
        };
        let mut refused = None;
        let outcome = self.engine().transaction(|e| {
            refused = None;
            let Some(current) = registered(e, credential_id)? else {
                refused = Some(ChangeError::Unknown(credential_id.to_owned()));
                return Ok(None);
            };
            if current.is_set(Purpose::Revocation) {
                refused = Some(ChangeError::Revoked(credential_id.to_owned()));
                return Ok(None);
            }
            if !current.entries.iter().any(|en| en.purpose == purpose) {
                refused = Some(ChangeError::NoEntry {
                    id: credential_id.to_owned(),
                    what,
                    purpose: purpose.name(),
                    hint: if purpose == Purpose::Suspension {
                        " and `suspension = true`"
                    } else {
                        ""
                    },
                });
                return Ok(None);
            }
            if current.is_set(purpose) == set {
                refused = Some(ChangeError::Already {
                    id: credential_id.to_owned(),
                    state: if set { what } else { "in force" },
                });
                return Ok(None);
            }
            // Two changes within one microsecond keep their order.
            let last = current
                .changes
                .last()
                .map_or(i64::MIN, |c| c.at.timestamp_micros());
            let at_us = at.timestamp_micros().max(last.saturating_add(1));
            e.execute(
                "INSERT INTO status_changes (credential_id, purpose, at_us, set_bit, reason)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![credential_id, purpose.name(), at_us, i64::from(set), reason],
            )?;
            registered(e, credential_id)
        });
        match outcome.map_err(fail)? {
            Some(done) => Ok(done),
            None => Err(refused.unwrap_or_else(|| ChangeError::Unknown(credential_id.to_owned()))),
        }
    }

    /// Every list the registry has entries in, with its purpose and the
    /// issuers of its credentials (one, unless the registry was filled by
    /// an earlier version), in order.
    ///
    /// # Errors
    /// The store failed.
    pub fn status_lists(&mut self) -> Result<Vec<RegistryList>, StoreError> {
        let fail = self.fail();
        let rows = self
            .engine()
            .rows(
                "SELECT DISTINCT e.list_id, e.purpose, c.issuer_did
                 FROM status_entries e JOIN credentials c ON c.credential_id = e.credential_id
                 ORDER BY e.list_id, c.issuer_did",
                params![],
                |r| Ok((r.text(0)?, r.text(1)?, r.text(2)?)),
            )
            .map_err(fail)?;
        let mut lists: Vec<RegistryList> = Vec::new();
        for (url, purpose, issuer) in rows {
            let Some(purpose) = Purpose::from_name(&purpose) else {
                continue;
            };
            match lists.last_mut() {
                Some(last) if last.url == url => last.issuers.push(issuer),
                _ => lists.push(RegistryList {
                    url,
                    purpose,
                    issuers: vec![issuer],
                }),
            }
        }
        Ok(lists)
    }

    /// The bits of a list as the registry has them now.
    ///
    /// # Errors
    /// The store failed.
    pub fn status_bits(&mut self, list: &str) -> Result<status::Bitstring, StoreError> {
        let fail = self.fail();
        let set = self
            .engine()
            .rows(
                "SELECT e.status_index FROM status_entries e
                 WHERE e.list_id = ?1 AND (
                   SELECT c.set_bit FROM status_changes c
                   WHERE c.credential_id = e.credential_id AND c.purpose = e.purpose
                   ORDER BY c.at_us DESC LIMIT 1) = 1",
                params![list],
                |r| r.int(0),
            )
            .map_err(fail)?;
        let mut bits = status::Bitstring::new(MIN_ENTRIES);
        for index in set {
            bits.set(u64::try_from(index).unwrap_or(u64::MAX), true);
        }
        Ok(bits)
    }
}

/// Whether a place of a list is taken (in the caller's transaction, if any).
fn place_taken(e: &mut Engine, list: &str, index: u64) -> Result<bool, SqlError> {
    let index = i64::try_from(index).unwrap_or(i64::MAX);
    Ok(e.row(
        "SELECT 1 FROM status_entries WHERE list_id = ?1 AND status_index = ?2",
        params![list, index],
        |_| Ok(()),
    )?
    .is_some())
}

fn registered(e: &mut Engine, credential_id: &str) -> Result<Option<Registered>, SqlError> {
    let Some((issuer_did, issued_us, exam_id, learner_name)) = e.row(
        "SELECT c.issuer_did, c.issued_us, c.exam_id, a.learner_name
         FROM credentials c LEFT JOIN attempts a ON a.attempt_id = c.attempt_id
         WHERE c.credential_id = ?1",
        params![credential_id],
        |r| Ok((r.text(0)?, r.int(1)?, r.opt_text(2)?, r.opt_text(3)?)),
    )?
    else {
        return Ok(None);
    };
    let entries = e
        .rows(
            "SELECT list_id, status_index, purpose FROM status_entries
             WHERE credential_id = ?1 ORDER BY purpose",
            params![credential_id],
            |r| Ok((r.text(0)?, r.int(1)?, r.text(2)?)),
        )?
        .into_iter()
        .filter_map(|(list, index, purpose)| {
            Some(Entry {
                purpose: Purpose::from_name(&purpose)?,
                index: u64::try_from(index).ok()?,
                list,
            })
        })
        .collect();
    let changes = e
        .rows(
            "SELECT purpose, set_bit, at_us, reason FROM status_changes
             WHERE credential_id = ?1 ORDER BY at_us",
            params![credential_id],
            |r| Ok((r.text(0)?, r.int(1)?, r.int(2)?, r.text(3)?)),
        )?
        .into_iter()
        .filter_map(|(purpose, set, at, reason)| {
            Some(Change {
                purpose: Purpose::from_name(&purpose)?,
                set: set != 0,
                at: DateTime::from_timestamp_micros(at)?,
                reason,
            })
        })
        .collect();
    Ok(Some(Registered {
        credential_id: credential_id.to_owned(),
        issuer_did,
        learner_name,
        exam_id,
        issued_at: DateTime::from_timestamp_micros(issued_us).unwrap_or_default(),
        entries,
        changes,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::credentials::NewCredential;
    use crate::store::testing::{demo, t, take};

    fn store() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join(super::super::sqlite::FILE), "0", 0).unwrap();
        let exam = demo();
        take(&mut db, &exam, "a1", "Ada Lovelace", 0, &[]);
        take(&mut db, &exam, "a2", "Alan Turing", 100, &[]);
        (dir, db)
    }

    fn new<'a>(id: &'a str, attempt: &'a str) -> NewCredential<'a> {
        NewCredential {
            credential_id: id,
            attempt_id: attempt,
            issuer_did: "did:web:example.org",
            issued_at: t(0),
            bytes: b"{}",
            out_dir: std::path::Path::new("/tmp"),
        }
    }

    #[test]
    fn lists_are_named_by_purpose_and_number() {
        assert_eq!(
            list_url("https://example.org/status/", Purpose::Suspension, 2),
            "https://example.org/status/suspension-2.json"
        );
    }

    #[test]
    fn a_credential_is_revoked_once_and_suspended_back_and_forth() {
        let (_dir, mut db) = store();
        let base = "https://example.org/status/";
        let list = db
            .open_status_list(base, Purpose::Revocation, "did:web:example.org")
            .unwrap();
        assert_eq!(list, list_url(base, Purpose::Revocation, 1));
        let entries = [
            Entry {
                purpose: Purpose::Revocation,
                index: 17,
                list: list.clone(),
            },
            Entry {
                purpose: Purpose::Suspension,
                index: 99,
                list: list_url(base, Purpose::Suspension, 1),
            },
        ];
        assert!(
            db.record_credential_with_status(&new("urn:uuid:1", "a1"), &entries)
                .unwrap()
        );
        assert!(db.status_place_taken(&list, 17).unwrap());
        assert!(!db.status_place_taken(&list, 18).unwrap());

        let mut change = |p, set, at| db.change_status("urn:uuid:1", p, set, "why", t(at));
        change(Purpose::Suspension, true, 1).unwrap();
        assert!(matches!(
            change(Purpose::Suspension, true, 2),
            Err(ChangeError::Already { .. })
        ));
        change(Purpose::Suspension, false, 3).unwrap();
        let revoked = change(Purpose::Revocation, true, 4).unwrap();
        assert!(revoked.is_set(Purpose::Revocation));
        assert!(!revoked.is_set(Purpose::Suspension));
        assert_eq!(revoked.changes.len(), 3);
        assert_eq!(revoked.latest(Purpose::Revocation).unwrap().reason, "why");
        assert!(matches!(
            change(Purpose::Suspension, true, 5),
            Err(ChangeError::Revoked(_))
        ));
        assert!(matches!(
            db.change_status("urn:uuid:2", Purpose::Revocation, true, "", t(6)),
            Err(ChangeError::Unknown(_))
        ));
        let lists = db.status_lists().unwrap();
        assert_eq!(lists.len(), 2);
        assert_eq!(lists[0].issuers, ["did:web:example.org"]);
        // Another issuer's credentials go to a list of their own.
        assert_eq!(
            db.open_status_list(base, Purpose::Revocation, "did:key:z6Mk")
                .unwrap(),
            list_url(base, Purpose::Revocation, 2)
        );
        let bits = db.status_bits(&list).unwrap();
        assert_eq!(bits.get(17), Some(true));
        assert_eq!(bits.count_set(), 1);
        assert_eq!(db.status_bits(&entries[1].list).unwrap().count_set(), 0);
    }

    #[test]
    fn a_suspension_shows_in_the_list_until_reinstated() {
        let (_dir, mut db) = store();
        let list = "https://example.org/status/suspension-1.json".to_owned();
        let entry = Entry {
            purpose: Purpose::Suspension,
            index: 131_071,
            list: list.clone(),
        };
        assert!(
            db.record_credential_with_status(&new("urn:uuid:1", "a1"), &[entry])
                .unwrap()
        );
        db.change_status("urn:uuid:1", Purpose::Suspension, true, "inquiry", t(1))
            .unwrap();
        assert_eq!(db.status_bits(&list).unwrap().get(131_071), Some(true));
        db.change_status("urn:uuid:1", Purpose::Suspension, false, "cleared", t(1))
            .unwrap();
        // The same instant: the reinstatement still comes after.
        assert_eq!(db.status_bits(&list).unwrap().get(131_071), Some(false));
        assert!(matches!(
            db.change_status("urn:uuid:1", Purpose::Revocation, true, "", t(2)),
            Err(ChangeError::NoEntry { .. })
        ));
    }

    #[test]
    fn a_place_taken_meanwhile_records_nothing() {
        let (_dir, mut db) = store();
        let entry = Entry {
            purpose: Purpose::Revocation,
            index: 5,
            list: "https://example.org/status/revocation-1.json".to_owned(),
        };
        assert!(
            db.record_credential_with_status(
                &new("urn:uuid:1", "a1"),
                std::slice::from_ref(&entry)
            )
            .unwrap()
        );
        assert!(
            !db.record_credential_with_status(&new("urn:uuid:2", "a2"), &[entry])
                .unwrap()
        );
        assert!(db.registered("urn:uuid:2").unwrap().is_none());
        assert!(db.credential_by_sha256("00").unwrap().is_none());
    }
}
