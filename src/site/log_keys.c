/*
 * log_keys.c: the keys of the public logs' checkpoints; see log_keys.h.
 */
#include "site/log_keys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "lib/arena.h"
#include "lib/base64.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

enum { KEY_FILE_MAX = 64 * 1024 };

/* The file's bytes into sb; ERR_NOT_FOUND when there is none. */
static int
read_file(const char *path, struct strbuf *sb, struct err *e)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT
                   ? err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "%s: no such file", path)
                   : err_set(e, ERR_IO, "error.io", NULL, "%s: %s", path, strerror(errno));
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        sb_add(sb, buf, (size_t)n);
        if (sb->len > KEY_FILE_MAX)
            break;
    }
    int saved = errno;
    close(fd);
    if (n < 0)
        return err_set(e, ERR_IO, "error.io", NULL, "%s: %s", path, strerror(saved));
    if (sb->len > KEY_FILE_MAX)
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "%s: too large for a key file", path);
    return 0;
}

/* Write text to path, made anew with mode 0600: O_EXCL unless replace,
 * and then through a temporary file renamed over it. */
static int
write_file(const char *path, const char *text, size_t len, bool replace, struct err *e)
{
    char tmp[4096];
    /* Of this process: nodes on one machine may share the file. */
    if (snprintf(tmp, sizeof(tmp), "%s.%ld.new", path, (long)getpid()) >= (int)sizeof(tmp))
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "%s: path too long", path);
    const char *target = replace ? tmp : path;
    if (replace)
        unlink(tmp);
    int fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return err_set(e, ERR_IO, "error.io", NULL, "%s: %s", target, strerror(errno));
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int saved = errno;
            close(fd);
            unlink(target);
            return err_set(e, ERR_IO, "error.io", NULL, "%s: %s", target, strerror(saved));
        }
        done += (size_t)n;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        unlink(target);
        return err_set(e, ERR_IO, "error.io", NULL, "%s: %s", target, strerror(errno));
    }
    if (replace && rename(tmp, path) != 0) {
        int saved = errno;
        unlink(tmp);
        return err_set(e, ERR_IO, "error.io", NULL, "%s: %s", path, strerror(saved));
    }
    /* The new name too, in its directory. */
    const char *slash = strrchr(path, '/');
    char dir[4096];
    snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + 1 : 1, slash ? path : ".");
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

/* Parse the file's lines into k: a signer first, verifiers after. */
static int
parse_keys(struct log_keys *k, const char *path, const char *text, size_t len, struct err *e)
{
    size_t at = 0;
    int line = 0;
    k->n = 0;
    while (at < len) {
        const char *s = text + at;
        const char *nl = memchr(s, '\n', len - at);
        size_t n = nl ? (size_t)(nl - s) : len - at;
        at += n + (nl ? 1 : 0);
        line++;
        if (n == 0)
            continue;
        if (k->n == LOG_KEYS_MAX)
            return err_set(e, ERR_INVALID, "error.invalid", NULL, "%s: more than %d keys", path,
                           LOG_KEYS_MAX);
        struct note_key *key = &k->keys[k->n];
        if (note_key_parse(s, n, key) != 0 || key->has_secret != (k->n == 0))
            return err_set(e, ERR_INVALID, "error.invalid", NULL, "%s, line %d: not %s key", path,
                           line, k->n == 0 ? "a signer (PRIVATE+KEY+...)" : "a verifier");
        k->n++;
    }
    if (k->n == 0)
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "%s: no key", path);
    return 0;
}

int
log_keys_load(struct log_keys *k, const char *path, const char *name, bool *made, struct err *e)
{
    struct strbuf sb;
    int r;

    *made = false;
    memset(k, 0, sizeof(*k));
    sb_init(&sb, NULL);
    r = read_file(path, &sb, e);
    if (r == ERR_NOT_FOUND) {
        sb_reset(&sb);
        if (note_key_generate(name, &k->keys[0]) != 0) {
            r = err_set(e, ERR_INVALID, "error.invalid", NULL, "log key name %s: not valid", name);
            goto out;
        }
        note_key_signer(&sb, &k->keys[0]);
        sb_addch(&sb, '\n');
        if ((r = write_file(path, sb.buf, sb.len, false, e)))
            goto out;
        *made = true;
        sb_reset(&sb);
        if ((r = read_file(path, &sb, e)))
            goto out;
    } else if (r) {
        goto out;
    }
    r = parse_keys(k, path, sb.buf, sb.len, e);
out:
    sodium_memzero(sb.buf, sb.len);
    sb_release(&sb);
    if (r)
        sodium_memzero(k, sizeof(*k));
    return r;
}

int
log_keys_rotate(const char *path, const char *name, struct err *e)
{
    struct log_keys *k = sodium_malloc(sizeof(*k));
    struct note_key fresh;
    struct strbuf sb;
    bool made;
    int r;

    if (!k)
        return err_set(e, ERR_IO, "error.io", NULL, "out of memory");
    sb_init(&sb, NULL);
    if ((r = log_keys_load(k, path, name, &made, e)))
        goto out;
    if (k->n == LOG_KEYS_MAX) {
        r = err_set(e, ERR_INVALID, "error.invalid", NULL, "%s: %d keys already", path,
                    LOG_KEYS_MAX);
        goto out;
    }
    if (note_key_generate(name, &fresh) != 0) {
        r = err_set(e, ERR_INVALID, "error.invalid", NULL, "log key name %s: not valid", name);
        goto out;
    }
    note_key_signer(&sb, &fresh);
    sb_addch(&sb, '\n');
    for (int i = 0; i < k->n; i++) {
        note_key_verifier(&sb, &k->keys[i]);
        sb_addch(&sb, '\n');
    }
    r = write_file(path, sb.buf, sb.len, true, e);
    sodium_memzero(&fresh, sizeof(fresh));
out:
    sodium_memzero(sb.buf, sb.len);
    sb_release(&sb);
    sodium_free(k);
    return r;
}

void
log_keys_verifiers(struct strbuf *out, const struct log_keys *k)
{
    for (int i = 0; i < k->n; i++) {
        note_key_verifier(out, &k->keys[i]);
        sb_addch(out, '\n');
    }
}

/* ---- the signer's memory ------------------------------------------------------------------ */

struct log_signed {
    char *origin;
    int64_t size;
    struct tlog_hash root;
};

struct log_signed_file {
    char *path;
    struct arena *a;
    struct log_signed *v;
    int n, cap;
};

static struct log_signed *
signed_find(struct log_signed_file *m, const char *origin)
{
    for (int i = 0; i < m->n; i++)
        if (strcmp(m->v[i].origin, origin) == 0)
            return &m->v[i];
    return NULL;
}

static struct log_signed *
signed_add(struct log_signed_file *m, const char *origin, size_t len)
{
    if (m->n == m->cap) {
        int cap = m->cap ? 2 * m->cap : 16;
        struct log_signed *v = arena_calloc(m->a, (size_t)cap, sizeof(*v));
        if (m->n)
            memcpy(v, m->v, (size_t)m->n * sizeof(*v));
        m->v = v;
        m->cap = cap;
    }
    struct log_signed *s = &m->v[m->n++];
    s->origin = arena_strndup(m->a, origin, len);
    return s;
}

/* One line: "<origin> <size> <base64 root>". */
static int
signed_line(struct log_signed_file *m, const char *s, size_t n)
{
    const char *sp1 = memchr(s, ' ', n);
    const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - s)) : NULL;
    if (!sp1 || !sp2 || sp1 == s)
        return -1;
    int64_t size = 0;
    for (const char *p = sp1 + 1; p < sp2; p++) {
        if (*p < '0' || *p > '9' || p - sp1 > 18)
            return -1;
        size = size * 10 + (*p - '0');
    }
    struct tlog_hash root;
    size_t got = 0;
    if (base64_decode(sp2 + 1, n - (size_t)(sp2 + 1 - s), root.b, sizeof(root.b), &got) != 0 ||
        got != sizeof(root.b))
        return -1;
    struct log_signed *l = signed_add(m, s, (size_t)(sp1 - s));
    l->size = size;
    l->root = root;
    return 0;
}

int
log_signed_open(const char *key_path, struct log_signed_file **out, struct err *e)
{
    struct log_signed_file *m = calloc(1, sizeof(*m));
    struct strbuf sb;
    int r, line = 0;

    if (!m)
        return err_set(e, ERR_IO, "error.io", NULL, "out of memory");
    m->a = arena_new();
    m->path = arena_printf(m->a, "%s.signed", key_path);
    sb_init(&sb, NULL);
    r = read_file(m->path, &sb, e);
    if (r == ERR_NOT_FOUND)
        r = 0;
    for (size_t at = 0; !r && at < sb.len;) {
        const char *s = sb.buf + at;
        const char *nl = memchr(s, '\n', sb.len - at);
        size_t n = nl ? (size_t)(nl - s) : sb.len - at;
        at += n + (nl ? 1 : 0);
        line++;
        if (n && signed_line(m, s, n) != 0)
            r = err_set(e, ERR_INVALID, "error.invalid", NULL, "%s, line %d: not a checkpoint",
                        m->path, line);
    }
    sb_release(&sb);
    if (r) {
        log_signed_close(m);
        return r;
    }
    *out = m;
    return 0;
}

void
log_signed_close(struct log_signed_file *m)
{
    if (!m)
        return;
    arena_free(m->a);
    free(m);
}

static bool
signed_recall(void *ctx, const char *origin, int64_t *size, struct tlog_hash *root)
{
    struct log_signed *s = signed_find(ctx, origin);
    if (!s)
        return false;
    *size = s->size;
    *root = s->root;
    return true;
}

static int
signed_remember(void *ctx, const char *origin, int64_t size, const struct tlog_hash *root,
                struct err *e)
{
    struct log_signed_file *m = ctx;
    struct log_signed *s = signed_find(m, origin);
    if (!s)
        s = signed_add(m, origin, strlen(origin));
    s->size = size;
    s->root = *root;
    struct strbuf sb;
    sb_init(&sb, NULL);
    for (int i = 0; i < m->n; i++) {
        sb_addf(&sb, "%s %lld ", m->v[i].origin, (long long)m->v[i].size);
        base64_add(&sb, m->v[i].root.b, TLOG_HASH_BYTES);
        sb_addch(&sb, '\n');
    }
    int r = write_file(m->path, sb.buf, sb.len, true, e);
    sb_release(&sb);
    return r;
}

void
log_signed_memory(struct log_signed_file *m, struct log_memory *out)
{
    *out = (struct log_memory){.recall = signed_recall, .remember = signed_remember, .ctx = m};
}
