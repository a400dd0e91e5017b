/*
 * demo.c: data/demo/demo.json into the store, once, as one use case; see
 * demo.h.
 *
 * The JSON is read with jansson into the core's record structs (allocated
 * from one arena for the whole load), checked with the core's rules
 * (numbers, regions, states), and written through the store interface in
 * one transaction with its audit record, so any backend can load it.
 */
#include "workflow/demo.h"

#include <jansson.h>
#include <string.h>

#include "core/eastern_time.h"
#include "core/numbering.h"
#include "core/petition.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/parse.h"
#include "store/store.h"
#include "workflow/flow_internal.h"
#include "lib/banned.h"

struct loader {
    struct store *s;
    struct store_txn *tx; /* the load's one transaction */
    struct arena *a;
    int64_t now;
    int64_t dissolved_at[100]; /* by Parliament number, 0 = not dissolved */
    const char *where;         /* the record being read, for error messages */
};

static int
bad(struct loader *l, struct err *e, const char *what)
{
    return err_set(e, ERR_INVALID, "error.invalid", NULL, "demo data: %s: %s", l->where, what);
}

static const char *
str(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s && s[0] ? s : NULL;
}

static int
need_str(struct loader *l, json_t *obj, const char *key, const char **out, struct err *e)
{
    *out = str(obj, key);
    if (!*out)
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "demo data: %s: missing \"%s\"",
                       l->where, key);
    return 0;
}

/* {"en": "...", "fr": "..."} into text[2]; both are required. */
static int
need_bilingual(struct loader *l, json_t *obj, const char *key, const char *text[LANG_COUNT],
               struct err *e)
{
    json_t *v = key ? json_object_get(obj, key) : obj;
    text[LANG_EN] = str(v, "en");
    text[LANG_FR] = str(v, "fr");
    if (!text[LANG_EN] || !text[LANG_FR])
        return err_set(e, ERR_INVALID, "error.invalid", NULL,
                       "demo data: %s: \"%s\" needs both \"en\" and \"fr\"", l->where,
                       key ? key : "text");
    return 0;
}

/*
 * A time: "2020-09-15 09:30" or "2020-09-15" (Eastern), or "-12d 14:40" /
 * "+20d" relative to the Eastern date of l->now.  Missing: 0.
 */
static int
get_time(struct loader *l, json_t *obj, const char *key, int64_t *out, struct err *e)
{
    const char *s = str(obj, key);
    *out = 0;
    if (!s)
        return 0;
    if (s[0] != '-' && s[0] != '+') {
        if (eastern_parse(s, strlen(s), out, e))
            return err_set(e, ERR_INVALID, "error.invalid", NULL, "demo data: %s: bad %s \"%s\"",
                           l->where, key, s);
        return 0;
    }
    const char *d = strchr(s, 'd');
    long long days, hour = 0, minute = 0;
    if (!d || parse_ll(s + 1, (size_t)(d - s - 1), 0, 100000, &days, NULL))
        return bad(l, e, "relative date needs the form -12d or +3d 14:40");
    if (d[1] == ' ') {
        if (strlen(d + 2) != 5 || d[4] != ':' || parse_ll(d + 2, 2, 0, 23, &hour, NULL) ||
            parse_ll(d + 5, 2, 0, 59, &minute, NULL))
            return bad(l, e, "relative time needs HH:MM");
    } else if (d[1]) {
        return bad(l, e, "junk after relative date");
    }
    struct civil_time today;
    int y, m, dd;
    eastern_from_utc(l->now, &today);
    int64_t day = days_from_civil(today.year, today.month, today.day);
    day += s[0] == '-' ? -days : days;
    civil_from_days(day, &y, &m, &dd);
    *out = eastern_to_utc(y, m, dd, (int)hour, (int)minute, 0);
    return 0;
}

static int
need_time(struct loader *l, json_t *obj, const char *key, int64_t *out, struct err *e)
{
    int r = get_time(l, obj, key, out, e);
    if (!r && !*out)
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "demo data: %s: missing \"%s\"",
                       l->where, key);
    return r;
}

static int
get_region(struct loader *l, const char *code, enum region *out, struct err *e)
{
    if (!code || region_from_code(code, strlen(code), out) || *out == REGION_OUTSIDE)
        return bad(l, e, "province must be a two-letter code such as ON");
    return 0;
}

static int
load_parliaments(struct loader *l, json_t *list, struct err *e)
{
    size_t i, j;
    json_t *pj, *sj;
    int r;
    json_array_foreach(list, i, pj)
    {
        struct parliament p = {0};
        l->where = "parliament";
        p.number = (int)json_integer_value(json_object_get(pj, "number"));
        if (p.number < 1 || p.number > 99)
            return bad(l, e, "number must be 1..99");
        if ((r = need_time(l, pj, "opened", &p.opened_at, e)) ||
            (r = get_time(l, pj, "dissolved", &p.dissolved_at, e)) ||
            (r = store_parliament_put(l->tx, &p, e)))
            return r;
        l->dissolved_at[p.number] = p.dissolved_at;
        json_array_foreach(json_object_get(pj, "sessions"), j, sj)
        {
            struct session ses = {0};
            ses.parliament = p.number;
            ses.number = (int)json_integer_value(json_object_get(sj, "number"));
            if (ses.number < 1 || ses.number > 9)
                return bad(l, e, "session number must be 1..9");
            if ((r = need_time(l, sj, "opened", &ses.opened_at, e)) ||
                (r = get_time(l, sj, "ended", &ses.ended_at, e)))
                return r;
            ses.dissolved = ses.ended_at && ses.ended_at == p.dissolved_at;
            if ((r = store_session_put(l->tx, &ses, e)))
                return r;
        }
    }
    return 0;
}

static int
load_reference(struct loader *l, json_t *root, struct err *e)
{
    size_t i, j;
    json_t *v, *w;
    int r;

    json_array_foreach(json_object_get(root, "subjects"), i, v)
    {
        struct subject sub = {0};
        l->where = "subject";
        if ((r = need_str(l, v, "code", &sub.code, e)) ||
            (r = need_bilingual(l, v, NULL, sub.name, e)) ||
            (r = store_subject_put(l->tx, &sub, e)))
            return r;
    }
    json_array_foreach(json_object_get(root, "keywords"), i, v)
    {
        struct keyword k = {0};
        l->where = "keyword";
        if ((r = need_str(l, v, "slug", &k.slug, e)) ||
            (r = need_bilingual(l, v, NULL, k.name, e)) || (r = store_keyword_put(l->tx, &k, e)))
            return r;
    }
    json_array_foreach(json_object_get(root, "members"), i, v)
    {
        struct member m = {0};
        l->where = "member";
        m.honorific = str(v, "honorific");
        if ((r = need_str(l, v, "key", &m.key, e)) ||
            (r = need_str(l, v, "first_name", &m.first_name, e)) ||
            (r = need_str(l, v, "last_name", &m.last_name, e)) ||
            (r = need_bilingual(l, v, "constituency", m.constituency, e)) ||
            (r = need_bilingual(l, v, "caucus", m.caucus, e)) ||
            (r = get_region(l, str(v, "province"), &m.province, e)) ||
            (r = store_member_put(l->tx, &m, e)))
            return r;
    }
    json_array_foreach(json_object_get(root, "ministries"), i, v)
    {
        struct ministry m = {0};
        l->where = "ministry";
        if ((r = need_str(l, v, "code", &m.code, e)) ||
            (r = need_bilingual(l, v, "title", m.title, e)) ||
            (r = store_ministry_put(l->tx, &m, e)))
            return r;
        json_array_foreach(json_object_get(v, "ministers"), j, w)
        {
            struct minister mi = {0};
            mi.ministry_id = m.id;
            l->where = "minister";
            if ((r = need_str(l, w, "name", &mi.name, e)) ||
                (r = need_time(l, w, "from", &mi.from_at, e)) ||
                (r = get_time(l, w, "to", &mi.to_at, e)) || (r = store_minister_put(l->tx, &mi, e)))
                return r;
        }
    }
    return 0;
}

static int
load_counts(struct loader *l, json_t *sig, struct petition *p, struct err *e)
{
    json_t *by = json_object_get(sig, "by_region");
    const char *code;
    json_t *v;
    int64_t sum = 0;

    if (!json_is_integer(json_object_get(sig, "total")))
        return bad(l, e, "signatures.total missing");
    p->signature_total = json_integer_value(json_object_get(sig, "total"));
    if (p->kind == PETITION_PAPER)
        return 0;
    json_object_foreach(by, code, v)
    {
        enum region r;
        if (region_from_code(code, strlen(code), &r))
            return bad(l, e, "unknown region in signatures.by_region");
        if (!json_is_integer(v) || json_integer_value(v) < 0)
            return bad(l, e, "a region count must be a whole number");
        p->region_counts[r] = json_integer_value(v);
        sum += p->region_counts[r];
    }
    if (sum != p->signature_total)
        return bad(l, e, "signatures.total differs from the sum of by_region");
    return 0;
}

static int
load_petition(struct loader *l, json_t *v, struct petition *p, struct err *e)
{
    const char *number, *s;
    struct petition_number pn;
    json_t *x;
    size_t i;
    int r;

    memset(p, 0, sizeof(*p));
    p->is_demo = true;
    if ((r = need_str(l, v, "number", &number, e)))
        return r;
    l->where = number;
    if (petition_number_parse(number, strlen(number), &pn, e))
        return bad(l, e, "bad number");
    s = str(v, "type");
    if (!s || petition_kind_from_name(s, strlen(s), &p->kind))
        return bad(l, e, "type must be electronic or paper");
    if ((p->kind == PETITION_ELECTRONIC) != (pn.kind == PETITION_NUMBER_E))
        return bad(l, e, "an e-petition has an e- number; a paper one its presented number");
    if (pn.kind == PETITION_NUMBER_E)
        p->e_number = pn.e_number;
    s = str(v, "state");
    if (!s || petition_state_from_name(s, strlen(s), &p->state))
        return bad(l, e, "unknown state");
    p->parliament = (int)json_integer_value(json_object_get(v, "parliament"));
    p->session = (int)json_integer_value(json_object_get(v, "session"));
    p->subject.code = str(v, "subject");
    s = str(v, "original_language");
    if (!s || lang_from_code(s, strlen(s), &p->original_language))
        return bad(l, e, "original_language must be en or fr");

    p->keyword_count = (int)json_array_size(json_object_get(v, "keywords"));
    p->keywords = arena_calloc(l->a, (size_t)p->keyword_count + 1, sizeof(*p->keywords));
    json_array_foreach(json_object_get(v, "keywords"), i, x)
    {
        p->keywords[i].slug = json_string_value(x);
        if (!p->keywords[i].slug)
            return bad(l, e, "keywords must be slugs");
    }

    x = json_object_get(v, "addressee");
    s = str(x, "type");
    if (!s || addressee_type_from_name(s, strlen(s), &p->addressee))
        return bad(l, e, "unknown addressee type");
    if (p->addressee == ADDRESSEE_MINISTER &&
        (r = need_str(l, x, "ministry", &p->addressee_ministry.code, e)))
        return r;
    if (p->addressee == ADDRESSEE_MEMBER &&
        (r = need_str(l, x, "member", &p->addressee_member.key, e)))
        return r;

    if (p->kind == PETITION_ELECTRONIC) {
        x = json_object_get(v, "petitioner");
        if ((r = need_str(l, x, "name", &p->petitioner_name, e)) ||
            (r = need_str(l, x, "city", &p->petitioner_city, e)) ||
            (r = get_region(l, str(x, "province"), &p->petitioner_province, e)) ||
            (r = need_str(l, v, "authorizing_member", &p->authorizing_member.key, e)) ||
            (r = need_time(l, v, "opened", &p->opened_at, e)) ||
            (r = need_time(l, v, "closes", &p->closes_at, e)))
            return r;
        p->has_authorizing_member = true;
        p->signature_period_days =
            (int)json_integer_value(json_object_get(v, "signature_period_days"));
        /* Same wall-clock time, so a change of EST/EDT may move it by an hour. */
        int64_t drift = p->closes_at - p->opened_at - (int64_t)p->signature_period_days * 86400;
        if (p->signature_period_days <= 0 || drift < -3600 || drift > 3600)
            return bad(l, e, "closes must be opened plus signature_period_days");
    }

    p->grievance_count = (int)json_array_size(json_object_get(v, "grievances"));
    p->grievances = arena_calloc(l->a, (size_t)p->grievance_count + 1, sizeof(*p->grievances));
    json_array_foreach(json_object_get(v, "grievances"), i, x)
    {
        if ((r = need_bilingual(l, x, NULL, p->grievances[i].text, e)))
            return r;
    }
    if ((r = need_bilingual(l, v, "prayer", p->prayer, e)) ||
        (r = get_time(l, v, "certified", &p->certified_at, e)))
        return r;

    x = json_object_get(v, "presented");
    if (x) {
        const char *pnum;
        p->has_presenting_member = true;
        if ((r = need_time(l, x, "date", &p->presented_at, e)) ||
            (r = need_str(l, x, "member", &p->presenting_member.key, e)) ||
            (r = need_str(l, x, "number", &pnum, e)))
            return r;
        if (presented_number_parse(pnum, strlen(pnum), &p->presented_number, e))
            return bad(l, e, "bad presented number");
        p->has_presented_number = true;
        if (json_object_get(x, "committee") &&
            (r = need_bilingual(l, x, "committee", p->committee, e)))
            return r;
        /* The ministry that is to respond (its responder's workspace). */
        const char *mcode = json_string_value(json_object_get(x, "ministry"));
        struct ministry rm;
        if (mcode) {
            if (store_ministry_get(l->s, l->tx, l->a, 0, mcode, &rm, e))
                return bad(l, e, "unknown ministry to respond");
            p->response_ministry_id = rm.id;
        }
    }
    x = json_object_get(v, "response");
    if (x) {
        p->has_response = true;
        if ((r = need_str(l, x, "ministry", &p->response.ministry.code, e)) ||
            (r = need_str(l, x, "signed_by", &p->response.signed_by, e)) ||
            /* Optional: the French title, else the English one. */
            (p->response.signed_by_fr = json_string_value(json_object_get(x, "signed_by_fr")),
             false) ||
            (r = need_time(l, x, "tabled", &p->response.tabled_at, e)) ||
            (r = need_bilingual(l, x, NULL, p->response.text, e)))
            return r;
    }
    if ((r = load_counts(l, json_object_get(v, "signatures"), p, e)))
        return r;

    if (p->parliament < 1 || p->parliament > 99)
        return bad(l, e, "parliament must be 1..99");
    /* When it entered its current state: the dissolution for the states
     * dissolution causes, else the latest past date it carries. */
    if ((p->state == PETITION_CLOSED_UPON_DISSOLUTION ||
         p->state == PETITION_NOT_ANSWERED_BEFORE_DISSOLUTION) &&
        l->dissolved_at[p->parliament]) {
        p->state_changed_at = l->dissolved_at[p->parliament];
        if (p->closes_at > p->state_changed_at)
            p->closes_at = p->state_changed_at;
        goto dated;
    }
    int64_t dates[] = {p->opened_at, p->closes_at, p->certified_at, p->presented_at,
                       p->has_response ? p->response.tabled_at : 0};
    for (size_t k = 0; k < sizeof(dates) / sizeof(dates[0]); k++)
        if (dates[k] > p->state_changed_at && dates[k] <= l->now)
            p->state_changed_at = dates[k];
    if (!p->state_changed_at)
        p->state_changed_at = l->now;
dated:
    p->created_at = p->opened_at ? p->opened_at : p->state_changed_at;
    return 0;
}

int
demo_load(struct store *s, const char *text, size_t len, int64_t now, bool *loaded, struct err *e)
{
    struct loader l = {.s = s, .now = now, .where = "file"};
    json_error_t jerr;
    json_t *root = NULL, *v;
    const char *done_mark = NULL;
    size_t i;
    int r;

    *loaded = false;
    l.a = arena_new();
    root = json_loadb(text, len, 0, &jerr);
    if (!root) {
        r = err_set(e, ERR_INVALID, "error.invalid", NULL, "demo data: line %d: %s", jerr.line,
                    jerr.text);
        goto out;
    }
    if (!json_is_true(json_object_get(root, "demo"))) {
        r = err_set(e, ERR_INVALID, "error.invalid", NULL,
                    "demo data: the file must say \"demo\": true");
        goto out;
    }
    if ((r = store_begin(s, &l.tx, e)))
        goto out;
    /* Checked inside the transaction, so two loaders cannot both load. */
    if ((r = store_meta_get(s, l.tx, l.a, "demo_loaded", &done_mark, e)))
        goto rollback;
    if (done_mark) {
        store_rollback(l.tx);
        goto out;
    }
    /* Loading the register is recorded like any staff action. */
    if ((r = flow_audit(l.tx, NULL, "register.import", 0, "demo data", NULL, NULL, l.now, e)))
        goto rollback;
    if ((r = load_parliaments(&l, json_object_get(root, "parliaments"), e)) ||
        (r = load_reference(&l, root, e)))
        goto rollback;
    json_array_foreach(json_object_get(root, "petitions"), i, v)
    {
        struct petition p;
        if ((r = load_petition(&l, v, &p, e)) || (r = store_petition_insert(l.tx, &p, e))) {
            if (r == ERR_CONFLICT || r == ERR_INVALID || r == ERR_NOT_FOUND) {
                char what[sizeof(e->log)] = "";
                if (e)
                    memcpy(what, e->log, sizeof(what));
                r = err_set(e, ERR_INVALID, "error.invalid", NULL, "demo data: %s: %s", l.where,
                            what);
            }
            goto rollback;
        }
    }
    if ((r = store_meta_set(l.tx, "demo_loaded", "data/demo/demo.json", e)) ||
        (r = store_commit(l.tx, e)))
        goto out;
    *loaded = true;
    goto out;
rollback:
    store_rollback(l.tx);
out:
    json_decref(root);
    arena_free(l.a);
    return r;
}
