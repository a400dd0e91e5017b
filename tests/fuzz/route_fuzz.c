/*
 * route_fuzz.c: libFuzzer target for route matching (src/cmd/routes.c).
 *
 * The input is a decoded request path (any bytes but NUL, as the server
 * hands them on).  It is matched against every pattern of the real
 * route table; route_match() is static, so the file is included here.
 * Invariants of a match: one capture per '*' of the pattern, each
 * non-empty and without '/', and the pattern with its captures and
 * language put back gives the path itself, byte for byte.
 */
#include "cmd/routes.c"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/lang.h"
#include "lib/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The pattern with its captures and language: the path it matched. */
static void
rebuild(struct strbuf *out, const char *pattern, const struct request *req)
{
    int cap = 0;
    for (const char *p = pattern; *p;) {
        if (strncmp(p, "{lang}", 6) == 0) {
            sb_adds(out, lang_code(req->lang));
            p += 6;
        } else if (*p == '*') {
            assert(cap < req->capture_count);
            sb_adds(out, req->captures[cap++]);
            p++;
        } else {
            sb_addch(out, *p++);
        }
    }
    assert(cap == req->capture_count);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *path = malloc(size + 1);
    assert(path);
    memcpy(path, data, size);
    path[size] = '\0';
    struct arena *arena = arena_new();
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        struct request req;
        memset(&req, 0, sizeof(req));
        req.arena = arena;
        req.lang = LANG_EN;
        if (!route_match(routes[i].pattern, path, &req))
            continue;
        for (int c = 0; c < req.capture_count; c++)
            assert(*req.captures[c] && !strchr(req.captures[c], '/'));
        struct strbuf back;
        sb_init(&back, arena);
        rebuild(&back, routes[i].pattern, &req);
        assert(!sb_failed(&back));
        assert(strcmp(back.buf, path) == 0);
    }
    arena_free(arena);
    free(path);
    return 0;
}
