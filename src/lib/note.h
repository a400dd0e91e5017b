/*
 * note.h: signed notes (C2SP signed-note) with Ed25519 keys (libsodium),
 * the form of a transparency log's checkpoints (C2SP tlog-checkpoint).
 *
 * A note is UTF-8 text ending in a newline, a blank line, then one
 * signature line per key: "— <name> <base64(key id ‖ signature)>\n"
 * (the dash is U+2014).  An Ed25519 key's id is the first four bytes of
 * SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key), read big-endian; its
 * signature is over the text alone.
 *
 * Keys are written as Go's golang.org/x/mod/sumdb/note writes them, so
 * that its tools read ours:
 *   verifier  "<name>+<8 hex digits of the id>+<base64(0x01 ‖ public key)>"
 *   signer    "PRIVATE+KEY+<name>+<8 hex digits>+<base64(0x01 ‖ seed)>"
 * A name is non-empty UTF-8 without spaces or '+'.
 *
 * sodium_init() must have run (main does).
 */
#ifndef PETITIOND_NOTE_H
#define PETITIOND_NOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

enum {
    NOTE_NAME_MAX = 255,
    NOTE_PUBLIC_BYTES = 32,
    NOTE_SEED_BYTES = 32,
    NOTE_SECRET_BYTES = 64, /* libsodium's: seed ‖ public key */
    NOTE_SIGNATURE_BYTES = 64,
};

struct note_key {
    char name[NOTE_NAME_MAX + 1];
    uint32_t id;
    uint8_t public_key[NOTE_PUBLIC_BYTES];
    bool has_secret; /* false for a key read from a verifier line */
    uint8_t secret_key[NOTE_SECRET_BYTES];
};

/* A new random key named name.  Returns 0, or -1 for a name that is not
 * valid. */
int note_key_generate(const char *name, struct note_key *out);

/* Append the key's verifier line (no newline). */
void note_key_verifier(struct strbuf *out, const struct note_key *k);

/* Append the key's signer line (no newline); k->has_secret. */
void note_key_signer(struct strbuf *out, const struct note_key *k);

/* Read a signer line or a verifier line of len bytes (a trailing newline
 * allowed) into *out, checking that the id matches the name and key
 * (the id in lowercase hex, as Go writes it; an Ed25519 key only).
 * Returns 0 or -1. */
int note_key_parse(const char *line, size_t len, struct note_key *out);

/* Append text (len bytes, non-empty, ending in '\n', no blank line at its
 * end) signed by k (k->has_secret): the text, a blank line, the
 * signature line. */
void note_sign(struct strbuf *out, const char *text, size_t len, const struct note_key *k);

/*
 * Whether note (len bytes) is a well-formed signed note carrying a valid
 * signature by one of keys[0..nkeys) (matched by name and id; lines of
 * other keys are skipped, as the spec says, but must be well-formed).
 * A signature of a known key that fails refuses the whole note; so do
 * more than 100 signature lines, or one whose signature decodes to more
 * than 8 KiB.  On success *text_len (when text_len is not NULL) is the
 * length of its text (the bytes before the blank line, newline included).
 */
bool note_verify(const char *note, size_t len, const struct note_key *keys, int nkeys,
                 size_t *text_len);

#endif
