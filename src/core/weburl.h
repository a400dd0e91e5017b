/*
 * weburl.h: petitions may not contain URLs, links or other web
 * references (rulebook 3).  This finds them:
 *
 *  - scheme URLs ("http://", "https://", "ftp://", any "letters://",
 *    "mailto:") and anything starting "www.";
 *  - e-mail addresses ("someone@example.org");
 *  - bare domain names such as "example.ca", "example.ca/page",
 *    "petition.gc.ca", "Canada.ca" or "EXAMPLE.COM", whose last label is
 *    a top-level domain: a country code (ca, fr, uk, us... as delegated by
 *    IANA) or a known generic one (com net org gov edu info biz io app
 *    online news ...).
 *
 * Ordinary prose is left alone: "e.g.", "i.e.", "U.S.", "p.m.", "M.Sc.",
 * "No. 5", "1.5 million", "St. John's", "Sept.15", and a sentence that
 * ends without a space before the next when the next word is
 * capitalised ("the end.In 2020", "Dr.Smith", "Belarus.Life").  A
 * capitalised label still counts when it is a generic TLD that is not a
 * word ("Change.Org").  The price of this rule: "Canada.Ca" is not found,
 * and a run-together sentence whose next word is a lower-case TLD is
 * ("the end.in 2020" is read as the domain "end.in"); the match tells
 * the petitioner where, and a space mends it.
 *
 * Pure and thread-safe; keeps no pointer.
 */
#ifndef PETITIOND_WEBURL_H
#define PETITIOND_WEBURL_H

#include <stdbool.h>
#include <stddef.h>

struct weburl_match {
    size_t offset; /* byte offset of the reference in the text */
    size_t len;    /* its length in bytes */
};

/* True when the len bytes of UTF-8 text at s hold a web reference.  The
 * first one goes to *m when m is not NULL: the whole reference as a
 * reader would copy it (scheme or address, domain, ":port", "/path"),
 * less punctuation that ends the sentence ("example.ca/page." gives
 * "example.ca/page"). */
bool weburl_find(const char *s, size_t len, struct weburl_match *m);

#endif
