-- 0004_house: after certification (presentation, the government response
-- and its deadline), Parliament's calendar (prorogation, dissolution,
-- sitting days), paper petitions, the audit log of staff actions, e-mail
-- to every signatory in batches, and the erasure of personal data
-- (rulebook 2.2-2.4, 7, 11.7, 11.11-11.16).
--
-- Run with foreign keys off (the migration runner does so) because the
-- drafts table is rebuilt to accept CLOSED_UPON_DISSOLUTION.

-- ---- the audit log ---------------------------------------------------------------
-- Every staff action, with who, when, what and why.  Append-only: the
-- triggers below refuse any change or deletion.  Each petitiond
-- connection also carries TEMP triggers (store_sqlite.c) that refuse a
-- staff write unless its transaction has appended a row here.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    user_id     INTEGER REFERENCES users (id),     -- NULL: petitiond itself
    role        TEXT NOT NULL,                     -- the actor's role, or 'system'
    action      TEXT NOT NULL,                     -- 'signature.invalidate', ...
    petition_id INTEGER REFERENCES petitions (id),
    target      TEXT NOT NULL DEFAULT '',          -- 'e-6512', 'user 12', '45-1'
    reason      TEXT NOT NULL DEFAULT '',
    details     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
);

CREATE INDEX audit_log_petition ON audit_log (petition_id, id);
CREATE INDEX audit_log_user ON audit_log (user_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- ---- Parliament's calendar ----------------------------------------------------------
-- How a session ended: prorogation (the Parliament goes on) or
-- dissolution (it ends).  A session with ended_at NULL is current.
ALTER TABLE sessions ADD COLUMN end_kind TEXT CHECK (end_kind IN ('prorogation', 'dissolution'));
UPDATE sessions SET end_kind = 'prorogation' WHERE ended_at IS NOT NULL;
UPDATE sessions SET end_kind = 'dissolution'
 WHERE ended_at IS NOT NULL
   AND EXISTS (SELECT 1 FROM parliaments p
                WHERE p.id = sessions.parliament_id AND p.dissolved_at = sessions.ended_at);

-- The days the House sits (Eastern dates), kept by the Clerk.  The
-- response deadline moves to the next of them (rulebook 11.12).
CREATE TABLE sitting_days (
    day TEXT PRIMARY KEY
        CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
) WITHOUT ROWID;

-- ---- presentation and the response ---------------------------------------------------
-- The ministry that answers a presented petition (chosen at presentation).
ALTER TABLE petitions ADD COLUMN response_ministry_id INTEGER REFERENCES ministries (id);
-- When the personal data of its supporters and signatories was erased.
ALTER TABLE petitions ADD COLUMN erased_at INTEGER;

CREATE INDEX petitions_presented ON petitions (presented_session_id, presented_sequence);

-- A response being written in the responder workspace, until tabled.
CREATE TABLE response_drafts (
    petition_id INTEGER PRIMARY KEY REFERENCES petitions (id),
    ministry_id INTEGER NOT NULL REFERENCES ministries (id),
    signed_by   TEXT NOT NULL,
    text_en     TEXT NOT NULL,
    text_fr     TEXT NOT NULL,
    ready_at    INTEGER,                -- sent to the Clerk for tabling
    updated_at  INTEGER NOT NULL,
    updated_by  INTEGER REFERENCES users (id)
);

-- Why the Clerk invalidated (or validated) a signature.
ALTER TABLE signatures ADD COLUMN review_note TEXT;

-- ---- e-mail to many ------------------------------------------------------------------
-- One message to everyone concerned by an event: the petitioner,
-- supporters and signatories of the petitions in mailing_sources, each
-- address once.  The mail thread lists the recipients in chunks
-- (collect_*), then copies them into the outbox in batches, marking each
-- (queued_at) in the batch's transaction; the outbox marks it sent.
-- Both markers are on disk, so a restart resumes where it stopped.
CREATE TABLE mailings (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,          -- the mail template
    created_at      INTEGER NOT NULL,
    vars            TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(vars)),
    collect_source  INTEGER NOT NULL DEFAULT 0,  -- mailing_sources.id being listed
    collect_after   INTEGER NOT NULL DEFAULT 0,  -- last signature id listed of it
    collected_at    INTEGER,                -- every recipient listed
    done_at         INTEGER                 -- every recipient in the outbox
);

CREATE INDEX mailings_open ON mailings (id) WHERE done_at IS NULL;

CREATE TABLE mailing_sources (
    id          INTEGER PRIMARY KEY,
    mailing_id  INTEGER NOT NULL REFERENCES mailings (id),
    draft_id    INTEGER REFERENCES drafts (id),
    petition_id INTEGER REFERENCES petitions (id),
    label       TEXT NOT NULL DEFAULT '',   -- 'e-6512', for the message
    CHECK (draft_id IS NOT NULL OR petition_id IS NOT NULL)
);

CREATE INDEX mailing_sources_mailing ON mailing_sources (mailing_id, id);

CREATE TABLE mailing_recipients (
    mailing_id INTEGER NOT NULL REFERENCES mailings (id),
    email_key  TEXT NOT NULL,
    email      TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    lang       TEXT NOT NULL CHECK (lang IN ('en', 'fr')),
    labels     TEXT NOT NULL DEFAULT '',    -- the petitions concerned, 'e-1, e-2'
    queued_at  INTEGER,
    PRIMARY KEY (mailing_id, email_key)
) WITHOUT ROWID;

CREATE INDEX mailing_recipients_todo ON mailing_recipients (mailing_id, email_key)
    WHERE queued_at IS NULL;

-- Signatures by petition in id order, for listing recipients in chunks.
CREATE INDEX signatures_petition ON signatures (petition_id, id);

-- ---- drafts: CLOSED_UPON_DISSOLUTION, erasure ------------------------------------------
CREATE TABLE drafts_new (
    id                  INTEGER PRIMARY KEY,
    petitioner_id       INTEGER NOT NULL REFERENCES users (id),
    state               TEXT NOT NULL CHECK (state IN (
                            'DRAFT', 'AWAITING_SUPPORTERS', 'AWAITING_MEMBER',
                            'UNDER_REVIEW', 'RETURNED_FOR_REVISION', 'OPEN_FOR_SIGNATURE',
                            'ABANDONED', 'REJECTED', 'WITHDRAWN', 'EXPIRED',
                            'CLOSED_UPON_DISSOLUTION')),
    state_changed_at    INTEGER NOT NULL,
    content             TEXT NOT NULL CHECK (json_valid(content)),
    supporters_min      INTEGER NOT NULL,
    supporters_days     INTEGER NOT NULL,
    member_days         INTEGER NOT NULL,
    members_max         INTEGER NOT NULL,
    round               INTEGER NOT NULL DEFAULT 0,
    submitted_at        INTEGER,
    member_id           INTEGER REFERENCES members (id),
    member_asked_at     INTEGER,
    authorizing_member_id INTEGER REFERENCES members (id),
    review_reasons      TEXT,
    reject_code         TEXT,
    reject_text         TEXT,
    petition_id         INTEGER UNIQUE REFERENCES petitions (id),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    erased_at           INTEGER              -- supporters' personal data erased
);

INSERT INTO drafts_new (id, petitioner_id, state, state_changed_at, content, supporters_min,
                        supporters_days, member_days, members_max, round, submitted_at,
                        member_id, member_asked_at, authorizing_member_id, review_reasons,
                        reject_code, reject_text, petition_id, created_at, updated_at)
SELECT id, petitioner_id, state, state_changed_at, content, supporters_min, supporters_days,
       member_days, members_max, round, submitted_at, member_id, member_asked_at,
       authorizing_member_id, review_reasons, reject_code, reject_text, petition_id,
       created_at, updated_at
  FROM drafts;

DROP TABLE drafts;
ALTER TABLE drafts_new RENAME TO drafts;

CREATE INDEX drafts_petitioner ON drafts (petitioner_id, state);
CREATE INDEX drafts_state ON drafts (state, state_changed_at);
CREATE INDEX drafts_member ON drafts (member_id, state);

-- Personal data of signers is erased by blanking these columns; the
-- signature keeps its region and review so the counts still reconcile.
-- Its email_key becomes 'erased:ID' (still unique).

-- Which mailing an outbox message belongs to, for its progress.
ALTER TABLE outbox ADD COLUMN mailing_id INTEGER REFERENCES mailings (id);
CREATE INDEX outbox_mailing ON outbox (mailing_id) WHERE mailing_id IS NOT NULL;
