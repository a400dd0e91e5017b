/*
 * export.h: the open data as files, beside the JSON API (api.h).
 *
 *   GET /api/v1/petitions.csv          every public petition the filters match, as CSV
 *   GET /api/v1/petitions.xml          the same in the shape of the House's XML export
 *   GET /api/v1/petitions/e-2829.xml   one petition so (also 441-01211.xml)
 *   GET /api/v1/petitions.xsd          the XML Schema of both (data/schema/petitions.xsd)
 *
 * The lists take the JSON list's filters (site/list_query.h) but no page: they
 * hold every match, read from the store a hundred at a time, each
 * petition in full.  The XML exports take "lang" (en, fr) for the
 * language of their texts, as the House exports one language at a time;
 * the CSV has both languages side by side and takes no lang.  Anything
 * else in the query string is a JSON 400, as everywhere in the API.
 *
 * CSV: RFC 4180 (CRLF, a header row, quoted cells where needed), UTF-8
 * with a BOM, text cells defused against formula injection (lib/csv.h).
 * Columns: number, type, status, status_date (the Eastern date),
 * parliament, session ("44-1"), subject_en, subject_fr, keywords_en,
 * keywords_fr ("; " between keywords), petitioner (e-petitions),
 * petitioner_province, authorizing_member ("First Last"), opened_at,
 * closes_at, certified_at, presented_at (ISO 8601 UTC, as the JSON API),
 * presented_number, response_tabled_at, signatures, url (the English page).
 *
 * XML: written with libxml2's xmlTextWriter, which escapes every value;
 * characters XML 1.0 cannot carry are dropped first (xml_clean_text()).  The
 * shape, element by element, is data/schema/petitions.xsd.
 *
 * Only public petitions and public fields, as the JSON API: never a
 * signatory's or supporter's personal data.  Handlers run on server
 * threads; everything lives in req->arena.
 */
#ifndef PETITIOND_API_EXPORT_H
#define PETITIOND_API_EXPORT_H

#include <stdbool.h>

struct err;
struct request;

int export_csv(struct request *req, struct err *e);    /* GET /api/v1/petitions.csv */
int export_xml(struct request *req, struct err *e);    /* GET /api/v1/petitions.xml */
int export_schema(struct request *req, struct err *e); /* GET /api/v1/petitions.xsd */

/* True when the route's capture names a petition's XML ("e-2829.xml"):
 * api_petition() then answers with export_petition_xml(). */
bool export_wants_xml(const struct request *req);

/* One petition as XML: capture "e-2829.xml".  404, 410 (removed) and 400
 * (a malformed number) as the JSON answer of the same petition. */
int export_petition_xml(struct request *req, struct err *e);

#endif
