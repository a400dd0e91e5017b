/*
 * petition_log.h: the entries of an e-petition's public log (issue 18),
 * what they attest, and the commitment that ties a signer's receipt to
 * an entry without saying who signed.
 *
 * An entry is ASCII text without a newline, one of:
 *   "sig <YYYY-MM-DD> <region> <commitment>"  a signature that now counts,
 *       on that Eastern day, from that province or territory ("XX":
 *       abroad); commitment = SHA-256 of a 32-byte nonce only the signer
 *       gets, lowercase hex;
 *   "void <index> <reason>"  the signature logged at index no longer
 *       counts (reason: PETITION_LOG_VOID_CLERK, the Clerk invalidated it);
 *   "import <region> <n>"  n signatures (n may be negative: a correction)
 *       counted without entries of their own: those counted before the
 *       log existed, demo data, paper totals, a copied site.
 * The count a log attests is Σ import n + the number of sig − the number
 * of void; in every transaction that moves a petition's count, its log
 * gains the entries that move the attested count alike.
 *
 * Pure: no I/O; SHA-256 from libsodium.
 */
#ifndef PETITIOND_PETITION_LOG_H
#define PETITIOND_PETITION_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/province.h"

struct strbuf;

enum {
    PETITION_LOG_NONCE_BYTES = 32,
    PETITION_LOG_COMMITMENT_HEX = 64,
    PETITION_LOG_ENTRY_MAX = 128, /* the longest entry, with its NUL */
};

#define PETITION_LOG_VOID_CLERK "clerk"

enum petition_log_kind {
    PETITION_LOG_SIG,
    PETITION_LOG_VOID,
    PETITION_LOG_IMPORT,
};

/* An entry, parsed. */
struct petition_log_entry {
    enum petition_log_kind kind;
    int year, month, day;                             /* sig */
    enum region region;                               /* sig, import */
    char commitment[PETITION_LOG_COMMITMENT_HEX + 1]; /* sig */
    int64_t index;                                    /* void */
    char reason[16];                                  /* void */
    int64_t n;                                        /* import */
};

/* The commitment to a nonce: SHA-256, lowercase hex. */
void petition_log_commitment(const uint8_t nonce[PETITION_LOG_NONCE_BYTES],
                             char out[PETITION_LOG_COMMITMENT_HEX + 1]);

/* Append the "sig" entry of a signature counted at utc (its Eastern day)
 * from region, committing to nonce. */
void petition_log_sig(struct strbuf *out, int64_t utc, enum region region,
                      const uint8_t nonce[PETITION_LOG_NONCE_BYTES]);

/* Append "void <index> <reason>". */
void petition_log_void(struct strbuf *out, int64_t index, const char *reason);

/* Append "import <region> <n>". */
void petition_log_import(struct strbuf *out, enum region region, int64_t n);

/* Parse an entry of len bytes, strictly (the forms above, a region code
 * as region_code() writes it, decimals without leading zeros, a real
 * calendar day, a reason of 1..15 lowercase letters).  Returns 0 or -1. */
int petition_log_parse(const char *entry, size_t len, struct petition_log_entry *out);

/* What an entry moves the attested count by: +1, -1, or n. */
int64_t petition_log_weight(const struct petition_log_entry *e);

#endif
