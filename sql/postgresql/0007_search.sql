-- 0007_search: search of the public record in both languages (issue 7; PostgreSQL, issue 16).
--
-- The PostgreSQL counterpart of sql/sqlite/0007_search.sql, meeting the
-- rules of src/store/search.h with PostgreSQL's full text search.
-- petitions_search has one row per petition (petition_id = petitions.id)
-- holding the words people look for as two tsvectors:
--
--   words     its numbers ("e-2829 432-00158") and its title (the subject)
--             in both languages, weight A; its keywords, B; the Members who
--             authorized and presented it (names and ridings) and the
--             response's signer, C; its text (whereas clauses, then the
--             prayer), D;
--   response  the government response.
--
-- A petition matches when words || response (GIN index
-- petitions_search_match) matches the query petitiond_search_query()
-- makes of the visitor's words; its relevance is
-- ts_rank(words) + ts_rank(response) with weights falling by about three
-- at each step (src/store/pg/search.c: SEARCH_JOIN), so that the places
-- weigh as search.h orders them, the response least.
--
-- Words are cut as core/search.h cuts the search box: every code point it
-- does not take for a letter or digit (petitiond_search_prepare()'s
-- list, copied from core/words.c and core/search.c) becomes a space before
-- PostgreSQL's parser sees the text, so "e-2829" is the words "e" and
-- "2829" (not the signed integer -2829) and "l’acier" holds "acier".
--
-- Each text is indexed twice: with petitiond_simple (no stemming, no stop
-- words: exactly what SQLite's unicode61 index holds, and what a prefix
-- must match) and with the configuration of its language, petitiond_en or
-- petitiond_fr (the Snowball stemmer, without stop words, so "NOT", "the"
-- or "les" are words like any other).  All three configurations put
-- unaccent before their dictionary and fold case, so "quebec" finds
-- "Québec" and "forets" finds "forêts".  Names and numbers are indexed
-- with petitiond_simple only.
--
-- The index holds every petition whatever its state; the query keeps the
-- public ones (a removed petition stays indexed but is never shown).
--
-- What goes into a row is the view petitions_search_source;
-- petitions_search_refresh(id) writes a petition's row again from it, and
-- the triggers below call it whenever one of its sources changes, so no
-- code path can forget the index.  None of them is on signatures or
-- petition_counts, and the one on petitions names its text columns
-- (UPDATE OF ... WHEN they changed), so signing, counts and state changes
-- never touch the index.  A copy of a site (petitiond copy) fills it
-- through these triggers as the rows arrive; were they disabled,
-- SELECT petitions_search_refresh(id) FROM petitions rebuilds it.

CREATE EXTENSION IF NOT EXISTS unaccent;

-- ---- configurations ------------------------------------------------------------------
-- The stemmers without their stop words: every word typed is looked for.
CREATE TEXT SEARCH DICTIONARY petitiond_english_stem (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH DICTIONARY petitiond_french_stem (TEMPLATE = snowball, Language = french);
CREATE TEXT SEARCH DICTIONARY petitiond_simple_word (TEMPLATE = simple);

CREATE TEXT SEARCH CONFIGURATION petitiond_simple (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION petitiond_simple
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword,
                      numhword, hword_numpart
    WITH unaccent, petitiond_simple_word;

CREATE TEXT SEARCH CONFIGURATION petitiond_en (COPY = english);
ALTER TEXT SEARCH CONFIGURATION petitiond_en
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH unaccent, petitiond_english_stem;
ALTER TEXT SEARCH CONFIGURATION petitiond_en
    ALTER MAPPING FOR numword, numhword, hword_numpart WITH unaccent, petitiond_simple_word;

CREATE TEXT SEARCH CONFIGURATION petitiond_fr (COPY = french);
ALTER TEXT SEARCH CONFIGURATION petitiond_fr
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH unaccent, petitiond_french_stem;
ALTER TEXT SEARCH CONFIGURATION petitiond_fr
    ALTER MAPPING FOR numword, numhword, hword_numpart WITH unaccent, petitiond_simple_word;

-- ---- text to words ---------------------------------------------------------------------
-- t with every code point core/search.h does not take for a letter or a
-- digit made a space: ASCII punctuation, symbols and controls; Latin-1's
-- but ª ² ³ µ ¹ º ¼ ½ ¾; × and ÷; General Punctuation, currency symbols,
-- arrows to technical symbols, box drawing to dingbats, Supplemental
-- Punctuation, CJK punctuation, variation selectors, small forms, the
-- byte-order mark, the pictographs (emoji) and tags.  The ranges are code
-- points, whatever the database's locale.
CREATE FUNCTION petitiond_search_prepare(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(coalesce(t, ''),
        '[\u0001-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a9\u00ab-\u00b1\u00b4\u00b6-\u00b8'
        '\u00bb\u00bf\u00d7\u00f7\u2000-\u206f\u20a0-\u20cf\u2190-\u23ff\u2500-\u27bf'
        '\u2e00-\u2e7f\u3000-\u303f\ufe00-\ufe0f\ufe10-\ufe6f\ufeff\U0001f000-\U0001faff'
        '\U000e0000-\U000e007f]+',
        ' ', 'g')
$$;

-- The words of t: unstemmed (petitiond_simple), and stemmed by config
-- unless config is petitiond_simple.
CREATE FUNCTION petitiond_search_vector(t text, config regconfig) RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN config = 'petitiond_simple'::regconfig
                THEN to_tsvector('petitiond_simple', x)
                ELSE to_tsvector('petitiond_simple', x) || to_tsvector(config, x) END
      FROM (SELECT petitiond_search_prepare(t) AS x) s
$$;

-- ---- the query ------------------------------------------------------------------------
-- The query of the words a visitor typed: operands is one tsquery operand
-- per word, as src/store/pg/search.c writes them from core/search.h's
-- terms (the word quoted, the last one with :* for a prefix).  Every word
-- must be found: each one unstemmed, or stemmed in English, or stemmed in
-- French.  A word that holds no lexeme drops out; no operand at all gives
-- NULL, which matches nothing.
CREATE AGGREGATE petitiond_tsquery_and (tsquery) (SFUNC = tsquery_and, STYPE = tsquery);

CREATE FUNCTION petitiond_search_query(operands text[]) RETURNS tsquery
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT petitiond_tsquery_and(to_tsquery('petitiond_simple', w) || to_tsquery('petitiond_en', w)
                                 || to_tsquery('petitiond_fr', w))
      FROM unnest(operands) AS w
$$;

-- ---- the index --------------------------------------------------------------------------
CREATE TABLE petitions_search (
    petition_id bigint PRIMARY KEY REFERENCES petitions (id) ON DELETE CASCADE,
    words       tsvector NOT NULL,
    response    tsvector NOT NULL
);

CREATE INDEX petitions_search_match ON petitions_search USING gin ((words || response));

CREATE VIEW petitions_search_source AS
SELECT p.id AS id,
       trim(coalesce('e-' || p.e_number, '') || ' ' ||
            CASE WHEN p.presented_sequence IS NOT NULL
                 THEN lpad(pp.number::text, 2, '0') || ps.number::text || '-'
                      || lpad(p.presented_sequence::text, 5, '0')
                 ELSE '' END) AS number,
       coalesce(sub.name_en, '') AS title_en,
       coalesce(sub.name_fr, '') AS title_fr,
       coalesce((SELECT string_agg(k.name_en, '; ' ORDER BY k.id) FROM petition_keywords pk
                   JOIN keywords k ON k.id = pk.keyword_id WHERE pk.petition_id = p.id), '')
           AS keywords_en,
       coalesce((SELECT string_agg(k.name_fr, '; ' ORDER BY k.id) FROM petition_keywords pk
                   JOIN keywords k ON k.id = pk.keyword_id WHERE pk.petition_id = p.id), '')
           AS keywords_fr,
       coalesce((SELECT string_agg(g.text_en, E'\n' ORDER BY g.position)
                   FROM petition_grievances g WHERE g.petition_id = p.id) || E'\n', '')
           || p.prayer_en AS text_en,
       coalesce((SELECT string_agg(g.text_fr, E'\n' ORDER BY g.position)
                   FROM petition_grievances g WHERE g.petition_id = p.id) || E'\n', '')
           || p.prayer_fr AS text_fr,
       coalesce(r.text_en, '') AS response_en,
       coalesce(r.text_fr, '') AS response_fr,
       trim(coalesce(am.first_name || ' ' || am.last_name || ', ' || am.constituency_en
                     || ', ' || am.constituency_fr, '') || E'\n' ||
            CASE WHEN pm.id IS DISTINCT FROM am.id
                 THEN coalesce(pm.first_name || ' ' || pm.last_name || ', '
                               || pm.constituency_en || ', ' || pm.constituency_fr, '')
                 ELSE '' END || E'\n' ||
            coalesce(r.signed_by, ''), E'\n') AS members
  FROM petitions p
  LEFT JOIN subjects sub ON sub.id = p.subject_id
  LEFT JOIN sessions ps ON ps.id = p.presented_session_id
  LEFT JOIN parliaments pp ON pp.id = ps.parliament_id
  LEFT JOIN members am ON am.id = p.authorizing_member_id
  LEFT JOIN members pm ON pm.id = p.presenting_member_id
  LEFT JOIN responses r ON r.petition_id = p.id;

-- ---- keeping it in step --------------------------------------------------------------
-- One place writes a petition's row: petitions_search_refresh(id) deletes
-- it and writes it again from petitions_search_source (a deleted petition
-- has no source row, so only the deletion happens).  The places come in
-- search.h's order, so that each word's first positions are its weightiest.
CREATE FUNCTION petitions_search_refresh(pid bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM petitions_search WHERE petition_id = pid;
    INSERT INTO petitions_search (petition_id, words, response)
    SELECT s.id,
           setweight(petitiond_search_vector(s.number, 'petitiond_simple'), 'A')
           || setweight(petitiond_search_vector(s.title_en, 'petitiond_en')
                        || petitiond_search_vector(s.title_fr, 'petitiond_fr'), 'A')
           || setweight(petitiond_search_vector(s.keywords_en, 'petitiond_en')
                        || petitiond_search_vector(s.keywords_fr, 'petitiond_fr'), 'B')
           || setweight(petitiond_search_vector(s.members, 'petitiond_simple'), 'C')
           || setweight(petitiond_search_vector(s.text_en, 'petitiond_en')
                        || petitiond_search_vector(s.text_fr, 'petitiond_fr'), 'D'),
           setweight(petitiond_search_vector(s.response_en, 'petitiond_en')
                     || petitiond_search_vector(s.response_fr, 'petitiond_fr'), 'D')
      FROM petitions_search_source s
     WHERE s.id = pid;
END
$$;

-- The petitions already there.
SELECT petitions_search_refresh(id) FROM petitions;

-- Petitions: a new one, and a change of what the index holds of it (the
-- foreign key's cascade removes the row of a deleted one).
CREATE FUNCTION petitions_search_petition_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM petitions_search_refresh(NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER petitions_search_petition_insert AFTER INSERT ON petitions
FOR EACH ROW EXECUTE FUNCTION petitions_search_petition_changed();

CREATE TRIGGER petitions_search_petition_update
AFTER UPDATE OF e_number, presented_session_id, presented_sequence, subject_id, prayer_en,
                prayer_fr, authorizing_member_id, presenting_member_id ON petitions
FOR EACH ROW
WHEN (OLD.e_number IS DISTINCT FROM NEW.e_number
      OR OLD.presented_session_id IS DISTINCT FROM NEW.presented_session_id
      OR OLD.presented_sequence IS DISTINCT FROM NEW.presented_sequence
      OR OLD.subject_id IS DISTINCT FROM NEW.subject_id
      OR OLD.prayer_en IS DISTINCT FROM NEW.prayer_en
      OR OLD.prayer_fr IS DISTINCT FROM NEW.prayer_fr
      OR OLD.authorizing_member_id IS DISTINCT FROM NEW.authorizing_member_id
      OR OLD.presenting_member_id IS DISTINCT FROM NEW.presenting_member_id)
EXECUTE FUNCTION petitions_search_petition_changed();

-- The rows of a petition in another table (whereas clauses, keywords filed
-- under it, its response): the petition of the old row and of the new.
CREATE FUNCTION petitions_search_part_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM petitions_search_refresh(OLD.petition_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.petition_id <> OLD.petition_id) THEN
        PERFORM petitions_search_refresh(NEW.petition_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER petitions_search_grievance AFTER INSERT OR UPDATE OR DELETE
ON petition_grievances FOR EACH ROW EXECUTE FUNCTION petitions_search_part_changed();

CREATE TRIGGER petitions_search_keyword AFTER INSERT OR UPDATE OR DELETE
ON petition_keywords FOR EACH ROW EXECUTE FUNCTION petitions_search_part_changed();

CREATE TRIGGER petitions_search_response_insert AFTER INSERT OR DELETE
ON responses FOR EACH ROW EXECUTE FUNCTION petitions_search_part_changed();

CREATE TRIGGER petitions_search_response_update
AFTER UPDATE OF petition_id, signed_by, text_en, text_fr ON responses
FOR EACH ROW EXECUTE FUNCTION petitions_search_part_changed();

-- Names shared by many petitions: a renamed subject, keyword or Member
-- (the loaders' upserts) rewrites the rows of the petitions that show it.
CREATE FUNCTION petitions_search_name_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'subjects' THEN
        PERFORM petitions_search_refresh(id) FROM petitions WHERE subject_id = NEW.id;
    ELSIF TG_TABLE_NAME = 'keywords' THEN
        PERFORM petitions_search_refresh(petition_id) FROM petition_keywords
          WHERE keyword_id = NEW.id;
    ELSE
        PERFORM petitions_search_refresh(id) FROM petitions
          WHERE authorizing_member_id = NEW.id OR presenting_member_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER petitions_search_subject_rename AFTER UPDATE OF name_en, name_fr ON subjects
FOR EACH ROW
WHEN (OLD.name_en IS DISTINCT FROM NEW.name_en OR OLD.name_fr IS DISTINCT FROM NEW.name_fr)
EXECUTE FUNCTION petitions_search_name_changed();

CREATE TRIGGER petitions_search_keyword_rename AFTER UPDATE OF name_en, name_fr ON keywords
FOR EACH ROW
WHEN (OLD.name_en IS DISTINCT FROM NEW.name_en OR OLD.name_fr IS DISTINCT FROM NEW.name_fr)
EXECUTE FUNCTION petitions_search_name_changed();

CREATE TRIGGER petitions_search_member_rename
AFTER UPDATE OF first_name, last_name, constituency_en, constituency_fr ON members
FOR EACH ROW
WHEN (OLD.first_name IS DISTINCT FROM NEW.first_name OR OLD.last_name IS DISTINCT FROM NEW.last_name
      OR OLD.constituency_en IS DISTINCT FROM NEW.constituency_en
      OR OLD.constituency_fr IS DISTINCT FROM NEW.constituency_fr)
EXECUTE FUNCTION petitions_search_name_changed();
