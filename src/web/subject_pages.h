/*
 * subject_pages.h: the House's subjects: the index (/{lang}/subjects, every
 * subject with its number of public petitions) and a subject's page
 * (/{lang}/subjects/foreign-affairs, filed_under.h).
 */
#ifndef PETITIOND_SUBJECT_PAGES_H
#define PETITIOND_SUBJECT_PAGES_H

struct err;
struct request;

int page_subjects(struct request *req, struct err *e); /* GET /en/subjects */
int page_subject(struct request *req, struct err *e);  /* GET /en/subjects/foreign-affairs */

#endif
