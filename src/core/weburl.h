/*
 * weburl.h: petitions may not contain URLs, links or other web
 * references (rulebook 3).  This finds them: scheme URLs ("http://",
 * "https://", "ftp://", "mailto:"), anything starting "www.", e-mail
 * addresses, and bare domain names such as "example.ca" or
 * "example.ca/page" whose last label is a known top-level domain (all
 * two-letter country codes and the common generic ones: com net org
 * info biz gov edu int mil io app dev xyz online site news ...), while
 * ordinary prose is left alone: "e.g.", "U.S.", "p.m.", "No. 5",
 * "1.5 million", "Sept.15" and a sentence ending without a space before
 * the next ("end.Next") unless the next word is a TLD.
 */
#ifndef PETITIOND_WEBURL_H
#define PETITIOND_WEBURL_H

#include <stdbool.h>
#include <stddef.h>

struct weburl_match {
    size_t offset; /* byte offset of the reference in the text */
    size_t len;    /* its length in bytes */
};

/* True when the text holds a web reference; the first one found goes to
 * *m when m is not NULL. */
bool weburl_find(const char *s, size_t len, struct weburl_match *m);

#endif
