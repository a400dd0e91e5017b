-- 0012_log: each e-petition's public log (issue 18) (PostgreSQL; as
-- sql/sqlite/0012_log.sql, which says what each table holds).
--
-- Append-only by triggers, as the audit log is (integrity_constraint_
-- violation, 23000): no row deleted or truncated, a log and a part of its entries
-- only grow, a log's certified size is set once, a hash or a checkpoint
-- never changes.  Written to run twice.
ALTER TABLE signatures ADD COLUMN IF NOT EXISTS log_index bigint;

CREATE TABLE IF NOT EXISTS petition_logs (
    petition_id bigint PRIMARY KEY REFERENCES petitions (id),
    size        bigint NOT NULL CHECK (size >= 0),
    attested    bigint NOT NULL,
    certified_size bigint CHECK (certified_size BETWEEN 0 AND size)
);

CREATE TABLE IF NOT EXISTS log_parts (
    petition_id bigint NOT NULL REFERENCES petition_logs (petition_id),
    part        bigint NOT NULL,
    entries     text COLLATE "C" NOT NULL,
    PRIMARY KEY (petition_id, part)
);

CREATE TABLE IF NOT EXISTS log_hashes (
    petition_id bigint NOT NULL REFERENCES petition_logs (petition_id),
    level       integer NOT NULL CHECK (level >= 8),
    idx         bigint NOT NULL,
    hash        text COLLATE "C" NOT NULL,
    PRIMARY KEY (petition_id, level, idx)
);

CREATE TABLE IF NOT EXISTS log_checkpoints (
    petition_id bigint NOT NULL REFERENCES petition_logs (petition_id),
    size        bigint NOT NULL,
    attested    bigint NOT NULL,
    root        text COLLATE "C" NOT NULL,
    note        text COLLATE "C" NOT NULL,
    signed_at   bigint NOT NULL,
    PRIMARY KEY (petition_id, size)
);

CREATE OR REPLACE FUNCTION log_append_only() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    -- One table's fields at a time: a record has only its own.
    IF TG_OP = 'UPDATE' THEN
        IF TG_TABLE_NAME = 'petition_logs' THEN
            IF NEW.petition_id = OLD.petition_id AND NEW.size >= OLD.size
               AND (OLD.certified_size IS NULL
                    OR NEW.certified_size IS NOT DISTINCT FROM OLD.certified_size) THEN
                RETURN NEW;
            END IF;
        ELSIF TG_TABLE_NAME = 'log_parts' THEN
            IF NEW.petition_id = OLD.petition_id AND NEW.part = OLD.part
               AND starts_with(NEW.entries, OLD.entries) THEN
                RETURN NEW;
            END IF;
        END IF;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
                          MESSAGE = 'the log is append-only';
END;
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['petition_logs', 'log_parts', 'log_hashes', 'log_checkpoints'] LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_append_only', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I'
                       ' FOR EACH ROW EXECUTE FUNCTION log_append_only()', t || '_append_only', t);
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_no_truncate', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION log_append_only()', t || '_no_truncate', t);
    END LOOP;
END;
$$;
