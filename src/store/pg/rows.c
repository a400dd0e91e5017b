/*
 * rows.c: the rows several areas of the PostgreSQL backend read alike: a
 * petition as every list and page selects it (PG_PETITION_COLUMNS, read
 * by petitions.c and search.c), a Member (petitions.c, house.c) and a
 * keyword with a petition's keywords (petitions.c, search.c); pg.h
 * declares them with their columns.  The translation of
 * store/sqlite/rows.c: the same columns in the same order, read the same
 * way.
 */
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/pg/pg.h"
#include "lib/banned.h"

void
pg_read_member(const PGresult *res, int row, struct arena *a, struct member *m)
{
    m->id = pg_i64(res, row, 0);
    m->key = pg_text(res, row, 1, a);
    m->first_name = pg_text(res, row, 2, a);
    m->last_name = pg_text(res, row, 3, a);
    m->honorific = pg_text(res, row, 4, a);
    m->constituency[LANG_EN] = pg_text(res, row, 5, a);
    m->constituency[LANG_FR] = pg_text(res, row, 6, a);
    m->province = pg_region(res, row, 7);
    m->caucus[LANG_EN] = pg_text(res, row, 8, a);
    m->caucus[LANG_FR] = pg_text(res, row, 9, a);
    m->is_speaker = pg_flag(res, row, 10);
    m->active = true;
}

/* A Member a petition names, by id; ERR_NOT_FOUND when the row is gone
 * (the foreign keys keep it from happening). */
static int
load_member(struct pg_conn *c, struct arena *a, int64_t id, struct member *m, struct err *e)
{
    static const char sql[] = "SELECT " PG_MEMBER_COLUMNS " FROM members WHERE id = $1";
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    pg_arg_i64(&args, id);
    int r = pg_run_one(c, sql, &args, &res, "member", e);
    if (r)
        return r;
    pg_read_member(res, 0, a, m);
    PQclear(res);
    return 0;
}

int
pg_read_petition(struct pg_conn *c, const PGresult *res, int row, struct arena *a,
                 struct petition *p, struct err *e)
{
    int64_t addr_member, auth_member, pres_member;
    int r;

    memset(p, 0, sizeof(*p));
    p->id = pg_i64(res, row, 0);
    if (!pg_null(res, row, 1))
        petition_kind_from_name(PQgetvalue(res, row, 1), (size_t)PQgetlength(res, row, 1),
                                &p->kind);
    p->e_number = (long)pg_i64(res, row, 2);
    if (pg_null(res, row, 3) ||
        petition_state_from_name(PQgetvalue(res, row, 3), (size_t)PQgetlength(res, row, 3),
                                 &p->state))
        return err_set(e, ERR_STORE, "error.store", NULL, "petition %lld: bad state",
                       (long long)p->id);
    p->state_changed_at = pg_i64(res, row, 4);
    p->parliament = (int)pg_i64(res, row, 5);
    p->session = (int)pg_i64(res, row, 6);
    p->subject.id = pg_i64(res, row, 7);
    p->subject.code = pg_text(res, row, 8, a);
    p->subject.name[LANG_EN] = pg_text(res, row, 9, a);
    p->subject.name[LANG_FR] = pg_text(res, row, 10, a);
    p->original_language =
        !pg_null(res, row, 11) && PQgetvalue(res, row, 11)[0] == 'f' ? LANG_FR : LANG_EN;
    if (!pg_null(res, row, 12))
        addressee_type_from_name(PQgetvalue(res, row, 12), (size_t)PQgetlength(res, row, 12),
                                 &p->addressee);
    p->addressee_ministry.id = pg_i64(res, row, 13);
    p->addressee_ministry.code = pg_text(res, row, 14, a);
    p->addressee_ministry.title[LANG_EN] = pg_text(res, row, 15, a);
    p->addressee_ministry.title[LANG_FR] = pg_text(res, row, 16, a);
    addr_member = pg_i64(res, row, 17);
    p->petitioner_name = pg_text(res, row, 18, a);
    p->petitioner_city = pg_text(res, row, 19, a);
    p->petitioner_province = pg_region(res, row, 20);
    auth_member = pg_i64(res, row, 21);
    p->prayer[LANG_EN] = pg_text(res, row, 22, a);
    p->prayer[LANG_FR] = pg_text(res, row, 23, a);
    p->signature_period_days = (int)pg_i64(res, row, 24);
    p->created_at = pg_i64(res, row, 25);
    p->opened_at = pg_i64(res, row, 26);
    p->closes_at = pg_i64(res, row, 27);
    p->certified_at = pg_i64(res, row, 28);
    p->presented_at = pg_i64(res, row, 29);
    if (!pg_null(res, row, 32)) {
        p->has_presented_number = true;
        p->presented_number.parliament = (int)pg_i64(res, row, 30);
        p->presented_number.session = (int)pg_i64(res, row, 31);
        p->presented_number.sequence = (int)pg_i64(res, row, 32);
    }
    pres_member = pg_i64(res, row, 33);
    p->committee[LANG_EN] = pg_text(res, row, 34, a);
    p->committee[LANG_FR] = pg_text(res, row, 35, a);
    p->signature_total = pg_i64(res, row, 36);
    p->is_demo = pg_flag(res, row, 37);
    p->rules_fixed = !pg_null(res, row, 39);
    p->certify_threshold = (int)pg_i64(res, row, 38);
    p->grace_hours = p->rules_fixed ? (int)pg_i64(res, row, 39) : -1;
    p->response_ministry_id = pg_i64(res, row, 40);
    p->erased_at = pg_i64(res, row, 41);

    /* libpq has the whole result in hand: the Members are other
     * statements of the same connection. */
    if (addr_member && (r = load_member(c, a, addr_member, &p->addressee_member, e)))
        return r;
    if (auth_member) {
        p->has_authorizing_member = true;
        if ((r = load_member(c, a, auth_member, &p->authorizing_member, e)))
            return r;
    }
    if (pres_member) {
        p->has_presenting_member = true;
        if ((r = load_member(c, a, pres_member, &p->presenting_member, e)))
            return r;
    }
    return 0;
}

void
pg_read_keyword(const PGresult *res, int row, struct arena *a, void *item)
{
    struct keyword *x = item;
    x->id = pg_i64(res, row, 0);
    x->slug = pg_text(res, row, 1, a);
    x->name[LANG_EN] = pg_text(res, row, 2, a);
    x->name[LANG_FR] = pg_text(res, row, 3, a);
    x->petitions = PQnfields(res) > 4 ? (int)pg_i64(res, row, 4) : 0;
}

int
pg_read_petition_keywords(struct pg_conn *c, struct arena *a, struct petition *p, struct err *e)
{
    static const char sql[] = "SELECT k.id, k.slug, k.name_en, k.name_fr FROM petition_keywords pk"
                              " JOIN keywords k ON k.id = pk.keyword_id WHERE pk.petition_id = $1"
                              " ORDER BY k.name_en, k.id";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, p->id);
    PGresult *res = pg_run(c, sql, &args, "petition keywords", e);
    if (!res)
        return e ? e->code : ERR_STORE;
    int rows = PQntuples(res);
    p->keywords = arena_calloc(a, (size_t)(rows ? rows : 1), sizeof(*p->keywords));
    for (int i = 0; i < rows; i++)
        pg_read_keyword(res, i, a, &p->keywords[i]);
    p->keyword_count = rows;
    PQclear(res);
    return 0;
}
