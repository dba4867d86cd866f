//! Reading the files a user names (banks, credentials, configurations,
//! logs): regular files only, and never more than a limit, so `/dev/zero`
//! or a named pipe with no writer gets a clear refusal instead of filling
//! the memory or waiting for ever.

use std::io::Read as _;
use std::path::Path;

/// Why a named file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// A folder, a pipe, a device or a socket.
    #[error("{path} is not a regular file ({kind}): name a file")]
    NotAFile {
        /// The path as given.
        path: String,
        /// What it is instead.
        kind: &'static str,
    },
    /// Larger than the limit for this kind of file.
    #[error("{path} is larger than {limit} bytes: check that it is the file you meant")]
    TooLarge {
        /// The path as given.
        path: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The file system said no.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path as given.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

impl InputError {
    /// What is wrong, without the path (for a report that already names
    /// the file).
    pub fn reason(&self) -> String {
        match self {
            InputError::NotAFile { kind, .. } => {
                format!("not a regular file ({kind}): name a file")
            }
            InputError::TooLarge { limit, .. } => format!("larger than {limit} bytes"),
            InputError::Io { source, .. } => format!("cannot read: {source}"),
        }
    }
}

fn kind(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a file"
}

/// Reads at most `limit + 1` bytes of the regular file at `path`: a caller
/// that can say more about a file too large (a bank's diagnostic) sees
/// that it is; [`read_capped`] refuses it.
///
/// # Errors
/// Not a regular file, or the file system's error.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let shown = || path.display().to_string();
    let io = |source| InputError::Io {
        path: shown(),
        source,
    };
    // `metadata` does not block on a pipe, opening it would.
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(InputError::NotAFile {
            path: shown(),
            kind: kind(&meta),
        });
    }
    let mut file = std::fs::File::open(path).map_err(io)?;
    // Room for the size the file says plus one byte, so that one read
    // takes it all and the next one sees its end (or that it grew).
    let cap = limit.saturating_add(1);
    let mut bytes = vec![0; usize::try_from(meta.len().saturating_add(1).min(cap)).unwrap_or(0)];
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            if filled as u64 >= cap {
                break;
            }
            let grown = (filled as u64).saturating_mul(2).clamp(8192, cap);
            bytes.resize(usize::try_from(grown).unwrap_or(usize::MAX), 0);
        }
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io(e)),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// Reads the regular file at `path`, refusing one larger than `limit`.
///
/// # Errors
/// See [`InputError`].
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let bytes = read_limited(path, limit)?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge {
            path: path.display().to_string(),
            limit,
        });
    }
    Ok(bytes)
}

/// [`read_capped`] as UTF-8 text.
///
/// # Errors
/// See [`InputError`]; text that is not UTF-8 is an I/O error saying so.
pub fn read_text(path: &Path, limit: u64) -> Result<String, InputError> {
    String::from_utf8(read_capped(path, limit)?).map_err(|_| InputError::Io {
        path: path.display().to_string(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"),
    })
}

/// The limit for small text files a person writes (kiosk.toml, issuer.toml,
/// a passphrase file, a key).
pub const SMALL_TEXT: u64 = 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn devices_and_pipes_are_refused_without_reading() {
        let e = read_limited(Path::new("/dev/zero"), 10).unwrap_err();
        assert!(e.to_string().contains("a device"), "{e}");
        let dir = std::env::temp_dir();
        assert!(
            read_limited(&dir, 10)
                .unwrap_err()
                .to_string()
                .contains("a folder")
        );
    }

    #[test]
    fn reads_stop_after_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'x'; 100]).unwrap();
        assert_eq!(read_limited(&path, 10).unwrap().len(), 11);
        assert!(matches!(
            read_capped(&path, 10),
            Err(InputError::TooLarge { limit: 10, .. })
        ));
        assert_eq!(read_capped(&path, 100).unwrap().len(), 100);
    }

    #[test]
    fn every_byte_is_read_whatever_the_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        for size in [0, 1, 8191, 8192, 8193, 100_000] {
            let content: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            std::fs::write(&path, &content).unwrap();
            assert_eq!(read_limited(&path, 1 << 20).unwrap(), content, "{size}");
            assert_eq!(read_capped(&path, size as u64).unwrap(), content, "{size}");
            if size > 0 {
                let cut = read_limited(&path, size as u64 - 1).unwrap();
                assert_eq!(cut, content, "one past the limit: {size}");
            }
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_longer_than_it_says_is_read_to_its_end() {
        // Files of /proc say they are empty.
        let status = read_limited(Path::new("/proc/self/status"), 1 << 20).unwrap();
        assert!(String::from_utf8(status).unwrap().contains("\nPid:"));
    }
}
