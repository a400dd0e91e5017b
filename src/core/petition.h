/*
 * petition.h: the records of the public petition register, as plain data.
 *
 * These are what the store reads and writes and what pages and the API
 * show.  Every published text has an English and a French version,
 * indexed by enum lang.  Strings are owned by whoever allocated the
 * record (an arena, for everything the store hands out).  Times are UTC
 * seconds; 0 means "not yet" (no petitiond record predates 1970).
 */
#ifndef PETITIOND_PETITION_H
#define PETITIOND_PETITION_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/lang.h"
#include "core/numbering.h"
#include "core/petition_state.h"
#include "core/province.h"

enum petition_kind {
    PETITION_ELECTRONIC,
    PETITION_PAPER,
};

/* To whom a petition is addressed (rulebook 3). */
enum addressee_type {
    ADDRESSEE_HOUSE,           /* the House of Commons */
    ADDRESSEE_HOUSE_ASSEMBLED, /* the House of Commons in Parliament assembled */
    ADDRESSEE_GOVERNMENT,      /* the Government of Canada */
    ADDRESSEE_MINISTER,        /* a Minister of the Crown */
    ADDRESSEE_MEMBER,          /* a Member of the House of Commons */
    ADDRESSEE_COUNT,
};

/* "house", "house-assembled", "government", "minister", "member". */
const char *addressee_type_name(enum addressee_type t);
int addressee_type_from_name(const char *s, size_t len, enum addressee_type *out);

/* "electronic" or "paper". */
const char *petition_kind_name(enum petition_kind k);
int petition_kind_from_name(const char *s, size_t len, enum petition_kind *out);

struct parliament {
    int64_t id;
    int number; /* 43 */
    int64_t opened_at;
    int64_t dissolved_at; /* 0 while sitting */
    int petitions;        /* public petitions of it, where counted */
};

struct session {
    int64_t id;
    int64_t parliament_id;
    int parliament; /* its Parliament's number */
    int number;     /* 2 */
    int64_t opened_at;
    int64_t ended_at; /* prorogation or dissolution; 0 while current */
    bool dissolved;   /* ended by the dissolution of its Parliament */
    int petitions;    /* public petitions of it, where counted */
};

struct member {
    int64_t id;
    const char *key; /* stable handle for imports, e.g. "arya" */
    const char *first_name;
    const char *last_name;
    const char *honorific; /* "Hon." or "" */
    const char *constituency[LANG_COUNT];
    enum region province;
    const char *caucus[LANG_COUNT];
    bool is_speaker;
    bool active;   /* sits now; read by the directory only (else true) */
    int petitions; /* public petitions it authorized, where counted */
};

struct ministry {
    int64_t id;
    const char *code;              /* "foreign-affairs" */
    const char *title[LANG_COUNT]; /* "Minister of Foreign Affairs" */
};

struct minister {
    int64_t id;
    int64_t ministry_id;
    const char *name;
    int64_t from_at;
    int64_t to_at; /* 0 while in office */
};

struct subject {
    int64_t id;
    const char *code; /* "foreign-affairs" */
    const char *name[LANG_COUNT];
    int petitions; /* public petitions filed under it, where counted */
};

struct keyword {
    int64_t id;
    const char *slug; /* "belarus" */
    const char *name[LANG_COUNT];
    int petitions; /* public petitions filed under it, where counted */
};

/* A state a petition entered, and when (its public timeline). */
struct petition_event {
    int64_t at;
    enum petition_state state;
};

struct grievance {
    const char *text[LANG_COUNT];
};

struct response {
    struct ministry ministry;
    const char *signed_by;        /* "The Honourable François-Philippe Champagne" */
    const char *signed_by_fr;     /* "L'honorable François-Philippe Champagne"; the store
                                   * reads signed_by for a response without one; NULL or
                                   * "" written = none */
    const char *text[LANG_COUNT]; /* paragraphs separated by blank lines */
    int64_t tabled_at;
};

struct petition {
    int64_t id;
    enum petition_kind kind;
    long e_number; /* e-NNNN; 0 for paper petitions */
    enum petition_state state;
    int64_t state_changed_at;
    int parliament;         /* number of the Parliament */
    int session;            /* number of the session */
    struct subject subject; /* id 0 when none assigned */
    struct keyword *keywords;
    int keyword_count;
    enum lang original_language;
    enum addressee_type addressee;
    struct ministry addressee_ministry; /* when ADDRESSEE_MINISTER */
    struct member addressee_member;     /* when ADDRESSEE_MEMBER */
    const char *petitioner_name;        /* published "Initiated by" (e-petitions) */
    const char *petitioner_city;
    enum region petitioner_province;
    bool has_authorizing_member;
    struct member authorizing_member;
    struct grievance *grievances;
    int grievance_count;
    const char *prayer[LANG_COUNT]; /* lines separated by \n */
    int signature_period_days;
    int64_t created_at;
    int64_t opened_at;
    int64_t closes_at;
    int64_t certified_at;
    int64_t presented_at;
    bool has_presented_number;
    struct presented_number presented_number;
    bool has_presenting_member;
    struct member presenting_member;
    const char *committee[LANG_COUNT]; /* designated for a late response, or NULL */
    int64_t response_ministry_id;      /* chosen at presentation; 0 = none yet */
    bool has_response;
    struct response response;
    int64_t signature_total;             /* validated signatures (paper: as certified) */
    int64_t region_counts[REGION_COUNT]; /* validated signatures by region */
    bool is_demo;
    /* The rules it was published under (rulebook 11.10), written when
     * rules_fixed; read back as grace_hours -1 and certify_threshold 0 on
     * older records (petition_grace_hours() then takes the file's). */
    bool rules_fixed;
    int certify_threshold;
    int grace_hours;
    int64_t erased_at;             /* personal data of its people erased; 0 = not */
    struct petition_event *events; /* its states, oldest first (petition_get only) */
    int event_count;
};

struct strbuf;

/* The number a petition is known by: its e-number, or a paper petition's
 * presented number. */
void petition_number_of(const struct petition *p, struct petition_number *out);

/* Append the number a petition is known by: "e-2829" for an e-petition,
 * its presented number ("441-01211") for a paper petition. */
void petition_number_format(struct strbuf *out, const struct petition *p);

#endif
