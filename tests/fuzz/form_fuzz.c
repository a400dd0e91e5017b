/*
 * form_fuzz.c: libFuzzer target for the decoding of
 * application/x-www-form-urlencoded bodies (src/http/form.c).
 *
 * The input is a POST body.  Whatever it holds, decoding must not crash,
 * and a body accepted as a form must give fields that are valid UTF-8
 * without NUL, CR or other control characters but tab and LF, as
 * request.h promises every handler.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include "http/request.h"
#include "lib/arena.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "lib/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The request's headers, as libmicrohttpd would answer req_header(): only
 * the content type a form needs.  Defined here, it takes the place of
 * libmicrohttpd's for this program. */
const char *
MHD_lookup_connection_value(struct MHD_Connection *connection, enum MHD_ValueKind kind,
                            const char *key)
{
    (void)connection;
    if (kind == MHD_HEADER_KIND && strcasecmp(key, "Content-Type") == 0)
        return "application/x-www-form-urlencoded";
    return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct request req;
    memset(&req, 0, sizeof(req));
    req.arena = arena_new();
    req.method = HTTP_POST;
    sb_init(&req.body, req.arena);
    sb_add(&req.body, data, size);
    if (req_form_ok(&req)) {
        assert(req.form_count >= 0);
        for (int i = 0; i < req.form_count; i++) {
            const char *fields[2] = {req.form[i].name, req.form[i].value};
            for (int j = 0; j < 2; j++) {
                size_t n = strlen(fields[j]);
                assert(utf8_valid(fields[j], n));
                assert(!memchr(fields[j], '\r', n));
                assert(!utf8_has_controls(fields[j], n, true));
            }
        }
        /* The first occurrence wins. */
        if (req.form_count > 0)
            assert(req_form(&req, req.form[0].name) == req.form[0].value);
    } else {
        assert(req_form(&req, "csrf") == NULL);
    }
    arena_free(req.arena);
    return 0;
}
