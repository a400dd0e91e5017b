/*
 * search.c: the SQLite backend's finding of petitions (store/search.h):
 * the lists with their filters, orders and search words, the numbers an
 * export walks, the counts by state and the Atom feeds.
 *
 * Words are searched in the FTS5 index of migration 0007 (petitions_fts,
 * one row per petition, rowid = petitions.id, a column per place a word
 * may be found), with the query sq_fts5_query_build() writes from them;
 * search.h's relevance is bm25() with each column weighed (SEARCH_JOIN).
 */
#include <sqlite3.h>
#include <string.h>

#include "core/search.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "store/sqlite/sqlite.h"
#include "lib/banned.h"

/* ---- search words ------------------------------------------------------------------------ */

void
sq_fts5_query_build(struct strbuf *out, const struct search_terms *t)
{
    for (int i = 0; i < t->count; i++) {
        if (i > 0)
            sb_adds(out, " AND ");
        sb_addch(out, '"');
        for (size_t k = 0; k < t->len[i]; k++) {
            if (t->term[i][k] == '"')
                sb_addch(out, '"');
            sb_addch(out, t->term[i][k]);
        }
        sb_addch(out, '"');
        if (i == t->count - 1)
            sb_addch(out, '*');
    }
}

/* ---- lists ------------------------------------------------------------------------------ */

/* The filters of a list, shared by the page query, the search (?5, below)
 * and their totals.  ?1 public only, ?2 state, ?3 subject code, ?4 keyword
 * slug, ?6 kind, ?10 authorizing Member, ?11 responding ministry, ?12
 * Parliament's number, ?13 session's number, ?14 with a response only. */
#define LIST_WHERE                                                                                 \
    " WHERE (?1 = 0 OR p.state IN ('OPEN_FOR_SIGNATURE', 'WAITING_FOR_CERTIFICATION',"             \
    " 'NOT_CERTIFIED', 'CERTIFIED', 'PRESENTED', 'RESPONSE_TABLED', 'CLOSED_UPON_DISSOLUTION',"    \
    " 'NOT_ANSWERED_BEFORE_DISSOLUTION', 'CLOSED'))"                                               \
    " AND (?2 IS NULL OR p.state = ?2)"                                                            \
    " AND (?3 IS NULL OR sub.code = ?3)"                                                           \
    " AND (?4 IS NULL OR EXISTS (SELECT 1 FROM petition_keywords pk JOIN keywords k"               \
    " ON k.id = pk.keyword_id WHERE pk.petition_id = p.id AND k.slug = ?4))"                       \
    " AND (?6 IS NULL OR p.kind = ?6)"                                                             \
    " AND (?10 = 0 OR p.authorizing_member_id = ?10)"                                              \
    " AND (?11 = 0 OR p.response_ministry_id = ?11)"                                               \
    " AND (?12 = 0 OR par.number = ?12)"                                                           \
    " AND (?13 = 0 OR ses.number = ?13)"                                                           \
    " AND (?14 = 0 OR EXISTS (SELECT 1 FROM responses r WHERE r.petition_id = p.id))"

/* Bind q's filters; with match (a search's FTS5 query, ?5), public
 * petitions only whatever q says. */
static void
bind_query(sqlite3_stmt *st, const struct petition_query *q, const struct strbuf *match)
{
    sqlite3_bind_int(st, 1, q->public_only);
    sq_bind_text(st, 2, q->has_state ? petition_state_name(q->state) : NULL);
    sq_bind_text(st, 3, q->subject_code);
    sq_bind_text(st, 4, q->keyword_slug);
    sq_bind_text(st, 6, q->has_kind ? petition_kind_name(q->kind) : NULL);
    sqlite3_bind_int64(st, 10, q->member_id);
    sqlite3_bind_int64(st, 11, q->response_ministry_id);
    sqlite3_bind_int(st, 12, q->parliament);
    sqlite3_bind_int(st, 13, q->session);
    sqlite3_bind_int(st, 14, q->responded);
    if (match) {
        sqlite3_bind_int(st, 1, 1);
        sqlite3_bind_text(st, 5, match->buf, (int)match->len, SQLITE_TRANSIENT);
    }
}

/*
 * A search (q->text with at least one word) joins the FTS5 index of
 * migration 0007 (petitions_fts, rowid = petitions.id), matched by the
 * query fts5_query_build() writes from the words (?5), and ranks by
 * bm25() with each column weighed: the numbers 10, the title (subject) 8
 * in either language, the keywords 4, the Members' names and ridings 3,
 * the text (whereas clauses and prayer) 2, the response 1.  So a word in
 * a petition's title ranks it above one that only has the word in its
 * response.  Searches see public petitions only, whatever q->public_only.
 */
#define SEARCH_JOIN                                                                                \
    " JOIN (SELECT rowid AS fts_id, bm25(petitions_fts, 10.0, 8.0, 8.0, 4.0, 4.0, 2.0, 2.0,"       \
    " 1.0, 1.0, 3.0) AS fts_rank FROM petitions_fts WHERE petitions_fts MATCH ?5) f"               \
    " ON f.fts_id = p.id"

/* ?7 is the sort (enum petition_sort); relevance without a search is recent. */
#define LIST_ORDER                                                                                 \
    " CASE WHEN ?7 IN (0, 4) THEN p.state_changed_at END DESC,"                                    \
    " CASE WHEN ?7 = 1 THEN p.state_changed_at END ASC,"                                           \
    " CASE WHEN ?7 = 2 THEN p.signature_total END DESC,"                                           \
    " CASE WHEN ?7 = 3 THEN p.signature_total END ASC, p.id DESC"

static int
sq_petition_list(struct store_conn *conn, struct arena *a, const struct petition_query *q,
                 struct petition_list *out, struct err *e)
{
    static const char sql[] = "SELECT " PETITION_COLUMNS PETITION_JOINS LIST_WHERE
                              " ORDER BY" LIST_ORDER " LIMIT ?8 OFFSET ?9";
    static const char total_sql[] = "SELECT count(*)" PETITION_JOINS LIST_WHERE;
    static const char search_sql[] =
        "SELECT " PETITION_COLUMNS PETITION_JOINS SEARCH_JOIN LIST_WHERE
        " ORDER BY CASE WHEN ?7 = 4 THEN f.fts_rank END," LIST_ORDER " LIMIT ?8 OFFSET ?9";
    static const char search_total_sql[] = "SELECT count(*)" PETITION_JOINS SEARCH_JOIN LIST_WHERE;
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r = ERR_STORE, rc, limit = q->limit > 0 && q->limit <= 100 ? q->limit : 20;
    struct search_terms terms;
    struct strbuf match;

    memset(out, 0, sizeof(*out));
    sb_init(&match, a);
    search_terms_split(q->text, q->text ? strlen(q->text) : 0, &terms);
    sq_fts5_query_build(&match, &terms);
    bool search = terms.count > 0;

    bool own = sq_snapshot_begin(c);
    if (!(st = search ? sq_prep(c, Q_PETITION_SEARCH_TOTAL, search_total_sql, e)
                      : sq_prep(c, Q_PETITION_LIST_TOTAL, total_sql, e)))
        goto out;
    bind_query(st, q, search ? &match : NULL);
    if ((r = sq_step_id(c, st, &out->total, "petition total", e)))
        goto out;

    r = ERR_STORE;
    if (!(st = search ? sq_prep(c, Q_PETITION_SEARCH, search_sql, e)
                      : sq_prep(c, Q_PETITION_LIST, sql, e)))
        goto out;
    bind_query(st, q, search ? &match : NULL);
    sqlite3_bind_int(st, 7, (int)q->sort);
    sqlite3_bind_int(st, 8, limit);
    sqlite3_bind_int(st, 9, q->offset > 0 ? q->offset : 0);
    out->items = arena_calloc(a, (size_t)limit, sizeof(*out->items));
    r = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((r = sq_read_petition(c, st, a, &out->items[out->count], e)))
            break;
        out->count++;
    }
    if (!r && rc != SQLITE_DONE)
        r = sq_db_error(e, c->db, "petition list");
    sq_done(st);
out:
    sq_snapshot_end(c, own);
    return r;
}

static int
sq_petition_numbers(struct store_conn *conn, struct arena *a, const struct petition_query *q,
                    struct petition_number **out, int *n, struct err *e)
{
#define NUMBER_COLUMNS "p.kind, p.e_number, pp.number, ps.number, p.presented_sequence"
    static const char sql[] =
        "SELECT " NUMBER_COLUMNS PETITION_JOINS LIST_WHERE " ORDER BY" LIST_ORDER;
    static const char search_sql[] = "SELECT " NUMBER_COLUMNS PETITION_JOINS SEARCH_JOIN LIST_WHERE
                                     " ORDER BY CASE WHEN ?7 = 4 THEN f.fts_rank END," LIST_ORDER;
#undef NUMBER_COLUMNS
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r = ERR_STORE, rc, cap = 64;
    struct search_terms terms;
    struct strbuf match;

    *out = NULL;
    *n = 0;
    sb_init(&match, a);
    search_terms_split(q->text, q->text ? strlen(q->text) : 0, &terms);
    sq_fts5_query_build(&match, &terms);
    bool search = terms.count > 0;
    if (!(st = search ? sq_prep(c, Q_PETITION_SEARCH_NUMBERS, search_sql, e)
                      : sq_prep(c, Q_PETITION_NUMBERS, sql, e)))
        goto out;
    bind_query(st, q, search ? &match : NULL);
    sqlite3_bind_int(st, 7, (int)q->sort);
    struct petition_number *v = arena_calloc(a, (size_t)cap, sizeof(*v));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            v = arena_realloc(a, v, (size_t)cap * sizeof(*v), (size_t)cap * 2 * sizeof(*v));
            cap *= 2;
        }
        const char *kind = (const char *)sqlite3_column_text(st, 0);
        struct petition_number *x = &v[(*n)++];
        if (kind && strcmp(kind, "electronic") == 0) {
            x->kind = PETITION_NUMBER_E;
            x->e_number = (long)col_i64(st, 1);
        } else {
            x->kind = PETITION_NUMBER_PRESENTED;
            x->pps.parliament = sqlite3_column_int(st, 2);
            x->pps.session = sqlite3_column_int(st, 3);
            x->pps.sequence = sqlite3_column_int(st, 4);
        }
    }
    *out = v;
    r = rc == SQLITE_DONE ? 0 : sq_db_error(e, c->db, "petition numbers");
    sq_done(st);
out:
    return r;
}

static int
sq_petition_state_counts(struct store_conn *conn, int64_t counts[PETITION_STATE_COUNT],
                         struct err *e)
{
    static const char sql[] = "SELECT state, count(*) FROM petitions GROUP BY state";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st = sq_prep(c, Q_STATE_COUNTS, sql, e);
    int r = ERR_STORE, rc;

    memset(counts, 0, sizeof(int64_t) * PETITION_STATE_COUNT);
    if (!st)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        enum petition_state state;
        if (t && !petition_state_from_name(t, strlen(t), &state) && petition_state_is_public(state))
            counts[state] = col_i64(st, 1);
    }
    r = rc == SQLITE_DONE ? 0 : sq_db_error(e, c->db, "state counts");
    sq_done(st);
out:
    return r;
}

/* ---- Atom feeds --------------------------------------------------------------------------- */

/* The public states, as the lists show them (LIST_WHERE). */
#define FEED_PUBLIC                                                                                \
    " p.state IN ('OPEN_FOR_SIGNATURE', 'WAITING_FOR_CERTIFICATION', 'NOT_CERTIFIED',"             \
    " 'CERTIFIED', 'PRESENTED', 'RESPONSE_TABLED', 'CLOSED_UPON_DISSOLUTION',"                     \
    " 'NOT_ANSWERED_BEFORE_DISSOLUTION', 'CLOSED')"

/*
 * Three statements rather than one with CASEs: each orders by its own
 * time, newest first, ties by id.  ?1 is the limit, ?2 the keyword.  The
 * responses statement adds the response's columns after PETITION_COLUMNS
 * (42 on).
 */
static int
sq_petition_feed(struct store_conn *conn, struct arena *a, const struct feed_query *q,
                 struct petition_list *out, struct err *e)
{
    static const char opened_sql[] =
        "SELECT " PETITION_COLUMNS PETITION_JOINS
        " WHERE p.kind = 'electronic' AND p.opened_at IS NOT NULL AND" FEED_PUBLIC
        " ORDER BY p.opened_at DESC, p.id DESC LIMIT ?1";
    static const char responses_sql[] =
        "SELECT " PETITION_COLUMNS ", rm.id, rm.code, rm.title_en, rm.title_fr, rsp.signed_by,"
        " rsp.text_en, rsp.text_fr, rsp.tabled_at" PETITION_JOINS
        " JOIN responses rsp ON rsp.petition_id = p.id"
        " JOIN ministries rm ON rm.id = rsp.ministry_id"
        " WHERE" FEED_PUBLIC " ORDER BY rsp.tabled_at DESC, p.id DESC LIMIT ?1";
    static const char keyword_sql[] =
        "SELECT " PETITION_COLUMNS PETITION_JOINS " WHERE" FEED_PUBLIC
        " AND EXISTS (SELECT 1 FROM petition_keywords pk JOIN keywords k"
        " ON k.id = pk.keyword_id WHERE pk.petition_id = p.id AND k.slug = ?2)"
        " ORDER BY p.state_changed_at DESC, p.id DESC LIMIT ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st = NULL;
    int r = ERR_STORE, rc, limit = q->limit > 0 && q->limit <= 100 ? q->limit : 20;

    memset(out, 0, sizeof(*out));
    bool own = sq_snapshot_begin(c);
    switch (q->kind) {
    case FEED_OPENED:
        st = sq_prep(c, Q_FEED_OPENED, opened_sql, e);
        break;
    case FEED_RESPONSES:
        st = sq_prep(c, Q_FEED_RESPONSES, responses_sql, e);
        break;
    case FEED_KEYWORD:
        if ((st = sq_prep(c, Q_FEED_KEYWORD, keyword_sql, e)))
            sq_bind_text(st, 2, q->keyword_slug ? q->keyword_slug : "");
        break;
    }
    if (!st)
        goto out;
    sqlite3_bind_int(st, 1, limit);
    out->items = arena_calloc(a, (size_t)limit, sizeof(*out->items));
    r = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct petition *p = &out->items[out->count];
        if ((r = sq_read_petition(c, st, a, p, e)) || (r = sq_read_petition_keywords(c, a, p, e)))
            break;
        if (q->kind == FEED_RESPONSES) {
            p->has_response = true;
            p->response.ministry.id = col_i64(st, 42);
            p->response.ministry.code = sq_col_text(st, 43, a);
            p->response.ministry.title[LANG_EN] = sq_col_text(st, 44, a);
            p->response.ministry.title[LANG_FR] = sq_col_text(st, 45, a);
            p->response.signed_by = sq_col_text(st, 46, a);
            p->response.text[LANG_EN] = sq_col_text(st, 47, a);
            p->response.text[LANG_FR] = sq_col_text(st, 48, a);
            p->response.tabled_at = col_i64(st, 49);
        }
        out->count++;
    }
    if (!r && rc != SQLITE_DONE)
        r = sq_db_error(e, c->db, "petition feed");
    sq_done(st);
    out->total = out->count;
out:
    sq_snapshot_end(c, own);
    return r;
}

const struct store_search_ops sq_search_ops = {
    .petition_list = sq_petition_list,
    .petition_numbers = sq_petition_numbers,
    .petition_state_counts = sq_petition_state_counts,
    .petition_feed = sq_petition_feed,
};
