-- 0011_nodes: several petitiond nodes on one database (issue 17, item 1)
-- (PostgreSQL; as sql/sqlite/0011_nodes.sql).
--
-- leases: one row per job that must run on one node at a time; held while
-- expires_at (UTC seconds, the site's clock) is in the future, renewed by
-- its holder, taken by another node only once expired (one INSERT ... ON
-- CONFLICT DO UPDATE ... WHERE, which locks the row: src/store/pg/meta.c).
--
-- change_version: the version every node polls (flow_finish() moves it).
--
-- E-mails are claimed with FOR UPDATE SKIP LOCKED by moving their next try
-- past the claim (src/store/pg/mail.c).  Written to run twice.
CREATE TABLE IF NOT EXISTS leases (
    name       text COLLATE "C" PRIMARY KEY,
    holder     text COLLATE "C" NOT NULL,
    expires_at bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS change_version (
    id      integer PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO change_version (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
