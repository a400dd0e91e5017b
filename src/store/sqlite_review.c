/*
 * sqlite_review.c: the Clerk's search of a petition's signatures (rulebook
 * 11.7) in the SQLite backend: by e-mail domain, by network, by postal
 * code prefix, by time window and by state; store.h, struct
 * signature_filter.
 *
 * A domain and a network are not things SQL compares well: an e-mail
 * domain covers its subdomains ("example.com" matches "mail.example.com"
 * but not "badexample.com"), and an IPv4 or IPv6 network is a prefix of
 * bits, not of text.  So each connection gets two application functions
 * that call the pure core (core/netaddr.h), the same code the allow and
 * block lists use:
 *
 *   review_domain_in(domain, email)  1 when email's domain is domain or
 *                                    one of its subdomains, else 0
 *   review_in_network(range, ip)     1 when the address ip is inside the
 *                                    network range ("203.0.113.0/24",
 *                                    "2001:db8::/32", one address), else 0
 *
 * Both are deterministic and NULL when an argument is NULL.  They are
 * registered on a connection the first time one of its threads searches
 * (conn.review_fns), before the statements that call them are prepared.
 * The parsed range is kept with the statement (sqlite3_set_auxdata) so a
 * search parses it once, not once a row.
 *
 * The SQL is constant; every value is bound.  A postal prefix is bound
 * already normalised (upper case, no spaces) and compared with the
 * stored code normalised the same way.
 */
#include <sqlite3.h>
#include <string.h>

#include "core/netaddr.h"
#include "core/signature.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "store/sqlite_internal.h"
#include "store/store.h"
#include "lib/banned.h"

/* ---- the application functions ----------------------------------------------------- */

static void
fn_domain_in(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *rule = sqlite3_value_text(argv[0]);
    const unsigned char *email = sqlite3_value_text(argv[1]);
    if (!rule || !email) {
        sqlite3_result_null(ctx);
        return;
    }
    const char *domain = email_domain((const char *)email);
    sqlite3_result_int(ctx, domain && domain_matches((const char *)rule, domain));
}

static void
fn_in_network(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *range = sqlite3_value_text(argv[0]);
    const unsigned char *ip = sqlite3_value_text(argv[1]);
    if (!range || !ip) {
        sqlite3_result_null(ctx);
        return;
    }
    /* The range is the same bound value for every row: parse it once and
     * keep it with the statement (when SQLite cannot keep it, it frees the
     * copy at once; the parsed one on the stack serves this row). */
    struct netrange parsed, *net = sqlite3_get_auxdata(ctx, 0);
    if (!net) {
        if (netrange_parse((const char *)range, &parsed)) {
            sqlite3_result_int(ctx, 0);
            return;
        }
        net = &parsed;
        struct netrange *keep = sqlite3_malloc(sizeof(*keep));
        if (keep) {
            *keep = parsed;
            sqlite3_set_auxdata(ctx, 0, keep, sqlite3_free);
        }
    }
    struct netaddr a;
    sqlite3_result_int(ctx, netaddr_parse((const char *)ip, &a) == 0 && netrange_contains(net, &a));
}

/* Register the functions on c once. */
static int
review_functions(struct conn *c, struct err *e)
{
    static const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    if (c->review_fns)
        return 0;
    if (sqlite3_create_function(c->db, "review_domain_in", 2, flags, NULL, fn_domain_in, NULL,
                                NULL) != SQLITE_OK ||
        sqlite3_create_function(c->db, "review_in_network", 2, flags, NULL, fn_in_network, NULL,
                                NULL) != SQLITE_OK)
        return sq_db_error(e, c->db, "review functions");
    c->review_fns = true;
    return 0;
}

/* ---- the search -------------------------------------------------------------------- */

/* The conditions both statements share; ?1..?8 are bound by bind_filter(). */
#define FILTER_WHERE                                                                               \
    " WHERE petition_id = ?1"                                                                      \
    " AND (?2 IS NULL OR review_domain_in(?2, email))"                                             \
    " AND (?3 IS NULL OR review_in_network(?3, ip))"                                               \
    " AND (?4 IS NULL OR substr(upper(replace(postal_code, ' ', '')), 1, length(?4)) = ?4)"        \
    " AND (?5 IS NULL OR created_at >= ?5)"                                                        \
    " AND (?6 IS NULL OR created_at < ?6)"                                                         \
    " AND (?7 IS NULL OR review = ?7)"                                                             \
    " AND (?8 = 0 OR (confirmed_at IS NULL AND review <> 'invalidated'))"

static void
bind_opt_text(sqlite3_stmt *st, int i, const char *v)
{
    sq_bind_text(st, i, v && *v ? v : NULL);
}

static void
bind_filter(sqlite3_stmt *st, const struct signature_filter *f)
{
    sqlite3_bind_int64(st, 1, f->petition_id);
    bind_opt_text(st, 2, f->domain);
    bind_opt_text(st, 3, f->network);
    bind_opt_text(st, 4, f->postal_prefix);
    sq_bind_opt(st, 5, f->from);
    sq_bind_opt(st, 6, f->to);
    if (f->has_review)
        sq_bind_text(st, 7, signature_review_name(f->review));
    sqlite3_bind_int(st, 8, f->pending ? 1 : 0);
}

int
sq_signature_search(struct store *base, struct arena *a, const struct signature_filter *f,
                    int64_t after_id, int limit, struct signature_record **out, int *n,
                    struct err *e)
{
    static const char sql[] = "SELECT " SQ_SIGNATURE_COLUMNS " FROM signatures" FILTER_WHERE
                              " AND id > ?9 ORDER BY id LIMIT ?10";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;

    *out = NULL;
    *n = 0;
    if ((r = review_functions(c, e)))
        goto out;
    PREP_OR_OUT(st, c, Q_SIGNATURE_SEARCH, sql, e);
    bind_filter(st, f);
    sqlite3_bind_int64(st, 9, after_id);
    sqlite3_bind_int(st, 10, limit > 0 && limit <= 500 ? limit : 500);
    COLLECT(struct signature_record, out, n, st, a, sq_read_signature);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_signature_search_count(struct store *base, const struct signature_filter *f, int64_t *n,
                          struct err *e)
{
    static const char sql[] = "SELECT count(*) FROM signatures" FILTER_WHERE;
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;

    *n = 0;
    if ((r = review_functions(c, e)))
        goto out;
    PREP_OR_OUT(st, c, Q_SIGNATURE_SEARCH_COUNT, sql, e);
    bind_filter(st, f);
    r = sq_step_id(c, st, n, "signature search count", e);
out:
    sq_conn_put(s, c);
    return r;
}
