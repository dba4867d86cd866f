-- Schema version 5: the file of each attempt's credential, in an index of
-- its own, so that `brevet results` finds it without reading the
-- credential's document (stored in the same row before the file name: on
-- SQLite, pages of its own to walk through for every credential).
CREATE INDEX credentials_files ON credentials (attempt_id, file_name);
