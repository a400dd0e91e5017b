/*
 * delivery.c: the mail thread; see delivery.h.
 */
#include "jobs/delivery.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/arena.h"
#include "lib/die.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/wake.h"
#include "mail/mailer.h"
#include "mail/message.h"
#include "store/store.h"
#include "workflow/flow.h"
#include "workflow/house_mailing.h"
#include "workflow/leases.h"
#include "workflow/outbox.h"
#include "workflow/signing.h"
#include "lib/metrics.h"
#include "lib/banned.h"

struct delivery {
    struct delivery_config cfg;
    char id_domain[256]; /* the right side of Message-IDs (mail_id_domain()) */
    pthread_t thread;
    atomic_bool stopping;
    struct lease mailing; /* moving mailings into the outbox: one node at a time */
    long kill_after;      /* test builds: die after this many more messages went (0: never) */
};

#ifdef PETITIOND_TEST_HOOKS
/* Test builds only (the Makefile's sanitised build defines
 * PETITIOND_TEST_HOOKS; a release build has none of this): with
 * PETITIOND_TEST_KILL_AFTER_SENT=N in its environment, the process kills
 * itself with SIGKILL right after the N-th message it handed over (the
 * relay answered 250, or the file was written), before recording it as
 * sent: the window in which a node's death makes another send the same
 * e-mail again (tests/integration/mta_test.c). */
static long
test_kill_after(void)
{
    const char *v = getenv("PETITIOND_TEST_KILL_AFTER_SENT");
    long n = v ? strtol(v, NULL, 10) : 0;
    if (n > 0)
        fprintf(stderr, "petitiond: test build: kills itself after %ld e-mail(s) sent\n", n);
    return n > 0 ? n : 0;
}

static void
test_kill_point(struct delivery *d)
{
    if (d->kill_after > 0 && --d->kill_after == 0) {
        fprintf(stderr, "petitiond: test build: killed before the e-mail is recorded sent\n");
        raise(SIGKILL);
    }
}
#else
static long
test_kill_after(void)
{
    return 0;
}

static void
test_kill_point(struct delivery *d)
{
    (void)d;
}
#endif

/* Write the message as DIR/ID-KIND.eml, through a temporary name so a
 * reader never sees half a file. */
static int
write_eml(const char *dir, const struct outbox_mail *m, const char *data, size_t len, struct err *e)
{
    char path[4096], tmp[4200];
    int n = snprintf(path, sizeof(path), "%s/%06lld-%s.eml", dir, (long long)m->id, m->kind);
    if (n < 0 || (size_t)n >= sizeof(path))
        return err_set(e, ERR_IO, "error.io", NULL, "mail path too long");
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0)
        return err_set(e, ERR_IO, "error.io", NULL, "%s: %s", tmp, strerror(errno));
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int r = err_set(e, ERR_IO, "error.io", NULL, "%s: %s", tmp, strerror(errno));
            close(fd);
            unlink(tmp);
            return r;
        }
        off += (size_t)w;
    }
    if (close(fd) || rename(tmp, path)) {
        int r = err_set(e, ERR_IO, "error.io", NULL, "%s: %s", path, strerror(errno));
        unlink(tmp);
        return r;
    }
    return 0;
}

static int64_t
backoff(int attempts)
{
    int64_t wait = 60;
    for (int i = 0; i < attempts && wait < 6 * 3600; i++)
        wait *= 2;
    return wait < 6 * 3600 ? wait : 6 * 3600;
}

/* Record a failed attempt at e-mail m: tried again after the backoff
 * unless permanent or its last attempt, else failed for good; and log it
 * (e's text holds no personal data: smtp.h masks addresses). */
static void
failed(struct delivery *d, const struct outbox_mail *m, int64_t now, bool permanent,
       const struct smtp_reply *reply, const struct err *e)
{
    struct err e2 = ERR_INIT;
    bool last = m->attempts + 1 >= DELIVERY_MAX_ATTEMPTS;
    struct outbox_failure why = {
        .at = now,
        .next_try_at = permanent || last ? 0 : now + backoff(m->attempts),
        .reply_code = reply ? reply->code : 0,
        .reply = reply ? reply->text : NULL,
        .error = e->log,
    };
    metrics_add(
        permanent || last ? &metrics.mail_failures_permanent : &metrics.mail_failures_temporary, 1);
    fprintf(stderr, "petitiond: mail %lld (%s) not delivered (attempt %d): %s; %s\n",
            (long long)m->id, m->kind, m->attempts + 1, e->log,
            permanent ? "refused for good: failed"
            : last    ? "the last attempt: failed"
                      : "to be tried again");
    if (outbox_failed(d->cfg.flow, m->id, &why, permanent, &e2))
        fprintf(stderr, "petitiond: mail %lld: %s\n", (long long)m->id, e2.log);
}

static void
deliver_one(struct delivery *d, struct arena *a, struct outbox_mail *m, int64_t now)
{
    const struct flow *f = d->cfg.flow;
    struct err e = ERR_INIT;
    struct smtp_reply reply = {0};
    struct strbuf data;
    char id[320];
    int r;

    if (m->signature_id && (!m->body || !m->body[0])) {
        r = sign_mail_render(f, a, m, &e);
        if (r == ERR_GONE) {
            /* Erased before it went: nobody to write to. */
            struct err e2 = ERR_INIT;
            if (outbox_dropped(f, m->id, now, &e2))
                fprintf(stderr, "petitiond: mail %lld: %s\n", (long long)m->id, e2.log);
            return;
        }
        if (r) {
            /* A text that cannot be rendered (ERR_INVALID) never will
             * be: failed for good; the store failing is tried again in
             * a minute. */
            struct err e2 = ERR_INIT;
            struct outbox_failure why = {
                .at = now, .next_try_at = r == ERR_INVALID ? 0 : now + 60, .error = e.log};
            fprintf(stderr, "petitiond: mail %lld (%s) not rendered: %s\n", (long long)m->id,
                    m->kind, e.log);
            if (outbox_failed(f, m->id, &why, r == ERR_INVALID, &e2))
                fprintf(stderr, "petitiond: mail %lld: %s\n", (long long)m->id, e2.log);
            return;
        }
    }

    /* Unique on the site's domain (message.h: mail_id_domain()). */
    snprintf(id, sizeof(id), "%lld.%lld@%s", (long long)m->id, (long long)m->created_at,
             d->id_domain);
    struct mail_message msg = {
        .from_addr = d->cfg.from_addr,
        .from_name = d->cfg.from_name,
        .to_addr = m->to_addr,
        .to_name = m->to_name,
        .subject = m->subject,
        .body = m->body,
        .lang = lang_code(m->lang),
        .message_id = id,
        .date = m->created_at,
        .unsubscribe = m->unsubscribe,
    };
    sb_init(&data, NULL);
    r = mail_format(&msg, &data, &e);
    if (r == 0) {
        if (d->cfg.mail_dir)
            r = write_eml(d->cfg.mail_dir, m, data.buf, data.len, &e);
        else
            r = smtp_send(&d->cfg.smtp, d->cfg.from_addr, m->to_addr, data.buf, data.len, &reply,
                          &e);
    }
    sb_release(&data);
    if (r == 0) {
        struct err e2 = ERR_INIT;
        test_kill_point(d);
        if (outbox_delivered(f, m->id, now, &e2))
            fprintf(stderr, "petitiond: mail %lld sent but not marked: %s\n", (long long)m->id,
                    e2.log);
        return;
    }
    /* A message that cannot be formatted, or that the relay refuses for
     * good (smtp.h), will never go: stop trying. */
    failed(d, m, now, r == ERR_INVALID || reply.permanent, &reply, &e);
}

/* Send everything due that this node could claim; returns how many were
 * tried. */
static int
deliver_due(struct delivery *d)
{
    struct arena *a = arena_new();
    struct outbox_mail *mails = NULL;
    struct err e = ERR_INIT;
    int n = 0;
    int64_t now = clock_now(d->cfg.clock);
    if (outbox_claim(d->cfg.flow, a, now, DELIVERY_CLAIM, DELIVERY_CLAIM_MAX, &mails, &n, &e)) {
        fprintf(stderr, "petitiond: outbox: %s\n", e.log);
        n = 0;
    }
    for (int i = 0; i < n; i++) {
        /* A slow relay has used most of the claim: leave the rest, due
         * again for any node once the claim passes, rather than send one
         * that another node may have claimed by then. */
        if (i > 0 && clock_now(d->cfg.clock) >= now + DELIVERY_CLAIM - DELIVERY_CLAIM_MARGIN) {
            fprintf(stderr, "petitiond: mail: %d e-mail(s) left to the next claim\n", n - i);
            break;
        }
        deliver_one(d, a, &mails[i], now);
    }
    arena_free(a);
    return n;
}

/* Move the next batch of a mailing into the outbox; how many rows moved. */
static int
more_mail(struct delivery *d)
{
    struct err e = ERR_INIT;
    int did = 0;
    if (!lease_hold(d->cfg.flow, &d->mailing, clock_now(d->cfg.clock)))
        return 0;
    if (house_mailing_step(d->cfg.flow, DELIVERY_BATCH, &did, clock_now(d->cfg.clock), &e)) {
        fprintf(stderr, "petitiond: mailing: %s\n", e.log);
        return 0;
    }
    return did;
}

static void *
run(void *arg)
{
    struct delivery *d = arg;
    unsigned poll = d->cfg.poll_ms ? d->cfg.poll_ms : 1000;
    while (!atomic_load(&d->stopping)) {
        /* This pass serves every signal given so far. */
        wake_wait(d->cfg.wake, 0);
        int n = deliver_due(d);
        /* Mail to many only while the outbox is nearly drained, so one
         * large mailing never delays a confirmation link. */
        if (n < 50)
            n += more_mail(d);
        if (n >= 50 || atomic_load(&d->stopping))
            continue;
        /* Until a commit signals mail, or the poll interval has passed. */
        wake_wait(d->cfg.wake, poll);
    }
    lease_drop(d->cfg.flow, &d->mailing);
    return NULL;
}

int
delivery_start(const struct delivery_config *cfg, struct delivery **out, struct err *e)
{
    struct delivery *d = calloc(1, sizeof(*d));
    if (!d)
        die_oom();
    d->cfg = *cfg;
    const char *base_url = cfg->flow->mailer ? cfg->flow->mailer->base_url : NULL;
    if (mail_id_domain(base_url, cfg->from_addr, d->id_domain, sizeof(d->id_domain))) {
        free(d);
        return err_set(e, ERR_INVALID, "error.internal", NULL,
                       "--mail-from wants a plain address such as petitions@example.org");
    }
    atomic_init(&d->stopping, false);
    d->mailing.name = LEASE_MAILING;
    d->kill_after = test_kill_after();
    if (pthread_create(&d->thread, NULL, run, d)) {
        free(d);
        return err_set(e, ERR_IO, "error.io", NULL, "cannot start the mail thread");
    }
    *out = d;
    return 0;
}

void
delivery_stop(struct delivery *d)
{
    if (!d)
        return;
    atomic_store(&d->stopping, true);
    wake_signal(d->cfg.wake);
    pthread_join(d->thread, NULL);
    free(d);
}
