/*
 * smtp.c: one message to one recipient over SMTP, with libcurl's easy
 * interface.  No connection reuse: petitiond sends few messages, and a
 * fresh handle per call keeps this thread-safe without locks.
 */
#include "mail/smtp.h"

#include <stdbool.h>
#include <string.h>

#include <curl/curl.h>

#include "lib/err.h"
#include "mail/message.h"
#include "lib/banned.h"

enum {
    SMTP_TIMEOUT_DEFAULT = 30, /* seconds, whole transfer */
    SMTP_CONNECT_TIMEOUT = 10, /* seconds, at most */
};

struct upload {
    const char *data;
    size_t len;
    size_t pos;
};

static size_t
read_cb(char *buf, size_t size, size_t nitems, void *arg)
{
    struct upload *u = arg;
    size_t room = size * nitems;
    size_t n = u->len - u->pos;
    if (n > room)
        n = room;
    memcpy(buf, u->data + u->pos, n);
    u->pos += n;
    return n;
}

int
smtp_send(const struct smtp_config *cfg, const char *from_addr, const char *to_addr,
          const char *data, size_t len, struct err *e)
{
    int rc = ERR_IO;
    CURL *curl = NULL;
    struct curl_slist *rcpt = NULL;
    char errbuf[CURL_ERROR_SIZE] = "";
    struct upload up = {data, len, 0};
    CURLcode cc = CURLE_OK;

    if (!mail_addr_ok(from_addr) || !mail_addr_ok(to_addr))
        return err_set(e, ERR_INVALID, "error.email", "email", "smtp: bad envelope address");
    if (cfg == NULL || cfg->url == NULL)
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "smtp: no URL configured");

    long timeout = cfg->timeout_seconds > 0 ? cfg->timeout_seconds : SMTP_TIMEOUT_DEFAULT;
    long connect_timeout = timeout < SMTP_CONNECT_TIMEOUT ? timeout : SMTP_CONNECT_TIMEOUT;
    bool plain = strncmp(cfg->url, "smtp://", 7) == 0;

    curl = curl_easy_init();
    if (curl == NULL) {
        err_set(e, ERR_IO, "error.io", NULL, "smtp: curl_easy_init failed");
        goto out;
    }
    /* The addresses passed mail_addr_ok(): no CR, LF or <> can reach the
     * SMTP commands libcurl writes from them. */
    rcpt = curl_slist_append(NULL, to_addr);
    if (rcpt == NULL) {
        err_set(e, ERR_IO, "error.io", NULL, "smtp: out of memory");
        goto out;
    }

#define SETOPT(opt, val)                                                                           \
    do {                                                                                           \
        if ((cc = curl_easy_setopt(curl, opt, val)) != CURLE_OK)                                   \
            goto setopt_failed;                                                                    \
    } while (0)
    SETOPT(CURLOPT_ERRORBUFFER, errbuf);
    SETOPT(CURLOPT_URL, cfg->url);
    SETOPT(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    SETOPT(CURLOPT_NOSIGNAL, 1L);
    SETOPT(CURLOPT_TIMEOUT, timeout);
    SETOPT(CURLOPT_CONNECTTIMEOUT, connect_timeout);
    if (plain)
        SETOPT(CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    if (cfg->username)
        SETOPT(CURLOPT_USERNAME, cfg->username);
    if (cfg->password)
        SETOPT(CURLOPT_PASSWORD, cfg->password);
    SETOPT(CURLOPT_MAIL_FROM, from_addr);
    SETOPT(CURLOPT_MAIL_RCPT, rcpt);
    SETOPT(CURLOPT_UPLOAD, 1L);
    SETOPT(CURLOPT_READFUNCTION, read_cb);
    SETOPT(CURLOPT_READDATA, &up);
    SETOPT(CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
#undef SETOPT

    cc = curl_easy_perform(curl);
    if (cc != CURLE_OK) {
        long code = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
        const char *why = errbuf[0] ? errbuf : curl_easy_strerror(cc);
        if (code > 0)
            err_set(e, ERR_IO, "error.io", NULL, "smtp: %s (SMTP %ld)", why, code);
        else
            err_set(e, ERR_IO, "error.io", NULL, "smtp: %s", why);
        goto out;
    }
    rc = 0;
    goto out;

setopt_failed:
    err_set(e, ERR_IO, "error.io", NULL, "smtp: curl_easy_setopt: %s", curl_easy_strerror(cc));
out:
    curl_slist_free_all(rcpt);
    if (curl)
        curl_easy_cleanup(curl);
    return rc;
}
