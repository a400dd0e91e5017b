/*
 * log_test.c: the store's part of the e-petitions' public logs
 * (store/log.h): entries appended in batches that cross bundles keep
 * every bundle and the hashes of the subtrees they complete, so that the
 * store's reader gives, at every size, the root a naive computation over
 * the entries gives; a size that is not the log's is refused; checkpoints
 * are kept once per size and the latest is read, or the one at a size; the
 * logs that grew past their checkpoint, and the opened e-petitions without
 * a log, are listed; a log's size at certification is set once.
 */
#include "store_fixture.h"

#include <stdio.h>
#include <string.h>

#include "core/tlog.h"
#include "lib/note.h"
#include "mail/mailer.h"
#include "workflow/flow.h"
#include "workflow/log_checkpoint.h"
#include "lib/banned.h"

enum { ENTRIES = 700 };

static char entries[ENTRIES][40];
static struct tlog_hash leaves[ENTRIES];

static void
make_entries(void)
{
    for (int i = 0; i < ENTRIES; i++) {
        snprintf(entries[i], sizeof(entries[i]), "import ON %d", i + 1);
        tlog_leaf_hash(entries[i], strlen(entries[i]), &leaves[i]);
    }
}

/* The root of the first n leaves, by RFC 6962's recursion. */
static void
naive_root(const struct tlog_hash *leaf, int64_t n, struct tlog_hash *out)
{
    if (n == 1) {
        *out = leaf[0];
        return;
    }
    int64_t k = 1;
    while (k * 2 < n)
        k *= 2;
    struct tlog_hash l, r;
    naive_root(leaf, k, &l);
    naive_root(leaf + k, n - k, &r);
    tlog_node_hash(&l, &r, out);
}

/* Append entries [from, to) in one call. */
static void
append(struct fx *f, int64_t id, int from, int to)
{
    const char *v[ENTRIES];
    int64_t weight = 0;
    for (int i = from; i < to; i++) {
        v[i - from] = entries[i];
        weight += i + 1;
    }
    FX_WRITE(f, store_log_append(t, id, from, v, to - from, weight, &f->e));
}

static void
batches_across_bundles_keep_every_root(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_petition(f, 2829);
    struct log_head head;
    make_entries();
    FX_ERR(f, ERR_NOT_FOUND, store_log_head(f->s, NULL, id, &head, &f->e));
    /* Batches of every shape: one entry, a run ending on a bundle's edge,
     * one crossing it, one crossing two. */
    int cuts[] = {0, 1, 200, 256, 300, 513, 699, ENTRIES};
    for (size_t c = 0; c + 1 < sizeof(cuts) / sizeof(cuts[0]); c++)
        append(f, id, cuts[c], cuts[c + 1]);
    FX_OK(f, store_log_head(f->s, NULL, id, &head, &f->e));
    assert_int_equal(head.size, ENTRIES);
    assert_int_equal(head.attested, (int64_t)ENTRIES * (ENTRIES + 1) / 2);

    /* Bundle 1 holds entries 256..511, each ending in a newline; bundle 2
     * the rest. */
    const char *text;
    size_t len;
    FX_OK(f, store_log_bundle(f->s, NULL, f->a, id, 1, &text, &len, &f->e));
    assert_int_equal(strncmp(text, "import ON 257\n", 14), 0);
    assert_int_equal(len, strlen(text));
    int lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    assert_int_equal(lines, 256);
    FX_OK(f, store_log_bundle(f->s, NULL, f->a, id, 2, &text, &len, &f->e));
    assert_int_equal(strncmp(text, "import ON 513\n", 14), 0);
    FX_ERR(f, ERR_NOT_FOUND, store_log_bundle(f->s, NULL, f->a, id, 3, &text, &len, &f->e));

    /* The stored hashes: one per full bundle at level 8, their parent at 9. */
    struct tlog_hash h, want;
    naive_root(leaves + 256, 256, &want);
    FX_OK(f, store_log_hash(f->s, NULL, id, 8, 1, &h, &f->e));
    assert_memory_equal(h.b, want.b, TLOG_HASH_BYTES);
    naive_root(leaves, 512, &want);
    FX_OK(f, store_log_hash(f->s, NULL, id, 9, 0, &h, &f->e));
    assert_memory_equal(h.b, want.b, TLOG_HASH_BYTES);
    FX_ERR(f, ERR_NOT_FOUND, store_log_hash(f->s, NULL, id, 8, 2, &h, &f->e));

    /* The reader gives the root at every size, and proofs that hold. */
    struct store_log_reader lr;
    store_log_reader_init(&lr, f->s, NULL, f->a, id, &f->e);
    for (int64_t n = 1; n <= ENTRIES; n += n < 20 ? 1 : 37) {
        struct tlog_hash root;
        naive_root(leaves, n, &want);
        FX_OK(f, tlog_tree_hash(n, &lr.r, &root));
        assert_memory_equal(root.b, want.b, TLOG_HASH_BYTES);
        struct tlog_hash proof[TLOG_MAX_PROOF];
        int k;
        int64_t i = (n * 7) % n;
        FX_OK(f, tlog_prove_record(n, i, &lr.r, proof, &k));
        assert_true(tlog_check_record(proof, k, n, &want, i, &leaves[i]));
    }
}

static void
an_append_at_another_size_is_refused(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_petition(f, 2830);
    const char *one[] = {"import QC 5"};
    make_entries();
    /* Not at 0 for a log that does not exist. */
    FX_REFUSED(f, ERR_CONFLICT, store_log_append(t, id, 3, one, 1, 5, &f->e));
    FX_WRITE(f, store_log_append(t, id, 0, one, 1, 5, &f->e));
    FX_REFUSED(f, ERR_CONFLICT, store_log_append(t, id, 0, one, 1, 5, &f->e));
    FX_REFUSED(f, ERR_CONFLICT, store_log_append(t, id, 2, one, 1, 5, &f->e));
    struct log_head head;
    FX_OK(f, store_log_head(f->s, NULL, id, &head, &f->e));
    assert_int_equal(head.size, 1);
    assert_int_equal(head.attested, 5);
    /* An empty log is made with no entry. */
    int64_t empty = fx_petition(f, 2831);
    FX_WRITE(f, store_log_append(t, empty, 0, NULL, 0, 0, &f->e));
    FX_OK(f, store_log_head(f->s, NULL, empty, &head, &f->e));
    assert_int_equal(head.size, 0);
}

static void
checkpoints_are_kept_once_per_size(void **state)
{
    struct fx *f = *state;
    int64_t a = fx_petition(f, 2829), b = fx_petition(f, 2830), c = fx_petition(f, 2831);
    (void)c;
    struct log_head *heads;
    int64_t *ids;
    int n;
    make_entries();

    /* Three opened e-petitions, none with a log. */
    FX_OK(f, store_log_missing(f->s, NULL, f->a, 10, &ids, &n, &f->e));
    assert_int_equal(n, 3);
    append(f, a, 0, 3);
    append(f, b, 0, 1);
    FX_OK(f, store_log_missing(f->s, NULL, f->a, 10, &ids, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], c);
    FX_OK(f, store_log_unsigned(f->s, NULL, f->a, 10, &heads, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(heads[0].petition_id, a);
    assert_int_equal(heads[0].size, 3);

    struct log_checkpoint cp = {
        .petition_id = a, .size = 3, .attested = 6, .note = "note 3\n", .signed_at = f->now};
    naive_root(leaves, 3, &cp.root);
    FX_WRITE(f, store_log_checkpoint_insert(t, &cp, &f->e));
    FX_REFUSED(f, ERR_CONFLICT, store_log_checkpoint_insert(t, &cp, &f->e));
    struct log_checkpoint small = cp;
    small.size = 2;
    small.note = "note 2\n";
    FX_WRITE(f, store_log_checkpoint_insert(t, &small, &f->e));
    struct log_checkpoint got;
    FX_OK(f, store_log_checkpoint_latest(f->s, NULL, f->a, a, &got, &f->e));
    assert_int_equal(got.size, 3);
    assert_int_equal(got.attested, 6);
    assert_string_equal(got.note, "note 3\n");
    assert_memory_equal(got.root.b, cp.root.b, TLOG_HASH_BYTES);
    assert_int_equal(got.signed_at, f->now);
    FX_ERR(f, ERR_NOT_FOUND, store_log_checkpoint_latest(f->s, NULL, f->a, b, &got, &f->e));
    /* Signed: only b is left to sign, until a grows. */
    FX_OK(f, store_log_unsigned(f->s, NULL, f->a, 10, &heads, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(heads[0].petition_id, b);
    append(f, a, 3, 4);
    FX_OK(f, store_log_unsigned(f->s, NULL, f->a, 10, &heads, &n, &f->e));
    assert_int_equal(n, 2);
}

static void
a_log_is_certified_once_at_a_checkpoint(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_petition(f, 2829), none = fx_petition(f, 2830);
    struct log_head head;
    struct log_checkpoint cp = {.petition_id = id, .signed_at = f->now}, got;
    make_entries();

    append(f, id, 0, 3);
    FX_OK(f, store_log_head(f->s, NULL, id, &head, &f->e));
    assert_false(head.certified);
    /* No checkpoint at 3 yet, nor below. */
    FX_ERR(f, ERR_NOT_FOUND, store_log_checkpoint_at(f->s, NULL, f->a, id, 3, &got, &f->e));
    FX_REFUSED(f, ERR_NOT_FOUND, store_log_certify(t, none, 0, &f->e));
    /* Not past the log's size. */
    FX_REFUSED(f, ERR_INVALID, store_log_certify(t, id, 4, &f->e));
    FX_WRITE(f, store_log_certify(t, id, 3, &f->e));
    FX_OK(f, store_log_head(f->s, NULL, id, &head, &f->e));
    assert_true(head.certified);
    assert_int_equal(head.certified_size, 3);
    assert_int_equal(head.size, 3);
    /* Set once: the database's trigger refuses another size; the log
     * still grows. */
    FX_REFUSED(f, ERR_INVALID, store_log_certify(t, id, 2, &f->e));
    append(f, id, 3, 5);
    FX_REFUSED(f, ERR_INVALID, store_log_certify(t, id, 5, &f->e));
    FX_OK(f, store_log_head(f->s, NULL, id, &head, &f->e));
    assert_int_equal(head.certified_size, 3);
    assert_int_equal(head.size, 5);

    /* Checkpoints at 2 and 5: none at exactly 3. */
    cp.size = 2;
    cp.attested = 3;
    cp.note = "note 2\n";
    naive_root(leaves, 2, &cp.root);
    FX_WRITE(f, store_log_checkpoint_insert(t, &cp, &f->e));
    cp.size = 5;
    cp.attested = 15;
    cp.note = "note 5\n";
    naive_root(leaves, 5, &cp.root);
    FX_WRITE(f, store_log_checkpoint_insert(t, &cp, &f->e));
    FX_ERR(f, ERR_NOT_FOUND, store_log_checkpoint_at(f->s, NULL, f->a, id, 3, &got, &f->e));
    cp.size = 3;
    cp.attested = 6;
    cp.note = "note 3\n";
    naive_root(leaves, 3, &cp.root);
    FX_WRITE(f, store_log_checkpoint_insert(t, &cp, &f->e));
    FX_OK(f, store_log_checkpoint_at(f->s, NULL, f->a, id, 3, &got, &f->e));
    assert_int_equal(got.petition_id, id);
    assert_int_equal(got.size, 3);
    assert_int_equal(got.attested, 6);
    assert_string_equal(got.note, "note 3\n");
    assert_memory_equal(got.root.b, cp.root.b, TLOG_HASH_BYTES);
    /* The latest is still the one at 5. */
    FX_OK(f, store_log_checkpoint_latest(f->s, NULL, f->a, id, &got, &f->e));
    assert_int_equal(got.size, 5);
    FX_ERR(f, ERR_NOT_FOUND, store_log_checkpoint_at(f->s, NULL, f->a, none, 0, &got, &f->e));
}

static void
a_signature_keeps_its_log_index(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_petition(f, 2829);
    struct signature_record g = fx_signature_new(f, id, "ada@example.ca");
    fx_signature_insert(f, &g);
    struct signature_record got;
    FX_OK(f, store_signature_get(f->s, NULL, f->a, g.id, &got, &f->e));
    assert_false(got.logged);
    int64_t at[] = {f->now}, ids[] = {g.id}, index[] = {0};
    FX_WRITE(f, store_signature_confirm_many(t, ids, at, index, 1, &f->e));
    FX_OK(f, store_signature_get(f->s, NULL, f->a, g.id, &got, &f->e));
    assert_true(got.logged);
    assert_int_equal(got.log_index, 0);
    got.logged = false;
    FX_WRITE(f, store_signature_update(t, &got, &f->e));
    FX_OK(f, store_signature_get(f->s, NULL, f->a, g.id, &got, &f->e));
    assert_false(got.logged);
    got.logged = true;
    got.log_index = 41;
    FX_WRITE(f, store_signature_update(t, &got, &f->e));
    FX_OK(f, store_signature_get(f->s, NULL, f->a, g.id, &got, &f->e));
    assert_true(got.logged);
    assert_int_equal(got.log_index, 41);
}

static void
the_certified_size_is_signed_even_when_the_log_grew_first(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_petition(f, 2829);
    make_entries();
    append(f, id, 0, 3);
    FX_WRITE(f, store_log_certify(t, id, 3, &f->e));
    append(f, id, 3, 4); /* before any checkpoint: the race the signer covers */
    struct mailer mailer = {.base_url = "https://petitions.example.ca"};
    struct flow flow = {.store = f->s, .mailer = &mailer};
    struct note_key key;
    assert_int_equal(note_key_generate("petitions.example.ca", &key), 0);
    int n = 0;
    FX_OK(f, log_checkpoint_run(&flow, &key, NULL, f->now, &n, &f->e));
    assert_int_equal(n, 2);
    struct log_checkpoint cp;
    FX_OK(f, store_log_checkpoint_at(f->s, NULL, f->a, id, 3, &cp, &f->e));
    assert_int_equal(cp.attested, 1 + 2 + 3);
    struct tlog_hash want;
    naive_root(leaves, 3, &want);
    assert_memory_equal(cp.root.b, want.b, TLOG_HASH_BYTES);
    size_t text_len;
    assert_true(note_verify(cp.note, strlen(cp.note), &key, 1, &text_len));
    assert_non_null(strstr(cp.note, "petitions.example.ca/log/2829\n3\n"));
    FX_OK(f, store_log_checkpoint_latest(f->s, NULL, f->a, id, &cp, &f->e));
    assert_int_equal(cp.size, 4);
    assert_int_equal(cp.attested, 1 + 2 + 3 + 4);
    /* Nothing more to sign. */
    FX_OK(f, log_checkpoint_run(&flow, &key, NULL, f->now, &n, &f->e));
    assert_int_equal(n, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(batches_across_bundles_keep_every_root),
        FX_TEST(an_append_at_another_size_is_refused),
        FX_TEST(checkpoints_are_kept_once_per_size),
        FX_TEST(a_log_is_certified_once_at_a_checkpoint),
        FX_TEST(a_signature_keeps_its_log_index),
        FX_TEST(the_certified_size_is_signed_even_when_the_log_grew_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
