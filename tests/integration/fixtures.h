/*
 * fixtures.h: what several integration tests do beside the HTTP journey:
 * read and write the server's database directly (fixtures and checks),
 * read a petition's counts from the API, confirm a signature from its
 * e-mail, and send a GET with one request header and keep the answer's
 * headers.  Each helper fails the current cmocka test on an error.
 */
#ifndef PETITIOND_FIXTURES_H
#define PETITIOND_FIXTURES_H

#include <stdint.h>

#include "harness.h"

/* Run sql (one or more statements) on h's database; returns the rows the
 * last one changed. */
long db_exec(struct harness *h, const char *sql);

/* The first column of the first row of sql as an integer, -1 when no row. */
int64_t db_int(struct harness *h, const char *sql);

/* The total of a petition's count endpoint, or one region's ("ON"). */
int64_t api_count(struct harness *h, const char *number, const char *region);

/* Confirm the signature of addr by the link of its (first) confirmation
 * e-mail, expecting 200. */
void confirm_from_mail(struct harness *h, const char *addr);

/* GET path from h with one extra request header ("If-None-Match: ..."),
 * or none when header is NULL; any status.  http_result_free() it. */
struct http_result get_with(struct harness *h, const char *path, const char *header);

/* A response header's value, copied (http_header()'s buffer is reused);
 * NULL when absent.  free() it. */
char *header_copy(const struct http_result *r, const char *name);

#endif
