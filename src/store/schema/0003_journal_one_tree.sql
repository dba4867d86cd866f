-- Schema version 3: the journal as one B-tree on SQLite (its rows kept in
-- the primary key's order, without a second tree for rowids), so that an
-- answer's commit writes fewer pages; on PostgreSQL the table is the same
-- as before (the marker below is a comment there).
CREATE TABLE journal_v3 (attempt_id TEXT NOT NULL REFERENCES attempts, seq INTEGER NOT NULL,
  at_us BIGINT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
  record TEXT NOT NULL, PRIMARY KEY (attempt_id, seq)) /*SQLITE: WITHOUT ROWID*/;
INSERT INTO journal_v3 (attempt_id, seq, at_us, prev_hash, hash, record)
  SELECT attempt_id, seq, at_us, prev_hash, hash, record FROM journal;
DROP TABLE journal;
ALTER TABLE journal_v3 RENAME TO journal;
