-- 0006_days: each e-petition's counted signatures day by day (issue 7:
-- the line of signatures over time, and where this week's signatures come
-- from on the home page) (PostgreSQL; as sql/sqlite/0006_days.sql).
--
-- Whoever moves petition_counts moves the row of the day (Eastern time) and
-- region in the same statement pair: the intake writer once per batch, the
-- Clerk's review, a recount.  delta is the day's net change, so the sum of
-- a petition's days is its total less the imported base.
--
-- Where PostgreSQL differs: SQLite's date(t, 'unixepoch') is
-- to_char(to_timestamp(t) AT TIME ZONE 'UTC', 'YYYY-MM-DD') (to_char, not
-- ::date::text, whose form depends on DateStyle).  day stays text.
CREATE TABLE petition_days (
    petition_id bigint NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    day         text COLLATE "C" NOT NULL,     -- YYYY-MM-DD, Eastern
    region      text COLLATE "C" NOT NULL CHECK (region IN ('AB','BC','MB','NB','NL','NS','NT','NU',
                                                            'ON','PE','QC','SK','YT','XX')),
    delta       bigint NOT NULL,
    PRIMARY KEY (petition_id, day, region)
);

-- The days of the signatures already counted.  As in SQLite, Eastern
-- Standard Time is used here (a confirmation in the first hour of a summer
-- day falls on the day before), so that both engines migrate the same rows
-- alike; later changes use the right day.  (A database migrated by
-- PostgreSQL is new and empty: this copies nothing in practice.)
INSERT INTO petition_days (petition_id, day, region, delta)
SELECT petition_id,
       to_char(to_timestamp(confirmed_at - 5 * 3600) AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
       region, count(*)
  FROM signatures
 WHERE confirmed_at IS NOT NULL AND review IN ('clear', 'validated')
 GROUP BY petition_id,
          to_char(to_timestamp(confirmed_at - 5 * 3600) AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
          region;

-- Where this week's signatures come from.
CREATE INDEX petition_days_day ON petition_days (day);
