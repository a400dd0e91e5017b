/*
 * xmlw.c: libxml2's xmlTextWriter with values cleaned for XML 1.0 and a
 * sticky failure; see xmlw.h.
 */
#include "lib/xmlw.h"

#include <pthread.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/die.h"
#include "lib/err.h"
#include "lib/escape.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

/* libxml2 sets up its globals once, before threads use it. */
static void
xml_init(void)
{
    xmlInitParser();
}

/* Remember a failed writer call (libxml2 returns a negative count). */
static void
check(struct xmlw *x, int rc)
{
    if (rc < 0)
        x->failed = true;
}

void
xmlw_open(struct xmlw *x, struct arena *a)
{
    pthread_once(&xml_once, xml_init);
    *x = (struct xmlw){.a = a};
    if (!(x->buf = xmlBufferCreate()) || !(x->w = xmlNewTextWriterMemory(x->buf, 0)))
        die_oom();
    check(x, xmlTextWriterSetIndent(x->w, 1));
    check(x, xmlTextWriterSetIndentString(x->w, BAD_CAST "  "));
    if (!x->failed)
        check(x, xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL));
}

const char *
xmlw_clean(struct xmlw *x, const char *text)
{
    struct strbuf sb;
    sb_init(&sb, x->a);
    if (text)
        xml_clean_text(&sb, text, strlen(text));
    return sb.buf;
}

void
xmlw_start(struct xmlw *x, const char *name)
{
    if (!x->failed)
        check(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

void
xmlw_start_ns(struct xmlw *x, const char *name, const char *ns)
{
    if (!x->failed)
        check(x, xmlTextWriterStartElementNS(x->w, NULL, BAD_CAST name, BAD_CAST ns));
}

void
xmlw_end(struct xmlw *x)
{
    if (!x->failed)
        check(x, xmlTextWriterEndElement(x->w));
}

void
xmlw_attr(struct xmlw *x, const char *name, const char *value)
{
    if (!x->failed)
        check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST xmlw_clean(x, value)));
}

void
xmlw_text(struct xmlw *x, const char *name, const char *text)
{
    if (!x->failed)
        check(x, xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST xmlw_clean(x, text)));
}

void
xmlw_string(struct xmlw *x, const char *text)
{
    if (!x->failed)
        check(x, xmlTextWriterWriteString(x->w, BAD_CAST xmlw_clean(x, text)));
}

int
xmlw_finish(struct xmlw *x, struct arena *a, const char **body, size_t *len, struct err *e)
{
    if (!x->failed)
        check(x, xmlTextWriterEndDocument(x->w));
    /* Freeing the writer flushes it into the buffer. */
    xmlFreeTextWriter(x->w);
    x->w = NULL;
    if (x->failed)
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "xml writer failed");
    *len = (size_t)xmlBufferLength(x->buf);
    *body = arena_strndup(a, (const char *)xmlBufferContent(x->buf), *len);
    return 0;
}

void
xmlw_release(struct xmlw *x)
{
    if (x->w)
        xmlFreeTextWriter(x->w);
    xmlBufferFree(x->buf);
    x->w = NULL;
    x->buf = NULL;
}
