/*
 * delivery.c: the outbox's delivery thread; see delivery.h.
 */
#include "mail/delivery.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/arena.h"
#include "lib/die.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "mail/message.h"
#include "store/store.h"
#include "lib/banned.h"

struct delivery {
    struct delivery_config cfg;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool kicked;
    bool stopping;
};

/* Write the message as DIR/ID-KIND.eml, through a temporary name so a
 * reader never sees half a file. */
static int
write_eml(const char *dir, const struct outbox_mail *m, const char *data, size_t len,
          struct err *e)
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

static void
deliver_one(struct delivery *d, struct arena *a, struct outbox_mail *m, int64_t now)
{
    struct store *s = d->cfg.store;
    struct err e = ERR_INIT;
    struct strbuf data;
    char id[64];
    int r;

    if (m->signature_id && (!m->body || !m->body[0])) {
        r = d->cfg.render ? d->cfg.render(d->cfg.render_arg, a, m, &e)
                          : err_set(&e, ERR_INVALID, "error.internal", NULL, "no renderer");
        if (r == ERR_GONE) {
            /* Erased before it went: nobody to write to. */
            struct err e2 = ERR_INIT;
            if (s->ops->outbox_sent(s, m->id, now, &e2))
                fprintf(stderr, "petitiond: mail %lld: %s\n", (long long)m->id, e2.log);
            return;
        }
        if (r) {
            fprintf(stderr, "petitiond: mail %lld (%s) not rendered: %s\n", (long long)m->id,
                    m->kind, e.log);
            struct err e2 = ERR_INIT;
            s->ops->outbox_retry(s, m->id, r == ERR_INVALID ? INT64_MAX / 2 : now + 60, e.log,
                                 &e2);
            return;
        }
    }

    snprintf(id, sizeof(id), "%lld.%lld@petitiond", (long long)m->id, (long long)m->created_at);
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
    };
    sb_init(&data, NULL);
    r = mail_format(&msg, &data, &e);
    if (r == 0) {
        if (d->cfg.mail_dir)
            r = write_eml(d->cfg.mail_dir, m, data.buf, data.len, &e);
        else
            r = smtp_send(&d->cfg.smtp, d->cfg.from_addr, m->to_addr, data.buf, data.len, &e);
    }
    sb_release(&data);
    struct err e2 = ERR_INIT;
    if (r == 0) {
        if (s->ops->outbox_sent(s, m->id, now, &e2))
            fprintf(stderr, "petitiond: mail %lld sent but not marked: %s\n",
                    (long long)m->id, e2.log);
        return;
    }
    /* A message that cannot be formatted will never go: stop trying. */
    int64_t next = r == ERR_INVALID || m->attempts + 1 >= DELIVERY_MAX_ATTEMPTS
                       ? INT64_MAX / 2
                       : now + backoff(m->attempts);
    fprintf(stderr, "petitiond: mail %lld (%s) not delivered (attempt %d): %s\n",
            (long long)m->id, m->kind, m->attempts + 1, e.log);
    if (s->ops->outbox_retry(s, m->id, next, e.log, &e2))
        fprintf(stderr, "petitiond: mail %lld: %s\n", (long long)m->id, e2.log);
}

/* Send everything due; returns how many were tried. */
static int
deliver_due(struct delivery *d)
{
    struct arena *a = arena_new();
    struct outbox_mail *mails = NULL;
    struct err e = ERR_INIT;
    int n = 0;
    int64_t now = clock_now(d->cfg.clock);
    if (d->cfg.store->ops->outbox_due(d->cfg.store, a, now, 50, &mails, &n, &e)) {
        fprintf(stderr, "petitiond: outbox: %s\n", e.log);
        n = 0;
    }
    for (int i = 0; i < n; i++)
        deliver_one(d, a, &mails[i], now);
    arena_free(a);
    return n;
}

/* Move the next batch of a mailing into the outbox; how many rows moved. */
static int
more_mail(struct delivery *d)
{
    if (!d->cfg.more)
        return 0;
    struct err e = ERR_INIT;
    int did = 0;
    if (d->cfg.more(d->cfg.more_arg, DELIVERY_BATCH, &did, clock_now(d->cfg.clock), &e)) {
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
    pthread_mutex_lock(&d->mu);
    while (!d->stopping) {
        d->kicked = false;
        pthread_mutex_unlock(&d->mu);
        int n = deliver_due(d);
        /* Mail to many only while the outbox is nearly drained, so one
         * large mailing never delays a confirmation link. */
        if (n < 50)
            n += more_mail(d);
        pthread_mutex_lock(&d->mu);
        if (n >= 50 || d->kicked || d->stopping)
            continue;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += poll / 1000;
        until.tv_nsec += (long)(poll % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!d->kicked && !d->stopping)
            if (pthread_cond_timedwait(&d->cv, &d->mu, &until) == ETIMEDOUT)
                break;
    }
    pthread_mutex_unlock(&d->mu);
    return NULL;
}

int
delivery_start(const struct delivery_config *cfg, struct delivery **out, struct err *e)
{
    struct delivery *d = calloc(1, sizeof(*d));
    if (!d)
        die_oom();
    d->cfg = *cfg;
    pthread_mutex_init(&d->mu, NULL);
    pthread_cond_init(&d->cv, NULL);
    if (pthread_create(&d->thread, NULL, run, d)) {
        pthread_mutex_destroy(&d->mu);
        pthread_cond_destroy(&d->cv);
        free(d);
        return err_set(e, ERR_IO, "error.io", NULL, "cannot start the mail thread");
    }
    *out = d;
    return 0;
}

void
delivery_kick(struct delivery *d)
{
    if (!d)
        return;
    pthread_mutex_lock(&d->mu);
    d->kicked = true;
    pthread_cond_signal(&d->cv);
    pthread_mutex_unlock(&d->mu);
}

void
delivery_stop(struct delivery *d)
{
    if (!d)
        return;
    pthread_mutex_lock(&d->mu);
    d->stopping = true;
    pthread_cond_signal(&d->cv);
    pthread_mutex_unlock(&d->mu);
    pthread_join(d->thread, NULL);
    pthread_mutex_destroy(&d->mu);
    pthread_cond_destroy(&d->cv);
    free(d);
}
