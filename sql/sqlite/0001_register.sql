-- 0001_register: the public register of petitions.
--
-- Times are UTC seconds (INTEGER).  Texts exist in English (_en) and French
-- (_fr).  Enumerations are stored by their names as src/core spells them
-- (petition_state_name(), region_code(), addressee_type_name()), checked
-- here so no other value can be written.  Signatures, supporters, accounts
-- and the outbox come in later migrations; petitions.id is what they will
-- reference.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE parliaments (
    id           INTEGER PRIMARY KEY,
    number       INTEGER NOT NULL UNIQUE CHECK (number BETWEEN 1 AND 99),
    opened_at    INTEGER NOT NULL,
    dissolved_at INTEGER
);

CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    parliament_id INTEGER NOT NULL REFERENCES parliaments (id),
    number        INTEGER NOT NULL CHECK (number BETWEEN 1 AND 9),
    opened_at     INTEGER NOT NULL,
    ended_at      INTEGER,
    UNIQUE (parliament_id, number)
);

CREATE TABLE members (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    honorific       TEXT NOT NULL DEFAULT '',
    constituency_en TEXT NOT NULL,
    constituency_fr TEXT NOT NULL,
    province        TEXT NOT NULL CHECK (province IN ('AB','BC','MB','NB','NL','NS','NT',
                                                      'NU','ON','PE','QC','SK','YT')),
    caucus_en       TEXT NOT NULL,
    caucus_fr       TEXT NOT NULL,
    is_speaker      INTEGER NOT NULL DEFAULT 0 CHECK (is_speaker IN (0, 1)),
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE ministries (
    id       INTEGER PRIMARY KEY,
    code     TEXT NOT NULL UNIQUE,
    title_en TEXT NOT NULL,
    title_fr TEXT NOT NULL
);

CREATE TABLE ministers (
    id          INTEGER PRIMARY KEY,
    ministry_id INTEGER NOT NULL REFERENCES ministries (id),
    name        TEXT NOT NULL,
    from_at     INTEGER NOT NULL,
    to_at       INTEGER,
    UNIQUE (ministry_id, name, from_at)
);

CREATE TABLE subjects (
    id      INTEGER PRIMARY KEY,
    code    TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_fr TEXT NOT NULL
);

CREATE TABLE keywords (
    id      INTEGER PRIMARY KEY,
    slug    TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_fr TEXT NOT NULL
);

CREATE TABLE petitions (
    id                    INTEGER PRIMARY KEY,
    kind                  TEXT NOT NULL CHECK (kind IN ('electronic', 'paper')),
    e_number              INTEGER UNIQUE CHECK (e_number > 0),
    state                 TEXT NOT NULL CHECK (state IN (
                              'DRAFT', 'AWAITING_SUPPORTERS', 'AWAITING_MEMBER',
                              'UNDER_REVIEW', 'RETURNED_FOR_REVISION', 'OPEN_FOR_SIGNATURE',
                              'WAITING_FOR_CERTIFICATION', 'NOT_CERTIFIED', 'CERTIFIED',
                              'PRESENTED', 'RESPONSE_TABLED', 'CLOSED_UPON_DISSOLUTION',
                              'NOT_ANSWERED_BEFORE_DISSOLUTION', 'ABANDONED', 'REJECTED',
                              'WITHDRAWN', 'EXPIRED', 'REMOVED', 'CLOSED')),
    state_changed_at      INTEGER NOT NULL,
    parliament_id         INTEGER NOT NULL REFERENCES parliaments (id),
    session_id            INTEGER REFERENCES sessions (id),
    subject_id            INTEGER REFERENCES subjects (id),
    original_language     TEXT NOT NULL CHECK (original_language IN ('en', 'fr')),
    addressee_type        TEXT NOT NULL CHECK (addressee_type IN (
                              'house', 'house-assembled', 'government', 'minister', 'member')),
    addressee_ministry_id INTEGER REFERENCES ministries (id),
    addressee_member_id   INTEGER REFERENCES members (id),
    petitioner_name       TEXT,
    petitioner_city       TEXT,
    petitioner_province   TEXT,
    authorizing_member_id INTEGER REFERENCES members (id),
    prayer_en             TEXT NOT NULL,
    prayer_fr             TEXT NOT NULL,
    signature_period_days INTEGER CHECK (signature_period_days > 0),
    created_at            INTEGER NOT NULL,
    opened_at             INTEGER,
    closes_at             INTEGER,
    certified_at          INTEGER,
    presented_at          INTEGER,
    presented_session_id  INTEGER REFERENCES sessions (id),
    presented_sequence    INTEGER CHECK (presented_sequence BETWEEN 1 AND 99999),
    presenting_member_id  INTEGER REFERENCES members (id),
    committee_en          TEXT,
    committee_fr          TEXT,
    signature_total       INTEGER NOT NULL DEFAULT 0 CHECK (signature_total >= 0),
    is_demo               INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    UNIQUE (presented_session_id, presented_sequence),
    CHECK (kind = 'paper' OR e_number IS NOT NULL),
    CHECK (kind = 'electronic' OR presented_sequence IS NOT NULL),
    CHECK (addressee_type <> 'minister' OR addressee_ministry_id IS NOT NULL),
    CHECK (addressee_type <> 'member' OR addressee_member_id IS NOT NULL)
);

CREATE INDEX petitions_state ON petitions (state, state_changed_at);
CREATE INDEX petitions_subject ON petitions (subject_id);

CREATE TABLE petition_grievances (
    petition_id INTEGER NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    text_en     TEXT NOT NULL,
    text_fr     TEXT NOT NULL,
    PRIMARY KEY (petition_id, position)
) WITHOUT ROWID;

CREATE TABLE petition_keywords (
    petition_id INTEGER NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    keyword_id  INTEGER NOT NULL REFERENCES keywords (id),
    PRIMARY KEY (petition_id, keyword_id)
) WITHOUT ROWID;

CREATE INDEX petition_keywords_keyword ON petition_keywords (keyword_id, petition_id);

-- Validated signatures by province or territory ('XX' = outside Canada).
-- Kept up to date by whoever validates a signature, in the same
-- transaction; petitions.signature_total is their sum.
CREATE TABLE petition_counts (
    petition_id INTEGER NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    region      TEXT NOT NULL CHECK (region IN ('AB','BC','MB','NB','NL','NS','NT','NU',
                                                'ON','PE','QC','SK','YT','XX')),
    count       INTEGER NOT NULL DEFAULT 0 CHECK (count >= 0),
    PRIMARY KEY (petition_id, region)
) WITHOUT ROWID;

CREATE TABLE responses (
    petition_id INTEGER PRIMARY KEY REFERENCES petitions (id) ON DELETE CASCADE,
    ministry_id INTEGER NOT NULL REFERENCES ministries (id),
    signed_by   TEXT NOT NULL,
    text_en     TEXT NOT NULL,
    text_fr     TEXT NOT NULL,
    tabled_at   INTEGER NOT NULL
);

-- The timeline of a petition's states, for its page and the API.
CREATE TABLE petition_events (
    id          INTEGER PRIMARY KEY,
    petition_id INTEGER NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    state       TEXT NOT NULL
);

CREATE INDEX petition_events_petition ON petition_events (petition_id, at);
