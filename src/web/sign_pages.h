/*
 * sign_pages.h: the public side of signing: the answer to a petition's
 * sign form, "check your e-mail", the confirmation of a signature from
 * its e-mailed link, and the certificate of a certified e-petition.
 * Handlers for the route table.
 */
#ifndef PETITIOND_SIGN_PAGES_H
#define PETITIOND_SIGN_PAGES_H

struct err;
struct request;

int page_sign(struct request *req, struct err *e);             /* POST /en/petitions/e-N/sign */
int page_sign_check_email(struct request *req, struct err *e); /* GET .../e-N/check-email */
int page_signature(struct request *req, struct err *e);        /* GET, POST /en/signatures/ID */
int page_certificate(struct request *req, struct err *e);      /* GET .../e-N/certificate */
/* GET, POST /en/stop/ID/MAC: a signatory stops mail about the petition
 * (workflow/house_mailing.h); the POST is RFC 8058's one-click too. */
int page_mail_stop(struct request *req, struct err *e);

#endif
