/*
 * info_pages.h: the pages every public service has, in both languages:
 * the privacy notice, the terms of use (for signatories, supporters and
 * petitioners, each part an anchor the forms' terms boxes link to), how
 * petitions work, the accessibility statement and how to reach the
 * operator.  Their text is in the catalogues (data/i18n, "info"); every
 * number comes from the jurisdiction the site was started with (struct
 * jurisdiction), so another parliament's file changes the text, and the
 * operator's address from --contact-email.  Public and cacheable like
 * the rest of the record.  Handlers for the route table.
 */
#ifndef PETITIOND_INFO_PAGES_H
#define PETITIOND_INFO_PAGES_H

struct err;
struct request;

int page_privacy(struct request *req, struct err *e);       /* GET /en/privacy */
int page_terms(struct request *req, struct err *e);         /* GET /en/terms */
int page_help(struct request *req, struct err *e);          /* GET /en/help */
int page_accessibility(struct request *req, struct err *e); /* GET /en/accessibility */
int page_contact(struct request *req, struct err *e);       /* GET /en/contact */

#endif
