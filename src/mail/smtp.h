/*
 * smtp.h: hand one message to an SMTP relay, with libcurl.
 *
 * The message is made by mail_format(); smtp_send() only moves bytes.
 * libcurl does the SMTP dialogue, dot-stuffing (a line ".x" goes out as
 * "..x") and TLS.  How much TLS is the operator's choice (serve
 * --smtp-tls, --smtp-ca-file):
 *
 *   smtp:// and SMTP_TLS_OPPORTUNISTIC (the default): STARTTLS when the
 *       relay offers it, without verifying its certificate, so a stock
 *       Debian Exim or Postfix on the same machine, whose certificate is
 *       self-signed, works; plain text when the relay offers no STARTTLS.
 *       The log says so (once, and again when it changes).
 *   smtp:// and SMTP_TLS_REQUIRED: STARTTLS or no delivery; the
 *       certificate must chain to a trusted CA (ca_file, or the system's
 *       store) and name the relay's host.
 *   smtp:// and SMTP_TLS_NONE: never STARTTLS, even when offered.
 *   smtps://: TLS from the first byte, always verified as with
 *       SMTP_TLS_REQUIRED; SMTP_TLS_NONE is refused.
 */
#ifndef PETITIOND_MAIL_SMTP_H
#define PETITIOND_MAIL_SMTP_H

#include <stdbool.h>
#include <stddef.h>

struct err;

/* The TLS policy for smtp:// (see above); 0 is the default. */
enum smtp_tls {
    SMTP_TLS_OPPORTUNISTIC = 0, /* STARTTLS when offered, certificate not verified */
    SMTP_TLS_NONE,              /* never STARTTLS */
    SMTP_TLS_REQUIRED,          /* STARTTLS, certificate and name verified */
};

struct smtp_config {
    const char *url;      /* "smtp://host:port" or "smtps://host:port" */
    const char *username; /* NULL = no AUTH */
    const char *password; /* NULL = none; the caller owns and wipes it */
    long timeout_seconds; /* the whole transfer; 0 = 30 */
    enum smtp_tls tls;    /* for smtp://; smtps:// always verifies */
    const char *ca_file;  /* PEM file of the CAs to verify with; NULL = the system's */
};

/*
 * The policy named "none", "opportunistic" or "required" into *out.
 * Returns 0, or ERR_INVALID for any other name (*out unchanged).
 */
int smtp_tls_parse(const char *name, enum smtp_tls *out);

/*
 * Check cfg once at start-up, so a mistake stops the server rather than
 * every e-mail: the URL is smtp:// or smtps://; SMTP_TLS_NONE is not
 * asked of smtps://; a ca_file comes only with verification (smtps:// or
 * SMTP_TLS_REQUIRED), as it would otherwise be silently unused; and the
 * ca_file is a readable file.  Returns 0; ERR_INVALID or (the ca_file
 * cannot be read) ERR_IO, with a one-line e->log that names the serve
 * option to change.
 */
int smtp_config_check(const struct smtp_config *cfg, struct err *e);

enum { SMTP_REPLY_MAX = 240 };

/*
 * What the relay last said when a delivery failed.  A refusal is
 * permanent when the relay answered 5xx to RCPT TO (this recipient), to
 * DATA or to the message itself: sending the same message again fails
 * again.  Anything else is temporary: a 4xx, no answer at all (the relay
 * unreachable, a timeout, TLS failing), and a 5xx to what comes before
 * the recipient (the greeting, EHLO, STARTTLS, AUTH, MAIL FROM), which
 * refuses every message alike and is the operator's to fix.
 */
struct smtp_reply {
    int code;                  /* the reply's code (550); 0 when none came */
    bool permanent;            /* see above */
    char text[SMTP_REPLY_MAX]; /* the reply, its lines joined by spaces: printable ASCII
                                * only (any other byte is "?"), the local part of every
                                * e-mail address in it masked ("550 5.1.1
                                * <***@example.org>: no such user"), so that it may go to
                                * the log and to staff pages; "" when none came */
};

/*
 * Send the len bytes at data from from_addr to to_addr (the envelope:
 * MAIL FROM and RCPT TO; the headers inside data are not read), with
 * cfg's TLS policy.
 *
 * Returns 0 once the server has accepted the message (250 after DATA).
 * ERR_INVALID (key "error.email", field "email") when either address
 * fails mail_addr_ok(), or (key "error.internal") when cfg's policy is
 * one smtp_config_check() refuses; ERR_IO when the transfer failed, with
 * e->log holding curl's error text and the relay's last reply, if any (a
 * certificate that fails verification is one), and *reply (when not
 * NULL) what the relay said and whether the refusal is permanent;
 * reply->code is 0 and reply->text "" on success and on ERR_INVALID.
 *
 * With SMTP_TLS_OPPORTUNISTIC, a delivery writes one line to standard
 * error when what it found differs from the last such line of the
 * process: STARTTLS with the certificate not verified, or no STARTTLS
 * offered.
 *
 * Thread-safe: one curl easy handle per call; the memory of the last
 * line logged is atomic.  curl_global_init() must have been called (main
 * does it).  Blocks for up to the timeout.
 */
int smtp_send(const struct smtp_config *cfg, const char *from_addr, const char *to_addr,
              const char *data, size_t len, struct smtp_reply *reply, struct err *e);

#endif
