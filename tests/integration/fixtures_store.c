/*
 * fixtures_store.c: the database helpers of the integration tests, read
 * and written through the store on the harness's database; see
 * fixtures.h.  The few that need the engine itself are dispatched by
 * fixtures_engine.c.
 *
 * Each helper measures exactly what a test used to ask of the database in
 * SQL: the same rows under the same conditions, walked through the
 * store's reads (every petition, every signature of an e-petition, every
 * audit record, page by page) and compared here in C.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/email.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "fixtures.h"
#include "lib/banned.h"

enum { PAGE = 500 }; /* the most a store list gives at once */

/* ---- the store --------------------------------------------------------------------------- */

static pthread_mutex_t store_mu = PTHREAD_MUTEX_INITIALIZER;

/* h's store, opened on first use; NULL (e says why) when it cannot be. */
static struct store *
store_get(struct harness *h, struct err *e)
{
    pthread_mutex_lock(&store_mu);
    if (!h->store && store_open(h->db, false, &h->store, e))
        h->store = NULL;
    struct store *s = h->store;
    pthread_mutex_unlock(&store_mu);
    return s;
}

struct store *
fixture_store(struct harness *h)
{
    struct err e = ERR_INIT;
    struct store *s = store_get(h, &e);
    if (!s)
        fail_msg("store_open %s: %s", h->db, e.log);
    return s;
}

/* Fail the test with the store's words when r is not 0. */
static void
ok(int r, const char *what, const struct err *e)
{
    if (r)
        fail_msg("%s: %s (%s)", what, e->log, err_code_name((enum err_code)r));
}

/* A transaction on h's store; with an audit record of petitiond's own
 * ("fixture.<what>") when audited, for the writes the audit guard
 * refuses without one. */
static struct store_txn *
begin(struct harness *h, const char *what, bool audited, int64_t petition_id, const char *target)
{
    struct store_txn *t;
    struct err e = ERR_INIT;
    ok(store_begin(fixture_store(h), &t, &e), "store_begin", &e);
    if (audited) {
        char action[64];
        snprintf(action, sizeof(action), "fixture.%s", what);
        struct audit_entry rec = {.at = (int64_t)time(NULL),
                                  .role = "system",
                                  .action = action,
                                  .petition_id = petition_id,
                                  .target = target ? target : ""};
        int r = store_audit_append(t, &rec, &e);
        if (r)
            store_rollback(t);
        ok(r, "store_audit_append", &e);
    }
    return t;
}

static void
commit(struct store_txn *t, const char *what, int r, const struct err *e)
{
    if (r) {
        store_rollback(t);
        ok(r, what, e);
    }
    struct err ce = ERR_INIT;
    ok(store_commit(t, &ce), "store_commit", &ce);
}

/* True when s starts with prefix, ASCII case ignored (LIKE 'prefix%'). */
static bool
starts_with(const char *s, const char *prefix)
{
    return s && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* True when s ends with suffix, ASCII case ignored (LIKE '%suffix'). */
static bool
ends_with(const char *s, const char *suffix)
{
    size_t n = s ? strlen(s) : 0, k = strlen(suffix);
    return s && n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* True when s contains words, ASCII case ignored (LIKE '%words%'). */
static bool
contains(const char *s, const char *words)
{
    for (size_t k = strlen(words); s && *s; s++)
        if (strncasecmp(s, words, k) == 0)
            return true;
    return false;
}

static bool
blank(const char *s)
{
    return !s || !*s;
}

/* True when key is "erased:<id>", as the erasure writes it. */
static bool
erased_key(const char *key, int64_t id)
{
    char want[32];
    snprintf(want, sizeof(want), "erased:%lld", (long long)id);
    return key && strcmp(key, want) == 0;
}

/* ---- petitions ---------------------------------------------------------------------------- */

/* E-petition e_number in full, in a. */
static void
petition_read(struct harness *h, struct arena *a, long e_number, struct petition *out)
{
    struct err e = ERR_INIT;
    struct petition_number n = {.kind = PETITION_NUMBER_E, .e_number = e_number};
    int r = store_petition_get(fixture_store(h), NULL, a, &n, out, &e);
    if (r)
        fail_msg("e-%ld: %s", e_number, e.log);
}

/* What the register holds of an e-petition, in numbers. */
struct petition_numbers {
    int64_t id;
    enum petition_state state;
    int64_t closes_at, state_changed_at, erased_at, total;
};

static struct petition_numbers
petition_numbers(struct harness *h, long e_number)
{
    struct arena *a = arena_new();
    struct petition p;
    petition_read(h, a, e_number, &p);
    arena_free(a);
    return (struct petition_numbers){.id = p.id,
                                     .state = p.state,
                                     .closes_at = p.closes_at,
                                     .state_changed_at = p.state_changed_at,
                                     .erased_at = p.erased_at,
                                     .total = p.signature_total};
}

int64_t
fixture_petition_id(struct harness *h, long e_number)
{
    return petition_numbers(h, e_number).id;
}

enum petition_state
fixture_petition_state(struct harness *h, long e_number)
{
    return petition_numbers(h, e_number).state;
}

int64_t
fixture_petition_closes_at(struct harness *h, long e_number)
{
    return petition_numbers(h, e_number).closes_at;
}

int64_t
fixture_petition_state_changed_at(struct harness *h, long e_number)
{
    return petition_numbers(h, e_number).state_changed_at;
}

int64_t
fixture_petition_erased_at(struct harness *h, long e_number)
{
    return petition_numbers(h, e_number).erased_at;
}

int64_t
fixture_petition_total(struct harness *h, long e_number)
{
    return petition_numbers(h, e_number).total;
}

bool
fixture_petition_exists(struct harness *h, long e_number)
{
    struct err e = ERR_INIT;
    struct arena *a = arena_new();
    struct petition p;
    struct petition_number n = {.kind = PETITION_NUMBER_E, .e_number = e_number};
    int r = store_petition_get(fixture_store(h), NULL, a, &n, &p, &e);
    arena_free(a);
    if (r && r != ERR_NOT_FOUND)
        ok(r, "store_petition_get", &e);
    return r == 0;
}

/* Every petition of the register in full, in a: the numbers of all of
 * them (no filter, any state), then each read. */
static int
petitions_all(struct harness *h, struct arena *a, struct petition **out)
{
    struct err e = ERR_INIT;
    struct store *s = fixture_store(h);
    struct petition_query q = {.sort = SORT_OLDEST};
    struct petition_number *nums;
    int n;
    ok(store_petition_numbers(s, NULL, a, &q, &nums, &n, &e), "store_petition_numbers", &e);
    *out = arena_calloc(a, (size_t)(n ? n : 1), sizeof(**out));
    for (int i = 0; i < n; i++)
        ok(store_petition_get(s, NULL, a, &nums[i], &(*out)[i], &e), "store_petition_get", &e);
    return n;
}

void
fixture_register_count(struct harness *h, struct fixture_register *out)
{
    struct arena *a = arena_new();
    struct petition *all;
    int n = petitions_all(h, a, &all);
    memset(out, 0, sizeof(*out));
    out->petitions = n;
    for (int i = 0; i < n; i++) {
        const struct petition *p = &all[i];
        out->events += p->event_count;
        out->not_demo += !p->is_demo;
        out->erased += p->erased_at != 0;
        if (p->kind == PETITION_ELECTRONIC) {
            int64_t sum = 0;
            for (int r = 0; r < REGION_COUNT; r++)
                sum += p->region_counts[r];
            out->totals_off += p->signature_total != sum;
        }
    }
    arena_free(a);
}

char *
fixture_petition_text(struct harness *h, long e_number, enum lang lang)
{
    struct arena *a = arena_new();
    struct petition p;
    petition_read(h, a, e_number, &p);
    size_t n = strlen(p.prayer[lang] ? p.prayer[lang] : "") + 1;
    for (int i = 0; i < p.grievance_count; i++)
        n += strlen(p.grievances[i].text[lang] ? p.grievances[i].text[lang] : "") + 1;
    char *text = malloc(n);
    assert_non_null(text);
    size_t at = (size_t)snprintf(text, n, "%s", p.prayer[lang] ? p.prayer[lang] : "");
    for (int i = 0; i < p.grievance_count; i++)
        at += (size_t)snprintf(text + at, n - at, "%s%s", i ? "," : "",
                               p.grievances[i].text[lang] ? p.grievances[i].text[lang] : "");
    arena_free(a);
    return text;
}

void
fixture_paper_number(struct harness *h, const char *words, char *out, size_t size)
{
    struct arena *a = arena_new();
    struct petition *all;
    int n = petitions_all(h, a, &all);
    const struct petition *best = NULL;
    for (int i = 0; i < n; i++) {
        const char *prayer = all[i].prayer[LANG_EN];
        if (contains(prayer, words) && (!best || all[i].id < best->id))
            best = &all[i];
    }
    out[0] = '\0';
    if (best && best->has_presented_number)
        snprintf(out, size, "%02d%d-%05d", best->presented_number.parliament,
                 best->presented_number.session, best->presented_number.sequence);
    arena_free(a);
}

void
fixture_petition_state_set(struct harness *h, long e_number, enum petition_state state, int64_t now)
{
    char target[32];
    snprintf(target, sizeof(target), "e-%ld", e_number);
    int64_t id = fixture_petition_id(h, e_number);
    struct err e = ERR_INIT;
    struct store_txn *t = begin(h, "petition_state", true, id, target);
    commit(t, "store_petition_set_state", store_petition_set_state(t, id, state, now, &e), &e);
}

void
fixture_petition_recount(struct harness *h, long e_number, struct petition_recount *out)
{
    struct err e = ERR_INIT;
    ok(store_petition_recount(fixture_store(h), NULL, fixture_petition_id(h, e_number), out, &e),
       "store_petition_recount", &e);
}

/* ---- signatures ----------------------------------------------------------------------------- */

/* The ids of the e-petitions a signature walk visits: e_number's, or
 * every e-petition's when it is 0. */
static int
walk_ids(struct harness *h, struct arena *a, long e_number, int64_t **ids)
{
    struct err e = ERR_INIT;
    int n;
    if (e_number) {
        *ids = arena_alloc(a, sizeof(**ids));
        (*ids)[0] = fixture_petition_id(h, e_number);
        return 1;
    }
    ok(store_petition_e_ids(fixture_store(h), NULL, a, ids, &n, &e), "store_petition_e_ids", &e);
    return n;
}

/* Append every signature row of petition id to *rows (n of them, room
 * for *cap), by id, page by page. */
static void
walk_petition(struct harness *h, struct arena *a, int64_t id, struct signature_record **rows,
              int *n, int *cap)
{
    struct err e = ERR_INIT;
    struct signature_query q = {.petition_id = id, .limit = PAGE};
    for (;;) {
        struct signature_record *page;
        int got;
        ok(store_signature_list(fixture_store(h), NULL, a, &q, &page, &got, &e),
           "store_signature_list", &e);
        if (*n + got > *cap) {
            int want = (*n + got) * 2;
            *rows = arena_realloc(a, *rows, (size_t)*cap * sizeof(**rows),
                                  (size_t)want * sizeof(**rows));
            *cap = want;
        }
        if (got)
            memcpy(*rows + *n, page, (size_t)got * sizeof(*page));
        *n += got;
        if (got < PAGE)
            return;
        q.after_id = page[got - 1].id;
    }
}

/* Every signature row of e_number (0: of every e-petition), petition by
 * petition, each by id. */
static int
walk(struct harness *h, struct arena *a, long e_number, struct signature_record **out)
{
    int64_t *ids;
    int k = walk_ids(h, a, e_number, &ids), n = 0, cap = 0;
    *out = NULL;
    for (int i = 0; i < k; i++)
        walk_petition(h, a, ids[i], out, &n, &cap);
    return n;
}

int
fixture_signatures(struct harness *h, struct arena *a, long e_number, struct signature_record **out)
{
    return walk(h, a, e_number, out);
}

static bool
signature_matches(const struct signature_record *g, const struct signature_match *m)
{
    if (m->email && (!g->email || strcmp(g->email, m->email) != 0))
        return false;
    if (m->email_prefix && !starts_with(g->email, m->email_prefix))
        return false;
    if (m->email_suffix && !ends_with(g->email, m->email_suffix))
        return false;
    if (m->first_name && (!g->first_name || strcmp(g->first_name, m->first_name) != 0))
        return false;
    if (m->has_review && g->review != m->review)
        return false;
    if (m->review_note && (!g->review_note || strcmp(g->review_note, m->review_note) != 0))
        return false;
    if (m->erased &&
        !(blank(g->email) && blank(g->first_name) && blank(g->last_name) && blank(g->postal_code) &&
          blank(g->phone) && blank(g->ip) && blank(g->rate_key) && erased_key(g->email_key, g->id)))
        return false;
    if (m->reachable && (blank(g->ip) || blank(g->phone)))
        return false;
    return true;
}

int64_t
fixture_signature_count(struct harness *h, const struct signature_match *m)
{
    struct arena *a = arena_new();
    struct signature_record *rows;
    int n = walk(h, a, m->e_number, &rows);
    int64_t count = 0;
    for (int i = 0; i < n; i++)
        count += signature_matches(&rows[i], m);
    arena_free(a);
    return count;
}

int
fixture_signature_find(struct harness *h, long e_number, const char *email, int64_t *id)
{
    struct err e = ERR_INIT;
    struct store *s = store_get(h, &e);
    struct arena *a = arena_new();
    char key[EMAIL_MAX + 1];
    struct petition p;
    int64_t *ids = NULL;
    int k = 0, r = -1;

    *id = 0;
    if (!s || email_key(email, strlen(email), key))
        goto out;
    if (e_number) {
        struct petition_number n = {.kind = PETITION_NUMBER_E, .e_number = e_number};
        if (store_petition_get(s, NULL, a, &n, &p, &e))
            goto out;
        ids = &p.id;
        k = 1;
    } else if (store_petition_e_ids(s, NULL, a, &ids, &k, &e)) {
        goto out;
    }
    for (int i = 0; i < k; i++) {
        struct signature_record g;
        int rc = store_signature_find(s, NULL, a, ids[i], key, &g, &e);
        if (rc == ERR_NOT_FOUND)
            continue;
        if (rc)
            goto out;
        if (strcmp(g.email, email) == 0 && (!*id || g.id < *id))
            *id = g.id;
    }
    r = 0;
out:
    arena_free(a);
    return r;
}

int64_t
fixture_signature_id(struct harness *h, long e_number, const char *email)
{
    int64_t id;
    if (fixture_signature_find(h, e_number, email, &id))
        fail_msg("cannot look up the signature of %s on e-%ld", email, e_number);
    return id;
}

void
fixture_signatures_add(struct harness *h, long e_number, struct signature_record *rows, int n)
{
    struct err e = ERR_INIT;
    int64_t id = fixture_petition_id(h, e_number);
    struct store_txn *t = begin(h, "signatures", false, 0, NULL);
    int r = 0;
    for (int i = 0; i < n && !r; i++) {
        rows[i].petition_id = id;
        r = store_signature_insert(t, &rows[i], &e);
    }
    commit(t, "store_signature_insert", r, &e);
}

void
fixture_signatories_add(struct harness *h, long e_number, const char *prefix, int n, int64_t now)
{
    struct arena *a = arena_new();
    struct signature_record *rows = arena_calloc(a, (size_t)n, sizeof(*rows));
    for (int i = 0; i < n; i++) {
        const char *email = arena_printf(a, "%s%d@example.org", prefix, i + 1);
        rows[i] = (struct signature_record){.email_key = email,
                                            .email = email,
                                            .first_name = "Sig",
                                            .last_name = "Natory",
                                            .country = "Canada",
                                            .region = REGION_ON,
                                            .postal_code = "K1A 0A6",
                                            .phone = "613-555-0100",
                                            .lang = LANG_EN,
                                            .ip = "192.0.2.1",
                                            .rate_key = "192.0.2.1",
                                            .created_at = now - 86400 * 20,
                                            .confirmed_at = now - 86400 * 19,
                                            .review = REVIEW_CLEAR,
                                            .mails = 1};
    }
    fixture_signatures_add(h, e_number, rows, n);
    arena_free(a);
}

void
fixture_petition_queue(struct harness *h, long e_number, int64_t at)
{
    struct err e = ERR_INIT;
    int64_t id = fixture_petition_id(h, e_number);
    struct store_txn *t = begin(h, "queue", false, 0, NULL);
    commit(t, "store_petition_set_queued", store_petition_set_queued(t, id, at, &e), &e);
}

/* Order rows by petition, then e-mail key. */
static int
by_person(const void *x, const void *y)
{
    const struct signature_record *a = x, *b = y;
    if (a->petition_id != b->petition_id)
        return a->petition_id < b->petition_id ? -1 : 1;
    return strcmp(a->email_key, b->email_key);
}

int64_t
fixture_signature_duplicates(struct harness *h)
{
    struct arena *a = arena_new();
    struct signature_record *rows;
    int n = walk(h, a, 0, &rows);
    int64_t extra = 0;
    if (n > 1)
        qsort(rows, (size_t)n, sizeof(*rows), by_person);
    for (int i = 1; i < n; i++)
        extra += by_person(&rows[i - 1], &rows[i]) == 0;
    arena_free(a);
    return extra;
}

/* ---- the audit log -----------------------------------------------------------------------------
 */

/* True when details (a JSON object) holds d. */
static bool
detail_holds(const char *details, const struct audit_detail *d)
{
    json_t *root = json_loads(details ? details : "{}", 0, NULL);
    json_t *v = root;
    char path[128];
    snprintf(path, sizeof(path), "%s", d->path);
    for (char *key = path, *dot; v && key; key = dot ? dot + 1 : NULL) {
        dot = strchr(key, '.');
        if (dot)
            *dot = '\0';
        v = json_is_object(v) ? json_object_get(v, key) : NULL;
    }
    bool holds;
    if (!v)
        holds = false;
    else if (d->text)
        holds = json_is_string(v) && strcmp(json_string_value(v), d->text) == 0;
    else if (json_is_integer(v))
        holds = json_integer_value(v) == d->number;
    else if (json_is_real(v))
        holds = json_real_value(v) == (double)d->number;
    else if (json_is_boolean(v)) /* json_extract() reads true and false as 1 and 0 */
        holds = (json_is_true(v) ? 1 : 0) == d->number;
    else
        holds = false;
    json_decref(root);
    return holds;
}

static bool
audit_matches(const struct audit_entry *x, const struct audit_match *m, int64_t petition)
{
    if (!m)
        return true;
    if (m->action && strcmp(x->action, m->action) != 0)
        return false;
    if (m->action_prefix && !starts_with(x->action, m->action_prefix))
        return false;
    if (m->target && strcmp(x->target, m->target) != 0)
        return false;
    if (m->target_prefix && !starts_with(x->target, m->target_prefix))
        return false;
    if (m->reason && strcmp(x->reason, m->reason) != 0)
        return false;
    if (m->role && strcmp(x->role, m->role) != 0)
        return false;
    if (m->by_system && x->user_id != 0)
        return false;
    if (m->e_number && x->petition_id != petition)
        return false;
    if (m->no_petition && x->petition_id != 0)
        return false;
    for (size_t i = 0; i < sizeof(m->details) / sizeof(m->details[0]) && m->details[i].path; i++)
        if (!detail_holds(x->details, &m->details[i]))
            return false;
    return true;
}

int64_t
fixture_audit_count(struct harness *h, const struct audit_match *m)
{
    struct err e = ERR_INIT;
    int64_t petition = m && m->e_number ? fixture_petition_id(h, m->e_number) : 0;
    struct audit_query q = {.limit = PAGE};
    int64_t count = 0;
    for (;;) {
        struct arena *a = arena_new();
        struct audit_entry *page;
        int n;
        int r = store_audit_list(fixture_store(h), NULL, a, &q, &page, &n, &e);
        if (r)
            arena_free(a);
        ok(r, "store_audit_list", &e);
        for (int i = 0; i < n; i++)
            count += audit_matches(&page[i], m, petition);
        q.before_id = n ? page[n - 1].id : 0;
        arena_free(a);
        if (n < PAGE)
            return count;
    }
}

/* ---- accounts, drafts and supporters ------------------------------------------------------------
 */

int64_t
fixture_user_add(struct harness *h, struct user *u)
{
    struct err e = ERR_INIT;
    struct store_txn *t = begin(h, "user", u->role != ROLE_PETITIONER, 0, NULL);
    commit(t, "store_user_insert", store_user_insert(t, u, &e), &e);
    return u->id;
}

int64_t
fixture_user_id(struct harness *h, const char *email)
{
    struct err e = ERR_INIT;
    struct arena *a = arena_new();
    struct user u;
    int r = store_user_get(fixture_store(h), NULL, a, 0, email, &u, &e);
    arena_free(a);
    ok(r, email, &e);
    return u.id;
}

int64_t
fixture_member_id(struct harness *h, const char *key)
{
    struct err e = ERR_INIT;
    struct arena *a = arena_new();
    struct member m;
    int r = store_member_get(fixture_store(h), NULL, a, 0, key, &m, &e);
    arena_free(a);
    ok(r, key, &e);
    return m.id;
}

int64_t
fixture_draft_add(struct harness *h, struct draft_record *d)
{
    struct err e = ERR_INIT;
    struct store_txn *t = begin(h, "draft", false, 0, NULL);
    commit(t, "store_draft_insert", store_draft_insert(t, d, &e), &e);
    return d->id;
}

int64_t
fixture_supporter_add(struct harness *h, struct supporter_record *r)
{
    struct err e = ERR_INIT;
    struct store_txn *t = begin(h, "supporter", false, 0, NULL);
    int rc = store_supporter_insert(t, r, &e);
    if (!rc)
        rc = store_supporter_update(t, r, &e);
    commit(t, "store_supporter_insert", rc, &e);
    return r->id;
}

/* Every draft (at most 500), in a. */
static int
drafts_all(struct harness *h, struct arena *a, const struct draft_query *q,
           struct draft_record **out)
{
    struct err e = ERR_INIT;
    int n;
    ok(store_draft_list(fixture_store(h), NULL, a, q, out, &n, &e), "store_draft_list", &e);
    if (n >= PAGE)
        fail_msg("more than %d drafts: a fixture counts no further", PAGE - 1);
    return n;
}

int64_t
fixture_draft_count(struct harness *h, enum petition_state state)
{
    struct arena *a = arena_new();
    struct draft_query q = {.has_state = true, .state = state, .limit = PAGE};
    struct draft_record *d;
    int n = drafts_all(h, a, &q, &d);
    arena_free(a);
    return n;
}

int64_t
fixture_supporter_count(struct harness *h, const struct supporter_match *m)
{
    struct err e = ERR_INIT;
    struct arena *a = arena_new();
    struct draft_query q = {.limit = PAGE};
    struct draft_record *d;
    int drafts = drafts_all(h, a, &q, &d);
    int64_t count = 0;
    for (int i = 0; i < drafts; i++) {
        struct supporter_record *r;
        int n;
        ok(store_supporter_list(fixture_store(h), NULL, a, d[i].id, &r, &n, &e),
           "store_supporter_list", &e);
        for (int k = 0; k < n; k++) {
            if (m->email && strcmp(r[k].email, m->email) != 0)
                continue;
            if (m->erased &&
                !(blank(r[k].first_name) && blank(r[k].last_name) && blank(r[k].email) &&
                  erased_key(r[k].email_key, r[k].id) && !r[k].phone && !r[k].postal_code))
                continue;
            count++;
        }
    }
    arena_free(a);
    return count;
}

/* ---- the House ----------------------------------------------------------------------------------
 */

int64_t
fixture_sitting_day_count(struct harness *h)
{
    struct err e = ERR_INIT;
    struct arena *a = arena_new();
    sitting_day *days;
    int n;
    ok(store_sitting_days(fixture_store(h), NULL, a, "", 1000000, &days, &n, &e),
       "store_sitting_days", &e);
    arena_free(a);
    return n;
}

int64_t
fixture_response_drafts_unready(struct harness *h)
{
    struct err e = ERR_INIT;
    struct arena *a = arena_new();
    struct petition *all;
    int n = petitions_all(h, a, &all);
    int64_t count = 0;
    for (int i = 0; i < n; i++) {
        struct response_draft d;
        int r = store_response_draft_get(fixture_store(h), NULL, a, all[i].id, &d, &e);
        if (r == ERR_NOT_FOUND)
            continue;
        ok(r, "store_response_draft_get", &e);
        count += d.ready_at == 0;
    }
    arena_free(a);
    return count;
}

int64_t
fixture_parliaments_sitting(struct harness *h)
{
    struct err e = ERR_INIT;
    struct arena *a = arena_new();
    struct parliament *p;
    int n;
    int64_t count = 0;
    ok(store_parliament_list(fixture_store(h), NULL, a, &p, &n, &e), "store_parliament_list", &e);
    for (int i = 0; i < n; i++)
        count += p[i].dissolved_at == 0;
    arena_free(a);
    return count;
}

/* ---- e-mail -------------------------------------------------------------------------------------
 */

bool
fixture_mailing_open(struct harness *h)
{
    struct err e = ERR_INIT;
    struct arena *a = arena_new();
    struct mailing m;
    int r = store_mailing_open(fixture_store(h), NULL, a, &m, &e);
    arena_free(a);
    if (r && r != ERR_NOT_FOUND)
        ok(r, "store_mailing_open", &e);
    return r == 0;
}

int64_t
fixture_outbox_unsent(struct harness *h)
{
    struct err e = ERR_INIT;
    struct arena *a = arena_new();
    struct outbox_mail *m;
    int n;
    /* Due by the end of time: every unsent e-mail. */
    ok(store_outbox_due(fixture_store(h), NULL, a, INT64_MAX, PAGE, &m, &n, &e), "store_outbox_due",
       &e);
    arena_free(a);
    return n;
}

bool
fixture_outbox_mail(struct harness *h, const char *to_addr, struct fixture_mail *out)
{
    struct err e = ERR_INIT;
    struct arena *a = arena_new();
    struct outbox_mail *m;
    int n;
    bool found = false;
    int64_t latest = 0;
    ok(store_outbox_due(fixture_store(h), NULL, a, INT64_MAX, PAGE, &m, &n, &e), "store_outbox_due",
       &e);
    memset(out, 0, sizeof(*out));
    for (int i = 0; i < n; i++) {
        if (strcmp(m[i].to_addr, to_addr) != 0 || (found && m[i].id < latest))
            continue;
        found = true;
        latest = m[i].id;
        snprintf(out->kind, sizeof(out->kind), "%s", m[i].kind);
        out->attempts = m[i].attempts;
        out->next_try_at = m[i].next_try_at;
        out->last_failure_at = m[i].last_failure_at;
        out->failed_at = m[i].failed_at;
        out->reply_code = m[i].reply_code;
        snprintf(out->reply, sizeof(out->reply), "%s", m[i].reply ? m[i].reply : "");
        snprintf(out->last_error, sizeof(out->last_error), "%s",
                 m[i].last_error ? m[i].last_error : "");
    }
    arena_free(a);
    return found;
}

/* ---- settings -----------------------------------------------------------------------------------
 */

long
fixture_lease_holder(struct harness *h, const char *name, int64_t *until)
{
    struct err e = ERR_INIT;
    struct arena *a = arena_new();
    const char *holder = NULL;
    int64_t u = 0;
    int r = store_lease_get(fixture_store(h), NULL, a, name, &holder, &u, &e);
    /* A node's name is HOST/PID (src/cmd/serve.c). */
    const char *slash = !r && holder ? strrchr(holder, '/') : NULL;
    long pid = slash ? strtol(slash + 1, NULL, 10) : 0;
    arena_free(a);
    ok(r, "store_lease_get", &e);
    if (until)
        *until = u;
    return pid;
}

char *
fixture_meta(struct harness *h, const char *key)
{
    struct err e = ERR_INIT;
    struct arena *a = arena_new();
    const char *v;
    int r = store_meta_get(fixture_store(h), NULL, a, key, &v, &e);
    char *copy = !r && v ? strdup(v) : NULL;
    arena_free(a);
    ok(r, "store_meta_get", &e);
    return copy;
}
