/*
 * xmltest.c: libxml2 parsing and XPath for integration tests; see
 * xmltest.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xmltest.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

static int xml_errors;
static const char *ns_prefix, *ns_uri; /* xp_namespace() */

static void
count_error(void *ctx, xmlErrorPtr err)
{
    (void)ctx;
    fprintf(stderr, "# xml: %s", err && err->message ? err->message : "error\n");
    xml_errors++;
}

xmlDocPtr
xml_parse(const struct http_result *r, const char *name)
{
    xml_errors = 0;
    xmlSetStructuredErrorFunc(NULL, count_error);
    xmlDocPtr doc = xmlReadMemory(r->body, (int)r->len, name, NULL, XML_PARSE_NONET);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (!doc || xml_errors)
        fail_msg("%s is not well-formed XML (%d errors)", name, xml_errors);
    return doc;
}

void
assert_xml_root(xmlDocPtr doc, const char *name, const char *lang)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    assert_non_null(root);
    assert_string_equal((const char *)root->name, name);
    xmlChar *xml_lang = xmlNodeGetLang(root);
    assert_non_null(xml_lang);
    assert_string_equal((const char *)xml_lang, lang);
    xmlFree(xml_lang);
}

void
xp_namespace(const char *prefix, const char *uri)
{
    ns_prefix = prefix;
    ns_uri = uri;
}

/* expr evaluated on doc; xmlXPathFreeObject() the result. */
static xmlXPathObjectPtr
xpath(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    assert_non_null(ctx);
    if (ns_prefix)
        assert_int_equal(xmlXPathRegisterNs(ctx, BAD_CAST ns_prefix, BAD_CAST ns_uri), 0);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    xmlXPathFreeContext(ctx);
    if (!o)
        fail_msg("bad XPath %s", expr);
    return o;
}

/* fn(expr) evaluated on doc ("count", "string", "number"). */
static xmlXPathObjectPtr
xpath_of(xmlDocPtr doc, const char *fn, const char *expr)
{
    char wrapped[1024];
    int n = snprintf(wrapped, sizeof(wrapped), "%s(%s)", fn, expr);
    assert_true(n > 0 && (size_t)n < sizeof(wrapped));
    return xpath(doc, wrapped);
}

double
xp_number(xmlDocPtr doc, const char *expr)
{
    xmlXPathObjectPtr o = xpath_of(doc, "number", expr);
    double v = o->floatval;
    xmlXPathFreeObject(o);
    return v;
}

int
xp_count(xmlDocPtr doc, const char *expr)
{
    xmlXPathObjectPtr o = xpath_of(doc, "count", expr);
    int n = (int)o->floatval;
    xmlXPathFreeObject(o);
    return n;
}

char *
xp_string(xmlDocPtr doc, const char *expr)
{
    xmlXPathObjectPtr o = xpath_of(doc, "string", expr);
    char *s = strdup(o->stringval ? (const char *)o->stringval : "");
    xmlXPathFreeObject(o);
    assert_non_null(s);
    return s;
}

bool
xp_contains(xmlDocPtr doc, const char *expr, const char *needle)
{
    char *got = xp_string(doc, expr);
    bool found = strstr(got, needle) != NULL;
    free(got);
    return found;
}

char *
xp_join(xmlDocPtr doc, const char *expr, const char *sep)
{
    xmlXPathObjectPtr o = xpath(doc, expr);
    struct strbuf sb;
    sb_init(&sb, NULL);
    int n = o->nodesetval ? o->nodesetval->nodeNr : 0;
    for (int i = 0; i < n; i++) {
        xmlChar *t = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
        if (i)
            sb_adds(&sb, sep);
        sb_adds(&sb, t ? (const char *)t : "");
        xmlFree(t);
    }
    xmlXPathFreeObject(o);
    return sb_detach(&sb, NULL);
}

void
assert_xp_equal(xmlDocPtr doc, const char *expr, const char *want)
{
    char *got = xp_string(doc, expr);
    if (strcmp(got, want) != 0)
        fail_msg("%s is \"%s\", not \"%s\"", expr, got, want);
    free(got);
}

void
assert_join_equal(xmlDocPtr doc, const char *expr, const char *sep, const char *want)
{
    char *got = xp_join(doc, expr, sep);
    if (strcmp(got, want) != 0)
        fail_msg("%s joined is\n\"%s\", not\n\"%s\"", expr, got, want);
    free(got);
}

void
assert_xml_valid(const struct http_result *r, const char *xsd, const char *what)
{
    char dir[] = "/tmp/petitiond-xsd-XXXXXX", file[64], log[64], words[2048] = "";
    assert_non_null(mkdtemp(dir));
    snprintf(file, sizeof(file), "%s/export.xml", dir);
    snprintf(log, sizeof(log), "%s/xmllint.log", dir);
    FILE *fp = fopen(file, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(r->body, 1, r->len, fp), r->len);
    assert_int_equal(fclose(fp), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
        execlp("xmllint", "xmllint", "--noout", "--nonet", "--schema", xsd, file, (char *)NULL);
        _exit(127);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if ((fp = fopen(log, "r"))) {
        size_t n = fread(words, 1, sizeof(words) - 1, fp);
        words[n] = '\0';
        fclose(fp);
    }
    unlink(file);
    unlink(log);
    rmdir(dir);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("%s does not validate against %s (xmllint exit %d; 127 = not installed):\n%s",
                 what, xsd, WIFEXITED(status) ? WEXITSTATUS(status) : -1, words);
}
