/*
 * err.c: error reporting and the one table from error codes to HTTP.
 */
#include "lib/err.h"

#include <stdarg.h>
#include <stdio.h>
#include "lib/banned.h"

int
err_set(struct err *e, enum err_code code, const char *key, const char *field, const char *fmt,
        ...)
{
    if (e) {
        va_list ap;
        e->code = code;
        e->key = key;
        e->field = field;
        va_start(ap, fmt);
        vsnprintf(e->log, sizeof(e->log), fmt, ap);
        va_end(ap);
    }
    return code;
}

static const struct {
    enum err_code code;
    int status;
    const char *name;
} err_table[] = {
    {ERR_OK, 200, "ok"},
    {ERR_INVALID, 400, "invalid"},
    {ERR_NOT_FOUND, 404, "not_found"},
    {ERR_CONFLICT, 409, "conflict"},
    {ERR_TOO_LARGE, 413, "too_large"},
    {ERR_FORBIDDEN, 403, "forbidden"},
    {ERR_GONE, 410, "gone"},
    {ERR_UNAVAILABLE, 503, "unavailable"},
    {ERR_STORE, 500, "store"},
    {ERR_IO, 500, "io"},
    {ERR_INTERNAL, 500, "internal"},
    {ERR_UNAUDITED, 500, "unaudited"},
};

int
err_http_status(enum err_code code)
{
    for (size_t i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
        if (err_table[i].code == code)
            return err_table[i].status;
    return 500;
}

const char *
err_code_name(enum err_code code)
{
    for (size_t i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
        if (err_table[i].code == code)
            return err_table[i].name;
    return "unknown";
}
