/*
 * feeds.h: Atom feeds (RFC 4287) of the public register, in English under
 * /en/ and French under /fr/.
 *
 *   /{lang}/feeds/opened.atom           e-petitions newly open for signature
 *   /{lang}/feeds/responses.atom        government responses newly tabled
 *   /{lang}/feeds/keywords/{slug}.atom  one keyword's petitions (404 page
 *                                       for an unknown keyword)
 *
 * Each lists at most FEED_ENTRIES entries, newest first.  The feed's
 * updated is its newest entry's time (or now, for an empty feed); every
 * URL in it is absolute, from the site's base_url.  Entry ids are the
 * petition's page in the feed's language, with "#opened" or "#response"
 * in those feeds (bare in a keyword's, whose entries are the petitions
 * themselves), so they never change once published.  The XML is written
 * with lib/xmlw.h (libxml2's xmlTextWriter), which escapes every value;
 * characters XML cannot carry (C0 controls, U+FFFE, U+FFFF) are dropped
 * and malformed UTF-8 becomes U+FFFD first, so a feed is always
 * well-formed.
 *
 * The feeds' addresses and titles, and the offer of a feed on an HTML
 * page, are site/feed_links.h's.
 *
 * Answers are application/atom+xml with Cache-Control public, max-age=300;
 * the routes are ROUTE_CACHE (the same for every visitor), so the page
 * cache adds ETag and Last-Modified and answers 304.
 *
 * Handlers run on the server's worker threads; libxml2 is initialised
 * once, on first use.
 */
#ifndef PETITIOND_API_FEEDS_H
#define PETITIOND_API_FEEDS_H

struct err;
struct request;

enum { FEED_ENTRIES = 50 };

int page_feed_opened(struct request *req, struct err *e);    /* GET /en/feeds/opened.atom */
int page_feed_responses(struct request *req, struct err *e); /* GET /en/feeds/responses.atom */
int page_feed_keyword(struct request *req, struct err *e);   /* GET /en/feeds/keywords/K.atom */

#endif
