/*
 * search.h: finding petitions: the lists with their filters, orders and
 * search words, the numbers an export walks, the counts by state and the
 * Atom feeds.
 *
 * SEARCH, as any backend must answer it (tests/store/search_test.c and
 * tests/integration/search_test.c hold it to this).  q->text is split
 * into words by core/search.h; a petition matches when every word is
 * found, the last one as a prefix ("belar" finds "Belarus"), in any of
 * its public texts in either language: its numbers, its title (subject),
 * its keywords, its whereas clauses and prayer, its government response
 * and the response's signer, and the names and ridings of the Members who
 * authorized and presented it.  Case and accents are ignored ("quebec"
 * finds "Québec").  Nothing typed is read as a query language.  Only
 * public petitions match a search, whatever q->public_only says; a
 * removed petition is never found.
 *
 * RELEVANCE (SORT_RELEVANCE with words): every place a word is found
 * adds to a petition's relevance, and places weigh, from most to least:
 * its numbers and its title (in each language), its keywords, the
 * Members' names and ridings, its whereas clauses and prayer, its
 * response.  So a word in a title outranks the same word found only in a
 * response or a prayer.  Equal relevance falls back to SORT_RECENT's
 * order.
 *
 * Part of store.h, whose contract (transactions, errors, orders, memory)
 * holds for every function here.
 */
#ifndef PETITIOND_STORE_SEARCH_H
#define PETITIOND_STORE_SEARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/petition.h"

struct arena;
struct err;
struct store;
struct store_txn;

/* What a list of petitions is filtered and sorted by. */
enum petition_sort {
    SORT_RECENT,          /* latest activity first (state change) */
    SORT_OLDEST,
    SORT_MOST_SIGNATURES,
    SORT_FEWEST_SIGNATURES,
    SORT_RELEVANCE,       /* best match of the words first (RELEVANCE above); without
                           * words, as SORT_RECENT */
};
/* Every order ends with the higher id first: SORT_RECENT and SORT_OLDEST
 * order by the last change of state, the two by signatures by the total
 * counted; ties by id, descending. */

struct petition_query {
    bool public_only;            /* only the states the public lists show:
                                  * petition_state_is_public() but WITHDRAWN,
                                  * whose page shows but is listed nowhere */
    bool has_state;
    enum petition_state state;
    const char *subject_code;    /* NULL = any */
    const char *keyword_slug;    /* NULL = any */
    const char *text;            /* words to find in either language (core/search.h),
                                  * in the public texts of public petitions only; NULL,
                                  * or text without a word = any */
    bool has_kind;
    enum petition_kind kind;
    int64_t member_id;           /* authorized by this Member; 0 = any */
    int64_t response_ministry_id; /* answered by this ministry; 0 = any */
    int parliament;              /* of this Parliament (44); 0 = any */
    int session;                 /* of this session of it (1); 0 = any (with parliament) */
    bool responded;              /* only those with a tabled government response */
    enum petition_sort sort;
    int offset;
    int limit;                   /* at most 100 */
};

struct petition_list {
    struct petition *items;      /* summaries: no grievances, prayer or response text */
    int count;
    int64_t total;               /* matching petitions, for pagination */
};

/* What an Atom feed lists: public petitions, newest first (ties: higher
 * id first). */
enum feed_kind {
    FEED_OPENED,    /* e-petitions by their opening for signature (opened_at) */
    FEED_RESPONSES, /* petitions by the tabling of their response */
    FEED_KEYWORD,   /* petitions filed under a keyword, latest state change first */
};

struct feed_query {
    enum feed_kind kind;
    const char *keyword_slug; /* FEED_KEYWORD */
    int limit;                /* at most 100 */
};

/* One page of the petitions q matches (q->offset, q->limit), in q's
 * order, and how many match in all (out->total). */
int store_petition_list(struct store *s, struct store_txn *t, struct arena *a,
                        const struct petition_query *q, struct petition_list *out, struct err *e);

/*
 * The numbers of every petition q matches (offset and limit ignored), in q's order, read at once:
 * what an export walks before reading each petition in full. Sorting only numbers keeps it cheap
 * for the whole register.
 */
int store_petition_numbers(struct store *s, struct store_txn *t, struct arena *a,
                           const struct petition_query *q, struct petition_number **out, int *n,
                           struct err *e);

/* Public petitions per state: counts[state]. */
int store_petition_state_counts(struct store *s, struct store_txn *t,
                                int64_t counts[PETITION_STATE_COUNT], struct err *e);

/*
 * The entries of an Atom feed: summaries as petition_list gives them, each with its keywords, and
 * for FEED_RESPONSES its response (has_response); out->total is out->count. An unknown keyword
 * gives an empty list (look it up first for a 404).
 */
int store_petition_feed(struct store *s, struct store_txn *t, struct arena *a,
                        const struct feed_query *q, struct petition_list *out, struct err *e);

#endif
