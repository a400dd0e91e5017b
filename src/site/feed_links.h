/*
 * feed_links.h: the addresses and titles of the Atom feeds, shared by the
 * feeds themselves (api/feeds.h) and the HTML pages that offer them
 * (src/web).
 *
 *   /{lang}/feeds/opened.atom           e-petitions newly open for signature
 *   /{lang}/feeds/responses.atom        government responses newly tabled
 *   /{lang}/feeds/keywords/{slug}.atom  one keyword's petitions
 *
 * Strings come from req->arena and the catalogue in req->lang.
 */
#ifndef PETITIOND_FEED_LINKS_H
#define PETITIOND_FEED_LINKS_H

#include <jansson.h>

#include "core/lang.h"
#include "store/store.h"

struct keyword;
struct request;

/* "/en/feeds/opened.atom", "/fr/feeds/keywords/belarus.atom" (the slug
 * percent-encoded; slug is for FEED_KEYWORD, else NULL). */
const char *feed_links_path(struct request *req, enum lang lang, enum feed_kind kind,
                            const char *slug);

/* The feed's title in the request's language; k names the keyword for
 * FEED_KEYWORD (else NULL). */
const char *feed_links_title(struct request *req, enum feed_kind kind, const struct keyword *k);

/*
 * Offer a feed on an HTML page: append {url, title, label} to the array
 * "atom_feeds" of the page context ctx (made when missing), which
 * templates/header.html turns into <link rel="alternate"
 * type="application/atom+xml"> and templates/feed_links.html into visible
 * links.  k names the keyword for FEED_KEYWORD (else NULL).
 */
void feed_links_offer(struct request *req, json_t *ctx, enum feed_kind kind,
                      const struct keyword *k);

#endif
