/*
 * smtp.c: one message to one recipient over SMTP, with libcurl's easy
 * interface, under the operator's TLS policy (smtp.h).  No connection
 * reuse: petitiond sends few messages, and a fresh handle per call keeps
 * this thread-safe without locks; the one shared thing, what the log last
 * said about opportunistic TLS, is an atomic.
 *
 * libcurl reports a failed dialogue by its last reply code only ("RCPT
 * failed: 550"), so the dialogue is followed through its debug callback:
 * the verb of each command sent and the lines of each reply, which give
 * the reply's text and what it answered (struct smtp_reply).  Nothing
 * else of the dialogue is kept: not the message, not AUTH's arguments.
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

/* What the client last sent, for what a reply answers. */
enum stage {
    STAGE_SESSION = 0, /* the greeting, EHLO, STARTTLS, AUTH */
    STAGE_MAIL,        /* MAIL FROM */
    STAGE_RCPT,        /* RCPT TO */
    STAGE_DATA,        /* DATA */
    STAGE_MESSAGE,     /* the message's bytes and their final dot */
};

/* The dialogue as the debug callback follows it. */
struct dialogue {
    enum stage stage;
    bool quitting;             /* QUIT sent: its reply is not the one that matters */
    bool fresh;                /* the next reply line starts a new reply */
    size_t len;                /* of text */
    char text[SMTP_REPLY_MAX]; /* the last reply, its lines joined by spaces */
};

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

/* Add one reply line (its CR LF dropped) to the reply being read. */
static void
reply_line(struct dialogue *d, const char *line, size_t n)
{
    while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == '\n'))
        n--;
    if (d->fresh) {
        d->len = 0;
        d->fresh = false;
    }
    if (d->len > 0 && d->len + 1 < sizeof(d->text))
        d->text[d->len++] = ' ';
    for (size_t i = 0; i < n && d->len + 1 < sizeof(d->text); i++) {
        unsigned char c = (unsigned char)line[i];
        d->text[d->len++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    d->text[d->len] = '\0';
}

/* libcurl's account of the dialogue (CURLOPT_DEBUGFUNCTION): commands
 * out (their verb only), replies in, and the message going out. */
static int
debug_cb(CURL *curl, curl_infotype type, char *data, size_t size, void *arg)
{
    static const struct {
        const char *verb;
        enum stage stage;
    } verbs[] = {{"MAIL", STAGE_MAIL}, {"RCPT", STAGE_RCPT}, {"DATA", STAGE_DATA}};
    struct dialogue *d = arg;
    (void)curl;
    switch (type) {
    case CURLINFO_HEADER_OUT:
        d->fresh = true;
        if (size >= 4 && strncasecmp(data, "QUIT", 4) == 0) {
            d->quitting = true;
            break;
        }
        d->stage = STAGE_SESSION;
        for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
            if (size >= 4 && strncasecmp(data, verbs[i].verb, 4) == 0)
                d->stage = verbs[i].stage;
        break;
    case CURLINFO_DATA_OUT:
        d->stage = STAGE_MESSAGE;
        d->fresh = true;
        break;
    case CURLINFO_HEADER_IN:
        if (d->quitting)
            break;
        for (size_t i = 0; i < size;) {
            const char *nl = memchr(data + i, '\n', size - i);
            size_t n = nl ? (size_t)(nl - (data + i)) + 1 : size - i;
            reply_line(d, data + i, n);
            i += n;
        }
        break;
    default:
        break;
    }
    return 0;
}

/* An e-mail address's local part, as a reply may quote it: RFC 5322's
 * atext and the dot. */
static bool
local_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~.", c) != NULL);
}

/* Copy the reply into out (SMTP_REPLY_MAX bytes) with the local part of
 * every address ("x@y") replaced by "***": a reply often quotes the
 * recipient, who is a signatory, and it goes to the log and to staff. */
static void
mask_addresses(const char *text, char *out)
{
    size_t o = 0, n = strlen(text);
    for (size_t i = 0; i < n && o + 1 < SMTP_REPLY_MAX; i++) {
        size_t j = i;
        while (j < n && local_char(text[j]))
            j++;
        if (j > i && j < n && text[j] == '@' && j + 1 < n && text[j + 1] != ' ') {
            for (const char *m = "***"; *m && o + 1 < SMTP_REPLY_MAX; m++)
                out[o++] = *m;
            i = j - 1; /* the '@' comes next, kept */
            continue;
        }
        out[o++] = text[i];
    }
    out[o] = '\0';
}

/* The reply that ended a failed dialogue into *r: the relay's last one
 * when it refused (4xx, 5xx), else none (the connection, TLS or a
 * timeout failed after a reply that accepted). */
static void
reply_of(CURL *curl, const struct dialogue *d, struct smtp_reply *r)
{
    long code = 0;
    const char *t = d->text;
    memset(r, 0, sizeof(*r));
    if (d->len >= 3 && t[0] >= '1' && t[0] <= '5' && t[1] >= '0' && t[1] <= '9' && t[2] >= '0' &&
        t[2] <= '9')
        code = (t[0] - '0') * 100 + (t[1] - '0') * 10 + (t[2] - '0');
    else if (curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK)
        code = 0;
    if (code < 400 || code > 599)
        return;
    r->code = (int)code;
    if (d->len >= 3)
        mask_addresses(d->text, r->text);
    r->permanent = code >= 500 && d->stage >= STAGE_RCPT;
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
          const char *data, size_t len, struct smtp_reply *reply, struct err *e)
{
    int rc = ERR_IO;
    CURL *curl = NULL;
    struct curl_slist *rcpt = NULL;
    char errbuf[CURL_ERROR_SIZE] = "";
    struct upload up = {data, len, 0, NULL, false, false};
    struct dialogue dlg = {.fresh = true};
    struct smtp_reply none;
    CURLcode cc = CURLE_OK;
    bool ok;

    if (reply == NULL)
        reply = &none;
    memset(reply, 0, sizeof(*reply));

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
    /* The dialogue goes to debug_cb(), never to standard error. */
    SETOPT(CURLOPT_DEBUGFUNCTION, debug_cb);
    SETOPT(CURLOPT_DEBUGDATA, &dlg);
    SETOPT(CURLOPT_VERBOSE, 1L);
#undef SETOPT

    cc = curl_easy_perform(curl);
    if (cc != CURLE_OK) {
        const char *why = errbuf[0] ? errbuf : curl_easy_strerror(cc);
        reply_of(curl, &dlg, reply);
        if (reply->text[0])
            err_set(e, ERR_IO, "error.io", NULL, "smtp: %s%s; the relay said \"%s\"", why, hint(cc),
                    reply->text);
        else if (reply->code > 0)
            err_set(e, ERR_IO, "error.io", NULL, "smtp: %s (SMTP %d)%s", why, reply->code,
                    hint(cc));
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
