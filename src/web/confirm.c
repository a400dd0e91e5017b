/*
 * confirm.c: the page that asks before an act that cannot be undone;
 * see confirm.h.
 */
#include "web/confirm.h"

#include <assert.h>
#include <string.h>

#include <jansson.h>

#include "http/request.h"
#include "lib/arena.h"
#include "site/site.h"
#include "web/forms.h"
#include "web/workspace.h"
#include "lib/banned.h"

struct confirm_page
confirm_page_for(struct request *req, const char *act, const char *action, const char *cancel)
{
    return (struct confirm_page){
        .title_key = arena_printf(req->arena, "confirm.%s.title", act),
        .what_key = arena_printf(req->arena, "confirm.%s.what", act),
        .undo_key = arena_printf(req->arena, "confirm.%s.undo", act),
        .button_key = arena_printf(req->arena, "confirm.%s.button", act),
        .action = action,
        .cancel = cancel,
    };
}

void
confirm_petition(struct confirm_page *c, const char *title)
{
    c->name = title;
    confirm_fact(c, "confirm.petition", title);
}

void
confirm_fact(struct confirm_page *c, const char *label_key, const char *value)
{
    assert(c->nfacts < CONFIRM_FACTS_MAX);
    if (c->nfacts < CONFIRM_FACTS_MAX)
        c->facts[c->nfacts++] = (struct confirm_fact){label_key, value};
}

void
confirm_hidden(struct confirm_page *c, const char *name, const char *value)
{
    assert(c->nhidden < CONFIRM_HIDDEN_MAX);
    if (c->nhidden < CONFIRM_HIDDEN_MAX)
        c->hidden[c->nhidden++] = (struct confirm_hidden){name, value};
}

int
confirm_render(struct request *req, int status, const struct confirm_page *c, struct err *e)
{
    const char *question = site_msg_with(req, c->title_key, c->name);
    /* ws_page() takes a key; the question is a text with its name filled. */
    json_t *ctx = ws_page(req, c->title_key);
    json_object_set_new(ctx, "title", json_string(question));
    json_object_set_new(ctx, "heading", json_string(question));
    json_t *facts = json_array();
    for (int i = 0; i < c->nfacts; i++) {
        json_t *f = json_object();
        json_object_set_new(f, "label", json_string(form_msg(req, c->facts[i].label_key)));
        json_object_set_new(f, "value", json_string(c->facts[i].value ? c->facts[i].value : ""));
        json_array_append_new(facts, f);
    }
    json_object_set_new(ctx, "facts", facts);
    json_object_set_new(ctx, "has_facts", json_boolean(c->nfacts > 0));
    if (c->excerpt && *c->excerpt)
        json_object_set_new(ctx, "excerpt", json_string(c->excerpt));
    json_object_set_new(ctx, "what", json_string(form_msg(req, c->what_key)));
    json_object_set_new(ctx, "undo", json_string(form_msg(req, c->undo_key)));
    json_object_set_new(ctx, "action", json_string(c->action));
    json_t *hidden = json_array();
    for (int i = 0; i < c->nhidden; i++) {
        json_t *h = json_object();
        json_object_set_new(h, "name", json_string(c->hidden[i].name));
        json_object_set_new(h, "value", json_string(c->hidden[i].value ? c->hidden[i].value : ""));
        json_array_append_new(hidden, h);
    }
    json_object_set_new(ctx, "hidden", hidden);
    json_object_set_new(ctx, "button", json_string(form_msg(req, c->button_key)));
    json_object_set_new(ctx, "danger", json_boolean(c->danger));
    json_object_set_new(ctx, "cancel", json_string(c->cancel));
    return site_render(req, status, "confirm", ctx, e);
}

bool
confirm_given(struct request *req)
{
    return strcmp(form_value(req, "confirm"), "yes") == 0;
}
