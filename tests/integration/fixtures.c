/*
 * fixtures.c: database fixtures, API counts, confirmation by e-mail and
 * requests with a header for the integration tests; see fixtures.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "web.h"
#include "lib/banned.h"

static sqlite3 *
open_db(struct harness *h)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(h->db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    return db;
}

long
db_exec(struct harness *h, const char *sql)
{
    sqlite3 *db = open_db(h);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    long changes = sqlite3_changes(db);
    sqlite3_close(db);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "failed");
    sqlite3_free(msg);
    return changes;
}

int64_t
db_int(struct harness *h, const char *sql)
{
    sqlite3 *db = open_db(h);
    sqlite3_stmt *st;
    int64_t v = -1;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

int64_t
api_count(struct harness *h, const char *number, const char *region)
{
    char path[128];
    struct http_result r;
    snprintf(path, sizeof(path), "/api/v1/petitions/%s/count", number);
    assert_int_equal(http_get(h, path, &r), 0);
    assert_int_equal(r.status, 200);
    json_t *j = json_loads(r.body, 0, NULL);
    assert_non_null(j);
    json_t *v = region ? json_object_get(json_object_get(j, "by_region"), region)
                       : json_object_get(j, "total");
    assert_non_null(v);
    int64_t n = json_integer_value(v);
    json_decref(j);
    http_result_free(&r);
    return n;
}

void
confirm_from_mail(struct harness *h, const char *addr)
{
    assert_true(mail_wait_count(h, "signature-confirm", addr, 1));
    char *m = mail_wait(h, "signature-confirm", addr);
    assert_non_null(m);
    char *link = mail_link(m, "/signatures/");
    assert_non_null(link);
    free(m);
    const char *q = strchr(link, '?');
    assert_non_null(q);
    char path[256];
    snprintf(path, sizeof(path), "%.*s", (int)(q - link), link);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    struct http_result r;
    assert_int_equal(http_request(h, "POST", path, q + 1, strlen(q + 1), headers, &r), 0);
    assert_int_equal(r.status, 200);
    http_result_free(&r);
    free(link);
}

struct http_result
get_with(struct harness *h, const char *path, const char *header)
{
    struct http_result r;
    const char *headers[] = {header, NULL};
    assert_int_equal(http_request(h, "GET", path, NULL, 0, header ? headers : NULL, &r), 0);
    return r;
}

char *
header_copy(const struct http_result *r, const char *name)
{
    const char *v = http_header(r, name);
    if (!v)
        return NULL;
    size_t n = strlen(v) + 1;
    char *c = malloc(n);
    assert_non_null(c);
    memcpy(c, v, n);
    return c;
}
