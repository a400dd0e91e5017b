/*
 * xmlw.h: an XML document written into memory with libxml2's
 * xmlTextWriter, for the Atom feeds (api/feeds.c) and the XML exports
 * (api/export.c).
 *
 * Nothing builds markup by hand.  Every element text and attribute value
 * goes through xml_clean_text() (lib/escape.h) first, which drops what
 * XML 1.0 cannot carry at all (C0 controls other than tab, LF and CR;
 * U+FFFE and U+FFFF) and turns malformed UTF-8 into U+FFFD; the writer
 * then escapes & < > (and " in attributes).  So a document is well-formed
 * whatever its values hold.
 *
 * The writer's failures (out of memory inside libxml2) are sticky, as a
 * strbuf's: the first failing call marks the document failed, later calls
 * do nothing, and xmlw_finish() reports it once.
 *
 *     struct xmlw x;
 *     xmlw_open(&x, req->arena);
 *     xmlw_start(&x, "feed");
 *     xmlw_attr(&x, "xml:lang", "en");
 *     xmlw_text(&x, "title", title);
 *     xmlw_end(&x);
 *     r = xmlw_finish(&x, req->arena, &body, &len, e);
 *     xmlw_release(&x);
 *
 * Ownership: the writer and its buffer are libxml2's (malloc) and belong
 * to the struct xmlw until xmlw_release().  Cleaned copies of values come
 * from x->a, which the caller may point at a shorter-lived arena between
 * calls (export.c uses one per petition).  The finished document is
 * copied into the arena given to xmlw_finish().
 *
 * Threads: each document is one thread's; libxml2 is initialised once,
 * on the first xmlw_open(), before any thread uses it.
 */
#ifndef PETITIOND_XMLW_H
#define PETITIOND_XMLW_H

#include <libxml/xmlwriter.h>
#include <stdbool.h>
#include <stddef.h>

struct arena;
struct err;

struct xmlw {
    xmlBufferPtr buf;
    xmlTextWriterPtr w; /* NULL once finished */
    struct arena *a;    /* for cleaned copies of values */
    bool failed;
};

/*
 * Start a document in x: the writer into a new memory buffer, indented
 * by two spaces, and the declaration <?xml version="1.0"
 * encoding="UTF-8"?>.  Cleaned values come from a.  Out of memory while
 * creating the writer aborts (die_oom).
 */
void xmlw_open(struct xmlw *x, struct arena *a);

/* text as XML 1.0 can carry it (xml_clean_text()), copied into x->a;
 * NULL reads as "". */
const char *xmlw_clean(struct xmlw *x, const char *text);

/* Open element name; xmlw_start_ns() also declares ns as the default
 * namespace (written after the element's attributes). */
void xmlw_start(struct xmlw *x, const char *name);
void xmlw_start_ns(struct xmlw *x, const char *name, const char *ns);

/* Close the innermost open element. */
void xmlw_end(struct xmlw *x);

/* An attribute of the element just opened; NULL is "". */
void xmlw_attr(struct xmlw *x, const char *name, const char *value);

/* <name>text</name>; NULL is an empty element. */
void xmlw_text(struct xmlw *x, const char *name, const char *text);

/* text inside the element open now, beside its attributes. */
void xmlw_string(struct xmlw *x, const char *text);

/*
 * End the document (closing what is still open) and copy it into a:
 * *body (NUL-terminated) and *len.  The writer is freed; the buffer waits
 * for xmlw_release().  Returns 0, or ERR_INTERNAL ("error.internal")
 * when any writer call failed.
 */
int xmlw_finish(struct xmlw *x, struct arena *a, const char **body, size_t *len, struct err *e);

/* Free the writer (when not finished) and the buffer; for every
 * xmlw_open(), finished or not. */
void xmlw_release(struct xmlw *x);

#endif
