/*
 * subject_pages.c: the subjects' index and pages; see subject_pages.h.
 */
#include "web/subject_pages.h"

#include <jansson.h>

#include "http/request.h"
#include "lib/err.h"
#include "site/site.h"
#include "store/store.h"
#include "web/filed_under.h"
#include "web/public.h"
#include "lib/banned.h"

/* Every subject, each with its number of public petitions; those without
 * any are listed too (the House's subjects are few and fixed), unlinked. */
int
page_subjects(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct subject *subjects;
    int n, r;
    if ((r = site->store->ops->subject_list(site->store, req->arena, &subjects, &n, e)))
        return r;
    json_t *ctx = site_page(req, pub_msg(req, "subjects.title"));
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(site_tr(req, subjects[i].name)));
        if (subjects[i].petitions > 0)
            json_object_set_new(o, "url", json_string(pub_subject_url(req, subjects[i].code)));
        json_object_set_new(o, "count", json_string(pub_count(req, subjects[i].petitions)));
        json_array_append_new(list, o);
    }
    json_object_set_new(ctx, "subjects", list);
    return site_render(req, 200, "subjects", ctx, e);
}

int
page_subject(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct store *s = site->store;
    struct subject sub;
    long long page;
    json_t *ctx;
    int r;

    if ((r = s->ops->subject_get(s, req->arena, req->captures[0], &sub, e)) ||
        (r = filed_under_read_page(req, &page, e)))
        return r;
    const char *name = site_tr(req, sub.name);
    struct petition_query q = {.subject_code = sub.code};
    if ((r = filed_under_page(req, &q, page, "subject", sub.code,
                              site_msg_with(req, "subject.title", name),
                              pub_subject_url(req, sub.code), &ctx, e)))
        return r;
    json_object_set_new(ctx, "subject", json_string(name));
    return site_render(req, 200, "subject", ctx, e);
}
