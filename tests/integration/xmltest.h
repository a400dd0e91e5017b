/*
 * xmltest.h: XML answers read back with libxml2 in integration tests
 * (the Atom feeds, the XML exports): a strict parse, and XPath queries
 * compared with what a test expects.  Each helper fails the current
 * cmocka test on an error.
 */
#ifndef PETITIOND_XMLTEST_H
#define PETITIOND_XMLTEST_H

#include <libxml/tree.h>
#include <stdbool.h>

#include "harness.h"

/* The body of r parsed without network access; fails the test when it is
 * not well-formed or on any warning (each printed as "# xml: ...").  name
 * names the document in messages (its path).  xmlFreeDoc() it. */
xmlDocPtr xml_parse(const struct http_result *r, const char *name);

/* Fail unless the body of r validates against the schema file xsd
 * (xmllint of libxml2-utils, in a subprocess); what names it. */
void assert_xml_valid(const struct http_result *r, const char *xsd, const char *what);

/* Fail unless doc's root element is name, with xml:lang lang. */
void assert_xml_root(xmlDocPtr doc, const char *name, const char *lang);

/* From now on XPath expressions may use prefix for the namespace uri
 * ("a" for Atom: "/a:feed/a:id"); NULL, NULL for none (the default). */
void xp_namespace(const char *prefix, const char *uri);

/* The XPath number(expr). */
double xp_number(xmlDocPtr doc, const char *expr);

/* How many nodes expr selects. */
int xp_count(xmlDocPtr doc, const char *expr);

/* The string value of expr (the first node's text), malloc'd. */
char *xp_string(xmlDocPtr doc, const char *expr);

/* True when the string value of expr contains needle. */
bool xp_contains(xmlDocPtr doc, const char *expr, const char *needle);

/* The texts of the nodes expr selects, joined by sep, malloc'd. */
char *xp_join(xmlDocPtr doc, const char *expr, const char *sep);

/* Fail unless xp_string() (or xp_join()) of expr is want. */
void assert_xp_equal(xmlDocPtr doc, const char *expr, const char *want);
void assert_join_equal(xmlDocPtr doc, const char *expr, const char *sep, const char *want);

#endif
