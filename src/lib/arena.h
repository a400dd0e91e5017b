/*
 * arena.h: a region allocator for memory that dies together.
 *
 * Every request gets one arena, made when libmicrohttpd first calls us for
 * the request and freed in the completion callback; nothing allocated from
 * it may outlive the response.  The pure core allocates only from an arena
 * it is handed.  Allocation never fails: running out of memory aborts the
 * process with a log line (house style 8), so callers need no NULL checks.
 *
 * An arena is not thread-safe: one thread owns it at a time.
 */
#ifndef PETITIOND_ARENA_H
#define PETITIOND_ARENA_H

#include <stddef.h>

struct arena;

/* Make an empty arena.  The caller owns it and frees it with arena_free(). */
struct arena *arena_new(void);

/* Free every block of the arena and the arena itself.  NULL is allowed. */
void arena_free(struct arena *a);

/* Memory for n bytes, aligned for any type, zero-filled, owned by the arena. */
void *arena_alloc(struct arena *a, size_t n);

/* Memory for count elements of size bytes each, with an overflow check. */
void *arena_calloc(struct arena *a, size_t count, size_t size);

/* Grow a previous allocation of old_n bytes to new_n bytes (copying). */
void *arena_realloc(struct arena *a, void *p, size_t old_n, size_t new_n);

/* A NUL-terminated copy of the n bytes at s. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* A NUL-terminated copy of the string s. */
char *arena_strdup(struct arena *a, const char *s);

/* A formatted string, owned by the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Bytes handed out so far (for limits and tests). */
size_t arena_used(const struct arena *a);

#endif
