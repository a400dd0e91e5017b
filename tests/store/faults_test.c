/*
 * faults_test.c: the use cases of src/workflow against a store that fails
 * on purpose (store/faults.h; house style 19, SQLite's do_faultsim_test).
 *
 * Each case runs one operation over and over, each time on a fresh store
 * (faults_fixture.h): with the n-th store call failing, for n = 1, 2, 3,
 * ... until the operation completes without reaching its fault, then with
 * each of its commits failing.  Every time it checks that the operation
 * reported the error, that nothing was half-written (a picture of
 * everything the operation could have written, read through the store's
 * wrappers before and after, is the same), and that the next attempt
 * works and leaves the same picture as a run that never failed.  A fault
 * the operation swallows is allowed only when its result is still right.
 *
 * The cases: the intake writer (a batch of signatures and confirmations,
 * some refused, each job under its own savepoint; the counts stored,
 * recounted and in memory); a draft's submission with its five
 * invitations, and the fifth supporter's confirmation that asks the
 * Member; three staff use cases with their audit records (adding a staff
 * account, the Clerk's review of a signature, a presentation in the
 * House); the mail thread's records of an e-mail (outbox_delivered,
 * outbox_failed); and the mail thread itself writing .eml files while its
 * store fails (jobs/delivery.h).
 */
#include "faults_fixture.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jobs/delivery.h"
#include "store/faults.h"
#include "workflow/counts.h"
#include "workflow/drafts.h"
#include "workflow/house.h"
#include "workflow/intake.h"
#include "workflow/outbox.h"
#include "workflow/sign_review.h"
#include "workflow/signing.h"
#include "workflow/staff.h"
#include "lib/banned.h"

/* ---- 1. the intake writer ----------------------------------------------------------------- */

/* A job of the batch and its outcome without faults. */
struct job_spec {
    enum intake_kind kind;
    long e_number; /* INTAKE_SIGN */
    const char *first, *email, *province, *postal, *ip;
    int sig; /* INTAKE_CONFIRM: w->sig[sig]; -1: no such signature */
    int want;
    bool already;
};

/* A signature of jobs[]: e-petition n, the signer, where from. */
#define SIGN(n, first_, email_, province_, postal_, ip_)                                           \
    .kind = INTAKE_SIGN, .e_number = n, .first = first_, .email = email_, .province = province_,   \
    .postal = postal_, .ip = ip_

static const struct job_spec jobs[] = {
    {SIGN(1001, "Alice", "alice@example.org", "ON", "K1A 0A6", "198.51.100.1")},
    {SIGN(1001, "Bob", "bob@example.org", "QC", "H2X 1Y4", "198.51.100.2")},
    /* Closed: refused. */
    {SIGN(1002, "Carol", "carol@example.org", "ON", "K1A 0A6", "198.51.100.3"),
     .want = ERR_CONFLICT},
    /* The same address again: its owner is e-mailed again. */
    {SIGN(1001, "Alice", "alice@example.org", "ON", "K1A 0A6", "198.51.100.1")},
    {.kind = INTAKE_CONFIRM, .sig = 0},
    {.kind = INTAKE_CONFIRM, .sig = 1},
    /* Confirmed before. */
    {.kind = INTAKE_CONFIRM, .sig = 2, .already = true},
    /* Past the grace after closing: refused. */
    {.kind = INTAKE_CONFIRM, .sig = 3, .want = ERR_GONE},
    /* No such petition, no such signature: refused. */
    {SIGN(9999, "Dan", "dan@example.org", "AB", "T5J 0N3", "198.51.100.4"), .want = ERR_NOT_FOUND},
    {.kind = INTAKE_CONFIRM, .sig = -1, .want = ERR_NOT_FOUND},
    {SIGN(1001, "Erin", "erin@example.org", "BC", "V6B 1A1", "198.51.100.5")},
};
enum { JOBS = sizeof(jobs) / sizeof(jobs[0]) };

static void
job_make(struct world *w, const struct job_spec *s, struct intake_job *j)
{
    memset(j, 0, sizeof(*j));
    j->kind = s->kind;
    j->now = w->now;
    if (s->kind == INTAKE_SIGN) {
        struct field_errors fe = {0};
        j->e_number = s->e_number;
        j->rq = signer(s->first, s->email, s->province, s->postal, s->ip);
        FX_OK(w->fx, sign_check(&j->rq, j->key, &fe, E(w)));
    } else {
        j->signature_id = s->sig >= 0 ? w->sig[s->sig] : w->sig[SIGS - 1] + 1000;
    }
}

/* Jobs done so far, and the blocker that holds the writer while a batch
 * is queued (so it is written as one, and no other call is counted). */
struct batch {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int done;
    bool held, release, left;
};

static void
job_done(struct intake_job *j)
{
    struct batch *b = j->arg;
    pthread_mutex_lock(&b->mu);
    b->done++;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

static void
blocker_done(struct intake_job *j)
{
    struct batch *b = j->arg;
    pthread_mutex_lock(&b->mu);
    b->held = true;
    pthread_cond_broadcast(&b->cv);
    while (!b->release)
        pthread_cond_wait(&b->cv, &b->mu);
    b->left = true;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

enum plan { PLAN_NONE, PLAN_CALL, PLAN_COMMIT };

/* Write the jobs which[0..n) (indexes of jobs[]) in one batch, the
 * at-th call or commit of it failing as planned; outcomes in out[]. */
static void
intake_batch(struct world *w, const int *which, int n, enum plan plan, long at,
             struct intake_job *out)
{
    struct batch b = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
    static const struct job_spec nobody = {INTAKE_CONFIRM, .sig = -1, .want = ERR_NOT_FOUND};
    struct intake_job blocker;
    job_make(w, &nobody, &blocker); /* refused: writes nothing */
    blocker.done = blocker_done;
    blocker.arg = &b;
    assert_true(intake_reserve(w->intake));
    intake_submit(w->intake, &blocker);
    pthread_mutex_lock(&b.mu);
    while (!b.held)
        pthread_cond_wait(&b.cv, &b.mu);
    pthread_mutex_unlock(&b.mu);

    /* The writer waits in blocker_done(): nothing calls the store. */
    if (plan == PLAN_CALL)
        store_faults_fail_call(w->s, at);
    else if (plan == PLAN_COMMIT)
        store_faults_fail_commit(w->s, at);
    for (int i = 0; i < n; i++) {
        job_make(w, &jobs[which[i]], &out[i]);
        out[i].done = job_done;
        out[i].arg = &b;
        assert_true(intake_reserve(w->intake));
        intake_submit(w->intake, &out[i]);
    }
    pthread_mutex_lock(&b.mu);
    b.release = true;
    pthread_cond_broadcast(&b.cv);
    while (b.done < n || !b.left)
        pthread_cond_wait(&b.cv, &b.mu);
    pthread_mutex_unlock(&b.mu);
    pthread_mutex_destroy(&b.mu);
    pthread_cond_destroy(&b.cv);
}

static bool
as_without_faults(const struct job_spec *s, const struct intake_job *j)
{
    return j->result == s->want && j->already == s->already;
}

static void
expect_as_without_faults(const int *which, int n, const struct intake_job *out, const char *when)
{
    for (int i = 0; i < n; i++)
        if (!as_without_faults(&jobs[which[i]], &out[i]))
            fail_msg("%s: job %d: %s (%d, already %d), not %d: %s", when, which[i],
                     out[i].result ? err_code_name((enum err_code)out[i].result) : "0",
                     out[i].result, out[i].already, jobs[which[i]].want, out[i].err.log);
}

static struct world *
intake_world(void)
{
    struct world *w = world_new();
    struct intake_config cfg = {0};
    prepare_petitions(w);
    FX_OK(w->fx, intake_start(&w->flow, &cfg, &w->intake, E(w)));
    w->flow.intake = w->intake;
    return w;
}

static void
picture_intake(struct world *w, struct picture *p)
{
    picture_signatures(w, p, w->p_open);
    picture_signatures(w, p, w->p_closed);
    picture_outbox(w, p);
}

/* What the jobs of a subset (a bit per job) write alone, kept: many
 * faults leave the same jobs done. */
struct alone {
    struct arena *a;
    int n;
    unsigned mask[64];
    struct picture picture[64];
};

static struct picture *
alone_picture(struct alone *cache, const int *done, int nd)
{
    unsigned mask = 0;
    for (int i = 0; i < nd; i++)
        mask |= 1u << done[i];
    for (int i = 0; i < cache->n; i++)
        if (cache->mask[i] == mask)
            return &cache->picture[i];
    assert_true(cache->n < 64);
    struct world *w = intake_world();
    struct intake_job out[JOBS];
    struct picture *p = &cache->picture[cache->n];
    cache->mask[cache->n++] = mask;
    *p = picture_kept(cache->a);
    intake_batch(w, done, nd, PLAN_NONE, 0, out);
    expect_as_without_faults(done, nd, out, "the jobs that worked, alone");
    picture_intake(w, p);
    world_free(w);
    return p;
}

/* The walk of the intake writer's faults: call faults or commit faults. */
static int
intake_walk(enum plan plan, struct picture *want, struct alone *cache)
{
    int all[JOBS];
    for (int i = 0; i < JOBS; i++)
        all[i] = i;
    for (long at = 1;; at++) {
        struct world *w = intake_world();
        struct intake_job out[JOBS], again[JOBS];
        struct picture mid = picture_new(w), end = picture_new(w);
        int done[JOBS], failed[JOBS], nd = 0, nf = 0;
        char when[64];
        snprintf(when, sizeof(when), "%s %ld failing", plan == PLAN_CALL ? "call" : "commit", at);

        intake_batch(w, all, JOBS, plan, at, out);
        bool reached = !store_faults_pending(w->s);
        store_faults_clear(w->s);
        if (!reached) {
            expect_as_without_faults(all, JOBS, out, when);
            picture_intake(w, &end);
            PICTURE_SAME(want, &end, "intake: no fault reached");
            world_free(w);
            return (int)at - 1;
        }
        /* Each job did as without faults, or failed for the fault. */
        for (int i = 0; i < JOBS; i++) {
            if (as_without_faults(&jobs[i], &out[i])) {
                done[nd++] = i;
                continue;
            }
            failed[nf++] = i;
            if (out[i].result != ERR_UNAVAILABLE && out[i].result != ERR_STORE)
                fail_msg("intake, %s: job %d: %s (%d): %s", when, i,
                         err_code_name((enum err_code)out[i].result), out[i].result,
                         out[i].err.log);
        }
        if (!nf) {
            /* Swallowed: the batch written together failed, was undone
             * and written job by job (intake.c, write_jobs()): allowed
             * only when it ends as without faults. */
            picture_intake(w, &end);
            PICTURE_SAME(want, &end, "intake, %s: the fault swallowed", when);
            world_free(w);
            continue;
        }

        /* Exactly what the jobs that worked write alone. */
        picture_intake(w, &mid);
        PICTURE_SAME(alone_picture(cache, done, nd), &mid,
                     "intake, %s: not exactly the jobs that worked", when);

        /* The failed ones again: as without faults. */
        intake_batch(w, failed, nf, PLAN_NONE, 0, again);
        expect_as_without_faults(failed, nf, again, when);
        picture_intake(w, &end);
        PICTURE_SAME(want, &end, "intake, %s: then the failed jobs again", when);
        world_free(w);
    }
}

static void
intake_batch_keeps_exactly_the_jobs_that_worked(void **state)
{
    (void)state;
    int all[JOBS];
    struct intake_job out[JOBS];
    for (int i = 0; i < JOBS; i++)
        all[i] = i;
    struct world *ref = intake_world();
    struct picture want = picture_new(ref);
    intake_batch(ref, all, JOBS, PLAN_NONE, 0, out);
    expect_as_without_faults(all, JOBS, out, "without faults");
    picture_intake(ref, &want);

    struct alone cache = {.a = arena_new()};
    int calls = intake_walk(PLAN_CALL, &want, &cache);
    int commits = intake_walk(PLAN_COMMIT, &want, &cache);
    print_message("# intake writer (%d jobs): %d call faults, %d commit faults walked\n", JOBS,
                  calls, commits);
    assert_true(calls > JOBS);
    assert_int_equal(commits, 1);
    arena_free(cache.a);
    world_free(ref);
}

/* ---- 2. a draft's use cases ------------------------------------------------------------------ */

static void
picture_drafting(struct world *w, struct picture *p)
{
    picture_draft(w, p, w->draft_id);
    picture_outbox(w, p);
    picture_audit(w, p);
}

static int
run_submit(struct world *w, struct err *e)
{
    struct field_errors fe = {0};
    return drafts_submit(&w->flow, w->fx->a, &w->petitioner, w->draft_id, &fe, w->now + 60, e);
}

static const struct person supporter_person = {
    .country = "Canada",
    .province = "ON",
    .postal_code = "K1A 0A6",
    .phone = "613-555-0100",
    .eligible = true,
    .terms = true,
};

static int
confirm_supporter(struct world *w, int i, struct err *e)
{
    struct field_errors fe = {0};
    return drafts_supporter_confirm(&w->flow, w->fx->a, w->supporter[i], 1, &supporter_person,
                                    LANG_FR, &fe, w->now + 120 + i, e);
}

/* Submitted, and four of the five supporters confirmed. */
static void
prepare_four_confirmed(struct world *w)
{
    prepare_draft(w);
    FX_OK(w->fx, run_submit(w, E(w)));
    for (int i = 0; i < 4; i++)
        FX_OK(w->fx, confirm_supporter(w, i, E(w)));
}

static int
run_fifth_confirmation(struct world *w, struct err *e)
{
    return confirm_supporter(w, 4, e);
}

static void
draft_submit_invites_five_supporters_or_nothing(void **state)
{
    (void)state;
    static const struct faultsim fs = {"drafts_submit", prepare_draft, run_submit,
                                       picture_drafting};
    faultsim(&fs);
}

static void
fifth_confirmation_asks_the_member_or_nothing(void **state)
{
    (void)state;
    static const struct faultsim fs = {"drafts_supporter_confirm (the fifth)",
                                       prepare_four_confirmed, run_fifth_confirmation,
                                       picture_drafting};
    faultsim(&fs);
}

/* ---- 3. staff use cases with their audit records --------------------------------------------- */

/* A staff use case: walked as any other, and when it works it appends
 * exactly one audit record. */
static void
faultsim_audited(const struct faultsim *fs)
{
    faultsim(fs);
    struct world *w = world_new();
    fs->prepare(w);
    int n = audit_count(w);
    FX_OK(w->fx, fs->run(w, E(w)));
    assert_int_equal(audit_count(w), n + 1);
    world_free(w);
}

#define NEW_STAFF "new.clerk@example.org"

static void
picture_staff(struct world *w, struct picture *p)
{
    picture_user(w, p, NEW_STAFF);
    picture_audit(w, p);
    picture_outbox(w, p);
}

static int
run_staff_add(struct world *w, struct err *e)
{
    struct user u = {.email = NEW_STAFF,
                     .role = ROLE_CLERK,
                     .first_name = "Nora",
                     .last_name = "Clerk",
                     .lang = LANG_FR};
    return staff_add(&w->flow, w->fx->a, &w->admin, "a new clerk", &u, true, w->now, e);
}

static void
staff_add_writes_its_audit_record_or_nothing(void **state)
{
    (void)state;
    static const struct faultsim fs = {"staff_add", prepare_petitions, run_staff_add,
                                       picture_staff};
    faultsim(&fs);
    /* And exactly one record for it when it works. */
    struct world *w = world_new();
    prepare_petitions(w);
    int n = audit_count(w);
    FX_OK(w->fx, run_staff_add(w, E(w)));
    assert_int_equal(audit_count(w), n + 1);
    world_free(w);
}

static void
picture_review(struct world *w, struct picture *p)
{
    picture_signatures(w, p, w->p_open);
    picture_audit(w, p);
}

static int
run_review(struct world *w, struct err *e)
{
    return sign_review(&w->flow, w->fx->a, &w->clerk, w->sig[2], REVIEW_INVALIDATED,
                       "same person twice", w->now, e);
}

static void
review_moves_the_count_with_its_audit_record_or_nothing(void **state)
{
    (void)state;
    static const struct faultsim fs = {"sign_review", prepare_petitions, run_review,
                                       picture_review};
    faultsim_audited(&fs);
}

/* A certified e-petition (e-1003) to present, Member arya to present it. */
static void
prepare_certified(struct world *w)
{
    struct fx *f = w->fx;
    prepare_petitions(w);
    fx_member(f, "arya", "Arya", "Sharma");
    struct petition p = fx_petition_new(f, 1003);
    p.state = PETITION_CERTIFIED;
    p.opened_at = f->now - 130 * 86400;
    p.closes_at = f->now - 10 * 86400;
    p.certified_at = f->now - 2 * 86400;
    p.state_changed_at = p.certified_at;
    p.created_at = p.opened_at - 86400;
    p.signature_total = 0;
    fx_petition_insert(f, &p);
}

/* A petition's record as the presentation changes it, and the mailings. */
static void
picture_presentation(struct world *w, struct picture *p)
{
    struct petition g = fx_get(w->fx, 1003);
    picture_add(
        p,
        "petition state=%d changed=%lld presented=%lld number=%d-%d-%d member=%s "
        "committee=%s/%s ministry=%lld",
        (int)g.state, (long long)g.state_changed_at, (long long)g.presented_at,
        g.presented_number.parliament, g.presented_number.session, g.presented_number.sequence,
        g.has_presenting_member ? g.presenting_member.key : "-", text_or_null(g.committee[LANG_EN]),
        text_or_null(g.committee[LANG_FR]), (long long)g.response_ministry_id);
    for (int i = 0; i < g.event_count; i++)
        picture_add(p, "event at=%lld state=%d", (long long)g.events[i].at, (int)g.events[i].state);
    struct mailing m;
    int r = store_mailing_open(w->s, NULL, p->a, &m, E(w));
    if (r != ERR_NOT_FOUND) {
        FX_OK(w->fx, r);
        picture_add(p, "mailing %s at=%lld vars=%s", m.kind, (long long)m.created_at, m.vars);
    }
    picture_audit(w, p);
    picture_outbox(w, p);
}

static int
run_present(struct world *w, struct err *e)
{
    struct petition_number n = {.kind = PETITION_NUMBER_E, .e_number = 1003};
    struct present_input in = {.date = "2025-06-02",
                               .member_key = "arya",
                               .committee = "FAAE",
                               .ministry_code = "foreign-affairs"};
    struct field_errors fe = {0};
    const char *number;
    return house_present(&w->flow, w->fx->a, &w->clerk, &n, &in, &number, &fe, w->now, e);
}

static void
presentation_writes_its_audit_record_or_nothing(void **state)
{
    (void)state;
    static const struct faultsim fs = {"house_present", prepare_certified, run_present,
                                       picture_presentation};
    faultsim_audited(&fs);
}

/* ---- 4. the mail thread's records of an e-mail ------------------------------------------- */

/* Two e-mails queued by use cases: a staff account's welcome (its text
 * written now) and a signature's confirmation link (written when sent). */
static void
prepare_mail(struct world *w)
{
    struct field_errors fe = {0};
    struct sign_request rq = signer("Sol", "sol@example.org", "ON", "K1A 0A6", "198.51.100.7");
    struct outbox_mail *m;
    int n;
    prepare_petitions(w);
    FX_OK(w->fx, run_staff_add(w, E(w)));
    FX_OK(w->fx, sign_submit(&w->flow, w->fx->a, 1001, &rq, &fe, w->now, E(w)));
    FX_OK(w->fx, store_outbox_due(w->s, NULL, w->fx->a, w->now, 10, &m, &n, E(w)));
    assert_int_equal(n, 2);
    w->mail_id = m[0].id;
}

static void
picture_mail(struct world *w, struct picture *p)
{
    picture_outbox(w, p);
}

static int
run_delivered(struct world *w, struct err *e)
{
    return outbox_delivered(&w->flow, w->mail_id, w->now + 5, e);
}

static int
run_failed(struct world *w, struct err *e)
{
    return outbox_failed(&w->flow, w->mail_id, w->now + 120, "the relay said no", e);
}

static void
delivered_mark_is_kept_or_the_mail_stays_due(void **state)
{
    (void)state;
    static const struct faultsim fs = {"outbox_delivered", prepare_mail, run_delivered,
                                       picture_mail};
    faultsim(&fs);
}

static void
failed_mark_is_kept_or_the_mail_stays_due(void **state)
{
    (void)state;
    static const struct faultsim fs = {"outbox_failed", prepare_mail, run_failed, picture_mail};
    faultsim(&fs);
}

/* ---- 4. the mail thread, failing ------------------------------------------------------------- */

/* A world's mail thread, where it writes, and its clock (the world's
 * extra, ended with it). */
struct maildir {
    char dir[4096];
    char clock_path[4200];
    struct clock clock;
    const char *want[8]; /* the .eml names expected, one per e-mail */
    int nwant;
    struct delivery *delivery;
};

static void maildir_remove(struct world *w);

static void
clock_set(struct maildir *md, int64_t t)
{
    char tmp[4300];
    snprintf(tmp, sizeof(tmp), "%s.tmp", md->clock_path);
    FILE *fp = fopen(tmp, "w");
    assert_non_null(fp);
    fprintf(fp, "%lld\n", (long long)t);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(rename(tmp, md->clock_path), 0);
}

/* Three e-mails (a welcome, two confirmation links), the names of their
 * .eml files, an empty directory and the clock at the world's now. */
static struct maildir *
prepare_delivery(struct world *w)
{
    struct maildir *md = calloc(1, sizeof(*md));
    struct field_errors fe = {0};
    struct sign_request rq = signer("Tia", "tia@example.org", "QC", "H2X 1Y4", "198.51.100.8");
    struct outbox_mail *m;
    int n;
    assert_non_null(md);
    prepare_mail(w);
    FX_OK(w->fx, sign_submit(&w->flow, w->fx->a, 1001, &rq, &fe, w->now, E(w)));
    FX_OK(w->fx, store_outbox_due(w->s, NULL, w->fx->a, w->now, 10, &m, &n, E(w)));
    assert_int_equal(n, 3);
    md->nwant = n;
    for (int i = 0; i < n; i++)
        md->want[i] = arena_printf(w->fx->a, "%06lld-%s.eml", (long long)m[i].id, m[i].kind);

    const char *tmp = getenv("TMPDIR");
    snprintf(md->dir, sizeof(md->dir), "%s/petitiond-mail-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(md->dir));
    snprintf(md->clock_path, sizeof(md->clock_path), "%s.clock", md->dir);
    md->clock = (struct clock){.file = md->clock_path};
    clock_set(md, w->now);
    w->extra = md;
    w->cleanup = maildir_remove;
    return md;
}

/* Stop the mail thread, remove its directory. */
static void
maildir_remove(struct world *w)
{
    struct maildir *md = w->extra;
    delivery_stop(md->delivery);
    DIR *d = opendir(md->dir);
    struct dirent *de;
    char path[8400];
    while (d && (de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", md->dir, de->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(md->dir);
    unlink(md->clock_path);
    free(md);
}

/* How many expected .eml files exist; fails on any other .eml file (an
 * e-mail sent that was not in the outbox, or one queued twice). */
static int
maildir_count(struct maildir *md)
{
    DIR *d = opendir(md->dir);
    struct dirent *de;
    int found = 0;
    assert_non_null(d);
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len < 4 || strcmp(de->d_name + len - 4, ".eml") != 0)
            continue;
        bool known = false;
        for (int i = 0; i < md->nwant && !known; i++)
            known = strcmp(md->want[i], de->d_name) == 0;
        if (!known)
            fail_msg("an e-mail that was not in the outbox: %s", de->d_name);
        found++;
    }
    closedir(d);
    return found;
}

/* The e-mails written, whole. */
static void
picture_maildir(struct maildir *md, struct picture *p)
{
    for (int i = 0; i < md->nwant; i++) {
        char path[8400], buf[65536];
        snprintf(path, sizeof(path), "%s/%s", md->dir, md->want[i]);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
        assert_true(feof(fp));
        fclose(fp);
        buf[n] = '\0';
        picture_add(p, "eml %s %s", md->want[i], masked(p->a, buf));
    }
}

static void
pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) && errno == EINTR)
        ;
}

/* Wait until every e-mail is written and none is left to send; the
 * clock goes forward to retries, the thread is woken as a commit would.
 * The fault is spent: the test reads the store freely. */
static void
delivery_settle(struct world *w, struct maildir *md)
{
    for (int turn = 0;; turn++) {
        struct outbox_mail *m;
        int n;
        if (turn == 20000)
            fail_msg("the mail thread did not deliver everything after its fault");
        FX_OK(w->fx, store_outbox_due(w->s, NULL, w->fx->a, INT64_MAX, 10, &m, &n, E(w)));
        if (n == 0 && maildir_count(md) == md->nwant)
            return;
        int64_t now = clock_now(&md->clock);
        for (int i = 0; i < n; i++)
            if (m[i].next_try_at > now)
                clock_set(md, now = m[i].next_try_at);
        wake_signal(&w->wake);
        pause_ms(1);
    }
}

/* Start the world's mail thread. */
static void
delivery_begin(struct world *w)
{
    struct maildir *md = w->extra;
    struct delivery_config cfg = {.flow = &w->flow,
                                  .wake = &w->wake,
                                  .clock = &md->clock,
                                  .mail_dir = md->dir,
                                  .from_addr = "petitions@petitions.test",
                                  .from_name = "E-petitions",
                                  .poll_ms = 20};
    FX_OK(w->fx, delivery_start(&cfg, &md->delivery, E(w)));
}

/* Stop it (it finishes the e-mail in hand). */
static void
delivery_end(struct world *w)
{
    struct maildir *md = w->extra;
    delivery_stop(md->delivery);
    md->delivery = NULL;
}

/* The mail thread with its at-th call or commit failing, or (PLAN_NONE)
 * without faults: then *want gets the e-mails it writes; else they must
 * be those.  Returns false when it delivered everything without reaching
 * the fault. */
static bool
delivery_run(enum plan plan, long at, struct picture *want)
{
    struct world *w = world_new();
    struct maildir *md = prepare_delivery(w);
    struct picture left = picture_new(w), sent = picture_new(w);
    bool reached = true;
    if (plan == PLAN_CALL)
        store_faults_fail_call(w->s, at);
    else if (plan == PLAN_COMMIT)
        store_faults_fail_commit(w->s, at);
    delivery_begin(w);

    /* Until every e-mail is written or the fault has come (no read of
     * the store before: it would count). */
    for (int turn = 0; store_faults_pending(w->s) && maildir_count(md) < md->nwant; turn++) {
        if (turn == 20000)
            fail_msg("the mail thread wrote nothing");
        pause_ms(1);
    }
    if (store_faults_pending(w->s)) {
        delivery_end(w);
        if (store_faults_pending(w->s)) {
            /* Done before the fault: the walk ends. */
            store_faults_clear(w->s);
            reached = false;
        } else {
            /* It came as the thread stopped: the next thread finishes. */
            delivery_begin(w);
        }
    }
    if (md->delivery) {
        delivery_settle(w, md);
        delivery_end(w);
    }
    picture_outbox(w, &left);
    assert_int_equal(left.n, 0);
    assert_int_equal(maildir_count(md), md->nwant);
    if (plan == PLAN_NONE) {
        picture_maildir(md, want);
    } else {
        picture_maildir(md, &sent);
        PICTURE_SAME(want, &sent, "mail thread, %s %ld failing: not the e-mails due",
                     plan == PLAN_CALL ? "call" : "commit", at);
    }
    world_free(w);
    return reached;
}

static void
mail_thread_delivers_everything_after_a_fault(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct picture want = picture_kept(a);
    int calls = 0, commits = 0;
    delivery_run(PLAN_NONE, 0, &want);
    while (delivery_run(PLAN_CALL, calls + 1, &want))
        calls++;
    while (delivery_run(PLAN_COMMIT, commits + 1, &want))
        commits++;
    print_message("# mail thread (3 e-mails): %d call faults, %d commit faults walked\n", calls,
                  commits);
    assert_true(calls > 3 && commits >= 3);
    arena_free(a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FAULT_TEST(intake_batch_keeps_exactly_the_jobs_that_worked),
        FAULT_TEST(draft_submit_invites_five_supporters_or_nothing),
        FAULT_TEST(fifth_confirmation_asks_the_member_or_nothing),
        FAULT_TEST(staff_add_writes_its_audit_record_or_nothing),
        FAULT_TEST(review_moves_the_count_with_its_audit_record_or_nothing),
        FAULT_TEST(presentation_writes_its_audit_record_or_nothing),
        FAULT_TEST(delivered_mark_is_kept_or_the_mail_stays_due),
        FAULT_TEST(failed_mark_is_kept_or_the_mail_stays_due),
        FAULT_TEST(mail_thread_delivers_everything_after_a_fault),
    };
    return cmocka_run_group_tests_name(fx_backend(), tests, faults_group_setup,
                                       faults_group_teardown);
}
