/*
 * strbuf.c: growable byte strings with a sticky error; see strbuf.h.
 */
#include "lib/strbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/die.h"
#include "lib/banned.h"

static char sb_empty[1];

void
sb_init(struct strbuf *sb, struct arena *arena)
{
    sb->buf = sb_empty;
    sb->len = 0;
    sb->alloc = 0;
    sb->max = 0;
    sb->arena = arena;
    sb->failed = false;
}

void
sb_set_max(struct strbuf *sb, size_t max)
{
    sb->max = max;
    if (max && sb->len > max)
        sb->failed = true;
}

void
sb_grow(struct strbuf *sb, size_t extra)
{
    if (sb->failed)
        return;
    if (extra > SIZE_MAX - sb->len - 1)
        die_oom();
    size_t need = sb->len + extra + 1;
    if (need <= sb->alloc)
        return;
    size_t n = sb->alloc ? sb->alloc : 64;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    char *p;
    if (sb->arena) {
        p = arena_realloc(sb->arena, sb->alloc ? sb->buf : NULL, sb->alloc ? sb->len + 1 : 0, n);
    } else {
        p = realloc(sb->alloc ? sb->buf : NULL, n);
        if (!p)
            die_oom();
    }
    if (!sb->alloc)
        p[0] = '\0';
    sb->buf = p;
    sb->alloc = n;
}

static bool
sb_room(struct strbuf *sb, size_t len)
{
    if (sb->failed)
        return false;
    if (sb->max && (len > sb->max || sb->len > sb->max - len)) {
        sb->failed = true;
        return false;
    }
    sb_grow(sb, len);
    return true;
}

void
sb_add(struct strbuf *sb, const void *data, size_t len)
{
    if (len == 0 || !sb_room(sb, len))
        return;
    memcpy(sb->buf + sb->len, data, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}

void
sb_adds(struct strbuf *sb, const char *s)
{
    sb_add(sb, s, strlen(s));
}

void
sb_addch(struct strbuf *sb, char c)
{
    sb_add(sb, &c, 1);
}

void
sb_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        sb->failed = true;
        return;
    }
    if (!sb_room(sb, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

void
sb_reset(struct strbuf *sb)
{
    sb->len = 0;
    sb->failed = false;
    if (sb->alloc)
        sb->buf[0] = '\0';
}

void
sb_setlen(struct strbuf *sb, size_t len)
{
    if (len > sb->len)
        die("sb_setlen beyond length");
    sb->len = len;
    if (sb->alloc)
        sb->buf[len] = '\0';
}

char *
sb_detach(struct strbuf *sb, size_t *len)
{
    char *p;
    if (!sb->alloc)
        sb_grow(sb, 0);
    if (!sb->alloc) {
        /* A failed strbuf never allocated: hand out an empty string. */
        p = sb->arena ? arena_strdup(sb->arena, "") : calloc(1, 1);
        if (!p)
            die_oom();
    } else {
        p = sb->buf;
    }
    if (len)
        *len = sb->alloc ? sb->len : 0;
    sb_init(sb, sb->arena);
    return p;
}

void
sb_release(struct strbuf *sb)
{
    if (!sb->arena && sb->alloc)
        free(sb->buf);
    sb_init(sb, sb->arena);
}
