/*
 * clerk_signing_pages.h: the Clerk's side of signing: petitions taking or
 * awaiting signatures, the review of held signatures, certification, and
 * the allow and block lists.  Handlers for the route table; private and
 * the Clerk's alone.
 */
#ifndef PETITIOND_CLERK_SIGNING_PAGES_H
#define PETITIOND_CLERK_SIGNING_PAGES_H

struct err;
struct request;

int page_clerk_signatures(struct request *req, struct err *e); /* GET /en/clerk/signatures */
int page_clerk_signature_petition(struct request *req,
                                  struct err *e);         /* GET, POST .../signatures/e-N */
int page_clerk_rules(struct request *req, struct err *e); /* GET, POST /en/clerk/signing-rules */

#endif
