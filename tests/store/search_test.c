/*
 * search_test.c: finding petitions (store/search.h): every field of a
 * petition_query filters, public_only and the removed, every order with
 * ties made on purpose, pages and their total, the numbers of an export;
 * SEARCH as the header states it (every word, the last as a prefix, any
 * public text in either language, case and accents ignored, nothing read
 * as a query language, only public petitions, never a withdrawn one) and
 * RELEVANCE (numbers and titles before the text and the response,
 * keywords before the Members before the text, every place adding,
 * equal ones as SORT_RECENT); the search following the register (renamed
 * titles, keywords and Members, a response tabled, a petition removed);
 * the counts by state; the three Atom feeds, which leave out
 * withdrawn petitions as every public list does.
 */
#include "store_fixture.h"

#include <string.h>

#include "lib/banned.h"

/* An e-petition in state s, changed at `changed`, with total counted. */
static struct petition
pet(struct fx *f, long e_number, enum petition_state s, int64_t changed, int64_t total)
{
    struct petition p = fx_petition_new(f, e_number);
    p.state = s;
    p.state_changed_at = changed;
    p.opened_at = changed - 200 * 86400;
    p.created_at = p.opened_at - 86400;
    p.closes_at = s == PETITION_OPEN ? f->now + 30 * 86400 : changed - 100 * 86400;
    p.signature_total = total;
    p.region_counts[REGION_ON] = total;
    return p;
}

static void
respond(struct petition *p, const char *ministry_code, int64_t ministry_id, const char *text,
        int64_t tabled_at)
{
    p->has_response = true;
    p->response.ministry.code = ministry_code;
    p->response.signed_by = "The Honourable Jane Doe";
    p->response.text[LANG_EN] = text;
    p->response.text[LANG_FR] = "Réponse du gouvernement.";
    p->response.tabled_at = tabled_at;
    p->response_ministry_id = ministry_id;
}

/* An e-petition in state s changed at `changed` whose prayer is en (and fr,
 * unless NULL), inserted. */
static void
prayer(struct fx *f, long e_number, enum petition_state s, int64_t changed, const char *en,
       const char *fr)
{
    struct petition p = pet(f, e_number, s, changed, 0);
    p.prayer[LANG_EN] = en;
    if (fr)
        p.prayer[LANG_FR] = fr;
    fx_petition_insert(f, &p);
}

/* The e-numbers (or presented sequences, negated) of q's page. */
static int
page(struct fx *f, const struct petition_query *q, long *out, int64_t *total)
{
    struct petition_list l;
    FX_OK(f, store_petition_list(f->s, NULL, f->a, q, &l, &f->e));
    for (int i = 0; i < l.count; i++)
        out[i] = l.items[i].kind == PETITION_PAPER ? -l.items[i].presented_number.sequence
                                                   : l.items[i].e_number;
    if (total)
        *total = l.total;
    return l.count;
}

static void
assert_page(struct fx *f, const struct petition_query *q, int n, const long *want)
{
    long got[64];
    int64_t total = -1;
    int count = page(f, q, got, &total);
    if (count != n) {
        print_error("text \"%s\": expected %d petitions, got %d:", q->text ? q->text : "", n,
                    count);
        for (int i = 0; i < count; i++)
            print_error(" %ld", got[i]);
        print_error("\n");
    }
    assert_int_equal(count, n);
    for (int i = 0; i < n; i++)
        assert_int_equal(got[i], want[i]);
    if (q->offset == 0 && n < (q->limit ? q->limit : 100))
        assert_int_equal(total, n);

    /* The numbers of every match, in the same order, whatever the page. */
    struct petition_query all = *q;
    if (all.offset || all.limit < 100)
        return;
    struct petition_number *nums;
    int nn;
    FX_OK(f, store_petition_numbers(f->s, NULL, f->a, q, &nums, &nn, &f->e));
    assert_int_equal(nn, n);
    for (int i = 0; i < nn; i++) {
        long v = nums[i].kind == PETITION_NUMBER_E ? nums[i].e_number : -nums[i].pps.sequence;
        assert_int_equal(v, want[i]);
    }
}

#define PAGE(f, q, ...)                                                                            \
    do {                                                                                           \
        const long want_[] = {__VA_ARGS__};                                                        \
        assert_page((f), (q), (int)(sizeof(want_) / sizeof(want_[0])), want_);                     \
    } while (0)

#define EMPTY(f, q) assert_page((f), (q), 0, NULL)

/* The e-numbers (or presented sequences, negated) of a feed, n of them as want. */
static void
feed_entries(struct fx *f, const struct feed_query *q, int n, const long *want,
             struct petition_list *l)
{
    FX_OK(f, store_petition_feed(f->s, NULL, f->a, q, l, &f->e));
    assert_int_equal(l->count, n);
    assert_int_equal(l->total, l->count);
    for (int i = 0; i < n; i++)
        assert_int_equal(l->items[i].kind == PETITION_PAPER ? -l->items[i].presented_number.sequence
                                                            : l->items[i].e_number,
                         want[i]);
}

/* ---- filters ---------------------------------------------------------------------------- */

static void
every_filter_of_a_query(void **state)
{
    struct fx *f = *state;
    int64_t T = f->now;
    struct parliament p44 = {.number = 44, .opened_at = T - 1000 * 86400};
    FX_AUDITED(f, store_parliament_put(t, &p44, &f->e));
    struct session s44 = {
        .parliament_id = p44.id, .parliament = 44, .number = 1, .opened_at = p44.opened_at};
    FX_AUDITED(f, store_session_put(t, &s44, &f->e));
    fx_house(f);
    struct session s452 = {.parliament_id = f->parliament_id,
                           .parliament = 45,
                           .number = 2,
                           .opened_at = T - 100 * 86400};
    FX_AUDITED(f, store_session_put(t, &s452, &f->e));
    fx_subject(f, "health", "Health");
    fx_subject(f, "arts", "Arts");
    fx_keyword(f, "belarus", "Belarus");
    fx_keyword(f, "water", "Water");
    int64_t m1 = fx_member(f, "m1", "Ann", "One");
    int64_t m2 = fx_member(f, "m2", "Bob", "Two");
    int64_t mi1 = fx_ministry(f, "mi1", "Minister One");
    int64_t mi2 = fx_ministry(f, "mi2", "Minister Two");
    const char *belarus[] = {"belarus"}, *water[] = {"water"}, *both[] = {"belarus", "water"};

    struct petition a = pet(f, 1, PETITION_OPEN, T + 1, 10);
    a.subject.code = "health";
    fx_petition_keywords(f, &a, 1, belarus);
    a.has_authorizing_member = true;
    a.authorizing_member.key = "m1";
    fx_petition_insert(f, &a);
    struct petition b = pet(f, 2, PETITION_RESPONSE_TABLED, T + 2, 50);
    b.subject.code = "arts";
    fx_petition_keywords(f, &b, 1, water);
    b.has_authorizing_member = true;
    b.authorizing_member.key = "m2";
    respond(&b, "mi1", mi1, "Answered.", T + 2);
    fx_petition_insert(f, &b);
    struct petition c = pet(f, 3, PETITION_REMOVED, T + 3, 7);
    c.subject.code = "health";
    fx_petition_keywords(f, &c, 1, belarus);
    c.has_authorizing_member = true;
    c.authorizing_member.key = "m1";
    fx_petition_insert(f, &c);
    struct petition d = fx_paper_new(f, 1, "m2");
    d.subject.code = "health";
    d.state_changed_at = T + 4;
    fx_petition_insert(f, &d);
    struct petition e = pet(f, 5, PETITION_CLOSED_UPON_DISSOLUTION, T + 5, 5);
    e.parliament = 44;
    e.subject.code = "arts";
    fx_petition_insert(f, &e);
    struct petition g = pet(f, 6, PETITION_OPEN, T + 6, 0);
    g.session = 2;
    fx_petition_keywords(f, &g, 2, both);
    fx_petition_insert(f, &g);
    struct petition h = pet(f, 7, PETITION_RESPONSE_TABLED, T + 7, 100);
    h.parliament = 44;
    respond(&h, "mi2", mi2, "Also answered.", T + 7);
    fx_petition_insert(f, &h);

    struct petition_query q = {.public_only = true, .limit = 100};
    PAGE(f, &q, 7, 6, 5, -1, 2, 1);
    q.public_only = false;
    PAGE(f, &q, 7, 6, 5, -1, 3, 2, 1);

    q = (struct petition_query){
        .public_only = true, .has_state = true, .state = PETITION_OPEN, .limit = 100};
    PAGE(f, &q, 6, 1);
    q.state = PETITION_REMOVED;
    EMPTY(f, &q);
    q.public_only = false;
    PAGE(f, &q, 3);

    q = (struct petition_query){.public_only = true, .subject_code = "health", .limit = 100};
    PAGE(f, &q, -1, 1);
    q.public_only = false;
    PAGE(f, &q, -1, 3, 1);
    q.subject_code = "nothing-here";
    EMPTY(f, &q);

    q = (struct petition_query){.public_only = true, .keyword_slug = "belarus", .limit = 100};
    PAGE(f, &q, 6, 1);
    q.keyword_slug = "water";
    PAGE(f, &q, 6, 2);

    q = (struct petition_query){
        .public_only = true, .has_kind = true, .kind = PETITION_PAPER, .limit = 100};
    PAGE(f, &q, -1);
    q.kind = PETITION_ELECTRONIC;
    PAGE(f, &q, 7, 6, 5, 2, 1);

    q = (struct petition_query){.public_only = true, .member_id = m1, .limit = 100};
    PAGE(f, &q, 1);
    q.member_id = m2; /* authorized by: not the paper petition it presented */
    PAGE(f, &q, 2);

    q = (struct petition_query){.public_only = true, .response_ministry_id = mi1, .limit = 100};
    PAGE(f, &q, 2);
    q.response_ministry_id = mi2;
    PAGE(f, &q, 7);

    q = (struct petition_query){.public_only = true, .parliament = 44, .limit = 100};
    PAGE(f, &q, 7, 5);
    q.parliament = 45;
    PAGE(f, &q, 6, -1, 2, 1);
    q.session = 2;
    PAGE(f, &q, 6);
    q.session = 1;
    PAGE(f, &q, -1, 2, 1);

    q = (struct petition_query){.public_only = true, .responded = true, .limit = 100};
    PAGE(f, &q, 7, 2);

    q = (struct petition_query){.public_only = true,
                                .parliament = 45,
                                .keyword_slug = "belarus",
                                .has_state = true,
                                .state = PETITION_OPEN,
                                .limit = 100};
    PAGE(f, &q, 6, 1);

    /* Pages: offset and limit, with the total of every match. */
    q = (struct petition_query){.public_only = true, .offset = 1, .limit = 2};
    long got[8];
    int64_t total = 0;
    assert_int_equal(page(f, &q, got, &total), 2);
    assert_int_equal(got[0], 6);
    assert_int_equal(got[1], 5);
    assert_int_equal(total, 6);
    q.offset = 5;
    assert_int_equal(page(f, &q, got, &total), 1);
    assert_int_equal(got[0], 1);
    assert_int_equal(total, 6);
    /* The numbers ignore offset and limit. */
    struct petition_number *nums;
    int nn;
    FX_OK(f, store_petition_numbers(f->s, NULL, f->a, &q, &nums, &nn, &f->e));
    assert_int_equal(nn, 6);
    assert_int_equal(nums[3].kind, PETITION_NUMBER_PRESENTED);
    assert_int_equal(nums[3].pps.parliament, 45);
    assert_int_equal(nums[3].pps.session, 1);
    assert_int_equal(nums[3].pps.sequence, 1);

    /* A summary: number, state, title, counts. */
    q = (struct petition_query){.public_only = true, .keyword_slug = "water", .limit = 100};
    struct petition_list l;
    FX_OK(f, store_petition_list(f->s, NULL, f->a, &q, &l, &f->e));
    assert_int_equal(l.count, 2);
    assert_int_equal(l.items[1].e_number, 2);
    assert_int_equal(l.items[1].state, PETITION_RESPONSE_TABLED);
    assert_int_equal(l.items[1].state_changed_at, T + 2);
    assert_string_equal(l.items[1].subject.name[LANG_EN], "Arts");
    assert_int_equal(l.items[1].signature_total, 50);
    assert_int_equal(l.items[1].parliament, 45);
}

static void
orders_break_ties_by_higher_id(void **state)
{
    struct fx *f = *state;
    int64_t T = f->now;
    struct petition p;
    p = pet(f, 1, PETITION_OPEN, T, 5);
    fx_petition_insert(f, &p);
    p = pet(f, 2, PETITION_OPEN, T, 10);
    fx_petition_insert(f, &p);
    p = pet(f, 3, PETITION_OPEN, T + 1, 5);
    fx_petition_insert(f, &p);
    p = pet(f, 4, PETITION_CLOSED_UPON_DISSOLUTION, T - 1, 10);
    fx_petition_insert(f, &p);

    struct petition_query q = {.public_only = true, .sort = SORT_RECENT, .limit = 100};
    PAGE(f, &q, 3, 2, 1, 4);
    q.sort = SORT_OLDEST;
    PAGE(f, &q, 4, 2, 1, 3);
    q.sort = SORT_MOST_SIGNATURES;
    PAGE(f, &q, 4, 2, 3, 1);
    q.sort = SORT_FEWEST_SIGNATURES;
    PAGE(f, &q, 3, 1, 4, 2);
    q.sort = SORT_RELEVANCE; /* without words: as SORT_RECENT */
    PAGE(f, &q, 3, 2, 1, 4);
    q.text = " -- "; /* no word: any */
    PAGE(f, &q, 3, 2, 1, 4);

    /* A page of an order is that order's slice. */
    q = (struct petition_query){.public_only = true, .sort = SORT_OLDEST, .offset = 1, .limit = 2};
    long got[4];
    assert_int_equal(page(f, &q, got, NULL), 2);
    assert_int_equal(got[0], 2);
    assert_int_equal(got[1], 1);
}

/* ---- search ---------------------------------------------------------------------------------- */

static void
search_finds_every_word_the_last_as_a_prefix(void **state)
{
    struct fx *f = *state;
    int64_t T = f->now;
    prayer(f, 101, PETITION_OPEN, T, "We ask for sanctions against the regime of Belarus.",
           "Nous demandons des sanctions contre le régime du Bélarus.");
    prayer(f, 102, PETITION_OPEN, T + 1, "We ask for sanctions on steel imports.",
           "Nous demandons des sanctions sur l'acier.");

    struct petition_query q = {.public_only = true, .limit = 100};
    q.text = "sanctions";
    PAGE(f, &q, 102, 101);
    q.text = "sanctions regime";
    PAGE(f, &q, 101);
    q.text = "regime sanctions unicorn";
    EMPTY(f, &q);
    q.text = "sanctions belar"; /* the last word as a prefix */
    PAGE(f, &q, 101);
    q.text = "belar sanctions"; /* only the last */
    EMPTY(f, &q);
    q.text = "stee";
    PAGE(f, &q, 102);
    /* In either language. */
    q.text = "acier";
    PAGE(f, &q, 102);
    q.text = "demandons regime";
    PAGE(f, &q, 101);
}

static void
search_ignores_case_and_accents(void **state)
{
    struct fx *f = *state;
    int64_t T = f->now;
    prayer(f, 201, PETITION_OPEN, T, "Protect the rivers of Québec.", NULL);
    prayer(f, 202, PETITION_OPEN, T + 1, "Protect the FORESTS of Montreal.",
           "Protégez les forêts de Montréal.");

    struct petition_query q = {.public_only = true, .limit = 100};
    q.text = "quebec";
    PAGE(f, &q, 201);
    q.text = "QUÉBEC";
    PAGE(f, &q, 201);
    q.text = "forests";
    PAGE(f, &q, 202);
    q.text = "montréal forets";
    PAGE(f, &q, 202);
    q.text = "MONTREAL";
    PAGE(f, &q, 202);
}

static void
search_reads_nothing_as_a_query_language(void **state)
{
    struct fx *f = *state;
    prayer(f, 301, PETITION_OPEN, f->now, "Stop the near collapse of bridges.", NULL);
    struct petition_query q = {.public_only = true, .limit = 100};
    const char *typed[] = {"NEAR(bridges", "bridges*",   "\"bridges", "-bridges",
                           "bridges:",     "bridges OR", "^bridges",  "(collapse) bridges"};
    for (size_t i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
        q.text = typed[i];
        long got[4];
        page(f, &q, got, NULL); /* never an error */
    }
    q.text = "bridges*";
    PAGE(f, &q, 301);
    q.text = "(collapse) \"bridges\"";
    PAGE(f, &q, 301);
    q.text = "collapse NOT bridges"; /* NOT is a word, found nowhere */
    EMPTY(f, &q);
}

static void
search_reads_every_public_text(void **state)
{
    struct fx *f = *state;
    int64_t T = f->now;
    fx_subject(f, "beacons", "Beacon wardens");
    fx_keyword(f, "tariffs", "Softwood tariffs");
    fx_member(f, "arya", "Arya", "Starkwood");
    fx_member(f, "ned", "Eddard", "Winterfell");
    int64_t mi = fx_ministry(f, "fin", "Minister of Finance");
    struct petition p;

    p = pet(f, 2829, PETITION_OPEN, T, 0);
    fx_petition_insert(f, &p);
    p = pet(f, 402, PETITION_OPEN, T + 1, 0);
    p.subject.code = "beacons";
    fx_petition_insert(f, &p);
    p = pet(f, 403, PETITION_OPEN, T + 2, 0);
    const char *kw[] = {"tariffs"};
    fx_petition_keywords(f, &p, 1, kw);
    fx_petition_insert(f, &p);
    p = pet(f, 404, PETITION_OPEN, T + 3, 0);
    p.has_authorizing_member = true;
    p.authorizing_member.key = "arya";
    fx_petition_insert(f, &p);
    p = pet(f, 405, PETITION_RESPONSE_TABLED, T + 4, 0);
    respond(&p, "fin", mi, "The Government reviews the quinoa levy.", T + 4);
    p.response.signed_by = "The Honourable Bartholomew Quill";
    fx_petition_insert(f, &p);
    p = fx_paper_new(f, 158, "ned");
    p.state_changed_at = T + 5;
    p.grievances[0].text[LANG_FR] = "Attendu que les zéphyrs soufflent;";
    fx_petition_insert(f, &p);

    struct petition_query q = {.public_only = true, .limit = 100};
    q.text = "2829"; /* its number */
    PAGE(f, &q, 2829);
    q.text = "e-2829";
    PAGE(f, &q, 2829);
    q.text = "451-00158"; /* a presented number */
    PAGE(f, &q, -158);
    q.text = "wardens"; /* the title */
    PAGE(f, &q, 402);
    q.text = "softwood"; /* a keyword, in English */
    PAGE(f, &q, 403);
    q.text = "Starkwood"; /* the authorizing Member's name */
    PAGE(f, &q, 404);
    q.text = "riding starkwood"; /* and riding */
    PAGE(f, &q, 404);
    q.text = "Eddard"; /* the presenting Member */
    PAGE(f, &q, -158);
    q.text = "quinoa"; /* the response */
    PAGE(f, &q, 405);
    q.text = "Bartholomew"; /* its signer */
    PAGE(f, &q, 405);
    q.text = "zephyrs"; /* a French whereas clause, accents ignored */
    PAGE(f, &q, -158);
    q.text = "wardens quinoa"; /* every word, but in different petitions */
    EMPTY(f, &q);
}

static void
search_finds_only_public_petitions(void **state)
{
    struct fx *f = *state;
    int64_t T = f->now;
    prayer(f, 501, PETITION_OPEN, T, "Save the xylophone museum.", NULL);
    prayer(f, 502, PETITION_REMOVED, T + 1, "Save the xylophone museum again.", NULL);
    prayer(f, 503, PETITION_UNDER_REVIEW, T + 2, "A xylophone museum for all.", NULL);

    struct petition_query q = {.public_only = true, .text = "xylophone", .limit = 100};
    PAGE(f, &q, 501);
    q.public_only = false; /* whatever public_only says */
    PAGE(f, &q, 501);
    q.has_state = true;
    q.state = PETITION_REMOVED;
    EMPTY(f, &q);
    q.text = NULL;
    PAGE(f, &q, 502);
}

static void
withdrawn_petition_is_listed_nowhere(void **state)
{
    struct fx *f = *state;
    int64_t T = f->now;
    fx_keyword(f, "museums", "Museums");
    const char *kw[] = {"museums"};
    struct petition p = pet(f, 504, PETITION_WITHDRAWN, T + 10, 0);
    p.prayer[LANG_EN] = "A xylophone museum, withdrawn.";
    p.opened_at = T;
    fx_petition_keywords(f, &p, 1, kw);
    fx_petition_insert(f, &p);
    p = pet(f, 505, PETITION_OPEN, T, 0);
    p.prayer[LANG_EN] = "A xylophone museum, open.";
    p.opened_at = T - 10;
    fx_petition_keywords(f, &p, 1, kw);
    fx_petition_insert(f, &p);

    /* Its page shows (the register reads it by number). */
    assert_int_equal(fx_get(f, 504).state, PETITION_WITHDRAWN);

    /* The public lists leave it out. */
    struct petition_query q = {.public_only = true, .limit = 100};
    PAGE(f, &q, 505);
    q.keyword_slug = "museums";
    PAGE(f, &q, 505);
    q = (struct petition_query){
        .public_only = true, .has_state = true, .state = PETITION_WITHDRAWN, .limit = 100};
    EMPTY(f, &q);
    /* A search, whatever public_only says. */
    q = (struct petition_query){.public_only = true, .text = "xylophone", .limit = 100};
    PAGE(f, &q, 505);
    q.public_only = false;
    PAGE(f, &q, 505);
    /* The feeds. */
    struct petition_list l;
    struct feed_query fq = {.kind = FEED_OPENED, .limit = 100};
    feed_entries(f, &fq, 1, (const long[]){505}, &l);
    fq = (struct feed_query){.kind = FEED_KEYWORD, .keyword_slug = "museums", .limit = 100};
    feed_entries(f, &fq, 1, (const long[]){505}, &l);

    /* Staff lists (public_only false, no words) show it. */
    q = (struct petition_query){.limit = 100};
    PAGE(f, &q, 504, 505);
}

static void
withdrawn_petition_is_counted_in_its_state(void **state)
{
    struct fx *f = *state;
    struct petition p = pet(f, 504, PETITION_WITHDRAWN, f->now, 0);
    fx_petition_insert(f, &p);
    p = pet(f, 505, PETITION_OPEN, f->now, 0);
    fx_petition_insert(f, &p);
    int64_t counts[PETITION_STATE_COUNT];
    FX_OK(f, store_petition_state_counts(f->s, NULL, counts, &f->e));
    assert_int_equal(counts[PETITION_OPEN], 1);
    assert_int_equal(counts[PETITION_WITHDRAWN], 1);
}

static void
relevance_weighs_where_a_word_is_found(void **state)
{
    struct fx *f = *state;
    int64_t T = f->now;
    fx_subject(f, "beacons", "Beacons");
    fx_keyword(f, "tariffs", "Tariffs");
    int64_t mi = fx_ministry(f, "fin", "Minister of Finance");
    struct petition p;

    /* A title outranks the same word found only in a response, although the
     * response's petition changed later (SORT_RECENT would put it first). */
    p = pet(f, 601, PETITION_OPEN, T, 0);
    p.subject.code = "beacons";
    fx_petition_insert(f, &p);
    p = pet(f, 602, PETITION_RESPONSE_TABLED, T + 10, 0);
    respond(&p, "fin", mi, "The Government will review funding for beacons.", T + 10);
    fx_petition_insert(f, &p);
    struct petition_query q = {
        .public_only = true, .text = "beacons", .sort = SORT_RELEVANCE, .limit = 100};
    PAGE(f, &q, 601, 602);
    q.sort = SORT_RECENT;
    PAGE(f, &q, 602, 601);

    /* Keywords outrank the whereas clauses and prayer. */
    p = pet(f, 605, PETITION_OPEN, T, 0);
    const char *kw[] = {"tariffs"};
    fx_petition_keywords(f, &p, 1, kw);
    fx_petition_insert(f, &p);
    prayer(f, 606, PETITION_OPEN, T + 10, "We call for lower tariffs.", NULL);
    q = (struct petition_query){
        .public_only = true, .text = "tariffs", .sort = SORT_RELEVANCE, .limit = 100};
    PAGE(f, &q, 605, 606);

    /* Equal relevance: as SORT_RECENT (ties by higher id). */
    prayer(f, 607, PETITION_OPEN, T, "Identical words for quokkas.", NULL);
    prayer(f, 608, PETITION_OPEN, T + 5, "Identical words for quokkas.", NULL);
    prayer(f, 609, PETITION_OPEN, T, "Identical words for quokkas.", NULL);
    q = (struct petition_query){
        .public_only = true, .text = "quokkas", .sort = SORT_RELEVANCE, .limit = 100};
    PAGE(f, &q, 608, 609, 607);
}

static void
relevance_puts_numbers_and_titles_first(void **state)
{
    struct fx *f = *state;
    int64_t T = f->now;
    int64_t mi = fx_ministry(f, "fin", "Minister of Finance");
    struct petition p;
    struct petition_query q = {.public_only = true, .sort = SORT_RELEVANCE, .limit = 100};

    /* A number outranks the same word found only in a prayer or a
     * response, although those changed later. */
    p = pet(f, 4321, PETITION_OPEN, T, 0);
    fx_petition_insert(f, &p);
    prayer(f, 611, PETITION_OPEN, T + 10, "Repave highway 4321 before winter.", NULL);
    p = pet(f, 612, PETITION_RESPONSE_TABLED, T + 20, 0);
    respond(&p, "fin", mi, "Highway 4321 will be repaved.", T + 20);
    fx_petition_insert(f, &p);
    q.text = "4321";
    PAGE(f, &q, 4321, 611, 612); /* and a prayer outranks a response */

    /* A title outranks the same word found only in a prayer; in French as
     * in English. */
    struct subject sub = {.code = "lanterns", .name = {"Lanterns", "Lanternes"}};
    FX_WRITE(f, store_subject_put(t, &sub, &f->e));
    p = pet(f, 621, PETITION_OPEN, T, 0);
    p.subject.code = "lanterns";
    fx_petition_insert(f, &p);
    prayer(f, 622, PETITION_OPEN, T + 10, "Keep the lanterns lit.",
           "Gardez les lanternes allumées.");
    q.text = "lanterns";
    PAGE(f, &q, 621, 622);
    q.text = "lanternes";
    PAGE(f, &q, 621, 622);
    q.sort = SORT_RECENT;
    PAGE(f, &q, 622, 621);
    q.sort = SORT_RELEVANCE;

    /* Every place a word is found adds: the same title, and the word in the
     * prayer too, outranks the title alone. */
    struct subject ferries = {.code = "ferries", .name = {"Ferries", "Traversiers"}};
    FX_WRITE(f, store_subject_put(t, &ferries, &f->e));
    p = pet(f, 631, PETITION_OPEN, T, 0);
    p.subject.code = "ferries";
    p.prayer[LANG_EN] = "Keep the ferries running all year.";
    fx_petition_insert(f, &p);
    p = pet(f, 632, PETITION_OPEN, T + 10, 0);
    p.subject.code = "ferries";
    p.prayer[LANG_EN] = "Keep the boats running all year.";
    fx_petition_insert(f, &p);
    q.text = "ferries";
    PAGE(f, &q, 631, 632);
}

static void
relevance_puts_keywords_before_members_before_the_text(void **state)
{
    struct fx *f = *state;
    int64_t T = f->now;
    fx_keyword(f, "quarries", "Quarry");
    fx_member(f, "qs", "Quarry", "Smith");
    struct petition p;

    /* The same word as a keyword, in a Member's name and in a prayer, the
     * prayer's petition changed last (SORT_RECENT would put it first). */
    p = pet(f, 641, PETITION_OPEN, T, 0);
    const char *kw[] = {"quarries"};
    fx_petition_keywords(f, &p, 1, kw);
    fx_petition_insert(f, &p);
    p = pet(f, 642, PETITION_OPEN, T + 10, 0);
    p.has_authorizing_member = true;
    p.authorizing_member.key = "qs";
    fx_petition_insert(f, &p);
    prayer(f, 643, PETITION_OPEN, T + 20, "Close the quarry by the river.", NULL);

    struct petition_query q = {
        .public_only = true, .text = "quarry", .sort = SORT_RELEVANCE, .limit = 100};
    PAGE(f, &q, 641, 642, 643);
    q.sort = SORT_RECENT;
    PAGE(f, &q, 643, 642, 641);
}

static void
search_follows_the_register(void **state)
{
    struct fx *f = *state;
    int64_t T = f->now;
    fx_subject(f, "beacons", "Beacon wardens");
    fx_keyword(f, "tariffs", "Softwood tariffs");
    fx_member(f, "arya", "Arya", "Starkwood");
    int64_t mi = fx_ministry(f, "fin", "Minister of Finance");
    struct petition p;

    p = pet(f, 701, PETITION_OPEN, T, 0);
    p.subject.code = "beacons";
    fx_petition_insert(f, &p);
    p = pet(f, 702, PETITION_OPEN, T + 1, 0);
    const char *kw[] = {"tariffs"};
    fx_petition_keywords(f, &p, 1, kw);
    fx_petition_insert(f, &p);
    p = pet(f, 703, PETITION_OPEN, T + 2, 0);
    p.has_authorizing_member = true;
    p.authorizing_member.key = "arya";
    fx_petition_insert(f, &p);
    p = pet(f, 704, PETITION_PRESENTED, T + 3, 0);
    fx_petition_insert(f, &p);
    int64_t presented = fx_get(f, 704).id;

    struct petition_query q = {.public_only = true, .limit = 100};
    q.text = "wardens";
    PAGE(f, &q, 701);
    q.text = "softwood";
    PAGE(f, &q, 702);
    q.text = "starkwood";
    PAGE(f, &q, 703);
    q.text = "quinoa";
    EMPTY(f, &q);

    /* A subject, a keyword and a Member renamed (the loaders' upserts):
     * the new names are found, the old ones no more. */
    struct subject sub = {.code = "beacons", .name = {"Zeppelin pilots", "Pilotes de dirigeable"}};
    FX_WRITE(f, store_subject_put(t, &sub, &f->e));
    struct keyword k = {.slug = "tariffs", .name = {"Lumber duties", "Droits sur le bois"}};
    FX_WRITE(f, store_keyword_put(t, &k, &f->e));
    fx_member(f, "arya", "Arya", "Stormwood");
    q.text = "wardens";
    EMPTY(f, &q);
    q.text = "zeppelin";
    PAGE(f, &q, 701);
    q.text = "dirigeable";
    PAGE(f, &q, 701);
    q.text = "softwood";
    EMPTY(f, &q);
    q.text = "lumber";
    PAGE(f, &q, 702);
    q.text = "starkwood";
    EMPTY(f, &q);
    q.text = "stormwood";
    PAGE(f, &q, 703);

    /* A response tabled: its text and its signer are found. */
    struct response r = {
        .ministry = {.id = mi, .code = "fin"},
        .signed_by = "The Honourable Bartholomew Quill",
        .text = {"The Government reviews the quinoa levy.", "Le gouvernement examine la taxe."},
        .tabled_at = T + 4,
    };
    FX_AUDITED(f, store_response_table(t, presented, &r, &f->e));
    q.text = "quinoa";
    PAGE(f, &q, 704);
    q.text = "bartholomew";
    PAGE(f, &q, 704);

    /* A petition removed: found no more, whatever it holds. */
    FX_AUDITED(f, store_petition_set_state(t, presented, PETITION_REMOVED, T + 5, &f->e));
    q.text = "quinoa";
    EMPTY(f, &q);
}

/* ---- counts by state and feeds -------------------------------------------------------- */

static void
public_petitions_counted_by_state(void **state)
{
    struct fx *f = *state;
    struct petition p;
    p = pet(f, 1, PETITION_OPEN, f->now, 0);
    fx_petition_insert(f, &p);
    p = pet(f, 2, PETITION_OPEN, f->now, 0);
    fx_petition_insert(f, &p);
    p = pet(f, 3, PETITION_NOT_CERTIFIED, f->now, 0);
    fx_petition_insert(f, &p);
    p = pet(f, 4, PETITION_REMOVED, f->now, 0);
    fx_petition_insert(f, &p);
    p = pet(f, 5, PETITION_UNDER_REVIEW, f->now, 0);
    fx_petition_insert(f, &p);
    fx_member(f, "mp", "Mary", "Member");
    p = fx_paper_new(f, 1, "mp");
    fx_petition_insert(f, &p);

    int64_t counts[PETITION_STATE_COUNT];
    FX_OK(f, store_petition_state_counts(f->s, NULL, counts, &f->e));
    assert_int_equal(counts[PETITION_OPEN], 2);
    assert_int_equal(counts[PETITION_NOT_CERTIFIED], 1);
    assert_int_equal(counts[PETITION_PRESENTED], 1);
    assert_int_equal(counts[PETITION_REMOVED], 0);
    assert_int_equal(counts[PETITION_UNDER_REVIEW], 0);
    assert_int_equal(counts[PETITION_RESPONSE_TABLED], 0);
}

static void
feeds_newest_first(void **state)
{
    struct fx *f = *state;
    int64_t T = f->now;
    fx_keyword(f, "belarus", "Belarus");
    fx_keyword(f, "empty", "Empty");
    fx_member(f, "mp", "Mary", "Member");
    int64_t mi = fx_ministry(f, "fin", "Minister of Finance");
    const char *kw[] = {"belarus"};
    struct petition p;

    p = pet(f, 1, PETITION_OPEN, T, 0);
    p.opened_at = T - 10;
    fx_petition_keywords(f, &p, 1, kw);
    fx_petition_insert(f, &p);
    p = pet(f, 2, PETITION_RESPONSE_TABLED, T + 50, 0);
    p.opened_at = T - 5;
    respond(&p, "fin", mi, "Response two.", T + 50);
    fx_petition_keywords(f, &p, 1, kw);
    fx_petition_insert(f, &p);
    p = pet(f, 3, PETITION_REMOVED, T + 60, 0);
    p.opened_at = T;
    fx_petition_keywords(f, &p, 1, kw);
    fx_petition_insert(f, &p);
    p = pet(f, 4, PETITION_OPEN, T + 1, 0);
    p.opened_at = T - 5; /* tie with e-2: the higher id first */
    fx_petition_insert(f, &p);
    p = fx_paper_new(f, 9, "mp");
    p.state = PETITION_RESPONSE_TABLED;
    p.state_changed_at = T + 40;
    respond(&p, "fin", mi, "Paper response.", T + 40);
    fx_petition_keywords(f, &p, 1, kw);
    fx_petition_insert(f, &p);
    p = pet(f, 6, PETITION_RESPONSE_TABLED, T + 40, 0);
    p.opened_at = T - 20;
    respond(&p, "fin", mi, "Response six.", T + 40); /* tie with the paper one */
    fx_petition_insert(f, &p);

    struct petition_list l;
    struct feed_query q = {.kind = FEED_OPENED, .limit = 100};
    feed_entries(f, &q, 4, (const long[]){4, 2, 1, 6}, &l);
    assert_int_equal(l.items[1].keyword_count, 1);
    assert_string_equal(l.items[1].keywords[0].slug, "belarus");
    assert_string_equal(l.items[1].keywords[0].name[LANG_EN], "Belarus");
    assert_int_equal(l.items[0].keyword_count, 0);
    q.limit = 2;
    feed_entries(f, &q, 2, (const long[]){4, 2}, &l);

    q = (struct feed_query){.kind = FEED_RESPONSES, .limit = 100};
    feed_entries(f, &q, 3, (const long[]){2, 6, -9}, &l);
    for (int i = 0; i < 3; i++) {
        assert_true(l.items[i].has_response);
        assert_int_equal(l.items[i].response.ministry.id, mi);
    }
    assert_string_equal(l.items[0].response.text[LANG_EN], "Response two.");
    assert_int_equal(l.items[0].response.tabled_at, T + 50);
    assert_string_equal(l.items[0].response.signed_by, "The Honourable Jane Doe");

    q = (struct feed_query){.kind = FEED_KEYWORD, .keyword_slug = "belarus", .limit = 100};
    feed_entries(f, &q, 3, (const long[]){2, -9, 1}, &l);
    q.keyword_slug = "empty";
    feed_entries(f, &q, 0, NULL, &l);
    q.keyword_slug = "no-such-keyword";
    feed_entries(f, &q, 0, NULL, &l);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(every_filter_of_a_query),
        FX_TEST(orders_break_ties_by_higher_id),
        FX_TEST(search_finds_every_word_the_last_as_a_prefix),
        FX_TEST(search_ignores_case_and_accents),
        FX_TEST(search_reads_nothing_as_a_query_language),
        FX_TEST(search_reads_every_public_text),
        FX_TEST(search_finds_only_public_petitions),
        FX_TEST(withdrawn_petition_is_listed_nowhere),
        FX_TEST(withdrawn_petition_is_counted_in_its_state),
        FX_TEST(relevance_weighs_where_a_word_is_found),
        FX_TEST(relevance_puts_numbers_and_titles_first),
        FX_TEST(relevance_puts_keywords_before_members_before_the_text),
        FX_TEST(search_follows_the_register),
        FX_TEST(public_petitions_counted_by_state),
        FX_TEST(feeds_newest_first),
    };
    return cmocka_run_group_tests_name(fx_backend(), tests, NULL, NULL);
}
