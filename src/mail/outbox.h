/*
 * outbox.h: e-mail written in the same transaction as the event.
 *
 * mail_queue() renders templates/mail/KIND.LANG.txt (first line
 * "Subject: ...", a blank line, then the body) with the values given and
 * writes the result to the outbox table through the store, inside the
 * caller's open transaction.  The delivery thread (delivery.h) sends it
 * after the commit; a rolled-back event sends nothing.
 */
#ifndef PETITIOND_OUTBOX_H
#define PETITIOND_OUTBOX_H

#include <jansson.h>
#include <stdint.h>

#include "core/lang.h"

struct arena;
struct err;
struct store;
struct template_set;

struct mailer {
    struct store *store;
    struct template_set *texts; /* plain-text set with every mail template */
    const char *base_url;       /* "https://petitions.example.ca", no trailing slash */
    json_t *messages[LANG_COUNT]; /* the catalogues, as "t" in templates */
};

/* Compile the embedded mail templates into m->texts.  Returns 0 or
 * ERR_INVALID naming the template at fault. */
int mailer_init(struct mailer *m, struct err *e);
void mailer_release(struct mailer *m);

/*
 * Queue one e-mail of kind ("supporter-invitation") in lang to to_addr
 * (to_name may be NULL).  vars (borrowed) are the template's values;
 * "base_url", "lang" and "t" are added.  Returns 0, ERR_INVALID when the
 * template is missing or has no subject line, or the store's error.
 */
int mail_queue(const struct mailer *m, const char *kind, enum lang lang, const char *to_addr,
               const char *to_name, json_t *vars, int64_t now, struct err *e);

/* Render kind in lang with vars (borrowed) as mail_queue() would, without
 * queueing it: *subject and *body are allocated from a. */
int mail_render(const struct mailer *m, struct arena *a, const char *kind, enum lang lang,
                json_t *vars, const char **subject, const char **body, struct err *e);

/*
 * Queue an e-mail about a signature whose text is rendered when it is sent
 * (delivery.h's render hook): only kind, address, name, language and the
 * signature's id are written now.  This is what the intake writer queues
 * for every signature, so a surge writes a few dozen bytes per e-mail.
 */
int mail_queue_later(const struct mailer *m, const char *kind, enum lang lang,
                     const char *to_addr, const char *to_name, int64_t signature_id,
                     int64_t now, struct err *e);

/* The same for one recipient of a mailing to many (its progress counts it). */
int mail_queue_mailing(const struct mailer *m, int64_t mailing_id, const char *kind,
                       enum lang lang, const char *to_addr, const char *to_name, json_t *vars,
                       int64_t now, struct err *e);

#endif
