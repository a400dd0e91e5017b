/*
 * audit_pages.h: the administrator's audit log and the removal of a
 * petition from the public record.  Handlers for the route table.
 */
#ifndef PETITIOND_AUDIT_PAGES_H
#define PETITIOND_AUDIT_PAGES_H

struct err;
struct request;

int page_admin_audit(struct request *req, struct err *e);   /* GET /en/admin/audit */
int page_admin_remove(struct request *req, struct err *e);  /* GET, POST /en/admin/remove */
int page_admin_signing(struct request *req, struct err *e); /* GET, POST /en/admin/signing */

#endif
