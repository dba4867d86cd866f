//! Where the store is, for every command that uses one: the embedded store
//! in the data folder, or a PostgreSQL server (`--store`, `BREVET_STORE`)
//! whose password comes apart from its address.

use crate::store::{DataDir, Store};
use std::path::PathBuf;

/// Arguments that choose the store.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// The store on a PostgreSQL server, shared by stations:
    /// `postgresql://USER@HOST[:PORT]/DB`, or `host=/socket/folder user=…
    /// dbname=…` (default: $BREVET_STORE, else the embedded store in the
    /// data folder). Never with a password in it: see
    /// --store-password-file and BREVET_STORE_PASSWORD.
    #[arg(long, value_name = "ADDRESS", global = true)]
    pub store: Option<String>,
    /// A file holding the store's password (first line; readable by its
    /// owner only). Else $BREVET_STORE_PASSWORD, if set.
    #[arg(long, value_name = "FILE", global = true)]
    pub store_password_file: Option<PathBuf>,
}

impl StoreArgs {
    /// The server's address, if the store is on one.
    pub fn address(&self) -> Option<String> {
        self.store.clone().or_else(|| {
            std::env::var("BREVET_STORE")
                .ok()
                .filter(|v| !v.trim().is_empty())
        })
    }

    /// Opens the store (and imports the journal files of `data` it has not
    /// seen): the store, and one line per journal file that could not be
    /// imported.
    ///
    /// # Errors
    /// The store cannot be opened; the password cannot be read.
    pub fn open(&self, data: &DataDir) -> anyhow::Result<(Store, Vec<String>)> {
        let now = chrono::Utc::now();
        Ok(match self.address() {
            None => Store::open(data, now)?,
            Some(address) => {
                let target = crate::store::postgres::Target::new(&address, self.password()?)
                    .map_err(|e| anyhow::anyhow!("--store: {e}"))?;
                Store::open_postgres(&target, data, now)?
            }
        })
    }

    /// The store, if there is one to read: on a server, or the data
    /// folder's file when it exists (`None`: the caller says what that
    /// means for it). Import problems are printed as warnings.
    ///
    /// # Errors
    /// As [`StoreArgs::open`].
    pub fn open_existing(&self, data: &DataDir) -> anyhow::Result<Option<Store>> {
        if self.address().is_none() && !data.root().join(crate::store::sqlite::FILE).exists() {
            return Ok(None);
        }
        self.open_warning(data).map(Some)
    }

    /// [`StoreArgs::open_existing`] for a command that only reads: an
    /// embedded store that cannot be opened to be written (a copy on a
    /// read-only disk, a folder of another user) is read as it is, said
    /// once on standard error.
    ///
    /// # Errors
    /// As [`StoreArgs::open`], when the store cannot be read either.
    pub fn open_to_read(&self, data: &DataDir) -> anyhow::Result<Option<Store>> {
        match self.open_existing(data) {
            Err(e)
                if self.address().is_none()
                    && matches!(
                        e.downcast_ref::<crate::store::StoreError>(),
                        Some(crate::store::StoreError::Unwritable { .. })
                    ) =>
            {
                match Store::open_read_only(data) {
                    Ok(store) => {
                        eprintln!("brevet: note: read as it is, since it cannot be written: {e}");
                        Ok(Some(store))
                    }
                    Err(_) => Err(e),
                }
            }
            other => other,
        }
    }

    /// Opens the store, printing the import's problems as warnings.
    ///
    /// # Errors
    /// As [`StoreArgs::open`].
    pub fn open_warning(&self, data: &DataDir) -> anyhow::Result<Store> {
        let (store, problems) = self.open(data)?;
        for problem in problems {
            eprintln!("brevet: warning: {problem}");
        }
        Ok(store)
    }

    fn password(&self) -> anyhow::Result<Option<String>> {
        let Some(file) = &self.store_password_file else {
            return Ok(std::env::var("BREVET_STORE_PASSWORD").ok());
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(file)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?
                .permissions()
                .mode();
            if mode & 0o077 != 0 {
                anyhow::bail!(
                    "{}: others may read this password file (mode {:o}): make it readable by its owner only (chmod 600)",
                    file.display(),
                    mode & 0o777
                );
            }
        }
        let text = crate::input::read_text(file, crate::input::SMALL_TEXT)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let line = text.lines().next().unwrap_or_default().to_owned();
        if line.is_empty() {
            anyhow::bail!("{}: the password file is empty", file.display());
        }
        Ok(Some(line))
    }
}
