/*
 * fixtures.c: the helpers of the integration tests that go over HTTP (API
 * counts, confirmation by e-mail, requests with a header, /healthz); see
 * fixtures.h.  The database helpers are in fixtures_store.c (through the
 * store) and fixtures_engine.c (what needs the engine).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "web.h"
#include "lib/banned.h"

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
    confirm_from_text(h, m);
    free(m);
}

void
confirm_from_text(struct harness *h, const char *text)
{
    char *link = mail_link(text, "/signatures/");
    assert_non_null(link);
    const char *q = strchr(link, '?');
    assert_non_null(q);
    char path[256];
    snprintf(path, sizeof(path), "%.*s", (int)(q - link), link);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    struct http_result r;
    assert_int_equal(http_request(h, "POST", path, q + 1, strlen(q + 1), headers, &r), 0);
    assert_int_equal(r.status, 303); /* Post/Redirect/Get to the thanks */
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

long long
healthz_value(struct harness *h, const char *line, const char *name)
{
    struct http_result r;
    char head[32], key[64];
    long long v = -1;
    assert_int_equal(http_get(h, "/healthz", &r), 0);
    assert_int_equal(r.status, 200);
    snprintf(head, sizeof(head), "\n%s ", line);
    snprintf(key, sizeof(key), " %s=", name);
    const char *start = strstr(r.body, head);
    const char *end = start ? strchr(start + 1, '\n') : NULL;
    const char *p = start ? strstr(start, key) : NULL;
    if (p && (!end || p < end))
        v = strtoll(p + strlen(key), NULL, 10);
    http_result_free(&r);
    return v;
}
