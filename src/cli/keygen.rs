//! `brevet keygen`: create an issuer key pair, write the secret key file
//! (mode 0600, never over an existing one without `--force`), print the
//! `did:key` on stdout. The secret never goes to the terminal.

use super::atomic::{WriteOptions, write_file};
use crate::credential::key::{IssuerKey, Passphrase};
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
    #[arg(long, value_name = "VAR")]
    pub passphrase_env: Option<String>,
}

/// Runs `brevet keygen`.
///
/// # Errors
/// No data folder, an existing key file without `--force`, an unreadable
/// passphrase, or a write failure (exit status 2).
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let path = match &args.out {
        Some(path) => path.clone(),
        None => {
            let dir = super::data_dir(args.data.as_deref())?;
            create_private_dir(&dir)?;
            dir.join(DEFAULT_KEY_FILE)
        }
    };
    let passphrase = read_passphrase(args)?;
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
        overwrite: args.force,
    };
    match write_file(&path, pem.as_bytes(), options) {
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
    println!("{}", key.did());
    Ok(ExitCode::SUCCESS)
}

fn read_passphrase(args: &Args) -> anyhow::Result<Option<Passphrase>> {
    let text = if let Some(file) = &args.passphrase_file {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read the passphrase file {}", file.display()))?;
        let first = Zeroizing::new(text);
        first.lines().next().unwrap_or("").to_owned()
    } else if let Some(var) = &args.passphrase_env {
        std::env::var(var).with_context(|| format!("the environment variable {var} is not set"))?
    } else {
        return Ok(None);
    };
    Ok(Some(Passphrase::new(text)?))
}

/// Creates the data folder (and parents) if needed; a new folder is private.
fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("cannot create the data folder {}", dir.display()))
}
