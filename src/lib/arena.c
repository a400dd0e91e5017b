/*
 * arena.c: a bump allocator over a chain of malloc'd blocks.
 *
 * Small allocations are carved out of the current block; a request larger
 * than a quarter of a block gets a block of its own, so one big page does
 * not waste the tail of the current block.  Freeing is all at once.
 */
#include "lib/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/die.h"
#include "lib/banned.h"

enum { ARENA_BLOCK = 16 * 1024, ARENA_ALIGN = 16 };

struct arena_block {
    struct arena_block *next;
    size_t size;
    size_t used;
    _Alignas(16) unsigned char data[];
};

struct arena {
    struct arena_block *head;
    size_t total;
};

static struct arena_block *
block_new(size_t size)
{
    struct arena_block *b = malloc(sizeof(*b) + size);
    if (!b)
        die_oom();
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

struct arena *
arena_new(void)
{
    struct arena *a = malloc(sizeof(*a));
    if (!a)
        die_oom();
    a->head = block_new(ARENA_BLOCK);
    a->total = 0;
    return a;
}

void
arena_free(struct arena *a)
{
    if (!a)
        return;
    struct arena_block *b = a->head;
    while (b) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void *
arena_alloc(struct arena *a, size_t n)
{
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX - ARENA_ALIGN)
        die_oom();
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    struct arena_block *b = a->head;
    void *p;

    if (need > ARENA_BLOCK / 4) {
        /* Its own block, linked behind the head so the head keeps filling. */
        struct arena_block *big = block_new(need);
        big->used = need;
        big->next = b->next;
        b->next = big;
        p = big->data;
    } else {
        if (b->size - b->used < need) {
            b = block_new(ARENA_BLOCK);
            b->next = a->head;
            a->head = b;
        }
        p = b->data + b->used;
        b->used += need;
    }
    a->total += need;
    memset(p, 0, n);
    return p;
}

void *
arena_calloc(struct arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        die_oom();
    return arena_alloc(a, count * size);
}

void *
arena_realloc(struct arena *a, void *p, size_t old_n, size_t new_n)
{
    if (new_n <= old_n)
        return p;
    void *q = arena_alloc(a, new_n);
    if (p && old_n)
        memcpy(q, p, old_n);
    return q;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        die("arena_printf: bad format %s", fmt);
    char *p = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t
arena_used(const struct arena *a)
{
    return a->total;
}
