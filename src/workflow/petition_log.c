/*
 * petition_log.c: what a transaction adds to the public logs of the
 * petitions whose counts it moves; see petition_log.h.
 */
#include "workflow/petition_log.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/signature.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/token.h"
#include "store/store.h"
#include "workflow/flow.h"
#include "lib/banned.h"

void
log_txn_init(struct log_txn *lt, struct arena *a)
{
    memset(lt, 0, sizeof(*lt));
    lt->a = a;
}

void
log_nonce(const struct flow *f, const struct signature_record *g,
          uint8_t out[PETITION_LOG_NONCE_BYTES])
{
    /* The MAC of "log-nonce|<id>|<email key>" (token_mac_bytes()), fed in
     * pieces: one is made for every confirmation, in the intake writer's
     * transaction, without a malloc or a printf. */
    crypto_auth_hmacsha512256_state st;
    char digits[24];
    size_t n = sizeof(digits);
    unsigned long long v = g->id < 0 ? 0ULL - (unsigned long long)g->id : (unsigned long long)g->id;
    do {
        digits[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (g->id < 0)
        digits[--n] = '-';
    const char *key = g->email_key ? g->email_key : "";
    crypto_auth_hmacsha512256_init(&st, f->link_key, TOKEN_KEY_BYTES);
    crypto_auth_hmacsha512256_update(&st, (const unsigned char *)"log-nonce|", 10);
    crypto_auth_hmacsha512256_update(&st, (const unsigned char *)digits + n, sizeof(digits) - n);
    crypto_auth_hmacsha512256_update(&st, (const unsigned char *)"|", 1);
    crypto_auth_hmacsha512256_update(&st, (const unsigned char *)key, strlen(key));
    crypto_auth_hmacsha512256_final(&st, out);
}

void
log_receipt_token(const struct flow *f, int64_t signature_id, char out[TOKEN_MAC_CHARS + 1])
{
    char m[64];
    snprintf(m, sizeof(m), "receipt|%lld", (long long)signature_id);
    token_mac(f->link_key, m, out);
}

const char *
log_receipt_path(const struct flow *f, struct arena *a, int64_t signature_id)
{
    char tok[TOKEN_MAC_CHARS + 1];
    log_receipt_token(f, signature_id, tok);
    return arena_printf(a, "/receipts/%lld/%s.tlog-proof", (long long)signature_id, tok);
}

/* Add entry (arena memory) to log l. */
static void
add_entry(struct log_txn *lt, struct log_txn_log *l, const char *entry, int64_t weight)
{
    int64_t waiting = l->next - l->size;
    if (waiting == l->cap) {
        int cap = l->cap ? 2 * l->cap : 16;
        const char **v = arena_alloc(lt->a, (size_t)cap * sizeof(*v));
        if (waiting)
            memcpy(v, l->entries, (size_t)waiting * sizeof(*v));
        l->entries = v;
        l->cap = cap;
    }
    l->entries[waiting] = entry;
    l->next++;
    l->weight += weight;
}

/* The log of petition_id in lt, read (and made, with its imports, when
 * the petition has none) the first time. */
static int
log_of(const struct flow *f, struct store_txn *tx, struct log_txn *lt, int64_t petition_id,
       struct log_txn_log **out, struct err *e)
{
    struct log_head head;
    int r;

    *out = NULL;
    if (f->log_off)
        return 0;
    for (int i = 0; i < lt->nlogs; i++)
        if (lt->logs[i].petition_id == petition_id) {
            *out = &lt->logs[i];
            return 0;
        }
    if (lt->nlogs == lt->cap) {
        int cap = lt->cap ? 2 * lt->cap : 8;
        struct log_txn_log *v = arena_calloc(lt->a, (size_t)cap, sizeof(*v));
        if (lt->nlogs)
            memcpy(v, lt->logs, (size_t)lt->nlogs * sizeof(*v));
        lt->logs = v;
        lt->cap = cap;
    }
    struct log_txn_log *l = &lt->logs[lt->nlogs];
    memset(l, 0, sizeof(*l));
    l->petition_id = petition_id;
    r = store_log_head(f->store, tx, petition_id, &head, e);
    if (r && r != ERR_NOT_FOUND)
        return r;
    lt->nlogs++;
    *out = l;
    if (!r) {
        l->size = l->next = head.size;
        return 0;
    }
    /* No log yet: it starts with what the petition counts already. */
    int64_t stored[REGION_COUNT], total;
    if ((r = store_petition_counts_stored(f->store, tx, petition_id, stored, &total, e)))
        return r;
    for (int i = 0; i < REGION_COUNT; i++) {
        if (!stored[i])
            continue;
        struct strbuf sb;
        sb_init(&sb, lt->a);
        petition_log_import(&sb, (enum region)i, stored[i]);
        add_entry(lt, l, sb.buf, stored[i]);
    }
    return 0;
}

int
log_txn_open(const struct flow *f, struct store_txn *tx, struct log_txn *lt, int64_t petition_id,
             struct err *e)
{
    struct log_txn_log *l;
    return log_of(f, tx, lt, petition_id, &l, e);
}

int
log_txn_sig(const struct flow *f, struct store_txn *tx, struct log_txn *lt,
            struct signature_record *g, int64_t now, struct err *e)
{
    struct log_txn_log *l;
    uint8_t nonce[PETITION_LOG_NONCE_BYTES];
    struct strbuf sb;
    int r;

    if ((r = log_of(f, tx, lt, g->petition_id, &l, e)) || !l)
        return r;
    log_nonce(f, g, nonce);
    sb_init(&sb, lt->a);
    petition_log_sig(&sb, now, g->region, nonce);
    g->logged = true;
    g->log_index = l->next;
    add_entry(lt, l, sb.buf, 1);
    return 0;
}

int
log_txn_void(const struct flow *f, struct store_txn *tx, struct log_txn *lt,
             struct signature_record *g, const char *reason, struct err *e)
{
    struct log_txn_log *l;
    struct strbuf sb;
    int r;

    if ((r = log_of(f, tx, lt, g->petition_id, &l, e)) || !l)
        return r;
    sb_init(&sb, lt->a);
    if (g->logged)
        petition_log_void(&sb, g->log_index, reason);
    else
        petition_log_import(&sb, g->region, -1);
    add_entry(lt, l, sb.buf, -1);
    g->logged = false;
    g->log_index = 0;
    return 0;
}

int
log_txn_import(const struct flow *f, struct store_txn *tx, struct log_txn *lt, int64_t petition_id,
               enum region region, int64_t n, struct err *e)
{
    struct log_txn_log *l;
    struct strbuf sb;
    int r;

    if (!n)
        return 0;
    if ((r = log_of(f, tx, lt, petition_id, &l, e)) || !l)
        return r;
    sb_init(&sb, lt->a);
    petition_log_import(&sb, region, n);
    add_entry(lt, l, sb.buf, n);
    return 0;
}

void
log_txn_job_begin(struct log_txn *lt)
{
    lt->nmark = lt->nlogs;
    lt->mark = NULL;
    if (lt->nlogs) {
        lt->mark = arena_alloc(lt->a, (size_t)lt->nlogs * sizeof(*lt->mark));
        memcpy(lt->mark, lt->logs, (size_t)lt->nlogs * sizeof(*lt->mark));
    }
}

void
log_txn_job_end(struct log_txn *lt, bool keep)
{
    if (keep)
        return;
    /* Forget the logs the job opened (their imports are undone with it)
     * and what it added to the others. */
    lt->nlogs = lt->nmark;
    for (int i = 0; i < lt->nmark; i++) {
        lt->logs[i].next = lt->mark[i].next;
        lt->logs[i].weight = lt->mark[i].weight;
    }
}

int
log_txn_flush(struct store_txn *tx, struct log_txn *lt, struct err *e)
{
    int r = 0;
    for (int i = 0; i < lt->nlogs && !r; i++) {
        struct log_txn_log *l = &lt->logs[i];
        /* A log made with nothing to import is made empty. */
        if (l->next == l->size && l->size != 0)
            continue;
        r = store_log_append(tx, l->petition_id, l->size, l->entries, (int)(l->next - l->size),
                             l->weight, e);
        l->size = l->next;
        l->weight = 0;
    }
    if (!r)
        lt->nlogs = 0;
    return r;
}
