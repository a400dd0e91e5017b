/*
 * tokens.c: the confirmation links of a petition's pending signatures, for
 * the confirmation benchmark (bench/confirm.lua).
 *
 *   tokens DB E-NUMBER [MIN_ID]
 *
 * DB is a SQLite file or a PostgreSQL URI (postgresql://... or
 * postgres://...), as petitiond's --db takes them.
 * prints "ID TOKEN" for every signature of the petition (e.g. e-6512) that
 * is not confirmed yet (confirmed_at IS NULL) and whose id is at least
 * MIN_ID, in id order.  TOKEN is what the server puts in the e-mailed link:
 * token_mac(link_key, "sign|ID") (src/workflow/signing.c), under the key
 * whose hex is in the database's meta table.  A benchmark tool: it reads the
 * database directly and never writes to it.
 */
#include <libpq-fe.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/token.h"

#include "lib/banned.h"

static int
fail(sqlite3 *db, const char *what)
{
    fprintf(stderr, "tokens: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return 1;
}

/* Print "ID TOKEN" for one pending signature. */
static void
print_token(const unsigned char *key, long long id)
{
    char msg[64], tok[TOKEN_MAC_CHARS + 1];
    snprintf(msg, sizeof(msg), "sign|%lld", id);
    token_mac(key, msg, tok);
    printf("%lld %s\n", id, tok);
}

/* The same from a PostgreSQL database (the same statements, $n for ?n). */
static int
pg_tokens(const char *uri, long e_number, long long min_id)
{
    static const char key_sql[] = "SELECT value FROM meta WHERE key = 'link_key'";
    static const char pending_sql[] =
        "SELECT s.id FROM signatures s JOIN petitions p ON p.id = s.petition_id"
        " WHERE p.e_number = $1::bigint AND s.confirmed_at IS NULL AND s.id >= $2::bigint"
        " ORDER BY s.id";
    unsigned char key[TOKEN_KEY_BYTES];
    char num[32], min[32];
    const char *v[2] = {num, min};
    PGresult *res = NULL;
    int status = 1;
    PGconn *db = PQconnectdb(uri);

    if (PQstatus(db) != CONNECTION_OK) {
        fprintf(stderr, "tokens: %s", PQerrorMessage(db));
        goto out;
    }
    res = PQexec(db, key_sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 ||
        token_key_from_hex(PQgetvalue(res, 0, 0), key) != 0) {
        fprintf(stderr, "tokens: %s: no usable link_key in meta %s\n", uri, PQerrorMessage(db));
        goto out;
    }
    PQclear(res);
    snprintf(num, sizeof(num), "%ld", e_number);
    snprintf(min, sizeof(min), "%lld", min_id);
    res = PQexecParams(db, pending_sql, 2, NULL, v, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        fprintf(stderr, "tokens: pending signatures: %s", PQerrorMessage(db));
        goto out;
    }
    for (int i = 0; i < PQntuples(res); i++)
        print_token(key, atoll(PQgetvalue(res, i, 0)));
    status = fflush(stdout) == 0 ? 0 : 1;
out:
    sodium_memzero(key, sizeof(key));
    PQclear(res);
    PQfinish(db);
    return status;
}

int
main(int argc, char **argv)
{
    static const char key_sql[] = "SELECT value FROM meta WHERE key = 'link_key'";
    static const char pending_sql[] =
        "SELECT s.id FROM signatures s JOIN petitions p ON p.id = s.petition_id"
        " WHERE p.e_number = ?1 AND s.confirmed_at IS NULL AND s.id >= ?2 ORDER BY s.id";
    unsigned char key[TOKEN_KEY_BYTES];
    sqlite3 *db = NULL;
    sqlite3_stmt *st;
    long e_number;
    long long min_id = argc > 3 ? atoll(argv[3]) : 0;
    char *end;

    if (argc < 3 || argc > 4 || (argv[2][0] != 'e' && argv[2][0] != 'E') || argv[2][1] != '-') {
        fprintf(stderr, "usage: tokens DB E-NUMBER [MIN_ID]\n");
        return 2;
    }
    e_number = strtol(argv[2] + 2, &end, 10);
    if (*end || e_number <= 0) {
        fprintf(stderr, "tokens: %s: not an e-number\n", argv[2]);
        return 2;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "tokens: libsodium did not initialise\n");
        return 1;
    }
    if (strncmp(argv[1], "postgresql://", 13) == 0 || strncmp(argv[1], "postgres://", 11) == 0)
        return pg_tokens(argv[1], e_number, min_id);
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return fail(db, argv[1]);
    sqlite3_busy_timeout(db, 10000);

    if (sqlite3_prepare_v2(db, key_sql, -1, &st, NULL) != SQLITE_OK)
        return fail(db, "link key");
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW ||
        token_key_from_hex((const char *)sqlite3_column_text(st, 0), key) != 0) {
        sqlite3_finalize(st);
        fprintf(stderr, "tokens: %s: no usable link_key in meta\n", argv[1]);
        sqlite3_close(db);
        return 1;
    }
    sqlite3_finalize(st);

    if (sqlite3_prepare_v2(db, pending_sql, -1, &st, NULL) != SQLITE_OK)
        return fail(db, "pending signatures");
    sqlite3_bind_int64(st, 1, e_number);
    sqlite3_bind_int64(st, 2, min_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        print_token(key, sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    sodium_memzero(key, sizeof(key));
    if (rc != SQLITE_DONE)
        return fail(db, "pending signatures");
    sqlite3_close(db);
    return fflush(stdout) == 0 ? 0 : 1;
}
