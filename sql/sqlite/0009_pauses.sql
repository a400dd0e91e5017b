-- 0009_pauses: the brake for a bad day (issue 19, item 6): an
-- administrator pauses signing, of one petition or of the whole site,
-- while a bot attack is dealt with, and resumes it.
--
-- A row is a pause in force: petition_id names the petition, or is NULL
-- for the whole site; at most one row each (the unique index on
-- coalesce(petition_id, 0)).  Resuming deletes the row; the audit log
-- keeps who paused and resumed, when and why.  While a row covers a
-- petition, the signature writer stores no signature and no confirmation
-- of it (src/workflow/signing.c); the confirmation links already sent are
-- untouched and work again once it resumes.  Both writes are staff
-- actions, refused without their audit record (src/store/sqlite/audit.c).
CREATE TABLE signing_pauses (
    id          INTEGER PRIMARY KEY,
    petition_id INTEGER REFERENCES petitions (id),    -- NULL: every petition
    paused_at   INTEGER NOT NULL,
    paused_by   INTEGER REFERENCES users (id),
    reason      TEXT NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX signing_pauses_scope ON signing_pauses (coalesce(petition_id, 0));
