-- Schema version 1: the same text for SQLite and PostgreSQL. Ids are random
-- hex text made by brevet, hashes hex text, times microseconds since the epoch
-- (UTC), booleans 0 or 1, JSON as text.
CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_us BIGINT NOT NULL, brevet TEXT NOT NULL);
CREATE TABLE banks (            -- the bank each paper was drawn from, so that it can always be re-derived
  bank_hash TEXT PRIMARY KEY, exam_id TEXT NOT NULL, exam_version TEXT NOT NULL,
  title TEXT NOT NULL, content TEXT NOT NULL);          -- canonical JSON that bank_hash covers
CREATE TABLE learners (learner_key TEXT PRIMARY KEY,     -- "name:…" | "id:…" (§3)
  display_name TEXT NOT NULL, learner_id TEXT, skeleton TEXT NOT NULL, created_us BIGINT NOT NULL);
CREATE TABLE attempts (
  attempt_id TEXT PRIMARY KEY,
  exam_id TEXT NOT NULL, learner_key TEXT NOT NULL REFERENCES learners,
  number INTEGER NOT NULL CHECK (number >= 1),
  bank_hash TEXT NOT NULL REFERENCES banks, seed TEXT NOT NULL,   -- u64 as decimal
  learner_name TEXT NOT NULL, learner_id TEXT,
  started_us BIGINT NOT NULL, deadline_us BIGINT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open','submitted','abandoned')),
  submitted_us BIGINT, submit_reason TEXT CHECK (submit_reason IN ('learner','time_up','proctor')),
  supervised INTEGER NOT NULL, identity_verified INTEGER NOT NULL, extra_time_percent INTEGER NOT NULL,
  room TEXT, station TEXT,                              -- NULL for brevet run
  origin TEXT NOT NULL CHECK (origin IN ('live','imported')),
  flags TEXT NOT NULL DEFAULT '[]',                     -- mixed-script, confusable-with:<key>, damaged-import
  UNIQUE (exam_id, learner_key, number));
CREATE UNIQUE INDEX attempts_one_open ON attempts (exam_id, learner_key) WHERE state = 'open';
CREATE INDEX attempts_by_learner ON attempts (learner_key, started_us);
CREATE INDEX attempts_open_by_room ON attempts (room) WHERE state = 'open';
CREATE TABLE journal (attempt_id TEXT NOT NULL REFERENCES attempts, seq INTEGER NOT NULL,
  at_us BIGINT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
  record TEXT NOT NULL, PRIMARY KEY (attempt_id, seq));  -- record: the exact JSON bytes hashed
CREATE TABLE results (
  attempt_id TEXT PRIMARY KEY REFERENCES attempts,
  exam_id TEXT NOT NULL, learner_key TEXT NOT NULL, ended_us BIGINT NOT NULL, room TEXT, -- for filters
  percent DOUBLE PRECISION NOT NULL, earned_points DOUBLE PRECISION NOT NULL, max_points DOUBLE PRECISION NOT NULL,
  threshold DOUBLE PRECISION NOT NULL, passed INTEGER NOT NULL,
  sections TEXT NOT NULL, scored_with TEXT NOT NULL);   -- JSON per section; bank_hash used
CREATE INDEX results_by_date ON results (ended_us);
CREATE INDEX results_by_exam ON results (exam_id, ended_us);
CREATE INDEX results_by_learner ON results (learner_key, ended_us);
CREATE TABLE item_results (     -- item analysis; response = Response JSON in bank terms, NULL = none
  attempt_id TEXT NOT NULL REFERENCES attempts, position INTEGER NOT NULL, question_id TEXT NOT NULL,
  section_id TEXT NOT NULL, response TEXT, earned_points DOUBLE PRECISION NOT NULL,
  max_points DOUBLE PRECISION NOT NULL, PRIMARY KEY (attempt_id, position));
CREATE INDEX item_results_by_question ON item_results (question_id);
CREATE TABLE credentials (
  credential_id TEXT PRIMARY KEY,                       -- the document's id (urn:uuid:…)
  kind TEXT NOT NULL CHECK (kind IN ('open_badge','clr')),
  attempt_id TEXT UNIQUE REFERENCES attempts,           -- NULL for a programme (CLR) credential
  learner_key TEXT NOT NULL, exam_id TEXT, issuer_did TEXT NOT NULL, issued_us BIGINT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending','signed')),
  document TEXT, sha256 TEXT,                           -- exact file bytes and their hash
  out_dir TEXT NOT NULL, file_name TEXT, written_us BIGINT);
CREATE INDEX credentials_by_learner ON credentials (learner_key, issued_us);
CREATE TABLE status_entries (   -- a credential's place in a status list, chosen at random, once per list
  list_id TEXT NOT NULL, status_index INTEGER NOT NULL CHECK (status_index >= 0),
  purpose TEXT NOT NULL CHECK (purpose IN ('revocation','suspension')),
  credential_id TEXT NOT NULL REFERENCES credentials,
  PRIMARY KEY (list_id, status_index), UNIQUE (credential_id, purpose));
CREATE TABLE status_changes (   -- the registry's history; the current bit is the latest row
  credential_id TEXT NOT NULL REFERENCES credentials, purpose TEXT NOT NULL,
  at_us BIGINT NOT NULL, set_bit INTEGER NOT NULL, reason TEXT NOT NULL,
  PRIMARY KEY (credential_id, purpose, at_us));
CREATE TABLE events (
  event_id TEXT PRIMARY KEY, at_us BIGINT NOT NULL, room TEXT NOT NULL, station TEXT NOT NULL,
  kind TEXT NOT NULL, learner_key TEXT, attempt_id TEXT, line TEXT NOT NULL);  -- kiosk::log::Line JSON
CREATE INDEX events_by_station ON events (room, station, at_us);
CREATE TABLE imports (source TEXT PRIMARY KEY, sha256 TEXT NOT NULL, imported_us BIGINT NOT NULL,
  attempt_id TEXT, outcome TEXT NOT NULL);              -- idempotent re-imports; check reads it
