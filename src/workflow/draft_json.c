/*
 * draft_json.c: the content document of a draft; see draft_json.h.
 */
#include "workflow/draft_json.h"

#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/banned.h"

static const char *
str(json_t *o, const char *key, struct arena *a)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? arena_strdup(a, s) : NULL;
}

static int
strings(json_t *o, const char *key, const char **out, int max, struct arena *a)
{
    json_t *arr = json_object_get(o, key);
    int n = 0;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (n == max)
            break;
        const char *s = json_string_value(v);
        out[n++] = arena_strdup(a, s ? s : "");
    }
    return n;
}

void
draft_json_read(const char *content, struct arena *a, struct draft_text *d,
                struct draft_clerk *c)
{
    memset(d, 0, sizeof(*d));
    if (c)
        memset(c, 0, sizeof(*c));
    json_t *o = content ? json_loads(content, 0, NULL) : NULL;
    if (!json_is_object(o)) {
        json_decref(o);
        return;
    }
    const char *lang = json_string_value(json_object_get(o, "lang"));
    if (lang)
        lang_from_code(lang, strlen(lang), &d->lang);
    const char *addr = json_string_value(json_object_get(o, "addressee"));
    if (addr)
        addressee_type_from_name(addr, strlen(addr), &d->addressee);
    d->ministry_code = str(o, "ministry", a);
    d->addressee_member_key = str(o, "addressee_member", a);
    d->grievance_count = strings(o, "grievances", d->grievances, DRAFT_GRIEVANCES_MAX, a);
    d->prayer = str(o, "prayer", a);
    d->period_days = (int)json_integer_value(json_object_get(o, "period"));
    d->subject_code = str(o, "subject", a);
    d->keywords = str(o, "keywords", a);
    d->member_key = str(o, "member", a);
    if (c) {
        c->tr_count = strings(o, "tr_grievances", c->tr_grievances, DRAFT_GRIEVANCES_MAX, a);
        c->tr_prayer = str(o, "tr_prayer", a);
        c->subject_code = str(o, "clerk_subject", a);
        c->keyword_count = strings(o, "clerk_keywords", c->keywords, 32, a);
    }
    json_decref(o);
}

static void
set_str(json_t *o, const char *key, const char *v)
{
    json_object_set_new(o, key, json_string(v ? v : ""));
}

static json_t *
array(const char *const *v, int n)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, json_string(v[i] ? v[i] : ""));
    return arr;
}

const char *
draft_json_write(const struct draft_text *d, const struct draft_clerk *c, struct arena *a)
{
    json_t *o = json_object();
    set_str(o, "lang", lang_code(d->lang));
    set_str(o, "addressee", addressee_type_name(d->addressee));
    set_str(o, "ministry", d->ministry_code);
    set_str(o, "addressee_member", d->addressee_member_key);
    json_object_set_new(o, "grievances", array(d->grievances, d->grievance_count));
    set_str(o, "prayer", d->prayer);
    json_object_set_new(o, "period", json_integer(d->period_days));
    set_str(o, "subject", d->subject_code);
    set_str(o, "keywords", d->keywords);
    set_str(o, "member", d->member_key);
    if (c) {
        json_object_set_new(o, "tr_grievances", array(c->tr_grievances, c->tr_count));
        set_str(o, "tr_prayer", c->tr_prayer);
        set_str(o, "clerk_subject", c->subject_code);
        json_object_set_new(o, "clerk_keywords", array(c->keywords, c->keyword_count));
    }
    char *text = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(o);
    const char *out = arena_strdup(a, text ? text : "{}");
    free(text);
    return out;
}
