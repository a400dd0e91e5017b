/*
 * err.h: how fallible functions report what went wrong.
 *
 * A fallible function returns int: 0 on success, a negative enum err_code
 * on failure.  Details go into a caller-owned struct err passed last (as
 * git passes a struct strbuf *err): the code, the message key users see
 * in their own language (looked up in data/i18n), the form field it is
 * about, and a text for the log that users never see.
 *
 *     if (bad)
 *         return err_set(e, ERR_INVALID, "error.postal_code", "postal_code",
 *                        "postal code %s does not parse", code);
 *
 * e may be NULL when the caller does not want details.
 */
#ifndef PETITIOND_ERR_H
#define PETITIOND_ERR_H

enum err_code {
    ERR_OK = 0,
    ERR_INVALID = -1,     /* bad input from outside: 400 */
    ERR_NOT_FOUND = -2,   /* 404 */
    ERR_CONFLICT = -3,    /* state does not allow it: 409 */
    ERR_TOO_LARGE = -4,   /* 413 */
    ERR_FORBIDDEN = -5,   /* 403 */
    ERR_GONE = -6,        /* 410 */
    ERR_UNAVAILABLE = -7, /* overloaded or shutting down: 503 */
    ERR_STORE = -8,       /* the database failed: 500 */
    ERR_IO = -9,          /* a file or socket failed: 500 */
    ERR_INTERNAL = -10,   /* a bug: 500 */
    ERR_UNAUDITED = -11,  /* a staff write without its audit record (a bug): 500 */
};

struct err {
    enum err_code code;
    const char *key;   /* message catalogue key, e.g. "error.not_found" */
    const char *field; /* form field or parameter name, or NULL */
    char log[256];     /* for the log only; may hold user bytes: escape it */
};

#define ERR_INIT {ERR_OK, NULL, NULL, {0}}

/* Fill e (when not NULL) and return code, so callers can `return err_set()`. */
int err_set(struct err *e, enum err_code code, const char *key, const char *field,
            const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The HTTP status for a code (house style 7: one table). */
int err_http_status(enum err_code code);

/* A short English name of the code, for logs. */
const char *err_code_name(enum err_code code);

#endif
