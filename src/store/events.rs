//! A room's event log in the store: one row per thing that happened at a
//! station (PIN tries, proctor actions, learners coming and going, starts
//! and stops), each with the station's own record of it as JSON. The kiosk
//! rebuilds its PIN delays from these rows, and the proctor reads them with
//! `brevet kiosk --log`.

use super::StoreError;
use super::attempts::{file_hash, import_seen, insert_import};
use super::db::Db;
use super::sql::params;
use chrono::{DateTime, Utc};

/// An event to record.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The room.
    pub room: String,
    /// The station (its machine's name).
    pub station: String,
    /// What kind of event (`pin_wrong`, `kiosk_started`…).
    pub kind: String,
    /// The station's own record of it, as JSON.
    pub line: String,
}

/// A recorded event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// Its id in the store.
    pub id: String,
    /// When it happened, in microseconds since the epoch.
    pub at_us: i64,
    /// The station.
    pub station: String,
    /// Its kind.
    pub kind: String,
    /// The station's record of it, as JSON.
    pub line: String,
}

impl Db {
    /// Records an event.
    ///
    /// # Errors
    /// The store failed.
    pub fn record_event(&mut self, e: &NewEvent) -> Result<(), StoreError> {
        let fail = self.fail();
        let at = e.at.timestamp_micros();
        // Sorted by time, then by id: the id begins with the time.
        let id = format!("{at:020}-{}", super::embedded::new_id());
        self.engine()
            .execute(
                "INSERT INTO events (event_id, at_us, room, station, kind, line)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (event_id) DO NOTHING",
                params![id, at, &e.room, &e.station, &e.kind, &e.line],
            )
            .map(|_| ())
            .map_err(fail)
    }

    /// The events of `room` (of one `station`, if given) recorded after
    /// `after_us`, oldest first.
    ///
    /// # Errors
    /// The store failed.
    pub fn events(
        &mut self,
        room: &str,
        station: Option<&str>,
        after_us: Option<i64>,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let fail = self.fail();
        let after = after_us.unwrap_or(i64::MIN);
        let read = |r: &super::sql::Row<'_>| {
            Ok(StoredEvent {
                at_us: r.int(0)?,
                station: r.text(1)?,
                kind: r.text(2)?,
                line: r.text(3)?,
                id: r.text(4)?,
            })
        };
        match station {
            Some(station) => self.engine().rows(
                "SELECT at_us, station, kind, line, event_id FROM events
                 WHERE room = ?1 AND station = ?2 AND at_us > ?3 ORDER BY at_us, event_id",
                params![room, station, after],
                read,
            ),
            None => self.engine().rows(
                "SELECT at_us, station, kind, line, event_id FROM events
                 WHERE room = ?1 AND at_us > ?2 ORDER BY at_us, event_id",
                params![room, after],
                read,
            ),
        }
        .map_err(fail)
    }

    /// Imports the events of a log file written by an earlier version, once
    /// (`source` names the file; `events`, its lines that parse), in one
    /// transaction with the record of the import.
    ///
    /// # Errors
    /// The store failed.
    pub fn import_events(
        &mut self,
        source: &str,
        bytes: &[u8],
        events: &[NewEvent],
    ) -> Result<bool, StoreError> {
        let fail = self.fail();
        let sha = file_hash(bytes);
        self.engine()
            .transaction(|e| {
                // The same file, however it was reached, is imported once.
                if import_seen(e, source, &sha)? {
                    return Ok(false);
                }
                for (i, ev) in events.iter().enumerate() {
                    let at = ev.at.timestamp_micros();
                    e.execute(
                        "INSERT INTO events (event_id, at_us, room, station, kind, line)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (event_id) DO NOTHING",
                        params![
                            format!("{at:020}-imported-{i:08}"),
                            at,
                            &ev.room,
                            &ev.station,
                            &ev.kind,
                            &ev.line
                        ],
                    )?;
                }
                insert_import(
                    e,
                    source,
                    &sha,
                    None,
                    &format!("imported {} events", events.len()),
                )?;
                Ok(true)
            })
            .map_err(fail)
    }
}
