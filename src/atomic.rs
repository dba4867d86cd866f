//! Writing a file so that a crash or a concurrent writer never leaves a
//! half-written or clobbered one: a temporary file in the same folder,
//! written and synced, then moved into place in one step.
//!
//! Without `overwrite`, the move is a hard link, which fails if the target
//! exists, so there is no window between "does it exist?" and "write it"
//! (the way rsign2 refuses to replace a key, without its race).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How [`write_file`] creates the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteOptions {
    /// Unix permission bits of the new file (`0o600` for secrets).
    pub mode: u32,
    /// Replace an existing file instead of failing with `AlreadyExists`.
    pub overwrite: bool,
}

/// Writes `bytes` to `path` atomically with the given mode.
///
/// # Errors
/// `AlreadyExists` when the file exists and `overwrite` is off; any I/O
/// error of creating, writing, syncing or moving the file. The temporary
/// file is removed on failure.
pub fn write_file(path: &Path, bytes: &[u8], options: WriteOptions) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
    let (tmp, mut file) = create_temporary(dir, &name.to_string_lossy(), options.mode)?;
    let result = (|| {
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        if options.overwrite {
            fs::rename(&tmp, path)
        } else {
            move_if_absent(&tmp, path)
        }
    })();
    // After a rename the temporary name is gone; after a link it remains.
    let _ = fs::remove_file(&tmp);
    result?;
    sync_dir(dir);
    Ok(())
}

/// Creates a new, empty temporary file next to the target.
fn create_temporary(dir: &Path, name: &str, mode: u32) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    let mut attempt = 0u32;
    loop {
        let tmp = dir.join(format!(".{name}.{pid}.{attempt}.tmp"));
        let mut open = OpenOptions::new();
        open.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut open, mode);
        #[cfg(not(unix))]
        let _ = mode;
        match open.open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Moves `tmp` to `path` unless `path` exists, atomically where the file
/// system has hard links.
fn move_if_absent(tmp: &Path, path: &Path) -> io::Result<()> {
    match fs::hard_link(tmp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        // No hard links here (some network or FAT file systems): check, then
        // rename; the small race is the best such a file system allows.
        Err(_) => {
            if fs::symlink_metadata(path).is_ok() {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "the file exists",
                ));
            }
            fs::rename(tmp, path)
        }
    }
}

/// Makes the new directory entry durable; best effort (not every platform
/// can open a folder for syncing).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: WriteOptions = WriteOptions {
        mode: 0o600,
        overwrite: false,
    };

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn creates_with_the_mode_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("issuer.key");
        write_file(&path, b"one", SECRET).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"one");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let err = write_file(&path, b"two", SECRET).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).unwrap(), b"one", "left untouched");
        write_file(
            &path,
            b"two",
            WriteOptions {
                overwrite: true,
                ..SECRET
            },
        )
        .unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert!(
            leftovers(dir.path()).is_empty(),
            "{:?}",
            leftovers(dir.path())
        );
    }

    #[test]
    fn never_writes_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        fs::write(&target, b"keep").unwrap();
        let link = dir.path().join("issuer.key");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&target, &link).unwrap();
        #[cfg(not(unix))]
        fs::write(&link, b"keep").unwrap();
        assert_eq!(
            write_file(&link, b"secret", SECRET).unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        assert_eq!(fs::read(&target).unwrap(), b"keep");
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-folder").join("issuer.key");
        assert_eq!(
            write_file(&missing, b"x", SECRET).unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
        let folder = dir.path().join("a-folder");
        fs::create_dir(&folder).unwrap();
        assert!(
            write_file(
                &folder,
                b"x",
                WriteOptions {
                    overwrite: true,
                    ..SECRET
                }
            )
            .is_err()
        );
        assert!(
            leftovers(dir.path()).is_empty(),
            "{:?}",
            leftovers(dir.path())
        );
    }
}
