/*
 * store_fixture.c: the fresh store of each test, the checks and the
 * builders of valid records of the store conformance suite; see
 * store_fixture.h.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/eastern_time.h"
#include "core/email.h"
#include "store_fixture.h"
#include "lib/banned.h"

/* ---- the store of a test ---------------------------------------------------------------- */

static const char *
spec_setting(void)
{
    const char *v = getenv("PETITIOND_TEST_STORE");
    return v && *v && strcmp(v, "sqlite") != 0 ? v : NULL;
}

const char *
fx_backend(void)
{
    const char *v = spec_setting();
    return v ? v : "sqlite";
}

/* The spec with "{n}" replaced by a number unique to this test. */
static char *
spec_for_test(struct arena *a, const char *spec)
{
    static int serial;
    const char *at = strstr(spec, "{n}");
    if (!at)
        return arena_strdup(a, spec);
    return arena_printf(a, "%.*s%ld_%d%s", (int)(at - spec), spec, (long)getpid(), ++serial,
                        at + 3);
}

static void
remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    char path[4096];
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static const char *
tmp_dir(void)
{
    const char *tmp = getenv("TMPDIR");
    return tmp && *tmp ? tmp : "/tmp";
}

/* Copy the file at from to to; false when from does not exist. */
static bool
copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return false;
    FILE *out = fopen(to, "wb");
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    assert_false(ferror(in));
    fclose(in);
    assert_int_equal(fclose(out), 0);
    return true;
}

/*
 * SQLite: one database migrated once per test binary (removed at exit),
 * copied for each test, which is much faster than migrating each time;
 * the copy is opened and migrated like any store (nothing left to apply).
 */
static char template_dir[4096];

static void
template_remove(void)
{
    remove_dir(template_dir);
}

static const char *
sqlite_template(void)
{
    if (template_dir[0])
        return template_dir;
    snprintf(template_dir, sizeof(template_dir), "%s/petitiond-store-XXXXXX", tmp_dir());
    assert_non_null(mkdtemp(template_dir));
    atexit(template_remove);
    char path[4200];
    snprintf(path, sizeof(path), "%s/store.db", template_dir);
    struct store *s = NULL;
    struct err e = ERR_INIT;
    int applied = 0;
    if (store_open(path, true, &s, &e) || store_migrate(s, &applied, &e)) {
        print_error("cannot make the template store %s: %s\n", path, e.log);
        fail();
    }
    store_close(s);
    return template_dir;
}

int
fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->a = arena_new();
    f->e = (struct err)ERR_INIT;
    f->now = fx_at(2025, 6, 2, 12, 0);

    const char *spec = spec_setting();
    char *open_spec;
    if (spec) {
        open_spec = spec_for_test(f->a, spec);
    } else {
        const char *from = sqlite_template();
        f->dir = arena_printf(f->a, "%s/petitiond-store-XXXXXX", tmp_dir());
        assert_non_null(mkdtemp(f->dir));
        open_spec = arena_printf(f->a, "%s/store.db", f->dir);
        assert_true(copy_file(arena_printf(f->a, "%s/store.db", from), open_spec));
        copy_file(arena_printf(f->a, "%s/store.db-wal", from),
                  arena_printf(f->a, "%s/store.db-wal", f->dir));
    }
    f->spec = open_spec;
    FX_OK(f, store_open(open_spec, true, &f->s, &f->e));
    int applied = 0;
    FX_OK(f, store_migrate(f->s, &applied, &f->e));
    *state = f;
    return 0;
}

int
fx_teardown(void **state)
{
    struct fx *f = *state;
    if (!f)
        return 0;
    store_rollback(f->open);
    store_close(f->s);
    if (f->dir)
        remove_dir(f->dir);
    arena_free(f->a);
    free(f);
    *state = NULL;
    return 0;
}

/* ---- checks ------------------------------------------------------------------------------ */

void
fx_ok_at(struct fx *f, int r, const char *file, int line)
{
    if (r == 0)
        return;
    print_error("%s:%d: expected 0, got %s (%d): %s\n", file, line, err_code_name((enum err_code)r),
                r, f->e.log);
    _fail(file, line);
}

void
fx_err_at(struct fx *f, int code, int r, const char *file, int line)
{
    if (r == code)
        return;
    print_error("%s:%d: expected %s, got %s (%d): %s\n", file, line,
                err_code_name((enum err_code)code), r ? err_code_name((enum err_code)r) : "0", r,
                r ? f->e.log : "");
    _fail(file, line);
}

/* ---- transactions -------------------------------------------------------------------------- */

struct store_txn *
fx_begin(struct fx *f)
{
    struct store_txn *t = NULL;
    FX_OK(f, store_begin(f->s, &t, &f->e));
    assert_non_null(t);
    f->open = t;
    return t;
}

void
fx_commit(struct fx *f, struct store_txn *t)
{
    assert_ptr_equal(t, f->open);
    f->open = NULL; /* ended, even on an error */
    FX_OK(f, store_commit(t, &f->e));
}

void
fx_rollback(struct fx *f, struct store_txn *t)
{
    assert_ptr_equal(t, f->open);
    f->open = NULL;
    store_rollback(t);
}

void
fx_audit(struct fx *f, struct store_txn *t, const char *action)
{
    struct audit_entry a = {.at = f->now, .role = "system", .action = action};
    FX_OK(f, store_audit_append(t, &a, &f->e));
}

/* ---- builders ------------------------------------------------------------------------------- */

int64_t
fx_at(int year, int month, int day, int hour, int minute)
{
    return eastern_to_utc(year, month, day, hour, minute, 0);
}

void
fx_house(struct fx *f)
{
    if (f->session_id)
        return;
    struct parliament p = {.number = 45, .opened_at = f->now - 365 * 86400};
    FX_AUDITED(f, store_parliament_put(t, &p, &f->e));
    struct session ses = {
        .parliament_id = p.id, .parliament = 45, .number = 1, .opened_at = p.opened_at};
    FX_AUDITED(f, store_session_put(t, &ses, &f->e));
    assert_true(p.id != 0 && ses.id != 0);
    f->parliament_id = p.id;
    f->session_id = ses.id;
}

int64_t
fx_member(struct fx *f, const char *key, const char *first, const char *last)
{
    struct member m = {
        .key = key,
        .first_name = first,
        .last_name = last,
        .honorific = "",
        .constituency = {arena_printf(f->a, "Riding of %s", last),
                         arena_printf(f->a, "Circonscription de %s", last)},
        .province = REGION_ON,
        .caucus = {"Independent", "Indépendant"},
        .active = true,
    };
    FX_WRITE(f, store_member_put(t, &m, &f->e));
    assert_true(m.id != 0);
    return m.id;
}

int64_t
fx_ministry(struct fx *f, const char *code, const char *title_en)
{
    struct ministry m = {.code = code, .title = {title_en, arena_printf(f->a, "FR %s", title_en)}};
    FX_WRITE(f, store_ministry_put(t, &m, &f->e));
    assert_true(m.id != 0);
    return m.id;
}

int64_t
fx_subject(struct fx *f, const char *code, const char *name_en)
{
    struct subject s = {.code = code, .name = {name_en, arena_printf(f->a, "FR %s", name_en)}};
    FX_WRITE(f, store_subject_put(t, &s, &f->e));
    assert_true(s.id != 0);
    return s.id;
}

int64_t
fx_keyword(struct fx *f, const char *slug, const char *name_en)
{
    struct keyword k = {.slug = slug, .name = {name_en, arena_printf(f->a, "FR %s", name_en)}};
    FX_WRITE(f, store_keyword_put(t, &k, &f->e));
    assert_true(k.id != 0);
    return k.id;
}

struct petition
fx_petition_new(struct fx *f, long e_number)
{
    struct petition p = {0};
    p.kind = PETITION_ELECTRONIC;
    p.e_number = e_number;
    p.state = PETITION_OPEN;
    p.opened_at = f->now - 86400;
    p.state_changed_at = p.opened_at;
    p.created_at = p.opened_at - 86400;
    p.signature_period_days = 120;
    p.closes_at = p.opened_at + 120 * 86400;
    p.parliament = 45;
    p.session = 1;
    p.original_language = LANG_EN;
    p.addressee = ADDRESSEE_HOUSE;
    p.petitioner_name = "Pat Petitioner";
    p.petitioner_city = "Ottawa";
    p.petitioner_province = REGION_ON;
    p.grievance_count = 2;
    p.grievances = arena_calloc(f->a, 2, sizeof(*p.grievances));
    p.grievances[0].text[LANG_EN] = "Whereas the lighthouses of the coast are closing;";
    p.grievances[0].text[LANG_FR] = "Attendu que les phares de la côte ferment;";
    p.grievances[1].text[LANG_EN] = "Whereas keepers are needed;";
    p.grievances[1].text[LANG_FR] = "Attendu qu'il faut des gardiens;";
    p.prayer[LANG_EN] = "We call upon the House to keep them open.";
    p.prayer[LANG_FR] = "Nous demandons à la Chambre de les garder ouverts.";
    p.rules_fixed = true;
    p.certify_threshold = 500;
    p.grace_hours = 24;
    return p;
}

struct petition
fx_paper_new(struct fx *f, int sequence, const char *member_key)
{
    struct petition p = fx_petition_new(f, 0);
    p.kind = PETITION_PAPER;
    p.state = PETITION_PRESENTED;
    p.petitioner_name = NULL;
    p.petitioner_city = NULL;
    p.signature_period_days = 0;
    p.opened_at = 0;
    p.closes_at = 0;
    p.rules_fixed = false;
    p.presented_at = f->now - 86400;
    p.state_changed_at = p.presented_at;
    p.has_presented_number = true;
    p.presented_number = (struct presented_number){45, 1, sequence};
    p.has_presenting_member = true;
    p.presenting_member.key = member_key;
    p.signature_total = 30;
    return p;
}

int64_t
fx_petition_insert(struct fx *f, struct petition *p)
{
    fx_house(f);
    FX_AUDITED(f, store_petition_insert(t, p, &f->e));
    assert_true(p->id != 0);
    return p->id;
}

int64_t
fx_petition(struct fx *f, long e_number)
{
    struct petition p = fx_petition_new(f, e_number);
    return fx_petition_insert(f, &p);
}

void
fx_petition_keywords(struct fx *f, struct petition *p, int n, const char *const *slugs)
{
    p->keywords = arena_calloc(f->a, (size_t)n, sizeof(*p->keywords));
    p->keyword_count = n;
    for (int i = 0; i < n; i++)
        p->keywords[i].slug = slugs[i];
}

struct user
fx_user_new(struct fx *f, const char *email, enum role role)
{
    struct user u = {
        .email = email,
        .role = role,
        .first_name = "Alex",
        .last_name = "User",
        .city = "Ottawa",
        .province = "ON",
        .country = "CA",
        .postal_code = "K1A 0A6",
        .phone = "",
        .lang = LANG_EN,
        .created_at = f->now - 7 * 86400,
        .activated_at = f->now - 7 * 86400 + 60,
    };
    return u;
}

int64_t
fx_user_insert(struct fx *f, struct user *u)
{
    if (u->role == ROLE_PETITIONER)
        FX_WRITE(f, store_user_insert(t, u, &f->e));
    else
        FX_AUDITED(f, store_user_insert(t, u, &f->e));
    assert_true(u->id != 0);
    return u->id;
}

int64_t
fx_user(struct fx *f, const char *email, enum role role)
{
    struct user u = fx_user_new(f, email, role);
    return fx_user_insert(f, &u);
}

struct draft_record
fx_draft_new(struct fx *f, int64_t petitioner_id)
{
    struct draft_record d = {
        .petitioner_id = petitioner_id,
        .state = PETITION_DRAFT,
        .state_changed_at = f->now,
        .content = "{\"lang\":\"en\",\"prayer\":\"Keep the lighthouses open.\"}",
        .supporters_min = 5,
        .supporters_days = 30,
        .member_days = 30,
        .members_max = 5,
        .created_at = f->now,
        .updated_at = f->now,
    };
    return d;
}

int64_t
fx_draft_insert(struct fx *f, struct draft_record *d)
{
    FX_WRITE(f, store_draft_insert(t, d, &f->e));
    assert_true(d->id != 0);
    return d->id;
}

int64_t
fx_draft(struct fx *f, int64_t petitioner_id)
{
    struct draft_record d = fx_draft_new(f, petitioner_id);
    return fx_draft_insert(f, &d);
}

static const char *
key_of(struct fx *f, const char *email)
{
    char key[EMAIL_MAX + 1];
    assert_int_equal(email_key(email, strlen(email), key), 0);
    return arena_strdup(f->a, key);
}

struct supporter_record
fx_supporter_new(struct fx *f, int64_t draft_id, const char *email)
{
    struct supporter_record r = {
        .draft_id = draft_id,
        .first_name = "Sam",
        .last_name = "Supporter",
        .email = email,
        .email_key = key_of(f, email),
        .invited_round = 1,
        .lang = LANG_EN,
        .created_at = f->now,
    };
    return r;
}

int64_t
fx_supporter_insert(struct fx *f, struct supporter_record *r)
{
    FX_WRITE(f, store_supporter_insert(t, r, &f->e));
    assert_true(r->id != 0);
    return r->id;
}

struct signature_record
fx_signature_new(struct fx *f, int64_t petition_id, const char *email)
{
    struct signature_record r = {
        .petition_id = petition_id,
        .email_key = key_of(f, email),
        .email = email,
        .first_name = "Sig",
        .last_name = "Natory",
        .country = "CA",
        .region = REGION_ON,
        .postal_code = "K1A 0A6",
        .phone = "",
        .lang = LANG_EN,
        .ip = "192.0.2.1",
        .rate_key = "192.0.2.1",
        .created_at = f->now,
        .review = REVIEW_CLEAR,
        .mails = 1,
    };
    return r;
}

int64_t
fx_signature_insert(struct fx *f, struct signature_record *r)
{
    FX_WRITE(f, store_signature_insert(t, r, &f->e));
    assert_true(r->id != 0);
    return r->id;
}

int64_t
fx_signature(struct fx *f, int64_t petition_id, const char *email, enum region region,
             int64_t confirmed_at)
{
    struct signature_record r = fx_signature_new(f, petition_id, email);
    r.region = region;
    r.confirmed_at = confirmed_at;
    return fx_signature_insert(f, &r);
}

void
fx_count(struct fx *f, int64_t petition_id, enum region r, int delta, int64_t now)
{
    FX_WRITE(f, store_petition_count_add(t, petition_id, r, delta, now, &f->e));
}

/* ---- reading ----------------------------------------------------------------------------------
 */

struct petition
fx_get(struct fx *f, long e_number)
{
    struct petition p;
    struct petition_number n = {.kind = PETITION_NUMBER_E, .e_number = e_number};
    FX_OK(f, store_petition_get(f->s, NULL, f->a, &n, &p, &f->e));
    return p;
}

int
fx_signing_rule_count(struct fx *f)
{
    struct signing_rule *list;
    int n;
    FX_OK(f, store_signing_rule_list(f->s, NULL, f->a, &list, &n, &f->e));
    return n;
}

bool
fx_json_equal(const char *a, const char *b)
{
    json_t *x = json_loads(a ? a : "{}", 0, NULL);
    json_t *y = json_loads(b ? b : "{}", 0, NULL);
    bool same = x && y && json_equal(x, y);
    json_decref(x);
    json_decref(y);
    return same;
}
