/*
 * fetch.h: GET over HTTP(S) with libcurl, for the commands that read a
 * site from outside as anyone would (petitiond log verify).
 *
 * A fetcher keeps one connection open between requests to the same site.
 * curl_global_init() must have run (main does).
 */
#ifndef PETITIOND_FETCH_H
#define PETITIOND_FETCH_H

struct fetcher;
struct strbuf;

/* A new fetcher: requests time out after timeout_s seconds. */
struct fetcher *fetcher_new(long timeout_s, const char *user_agent);
void fetcher_free(struct fetcher *f);

/* GET url into out (emptied first; NUL-terminated past out->len).
 * Returns the HTTP status, or -1 when there was no answer (*why says
 * what: a static string). */
long fetch_get(struct fetcher *f, const char *url, struct strbuf *out, const char **why);

#endif
