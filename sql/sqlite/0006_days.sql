-- 0006_days: each e-petition's counted signatures day by day (issue 7:
-- the line of signatures over time, and where this week's signatures come
-- from on the home page).
--
-- Whoever moves petition_counts moves the row of the day (Eastern time) and
-- region in the same statement pair: the intake writer once per batch, the
-- Clerk's review, a recount.  delta is the day's net change, so the sum of
-- a petition's days is its total less the imported base.
CREATE TABLE petition_days (
    petition_id INTEGER NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    day         TEXT NOT NULL,     -- YYYY-MM-DD, Eastern
    region      TEXT NOT NULL CHECK (region IN ('AB','BC','MB','NB','NL','NS','NT','NU',
                                                'ON','PE','QC','SK','YT','XX')),
    delta       INTEGER NOT NULL,
    PRIMARY KEY (petition_id, day, region)
) WITHOUT ROWID;

-- The days of the signatures already counted.  SQLite knows no time zones:
-- Eastern Standard Time is used here (a confirmation in the first hour of
-- a summer day falls on the day before); later changes use the right day.
INSERT INTO petition_days (petition_id, day, region, delta)
SELECT petition_id, date(confirmed_at - 5 * 3600, 'unixepoch'), region, count(*)
  FROM signatures
 WHERE confirmed_at IS NOT NULL AND review IN ('clear', 'validated')
 GROUP BY petition_id, date(confirmed_at - 5 * 3600, 'unixepoch'), region;

-- Where this week's signatures come from.
CREATE INDEX petition_days_day ON petition_days (day);
