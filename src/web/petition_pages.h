/*
 * petition_pages.h: a petition's public page (/{lang}/petitions/e-2829 or
 * 441-01211): its text, state and dates, its counts by province or
 * territory with their charts, the government's response, and, while it
 * takes signatures, the sign form (which sign_pages.c answers).
 */
#ifndef PETITIOND_PETITION_PAGES_H
#define PETITIOND_PETITION_PAGES_H

#include <jansson.h>

#include "core/fields.h"

struct err;
struct petition;
struct request;

int page_petition(struct request *req, struct err *e); /* GET /en/petitions/e-2829 */
/* GET /en/petitions/e-2829/badge.svg: the live count as a small SVG image
 * to embed anywhere (no tracker: a plain image, cached like the count
 * endpoint). */
int page_petition_badge(struct request *req, struct err *e);

/* The petition's page with status; while it takes signatures, with the
 * sign form showing fe's errors and the submitted values (fe NULL: a
 * blank form). */
int petition_pages_render(struct request *req, const struct petition *p, int status,
                          const struct field_errors *fe, struct err *e);

/* Sharing without trackers, for the "share" partial (templates/share.html,
 * on the petition's page and the pages after signing): the petition's
 * address, its badge and the code that embeds the badge (escaped where
 * the page shows it). */
json_t *petition_share_json(struct request *req, const struct petition *p);

#endif
