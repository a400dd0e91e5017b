/*
 * petition_log.c: the entries of an e-petition's public log; see
 * petition_log.h.
 */
#include "core/petition_log.h"

#include <string.h>

#include <sodium.h>

#include "core/eastern_time.h"
#include "lib/civil.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

void
petition_log_commitment(const uint8_t nonce[PETITION_LOG_NONCE_BYTES],
                        char out[PETITION_LOG_COMMITMENT_HEX + 1])
{
    uint8_t h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, nonce, PETITION_LOG_NONCE_BYTES);
    sodium_bin2hex(out, PETITION_LOG_COMMITMENT_HEX + 1, h, sizeof(h));
}

void
petition_log_sig(struct strbuf *out, int64_t utc, enum region region,
                 const uint8_t nonce[PETITION_LOG_NONCE_BYTES])
{
    struct civil_time t;
    char c[PETITION_LOG_COMMITMENT_HEX + 1];
    eastern_from_utc(utc, &t);
    petition_log_commitment(nonce, c);
    if (t.year < 0 || t.year > 9999) {
        sb_addf(out, "sig %04d-%02d-%02d %s %s", t.year, t.month, t.day, region_code(region), c);
        return;
    }
    /* Written out by hand: one is formatted for every confirmation, in
     * the intake writer's transaction, and printf costs more than all
     * the rest but the hash. */
    char d[] = "sig YYYY-MM-DD ";
    d[4] = (char)('0' + t.year / 1000);
    d[5] = (char)('0' + t.year / 100 % 10);
    d[6] = (char)('0' + t.year / 10 % 10);
    d[7] = (char)('0' + t.year % 10);
    d[9] = (char)('0' + t.month / 10);
    d[10] = (char)('0' + t.month % 10);
    d[12] = (char)('0' + t.day / 10);
    d[13] = (char)('0' + t.day % 10);
    sb_add(out, d, sizeof(d) - 1);
    sb_adds(out, region_code(region));
    sb_addch(out, ' ');
    sb_add(out, c, PETITION_LOG_COMMITMENT_HEX);
}

void
petition_log_void(struct strbuf *out, int64_t index, const char *reason)
{
    sb_addf(out, "void %lld %s", (long long)index, reason);
}

void
petition_log_import(struct strbuf *out, enum region region, int64_t n)
{
    sb_addf(out, "import %s %lld", region_code(region), (long long)n);
}

/* ---- parsing ------------------------------------------------------------------------------ */

struct cursor {
    const char *p, *end;
};

/* The next word (up to a space or the end); false when empty. */
static bool
word(struct cursor *c, const char **w, size_t *len)
{
    const char *s = c->p;
    while (c->p < c->end && *c->p != ' ')
        c->p++;
    *w = s;
    *len = (size_t)(c->p - s);
    if (c->p < c->end)
        c->p++; /* the space */
    return *len > 0;
}

static bool
at_end(const struct cursor *c)
{
    return c->p == c->end;
}

/* A decimal without leading zeros (a '-' first when negative is true),
 * at most 18 digits. */
static bool
decimal(const char *s, size_t len, bool negative, int64_t *out)
{
    bool neg = false;
    if (negative && len > 1 && s[0] == '-') {
        neg = true;
        s++;
        len--;
    }
    if (len == 0 || len > 18 || (len > 1 && s[0] == '0') || (neg && s[0] == '0'))
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = neg ? -v : v;
    return true;
}

static bool
region_word(const char *s, size_t len, enum region *out)
{
    /* As region_code() writes it: upper case. */
    return region_from_code(s, len, out) == 0 && strlen(region_code(*out)) == len &&
           memcmp(region_code(*out), s, len) == 0;
}

static bool
day_word(const char *s, size_t len, struct petition_log_entry *out)
{
    int64_t y, m, d;
    if (len != 10 || s[4] != '-' || s[7] != '-' || !decimal(s, 4, false, &y) ||
        !(s[5] >= '0' && s[5] <= '1' && s[6] >= '0' && s[6] <= '9') ||
        !(s[8] >= '0' && s[8] <= '3' && s[9] >= '0' && s[9] <= '9'))
        return false;
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (m < 1 || m > 12 || d < 1)
        return false;
    /* A real day: it survives the round trip through day numbers. */
    int yy, mm, dd;
    civil_from_days(days_from_civil((int)y, (int)m, (int)d), &yy, &mm, &dd);
    if (yy != y || mm != m || dd != d)
        return false;
    out->year = (int)y;
    out->month = (int)m;
    out->day = (int)d;
    return true;
}

int
petition_log_parse(const char *entry, size_t len, struct petition_log_entry *out)
{
    struct cursor c = {entry, entry + len};
    const char *w;
    size_t n;

    memset(out, 0, sizeof(*out));
    if (!word(&c, &w, &n))
        return -1;
    if (n == 3 && memcmp(w, "sig", 3) == 0) {
        out->kind = PETITION_LOG_SIG;
        if (!word(&c, &w, &n) || !day_word(w, n, out))
            return -1;
        if (!word(&c, &w, &n) || !region_word(w, n, &out->region))
            return -1;
        if (!word(&c, &w, &n) || n != PETITION_LOG_COMMITMENT_HEX)
            return -1;
        for (size_t i = 0; i < n; i++)
            if (!((w[i] >= '0' && w[i] <= '9') || (w[i] >= 'a' && w[i] <= 'f')))
                return -1;
        memcpy(out->commitment, w, n);
        out->commitment[n] = '\0';
    } else if (n == 4 && memcmp(w, "void", 4) == 0) {
        out->kind = PETITION_LOG_VOID;
        if (!word(&c, &w, &n) || !decimal(w, n, false, &out->index))
            return -1;
        if (!word(&c, &w, &n) || n >= sizeof(out->reason))
            return -1;
        for (size_t i = 0; i < n; i++)
            if (w[i] < 'a' || w[i] > 'z')
                return -1;
        memcpy(out->reason, w, n);
        out->reason[n] = '\0';
    } else if (n == 6 && memcmp(w, "import", 6) == 0) {
        out->kind = PETITION_LOG_IMPORT;
        if (!word(&c, &w, &n) || !region_word(w, n, &out->region))
            return -1;
        if (!word(&c, &w, &n) || !decimal(w, n, true, &out->n))
            return -1;
    } else {
        return -1;
    }
    /* Nothing after the last word, not even a space. */
    if (!at_end(&c) || entry[len - 1] == ' ')
        return -1;
    return 0;
}

int64_t
petition_log_weight(const struct petition_log_entry *e)
{
    switch (e->kind) {
    case PETITION_LOG_SIG:
        return 1;
    case PETITION_LOG_VOID:
        return -1;
    case PETITION_LOG_IMPORT:
        return e->n;
    }
    return 0;
}
