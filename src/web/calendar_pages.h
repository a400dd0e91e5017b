/*
 * calendar_pages.h: Parliament's calendar: the Clerk's sitting days and
 * the administrator's prorogation, dissolution and openings (with the
 * mailings they start).  Handlers for the route table.
 */
#ifndef PETITIOND_CALENDAR_PAGES_H
#define PETITIOND_CALENDAR_PAGES_H

struct err;
struct request;

int page_clerk_calendar(struct request *req, struct err *e);   /* GET, POST /en/clerk/calendar */
int page_admin_parliament(struct request *req, struct err *e); /* GET, POST /en/admin/parliament */

#endif
