/*
 * mailer.h: the texts of the e-mails petitiond sends.
 *
 * A struct mailer holds the mail templates (templates/mail/KIND.LANG.txt:
 * a first line "Subject: ...", a blank line, then the body), the site's
 * public address and the message catalogues; mail_render() makes the
 * subject and body of one e-mail from them.  It knows nothing of where an
 * e-mail is kept: the use cases queue it in the outbox in their own
 * transaction (workflow/outbox.h), and the mail thread sends it
 * (jobs/delivery.h) as a message (message.h) over SMTP (smtp.h).
 */
#ifndef PETITIOND_MAILER_H
#define PETITIOND_MAILER_H

#include <jansson.h>
#include <stdint.h>

#include "lib/lang.h"

struct arena;
struct err;
struct template_set;

/* Built once at start-up and read-only after: any thread may render. */
struct mailer {
    struct template_set *texts;   /* plain-text set with every mail template */
    const char *base_url;         /* "https://petitions.example.ca", no trailing slash */
    json_t *messages[LANG_COUNT]; /* the catalogues, as "t" in templates */
};

/* Compile the embedded mail templates into m->texts.  Returns 0 or
 * ERR_INVALID naming the template at fault. */
int mailer_init(struct mailer *m, struct err *e);
void mailer_release(struct mailer *m);

/*
 * Render the e-mail of kind ("supporter-invitation") in lang: *subject and
 * *body are allocated from a.  vars (borrowed) are the template's values;
 * "base_url", "lang" and "t" (the catalogue) are added.  Returns 0, or
 * ERR_INVALID when the template is missing or has no subject line.
 */
int mail_render(const struct mailer *m, struct arena *a, const char *kind, enum lang lang,
                json_t *vars, const char **subject, const char **body, struct err *e);

#endif
