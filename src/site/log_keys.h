/*
 * log_keys.h: the keys of the public logs' checkpoints (issue 18, item
 * 7), kept in a file outside the database (--log-key PATH) so that a
 * copy of the database cannot sign.
 *
 * The file is text, one key a line: the first is the key that signs, as
 * Go's sumdb/note writes a signer key ("PRIVATE+KEY+<name>+<id>+<key>");
 * each line after it is the verifier line of a key that signed before
 * (lib/note.h).  /log/key lists every verifier line, the signing key's
 * first, so a checkpoint signed before a rotation stays verifiable.
 * Made at first start (mode 0600, never overwritten) with the site's host
 * as the key's name; log_keys_rotate() makes a new signing key and keeps
 * the old one's verifier line.
 */
#ifndef PETITIOND_LOG_KEYS_H
#define PETITIOND_LOG_KEYS_H

#include <stdbool.h>

#include "lib/note.h"
#include "workflow/log_checkpoint.h"

struct err;
struct strbuf;

enum { LOG_KEYS_MAX = 16 };

struct log_keys {
    int n;                              /* 0: no key, the logs are not signed */
    struct note_key keys[LOG_KEYS_MAX]; /* [0] signs */
};

/* Read path, or make it with a new key named name when there is none.
 * *made says whether it was made.  ERR_IO or ERR_INVALID naming the file
 * and line at fault. */
int log_keys_load(struct log_keys *k, const char *path, const char *name, bool *made,
                  struct err *e);

/* Replace path's signing key by a new one named name, keeping every
 * verifier line (the old signing key's first); written to a temporary
 * file and renamed. */
int log_keys_rotate(const char *path, const char *name, struct err *e);

/* Append every verifier line, each ending in '\n'. */
void log_keys_verifiers(struct strbuf *out, const struct log_keys *k);

/*
 * The signer's memory of the last checkpoint it signed of each log
 * (workflow/log_checkpoint.h, struct log_memory), in the file PATH.signed
 * beside the key file: one line per log, "<origin> <size> <base64 root>",
 * rewritten (a temporary file, fsync, rename) each time it changes.
 */
struct log_signed_file;

/* Read key_path + ".signed" (none is an empty memory). */
int log_signed_open(const char *key_path, struct log_signed_file **out, struct err *e);
void log_signed_close(struct log_signed_file *m);
/* The memory's interface for log_checkpoint_run(). */
void log_signed_memory(struct log_signed_file *m, struct log_memory *out);

#endif
