/*
 * strbuf.h: growable byte strings.
 *
 * A strbuf holds `len` bytes at `buf`, always followed by a NUL byte, so
 * `buf` can be used as a C string when the content has no NUL of its own
 * (the content itself may hold any bytes).  An initialised strbuf's `buf`
 * is never NULL.
 *
 * Memory comes from an arena when one is given (the strbuf then needs no
 * release: the arena frees it) or from the heap (release with
 * sb_release(), or take the bytes with sb_detach()).
 *
 * Errors are sticky, as in sqlite3_str: appending past `max` (when set)
 * marks the strbuf as failed, later appends are ignored, and the caller
 * checks sb_failed() once at the end instead of after every append.
 *
 *     struct strbuf sb;
 *     sb_init(&sb, req->arena);
 *     sb_adds(&sb, "Hello, ");
 *     html_escape(&sb, name, name_len);
 *     if (sb_failed(&sb)) ...
 */
#ifndef PETITIOND_STRBUF_H
#define PETITIOND_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

struct strbuf {
    char *buf;
    size_t len;
    size_t alloc;
    size_t max;          /* 0 = no limit */
    struct arena *arena; /* NULL = heap */
    bool failed;
};

/* Initialise an empty strbuf backed by arena (or the heap when NULL). */
void sb_init(struct strbuf *sb, struct arena *arena);

/* Refuse (and mark failed) any growth beyond max bytes of content. */
void sb_set_max(struct strbuf *sb, size_t max);

/* Make room for at least extra more bytes. */
void sb_grow(struct strbuf *sb, size_t extra);

void sb_add(struct strbuf *sb, const void *data, size_t len);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addch(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Empty the content, keeping the memory and the failed flag cleared. */
void sb_reset(struct strbuf *sb);

/* Shorten the content to len bytes (len <= sb->len). */
void sb_setlen(struct strbuf *sb, size_t len);

static inline bool
sb_failed(const struct strbuf *sb)
{
    return sb->failed;
}

/*
 * Give the bytes away: the caller owns the returned NUL-terminated buffer
 * (free() it for a heap strbuf; arena memory for an arena one).  The
 * strbuf is left empty and initialised.
 */
char *sb_detach(struct strbuf *sb, size_t *len);

/* Free the heap memory of a heap-backed strbuf; a no-op for an arena one. */
void sb_release(struct strbuf *sb);

#endif
