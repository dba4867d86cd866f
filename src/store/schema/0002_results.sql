-- Schema version 2: a result carries what `brevet results` lists (the
-- learner, the bank's version, start, reason, identity check: facts of the
-- attempt fixed at the hand-in), so that listing 100,000 results joins
-- nothing but credentials; and it names the journal record it was scored
-- from. Schema 1's brevet never wrote a result: the table is made again.
DROP TABLE results;
CREATE TABLE results (
  attempt_id TEXT PRIMARY KEY REFERENCES attempts,
  exam_id TEXT NOT NULL, exam_version TEXT NOT NULL, learner_key TEXT NOT NULL,
  learner_name TEXT NOT NULL, learner_id TEXT, room TEXT,
  started_us BIGINT NOT NULL, ended_us BIGINT NOT NULL,
  submit_reason TEXT NOT NULL CHECK (submit_reason IN ('learner','time_up','proctor')),
  identity_verified INTEGER NOT NULL,
  percent DOUBLE PRECISION NOT NULL, earned_points DOUBLE PRECISION NOT NULL, max_points DOUBLE PRECISION NOT NULL,
  threshold DOUBLE PRECISION NOT NULL, passed INTEGER NOT NULL,
  sections TEXT NOT NULL,                               -- JSON, one object per section
  scored_with TEXT NOT NULL,                            -- the bank_hash used
  journal_head TEXT NOT NULL);                          -- hash of the hand-in record
CREATE INDEX results_by_date ON results (ended_us);
CREATE INDEX results_by_exam ON results (exam_id, ended_us);
CREATE INDEX results_by_learner ON results (learner_key, ended_us);
