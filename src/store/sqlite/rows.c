/*
 * rows.c: the rows several areas of the SQLite backend read alike: a
 * petition as every list and page selects it (PETITION_COLUMNS, read by
 * petitions.c and search.c), a Member (petitions.c, house.c) and a
 * keyword with a petition's keywords (petitions.c, search.c); sqlite.h
 * declares them with their columns.
 */
#include <sqlite3.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/sqlite/sqlite.h"
#include "lib/banned.h"

void
sq_read_member(sqlite3_stmt *st, struct arena *a, struct member *m)
{
    m->id = col_i64(st, 0);
    m->key = sq_col_text(st, 1, a);
    m->first_name = sq_col_text(st, 2, a);
    m->last_name = sq_col_text(st, 3, a);
    m->honorific = sq_col_text(st, 4, a);
    m->constituency[LANG_EN] = sq_col_text(st, 5, a);
    m->constituency[LANG_FR] = sq_col_text(st, 6, a);
    m->province = col_region(st, 7);
    m->caucus[LANG_EN] = sq_col_text(st, 8, a);
    m->caucus[LANG_FR] = sq_col_text(st, 9, a);
    m->is_speaker = sqlite3_column_int(st, 10) != 0;
    m->active = true;
}

static int
load_member(struct sq_conn *c, struct arena *a, int64_t id, struct member *m, struct err *e)
{
    static const char sql[] = "SELECT " SQ_MEMBER_COLUMNS " FROM members WHERE id = ?1";
    sqlite3_stmt *st = sq_prep(c, Q_MEMBER_BY_ID, sql, e);
    int r = 0;
    if (!st)
        return ERR_STORE;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        sq_read_member(st, a, m);
    } else {
        r = sq_db_error(e, c->db, "member");
    }
    sq_done(st);
    return r;
}

int
sq_read_petition(struct sq_conn *c, sqlite3_stmt *st, struct arena *a, struct petition *p,
                 struct err *e)
{
    const char *t;
    int64_t addr_member, auth_member, pres_member;
    int r;

    memset(p, 0, sizeof(*p));
    p->id = col_i64(st, 0);
    t = (const char *)sqlite3_column_text(st, 1);
    petition_kind_from_name(t ? t : "", t ? strlen(t) : 0, &p->kind);
    p->e_number = (long)col_i64(st, 2);
    t = (const char *)sqlite3_column_text(st, 3);
    if (!t || petition_state_from_name(t, strlen(t), &p->state))
        return err_set(e, ERR_STORE, "error.store", NULL, "petition %lld: bad state",
                       (long long)p->id);
    p->state_changed_at = col_i64(st, 4);
    p->parliament = sqlite3_column_int(st, 5);
    p->session = sqlite3_column_int(st, 6);
    p->subject.id = col_i64(st, 7);
    p->subject.code = sq_col_text(st, 8, a);
    p->subject.name[LANG_EN] = sq_col_text(st, 9, a);
    p->subject.name[LANG_FR] = sq_col_text(st, 10, a);
    t = (const char *)sqlite3_column_text(st, 11);
    p->original_language = t && t[0] == 'f' ? LANG_FR : LANG_EN;
    t = (const char *)sqlite3_column_text(st, 12);
    addressee_type_from_name(t ? t : "", t ? strlen(t) : 0, &p->addressee);
    p->addressee_ministry.id = col_i64(st, 13);
    p->addressee_ministry.code = sq_col_text(st, 14, a);
    p->addressee_ministry.title[LANG_EN] = sq_col_text(st, 15, a);
    p->addressee_ministry.title[LANG_FR] = sq_col_text(st, 16, a);
    addr_member = col_i64(st, 17);
    p->petitioner_name = sq_col_text(st, 18, a);
    p->petitioner_city = sq_col_text(st, 19, a);
    p->petitioner_province = col_region(st, 20);
    auth_member = col_i64(st, 21);
    p->prayer[LANG_EN] = sq_col_text(st, 22, a);
    p->prayer[LANG_FR] = sq_col_text(st, 23, a);
    p->signature_period_days = sqlite3_column_int(st, 24);
    p->created_at = col_i64(st, 25);
    p->opened_at = col_i64(st, 26);
    p->closes_at = col_i64(st, 27);
    p->certified_at = col_i64(st, 28);
    p->presented_at = col_i64(st, 29);
    if (sqlite3_column_type(st, 32) != SQLITE_NULL) {
        p->has_presented_number = true;
        p->presented_number.parliament = sqlite3_column_int(st, 30);
        p->presented_number.session = sqlite3_column_int(st, 31);
        p->presented_number.sequence = sqlite3_column_int(st, 32);
    }
    pres_member = col_i64(st, 33);
    p->committee[LANG_EN] = sq_col_text(st, 34, a);
    p->committee[LANG_FR] = sq_col_text(st, 35, a);
    p->signature_total = col_i64(st, 36);
    p->is_demo = sqlite3_column_int(st, 37) != 0;
    p->rules_fixed = sqlite3_column_type(st, 39) != SQLITE_NULL;
    p->certify_threshold = sqlite3_column_int(st, 38);
    p->grace_hours = p->rules_fixed ? sqlite3_column_int(st, 39) : -1;
    p->response_ministry_id = col_i64(st, 40);
    p->erased_at = col_i64(st, 41);

    /* The row's statement stays positioned: the member statement is another. */
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
sq_read_keyword(void *item, sqlite3_stmt *st, struct arena *a)
{
    struct keyword *x = item;
    x->id = col_i64(st, 0);
    x->slug = sq_col_text(st, 1, a);
    x->name[LANG_EN] = sq_col_text(st, 2, a);
    x->name[LANG_FR] = sq_col_text(st, 3, a);
    x->petitions = sqlite3_column_count(st) > 4 ? sqlite3_column_int(st, 4) : 0;
}

int
sq_read_petition_keywords(struct sq_conn *c, struct arena *a, struct petition *p, struct err *e)
{
    static const char sql[] = "SELECT k.id, k.slug, k.name_en, k.name_fr FROM petition_keywords pk"
                              " JOIN keywords k ON k.id = pk.keyword_id WHERE pk.petition_id = ?1"
                              " ORDER BY k.name_en, k.id";
    sqlite3_stmt *st = sq_prep(c, Q_PETITION_KEYWORDS, sql, e);
    int rc, cap = 8;
    if (!st)
        return ERR_STORE;
    sqlite3_bind_int64(st, 1, p->id);
    p->keyword_count = 0;
    p->keywords = arena_calloc(a, (size_t)cap, sizeof(*p->keywords));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (p->keyword_count == cap) {
            p->keywords = arena_realloc(a, p->keywords, (size_t)cap * sizeof(*p->keywords),
                                        (size_t)cap * 2 * sizeof(*p->keywords));
            cap *= 2;
        }
        sq_read_keyword(&p->keywords[p->keyword_count++], st, a);
    }
    sq_done(st);
    return rc == SQLITE_DONE ? 0 : sq_db_error(e, c->db, "petition keywords");
}
