/*
 * verify_pages.h: "Check my signature" (issue 18, item 4), in English and
 * French: the page where a signer checks the receipt of their signature
 * (a C2SP tlog-proof file, offered after confirming) against the
 * petition's public log.  The check runs in the browser
 * (static/verify.js): the receipt never leaves it, and the server only
 * serves what the log serves anyway (api/log.h).  The page explains what
 * a receipt is and what the check proves and does not, holds the form
 * (a file or pasted text) and every message the script shows, in the
 * page's language; without JavaScript it points to `petitiond log verify`.
 * Public and cacheable like the rest of the record.  A handler for the
 * route table.
 */
#ifndef PETITIOND_VERIFY_PAGES_H
#define PETITIOND_VERIFY_PAGES_H

struct err;
struct request;

int page_verify(struct request *req, struct err *e); /* GET /en/verify */

#endif
