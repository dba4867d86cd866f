//! The attempt journal: an append-only, hash-chained log of everything that
//! changed an attempt, from which the attempt is rebuilt after a crash.
//!
//! One record per line: `HASH JSON\n`, where `HASH` is the hex SHA-256 of the
//! previous record's hash (raw bytes) followed by this line's JSON bytes. The
//! hash is computed over the bytes as stored, so reading never depends on
//! re-serialising. Writing goes through a [`Sink`] that the edge implements
//! (a synced file); this module never touches the disk.

use super::{Event, Header};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The journal format's name, and the seed of the hash chain.
const GENESIS: &[u8] = b"brevet journal v1";

/// Where journal lines go. The file implementation must have the line on
/// stable storage (written and synced) before it returns `Ok`.
pub trait Sink {
    /// Appends one complete line (ending in `\n`).
    ///
    /// # Errors
    /// The line could not be made durable; the command must not be confirmed.
    fn append(&mut self, line: &[u8]) -> std::io::Result<()>;

    /// Appends a line whose loss would cost the learner nothing they were
    /// shown as saved (a move to another question): the sink need not sync
    /// it, as long as it becomes durable with the next [`Sink::append`] or
    /// [`Sink::flush`], in order. Durable at once by default.
    ///
    /// # Errors
    /// The line could not be kept.
    fn defer(&mut self, line: &[u8]) -> std::io::Result<()> {
        self.append(line)
    }

    /// Makes the lines held by [`Sink::defer`] durable. Nothing by default.
    ///
    /// # Errors
    /// They could not be written.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }

    /// The record `seq`, whose hash is `head`, submitted the attempt: a
    /// store keeps this apart from the journal, so that a journal whose
    /// last records were cut or removed is not taken for an attempt still
    /// running. Nothing by default.
    ///
    /// # Errors
    /// The seal could not be made durable (the submission itself is).
    fn sealed(&mut self, seq: u64, head: &Hash) -> std::io::Result<()> {
        let _ = (seq, head);
        Ok(())
    }
}

impl Sink for Vec<u8> {
    fn append(&mut self, line: &[u8]) -> std::io::Result<()> {
        self.extend_from_slice(line);
        Ok(())
    }
}

/// One journal record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Position in the journal, from 0.
    pub seq: u64,
    /// When it happened (the attempt's clock, never earlier than the previous record).
    pub at: DateTime<Utc>,
    /// What happened.
    #[serde(flatten)]
    pub entry: Entry,
}

/// What a record holds: the attempt's header first, then events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "record")]
pub enum Entry {
    /// The first record: everything needed to rebuild the paper.
    Start(Header),
    /// Any later change.
    Event {
        /// The change.
        event: Event,
    },
}

/// A 32-byte SHA-256 value, shown in hex.
pub type Hash = [u8; 32];

/// Hex of a hash, as written in journals and credentials.
pub fn hex(hash: &Hash) -> String {
    use std::fmt::Write as _;
    hash.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The hash the chain starts from, before the first record.
pub fn genesis() -> Hash {
    Sha256::digest(GENESIS).into()
}

fn chain(prev: &Hash, json: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(json);
    h.finalize().into()
}

/// Writes records to a sink, keeping the chain's head.
#[derive(Debug)]
pub struct Writer<S> {
    sink: S,
    head: Hash,
    next_seq: u64,
}

impl<S: Sink> Writer<S> {
    /// A writer for a new, empty journal.
    pub fn new(sink: S) -> Self {
        Self {
            sink,
            head: genesis(),
            next_seq: 0,
        }
    }

    /// A writer that continues a journal read by [`read`].
    pub fn resume(sink: S, read: &Read) -> Self {
        Self {
            sink,
            head: read.head,
            next_seq: read.records.len() as u64,
        }
    }

    /// Appends `entry` at time `at`; returns the record once it is durable.
    ///
    /// # Errors
    /// The sink could not make the line durable.
    pub fn append(&mut self, at: DateTime<Utc>, entry: Entry) -> std::io::Result<Record> {
        self.write(at, entry, false)
    }

    /// Appends `entry` at `at` through [`Sink::defer`]: it becomes durable
    /// with the next record, or at [`Writer::flush`].
    ///
    /// # Errors
    /// The sink refused it.
    pub fn append_deferred(&mut self, at: DateTime<Utc>, entry: Entry) -> std::io::Result<Record> {
        self.write(at, entry, true)
    }

    /// Makes the deferred records durable.
    ///
    /// # Errors
    /// See [`Sink::flush`].
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.sink.flush()
    }

    fn write(
        &mut self,
        at: DateTime<Utc>,
        entry: Entry,
        deferred: bool,
    ) -> std::io::Result<Record> {
        let record = Record {
            seq: self.next_seq,
            at,
            entry,
        };
        let json = serde_json::to_vec(&record).map_err(std::io::Error::other)?;
        let hash = chain(&self.head, &json);
        let mut line = Vec::with_capacity(json.len() + 66);
        line.extend_from_slice(hex(&hash).as_bytes());
        line.push(b' ');
        line.extend_from_slice(&json);
        line.push(b'\n');
        if deferred {
            self.sink.defer(&line)?;
        } else {
            self.sink.append(&line)?;
        }
        self.head = hash;
        self.next_seq += 1;
        Ok(record)
    }

    /// The hash of the last record written (the chain's head).
    pub fn head(&self) -> Hash {
        self.head
    }

    /// Tells the sink that the last record written submitted the attempt.
    ///
    /// # Errors
    /// See [`Sink::sealed`].
    pub fn seal(&mut self) -> std::io::Result<()> {
        let seq = self.next_seq.saturating_sub(1);
        self.sink.sealed(seq, &self.head)
    }

    /// The sink, e.g. to inspect what was written.
    pub fn sink(&self) -> &S {
        &self.sink
    }
}

/// A journal read back: its records and the head of the chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    /// Every intact record, in order.
    pub records: Vec<Record>,
    /// The hash of each record, in the same order.
    pub hashes: Vec<Hash>,
    /// Hash of the last intact record.
    pub head: Hash,
    /// Length in bytes of the intact prefix; the file should be cut there
    /// before appending (a torn last line lies beyond it).
    pub valid_len: usize,
    /// Bytes of a torn last line that were dropped (a crash mid-write).
    pub torn_bytes: usize,
}

impl Read {
    /// The attempt's header: its first record, when that is a start.
    pub fn header(&self) -> Option<&Header> {
        match self.records.first().map(|r| &r.entry) {
            Some(Entry::Start(h)) => Some(h),
            _ => None,
        }
    }
}

/// Why a journal cannot be trusted. Never "repaired" silently.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    /// No complete record (an empty file, or a first line cut short).
    #[error("the journal holds no complete record")]
    Empty,
    /// A line in the middle does not parse.
    #[error("journal line {line} is damaged: {why}")]
    Damaged {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        why: String,
    },
    /// A line's hash does not follow from the previous one: edited or reordered.
    #[error("journal line {line} breaks the hash chain: the journal was altered")]
    BrokenChain {
        /// 1-based line number.
        line: usize,
    },
    /// Sequence numbers skip or repeat.
    #[error("journal line {line} is out of sequence")]
    OutOfSequence {
        /// 1-based line number.
        line: usize,
    },
    /// The first record is not a start record, or a later one is.
    #[error("journal line {line}: {why}")]
    Structure {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        why: &'static str,
    },
}

/// Reads a journal from its bytes, verifying the chain.
///
/// A torn last line (no final newline, or a last line that does not parse)
/// is dropped and reported in [`Read::torn_bytes`]; any other damage is an
/// error.
///
/// # Errors
/// See [`JournalError`].
pub fn read(bytes: &[u8]) -> Result<Read, JournalError> {
    let mut records = Vec::new();
    let mut hashes = Vec::new();
    let mut head = genesis();
    let mut offset = 0;
    let mut line_no = 0;
    while offset < bytes.len() {
        line_no += 1;
        let rest = &bytes[offset..];
        let Some(end) = rest.iter().position(|&b| b == b'\n') else {
            // No newline: the write was cut short. Drop it.
            break;
        };
        let line = &rest[..end];
        let is_last = offset + end + 1 == bytes.len();
        match parse_line(line, &head) {
            Ok((record, hash)) => {
                if record.seq != records.len() as u64 {
                    return Err(JournalError::OutOfSequence { line: line_no });
                }
                let is_start = matches!(record.entry, Entry::Start(_));
                if is_start != records.is_empty() {
                    return Err(JournalError::Structure {
                        line: line_no,
                        why: if is_start {
                            "a second start record"
                        } else {
                            "the first record is not a start record"
                        },
                    });
                }
                records.push(record);
                hashes.push(hash);
                head = hash;
                offset += end + 1;
            }
            // A complete last line that is garbage is also a torn write
            // (the file system may extend the file before the data lands),
            // unless its hash shows it was once valid and altered.
            Err(LineError::Garbled(_)) if is_last => break,
            Err(LineError::Garbled(why)) => {
                return Err(JournalError::Damaged { line: line_no, why });
            }
            Err(LineError::Chain) => return Err(JournalError::BrokenChain { line: line_no }),
        }
    }
    if records.is_empty() {
        return Err(JournalError::Empty);
    }
    Ok(Read {
        records,
        hashes,
        head,
        valid_len: offset,
        torn_bytes: bytes.len() - offset,
    })
}

enum LineError {
    Garbled(String),
    Chain,
}

fn parse_line(line: &[u8], prev: &Hash) -> Result<(Record, Hash), LineError> {
    if line.len() < 66 || line[64] != b' ' {
        return Err(LineError::Garbled(
            "no hash at the start of the line".into(),
        ));
    }
    let (hash_hex, json) = (&line[..64], &line[65..]);
    let stated = unhex(hash_hex).ok_or_else(|| LineError::Garbled("the hash is not hex".into()))?;
    let record: Record =
        serde_json::from_slice(json).map_err(|e| LineError::Garbled(e.to_string()))?;
    let expected = chain(prev, json);
    if stated != expected {
        return Err(LineError::Chain);
    }
    Ok((record, expected))
}

fn unhex(text: &[u8]) -> Option<Hash> {
    let mut out = [0u8; 32];
    for (i, pair) in text.chunks_exact(2).enumerate() {
        let s = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(s, 16).ok()?;
    }
    Some(out)
}
