/*
 * log.h: each e-petition's public log over HTTP (issue 18), in the C2SP
 * tlog-tiles layout, and the signers' receipts.
 *
 *   GET /log/key                          the verifier keys, one a line,
 *                                         the signing key's first
 *   GET /log/{N}/checkpoint               the latest signed checkpoint of
 *                                         e-petition N's log (max-age 1)
 *   GET /log/{N}/tile/{L}/{path}[.p/{W}]  a hash tile (32-byte hashes)
 *   GET /log/{N}/tile/entries/{path}[.p/{W}]  an entry bundle
 *   GET /receipts/{id}/{token}.tlog-proof a signer's receipt (C2SP
 *                                         tlog-proof), private
 *
 * Tiles and bundles exist up to the latest checkpoint's size and never
 * change: cacheable for a year.  Nothing here names a signer: an entry
 * holds a day, a region and a commitment; a receipt is reached only
 * through the link the signer was given.
 */
#ifndef PETITIOND_API_LOG_H
#define PETITIOND_API_LOG_H

#include <stdint.h>

struct arena;
struct err;
struct request;
struct site;
struct strbuf;

int log_key_page(struct request *req, struct err *e);
int log_checkpoint_page(struct request *req, struct err *e);
int log_tile_page(struct request *req, struct err *e);
int log_receipt_page(struct request *req, struct err *e);

#endif
