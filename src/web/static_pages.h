/*
 * static_pages.h: the files under /static/ (style sheet, scripts,
 * images), compiled into the binary, with a long cache age.
 */
#ifndef PETITIOND_STATIC_PAGES_H
#define PETITIOND_STATIC_PAGES_H

struct err;
struct request;

int page_static(struct request *req, struct err *e); /* GET /static/style.css */

#endif
