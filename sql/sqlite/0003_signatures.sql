-- 0003_signatures: signing an open petition, confirming by e-mail, the
-- Clerk's allow and block lists, and certification (rulebook 4, 11.6-11.10).
--
-- A signature is counted when it is confirmed (confirmed_at) and its review
-- is 'clear' (nothing tripped) or 'validated' (the Clerk cleared a suspect
-- one).  Whoever changes either does so in the transaction that moves
-- petition_counts and petitions.signature_total by the difference, so a
-- page never counts rows.  `petitiond counts check` recounts.

CREATE TABLE signatures (
    id           INTEGER PRIMARY KEY,
    petition_id  INTEGER NOT NULL REFERENCES petitions (id),
    email_key    TEXT NOT NULL,             -- normalised (core/email.h): one per person
    email        TEXT NOT NULL,             -- as typed, to write to
    first_name   TEXT NOT NULL,
    last_name    TEXT NOT NULL,
    country      TEXT NOT NULL,
    region       TEXT NOT NULL CHECK (region IN ('AB','BC','MB','NB','NL','NS','NT','NU',
                                                 'ON','PE','QC','SK','YT','XX')),
    postal_code  TEXT NOT NULL,
    phone        TEXT NOT NULL,
    lang         TEXT NOT NULL CHECK (lang IN ('en', 'fr')),
    ip           TEXT NOT NULL,             -- the client's address
    rate_key     TEXT NOT NULL,             -- the address, or an IPv6 /64
    created_at   INTEGER NOT NULL,
    confirmed_at INTEGER,
    review       TEXT NOT NULL DEFAULT 'clear'
                 CHECK (review IN ('clear', 'suspect', 'validated', 'invalidated')),
    flag         TEXT,                      -- why it was held: burst, sustained, blocked
    reviewed_at  INTEGER,
    reviewed_by  INTEGER REFERENCES users (id),
    mails        INTEGER NOT NULL DEFAULT 1 CHECK (mails >= 0),
    UNIQUE (petition_id, email_key)
);

-- Signatures from one address on one petition in a window (rate limits).
CREATE INDEX signatures_rate ON signatures (petition_id, rate_key, created_at);
-- The Clerk's list of held signatures.
CREATE INDEX signatures_suspect ON signatures (petition_id, id) WHERE review = 'suspect';

-- Counts not backed by signature rows: imported records and the demo.
-- count = base + the counted signatures of the region.
ALTER TABLE petition_counts ADD COLUMN base INTEGER NOT NULL DEFAULT 0 CHECK (base >= 0);
UPDATE petition_counts SET base = count;

-- The rules a petition was published under (rulebook 11.6, 11.10), so
-- later changes to the jurisdiction file do not apply to it; NULL on
-- older records means the current file's values.
ALTER TABLE petitions ADD COLUMN certify_threshold INTEGER CHECK (certify_threshold > 0);
ALTER TABLE petitions ADD COLUMN grace_hours INTEGER CHECK (grace_hours >= 0);
-- When a closed petition with enough signatures entered the Clerk's
-- certification queue (after the grace).
ALTER TABLE petitions ADD COLUMN queued_at INTEGER;

CREATE INDEX petitions_closing ON petitions (state, closes_at);

-- The Clerk's allow and block lists (rulebook 11.8).  A network is
-- "203.0.113.0/24" or one address; a domain matches itself and its
-- subdomains.  Block beats allow; allow skips the rate limits.
CREATE TABLE signing_rules (
    id         INTEGER PRIMARY KEY,
    action     TEXT NOT NULL CHECK (action IN ('allow', 'block')),
    kind       TEXT NOT NULL CHECK (kind IN ('network', 'domain')),
    value      TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    UNIQUE (action, kind, value)
);
