/*
 * mail_test.c: the outbox and the mailings to many (store/mail.h): an
 * e-mail round-trips, is due at once when queued, then when its time
 * comes, earliest first (ties by id), until sent, and a failure puts it
 * off with the relay's reply kept, or fails it for good; the outbox's
 * health counts what waits, what failed lately and for good and the last
 * delivery; the failed e-mails are listed latest first without address
 * or text; a mailing opens, lists its sources in order, gathers its
 * recipients merged per e-mail key (one e-mail per person, labelled with
 * every petition), from named ones, confirmed supporters and counted
 * signatures in chunks that walk every row, keeps its cursor,
 * hands out batches by key, marks them queued, reports its progress and is
 * done.
 */
#include "store_fixture.h"

#include <string.h>

#include "lib/banned.h"

/* An e-mail queued at `at`, to be tried then. */
static struct outbox_mail
mail(struct fx *f, const char *to, int64_t at)
{
    (void)f;
    struct outbox_mail m = {.created_at = at,
                            .kind = "supporter-invitation",
                            .to_addr = to,
                            .to_name = "",
                            .lang = LANG_EN,
                            .subject = "Subject",
                            .body = "Body",
                            .next_try_at = at};
    return m;
}

static int64_t
queue(struct fx *f, struct outbox_mail *m)
{
    FX_WRITE(f, store_outbox_insert(t, m, &f->e));
    assert_true(m->id != 0);
    return m->id;
}

static void
mail_round_trips_and_is_due_in_order(void **state)
{
    struct fx *f = *state;
    struct outbox_mail m = mail(f, "Zoé <zoe@example.org>", f->now);
    m.to_addr = "zoe@example.org";
    m.to_name = "Zoé Zed";
    m.lang = LANG_FR;
    m.kind = "activation";
    m.subject = "Activez votre compte « pétitions »";
    m.body = "Bonjour,\n\nLien : https://example.org/a\n";
    int64_t a = queue(f, &m);
    struct outbox_mail later = mail(f, "later@example.org", f->now);
    queue(f, &later);
    struct outbox_failure timeout = {
        .at = f->now, .next_try_at = f->now + 3600, .error = "timeout"};
    FX_WRITE(f, store_outbox_failed(t, later.id, &timeout, &f->e));
    struct outbox_mail early = mail(f, "early@example.org", f->now - 60);
    int64_t b = queue(f, &early);
    struct outbox_mail tie = mail(f, "tie@example.org", f->now); /* same time as a: by id */
    int64_t c = queue(f, &tie);

    struct outbox_mail *list;
    int n;
    FX_OK(f, store_outbox_due(f->s, NULL, f->a, f->now, 10, &list, &n, &f->e));
    assert_int_equal(n, 3);
    assert_int_equal(list[0].id, b);
    assert_int_equal(list[1].id, a);
    assert_int_equal(list[2].id, c);
    struct outbox_mail *g = &list[1];
    assert_int_equal(g->created_at, f->now);
    assert_string_equal(g->kind, "activation");
    assert_string_equal(g->to_addr, "zoe@example.org");
    assert_string_equal(g->to_name, "Zoé Zed");
    assert_int_equal(g->lang, LANG_FR);
    assert_string_equal(g->subject, m.subject);
    assert_string_equal(g->body, m.body);
    assert_int_equal(g->attempts, 0);
    assert_int_equal(g->next_try_at, f->now);
    assert_int_equal(g->sent_at, 0);
    assert_null(g->last_error);
    assert_int_equal(g->mailing_id, 0);
    assert_int_equal(g->signature_id, 0);
    assert_int_equal(g->last_failure_at, 0);
    assert_int_equal(g->failed_at, 0);
    assert_int_equal(g->reply_code, 0);
    assert_null(g->reply);

    FX_OK(f, store_outbox_due(f->s, NULL, f->a, f->now, 2, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(list[1].id, a);
    FX_OK(f, store_outbox_due(f->s, NULL, f->a, f->now + 3600, 10, &list, &n, &f->e));
    assert_int_equal(n, 4);
}

static void
many_mails_as_one_by_one(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_petition(f, 1);
    int64_t sig = fx_signature(f, pid, "a@example.org", REGION_ON, 0);
    struct outbox_mail m[3] = {mail(f, "a@example.org", f->now), mail(f, "b@example.org", f->now),
                               mail(f, "c@example.org", f->now - 5)};
    m[0].kind = "signature-confirm";
    m[0].subject = m[0].body = "";
    m[0].signature_id = sig;
    m[0].to_name = "Zoé \"Z\" {Zed}, \\";
    m[1].lang = LANG_FR;
    m[1].body = "Bonjour,\n\n« NULL »\n";
    m[2].to_name = NULL;
    FX_WRITE(f, store_outbox_insert_many(t, m, 3, &f->e));

    struct outbox_mail *list;
    int n;
    FX_OK(f, store_outbox_due(f->s, NULL, f->a, f->now, 10, &list, &n, &f->e));
    assert_int_equal(n, 3);
    assert_string_equal(list[0].to_addr, "c@example.org"); /* due first */
    assert_string_equal(list[0].to_name, "");
    assert_string_equal(list[1].to_addr, "a@example.org"); /* then in the order given */
    assert_string_equal(list[1].kind, "signature-confirm");
    assert_string_equal(list[1].to_name, "Zoé \"Z\" {Zed}, \\");
    assert_int_equal(list[1].signature_id, sig);
    assert_int_equal(list[1].mailing_id, 0);
    assert_int_equal(list[1].next_try_at, f->now);
    assert_string_equal(list[2].to_addr, "b@example.org");
    assert_int_equal(list[2].lang, LANG_FR);
    assert_string_equal(list[2].body, "Bonjour,\n\n« NULL »\n");
    assert_int_equal(list[2].signature_id, 0);
    assert_true(list[1].id < list[2].id);
}

static void
mail_queued_is_due_at_once(void **state)
{
    struct fx *f = *state;
    /* What the caller says of attempts and the next try is not kept: a
     * new e-mail is due when made, never tried yet. */
    struct outbox_mail m = mail(f, "a@example.org", f->now);
    m.attempts = 3;
    m.next_try_at = f->now + 86400;
    queue(f, &m);
    struct outbox_mail early = mail(f, "b@example.org", f->now - 60);
    early.attempts = 7;
    early.next_try_at = f->now + 3600;
    queue(f, &early);

    struct outbox_mail *list;
    int n;
    FX_OK(f, store_outbox_due(f->s, NULL, f->a, f->now, 10, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, early.id);
    assert_int_equal(list[1].id, m.id);
    for (int i = 0; i < n; i++) {
        assert_int_equal(list[i].attempts, 0);
        assert_true(list[i].next_try_at <= list[i].created_at);
        assert_int_equal(list[i].sent_at, 0);
    }
    /* Due at its making already, not only later. */
    FX_OK(f, store_outbox_due(f->s, NULL, f->a, f->now - 60, 10, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, early.id);
}

static void
sent_mail_is_due_no_more_and_failed_mail_later(void **state)
{
    struct fx *f = *state;
    struct outbox_mail a = mail(f, "a@example.org", f->now);
    struct outbox_mail b = mail(f, "b@example.org", f->now);
    queue(f, &a);
    queue(f, &b);
    FX_WRITE(f, store_outbox_sent(t, a.id, f->now + 1, &f->e));
    struct outbox_failure later = {.at = f->now + 2,
                                   .next_try_at = f->now + 600,
                                   .reply_code = 421,
                                   .reply = "421 4.3.2 try again later",
                                   .error = "smtp: RCPT failed: 421"};
    FX_WRITE(f, store_outbox_failed(t, b.id, &later, &f->e));

    struct outbox_mail *list;
    int n;
    FX_OK(f, store_outbox_due(f->s, NULL, f->a, f->now + 599, 10, &list, &n, &f->e));
    assert_int_equal(n, 0);
    FX_OK(f, store_outbox_due(f->s, NULL, f->a, f->now + 600, 10, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, b.id);
    assert_int_equal(list[0].next_try_at, f->now + 600);
    assert_string_equal(list[0].last_error, "smtp: RCPT failed: 421");
    assert_int_equal(list[0].last_failure_at, f->now + 2);
    assert_int_equal(list[0].reply_code, 421);
    assert_string_equal(list[0].reply, "421 4.3.2 try again later");
    assert_int_equal(list[0].failed_at, 0);
    assert_int_equal(list[0].attempts, 1);
    assert_int_equal(list[0].sent_at, 0);
    FX_OK(f, store_outbox_due(f->s, NULL, f->a, f->now + 86400, 10, &list, &n, &f->e));
    assert_int_equal(n, 1);
}

static void
mail_refused_for_good_is_due_never_again(void **state)
{
    struct fx *f = *state;
    struct outbox_mail a = mail(f, "a@example.org", f->now);
    queue(f, &a);
    struct outbox_failure again = {.at = f->now, .next_try_at = f->now + 60, .error = "timeout"};
    FX_WRITE(f, store_outbox_failed(t, a.id, &again, &f->e));
    struct outbox_failure refused = {.at = f->now + 60,
                                     .next_try_at = 0,
                                     .reply_code = 550,
                                     .reply = "550 5.1.1 <***@example.org>: no such user",
                                     .error = "smtp: RCPT failed: 550"};
    FX_WRITE(f, store_outbox_failed(t, a.id, &refused, &f->e));

    struct outbox_mail *list;
    int n;
    FX_OK(f, store_outbox_due(f->s, NULL, f->a, f->now + 10 * 365 * 86400LL, 10, &list, &n, &f->e));
    assert_int_equal(n, 0);
    /* Still there, for the Clerk: everything but the person and the text. */
    FX_OK(f, store_outbox_failures(f->s, NULL, f->a, 10, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, a.id);
    assert_int_equal(list[0].created_at, f->now);
    assert_string_equal(list[0].kind, "supporter-invitation");
    assert_int_equal(list[0].lang, LANG_EN);
    assert_int_equal(list[0].attempts, 2);
    assert_int_equal(list[0].failed_at, f->now + 60);
    assert_int_equal(list[0].last_failure_at, f->now + 60);
    assert_int_equal(list[0].reply_code, 550);
    assert_string_equal(list[0].reply, "550 5.1.1 <***@example.org>: no such user");
    assert_string_equal(list[0].last_error, "smtp: RCPT failed: 550");
    assert_null(list[0].to_addr);
    assert_null(list[0].to_name);
    assert_null(list[0].subject);
    assert_null(list[0].body);
}

static void
failures_are_listed_latest_first(void **state)
{
    struct fx *f = *state;
    int64_t ids[4];
    /* Failed at now+1, now+3, now+3 and now+2: by time, then id, both
     * the latest first; a sent one and a waiting one are no failure. */
    int64_t at[] = {1, 3, 3, 2};
    for (int i = 0; i < 4; i++) {
        struct outbox_mail m = mail(f, "x@example.org", f->now);
        ids[i] = queue(f, &m);
        struct outbox_failure why = {.at = f->now + at[i], .reply_code = 554, .reply = "554 no"};
        FX_WRITE(f, store_outbox_failed(t, ids[i], &why, &f->e));
    }
    struct outbox_mail sent = mail(f, "s@example.org", f->now), waiting = sent;
    queue(f, &sent);
    queue(f, &waiting);
    FX_WRITE(f, store_outbox_sent(t, sent.id, f->now + 5, &f->e));
    struct outbox_failure again = {.at = f->now + 4, .next_try_at = f->now + 100};
    FX_WRITE(f, store_outbox_failed(t, waiting.id, &again, &f->e));

    struct outbox_mail *list;
    int n;
    FX_OK(f, store_outbox_failures(f->s, NULL, f->a, 10, &list, &n, &f->e));
    assert_int_equal(n, 4);
    assert_int_equal(list[0].id, ids[2]);
    assert_int_equal(list[1].id, ids[1]);
    assert_int_equal(list[2].id, ids[3]);
    assert_int_equal(list[3].id, ids[0]);
    FX_OK(f, store_outbox_failures(f->s, NULL, f->a, 2, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(list[1].id, ids[1]);
}

static void
health_counts_what_waits_what_failed_and_the_last_delivery(void **state)
{
    struct fx *f = *state;
    struct outbox_health h;
    FX_OK(f, store_outbox_health(f->s, NULL, f->now - 3600, &h, &f->e));
    assert_int_equal(h.waiting, 0);
    assert_int_equal(h.oldest_waiting_at, 0);
    assert_int_equal(h.errors_since, 0);
    assert_int_equal(h.failed_since, 0);
    assert_int_equal(h.failed, 0);
    assert_int_equal(h.last_sent_at, 0);

    /* Two waiting (one of them failed once, lately), two sent, one failed
     * for good lately and one long ago. */
    struct outbox_mail w1 = mail(f, "w1@example.org", f->now - 300);
    struct outbox_mail w2 = mail(f, "w2@example.org", f->now - 100);
    struct outbox_mail s1 = mail(f, "s1@example.org", f->now - 7200);
    struct outbox_mail s2 = mail(f, "s2@example.org", f->now - 7200);
    struct outbox_mail f1 = mail(f, "f1@example.org", f->now - 600);
    struct outbox_mail f2 = mail(f, "f2@example.org", f->now - 9000);
    struct outbox_mail *all[] = {&w1, &w2, &s1, &s2, &f1, &f2};
    for (int i = 0; i < 6; i++)
        queue(f, all[i]);
    struct outbox_failure again = {.at = f->now - 60, .next_try_at = f->now + 60};
    FX_WRITE(f, store_outbox_failed(t, w1.id, &again, &f->e));
    FX_WRITE(f, store_outbox_sent(t, s1.id, f->now - 7000, &f->e));
    FX_WRITE(f, store_outbox_sent(t, s2.id, f->now - 5000, &f->e));
    struct outbox_failure gone = {.at = f->now - 500, .reply_code = 550};
    FX_WRITE(f, store_outbox_failed(t, f1.id, &gone, &f->e));
    gone.at = f->now - 8000;
    FX_WRITE(f, store_outbox_failed(t, f2.id, &gone, &f->e));

    FX_OK(f, store_outbox_health(f->s, NULL, f->now - 3600, &h, &f->e));
    assert_int_equal(h.waiting, 2);
    assert_int_equal(h.oldest_waiting_at, f->now - 300);
    assert_int_equal(h.errors_since, 2); /* w1 and f1 */
    assert_int_equal(h.failed_since, 1); /* f1 */
    assert_int_equal(h.failed, 2);
    assert_int_equal(h.last_sent_at, f->now - 5000);
    /* Counted from `since` on, inclusive. */
    FX_OK(f, store_outbox_health(f->s, NULL, f->now - 500, &h, &f->e));
    assert_int_equal(h.errors_since, 2);
    assert_int_equal(h.failed_since, 1);
    FX_OK(f, store_outbox_health(f->s, NULL, f->now - 499, &h, &f->e));
    assert_int_equal(h.errors_since, 1);
    assert_int_equal(h.failed_since, 0);
}

static void
mail_about_a_signature_is_rendered_later(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_petition(f, 6512);
    int64_t sig = fx_signature(f, pid, "s@example.org", REGION_ON, 0);
    struct outbox_mail m = mail(f, "s@example.org", f->now);
    m.kind = "signature-confirm";
    m.subject = "";
    m.body = "";
    m.signature_id = sig;
    queue(f, &m);
    struct outbox_mail *list;
    int n;
    FX_OK(f, store_outbox_due(f->s, NULL, f->a, f->now, 10, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].signature_id, sig);
    assert_string_equal(list[0].subject, "");
    assert_string_equal(list[0].body, "");
}

static void
mail_of_a_mailing_is_read_with_it(void **state)
{
    struct fx *f = *state;
    struct mailing ml = {.kind = "presented", .created_at = f->now, .vars = "{}"};
    FX_WRITE(f, store_mailing_insert(t, &ml, &f->e));
    struct outbox_mail m = mail(f, "a@example.org", f->now);
    m.mailing_id = ml.id;
    m.unsubscribe = "https://petitions.test/en/stop/7/abc";
    queue(f, &m);
    struct outbox_mail other = mail(f, "b@example.org", f->now + 1);
    queue(f, &other);
    struct outbox_mail *list;
    int n;
    FX_OK(f, store_outbox_due(f->s, NULL, f->a, f->now + 1, 10, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(list[0].mailing_id, ml.id);
    assert_string_equal(list[0].unsubscribe, "https://petitions.test/en/stop/7/abc");
    /* None: no link (NULL), for any e-mail but a mailing's to a signatory. */
    assert_null(list[1].unsubscribe);
    /* As the mail thread claims them too. */
    FX_WRITE(f, store_outbox_claim(t, f->a, f->now + 1, f->now + 60, 10, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_string_equal(list[0].unsubscribe, "https://petitions.test/en/stop/7/abc");
    assert_null(list[1].unsubscribe);
}

static struct mailing
open_mailing(struct fx *f)
{
    struct mailing m;
    FX_OK(f, store_mailing_open(f->s, NULL, f->a, &m, &f->e));
    return m;
}

static int64_t
new_mailing(struct fx *f, const char *kind, const char *vars)
{
    struct mailing m = {.kind = kind, .created_at = f->now, .vars = vars};
    FX_WRITE(f, store_mailing_insert(t, &m, &f->e));
    assert_true(m.id != 0);
    return m.id;
}

static void
mailings_open_oldest_first_until_done(void **state)
{
    struct fx *f = *state;
    struct mailing m;
    FX_ERR(f, ERR_NOT_FOUND, store_mailing_open(f->s, NULL, f->a, &m, &f->e));
    int64_t a = new_mailing(f, "presented", "{\"number\":\"e-6512\",\"date\":\"2025-06-02\"}");
    int64_t b = new_mailing(f, "dissolution", "{}");

    m = open_mailing(f);
    assert_int_equal(m.id, a);
    assert_string_equal(m.kind, "presented");
    assert_int_equal(m.created_at, f->now);
    assert_true(fx_json_equal(m.vars, "{\"number\":\"e-6512\",\"date\":\"2025-06-02\"}"));
    assert_int_equal(m.collect_source, 0);
    assert_int_equal(m.collect_after, 0);
    assert_int_equal(m.collected_at, 0);
    assert_int_equal(m.done_at, 0);

    /* The cursor of its listing. */
    FX_WRITE(f, store_mailing_cursor(t, a, 7, 1234, 0, &f->e));
    m = open_mailing(f);
    assert_int_equal(m.collect_source, 7);
    assert_int_equal(m.collect_after, 1234);
    assert_int_equal(m.collected_at, 0);
    FX_WRITE(f, store_mailing_cursor(t, a, 8, 0, f->now + 5, &f->e));
    m = open_mailing(f);
    assert_int_equal(m.collect_source, 8);
    assert_int_equal(m.collect_after, 0);
    assert_int_equal(m.collected_at, f->now + 5);

    FX_WRITE(f, store_mailing_done(t, a, f->now + 10, &f->e));
    m = open_mailing(f);
    assert_int_equal(m.id, b);
    FX_WRITE(f, store_mailing_done(t, b, f->now + 10, &f->e));
    FX_ERR(f, ERR_NOT_FOUND, store_mailing_open(f->s, NULL, f->a, &m, &f->e));
}

static void
sources_in_order(void **state)
{
    struct fx *f = *state;
    int64_t pet = fx_user(f, "p@example.org", ROLE_PETITIONER);
    int64_t draft = fx_draft(f, pet);
    int64_t p1 = fx_petition(f, 6512);
    int64_t p2 = fx_petition(f, 6478);
    int64_t m = new_mailing(f, "dissolution", "{}");
    int64_t other = new_mailing(f, "dissolution", "{}");
    struct mailing_source s1 = {.petition_id = p2, .draft_id = draft, .label = "e-6478"};
    struct mailing_source s2 = {.draft_id = draft, .label = ""};
    struct mailing_source s3 = {.petition_id = p1, .label = "e-6512"};
    FX_WRITE(f, store_mailing_source_add(t, m, &s1, &f->e));
    FX_WRITE(f, store_mailing_source_add(t, other, &s3, &f->e));
    FX_WRITE(f, store_mailing_source_add(t, m, &s2, &f->e));
    FX_WRITE(f, store_mailing_source_add(t, m, &s3, &f->e));

    struct mailing_source got[3];
    int64_t after = 0;
    for (int i = 0; i < 3; i++) {
        FX_OK(f, store_mailing_source_next(f->s, NULL, f->a, m, after, &got[i], &f->e));
        assert_true(got[i].id > after);
        after = got[i].id;
    }
    FX_ERR(f, ERR_NOT_FOUND, store_mailing_source_next(f->s, NULL, f->a, m, after, &got[0], &f->e));
    FX_OK(f, store_mailing_source_next(f->s, NULL, f->a, m, 0, &got[0], &f->e));
    assert_int_equal(got[0].petition_id, p2);
    assert_int_equal(got[0].draft_id, draft);
    assert_string_equal(got[0].label, "e-6478");
    FX_OK(f, store_mailing_source_next(f->s, NULL, f->a, m, got[0].id, &got[1], &f->e));
    assert_int_equal(got[1].petition_id, 0);
    assert_int_equal(got[1].draft_id, draft);
    assert_string_equal(got[1].label, "");
    FX_OK(f, store_mailing_source_next(f->s, NULL, f->a, m, got[1].id, &got[2], &f->e));
    assert_int_equal(got[2].petition_id, p1);
    assert_int_equal(got[2].draft_id, 0);
    assert_string_equal(got[2].label, "e-6512");
}

static struct mailing_recipient
recipient(const char *key, const char *email, const char *name, enum lang lang, const char *label)
{
    struct mailing_recipient r = {
        .email_key = key, .email = email, .name = name, .lang = lang, .labels = label};
    return r;
}

static void
recipients_merged_per_key_in_batches(void **state)
{
    struct fx *f = *state;
    int64_t m = new_mailing(f, "presented", "{}");
    int64_t other = new_mailing(f, "presented", "{}");
    struct mailing_recipient rs[] = {
        recipient("bob@example.org", "Bob@example.org", "Bob", LANG_EN, "e-1"),
        recipient("amy@example.org", "amy@example.org", "Amy", LANG_FR, "e-1"),
        recipient("bob@example.org", "bob@example.org", "Bob B.", LANG_EN, "e-2"),
        recipient("cat@example.org", "cat@example.org", "Cat", LANG_EN, "e-2"),
    };
    for (int i = 0; i < 4; i++)
        FX_WRITE(f, store_mailing_recipient_add(t, m, &rs[i], &f->e));
    FX_WRITE(f, store_mailing_recipient_add(t, other, &rs[0], &f->e));

    struct mailing_progress pg;
    FX_OK(f, store_mailing_progress(f->s, NULL, m, &pg, &f->e));
    assert_int_equal(pg.recipients, 3);
    assert_int_equal(pg.queued, 0);
    assert_int_equal(pg.sent, 0);

    struct mailing_recipient *list;
    int n;
    FX_OK(f, store_mailing_batch(f->s, NULL, f->a, m, 100, &list, &n, &f->e));
    assert_int_equal(n, 3);
    assert_string_equal(list[0].email_key, "amy@example.org");
    assert_string_equal(list[0].name, "Amy");
    assert_int_equal(list[0].lang, LANG_FR);
    assert_string_equal(list[0].labels, "e-1");
    assert_string_equal(list[1].email_key, "bob@example.org");
    assert_string_equal(list[1].labels, "e-1, e-2");
    assert_string_equal(list[2].email_key, "cat@example.org");

    /* A batch of two, queued; the next batch is what is left. */
    FX_OK(f, store_mailing_batch(f->s, NULL, f->a, m, 2, &list, &n, &f->e));
    assert_int_equal(n, 2);
    struct store_txn *tx = fx_begin(f);
    for (int i = 0; i < n; i++) {
        struct outbox_mail om = mail(f, list[i].email, f->now);
        om.mailing_id = m;
        FX_OK(f, store_outbox_insert(tx, &om, &f->e));
        FX_OK(f, store_mailing_queued(tx, m, list[i].email_key, f->now, &f->e));
    }
    fx_commit(f, tx);
    /* Queued once only: a second batch of the same recipient (another
     * node's, begun before this one committed) fails, and rolls back. */
    FX_REFUSED(f, ERR_CONFLICT, store_mailing_queued(t, m, "amy@example.org", f->now, &f->e));
    FX_OK(f, store_mailing_batch(f->s, NULL, f->a, m, 100, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_string_equal(list[0].email_key, "cat@example.org");
    FX_OK(f, store_mailing_progress(f->s, NULL, m, &pg, &f->e));
    assert_int_equal(pg.recipients, 3);
    assert_int_equal(pg.queued, 2);
    assert_int_equal(pg.sent, 0);

    /* The outbox delivers one of them. */
    struct outbox_mail *due;
    FX_OK(f, store_outbox_due(f->s, NULL, f->a, f->now, 10, &due, &n, &f->e));
    assert_int_equal(n, 2);
    FX_WRITE(f, store_outbox_sent(t, due[0].id, f->now + 1, &f->e));
    FX_OK(f, store_mailing_progress(f->s, NULL, m, &pg, &f->e));
    assert_int_equal(pg.sent, 1);
    FX_OK(f, store_mailing_progress(f->s, NULL, other, &pg, &f->e));
    assert_int_equal(pg.recipients, 1);
    assert_int_equal(pg.queued, 0);
}

static void
confirmed_supporters_become_recipients(void **state)
{
    struct fx *f = *state;
    int64_t pet = fx_user(f, "p@example.org", ROLE_PETITIONER);
    int64_t draft = fx_draft(f, pet);
    int64_t other = fx_draft(f, pet);
    const char *emails[] = {"yes@example.org", "no@example.org", "also@example.org"};
    for (int i = 0; i < 3; i++) {
        struct supporter_record r = fx_supporter_new(f, draft, emails[i]);
        fx_supporter_insert(f, &r);
        if (i != 1) { /* confirmed */
            r.confirmed_round = 1;
            r.confirmed_at = f->now + i;
            r.confirm_order = i + 1;
            r.lang = i == 2 ? LANG_FR : LANG_EN;
            FX_WRITE(f, store_supporter_update(t, &r, &f->e));
        }
    }
    struct supporter_record r = fx_supporter_new(f, other, "elsewhere@example.org");
    fx_supporter_insert(f, &r);
    r.confirmed_round = 1;
    r.confirmed_at = f->now;
    FX_WRITE(f, store_supporter_update(t, &r, &f->e));

    int64_t m = new_mailing(f, "dissolution", "{}");
    FX_WRITE(f, store_mailing_add_supporters(t, m, draft, "e-6512", &f->e));
    struct mailing_recipient *list;
    int n;
    FX_OK(f, store_mailing_batch(f->s, NULL, f->a, m, 100, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_string_equal(list[0].email_key, "also@example.org");
    assert_string_equal(list[0].email, "also@example.org");
    assert_int_equal(list[0].lang, LANG_FR);
    assert_string_equal(list[0].labels, "e-6512");
    assert_string_equal(list[1].email_key, "yes@example.org");
}

/* A signature of petition pid by email, confirmed or not, with a review. */
static int64_t
signed_by(struct fx *f, int64_t pid, const char *email, bool confirmed, enum signature_review rv)
{
    struct signature_record r = fx_signature_new(f, pid, email);
    r.confirmed_at = confirmed ? f->now + 1 : 0;
    r.review = rv;
    return fx_signature_insert(f, &r);
}

static void
counted_signatures_become_recipients(void **state)
{
    struct fx *f = *state;
    int64_t p1 = fx_petition(f, 1);
    int64_t p2 = fx_petition(f, 2);
    signed_by(f, p1, "a@example.org", true, REVIEW_CLEAR);
    signed_by(f, p1, "pending@example.org", false, REVIEW_CLEAR);
    signed_by(f, p1, "b@example.org", true, REVIEW_VALIDATED);
    signed_by(f, p1, "held@example.org", true, REVIEW_SUSPECT);
    signed_by(f, p1, "refused@example.org", true, REVIEW_INVALIDATED);
    signed_by(f, p1, "c@example.org", true, REVIEW_CLEAR);
    signed_by(f, p2, "a@example.org", true, REVIEW_CLEAR); /* a signed both */
    int64_t last_of_p2 = signed_by(f, p2, "pending2@example.org", false, REVIEW_CLEAR);

    int64_t m = new_mailing(f, "presented", "{}");
    int64_t last = -1;
    int n = -1;
    FX_WRITE(f, store_mailing_add_signatures(t, m, p1, "e-1", 0, 100, &last, &n, &f->e));
    FX_WRITE(f, store_mailing_add_signatures(t, m, p2, "e-2", 0, 100, &last, &n, &f->e));
    assert_true(last <= last_of_p2);

    struct mailing_recipient *list;
    FX_OK(f, store_mailing_batch(f->s, NULL, f->a, m, 100, &list, &n, &f->e));
    const char *want[] = {"a@example.org", "b@example.org", "c@example.org"};
    assert_int_equal(n, 3);
    for (int i = 0; i < n; i++)
        assert_string_equal(list[i].email_key, want[i]);
    assert_string_equal(list[0].labels, "e-1, e-2");
    assert_string_equal(list[1].labels, "e-1");
    assert_string_equal(list[0].name, "Sig Natory");
    assert_string_equal(list[0].email, "a@example.org");
}

static void
signatures_listed_in_chunks_by_id(void **state)
{
    struct fx *f = *state;
    int64_t p = fx_petition(f, 1);
    int64_t id[5];
    const char *emails[] = {"a@example.org", "b@example.org", "c@example.org", "d@example.org",
                            "e@example.org"};
    for (int i = 0; i < 5; i++)
        id[i] = signed_by(f, p, emails[i], true, REVIEW_CLEAR);
    int64_t m = new_mailing(f, "presented", "{}");
    int64_t last = -1;
    int n = -1;
    FX_WRITE(f, store_mailing_add_signatures(t, m, p, "e-1", 0, 2, &last, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(last, id[1]);
    FX_WRITE(f, store_mailing_add_signatures(t, m, p, "e-1", last, 2, &last, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(last, id[3]);
    FX_WRITE(f, store_mailing_add_signatures(t, m, p, "e-1", last, 2, &last, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(last, id[4]);
    FX_WRITE(f, store_mailing_add_signatures(t, m, p, "e-1", last, 2, &last, &n, &f->e));
    assert_int_equal(n, 0);
    assert_int_equal(last, id[4]);
    struct mailing_progress pg;
    FX_OK(f, store_mailing_progress(f->s, NULL, m, &pg, &f->e));
    assert_int_equal(pg.recipients, 5);
}

static void
chunk_walks_limit_rows_and_adds_the_counted(void **state)
{
    struct fx *f = *state;
    int64_t p = fx_petition(f, 1);
    signed_by(f, p, "a@example.org", true, REVIEW_CLEAR);
    int64_t pending = signed_by(f, p, "pending@example.org", false, REVIEW_CLEAR);
    signed_by(f, p, "refused@example.org", true, REVIEW_INVALIDATED);
    int64_t b = signed_by(f, p, "b@example.org", true, REVIEW_VALIDATED);
    int64_t held = signed_by(f, p, "held@example.org", true, REVIEW_SUSPECT);
    int64_t m = new_mailing(f, "presented", "{}");
    int64_t last = -1;
    int n = -1;
    struct mailing_progress pg;

    /* Two rows walked, whatever their state: a (counted) and pending. */
    FX_WRITE(f, store_mailing_add_signatures(t, m, p, "e-1", 0, 2, &last, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(last, pending);
    FX_OK(f, store_mailing_progress(f->s, NULL, m, &pg, &f->e));
    assert_int_equal(pg.recipients, 1);
    /* The refused one and b (counted). */
    FX_WRITE(f, store_mailing_add_signatures(t, m, p, "e-1", last, 2, &last, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(last, b);
    /* The held one alone: walked, nothing added, the cursor moves. */
    FX_WRITE(f, store_mailing_add_signatures(t, m, p, "e-1", last, 2, &last, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(last, held);
    FX_OK(f, store_mailing_progress(f->s, NULL, m, &pg, &f->e));
    assert_int_equal(pg.recipients, 2);
    /* The end: none walked, the cursor where it was. */
    FX_WRITE(f, store_mailing_add_signatures(t, m, p, "e-1", last, 2, &last, &n, &f->e));
    assert_int_equal(n, 0);
    assert_int_equal(last, held);

    struct mailing_recipient *list;
    FX_OK(f, store_mailing_batch(f->s, NULL, f->a, m, 100, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_string_equal(list[0].email_key, "a@example.org");
    assert_string_equal(list[1].email_key, "b@example.org");
}

static void
stopped_mailboxes_are_listed_no_more(void **state)
{
    struct fx *f = *state;
    int64_t p1 = fx_petition(f, 1);
    int64_t p2 = fx_petition(f, 2);
    int64_t a1 = signed_by(f, p1, "a@example.org", true, REVIEW_CLEAR);
    int64_t b1 = signed_by(f, p1, "b@example.org", true, REVIEW_CLEAR);
    int64_t a2 = signed_by(f, p2, "a@example.org", true, REVIEW_CLEAR);
    int64_t pid = -1, count = -1;

    FX_OK(f, store_mail_stops_count(f->s, NULL, p1, &count, &f->e));
    assert_int_equal(count, 0);
    /* a stops mail about p1, twice: one stop. */
    FX_WRITE(f, store_mail_stop(t, a1, f->now, &pid, &f->e));
    assert_int_equal(pid, p1);
    FX_WRITE(f, store_mail_stop(t, a1, f->now + 5, &pid, &f->e));
    assert_int_equal(pid, p1);
    /* An unknown signature: nothing stored, no error. */
    FX_WRITE(f, store_mail_stop(t, a2 + 1000, f->now, &pid, &f->e));
    assert_int_equal(pid, 0);
    FX_OK(f, store_mail_stops_count(f->s, NULL, p1, &count, &f->e));
    assert_int_equal(count, 1);
    FX_OK(f, store_mail_stops_count(f->s, NULL, p2, &count, &f->e));
    assert_int_equal(count, 0);

    /* p1's mailing lists b alone, with its signature; p2's still lists a. */
    int64_t m = new_mailing(f, "presented", "{}");
    int64_t last = -1;
    int n = -1;
    FX_WRITE(f, store_mailing_add_signatures(t, m, p1, "e-1", 0, 100, &last, &n, &f->e));
    assert_int_equal(n, 2); /* both walked */
    struct mailing_recipient *list;
    FX_OK(f, store_mailing_batch(f->s, NULL, f->a, m, 100, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_string_equal(list[0].email_key, "b@example.org");
    assert_int_equal(list[0].signature_id, b1);
    int64_t m2 = new_mailing(f, "presented", "{}");
    FX_WRITE(f, store_mailing_add_signatures(t, m2, p2, "e-2", 0, 100, &last, &n, &f->e));
    FX_OK(f, store_mailing_batch(f->s, NULL, f->a, m2, 100, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_string_equal(list[0].email_key, "a@example.org");
    assert_int_equal(list[0].signature_id, a2);
}

/* A recipient listed first without a signature (a supporter) and then
 * for one keeps the signature's id, so their mail can be stopped. */
static void
a_recipient_keeps_the_signature_it_was_listed_for(void **state)
{
    struct fx *f = *state;
    int64_t p = fx_petition(f, 1);
    int64_t a = signed_by(f, p, "a@example.org", true, REVIEW_CLEAR);
    int64_t m = new_mailing(f, "presented", "{}");
    struct mailing_recipient rc = {
        .email_key = "a@example.org", .email = "a@example.org", .name = "A", .labels = "e-1"};
    FX_WRITE(f, store_mailing_recipient_add(t, m, &rc, &f->e));
    int64_t last = -1;
    int n = -1;
    FX_WRITE(f, store_mailing_add_signatures(t, m, p, "e-1", 0, 100, &last, &n, &f->e));
    struct mailing_recipient *list;
    FX_OK(f, store_mailing_batch(f->s, NULL, f->a, m, 100, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].signature_id, a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(mail_round_trips_and_is_due_in_order),
        FX_TEST(mail_queued_is_due_at_once),
        FX_TEST(many_mails_as_one_by_one),
        FX_TEST(sent_mail_is_due_no_more_and_failed_mail_later),
        FX_TEST(mail_refused_for_good_is_due_never_again),
        FX_TEST(failures_are_listed_latest_first),
        FX_TEST(health_counts_what_waits_what_failed_and_the_last_delivery),
        FX_TEST(mail_about_a_signature_is_rendered_later),
        FX_TEST(mail_of_a_mailing_is_read_with_it),
        FX_TEST(mailings_open_oldest_first_until_done),
        FX_TEST(sources_in_order),
        FX_TEST(recipients_merged_per_key_in_batches),
        FX_TEST(confirmed_supporters_become_recipients),
        FX_TEST(counted_signatures_become_recipients),
        FX_TEST(signatures_listed_in_chunks_by_id),
        FX_TEST(chunk_walks_limit_rows_and_adds_the_counted),
        FX_TEST(stopped_mailboxes_are_listed_no_more),
        FX_TEST(a_recipient_keeps_the_signature_it_was_listed_for),
    };
    return cmocka_run_group_tests_name(fx_backend(), tests, NULL, NULL);
}
