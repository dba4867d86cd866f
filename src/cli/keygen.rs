//! `brevet keygen`: create an issuer key pair, write the secret key file
//! (mode 0600, in a folder created 0700 when missing, never over an
//! existing one without `--force`), print the `did:key` on stdout. The
//! secret never goes to the terminal. The key is encrypted with a
//! passphrase (asked twice without echo unless a file or a variable gives
//! it) unless `--no-passphrase` says otherwise.

use crate::atomic::{WriteOptions, write_file};
use crate::credential::key::{IssuerKey, MIN_PASSPHRASE_CHARS, Passphrase};
use anyhow::{Context, bail};
use rand::TryRng;
use rand::rngs::SysRng;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zeroize::Zeroizing;

/// The default key file's name in the data folder.
pub const DEFAULT_KEY_FILE: &str = "issuer.key";

/// Arguments of `brevet keygen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the secret key [default: DATA/issuer.key].
    #[arg(long, short, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Replace an existing key file (the old key is lost).
    #[arg(long)]
    pub force: bool,
    /// Data folder [default: $BREVET_DATA, else $XDG_DATA_HOME/brevet, else ~/.local/share/brevet].
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Encrypt the key with the passphrase on the first line of this file.
    #[arg(long, value_name = "PATH", conflicts_with = "passphrase_env")]
    pub passphrase_file: Option<PathBuf>,
    /// Encrypt the key with the passphrase in this environment variable.
    #[arg(long, value_name = "VAR", conflicts_with = "no_passphrase")]
    pub passphrase_env: Option<String>,
    /// Write the key unencrypted (anyone who can read the file can sign as
    /// the issuer). Without this or a passphrase option, the passphrase is
    /// asked twice, without echo.
    #[arg(long, conflicts_with = "passphrase_file")]
    pub no_passphrase: bool,
}

/// Runs `brevet keygen`.
///
/// # Errors
/// No data folder, an existing key file without `--force`, an unreadable
/// passphrase, or a write failure (exit status 2).
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let path = match &args.out {
        Some(path) => path.clone(),
        None => super::data_dir(args.data.as_deref())?.join(DEFAULT_KEY_FILE),
    };
    if path.is_dir() {
        bail!(
            "{} is a folder: name the key file, e.g. {}",
            path.display(),
            path.join(DEFAULT_KEY_FILE).display()
        );
    }
    if path.exists() && !args.force {
        bail!(
            "{} already exists: keeping it (use --force to replace it; the old key would be lost)",
            path.display()
        );
    }
    let key = write_new_key(
        &path,
        &PassphraseChoice {
            file: args.passphrase_file.clone(),
            env: args.passphrase_env.clone(),
            none: args.no_passphrase,
        },
        args.force,
    )?;
    println!("{}", key);
    Ok(ExitCode::SUCCESS)
}

/// How a new key's passphrase is given.
#[derive(Debug, Clone, Default)]
pub struct PassphraseChoice {
    /// From the first line of this file.
    pub file: Option<PathBuf>,
    /// From this environment variable.
    pub env: Option<String>,
    /// No passphrase: the key is written unencrypted.
    pub none: bool,
}

/// Creates a key and writes its secret file (mode 0600, never over an
/// existing file unless `force`), encrypted as `choice` says; returns its
/// public part.
///
/// # Errors
/// An unreadable or weak passphrase, a file that exists, a write failure.
pub fn write_new_key(
    path: &Path,
    choice: &PassphraseChoice,
    force: bool,
) -> anyhow::Result<crate::credential::did::DidKey> {
    let passphrase = read_passphrase(choice)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    let mut seed = Zeroizing::new([0u8; 32]);
    SysRng
        .try_fill_bytes(seed.as_mut())
        .context("the operating system's random generator failed")?;
    let key = IssuerKey::from_seed(&seed);
    let pem = match &passphrase {
        None => key.to_pem(),
        Some(pass) => key.to_encrypted_pem(&mut SysRng, pass),
    }?;
    let options = WriteOptions {
        mode: 0o600,
        overwrite: force,
    };
    match write_file(path, pem.as_bytes(), options) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "{} already exists: keeping it (use --force to replace it; the old key would be lost)",
            path.display()
        ),
        Err(e) => return Err(e).with_context(|| format!("cannot write {}", path.display())),
    }
    let encrypted = if passphrase.is_some() {
        "encrypted "
    } else {
        ""
    };
    eprintln!(
        "wrote the {encrypted}secret key to {} (mode 0600)",
        path.display()
    );
    Ok(key.did().clone())
}

/// The new key's passphrase: from the file or the variable named, else
/// typed twice; `None` with `--no-passphrase`. Weak ones are refused.
fn read_passphrase(args: &PassphraseChoice) -> anyhow::Result<Option<Passphrase>> {
    let text = if args.none {
        return Ok(None);
    } else if let Some(file) = &args.file {
        let text = Zeroizing::new(
            crate::input::read_text(file, crate::input::SMALL_TEXT)
                .context("cannot read the passphrase file")?,
        );
        text.lines().next().unwrap_or("").to_owned()
    } else if let Some(var) = &args.env {
        match std::env::var(var) {
            Ok(text) => text,
            Err(std::env::VarError::NotPresent) => bail!(
                "the environment variable {var} is not set: set it to the passphrase, or leave out --passphrase-env to type it"
            ),
            Err(std::env::VarError::NotUnicode(_)) => {
                bail!("the environment variable {var} is not valid UTF-8")
            }
        }
    } else {
        let prompt = format!(
            "Passphrase for the new key (at least {MIN_PASSPHRASE_CHARS} characters; --no-passphrase for none): "
        );
        match super::secret::read_twice(&prompt, "Same passphrase again: ")? {
            Some(text) if text.is_empty() => bail!(
                "no passphrase typed: type one, or use --no-passphrase for an unencrypted key"
            ),
            Some(text) => text.to_string(),
            None => bail!("the two passphrases differ: nothing was written"),
        }
    };
    Ok(Some(Passphrase::new_strong(text)?))
}

/// Creates a folder (and parents) if needed; a new folder is private (0700).
///
/// # Errors
/// The folder cannot be created.
fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))
}
