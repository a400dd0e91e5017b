-- 0007_search: search of the public record in both languages (issue 7).
--
-- petitions_fts is an FTS5 index with one row per petition (rowid =
-- petitions.id) holding the words people look for: its numbers, its title
-- (the subject, as the House titles a petition "e-2829 (Foreign affairs)"),
-- its keywords, its text (whereas clauses and prayer), the government
-- response, and the Members who authorized and presented it (names and
-- ridings) with the response's signer.  Every text is there in English
-- and in French, in columns of their own so that bm25() can weigh them
-- (store_sqlite.c, sqlite_petition_list).  The tokenizer folds case and
-- removes diacritics (unicode61 remove_diacritics 2), so "quebec" finds
-- "Québec" and "belarus" finds "Bélarus".
--
-- The index holds every petition whatever its state; the query keeps the
-- public ones (a removed petition stays indexed but is never shown).
--
-- What goes into a row is the view petitions_fts_source; the triggers
-- below have a petition's row written again from it (through the view
-- petitions_fts_refresh) whenever one of its sources changes, so no code
-- path can forget the index.  None of them is on
-- signatures or petition_counts, and the one on petitions names its text
-- columns (UPDATE OF ...), so signing, counts and state changes never
-- touch the index.  A later migration that rebuilds one of these tables
-- must create its triggers again.

CREATE VIRTUAL TABLE petitions_fts USING fts5 (
    number,                 -- "e-2829 432-00158"
    title_en, title_fr,     -- the subject
    keywords_en, keywords_fr,
    text_en, text_fr,       -- whereas clauses, then the prayer
    response_en, response_fr,
    members,                -- authorizing and presenting Members, ridings; the signer
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE VIEW petitions_fts_source AS
SELECT p.id AS id,
       trim(coalesce('e-' || p.e_number, '') || ' ' ||
            CASE WHEN p.presented_sequence IS NOT NULL
                 THEN printf('%02d%d-%05d', pp.number, ps.number, p.presented_sequence)
                 ELSE '' END) AS number,
       coalesce(sub.name_en, '') AS title_en,
       coalesce(sub.name_fr, '') AS title_fr,
       coalesce((SELECT group_concat(k.name_en, '; ') FROM petition_keywords pk
                   JOIN keywords k ON k.id = pk.keyword_id WHERE pk.petition_id = p.id), '')
           AS keywords_en,
       coalesce((SELECT group_concat(k.name_fr, '; ') FROM petition_keywords pk
                   JOIN keywords k ON k.id = pk.keyword_id WHERE pk.petition_id = p.id), '')
           AS keywords_fr,
       coalesce((SELECT group_concat(t, char(10)) FROM
                   (SELECT g.text_en AS t FROM petition_grievances g
                     WHERE g.petition_id = p.id ORDER BY g.position)) || char(10), '')
           || p.prayer_en AS text_en,
       coalesce((SELECT group_concat(t, char(10)) FROM
                   (SELECT g.text_fr AS t FROM petition_grievances g
                     WHERE g.petition_id = p.id ORDER BY g.position)) || char(10), '')
           || p.prayer_fr AS text_fr,
       coalesce(r.text_en, '') AS response_en,
       coalesce(r.text_fr, '') AS response_fr,
       trim(coalesce(am.first_name || ' ' || am.last_name || ', ' || am.constituency_en
                     || ', ' || am.constituency_fr, '') || char(10) ||
            CASE WHEN pm.id IS NOT am.id
                 THEN coalesce(pm.first_name || ' ' || pm.last_name || ', '
                               || pm.constituency_en || ', ' || pm.constituency_fr, '')
                 ELSE '' END || char(10) ||
            coalesce(r.signed_by, ''), char(10)) AS members
  FROM petitions p
  LEFT JOIN subjects sub ON sub.id = p.subject_id
  LEFT JOIN sessions ps ON ps.id = p.presented_session_id
  LEFT JOIN parliaments pp ON pp.id = ps.parliament_id
  LEFT JOIN members am ON am.id = p.authorizing_member_id
  LEFT JOIN members pm ON pm.id = p.presenting_member_id
  LEFT JOIN responses r ON r.petition_id = p.id;

-- ---- keeping it in step ------------------------------------------------------------
-- One place writes a petition's row: inserting its id into the view
-- petitions_fts_refresh deletes the row and writes it again from
-- petitions_fts_source (a deleted petition has no source row, so only the
-- deletion happens).  Every trigger below only says which petitions.

CREATE VIEW petitions_fts_refresh (id) AS SELECT NULL WHERE 0;

CREATE TRIGGER petitions_fts_refresh_row INSTEAD OF INSERT ON petitions_fts_refresh
BEGIN
    DELETE FROM petitions_fts WHERE rowid = NEW.id;
    INSERT INTO petitions_fts (rowid, number, title_en, title_fr, keywords_en, keywords_fr,
                               text_en, text_fr, response_en, response_fr, members)
    SELECT id, number, title_en, title_fr, keywords_en, keywords_fr, text_en, text_fr,
           response_en, response_fr, members
      FROM petitions_fts_source WHERE id = NEW.id;
END;

-- The petitions already there.
INSERT INTO petitions_fts_refresh (id) SELECT id FROM petitions;

CREATE TRIGGER petitions_fts_petition_insert AFTER INSERT ON petitions
BEGIN
    INSERT INTO petitions_fts_refresh (id) VALUES (NEW.id);
END;

CREATE TRIGGER petitions_fts_petition_update
AFTER UPDATE OF e_number, presented_session_id, presented_sequence, subject_id, prayer_en,
                prayer_fr, authorizing_member_id, presenting_member_id ON petitions
WHEN OLD.e_number IS NOT NEW.e_number
  OR OLD.presented_session_id IS NOT NEW.presented_session_id
  OR OLD.presented_sequence IS NOT NEW.presented_sequence
  OR OLD.subject_id IS NOT NEW.subject_id
  OR OLD.prayer_en IS NOT NEW.prayer_en OR OLD.prayer_fr IS NOT NEW.prayer_fr
  OR OLD.authorizing_member_id IS NOT NEW.authorizing_member_id
  OR OLD.presenting_member_id IS NOT NEW.presenting_member_id
BEGIN
    INSERT INTO petitions_fts_refresh (id) VALUES (NEW.id);
END;

CREATE TRIGGER petitions_fts_petition_delete AFTER DELETE ON petitions
BEGIN
    INSERT INTO petitions_fts_refresh (id) VALUES (OLD.id);
END;

-- Whereas clauses.
CREATE TRIGGER petitions_fts_grievance_insert AFTER INSERT ON petition_grievances
BEGIN
    INSERT INTO petitions_fts_refresh (id) VALUES (NEW.petition_id);
END;

CREATE TRIGGER petitions_fts_grievance_update AFTER UPDATE ON petition_grievances
BEGIN
    INSERT INTO petitions_fts_refresh (id)
    SELECT OLD.petition_id UNION SELECT NEW.petition_id;
END;

CREATE TRIGGER petitions_fts_grievance_delete AFTER DELETE ON petition_grievances
BEGIN
    INSERT INTO petitions_fts_refresh (id) VALUES (OLD.petition_id);
END;

-- Keywords filed under a petition.
CREATE TRIGGER petitions_fts_keyword_insert AFTER INSERT ON petition_keywords
BEGIN
    INSERT INTO petitions_fts_refresh (id) VALUES (NEW.petition_id);
END;

CREATE TRIGGER petitions_fts_keyword_update AFTER UPDATE ON petition_keywords
BEGIN
    INSERT INTO petitions_fts_refresh (id)
    SELECT OLD.petition_id UNION SELECT NEW.petition_id;
END;

CREATE TRIGGER petitions_fts_keyword_delete AFTER DELETE ON petition_keywords
BEGIN
    INSERT INTO petitions_fts_refresh (id) VALUES (OLD.petition_id);
END;

-- The government response.
CREATE TRIGGER petitions_fts_response_insert AFTER INSERT ON responses
BEGIN
    INSERT INTO petitions_fts_refresh (id) VALUES (NEW.petition_id);
END;

CREATE TRIGGER petitions_fts_response_update
AFTER UPDATE OF petition_id, signed_by, text_en, text_fr ON responses
BEGIN
    INSERT INTO petitions_fts_refresh (id)
    SELECT OLD.petition_id UNION SELECT NEW.petition_id;
END;

CREATE TRIGGER petitions_fts_response_delete AFTER DELETE ON responses
BEGIN
    INSERT INTO petitions_fts_refresh (id) VALUES (OLD.petition_id);
END;

-- Names shared by many petitions: a renamed subject, keyword or Member
-- (the loaders' upserts) rewrites the rows of the petitions that show it.
CREATE TRIGGER petitions_fts_subject_update AFTER UPDATE OF name_en, name_fr ON subjects
WHEN OLD.name_en IS NOT NEW.name_en OR OLD.name_fr IS NOT NEW.name_fr
BEGIN
    INSERT INTO petitions_fts_refresh (id) SELECT id FROM petitions WHERE subject_id = NEW.id;
END;

CREATE TRIGGER petitions_fts_keyword_rename AFTER UPDATE OF name_en, name_fr ON keywords
WHEN OLD.name_en IS NOT NEW.name_en OR OLD.name_fr IS NOT NEW.name_fr
BEGIN
    INSERT INTO petitions_fts_refresh (id)
    SELECT petition_id FROM petition_keywords WHERE keyword_id = NEW.id;
END;

CREATE TRIGGER petitions_fts_member_update
AFTER UPDATE OF first_name, last_name, constituency_en, constituency_fr ON members
WHEN OLD.first_name IS NOT NEW.first_name OR OLD.last_name IS NOT NEW.last_name
  OR OLD.constituency_en IS NOT NEW.constituency_en
  OR OLD.constituency_fr IS NOT NEW.constituency_fr
BEGIN
    INSERT INTO petitions_fts_refresh (id)
    SELECT id FROM petitions
     WHERE authorizing_member_id = NEW.id OR presenting_member_id = NEW.id;
END;
