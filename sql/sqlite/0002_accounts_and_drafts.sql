-- 0002_accounts_and_drafts: people who sign in, petitions before
-- publication (drafting, supporters, Members, the Clerk's review) and the
-- outbox of e-mail.
--
-- A petition lives in `drafts` from its first save until the Clerk
-- approves it; approval inserts its public record into `petitions` (with
-- its e-number) and links the two.  Everything in `petitions` has been
-- published.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL,
    email_key     TEXT NOT NULL UNIQUE,        -- lower-cased, for sign-in
    role          TEXT NOT NULL CHECK (role IN ('petitioner', 'clerk', 'member',
                                                'responder', 'admin')),
    password_hash TEXT,                        -- Argon2id string; NULL until set
    first_name    TEXT NOT NULL DEFAULT '',
    last_name     TEXT NOT NULL DEFAULT '',
    city          TEXT NOT NULL DEFAULT '',
    province      TEXT NOT NULL DEFAULT '',
    country       TEXT NOT NULL DEFAULT '',
    postal_code   TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    lang          TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'fr')),
    member_id     INTEGER REFERENCES members (id),
    ministry_id   INTEGER REFERENCES ministries (id),
    created_at    INTEGER NOT NULL,
    activated_at  INTEGER,
    -- Bumped when the password changes: one-time links made before
    -- then stop working, and every session is signed out.
    generation    INTEGER NOT NULL DEFAULT 1,
    CHECK (role <> 'member' OR member_id IS NOT NULL),
    CHECK (role <> 'responder' OR ministry_id IS NOT NULL)
);

-- Signed-in sessions: only a hash of the cookie's random id is stored.
CREATE TABLE auth_sessions (
    id_hash    BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

-- Failed sign-ins per account ("u:ID") and per address ("ip:ADDR").
CREATE TABLE sign_in_failures (
    key          TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    failures     INTEGER NOT NULL
) WITHOUT ROWID;

-- A petition before publication.  content is the petitioner's text and
-- choices, and the Clerk's translation, subject and keywords, as one JSON
-- document (src/core/draft.h describes it).
CREATE TABLE drafts (
    id                  INTEGER PRIMARY KEY,
    petitioner_id       INTEGER NOT NULL REFERENCES users (id),
    state               TEXT NOT NULL CHECK (state IN (
                            'DRAFT', 'AWAITING_SUPPORTERS', 'AWAITING_MEMBER',
                            'UNDER_REVIEW', 'RETURNED_FOR_REVISION', 'OPEN_FOR_SIGNATURE',
                            'ABANDONED', 'REJECTED', 'WITHDRAWN', 'EXPIRED')),
    state_changed_at    INTEGER NOT NULL,
    content             TEXT NOT NULL CHECK (json_valid(content)),
    -- The rules fixed at submission (rulebook 11, jurisdiction file).
    supporters_min      INTEGER NOT NULL,
    supporters_days     INTEGER NOT NULL,
    member_days         INTEGER NOT NULL,
    members_max         INTEGER NOT NULL,
    round               INTEGER NOT NULL DEFAULT 0,  -- submissions so far
    submitted_at        INTEGER,                     -- of the current round
    member_id           INTEGER REFERENCES members (id), -- asked now, or to ask next
    member_asked_at     INTEGER,                     -- NULL: the petitioner must choose
    authorizing_member_id INTEGER REFERENCES members (id),
    review_reasons      TEXT,                        -- return for revision
    reject_code         TEXT,
    reject_text         TEXT,
    petition_id         INTEGER UNIQUE REFERENCES petitions (id),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);

CREATE INDEX drafts_petitioner ON drafts (petitioner_id, state);
CREATE INDEX drafts_state ON drafts (state, state_changed_at);
CREATE INDEX drafts_member ON drafts (member_id, state);

-- Supporters named by the petitioner.  A confirmation counts for the
-- round it was given in; a return for revision starts a new round.
CREATE TABLE supporters (
    id              INTEGER PRIMARY KEY,
    draft_id        INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    email           TEXT NOT NULL,
    email_key       TEXT NOT NULL,               -- normalised (src/core/email.h)
    invited_round   INTEGER NOT NULL DEFAULT 0,
    confirmed_round INTEGER NOT NULL DEFAULT 0,
    confirmed_at    INTEGER,
    confirm_order   INTEGER,                     -- 1..n within its round
    phone           TEXT,
    country         TEXT,
    province        TEXT,
    postal_code     TEXT,
    lang            TEXT CHECK (lang IN ('en', 'fr')),
    created_at      INTEGER NOT NULL,
    UNIQUE (draft_id, email_key)
);

-- Each request to a Member to authorize publication, and its answer.
CREATE TABLE member_requests (
    id          INTEGER PRIMARY KEY,
    draft_id    INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members (id),
    asked_at    INTEGER NOT NULL,
    answered_at INTEGER,
    answer      TEXT CHECK (answer IN ('accepted', 'declined', 'lapsed', 'withdrawn'))
);

CREATE INDEX member_requests_draft ON member_requests (draft_id, asked_at);

-- The Clerk's decisions (and the petitioner's withdrawal), in order.
CREATE TABLE draft_events (
    id       INTEGER PRIMARY KEY,
    draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    at       INTEGER NOT NULL,
    user_id  INTEGER REFERENCES users (id),
    state    TEXT NOT NULL,
    note     TEXT
);

CREATE INDEX draft_events_draft ON draft_events (draft_id, at);

-- E-mail waiting to go out, written in the same transaction as the event
-- that causes it; the delivery thread sends it and marks it sent.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    to_addr     TEXT NOT NULL,
    to_name     TEXT NOT NULL DEFAULT '',
    lang        TEXT NOT NULL CHECK (lang IN ('en', 'fr')),
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_try_at INTEGER NOT NULL,
    sent_at     INTEGER,
    last_error  TEXT
);

CREATE INDEX outbox_due ON outbox (next_try_at) WHERE sent_at IS NULL;
