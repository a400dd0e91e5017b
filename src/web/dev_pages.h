/*
 * dev_pages.h: /dev/mail, the development mailbox (serve --dev
 * --mail-dir DIR); 404 without --dev.  Handlers for the route table.
 */
#ifndef PETITIOND_DEV_PAGES_H
#define PETITIOND_DEV_PAGES_H

struct err;
struct request;

int page_dev_mail(struct request *req, struct err *e);     /* GET /dev/mail */
int page_dev_mail_one(struct request *req, struct err *e); /* GET /dev/mail/NAME */

#endif
