/*
 * search.c: the PostgreSQL backend's finding of petitions
 * (store/search.h): the lists with their filters, orders and search
 * words, the numbers an export walks, the counts by state and the Atom
 * feeds.
 *
 * Words are searched in the full-text index of migration 0007
 * (petitions_search: one row per petition, the tsvectors words and
 * response, GIN-indexed together).  The visitor's words, as
 * core/search.h cuts them, become one tsquery operand each (search_operands(),
 * bound as a text[]), which the migration's petitiond_search_query() turns
 * into the query: every word, unstemmed or stemmed in English or French,
 * the last one as a prefix.  search.h's relevance is ts_rank() of the
 * weighted words plus a smaller ts_rank() of the response (SEARCH_JOIN).
 */
#include <string.h>

#include "core/search.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "store/pg/pg.h"
#include "lib/banned.h"

/* ---- search words ------------------------------------------------------------------------ */

/* Append ch inside a quoted element of an array literal, inside a quoted
 * tsquery operand: ' and \ are special to the operand, " and \ to the
 * array.  (core/search.h's words are letters and digits, so none of these
 * appear; they are escaped all the same.) */
static void
operand_addch(struct strbuf *out, char ch)
{
    if (ch == '\'') {
        sb_adds(out, "''");
    } else if (ch == '\\') {
        sb_adds(out, "\\\\\\\\");
    } else if (ch == '"') {
        sb_adds(out, "\\\"");
    } else {
        sb_addch(out, ch);
    }
}

/*
 * The words of t as a text[] literal of tsquery operands, one per word:
 * {"'sanctions'","'belar':*"}.  Each word is quoted, so nothing typed is
 * read as an operator; the last one carries :*, a prefix.  A value bound
 * to the statement, never SQL.
 */
static void
search_operands(struct strbuf *out, const struct search_terms *t)
{
    sb_addch(out, '{');
    for (int i = 0; i < t->count; i++) {
        if (i > 0)
            sb_addch(out, ',');
        sb_adds(out, "\"'");
        for (size_t k = 0; k < t->len[i]; k++)
            operand_addch(out, t->term[i][k]);
        sb_addch(out, '\'');
        if (i == t->count - 1)
            sb_adds(out, ":*");
        sb_addch(out, '"');
    }
    sb_addch(out, '}');
}

/* ---- lists ------------------------------------------------------------------------------ */

/* The filters of a list, shared by the page query, the search and their
 * totals: $1 public only, $2 state, $3 subject code, $4 keyword slug, $5
 * kind, $6 authorizing Member, $7 responding ministry, $8 Parliament's
 * number, $9 session's number, $10 with a response only (bind_filters()). */
#define LIST_WHERE                                                                                 \
    " WHERE ($1::integer = 0 OR p.state IN " PG_PUBLIC_STATES ")"                                  \
    " AND ($2::text IS NULL OR p.state = $2::text)"                                                \
    " AND ($3::text IS NULL OR sub.code = $3::text)"                                               \
    " AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM petition_keywords pk JOIN keywords k"         \
    " ON k.id = pk.keyword_id WHERE pk.petition_id = p.id AND k.slug = $4::text))"                 \
    " AND ($5::text IS NULL OR p.kind = $5::text)"                                                 \
    " AND ($6::bigint = 0 OR p.authorizing_member_id = $6::bigint)"                                \
    " AND ($7::bigint = 0 OR p.response_ministry_id = $7::bigint)"                                 \
    " AND ($8::integer = 0 OR par.number = $8::integer)"                                           \
    " AND ($9::integer = 0 OR ses.number = $9::integer)"                                           \
    " AND ($10::integer = 0 OR EXISTS (SELECT 1 FROM responses r WHERE r.petition_id = p.id))"

/* Bind q's filters as $1 to $10; a search (search true) sees public
 * petitions only, whatever q says. */
static void
bind_filters(struct pg_args *args, const struct petition_query *q, bool search)
{
    pg_arg_flag(args, search || q->public_only);
    pg_arg_text(args, q->has_state ? petition_state_name(q->state) : NULL);
    pg_arg_text(args, q->subject_code);
    pg_arg_text(args, q->keyword_slug);
    pg_arg_text(args, q->has_kind ? petition_kind_name(q->kind) : NULL);
    pg_arg_i64(args, q->member_id);
    pg_arg_i64(args, q->response_ministry_id);
    pg_arg_i64(args, q->parliament);
    pg_arg_i64(args, q->session);
    pg_arg_flag(args, q->responded);
}

/*
 * A search (q->text with at least one word) joins the index of migration
 * 0007 (petitions_search), matched by the query petitiond_search_query()
 * makes of the operands (the parameter m), and ranks by ts_rank() with
 * each place weighed: its numbers and title 1.0 (A), its keywords 0.3
 * (B), the Members' names and ridings and the response's signer 0.1 (C),
 * its text (whereas clauses and prayer) 0.03 (D), and the response 0.01.
 * Each step is about three times the next: ts_rank() counts a word's
 * first place in full and its further places less and less (their sum
 * stays under 1.65 times the first), so however often a word is found in
 * one place, it ranks below the same word found once in a weightier
 * place, and every place it is found in adds.  ts_rank() leaves the
 * length of a petition out (no normalization), so equal places give
 * equal relevance and SORT_RECENT's order decides.  OFFSET 0 keeps the
 * query a subquery of its own, made once rather than once per row; the
 * match uses the GIN index petitions_search_match.
 */
#define SEARCH_JOIN(m)                                                                             \
    " JOIN (SELECT sx.petition_id AS fts_id,"                                                      \
    " ts_rank('{0.03, 0.1, 0.3, 1.0}', sx.words, fq.q)"                                            \
    " + ts_rank('{0.01, 0.01, 0.01, 0.01}', sx.response, fq.q) AS fts_rank"                        \
    " FROM (SELECT petitiond_search_query(" m "::text[]) AS q OFFSET 0) fq"                        \
    " JOIN petitions_search sx ON (sx.words || sx.response) @@ fq.q) f ON f.fts_id = p.id"

/* The sort (enum petition_sort) is the parameter s; relevance without a
 * search is recent. */
#define LIST_ORDER(s)                                                                              \
    " CASE WHEN " s "::integer IN (0, 4) THEN p.state_changed_at END DESC,"                        \
    " CASE WHEN " s "::integer = 1 THEN p.state_changed_at END ASC,"                               \
    " CASE WHEN " s "::integer = 2 THEN p.signature_total END DESC,"                               \
    " CASE WHEN " s "::integer = 3 THEN p.signature_total END ASC, p.id DESC"
#define SEARCH_ORDER(s) " CASE WHEN " s "::integer = 4 THEN f.fts_rank END DESC," LIST_ORDER(s)

/* The words of q->text as operands (search_operands()) into *operands;
 * whether there is any. */
static bool
query_words(const struct petition_query *q, struct arena *a, struct strbuf *operands)
{
    struct search_terms terms;

    sb_init(operands, a);
    search_terms_split(q->text, q->text ? strlen(q->text) : 0, &terms);
    search_operands(operands, &terms);
    return terms.count > 0;
}

static int
pg_petition_list(struct store_conn *conn, struct arena *a, const struct petition_query *q,
                 struct petition_list *out, struct err *e)
{
    /* $11 sort, $12 limit, $13 offset; a search's operands $14 (its total's $11). */
    static const char sql[] =
        "SELECT " PG_PETITION_COLUMNS PG_PETITION_JOINS LIST_WHERE
        " ORDER BY" LIST_ORDER("$11") " LIMIT $12::integer OFFSET $13::integer";
    static const char total_sql[] = "SELECT count(*)" PG_PETITION_JOINS LIST_WHERE;
    static const char search_sql[] =
        "SELECT " PG_PETITION_COLUMNS PG_PETITION_JOINS SEARCH_JOIN("$14") LIST_WHERE
        " ORDER BY" SEARCH_ORDER("$11") " LIMIT $12::integer OFFSET $13::integer";
    static const char search_total_sql[] =
        "SELECT count(*)" PG_PETITION_JOINS SEARCH_JOIN("$11") LIST_WHERE;
    struct pg_conn *c = pg_conn(conn);
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res = NULL;
    int r, limit = q->limit > 0 && q->limit <= 100 ? q->limit : 20;
    struct strbuf operands;

    memset(out, 0, sizeof(*out));
    bool search = query_words(q, a, &operands);

    bool own = pg_snapshot_begin(c);
    bind_filters(&args, q, search);
    if (search)
        pg_arg_text(&args, operands.buf);
    if ((r = pg_run_id(c, search ? search_total_sql : total_sql, &args, &out->total,
                       "petition total", e)))
        goto out;

    args = (struct pg_args)PG_ARGS_INIT;
    bind_filters(&args, q, search);
    pg_arg_i64(&args, q->sort);
    pg_arg_i64(&args, limit);
    pg_arg_i64(&args, q->offset > 0 ? q->offset : 0);
    if (search)
        pg_arg_text(&args, operands.buf);
    r = ERR_STORE;
    if (!(res = pg_run(c, search ? search_sql : sql, &args, "petition list", e)))
        goto out;
    int rows = PQntuples(res);
    out->items = arena_calloc(a, (size_t)(rows ? rows : 1), sizeof(*out->items));
    r = 0;
    for (int i = 0; i < rows && !r; i++) {
        if (!(r = pg_read_petition(c, res, i, a, &out->items[out->count], e)))
            out->count++;
    }
out:
    PQclear(res);
    pg_snapshot_end(c, own);
    return r;
}

/* A petition's number from a row of NUMBER_COLUMNS. */
static void
read_number(const PGresult *res, int row, struct arena *a, void *item)
{
    struct petition_number *x = item;
    (void)a;
    if (strcmp(PQgetvalue(res, row, 0), "electronic") == 0) {
        x->kind = PETITION_NUMBER_E;
        x->e_number = (long)pg_i64(res, row, 1);
    } else {
        x->kind = PETITION_NUMBER_PRESENTED;
        x->pps.parliament = (int)pg_i64(res, row, 2);
        x->pps.session = (int)pg_i64(res, row, 3);
        x->pps.sequence = (int)pg_i64(res, row, 4);
    }
}

static int
pg_petition_numbers(struct store_conn *conn, struct arena *a, const struct petition_query *q,
                    struct petition_number **out, int *n, struct err *e)
{
    /* $11 sort; a search's operands $12. */
#define NUMBER_COLUMNS "p.kind, p.e_number, pp.number, ps.number, p.presented_sequence"
    static const char sql[] =
        "SELECT " NUMBER_COLUMNS PG_PETITION_JOINS LIST_WHERE " ORDER BY" LIST_ORDER("$11");
    static const char search_sql[] = "SELECT " NUMBER_COLUMNS PG_PETITION_JOINS SEARCH_JOIN("$12")
        LIST_WHERE " ORDER BY" SEARCH_ORDER("$11");
#undef NUMBER_COLUMNS
    struct pg_conn *c = pg_conn(conn);
    struct pg_args args = PG_ARGS_INIT;
    struct strbuf operands;

    *out = NULL;
    *n = 0;
    bool search = query_words(q, a, &operands);
    bind_filters(&args, q, search);
    pg_arg_i64(&args, q->sort);
    if (search)
        pg_arg_text(&args, operands.buf);
    PGresult *res = pg_run(c, search ? search_sql : sql, &args, "petition numbers", e);
    if (!res)
        return e ? e->code : ERR_STORE;
    PG_COLLECT(struct petition_number, out, n, res, a, read_number);
    PQclear(res);
    return 0;
}

static int
pg_petition_state_counts(struct store_conn *conn, int64_t counts[PETITION_STATE_COUNT],
                         struct err *e)
{
    static const char sql[] = "SELECT state, count(*) FROM petitions GROUP BY state";
    struct pg_conn *c = pg_conn(conn);

    memset(counts, 0, sizeof(int64_t) * PETITION_STATE_COUNT);
    PGresult *res = pg_run(c, sql, NULL, "state counts", e);
    if (!res)
        return e ? e->code : ERR_STORE;
    for (int i = 0; i < PQntuples(res); i++) {
        const char *t = PQgetvalue(res, i, 0);
        enum petition_state state;
        if (!petition_state_from_name(t, strlen(t), &state) && petition_state_is_public(state))
            counts[state] = pg_i64(res, i, 1);
    }
    PQclear(res);
    return 0;
}

/* ---- Atom feeds --------------------------------------------------------------------------- */

/*
 * Three statements rather than one with CASEs: each orders by its own
 * time, newest first, ties by id.  $1 is the limit, $2 the keyword.  The
 * responses statement adds the response's columns after
 * PG_PETITION_COLUMNS (42 on).
 */
static int
pg_petition_feed(struct store_conn *conn, struct arena *a, const struct feed_query *q,
                 struct petition_list *out, struct err *e)
{
    static const char opened_sql[] =
        "SELECT " PG_PETITION_COLUMNS PG_PETITION_JOINS
        " WHERE p.kind = 'electronic' AND p.opened_at IS NOT NULL AND p.state IN " PG_PUBLIC_STATES
        " ORDER BY p.opened_at DESC, p.id DESC LIMIT $1::integer";
    static const char responses_sql[] =
        "SELECT " PG_PETITION_COLUMNS ", rm.id, rm.code, rm.title_en, rm.title_fr, rsp.signed_by,"
        " rsp.text_en, rsp.text_fr, rsp.tabled_at" PG_PETITION_JOINS
        " JOIN responses rsp ON rsp.petition_id = p.id"
        " JOIN ministries rm ON rm.id = rsp.ministry_id"
        " WHERE p.state IN " PG_PUBLIC_STATES
        " ORDER BY rsp.tabled_at DESC, p.id DESC LIMIT $1::integer";
    static const char keyword_sql[] =
        "SELECT " PG_PETITION_COLUMNS PG_PETITION_JOINS " WHERE p.state IN " PG_PUBLIC_STATES
        " AND EXISTS (SELECT 1 FROM petition_keywords pk JOIN keywords k"
        " ON k.id = pk.keyword_id WHERE pk.petition_id = p.id AND k.slug = $2::text)"
        " ORDER BY p.state_changed_at DESC, p.id DESC LIMIT $1::integer";
    struct pg_conn *c = pg_conn(conn);
    struct pg_args args = PG_ARGS_INIT;
    const char *sql = opened_sql;
    PGresult *res = NULL;
    int r = ERR_STORE, limit = q->limit > 0 && q->limit <= 100 ? q->limit : 20;

    memset(out, 0, sizeof(*out));
    pg_arg_i64(&args, limit);
    switch (q->kind) {
    case FEED_OPENED:
        sql = opened_sql;
        break;
    case FEED_RESPONSES:
        sql = responses_sql;
        break;
    case FEED_KEYWORD:
        sql = keyword_sql;
        pg_arg_text(&args, q->keyword_slug ? q->keyword_slug : "");
        break;
    }
    bool own = pg_snapshot_begin(c);
    if (!(res = pg_run(c, sql, &args, "petition feed", e)))
        goto out;
    int rows = PQntuples(res);
    out->items = arena_calloc(a, (size_t)(rows ? rows : 1), sizeof(*out->items));
    r = 0;
    for (int i = 0; i < rows; i++) {
        struct petition *p = &out->items[out->count];
        if ((r = pg_read_petition(c, res, i, a, p, e)) ||
            (r = pg_read_petition_keywords(c, a, p, e)))
            break;
        if (q->kind == FEED_RESPONSES) {
            p->has_response = true;
            p->response.ministry.id = pg_i64(res, i, 42);
            p->response.ministry.code = pg_text(res, i, 43, a);
            p->response.ministry.title[LANG_EN] = pg_text(res, i, 44, a);
            p->response.ministry.title[LANG_FR] = pg_text(res, i, 45, a);
            p->response.signed_by = pg_text(res, i, 46, a);
            p->response.text[LANG_EN] = pg_text(res, i, 47, a);
            p->response.text[LANG_FR] = pg_text(res, i, 48, a);
            p->response.tabled_at = pg_i64(res, i, 49);
        }
        out->count++;
    }
    out->total = out->count;
out:
    PQclear(res);
    pg_snapshot_end(c, own);
    return r;
}

const struct store_search_ops pg_search_ops = {
    .petition_list = pg_petition_list,
    .petition_numbers = pg_petition_numbers,
    .petition_state_counts = pg_petition_state_counts,
    .petition_feed = pg_petition_feed,
};
