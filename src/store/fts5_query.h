/*
 * fts5_query.h: the words of a search (core/search.h) written as an
 * SQLite FTS5 query.
 *
 * Each word becomes an FTS5 string ("quebec"), so nothing in it is read
 * as FTS5 syntax (operators, column filters, NEAR, prefixes); the words
 * are joined with AND, and the last one is a prefix ("belar"*), as a
 * visitor may not have finished typing it.  The query goes to MATCH as a
 * bound parameter.  The PostgreSQL backend will build its tsquery from the
 * same words.
 */
#ifndef PETITIOND_FTS5_QUERY_H
#define PETITIOND_FTS5_QUERY_H

#include "core/search.h"

struct strbuf;

/* Append to out the FTS5 query for t: '"w1" AND "w2" AND "w3"*'.  A '"'
 * inside a word is doubled (search_terms_split never keeps one, but this
 * does not rely on it).  Appends nothing when t has no words: the caller
 * then leaves the text out of its query.  Errors are out's (sticky). */
void fts5_query_build(struct strbuf *out, const struct search_terms *t);

#endif
