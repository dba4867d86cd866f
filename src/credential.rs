//! Signed Open Badges 3.0 credentials: the document, its canonical form, the
//! `eddsa-jcs-2022` Data Integrity proof, the issuer's `did:key` and key file.
//!
//! Everything here is pure: no clock, no file, no terminal. The time of issue,
//! the verifier's "now" and the randomness come in as parameters, bytes come in
//! and go out; the command line reads and writes the files.

pub mod baked;
pub mod country;
pub mod did;
pub mod did_web;
pub mod identity;
pub mod invalid;
pub mod jcs;
pub mod key;
pub mod ld;
pub mod ob;
pub mod proof;
pub mod rdfc;
pub mod status;
pub mod summary;
pub mod verify;

use chrono::{DateTime, SecondsFormat, Utc};

/// Formats a time the way credentials write it: UTC, whole seconds, `Z`
/// (`2025-03-14T09:26:53Z`). Fractions of a second are dropped.
pub fn format_datetime(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Reads an XML Schema `dateTimeStamp` (RFC 3339 with a time zone), as
/// `validFrom`, `validUntil` and `created` are written.
pub fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    // chrono also accepts a space or a lowercase `t` between date and time;
    // the XML Schema form does not.
    if text.as_bytes().get(10) != Some(&b'T') {
        return None;
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn date_times_are_utc_with_seconds_and_z() {
        let t = Utc.with_ymd_and_hms(2025, 3, 14, 9, 26, 53).unwrap();
        assert_eq!(format_datetime(t), "2025-03-14T09:26:53Z");
        let with_millis = t + chrono::Duration::milliseconds(999);
        assert_eq!(format_datetime(with_millis), "2025-03-14T09:26:53Z");
        assert_eq!(parse_datetime("2025-03-14T09:26:53Z"), Some(t));
        assert_eq!(parse_datetime("2025-03-14T10:26:53+01:00"), Some(t));
        assert_eq!(parse_datetime("2025-03-14 09:26:53Z"), None);
        assert_eq!(parse_datetime("2025-03-14T09:26:53"), None);
        assert_eq!(parse_datetime("2025-03-14"), None);
        assert_eq!(parse_datetime("soon"), None);
    }
}
