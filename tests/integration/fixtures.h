/*
 * fixtures.h: what several integration tests do beside the HTTP journey:
 * read and write the server's database (fixtures and checks), read a
 * petition's counts from the API, confirm a signature from its e-mail,
 * and send a GET with one request header and keep the answer's headers.
 * Each helper fails the current cmocka test on an error.
 *
 * THE DATABASE.  Tests never see SQL or an engine: every read or write of
 * the server's database is one of the named helpers below, each saying
 * what it measures or sets.  They reach the database through the store
 * (src/store/store.h), opened on the harness's database (h->db: a SQLite
 * file or a PostgreSQL URI, harness.h) beside the running server, as
 * any second process may; reads see the latest committed state, writes
 * are transactions of their own, with an audit record ("fixture.<what>",
 * role "system") where the store's audit guard asks for one.  The store
 * is opened on first use and kept in h->store until harness_stop(),
 * harness_kill_restart() or harness_store_close(), so no test connection
 * is open while the server is killed or started.
 *
 * A few helpers need what no store function reads or writes: a change
 * made behind petitiond's back (to prove that a cache or the
 * reconciliation notices it), a time moved, a day's count without its
 * signatures, the outbox and the recipients of a mailing, the write lock,
 * the engine's own integrity check, the record of a migration, a test's
 * database as a whole (made, dropped).  Those are marked ENGINE below: they dispatch on the engine
 * (store_engine(), or the spec's form for a database as a whole) to the
 * engine's file (fixtures_sqlite.c for SQLite, fixtures_pg.c for
 * PostgreSQL), which hold the only SQL of the integration tests and say
 * why each needs it.
 *
 * Petitions are named by e-number (6512 for e-6512); "every petition"
 * walks the whole register.  Signatures belong to e-petitions: a walk of
 * every signature visits every e-petition.
 */
#ifndef PETITIOND_FIXTURES_H
#define PETITIOND_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/account.h"
#include "core/draft.h"
#include "core/petition.h"
#include "core/signature.h"
#include "harness.h"
#include "store/store.h"

struct arena;

/* ---- the store ------------------------------------------------------------------------- */

/* The store on h's database, opened on first use (thread-safe) and kept in
 * h->store; never close it yourself (harness_store_close() does). */
struct store *fixture_store(struct harness *h);

/* ---- a test's database as a whole (ENGINE, by the spec's form: no store is opened) ---- */

/* Whether database db (a spec of harness_db_new()) exists: the SQLite
 * file, or the PostgreSQL database (empty or not). */
bool fixture_database_exists(const char *db);

/* Remove database db and all of it: the SQLite file with its -wal, -shm
 * and -journal, or the PostgreSQL database (DROP DATABASE, closing any
 * connection left on it); nothing to do when it does not exist.  0, or
 * -1 after saying why on stderr: it never fails the test (teardowns and
 * harness_stop() call it). */
int fixture_database_drop(const char *db);

/* ---- petitions --------------------------------------------------------------------------- */

/* The id of e-petition e_number (for a record that refers to it). */
int64_t fixture_petition_id(struct harness *h, long e_number);

/* What the register holds of e-petition e_number: its state, closing
 * time, last change of state, erasure (0: not erased) and stored total
 * of counted signatures (petitions.signature_total, imported counts
 * included). */
enum petition_state fixture_petition_state(struct harness *h, long e_number);
int64_t fixture_petition_closes_at(struct harness *h, long e_number);
int64_t fixture_petition_state_changed_at(struct harness *h, long e_number);
int64_t fixture_petition_erased_at(struct harness *h, long e_number);
int64_t fixture_petition_total(struct harness *h, long e_number);

/* The text of e-petition e_number in lang: its prayer, then its whereas
 * clauses, each after a ','; free() it. */
char *fixture_petition_text(struct harness *h, long e_number, enum lang lang);

/* The presented number ("452-00002") of the petition (the first made,
 * when several) whose English prayer contains words (ASCII case
 * ignored), in out; "" when none has one. */
void fixture_paper_number(struct harness *h, const char *words, char *out, size_t size);

/* Whether an e-petition numbered e_number exists. */
bool fixture_petition_exists(struct harness *h, long e_number);

/* The whole register, counted petition by petition. */
struct fixture_register {
    int64_t petitions;  /* every petition, in any state */
    int64_t events;     /* the events of their timelines */
    int64_t not_demo;   /* petitions not marked as demo data */
    int64_t erased;     /* petitions whose people's data was erased */
    int64_t totals_off; /* e-petitions whose stored total is not the sum of their
                         * stored counts by region (0 when none is stored) */
};
void fixture_register_count(struct harness *h, struct fixture_register *out);

/* Move e-petition e_number to state at now, as the store moves it (an
 * event in its timeline; audited when the guard asks). */
void fixture_petition_state_set(struct harness *h, long e_number, enum petition_state state,
                                int64_t now);

/* The stored counts of e-petition e_number by region beside a recount of
 * its counted signature rows, in one snapshot (store_petition_recount). */
void fixture_petition_recount(struct harness *h, long e_number, struct petition_recount *out);

/* ---- signatures ---------------------------------------------------------------------------- */

/* Which signatures fixture_signature_count() counts: every field set must
 * hold (NULL, 0 and false ask nothing). */
struct signature_match {
    long e_number;            /* of this e-petition; 0 = of every e-petition */
    const char *email;        /* exactly this address */
    const char *email_prefix; /* an address starting so (ASCII case ignored, as LIKE 'x%') */
    const char *email_suffix; /* an address ending so (ASCII case ignored, as LIKE '%x') */
    const char *first_name;   /* exactly */
    bool has_review;
    enum signature_review review;
    const char *review_note; /* exactly */
    bool erased;             /* email, names, postal code, phone, address and rate key
                              * blank, and email_key "erased:<id>" */
    bool reachable;          /* its network address and telephone not blank */
};

/* How many signature rows m matches. */
int64_t fixture_signature_count(struct harness *h, const struct signature_match *m);

/* The id of the signature of e-petition e_number (0: of any e-petition)
 * whose address is exactly email, found by its normalised key as
 * petitiond files it (core/email.h); the lowest when several; 0 when none. */
int64_t fixture_signature_id(struct harness *h, long e_number, const char *email);

/* The same without failing the test: 0 and *id (0 when none), or -1 when
 * the database could not be read.  For threads that must not touch
 * cmocka (its asserts jump). */
int fixture_signature_find(struct harness *h, long e_number, const char *email, int64_t *id);

/* Every signature row of e-petition e_number, by id, allocated in a; the
 * number of rows. */
int fixture_signatures(struct harness *h, struct arena *a, long e_number,
                       struct signature_record **out);

/* Write n signature rows on e-petition e_number in one transaction, as
 * given (petition_id is set here; confirmed, held or invalidated alike),
 * without moving any count: signatories for tests of what follows
 * signing. */
void fixture_signatures_add(struct harness *h, long e_number, struct signature_record *rows, int n);

/* The same for n counted signatories, English, in Ontario, signed 20 days
 * and confirmed 19 days before now: PREFIX1@example.org ... PREFIXn. */
void fixture_signatories_add(struct harness *h, long e_number, const char *prefix, int n,
                             int64_t now);

/* Put e-petition e_number, waiting for certification, in the Clerk's
 * certification queue at time at, as the closing job does when enough
 * signatures might count, whatever its counts: a queued petition the
 * Clerk may record as not certified. */
void fixture_petition_queue(struct harness *h, long e_number, int64_t at);

/* Signature rows beyond the first of each person on each petition (the
 * same petition and e-mail key), over every e-petition: 0 unless the
 * one-signature-per-person rule was broken. */
int64_t fixture_signature_duplicates(struct harness *h);

/* ---- the audit log -------------------------------------------------------------------------- */

/* A value in an audit record's details: at path ("count",
 * "filter.domain"), the string text, or when text is NULL a number equal
 * to number (as SQL's json_extract(details, '$.count') = 2). */
struct audit_detail {
    const char *path;
    const char *text;
    int64_t number;
};

/* Which audit records fixture_audit_count() counts: every field set must
 * hold (NULL, 0 and false ask nothing). */
struct audit_match {
    const char *action;             /* exactly */
    const char *action_prefix;      /* starting so (ASCII case ignored): "parliament." */
    const char *target;             /* exactly */
    const char *target_prefix;      /* starting so (ASCII case ignored): "draft " */
    const char *reason;             /* exactly */
    const char *role;               /* exactly: "system", "clerk" */
    bool by_system;                 /* no user: petitiond's own */
    long e_number;                  /* about this e-petition */
    bool no_petition;               /* about no petition */
    struct audit_detail details[3]; /* path NULL ends the list */
};

/* How many audit records m matches; m NULL counts every record. */
int64_t fixture_audit_count(struct harness *h, const struct audit_match *m);

/* ---- accounts, drafts and supporters -------------------------------------------------------- */

/* Insert an account (audited for a staff role); its id. */
int64_t fixture_user_add(struct harness *h, struct user *u);

/* The id of the account with address email; fails the test when none. */
int64_t fixture_user_id(struct harness *h, const char *email);

/* The id of the Member whose key is key ("arya"); fails the test when none. */
int64_t fixture_member_id(struct harness *h, const char *key);

/* Insert a draft as given; its id. */
int64_t fixture_draft_add(struct harness *h, struct draft_record *d);

/* Name a supporter on r->draft_id with every field of r (invitation,
 * confirmation, contact) written; its id. */
int64_t fixture_supporter_add(struct harness *h, struct supporter_record *r);

/* Drafts in state (every draft counted, at most 500). */
int64_t fixture_draft_count(struct harness *h, enum petition_state state);

/* Which supporters fixture_supporter_count() counts (NULL and false ask
 * nothing). */
struct supporter_match {
    const char *email; /* exactly */
    bool erased;       /* names and e-mail blank, email_key "erased:<id>", no telephone
                        * or postal code */
};
int64_t fixture_supporter_count(struct harness *h, const struct supporter_match *m);

/* ENGINE: drafts whose supporters' data was erased at `at` (0: at any
 * time); what the store never reads back. */
int64_t fixture_drafts_erased(struct harness *h, int64_t at);

/* ---- the House ------------------------------------------------------------------------------ */

/* The days on the sitting calendar. */
int64_t fixture_sitting_day_count(struct harness *h);

/* Responses being written and not yet sent to the Clerk (ready_at unset). */
int64_t fixture_response_drafts_unready(struct harness *h);

/* Parliaments not dissolved. */
int64_t fixture_parliaments_sitting(struct harness *h);

/* ---- e-mail -----------------------------------------------------------------------------------
 */

/* Whether a mailing to many has recipients not yet all queued (done_at
 * unset). */
bool fixture_mailing_open(struct harness *h);

/* E-mails in the outbox not yet sent, due or not (at most 500). */
int64_t fixture_outbox_unsent(struct harness *h);

/* What the outbox says of an unsent e-mail (waiting, or failed for
 * good). */
struct fixture_mail {
    char kind[64];
    int attempts;
    int64_t next_try_at;
    int64_t last_failure_at;
    int64_t failed_at; /* 0 = not failed */
    int reply_code;
    char reply[256];
    char last_error[256];
};

/* The unsent e-mail to exactly to_addr (the latest queued when several)
 * into *out; false when there is none (never queued, or sent). */
bool fixture_outbox_mail(struct harness *h, const char *to_addr, struct fixture_mail *out);

/* ENGINE: e-mails in the outbox about a signature whose address starts
 * with email_prefix (ASCII case ignored). */
int64_t fixture_outbox_for_signatures(struct harness *h, const char *email_prefix);

/* ENGINE: addresses starting with to_prefix (ASCII case ignored) that the
 * outbox holds more than one e-mail of kind for. */
int64_t fixture_outbox_repeated(struct harness *h, const char *kind, const char *to_prefix);

/* ENGINE: recipients of mailings of kind whose address starts with
 * email_prefix (ASCII case ignored) and whose e-mail was queued. */
int64_t fixture_mailing_queued(struct harness *h, const char *kind, const char *email_prefix);

/* ---- settings ------------------------------------------------------------------------------- */

/* A named setting of the site (store/meta.h), or NULL when unset; free()
 * it. */
char *fixture_meta(struct harness *h, const char *key);

/* The process id of the node holding (or last holding) the lease called
 * name (workflow/leases.h), and its expiry in *until (may be NULL); 0
 * when it was never taken. */
long fixture_lease_holder(struct harness *h, const char *name, int64_t *until);

/* ---- behind petitiond's back (ENGINE) ---------------------------------------------------------
 */

/* Change a stored value as no use case would, to see what notices: the
 * petitioner's city shown on a petition's page (a cache), its stored
 * total (the reconciliation), its stored count of one region ("ON";
 * `petitiond counts check`; returns the rows changed, 1 when the region
 * has a count), its closing time (moving a time rather than the clock). */
void fixture_petition_city_set(struct harness *h, long e_number, const char *city);
void fixture_petition_total_shift(struct harness *h, long e_number, int64_t delta);
long fixture_region_count_shift(struct harness *h, long e_number, const char *region,
                                int64_t delta);
void fixture_petition_closes_at_set(struct harness *h, long e_number, int64_t at);

/* Add delta to e-petition e_number's change of counted signatures of
 * region ("ON") on day ("2026-03-14"), for its charts, without the
 * signatures or counts behind it. */
void fixture_petition_day_add(struct harness *h, long e_number, const char *day, const char *region,
                              int64_t delta);

/* ENGINE: the sum of e-petition e_number's changes of counted signatures
 * of region ("ON") over every day (its line over time, one region: the
 * store reads the days with every region summed). */
int64_t fixture_petition_days_sum(struct harness *h, long e_number, const char *region);

/* Take the database's write lock from outside petitiond, so its writer
 * cannot commit until fixture_writes_resume(); one at a time. */
void fixture_writes_block(struct harness *h);
void fixture_writes_resume(struct harness *h);

/* Forget that migration `version` was applied (its row of
 * schema_migrations removed, nothing else), so that `petitiond migrate`
 * runs it again on the rows a test adds as they were before it: for a
 * migration written to run twice (sql/sqlite/0010_mailbox_keys.sql). */
void fixture_migration_forget(struct harness *h, int version);

/* ENGINE: drop what migrations 0012 (the public logs), 0013 (stopped
 * mail, a response's French signer) and 0014 (refused forms' states)
 * made, so that a test can take a database back to before them (then
 * forget 14, 13 and 12). */
void fixture_log_schema_drop(struct harness *h);

/* The engine's own check of the whole database: its first finding in
 * report ("ok" when sound) and the number of broken references (rows
 * pointing at nothing) returned. */
int64_t fixture_database_check(struct harness *h, char *report, size_t size);

/* ---- the database as a whole, table by table (ENGINE) ------------------------------------ */

enum { FIXTURE_TABLES_MAX = 64 };

/* What every table of the application's schema holds: its rows and a
 * digest of their values (the sum of a hash of each row, so the order
 * the engine reads them in does not matter), by table name in order. */
struct fixture_tables {
    int n;
    struct {
        char name[64];
        int64_t rows;
        uint64_t digest;
    } table[FIXTURE_TABLES_MAX];
};

/* Read every table of h's database into *out (the engine's own tables,
 * its search index and the record of migrations left out). */
void fixture_tables_snapshot(struct harness *h, struct fixture_tables *out);

/* The tables whose rows or values differ between before and after, as
 * "name (+rows)" separated by spaces, into buf ("" when none); their
 * number. */
int fixture_tables_diff(const struct fixture_tables *before, const struct fixture_tables *after,
                        char *buf, size_t size);

/* ---- over HTTP ---------------------------------------------------------------------------- */

/* The total of a petition's count endpoint, or one region's ("ON"). */
int64_t api_count(struct harness *h, const char *number, const char *region);

/* Confirm the signature of addr by the link of its (first) confirmation
 * e-mail, expecting 200. */
void confirm_from_mail(struct harness *h, const char *addr);

/* The same by the first signature link in text (an e-mail as read from
 * wherever it was delivered, its body decoded), expecting 200. */
void confirm_from_text(struct harness *h, const char *text);

/* GET path from h with one extra request header ("If-None-Match: ..."),
 * or none when header is NULL; any status.  http_result_free() it. */
struct http_result get_with(struct harness *h, const char *path, const char *header);

/* A response header's value, copied (http_header()'s buffer is reused);
 * NULL when absent.  free() it. */
char *header_copy(const struct http_result *r, const char *name);

/* The number name=N on the line of /healthz that starts with line
 * ("intake", "counts", "mail"), or -1 when there is none. */
long long healthz_value(struct harness *h, const char *line, const char *name);

#endif
