-- Schema version 4: the attempts that may lack a result are the imported
-- ones (a live attempt gets its result with its hand-in); brevet run and the
-- kiosk look for them at every start, through this index rather than over
-- every attempt.
CREATE INDEX attempts_imported_by_bank ON attempts (bank_hash) WHERE origin = 'imported';
