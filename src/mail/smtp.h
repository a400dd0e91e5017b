/*
 * smtp.h: hand one message to an SMTP relay, with libcurl.
 *
 * The message is made by mail_format(); smtp_send() only moves bytes.
 * libcurl does the SMTP dialogue, dot-stuffing (a line ".x" goes out as
 * "..x") and STARTTLS when the server offers it on smtp://; smtps:// is
 * TLS from the start.
 */
#ifndef PETITIOND_MAIL_SMTP_H
#define PETITIOND_MAIL_SMTP_H

#include <stddef.h>

struct err;

struct smtp_config {
    const char *url;      /* "smtp://host:port" or "smtps://host:port" */
    const char *username; /* NULL = no AUTH */
    const char *password; /* NULL = none; the caller owns and wipes it */
    long timeout_seconds; /* the whole transfer; 0 = 30 */
};

/*
 * Send the len bytes at data from from_addr to to_addr (the envelope:
 * MAIL FROM and RCPT TO; the headers inside data are not read).
 *
 * Returns 0 once the server has accepted the message (250 after DATA).
 * ERR_INVALID (key "error.email", field "email") when either address
 * fails mail_addr_ok(); ERR_IO when the transfer failed, with e->log
 * holding curl's error text and the last SMTP reply code, if any.
 *
 * Thread-safe: one curl easy handle per call.  curl_global_init() must
 * have been called (main does it).  Blocks for up to the timeout.
 */
int smtp_send(const struct smtp_config *cfg, const char *from_addr, const char *to_addr,
              const char *data, size_t len, struct err *e);

#endif
