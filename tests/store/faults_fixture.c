/*
 * faults_fixture.c: the worlds, pictures, scenario and walk of fault
 * points that the fault tests of the use cases share; see
 * faults_fixture.h.
 */
#include "faults_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/embed.h"
#include "mail/mailer.h"
#include "store/faults.h"
#include "workflow/counts.h"
#include "workflow/drafts.h"
#include "workflow/intake.h"
#include "workflow/jurisdiction_file.h"
#include "lib/banned.h"

/* What every world shares, made once by faults_group_setup() and
 * read-only after. */
static struct mailer mailer;
static struct jurisdiction rules;
static unsigned char link_key[TOKEN_KEY_BYTES];

/* ---- a world -------------------------------------------------------------------------------- */

/* The worlds alive, freed by the teardown when a check fails midway. */
enum { LIVE_MAX = 8 };
static struct world *live[LIVE_MAX];

struct world *
world_new(void)
{
    struct world *w = calloc(1, sizeof(*w));
    void *state = NULL;
    assert_non_null(w);
    for (int i = 0;; i++) {
        assert_true(i < LIVE_MAX);
        if (!live[i]) {
            live[i] = w;
            break;
        }
    }
    fx_setup(&state);
    w->fx = state;
    w->s = w->fx->s;
    w->now = w->fx->now;
    wake_init(&w->wake);
    w->flow = (struct flow){.store = w->s,
                            .mailer = &mailer,
                            .rules = &rules,
                            .link_key = link_key,
                            .mail_wake = &w->wake,
                            .changes = &w->changes,
                            .counts = count_mirror_new(w->s)};
    return w;
}

void
world_free(struct world *w)
{
    void *state = w->fx;
    for (int i = 0; i < LIVE_MAX; i++)
        if (live[i] == w)
            live[i] = NULL;
    store_faults_clear(w->s);
    if (w->cleanup)
        w->cleanup(w);
    intake_free(w->intake);
    count_mirror_free(w->flow.counts);
    wake_release(&w->wake);
    fx_teardown(&state);
    free(w);
}

/* cmocka teardown: the worlds a failed check left. */
int
worlds_free(void **state)
{
    (void)state;
    for (int i = 0; i < LIVE_MAX; i++)
        if (live[i])
            world_free(live[i]);
    return 0;
}

int
faults_group_setup(void **state)
{
    static const char *const catalogue[LANG_COUNT] = {"data/i18n/en.json", "data/i18n/fr.json"};
    struct err e = ERR_INIT;
    (void)state;
    for (int i = 0; i < LANG_COUNT; i++) {
        const struct embedded_file *f = embed_find(catalogue[i]);
        assert_non_null(f);
        mailer.messages[i] = json_loadb((const char *)f->data, f->len, 0, NULL);
        assert_non_null(mailer.messages[i]);
    }
    mailer.base_url = BASE_URL;
    if (mailer_init(&mailer, &e) || jurisdiction_load(NULL, &rules, &e)) {
        print_error("%s\n", e.log);
        return -1;
    }
    memset(link_key, 0x5a, sizeof(link_key));
    return 0;
}

int
faults_group_teardown(void **state)
{
    (void)state;
    mailer_release(&mailer);
    for (int i = 0; i < LANG_COUNT; i++)
        json_decref(mailer.messages[i]);
    return 0;
}

/* ---- pictures: what an operation could have written, read through the wrappers ------------ */

struct picture
picture_new(struct world *w)
{
    return (struct picture){.a = w->fx->a};
}

/* A picture that outlives its world. */
struct picture
picture_kept(struct arena *a)
{
    return (struct picture){.a = a};
}

void
picture_add(struct picture *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(len >= 0);
    char *line = arena_alloc(p->a, (size_t)len + 1);
    va_start(ap, fmt);
    vsnprintf(line, (size_t)len + 1, fmt, ap);
    va_end(ap);
    if (p->n == p->cap) {
        int cap = p->cap ? 2 * p->cap : 64;
        const char **l = arena_calloc(p->a, (size_t)cap, sizeof(*l));
        if (p->n)
            memcpy(l, p->lines, (size_t)p->n * sizeof(*l));
        p->lines = l;
        p->cap = cap;
    }
    p->lines[p->n++] = line;
}

static int
line_cmp(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Whether a and b hold the same lines (in any order); if not, print the
 * lines only one of them holds, under the heading what (unless NULL). */
bool
picture_same(struct picture *a, struct picture *b, const char *what)
{
    qsort(a->lines, (size_t)a->n, sizeof(*a->lines), line_cmp);
    qsort(b->lines, (size_t)b->n, sizeof(*b->lines), line_cmp);
    bool same = a->n == b->n;
    for (int i = 0; same && i < a->n; i++)
        same = strcmp(a->lines[i], b->lines[i]) == 0;
    if (same || !what)
        return same;
    print_error("%s: the pictures differ\n", what);
    for (int i = 0, j = 0; i < a->n || j < b->n;) {
        int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->lines[i], b->lines[j]);
        if (c < 0)
            print_error("  - %s\n", a->lines[i++]);
        else if (c > 0)
            print_error("  + %s\n", b->lines[j++]);
        else
            i++, j++;
    }
    return false;
}

const char *
text_or_null(const char *s)
{
    return s ? s : "(null)";
}

/* s on one line ('|' for a newline), with the ids and tokens of our
 * links masked ("/support/#?*"): runs on two stores compare, whatever ids
 * their engines hand out. */
const char *
masked(struct arena *a, const char *s)
{
    size_t base = strlen(BASE_URL), n = 0;
    char *out;
    if (!s)
        return "(null)";
    out = arena_alloc(a, strlen(s) + 1);
    while (*s) {
        if (*s == '\n') {
            out[n++] = '|';
            s++;
            continue;
        }
        if (strncmp(s, BASE_URL, base) != 0) {
            out[n++] = *s++;
            continue;
        }
        memcpy(out + n, s, base);
        n += base;
        s += base;
        while (*s && !strchr(" \t\r\n\"'<>", *s)) {
            if (*s == '?') {
                memcpy(out + n, "?*", 2);
                n += 2;
                while (*s && !strchr(" \t\r\n\"'<>", *s))
                    s++;
            } else if (*s >= '0' && *s <= '9') {
                out[n++] = '#';
                while (*s >= '0' && *s <= '9')
                    s++;
            } else {
                out[n++] = *s++;
            }
        }
    }
    out[n] = '\0';
    return out;
}

/* Every unsent e-mail, whenever due. */
void
picture_outbox(struct world *w, struct picture *p)
{
    struct outbox_mail *m;
    int n;
    FX_OK(w->fx, store_outbox_due(w->s, NULL, p->a, INT64_MAX, 500, &m, &n, E(w)));
    assert_true(n < 500);
    for (int i = 0; i < n; i++) {
        const char *about = "-";
        if (m[i].signature_id) {
            struct signature_record g;
            FX_OK(w->fx, store_signature_get(w->s, NULL, p->a, m[i].signature_id, &g, E(w)));
            about = g.email_key;
        }
        picture_add(p,
                    "outbox %s to=%s <%s> lang=%d at=%lld attempts=%d next=%lld error=%s "
                    "failure=%lld failed=%lld reply=%d %s mailing=%lld signature=%s subject=%s "
                    "body=%s",
                    m[i].kind, m[i].to_addr, text_or_null(m[i].to_name), (int)m[i].lang,
                    (long long)m[i].created_at, m[i].attempts, (long long)m[i].next_try_at,
                    text_or_null(m[i].last_error), (long long)m[i].last_failure_at,
                    (long long)m[i].failed_at, m[i].reply_code, text_or_null(m[i].reply),
                    (long long)m[i].mailing_id, about, masked(p->a, m[i].subject),
                    masked(p->a, m[i].body));
    }
}

/* A petition's signatures and its counts (stored, and recounted: they
 * must agree, and with the counts in memory when it holds them). */
void
picture_signatures(struct world *w, struct picture *p, int64_t petition_id)
{
    struct signature_query q = {.petition_id = petition_id, .limit = 500};
    struct signature_record *g;
    struct petition_recount rc;
    int n;
    FX_OK(w->fx, store_signature_list(w->s, NULL, p->a, &q, &g, &n, E(w)));
    assert_true(n < 500);
    for (int i = 0; i < n; i++)
        picture_add(p,
                    "signature %lld %s <%s> %s %s %s region=%d %s %s lang=%d ip=%s rate=%s "
                    "at=%lld confirmed=%lld review=%d flag=%s reviewed=%lld by=%lld mails=%d "
                    "note=%s",
                    (long long)petition_id, g[i].email_key, g[i].email, g[i].first_name,
                    g[i].last_name, text_or_null(g[i].country), (int)g[i].region,
                    text_or_null(g[i].postal_code), text_or_null(g[i].phone), (int)g[i].lang,
                    text_or_null(g[i].ip), text_or_null(g[i].rate_key), (long long)g[i].created_at,
                    (long long)g[i].confirmed_at, (int)g[i].review, text_or_null(g[i].flag),
                    (long long)g[i].reviewed_at, (long long)g[i].reviewed_by, g[i].mails,
                    text_or_null(g[i].review_note));

    FX_OK(w->fx, store_petition_recount(w->s, NULL, petition_id, &rc, E(w)));
    int64_t sum = 0;
    for (int r = 0; r < REGION_COUNT; r++) {
        assert_int_equal(rc.stored[r], rc.base[r] + rc.rows[r]);
        sum += rc.stored[r];
        if (rc.stored[r])
            picture_add(p, "count %lld region=%d %lld", (long long)petition_id, r,
                        (long long)rc.stored[r]);
    }
    assert_int_equal(rc.stored_total, sum);
    picture_add(p, "total %lld %lld", (long long)petition_id, (long long)sum);

    /* The counts in memory: the entry loaded before moved with what was
     * committed, never with what was not. */
    struct count_snapshot c;
    FX_OK(w->fx, count_mirror_get(w->flow.counts, petition_id, 0, &c, E(w)));
    assert_int_equal(c.total, rc.stored_total);
    assert_memory_equal(c.regions, rc.stored, sizeof(c.regions));
}

/* Every audit record. */
void
picture_audit(struct world *w, struct picture *p)
{
    struct audit_query q = {.limit = 500};
    struct audit_entry *l;
    int n;
    FX_OK(w->fx, store_audit_list(w->s, NULL, p->a, &q, &l, &n, E(w)));
    assert_true(n < 500);
    for (int i = 0; i < n; i++)
        picture_add(p, "audit at=%lld user=%lld %s %s petition=%lld %s reason=%s %s by=%s",
                    (long long)l[i].at, (long long)l[i].user_id, l[i].role, l[i].action,
                    (long long)l[i].petition_id, text_or_null(l[i].target),
                    text_or_null(l[i].reason), text_or_null(l[i].details),
                    text_or_null(l[i].user_email));
}

int
audit_count(struct world *w)
{
    struct audit_query q = {.limit = 500};
    struct audit_entry *l;
    int n;
    FX_OK(w->fx, store_audit_list(w->s, NULL, w->fx->a, &q, &l, &n, E(w)));
    return n;
}

/* The account with that address, or its absence. */
void
picture_user(struct world *w, struct picture *p, const char *email)
{
    struct user u;
    int r = store_user_get(w->s, NULL, p->a, 0, email, &u, E(w));
    if (r == ERR_NOT_FOUND) {
        picture_add(p, "user %s none", email);
        return;
    }
    FX_OK(w->fx, r);
    picture_add(p,
                "user %s role=%d %s %s lang=%d member=%lld ministry=%lld at=%lld activated=%lld "
                "generation=%lld password=%d",
                u.email, (int)u.role, u.first_name, u.last_name, (int)u.lang,
                (long long)u.member_id, (long long)u.ministry_id, (long long)u.created_at,
                (long long)u.activated_at, (long long)u.generation, u.password_hash != NULL);
}

/* A draft, its supporters and its requests to Members. */
void
picture_draft(struct world *w, struct picture *p, int64_t id)
{
    struct draft_record d;
    struct supporter_record *s;
    struct member_request *rq;
    int n;
    FX_OK(w->fx, store_draft_get(w->s, NULL, p->a, id, &d, E(w)));
    picture_add(p,
                "draft state=%d changed=%lld min=%d days=%d member_days=%d max=%d round=%d "
                "submitted=%lld member=%lld asked=%lld authorized=%lld reasons=%s reject=%s %s "
                "petition=%lld e=%ld at=%lld updated=%lld content=%s",
                (int)d.state, (long long)d.state_changed_at, d.supporters_min, d.supporters_days,
                d.member_days, d.members_max, d.round, (long long)d.submitted_at,
                (long long)d.member_id, (long long)d.member_asked_at,
                (long long)d.authorizing_member_id, text_or_null(d.review_reasons),
                text_or_null(d.reject_code), text_or_null(d.reject_text), (long long)d.petition_id,
                d.e_number, (long long)d.created_at, (long long)d.updated_at, d.content);
    FX_OK(w->fx, store_supporter_list(w->s, NULL, p->a, id, &s, &n, E(w)));
    for (int i = 0; i < n; i++)
        picture_add(p,
                    "supporter %s %s %s key=%s invited=%d confirmed=%d at=%lld order=%d phone=%s "
                    "%s %s %s lang=%d at=%lld",
                    s[i].email, s[i].first_name, s[i].last_name, s[i].email_key, s[i].invited_round,
                    s[i].confirmed_round, (long long)s[i].confirmed_at, s[i].confirm_order,
                    text_or_null(s[i].phone), text_or_null(s[i].country),
                    text_or_null(s[i].province), text_or_null(s[i].postal_code), (int)s[i].lang,
                    (long long)s[i].created_at);
    FX_OK(w->fx, store_member_request_list(w->s, NULL, p->a, id, &rq, &n, E(w)));
    for (int i = 0; i < n; i++)
        picture_add(p, "member_request member=%lld asked=%lld answered=%lld %s",
                    (long long)rq[i].member_id, (long long)rq[i].asked_at,
                    (long long)rq[i].answered_at, text_or_null(rq[i].answer));
}

/* ---- the scenario's records ---------------------------------------------------------------- */

/* Two e-petitions (e-1001 open, to the Minister of Foreign Affairs;
 * e-1002 closed three days ago), four signatures, the staff, and the
 * counts in memory loaded for both. */
void
prepare_petitions(struct world *w)
{
    struct fx *f = w->fx;
    struct count_snapshot c;
    fx_ministry(f, "foreign-affairs", "Minister of Foreign Affairs");
    struct petition open = fx_petition_new(f, 1001);
    open.addressee = ADDRESSEE_MINISTER;
    open.addressee_ministry.code = "foreign-affairs";
    w->p_open = fx_petition_insert(f, &open);
    struct petition closed = fx_petition_new(f, 1002);
    closed.state = PETITION_WAITING_FOR_CERTIFICATION;
    closed.opened_at = f->now - 124 * 86400;
    closed.closes_at = f->now - 3 * 86400;
    closed.state_changed_at = closed.closes_at;
    closed.created_at = closed.opened_at - 86400;
    w->p_closed = fx_petition_insert(f, &closed);

    w->sig[0] = fx_signature(f, w->p_open, "pending.one@example.org", REGION_ON, 0);
    w->sig[1] = fx_signature(f, w->p_open, "pending.two@example.org", REGION_BC, 0);
    w->sig[2] = fx_signature(f, w->p_open, "counted@example.org", REGION_ON, f->now - 3600);
    fx_count(f, w->p_open, REGION_ON, 1, f->now - 3600);
    w->sig[3] = fx_signature(f, w->p_closed, "late@example.org", REGION_QC, 0);

    w->admin = fx_user_new(f, "admin@example.org", ROLE_ADMIN);
    fx_user_insert(f, &w->admin);
    w->clerk = fx_user_new(f, "clerk@example.org", ROLE_CLERK);
    fx_user_insert(f, &w->clerk);

    FX_OK(f, count_mirror_get(w->flow.counts, w->p_open, 0, &c, E(w)));
    FX_OK(f, count_mirror_get(w->flow.counts, w->p_closed, 0, &c, E(w)));
}

static const struct draft_supporter supporters[5] = {
    {"Ada", "One", "ada.one@example.org"},   {"Ben", "Two", "ben.two@example.org"},
    {"Cy", "Three", "cy.three@example.org"}, {"Di", "Four", "di.four@example.org"},
    {"Eve", "Five", "eve.five@example.org"},
};

/* A petitioner's draft to the Minister of Foreign Affairs, Member arya
 * to be asked (her account gets the request), five supporters named. */
void
prepare_draft(struct world *w)
{
    struct fx *f = w->fx;
    struct field_errors fe = {0};
    fx_house(f);
    fx_ministry(f, "foreign-affairs", "Minister of Foreign Affairs");
    int64_t member = fx_member(f, "arya", "Arya", "Sharma");
    struct user mu = fx_user_new(f, "arya.sharma@example.org", ROLE_MEMBER);
    mu.member_id = member;
    fx_user_insert(f, &mu);
    w->petitioner = fx_user_new(f, "pat@example.org", ROLE_PETITIONER);
    w->petitioner.first_name = "Pat";
    w->petitioner.last_name = "Petitioner";
    fx_user_insert(f, &w->petitioner);

    struct draft_text t = {
        .lang = LANG_EN,
        .addressee = ADDRESSEE_MINISTER,
        .ministry_code = "foreign-affairs",
        .grievances = {"Whereas the lighthouses of the coast are closing;",
                       "Whereas their keepers save lives;"},
        .grievance_count = 2,
        .prayer = "We call upon the Minister to keep them open.",
        .period_days = 120,
        .member_key = "arya",
    };
    FX_OK(f, drafts_save(&w->flow, f->a, &w->petitioner, &w->draft_id, &t, supporters, 5, &fe,
                         w->now, E(w)));
    struct supporter_record *list;
    int n;
    FX_OK(f, store_supporter_list(w->s, NULL, f->a, w->draft_id, &list, &n, E(w)));
    assert_int_equal(n, 5);
    for (int i = 0; i < 5; i++)
        w->supporter[i] = list[i].id;
}

struct sign_request
signer(const char *first, const char *email, const char *province, const char *postal,
       const char *ip)
{
    return (struct sign_request){
        .person = {.first_name = first,
                   .last_name = "Signer",
                   .email = email,
                   .country = "Canada",
                   .province = province,
                   .postal_code = postal,
                   .phone = "613-555-0199",
                   .eligible = true,
                   .terms = true},
        .lang = LANG_EN,
        .ip = ip,
        .rate_key = ip,
    };
}

/* ---- the walk of fault points --------------------------------------------------------------- */

/*
 * do_faultsim_test: for each n, a fresh world whose n-th call (or, with
 * commits, n-th commit) fails.  The operation must report ERR_STORE and
 * leave the picture as before, and the next attempt must work; or,
 * having swallowed the fault, still end as a run without faults does.
 * The walk ends when the operation completes without reaching the fault.
 * Returns how many faults were walked.
 */
static int
faultsim_walk(const struct faultsim *fs, bool commits, struct picture *want)
{
    int walked = 0;
    for (long n = 1;; n++) {
        struct world *w = world_new();
        struct err e = ERR_INIT;
        struct picture before = picture_new(w), after = picture_new(w);
        fs->prepare(w);
        fs->picture(w, &before);
        if (commits)
            store_faults_fail_commit(w->s, n);
        else
            store_faults_fail_call(w->s, n);
        int r = fs->run(w, &e);
        bool reached = !store_faults_pending(w->s);
        store_faults_clear(w->s);
        fs->picture(w, &after);
        if (!reached) {
            if (r)
                fail_msg("%s: failed without a fault: %s", fs->name, e.log);
            PICTURE_SAME(want, &after, "%s: no fault reached", fs->name);
            world_free(w);
            return walked;
        }
        walked++;
        bool failed = r != 0;
        if (failed) {
            if (r != ERR_STORE)
                fail_msg("%s, %s %ld failing: %s (%d) instead of ERR_STORE: %s", fs->name,
                         commits ? "commit" : "call", n, err_code_name((enum err_code)r), r, e.log);
            PICTURE_SAME(&before, &after, "%s, %s %ld failing: half-written", fs->name,
                         commits ? "commit" : "call", n);
            e = (struct err)ERR_INIT;
            if ((r = fs->run(w, &e)))
                fail_msg("%s, after %s %ld failed: the next attempt fails: %s", fs->name,
                         commits ? "commit" : "call", n, e.log);
            after = picture_new(w);
            fs->picture(w, &after);
        }
        PICTURE_SAME(want, &after, "%s, %s %ld failing: %s", fs->name, commits ? "commit" : "call",
                     n, failed ? "then again" : "the fault swallowed");
        world_free(w);
    }
}

/* The whole walk: a reference run, then every call and every commit. */
void
faultsim(const struct faultsim *fs)
{
    struct world *ref = world_new();
    struct err e = ERR_INIT;
    struct picture want = picture_new(ref), before = picture_new(ref);
    fs->prepare(ref);
    fs->picture(ref, &before);
    if (fs->run(ref, &e))
        fail_msg("%s: fails without faults: %s", fs->name, e.log);
    fs->picture(ref, &want);
    assert_false(picture_same(&before, &want, NULL));
    int calls = faultsim_walk(fs, false, &want);
    int commits = faultsim_walk(fs, true, &want);
    print_message("# %s: %d call faults, %d commit faults walked\n", fs->name, calls, commits);
    assert_true(calls > 0 && commits > 0);
    world_free(ref);
}
