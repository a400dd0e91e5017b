/*
 * store_fixture.h: what every test of the store conformance suite
 * (tests/store/) shares: a fresh, migrated store per test, builders of
 * valid records, and the checks and transactions around a call.
 *
 * The store is chosen by one setting, the environment variable
 * PETITIOND_TEST_STORE: unset, empty or "sqlite" gives each test a new
 * SQLite file in a temporary directory (under $TMPDIR, else /tmp), removed
 * after the test (a copy of one migrated once per test binary, for speed);
 * anything else is a store spec given to store_open() with
 * create, e.g. a PostgreSQL URI once that backend exists.  "{n}" in such a
 * spec is replaced by a number unique to each test ("postgresql:///t{n}"),
 * so that every test opens a database of its own.
 *
 * The suite holds every backend to the contract of src/store/store.h and
 * its area headers, never to what one backend happens to do: each test
 * says which promise of which header it checks.
 *
 * A test is a cmocka test run with fx_setup() and fx_teardown() (FX_TEST),
 * reading its fixture as `struct fx *f = *state;`.  Every builder commits
 * what it makes in a transaction of its own and fails the test on an
 * error; none moves a count.
 */
#ifndef PETITIOND_STORE_FIXTURE_H
#define PETITIOND_STORE_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>

#include "core/account.h"
#include "core/draft.h"
#include "core/petition.h"
#include "core/signature.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "store/store.h"

struct fx {
    struct store *s;
    struct arena *a;       /* freed after the test */
    struct err e;          /* the last error, printed when a check fails */
    char *dir;             /* the SQLite file's temporary directory, or NULL */
    const char *spec;      /* what store_open() was given */
    int64_t now;           /* a fixed instant: 2025-06-02 12:00 Eastern (EDT) */
    int64_t parliament_id; /* fx_house(): Parliament 45 and its session 1 */
    int64_t session_id;
    struct store_txn *open; /* fx_begin()'s, until fx_commit() or fx_rollback() */
};

/* cmocka setup and teardown: a fresh migrated store in *state, then gone. */
int fx_setup(void **state);
int fx_teardown(void **state);

#define FX_TEST(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

/* The group's name, for cmocka_run_group_tests_name(). */
const char *fx_backend(void);

/* ---- checks ------------------------------------------------------------------------- */

/* Fail the test unless r is 0 (printing f->e's code and log). */
#define FX_OK(f, call) fx_ok_at((f), (call), __FILE__, __LINE__)
/* Fail the test unless r is exactly code. */
#define FX_ERR(f, code, call) fx_err_at((f), (code), (call), __FILE__, __LINE__)
void fx_ok_at(struct fx *f, int r, const char *file, int line);
void fx_err_at(struct fx *f, int code, int r, const char *file, int line);

/* ---- transactions --------------------------------------------------------------------- */

/* A transaction ended by fx_commit() or fx_rollback(); should the test
 * fail while it is open, the teardown rolls it back. */
struct store_txn *fx_begin(struct fx *f);
void fx_commit(struct fx *f, struct store_txn *t);
void fx_rollback(struct fx *f, struct store_txn *t);

/* Append an audit record to t (petitiond's own, role "system"), so that
 * an audited write in t is allowed. */
void fx_audit(struct fx *f, struct store_txn *t, const char *action);

/*
 * Run call, an expression using the transaction t, in a transaction of
 * its own: FX_WRITE commits it and expects 0; FX_AUDITED first appends an
 * audit record; FX_REFUSED expects code and rolls back (FX_REFUSED_AUDITED
 * with an audit record appended first).
 */
#define FX_WRITE(f, call)                                                                          \
    do {                                                                                           \
        struct store_txn *t = fx_begin(f);                                                         \
        FX_OK(f, call);                                                                            \
        fx_commit(f, t);                                                                           \
    } while (0)
#define FX_AUDITED(f, call)                                                                        \
    do {                                                                                           \
        struct store_txn *t = fx_begin(f);                                                         \
        fx_audit(f, t, "test.write");                                                              \
        FX_OK(f, call);                                                                            \
        fx_commit(f, t);                                                                           \
    } while (0)
#define FX_REFUSED(f, code, call)                                                                  \
    do {                                                                                           \
        struct store_txn *t = fx_begin(f);                                                         \
        FX_ERR(f, code, call);                                                                     \
        fx_rollback(f, t);                                                                         \
    } while (0)
#define FX_REFUSED_AUDITED(f, code, call)                                                          \
    do {                                                                                           \
        struct store_txn *t = fx_begin(f);                                                         \
        fx_audit(f, t, "test.write");                                                              \
        FX_ERR(f, code, call);                                                                     \
        fx_rollback(f, t);                                                                         \
    } while (0)

/* ---- builders ------------------------------------------------------------------------- */

/* The UTC instant of an Eastern wall-clock time. */
int64_t fx_at(int year, int month, int day, int hour, int minute);

/* Parliament 45 (opened a year before f->now) and its session 1, sitting:
 * f->parliament_id and f->session_id.  Made once; the builders of
 * petitions call it. */
void fx_house(struct fx *f);

/* A sitting Member of Ontario; its id. */
int64_t fx_member(struct fx *f, const char *key, const char *first, const char *last);

/* A ministry (French title "FR " + title_en); its id. */
int64_t fx_ministry(struct fx *f, const char *code, const char *title_en);

/* A subject or a keyword (French name "FR " + name_en); its id. */
int64_t fx_subject(struct fx *f, const char *code, const char *name_en);
int64_t fx_keyword(struct fx *f, const char *slug, const char *name_en);

/*
 * An e-petition open for signature in Parliament 45, session 1, written in
 * English to the House of Commons: two grievances, a prayer, a petitioner,
 * 120 days from its opening a day before f->now, state changed then; no
 * subject, keyword, Member or count.  Strings live in f->a.  Change what
 * the test is about, then fx_petition_insert().
 */
struct petition fx_petition_new(struct fx *f, long e_number);

/* A paper petition presented as 451-<sequence>, by Member member_key. */
struct petition fx_paper_new(struct fx *f, int sequence, const char *member_key);

/* Insert p (audited) in a transaction of its own; p->id and the id. */
int64_t fx_petition_insert(struct fx *f, struct petition *p);

/* fx_petition_new() inserted as it is. */
int64_t fx_petition(struct fx *f, long e_number);

/* The keywords of a petition (slugs must exist), in f->a. */
void fx_petition_keywords(struct fx *f, struct petition *p, int n, const char *const *slugs);

/* An account: a petitioner made a week before f->now, English, activated;
 * staff roles are audited (a member needs member_id, a responder
 * ministry_id: set them on fx_user_new()'s record). */
struct user fx_user_new(struct fx *f, const char *email, enum role role);
int64_t fx_user_insert(struct fx *f, struct user *u);
int64_t fx_user(struct fx *f, const char *email, enum role role);

/* A draft of the petitioner in state DRAFT, made at f->now. */
struct draft_record fx_draft_new(struct fx *f, int64_t petitioner_id);
int64_t fx_draft_insert(struct fx *f, struct draft_record *d);
int64_t fx_draft(struct fx *f, int64_t petitioner_id);

/* A supporter named on a draft (key: the address in lower case). */
struct supporter_record fx_supporter_new(struct fx *f, int64_t draft_id, const char *email);
int64_t fx_supporter_insert(struct fx *f, struct supporter_record *r);

/*
 * A signature of an Ontarian on petition_id from 192.0.2.1, made at
 * f->now, pending (not confirmed), review clear; email_key is the
 * normalised address.  fx_signature() inserts one confirmed at
 * confirmed_at (0: pending) in region r.
 */
struct signature_record fx_signature_new(struct fx *f, int64_t petition_id, const char *email);
int64_t fx_signature_insert(struct fx *f, struct signature_record *r);
int64_t fx_signature(struct fx *f, int64_t petition_id, const char *email, enum region r,
                     int64_t confirmed_at);

/* Move a petition's count of region r by delta at now, committed. */
void fx_count(struct fx *f, int64_t petition_id, enum region r, int delta, int64_t now);

/* ---- reading -------------------------------------------------------------------------- */

/* A petition read back by e-number (t NULL), in f->a. */
struct petition fx_get(struct fx *f, long e_number);

/* The number of entries on the allow and block lists (t NULL). */
int fx_signing_rule_count(struct fx *f);

/* The JSON texts a and b hold the same value (either may be NULL = "{}"). */
bool fx_json_equal(const char *a, const char *b);

#endif
