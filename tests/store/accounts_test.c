/*
 * accounts_test.c: the store's accounts, sign-in sessions and failed
 * sign-ins (store/accounts.h): an account round-trips and is found by its
 * address in any case, an address is taken once, a staff account is an
 * audited record, the staff list's order, a Member's accounts, activation,
 * a new password ending every session, sessions live until they expire,
 * and the count of failed sign-ins per key.
 */
#include "store_fixture.h"

#include <string.h>

#include "lib/banned.h"

static void
account_round_trips(void **state)
{
    struct fx *f = *state;
    struct user u = fx_user_new(f, "Ada.Lovelace@Example.org", ROLE_PETITIONER);
    u.first_name = "Ada";
    u.last_name = "Lovelace-Ébert";
    u.city = "Québec";
    u.province = "QC";
    u.country = "CA";
    u.postal_code = "G1R 4S9";
    u.phone = "+1 418 555 0100";
    u.lang = LANG_FR;
    u.activated_at = 0;
    int64_t id = fx_user_insert(f, &u);

    struct user g;
    FX_OK(f, store_user_get(f->s, NULL, f->a, id, NULL, &g, &f->e));
    assert_int_equal(g.id, id);
    assert_string_equal(g.email, "Ada.Lovelace@Example.org");
    assert_int_equal(g.role, ROLE_PETITIONER);
    assert_null(g.password_hash);
    assert_string_equal(g.first_name, "Ada");
    assert_string_equal(g.last_name, "Lovelace-Ébert");
    assert_string_equal(g.city, "Québec");
    assert_string_equal(g.province, "QC");
    assert_string_equal(g.country, "CA");
    assert_string_equal(g.postal_code, "G1R 4S9");
    assert_string_equal(g.phone, "+1 418 555 0100");
    assert_int_equal(g.lang, LANG_FR);
    assert_int_equal(g.member_id, 0);
    assert_int_equal(g.ministry_id, 0);
    assert_int_equal(g.created_at, u.created_at);
    assert_int_equal(g.activated_at, 0);

    /* By address, in any case, when id is 0. */
    struct user h;
    FX_OK(f, store_user_get(f->s, NULL, f->a, 0, "ada.lovelace@EXAMPLE.ORG", &h, &f->e));
    assert_int_equal(h.id, id);
    assert_string_equal(h.email, "Ada.Lovelace@Example.org");
    FX_ERR(f, ERR_NOT_FOUND,
           store_user_get(f->s, NULL, f->a, 0, "ada.lovelace@example.com", &h, &f->e));
}

static void
address_is_taken_in_any_case(void **state)
{
    struct fx *f = *state;
    fx_user(f, "someone@example.org", ROLE_PETITIONER);
    struct user u = fx_user_new(f, "SomeOne@EXAMPLE.org", ROLE_PETITIONER);
    FX_REFUSED(f, ERR_CONFLICT, store_user_insert(t, &u, &f->e));
    /* Staff too. */
    u = fx_user_new(f, "someone@example.ORG", ROLE_CLERK);
    FX_REFUSED_AUDITED(f, ERR_CONFLICT, store_user_insert(t, &u, &f->e));
}

static void
staff_account_is_an_audited_record(void **state)
{
    struct fx *f = *state;
    struct user u = fx_user_new(f, "clerk@example.org", ROLE_CLERK);
    FX_REFUSED(f, ERR_UNAUDITED, store_user_insert(t, &u, &f->e));
    struct user g;
    FX_ERR(f, ERR_NOT_FOUND, store_user_get(f->s, NULL, f->a, 0, "clerk@example.org", &g, &f->e));

    FX_AUDITED(f, store_user_insert(t, &u, &f->e));
    FX_OK(f, store_user_get(f->s, NULL, f->a, 0, "clerk@example.org", &g, &f->e));
    assert_int_equal(g.role, ROLE_CLERK);

    /* A petitioner registers without one. */
    struct user p = fx_user_new(f, "petitioner@example.org", ROLE_PETITIONER);
    FX_WRITE(f, store_user_insert(t, &p, &f->e));
}

static void
staff_list_admins_first_then_role_and_address(void **state)
{
    struct fx *f = *state;
    int64_t member = fx_member(f, "mp", "Mary", "Member");
    int64_t ministry = fx_ministry(f, "health", "Minister of Health");
    fx_user(f, "zed@example.org", ROLE_CLERK);
    fx_user(f, "bea@example.org", ROLE_ADMIN);
    struct user r = fx_user_new(f, "aaron@example.org", ROLE_RESPONDER);
    r.ministry_id = ministry;
    fx_user_insert(f, &r);
    struct user m = fx_user_new(f, "abe@example.org", ROLE_MEMBER);
    m.member_id = member;
    fx_user_insert(f, &m);
    fx_user(f, "cal@example.org", ROLE_CLERK);
    fx_user(f, "ann@example.org", ROLE_ADMIN);
    fx_user(f, "aa-petitioner@example.org", ROLE_PETITIONER);

    struct user *list;
    int n;
    FX_OK(f, store_user_list(f->s, NULL, f->a, &list, &n, &f->e));
    const char *want[] = {"ann@example.org", "bea@example.org", "cal@example.org",
                          "zed@example.org", "abe@example.org", "aaron@example.org"};
    assert_int_equal(n, 6);
    for (int i = 0; i < n; i++)
        assert_string_equal(list[i].email, want[i]);
    assert_int_equal(list[4].member_id, member);
    assert_int_equal(list[5].ministry_id, ministry);
}

static void
accounts_of_a_member_by_id(void **state)
{
    struct fx *f = *state;
    int64_t mp = fx_member(f, "mp", "Mary", "Member");
    int64_t other = fx_member(f, "other", "Otto", "Other");
    int64_t ids[3];
    const char *emails[] = {"z-office@example.org", "a-office@example.org", "other@example.org"};
    for (int i = 0; i < 3; i++) {
        struct user u = fx_user_new(f, emails[i], ROLE_MEMBER);
        u.member_id = i < 2 ? mp : other;
        ids[i] = fx_user_insert(f, &u);
    }
    struct user *list;
    int n;
    FX_OK(f, store_user_by_member(f->s, NULL, f->a, mp, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, ids[0]);
    assert_int_equal(list[1].id, ids[1]);
    assert_string_equal(list[1].email, "a-office@example.org");
    FX_OK(f, store_user_by_member(f->s, NULL, f->a, 424242, &list, &n, &f->e));
    assert_int_equal(n, 0);
}

static void
activation_records_its_time(void **state)
{
    struct fx *f = *state;
    struct user u = fx_user_new(f, "new@example.org", ROLE_PETITIONER);
    u.activated_at = 0;
    int64_t id = fx_user_insert(f, &u);
    FX_WRITE(f, store_user_activate(t, id, f->now + 5, &f->e));
    struct user g;
    FX_OK(f, store_user_get(f->s, NULL, f->a, id, NULL, &g, &f->e));
    assert_int_equal(g.activated_at, f->now + 5);
}

static const unsigned char hash_a[32] = {1, 2, 3};
static const unsigned char hash_b[32] = {4, 5, 6};
static const unsigned char hash_c[32] = {7, 8, 9};

static void
new_password_bumps_generation_and_ends_sessions(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_user(f, "pw@example.org", ROLE_PETITIONER);
    int64_t other = fx_user(f, "other@example.org", ROLE_PETITIONER);
    struct user before;
    FX_OK(f, store_user_get(f->s, NULL, f->a, id, NULL, &before, &f->e));
    int64_t until = f->now + SESSION_LIFETIME;
    FX_WRITE(f, store_auth_session_insert(t, hash_a, id, "csrf-a", f->now, until, &f->e));
    FX_WRITE(f, store_auth_session_insert(t, hash_b, id, "csrf-b", f->now, until, &f->e));
    FX_WRITE(f, store_auth_session_insert(t, hash_c, other, "csrf-c", f->now, until, &f->e));

    FX_WRITE(f, store_user_set_password(t, id, "$argon2id$v=19$fake", &f->e));
    struct user g;
    FX_OK(f, store_user_get(f->s, NULL, f->a, id, NULL, &g, &f->e));
    assert_string_equal(g.password_hash, "$argon2id$v=19$fake");
    assert_true(g.generation > before.generation);
    const char *csrf;
    FX_ERR(f, ERR_NOT_FOUND,
           store_auth_session_get(f->s, NULL, f->a, hash_a, f->now + 1, &g, &csrf, &f->e));
    FX_ERR(f, ERR_NOT_FOUND,
           store_auth_session_get(f->s, NULL, f->a, hash_b, f->now + 1, &g, &csrf, &f->e));
    /* Another account's session lives on. */
    FX_OK(f, store_auth_session_get(f->s, NULL, f->a, hash_c, f->now + 1, &g, &csrf, &f->e));
    assert_int_equal(g.id, other);

    /* Each change bumps it again. */
    int64_t gen = 0;
    FX_OK(f, store_user_get(f->s, NULL, f->a, id, NULL, &g, &f->e));
    gen = g.generation;
    FX_WRITE(f, store_user_set_password(t, id, "$argon2id$v=19$other", &f->e));
    FX_OK(f, store_user_get(f->s, NULL, f->a, id, NULL, &g, &f->e));
    assert_true(g.generation > gen);
}

static void
session_lives_until_it_expires_or_ends(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_user(f, "s@example.org", ROLE_PETITIONER);
    int64_t until = f->now + 3600;
    FX_WRITE(f, store_auth_session_insert(t, hash_a, id, "token-1", f->now, until, &f->e));

    struct user u;
    const char *csrf = NULL;
    FX_OK(f, store_auth_session_get(f->s, NULL, f->a, hash_a, f->now + 60, &u, &csrf, &f->e));
    assert_int_equal(u.id, id);
    assert_string_equal(u.email, "s@example.org");
    assert_string_equal(csrf, "token-1");
    /* Expired. */
    FX_ERR(f, ERR_NOT_FOUND,
           store_auth_session_get(f->s, NULL, f->a, hash_a, until + 1, &u, &csrf, &f->e));
    /* Unknown. */
    FX_ERR(f, ERR_NOT_FOUND,
           store_auth_session_get(f->s, NULL, f->a, hash_b, f->now, &u, &csrf, &f->e));
    /* Ended; ending it again, or an unknown one, is no error. */
    FX_WRITE(f, store_auth_session_delete(t, hash_a, &f->e));
    FX_ERR(f, ERR_NOT_FOUND,
           store_auth_session_get(f->s, NULL, f->a, hash_a, f->now + 60, &u, &csrf, &f->e));
    FX_WRITE(f, store_auth_session_delete(t, hash_a, &f->e));
    FX_WRITE(f, store_auth_session_delete(t, hash_c, &f->e));
}

/* A refused form's state kept in the database (web/forms.h): only its
 * own account, on its own page, before it expires; an account keeps its
 * newest few; deleting is the account's own. */
static void
form_state_kept_for_its_account_page_and_time(void **state)
{
    struct fx *f = *state;
    int64_t u1 = fx_user(f, "f1@example.org", ROLE_PETITIONER);
    int64_t u2 = fx_user(f, "f2@example.org", ROLE_PETITIONER);
    int64_t until = f->now + 600;
    const char *s = NULL;
    FX_WRITE(f, store_form_state_put(t, "a1", u1, "/en/x", "S1", f->now, until, 3, &f->e));
    FX_WRITE(f, store_form_state_put(t, "b1", u2, "/en/x", "T1", f->now, until, 3, &f->e));
    FX_OK(f, store_form_state_get(f->s, NULL, f->a, "a1", u1, "/en/x", f->now + 1, &s, &f->e));
    assert_string_equal(s, "S1");
    /* Another account's, another page's, or expired: not found. */
    FX_ERR(f, ERR_NOT_FOUND,
           store_form_state_get(f->s, NULL, f->a, "a1", u2, "/en/x", f->now, &s, &f->e));
    FX_ERR(f, ERR_NOT_FOUND,
           store_form_state_get(f->s, NULL, f->a, "a1", u1, "/en/y", f->now, &s, &f->e));
    FX_ERR(f, ERR_NOT_FOUND,
           store_form_state_get(f->s, NULL, f->a, "a1", u1, "/en/x", until, &s, &f->e));
    /* Three more of u1's: its oldest goes, u2's stays. */
    FX_WRITE(f, store_form_state_put(t, "a2", u1, "/en/x", "S2", f->now, until, 3, &f->e));
    FX_WRITE(f, store_form_state_put(t, "a3", u1, "/en/x", "S3", f->now, until, 3, &f->e));
    FX_WRITE(f, store_form_state_put(t, "a4", u1, "/en/x", "S4", f->now, until, 3, &f->e));
    FX_ERR(f, ERR_NOT_FOUND,
           store_form_state_get(f->s, NULL, f->a, "a1", u1, "/en/x", f->now, &s, &f->e));
    FX_OK(f, store_form_state_get(f->s, NULL, f->a, "a2", u1, "/en/x", f->now, &s, &f->e));
    assert_string_equal(s, "S2");
    FX_OK(f, store_form_state_get(f->s, NULL, f->a, "a4", u1, "/en/x", f->now, &s, &f->e));
    assert_string_equal(s, "S4");
    FX_OK(f, store_form_state_get(f->s, NULL, f->a, "b1", u2, "/en/x", f->now, &s, &f->e));
    assert_string_equal(s, "T1");
    /* Deleted by its own account only; again, or unknown, is no error. */
    FX_WRITE(f, store_form_state_delete(t, "a4", u2, &f->e));
    FX_OK(f, store_form_state_get(f->s, NULL, f->a, "a4", u1, "/en/x", f->now, &s, &f->e));
    FX_WRITE(f, store_form_state_delete(t, "a4", u1, &f->e));
    FX_ERR(f, ERR_NOT_FOUND,
           store_form_state_get(f->s, NULL, f->a, "a4", u1, "/en/x", f->now, &s, &f->e));
    FX_WRITE(f, store_form_state_delete(t, "a4", u1, &f->e));
    FX_WRITE(f, store_form_state_delete(t, "zz", u1, &f->e));
}

static void
failed_sign_ins_counted_per_key_within_the_window(void **state)
{
    struct fx *f = *state;
    const int window = SIGN_IN_WINDOW;
    int n = -1;
    FX_OK(f, store_sign_in_failures(f->s, NULL, "u:1", f->now, window, &n, &f->e));
    assert_int_equal(n, 0);
    for (int i = 1; i <= 3; i++) {
        FX_WRITE(f, store_sign_in_failure_add(t, "u:1", f->now + 10 * i, window, &n, &f->e));
        assert_int_equal(n, i); /* this one included */
    }
    FX_WRITE(f, store_sign_in_failure_add(t, "ip:192.0.2.1", f->now + 40, window, &n, &f->e));
    assert_int_equal(n, 1);
    FX_OK(f, store_sign_in_failures(f->s, NULL, "u:1", f->now + 60, window, &n, &f->e));
    assert_int_equal(n, 3);
    FX_OK(f, store_sign_in_failures(f->s, NULL, "ip:192.0.2.1", f->now + 60, window, &n, &f->e));
    assert_int_equal(n, 1);
    /* Long after, the window holds none of them. */
    FX_OK(f, store_sign_in_failures(f->s, NULL, "u:1", f->now + 10 * window, window, &n, &f->e));
    assert_int_equal(n, 0);

    /* A sign-in succeeded: forgotten, the other key not. */
    FX_WRITE(f, store_sign_in_failures_clear(t, "u:1", &f->e));
    FX_OK(f, store_sign_in_failures(f->s, NULL, "u:1", f->now + 60, window, &n, &f->e));
    assert_int_equal(n, 0);
    FX_OK(f, store_sign_in_failures(f->s, NULL, "ip:192.0.2.1", f->now + 60, window, &n, &f->e));
    assert_int_equal(n, 1);
    FX_WRITE(f, store_sign_in_failures_clear(t, "never-failed", &f->e));

    /* Read in the transaction that counts. */
    struct store_txn *t = fx_begin(f);
    FX_OK(f, store_sign_in_failure_add(t, "u:2", f->now, window, &n, &f->e));
    FX_OK(f, store_sign_in_failures(f->s, t, "u:2", f->now, window, &n, &f->e));
    assert_int_equal(n, 1);
    fx_rollback(f, t);
    FX_OK(f, store_sign_in_failures(f->s, NULL, "u:2", f->now, window, &n, &f->e));
    assert_int_equal(n, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(account_round_trips),
        FX_TEST(address_is_taken_in_any_case),
        FX_TEST(staff_account_is_an_audited_record),
        FX_TEST(staff_list_admins_first_then_role_and_address),
        FX_TEST(accounts_of_a_member_by_id),
        FX_TEST(activation_records_its_time),
        FX_TEST(new_password_bumps_generation_and_ends_sessions),
        FX_TEST(session_lives_until_it_expires_or_ends),
        FX_TEST(form_state_kept_for_its_account_page_and_time),
        FX_TEST(failed_sign_ins_counted_per_key_within_the_window),
    };
    return cmocka_run_group_tests_name(fx_backend(), tests, NULL, NULL);
}
