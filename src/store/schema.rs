//! The store's schema: numbered migrations, one SQL text each, the same for
//! the embedded store (SQLite) and PostgreSQL. A migration is never edited
//! once released; a change is a new one. Each is applied in its own
//! transaction with its `schema_version` row; a store whose version is above
//! [`LATEST`] was made by a newer brevet and is refused. One clause only
//! SQLite has, `WITHOUT ROWID`, is written as the comment [`SQLITE_ONLY`],
//! which the SQLite engine turns into the clause.

/// Every migration, in order: (version, SQL).
pub const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("schema/0001_initial.sql")),
    (2, include_str!("schema/0002_results.sql")),
    (3, include_str!("schema/0003_journal_one_tree.sql")),
    (4, include_str!("schema/0004_unscored_index.sql")),
    (5, include_str!("schema/0005_credential_files.sql")),
];

/// Marks, in a migration, what only SQLite reads: a comment elsewhere.
pub const SQLITE_ONLY: &str = "/*SQLITE: WITHOUT ROWID*/";

/// The schema version this brevet writes.
pub const LATEST: u32 = MIGRATIONS[MIGRATIONS.len() - 1].0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_count_up_from_one() {
        for (i, (version, sql)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*version as usize, i + 1);
            assert!(sql.contains(";\n"), "{version}");
        }
        assert_eq!(LATEST as usize, MIGRATIONS.len());
    }
}
