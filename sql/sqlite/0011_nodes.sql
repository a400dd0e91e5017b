-- 0011_nodes: several petitiond nodes on one database (issue 17, item 1).
--
-- leases: one row per job that must run on one node at a time (the
-- scheduler's jobs, the moving of mailings into the outbox).  A node holds
-- the job while expires_at (UTC seconds, the site's clock) is in the
-- future, and renews it as it works; another node takes it only once it
-- has expired, so a node that dies is replaced within the lease time.
-- Taken and renewed by one statement in a write transaction
-- (src/store/sqlite/meta.c).
--
-- change_version: one row whose version moves in the same transaction as
-- every change a cached page may show (flow_finish()); every node polls
-- it, so its cached pages follow what the other nodes commit.
--
-- An e-mail is claimed by the node that sends it by moving its next try
-- past the claim (store_outbox_claim()): no new column, and a node that
-- dies leaves its claimed e-mails due again once the claim has passed.
--
-- Written to run twice, as migrations may be (tests/integration/review_test.c).
CREATE TABLE IF NOT EXISTS leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS change_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO change_version (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
