/*
 * smtp.c: one message to one recipient over SMTP, with libcurl's easy
 * interface, under the operator's TLS policy (smtp.h).  No connection
 * reuse: petitiond sends few messages, and a fresh handle per call keeps
 * this thread-safe without locks; the one shared thing, what the log last
 * said about opportunistic TLS, is an atomic.
 */
#include "mail/smtp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "lib/err.h"
#include "mail/message.h"
#include "lib/banned.h"

enum {
    SMTP_TIMEOUT_DEFAULT = 30, /* seconds, whole transfer */
    SMTP_CONNECT_TIMEOUT = 10, /* seconds, at most */
};

/* What an opportunistic delivery found, for the log line (smtp.h). */
enum seen {
    SEEN_NOTHING = 0,
    SEEN_PLAIN,      /* the relay offered no STARTTLS */
    SEEN_UNVERIFIED, /* STARTTLS, certificate not verified */
};

/* The last enum seen logged by this process: one line per change, from
 * whichever delivery thread sees it first. */
static atomic_int seen_logged = SEEN_NOTHING;

struct upload {
    const char *data;
    size_t len;
    size_t pos;
    CURL *curl;
    bool asked; /* tls is known */
    bool tls;   /* the connection was encrypted while DATA went */
};

static size_t
read_cb(char *buf, size_t size, size_t nitems, void *arg)
{
    struct upload *u = arg;
    size_t room = size * nitems;
    size_t n = u->len - u->pos;
    /* Whether STARTTLS happened shows only while the connection is up:
     * the TLS session exists during the transfer, and is gone once
     * curl_easy_perform() returns. */
    if (!u->asked) {
        struct curl_tlssessioninfo *info = NULL;
        u->asked = true;
        u->tls = curl_easy_getinfo(u->curl, CURLINFO_TLS_SSL_PTR, &info) == CURLE_OK && info &&
                 info->internals != NULL;
    }
    if (n > room)
        n = room;
    memcpy(buf, u->data + u->pos, n);
    u->pos += n;
    return n;
}

int
smtp_tls_parse(const char *name, enum smtp_tls *out)
{
    static const struct {
        const char *name;
        enum smtp_tls tls;
    } names[] = {
        {"none", SMTP_TLS_NONE},
        {"opportunistic", SMTP_TLS_OPPORTUNISTIC},
        {"required", SMTP_TLS_REQUIRED},
    };
    for (size_t i = 0; name && i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(name, names[i].name) == 0) {
            *out = names[i].tls;
            return 0;
        }
    }
    return ERR_INVALID;
}

/* True for "smtps://...", false for "smtp://..."; *ok false for neither. */
static bool
url_is_smtps(const char *url, bool *ok)
{
    *ok = true;
    if (url && strncasecmp(url, "smtps://", 8) == 0)
        return true;
    if (url && strncasecmp(url, "smtp://", 7) == 0)
        return false;
    *ok = false;
    return false;
}

/* The part of smtp_config_check() that needs no file: smtp_send() runs
 * it too, so no caller can send with a policy the check refuses. */
static int
check_policy(const struct smtp_config *cfg, struct err *e)
{
    bool ok;
    bool smtps = url_is_smtps(cfg->url, &ok);

    if (!ok)
        return err_set(e, ERR_INVALID, "error.internal", NULL,
                       "--smtp wants smtp://HOST:PORT or smtps://HOST:PORT");
    if (smtps && cfg->tls == SMTP_TLS_NONE)
        return err_set(e, ERR_INVALID, "error.internal", NULL,
                       "--smtp-tls none does not apply to smtps://, which is TLS from the first "
                       "byte: use smtp://HOST:PORT for no TLS");
    if (cfg->ca_file && !smtps && cfg->tls != SMTP_TLS_REQUIRED)
        return err_set(e, ERR_INVALID, "error.internal", NULL,
                       "--smtp-ca-file is used only when the certificate is verified: add "
                       "--smtp-tls required (or use smtps://)");
    return 0;
}

int
smtp_config_check(const struct smtp_config *cfg, struct err *e)
{
    struct stat st;
    int r = check_policy(cfg, e);
    if (r || !cfg->ca_file)
        return r;
    /* Read now, as libcurl will at each send: a file we cannot read
     * would fail every e-mail. */
    int fd = open(cfg->ca_file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_set(e, ERR_IO, "error.io", NULL, "--smtp-ca-file %s: %s", cfg->ca_file,
                       strerror(errno));
    r = fstat(fd, &st);
    close(fd);
    if (r != 0 || !S_ISREG(st.st_mode))
        return err_set(e, ERR_IO, "error.io", NULL, "--smtp-ca-file %s: not a readable file",
                       cfg->ca_file);
    return 0;
}

/* After an opportunistic delivery: say what it found, once per change. */
static void
log_opportunistic(const struct upload *up)
{
    enum seen now = up->tls ? SEEN_UNVERIFIED : SEEN_PLAIN;
    if (atomic_exchange(&seen_logged, (int)now) == (int)now)
        return;
    if (now == SEEN_PLAIN)
        fprintf(stderr, "petitiond: smtp: the relay offers no STARTTLS: e-mail goes to it "
                        "unencrypted (--smtp-tls opportunistic)\n");
    else
        fprintf(stderr, "petitiond: smtp: STARTTLS with the relay, its certificate not verified "
                        "(--smtp-tls opportunistic; --smtp-tls required verifies it)\n");
}

/* A word for the operator after libcurl's own, when one helps. */
static const char *
hint(CURLcode cc)
{
    switch (cc) {
    case CURLE_PEER_FAILED_VERIFICATION:
        return "; the certificate must name the host in --smtp and chain to a CA of the "
               "system's or of --smtp-ca-file";
    case CURLE_USE_SSL_FAILED:
        return "; --smtp-tls required wants a relay that offers STARTTLS";
    default:
        return "";
    }
}

int
smtp_send(const struct smtp_config *cfg, const char *from_addr, const char *to_addr,
          const char *data, size_t len, struct err *e)
{
    int rc = ERR_IO;
    CURL *curl = NULL;
    struct curl_slist *rcpt = NULL;
    char errbuf[CURL_ERROR_SIZE] = "";
    struct upload up = {data, len, 0, NULL, false, false};
    CURLcode cc = CURLE_OK;
    bool ok;

    if (!mail_addr_ok(from_addr) || !mail_addr_ok(to_addr))
        return err_set(e, ERR_INVALID, "error.email", "email", "smtp: bad envelope address");
    if (cfg == NULL || cfg->url == NULL)
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "smtp: no URL configured");
    if ((rc = check_policy(cfg, e)))
        return rc;
    rc = ERR_IO;

    long timeout = cfg->timeout_seconds > 0 ? cfg->timeout_seconds : SMTP_TIMEOUT_DEFAULT;
    long connect_timeout = timeout < SMTP_CONNECT_TIMEOUT ? timeout : SMTP_CONNECT_TIMEOUT;
    bool smtps = url_is_smtps(cfg->url, &ok);
    /* Only STARTTLS by choice goes unverified; smtps:// and required
     * check the chain (against ca_file when given) and the host name. */
    bool opportunistic = !smtps && cfg->tls == SMTP_TLS_OPPORTUNISTIC;
    long verify = opportunistic ? 0L : 1L;
    long use_ssl = smtps                           ? (long)CURLUSESSL_ALL
                   : cfg->tls == SMTP_TLS_NONE     ? (long)CURLUSESSL_NONE
                   : cfg->tls == SMTP_TLS_REQUIRED ? (long)CURLUSESSL_ALL
                                                   : (long)CURLUSESSL_TRY;

    curl = curl_easy_init();
    if (curl == NULL) {
        err_set(e, ERR_IO, "error.io", NULL, "smtp: curl_easy_init failed");
        goto out;
    }
    up.curl = curl;
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
    SETOPT(CURLOPT_USE_SSL, use_ssl);
    SETOPT(CURLOPT_SSL_VERIFYPEER, verify);
    SETOPT(CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L);
    if (cfg->ca_file)
        SETOPT(CURLOPT_CAINFO, cfg->ca_file);
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
            err_set(e, ERR_IO, "error.io", NULL, "smtp: %s (SMTP %ld)%s", why, code, hint(cc));
        else
            err_set(e, ERR_IO, "error.io", NULL, "smtp: %s%s", why, hint(cc));
        goto out;
    }
    if (opportunistic)
        log_opportunistic(&up);
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
