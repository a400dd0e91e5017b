/*
 * sign_batch_test.c: a batch written together (sign_write_batch() in
 * workflow/signing.h, what the intake writer does) ends exactly as the
 * same signatures and confirmations written in turn, each in a
 * transaction of its own (sign_submit(), sign_confirm()): the same
 * outcomes, the same rows, the same e-mails, the same counts.
 *
 * The batch holds what a batch written together must get right: rate
 * limits counting the signatures earlier in the same batch (from one
 * address, at times out of order, in and out of the windows), an address
 * twice, an address known before, the Clerk's allow list, a closed and an
 * unknown petition, a signature confirmed twice, one confirmed before,
 * one past its grace and one that does not exist; and a signature and a
 * confirmation of a petition whose signing an administrator paused
 * (sign_pause.h).
 */
#include "faults_fixture.h"

#include <stdio.h>
#include <string.h>

#include "workflow/counts.h"
#include "workflow/sign_pause.h"
#include "workflow/sign_rules.h"
#include "lib/banned.h"

/* One item of the scenario: a signature (e_number) or a confirmation
 * (sig: w->sig[sig], -1 for none, SIG_NEW for the first new one). */
struct spec {
    long e_number;
    const char *email, *ip;
    int64_t at; /* seconds after w->now */
    int sig;
};

enum { SIG_NONE = -1, SIG_FIRST_NEW = 100, SIG_PAUSED = 200 };

/* The paused petition (scenario()) and its one pending signature. */
enum { E_PAUSED = 1003 };
#define PAUSED_EMAIL "paused.pending@example.org"

#define SIGN(e_, email_, ip_, at_)                                                                 \
    {                                                                                              \
        .e_number = e_, .email = email_, .ip = ip_, .at = at_                                      \
    }
#define CONFIRM(sig_, at_)                                                                         \
    {                                                                                              \
        .sig = sig_, .at = at_                                                                     \
    }

static const struct spec specs[] = {
    /* One address: the first is clear, the next ones within the burst
     * window are held, one out of the window (by time, though later in
     * the batch order) is not. */
    SIGN(1001, "a@example.org", "192.0.2.9", 0),
    SIGN(1001, "b@example.org", "192.0.2.9", 10),
    SIGN(1001, "c@example.org", "192.0.2.9", 5),
    SIGN(1001, "d@example.org", "192.0.2.9", 200),
    SIGN(1001, "e@example.org", "192.0.2.9", 250),
    /* Another address: clear; the same e-mail again: a repeat. */
    SIGN(1001, "f@example.org", "198.51.100.20", 0),
    SIGN(1001, "f@example.org", "198.51.100.21", 1),
    /* An address signed before (w->sig[0]'s): a repeat. */
    SIGN(1001, "pending.one@example.org", "198.51.100.22", 2),
    /* On the allow list: never held. */
    SIGN(1001, "g@allowed.example", "192.0.2.9", 11),
    /* Closed, and no such petition: refused. */
    SIGN(1002, "h@example.org", "198.51.100.23", 3),
    SIGN(9999, "i@example.org", "198.51.100.24", 3),
    /* Confirmations: pending (twice), confirmed before, past the grace,
     * none. */
    CONFIRM(0, 4),
    CONFIRM(0, 5),
    CONFIRM(1, 5),
    CONFIRM(2, 6),
    CONFIRM(3, 6),
    CONFIRM(SIG_NONE, 7),
    /* Paused: refused, nothing written. */
    SIGN(E_PAUSED, "j@example.org", "198.51.100.25", 8),
    CONFIRM(SIG_PAUSED, 8),
};
enum { N = sizeof(specs) / sizeof(specs[0]) };

struct outcome {
    int result;
    bool already;
};

static struct world *
scenario(void)
{
    struct world *w = world_new();
    prepare_petitions(w);
    struct field_errors fe = {0};
    FX_OK(w->fx, sign_rule_add(&w->flow, &w->clerk, false, true, "allowed.example", "", &fe,
                               w->now - 60, E(w)));
    /* A third petition, open, with a pending signature, then paused. */
    struct petition paused = fx_petition_new(w->fx, E_PAUSED);
    int64_t id = fx_petition_insert(w->fx, &paused);
    fx_signature(w->fx, id, PAUSED_EMAIL, REGION_ON, 0);
    FX_OK(w->fx, sign_pause(&w->flow, &w->admin, E_PAUSED, "bots", &fe, w->now - 30, E(w)));
    return w;
}

/* The paused petition's id. */
static int64_t
paused_petition(struct world *w)
{
    struct petition_brief b;
    FX_OK(w->fx, store_petition_brief(w->s, NULL, 0, E_PAUSED, &b, E(w)));
    assert_true(b.signing_paused);
    return b.id;
}

static struct sign_request
request(const struct spec *s)
{
    return signer("Zoé", s->email, "ON", "K1A 0A6", s->ip);
}

static int64_t
signature_of(struct world *w, const struct spec *s)
{
    if (s->sig == SIG_PAUSED) {
        struct signature_record g;
        FX_OK(w->fx, store_signature_find(w->s, NULL, w->fx->a, paused_petition(w), PAUSED_EMAIL,
                                          &g, E(w)));
        return g.id;
    }
    return s->sig >= 0 ? w->sig[s->sig] : w->sig[SIGS - 1] + 1000;
}

/* Each item in a transaction of its own, in order. */
static void
in_turn(struct world *w, struct outcome *out)
{
    for (int i = 0; i < N; i++) {
        const struct spec *s = &specs[i];
        struct arena *a = arena_new();
        struct err e = ERR_INIT;
        out[i].already = false;
        if (s->e_number) {
            struct sign_request rq = request(s);
            struct field_errors fe = {0};
            out[i].result = sign_submit(&w->flow, a, s->e_number, &rq, &fe, w->now + s->at, &e);
        } else {
            char token[TOKEN_MAC_CHARS + 1];
            int64_t id = signature_of(w, s);
            sign_token(&w->flow, id, token);
            out[i].result =
                sign_confirm(&w->flow, a, id, token, &out[i].already, w->now + s->at, &e);
        }
        arena_free(a);
    }
}

/* Every item in one transaction: together, then those left alone. */
static void
together(struct world *w, struct outcome *out)
{
    struct arena *a = arena_new();
    struct sign_item items[N];
    struct sign_request rq[N];
    char key[N][EMAIL_MAX + 1];
    struct store_txn *tx;
    struct sign_txn t;
    int alone = 0;

    for (int i = 0; i < N; i++) {
        const struct spec *s = &specs[i];
        memset(&items[i], 0, sizeof(items[i]));
        items[i].now = w->now + s->at;
        if (s->e_number) {
            struct field_errors fe = {0};
            rq[i] = request(s);
            FX_OK(w->fx, sign_check(&rq[i], key[i], &fe, E(w)));
            items[i].e_number = s->e_number;
            items[i].rq = &rq[i];
            items[i].key = key[i];
        } else {
            items[i].confirm = true;
            items[i].signature_id = signature_of(w, s);
        }
    }
    FX_OK(w->fx, store_begin(w->s, &tx, E(w)));
    sign_txn_init(&t, a, w->now);
    FX_OK(w->fx, sign_write_batch(&w->flow, tx, &t, items, N, E(w)));
    for (int i = 0; i < N; i++) {
        struct sign_item *it = &items[i];
        if (it->alone) {
            alone++;
            it->err = (struct err)ERR_INIT;
            if (it->confirm)
                it->result = sign_confirm_write(&w->flow, tx, &t, it->signature_id, &it->already,
                                                it->now, &it->err);
            else
                it->result =
                    sign_write(&w->flow, tx, &t, it->e_number, it->rq, it->key, it->now, &it->err);
            /* What is refused alone writes nothing: the batch goes on. */
            assert_true(it->result != ERR_STORE && it->result != ERR_UNAVAILABLE);
        }
        out[i].result = it->result;
        out[i].already = it->already;
    }
    /* The repeats (f twice, sig[0]'s address), and both confirmations
     * of sig[0]: after its repeat, they wait their turn. */
    assert_int_equal(alone, 4);
    FX_OK(w->fx, sign_txn_flush(tx, &t, E(w)));
    FX_OK(w->fx, store_commit(tx, E(w)));
    count_mirror_forget(w->flow.counts);
    arena_free(a);
}

static void
picture(struct world *w, struct picture *p)
{
    picture_signatures(w, p, w->p_open);
    picture_signatures(w, p, w->p_closed);
    picture_signatures(w, p, paused_petition(w));
    picture_outbox(w, p);
}

static void
together_ends_as_in_turn(void **state)
{
    (void)state;
    struct world *one = scenario(), *all = scenario();
    struct outcome turn[N], tog[N];
    struct picture want = picture_new(one), got = picture_new(all);

    in_turn(one, turn);
    together(all, tog);
    for (int i = 0; i < N; i++)
        if (turn[i].result != tog[i].result || turn[i].already != tog[i].already)
            fail_msg("item %d: in turn %d (already %d), together %d (already %d)", i,
                     turn[i].result, turn[i].already, tog[i].result, tog[i].already);
    picture(one, &want);
    picture(all, &got);
    PICTURE_SAME(&want, &got, "together, not as in turn");

    /* The scenario does what it says: some held by the burst limit, the
     * repeats e-mailed, the refusals refused. */
    struct signature_record g;
    FX_OK(all->fx,
          store_signature_find(all->s, NULL, all->fx->a, all->p_open, "b@example.org", &g, E(all)));
    assert_string_equal(g.flag, "burst");
    FX_OK(all->fx,
          store_signature_find(all->s, NULL, all->fx->a, all->p_open, "a@example.org", &g, E(all)));
    assert_null(g.flag);
    FX_OK(all->fx,
          store_signature_find(all->s, NULL, all->fx->a, all->p_open, "d@example.org", &g, E(all)));
    assert_null(g.flag);
    FX_OK(all->fx, store_signature_find(all->s, NULL, all->fx->a, all->p_open, "g@allowed.example",
                                        &g, E(all)));
    assert_null(g.flag);
    FX_OK(all->fx,
          store_signature_find(all->s, NULL, all->fx->a, all->p_open, "f@example.org", &g, E(all)));
    assert_int_equal(g.mails, 2);
    assert_int_equal(tog[9].result, ERR_CONFLICT);
    assert_int_equal(tog[10].result, ERR_NOT_FOUND);
    assert_int_equal(tog[11].result, 0);
    assert_false(tog[11].already);
    assert_true(tog[12].already);
    assert_int_equal(tog[13].result, 0);
    assert_false(tog[13].already);
    assert_true(tog[14].already);
    assert_int_equal(tog[15].result, ERR_GONE);
    assert_int_equal(tog[16].result, ERR_NOT_FOUND);
    assert_int_equal(tog[17].result, ERR_UNAVAILABLE);
    assert_int_equal(tog[18].result, ERR_UNAVAILABLE);
    struct signature_record g2;
    FX_ERR(all->fx, ERR_NOT_FOUND,
           store_signature_find(all->s, NULL, all->fx->a, paused_petition(all), "j@example.org",
                                &g2, E(all)));
    FX_OK(all->fx, store_signature_find(all->s, NULL, all->fx->a, paused_petition(all),
                                        PAUSED_EMAIL, &g2, E(all)));
    assert_int_equal(g2.confirmed_at, 0);
    world_free(one);
    world_free(all);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FAULT_TEST(together_ends_as_in_turn),
    };
    return cmocka_run_group_tests_name(fx_backend(), tests, faults_group_setup,
                                       faults_group_teardown);
}
