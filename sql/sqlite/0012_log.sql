-- 0012_log: each e-petition's public log (issue 18): an append-only
-- Merkle tree of the changes of its count (RFC 6962 hashing, served in
-- the C2SP tlog-tiles layout by src/api/log.c), so that anyone can
-- recompute the count and a signer can prove their signature is in it.
--
-- petition_logs: one row per petition that has a log: its size (entries)
-- and the count its entries attest (Σ import n + sig − void), moved in
-- the transaction that moves petitions.signature_total, so the two are
-- equal at every commit; and certified_size, its size when the Clerk
-- certified the petition (workflow/sign_closing.c): the certified count
-- stands on the checkpoint at that size.  Set once, never changed.
--
-- log_parts: the entries, 8 to a row (part k holds entries 8k .. 8k + 7,
-- so the tlog-tiles entry bundle N is parts 32N .. 32N + 31; a row of
-- about 700 bytes stays in its B-tree page, where 16 would overflow),
-- each entry a line of text ending in '\n' (entries are ASCII without
-- newlines: core/petition_log.h).  A batch's entries are appended to the
-- rows of their parts: a row only grows, and stays small
-- so that an append rewrites a page, not a whole bundle of 22 KB.
--
-- log_hashes: the tree's hashes at level 8 and above (a complete subtree
-- of 256 leaves or more), lowercase hex, written when the subtree
-- completes; the levels below are computed from a bundle's entries.
-- With them a root or a proof reads O(log n) rows and one bundle.
--
-- log_checkpoints: every checkpoint signed, with the count it attests,
-- stored before it is served (src/workflow/petition_log.c).
--
-- signatures.log_index: the index of the signature's "sig" entry while it
-- counts, for its receipt and for the "void" entry that takes it back.
--
-- The log is append-only by triggers, as the audit log is: no row is
-- deleted, a log and a part of its entries only grow, a log's certified size is set
-- once, a hash or a checkpoint never changes.
ALTER TABLE signatures ADD COLUMN log_index INTEGER;

CREATE TABLE petition_logs (
    petition_id INTEGER PRIMARY KEY REFERENCES petitions (id),
    size        INTEGER NOT NULL CHECK (size >= 0),
    attested    INTEGER NOT NULL,
    certified_size INTEGER CHECK (certified_size BETWEEN 0 AND size)
);

CREATE TABLE log_parts (
    petition_id INTEGER NOT NULL REFERENCES petition_logs (petition_id),
    part        INTEGER NOT NULL,
    entries     TEXT NOT NULL,
    PRIMARY KEY (petition_id, part)
) WITHOUT ROWID;

CREATE TABLE log_hashes (
    petition_id INTEGER NOT NULL REFERENCES petition_logs (petition_id),
    level       INTEGER NOT NULL CHECK (level >= 8),
    idx         INTEGER NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (petition_id, level, idx)
) WITHOUT ROWID;

CREATE TABLE log_checkpoints (
    petition_id INTEGER NOT NULL REFERENCES petition_logs (petition_id),
    size        INTEGER NOT NULL,
    attested    INTEGER NOT NULL,
    root        TEXT NOT NULL,
    note        TEXT NOT NULL,
    signed_at   INTEGER NOT NULL,
    PRIMARY KEY (petition_id, size)
) WITHOUT ROWID;

CREATE TRIGGER petition_logs_no_delete BEFORE DELETE ON petition_logs
BEGIN
    SELECT RAISE(ABORT, 'the log is append-only');
END;
CREATE TRIGGER petition_logs_grow BEFORE UPDATE ON petition_logs
    WHEN NEW.size < OLD.size OR NEW.petition_id <> OLD.petition_id
      OR (OLD.certified_size IS NOT NULL AND NEW.certified_size IS NOT OLD.certified_size)
BEGIN
    SELECT RAISE(ABORT, 'the log is append-only');
END;
CREATE TRIGGER log_parts_no_delete BEFORE DELETE ON log_parts
BEGIN
    SELECT RAISE(ABORT, 'the log is append-only');
END;
CREATE TRIGGER log_parts_grow BEFORE UPDATE ON log_parts
    WHEN NEW.petition_id <> OLD.petition_id OR NEW.part <> OLD.part
      OR substr(NEW.entries, 1, length(OLD.entries)) <> OLD.entries
BEGIN
    SELECT RAISE(ABORT, 'the log is append-only');
END;
CREATE TRIGGER log_hashes_no_delete BEFORE DELETE ON log_hashes
BEGIN
    SELECT RAISE(ABORT, 'the log is append-only');
END;
CREATE TRIGGER log_hashes_no_update BEFORE UPDATE ON log_hashes
BEGIN
    SELECT RAISE(ABORT, 'the log is append-only');
END;
CREATE TRIGGER log_checkpoints_no_delete BEFORE DELETE ON log_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'the log is append-only');
END;
CREATE TRIGGER log_checkpoints_no_update BEFORE UPDATE ON log_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'the log is append-only');
END;
