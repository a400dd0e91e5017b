/*
 * numbering.h: petition numbers (rulebook 6).
 *
 * An e-petition is "e-" and a positive integer without leading zeros
 * ("e-2829"), one sequence across Parliaments.  A presented petition
 * (paper or electronic) gets "PPS-NNNNN": two digits of Parliament, one
 * of session, a dash and five digits of sequence ("432-00158": 43rd
 * Parliament, 2nd session, 158th petition presented), restarting at
 * 00001 each session.
 */
#ifndef PETITIOND_NUMBERING_H
#define PETITIOND_NUMBERING_H

#include <stddef.h>

struct err;
struct strbuf;

struct presented_number {
    int parliament; /* 1..99 */
    int session;    /* 1..9 */
    int sequence;   /* 1..99999 */
};

enum petition_number_kind {
    PETITION_NUMBER_E,         /* e-NNNN */
    PETITION_NUMBER_PRESENTED, /* PPS-NNNNN */
};

struct petition_number {
    enum petition_number_kind kind;
    long e_number;               /* when kind is PETITION_NUMBER_E */
    struct presented_number pps; /* when kind is PETITION_NUMBER_PRESENTED */
};

/* Parse "e-2829" (also "E-2829") into *out (1..9999999): exactly the len
 * bytes at s, no spaces, no sign, no leading zero.  Returns 0 or
 * ERR_INVALID (key "error.petition_number", field "number") with *out
 * untouched. */
int e_number_parse(const char *s, size_t len, long *out, struct err *e);

/* Append "e-2829" (always a lower-case e). */
void e_number_format(struct strbuf *out, long n);

/* Parse "432-00158": exactly nine bytes, Parliament 01..99, session 1..9,
 * sequence 00001..99999.  Returns 0 or ERR_INVALID (key
 * "error.petition_number", field "number") with *out untouched. */
int presented_number_parse(const char *s, size_t len, struct presented_number *out, struct err *e);

/* Append "432-00158" (zero-padded); n must be within the ranges above. */
void presented_number_format(struct strbuf *out, const struct presented_number *n);

/* Parse either form: text starting with 'e' or 'E' as an e-number, any
 * other as a presented number.  Returns 0 or ERR_INVALID (key
 * "error.petition_number"). */
int petition_number_parse(const char *s, size_t len, struct petition_number *out, struct err *e);

#endif
