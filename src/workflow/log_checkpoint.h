/*
 * log_checkpoint.h: signing the checkpoints of the e-petitions' public
 * logs (issue 18; C2SP tlog-checkpoint, a signed note: lib/note.h).
 *
 * A checkpoint is the note
 *     <origin>\n<size>\n<base64 root hash>\n
 * signed by the site's log key, whose origin is "<host[:port]>/log/<N>"
 * for e-petition N (the host of --base-url).  log_checkpoint_run() signs
 * one for every log that has grown since its last, each in a write
 * transaction of its own (so no entry is appended while it is made), and
 * stores it before anything can serve it.  Before signing, it recomputes
 * the root of the last checkpoint's size from today's tree: a log whose
 * past differs from what was signed (a restored backup, an edit) is not
 * signed again (ERR_INTERNAL, logged), so the site never signs two
 * checkpoints that are not consistent.  A database restored from a
 * backup has forgotten the checkpoints signed after it was taken, so the
 * signer also keeps, outside the database, the last checkpoint it signed
 * of each log (struct log_memory: the key file's companion, site/
 * log_keys.h), written durably before the checkpoint is stored, and
 * checked the same way.
 */
#ifndef PETITIOND_LOG_CHECKPOINT_H
#define PETITIOND_LOG_CHECKPOINT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/tlog.h"

struct arena;
struct err;
struct flow;
struct note_key;
struct strbuf;

/* The origin line of e-petition e_number's log for a site at base_url
 * ("https://petitions.example.ca" gives "petitions.example.ca/log/2829"). */
void log_origin(struct strbuf *out, const char *base_url, long e_number);

/* The key name of a site at base_url: its host, without a port. */
void log_key_name(struct strbuf *out, const char *base_url);

/* What the signer remembers outside the database: the last checkpoint
 * it signed of each log, by origin. */
struct log_memory {
    /* The last (size, root) signed for origin; false when none. */
    bool (*recall)(void *ctx, const char *origin, int64_t *size, struct tlog_hash *root);
    /* Keep (size, root) as origin's last, durably, before returning 0. */
    int (*remember)(void *ctx, const char *origin, int64_t size, const struct tlog_hash *root,
                    struct err *e);
    void *ctx;
};

/*
 * Make the logs that opened petitions lack, then sign a checkpoint of
 * every log past its last, with key (has_secret), at now.  *signed_count
 * says how many were signed.  Returns 0, or the first error (the others
 * are still tried).
 */
int log_checkpoint_run(const struct flow *f, const struct note_key *key,
                       const struct log_memory *memory, int64_t now, int *signed_count,
                       struct err *e);

#endif
