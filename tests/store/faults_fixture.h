/*
 * faults_fixture.h: what the fault tests of the use cases
 * (tests/store/faults_test.c) share: a world (a fresh store of the
 * conformance suite's fixture with the use cases' context over it),
 * pictures of what an operation could have written, the scenario's
 * records, and the walk of fault points (house style 19, SQLite's
 * do_faultsim_test).
 *
 * A picture is a set of lines read through the store's wrappers (rows
 * and their contents); two pictures compare as sets, so the order rows
 * come back in does not matter.  Pictures leave out ids and mask the ids
 * and tokens in e-mailed links: two worlds compare whatever ids their
 * engine hands out.
 */
#ifndef PETITIOND_FAULTS_FIXTURE_H
#define PETITIOND_FAULTS_FIXTURE_H

#include "store_fixture.h"

#include "lib/changes.h"
#include "lib/wake.h"
#include "workflow/flow.h"
#include "workflow/signing.h"

/* The public address in e-mailed links. */
#define BASE_URL "http://petitions.test"

/* ---- a world -------------------------------------------------------------------------------- */

enum { SIGS = 4 };

/*
 * One fresh store and a struct flow over it, built as `petitiond serve`
 * builds its own (cmd/serve.c): the mailer of the embedded templates, the
 * default rules, a fixed link key, the changes, the mail thread's wake
 * and counts in memory.  Its intake writer, when a test starts one, and
 * cleanup, when a test sets one, end with it.
 */
struct world {
    struct fx *fx;
    struct store *s;
    int64_t now;
    struct changes changes;
    struct wake wake;
    struct flow flow;
    struct intake *intake;
    void (*cleanup)(struct world *w); /* called by world_free() first; may be NULL */
    void *extra;                      /* the test's, for cleanup */
    /* The records of the scenario (prepare_*()). */
    int64_t p_open, p_closed; /* e-1001 open, e-1002 closed three days ago */
    int64_t sig[SIGS];        /* pending, pending, confirmed on e-1001; pending on e-1002 */
    struct user admin, clerk, petitioner;
    int64_t draft_id;
    int64_t supporter[5];
    int64_t mail_id; /* an e-mail in the outbox */
};

struct world *world_new(void);
void world_free(struct world *w);

/* cmocka's group setup and teardown (the mailer and rules every world
 * shares), and a test's teardown: the worlds a failed check left. */
int faults_group_setup(void **state);
int faults_group_teardown(void **state);
int worlds_free(void **state);

#define FAULT_TEST(fn) cmocka_unit_test_teardown(fn, worlds_free)

/* Where the world's failed check keeps its error (FX_OK prints it). */
#define E(w) (&(w)->fx->e)

/* ---- pictures ----------------------------------------------------------------------------------
 */

struct picture {
    struct arena *a;
    const char **lines;
    int n, cap;
};

/* A picture in the world's arena, or one that outlives its world. */
struct picture picture_new(struct world *w);
struct picture picture_kept(struct arena *a);

void picture_add(struct picture *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Whether a and b hold the same lines; if not, the lines only one of them
 * holds are printed under the heading what (unless NULL). */
bool picture_same(struct picture *a, struct picture *b, const char *what);

#define PICTURE_SAME(a, b, ...)                                                                    \
    do {                                                                                           \
        char what_[256];                                                                           \
        snprintf(what_, sizeof(what_), __VA_ARGS__);                                               \
        if (!picture_same((a), (b), what_))                                                        \
            fail_msg("%s", what_);                                                                 \
    } while (0)

/* s, or "(null)". */
const char *text_or_null(const char *s);

/* s on one line ('|' for a newline), the ids and tokens of our links
 * masked ("/support/#?*"); arena memory. */
const char *masked(struct arena *a, const char *s);

/* Every unsent e-mail, whenever due. */
void picture_outbox(struct world *w, struct picture *p);

/* A petition's signatures and counts.  The stored counts must equal a
 * recount, and the counts in memory (loaded by prepare_petitions()) the
 * stored ones: checked here. */
void picture_signatures(struct world *w, struct picture *p, int64_t petition_id);

/* Every audit record; how many there are. */
void picture_audit(struct world *w, struct picture *p);
int audit_count(struct world *w);

/* The account with that address, or its absence. */
void picture_user(struct world *w, struct picture *p, const char *email);

/* A draft, its supporters and its requests to Members.  Its history
 * (store_draft_event_add()) has no reader in the store's interface, so it
 * is not in the picture. */
void picture_draft(struct world *w, struct picture *p, int64_t id);

/* ---- the scenario's records ----------------------------------------------------------------- */

/* Two e-petitions (e-1001 open, to the Minister of Foreign Affairs;
 * e-1002 closed three days ago), four signatures (w->sig), an
 * administrator and the Clerk, and the counts in memory loaded for both
 * petitions. */
void prepare_petitions(struct world *w);

/* A petitioner's draft to the Minister of Foreign Affairs, Member arya
 * (whose account gets the request) to be asked, five supporters named
 * (w->supporter), saved by drafts_save(). */
void prepare_draft(struct world *w);

/* A signature as a signer in Canada submits it from ip. */
struct sign_request signer(const char *first, const char *email, const char *province,
                           const char *postal, const char *ip);

/* ---- the walk of fault points ------------------------------------------------------------------
 */

/* One operation, run against worlds made by prepare and pictured by
 * picture (everything it could write); run returns its result and fills
 * e. */
struct faultsim {
    const char *name;
    void (*prepare)(struct world *w);
    int (*run)(struct world *w, struct err *e);
    void (*picture)(struct world *w, struct picture *p);
};

/*
 * do_faultsim_test: a run without faults gives the picture wanted; then
 * for n = 1, 2, ... a fresh world whose n-th store call fails, until the
 * operation completes without reaching its fault; then the same with its
 * n-th commit failing.  Each time the operation must report ERR_STORE and
 * leave the picture as it was, and the next attempt must work and give
 * the picture wanted; or, having swallowed the fault, give it at once.
 * Says how many faults were walked.
 */
void faultsim(const struct faultsim *fs);

#endif
