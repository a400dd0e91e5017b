/*
 * relay.h: a fake SMTP relay for the integration tests,
 * tests/integration/fake_smtp.py (Python's standard library: STARTTLS or
 * smtps with a self-signed certificate made by openssl for each run, and
 * recipients it refuses), run as a child process in a folder of its own
 * that holds its certificate and its transcript (wire.txt), which the
 * tests read: what the client said ("C: ..."), what became of TLS, and
 * each message accepted, between "DATA-BEGIN" and "DATA-END"; every
 * connection ends with "END".
 */
#ifndef PETITIOND_RELAY_H
#define PETITIOND_RELAY_H

#include <stddef.h>
#include <sys/types.h>

struct relay {
    pid_t pid;
    int port;
    char dir[64];
    char url[64];   /* SCHEME://127.0.0.1:PORT */
    char cert[128]; /* DIR/cert.pem, its self-signed certificate */
    char wire[128]; /* DIR/wire.txt */
};

/* Start fake_smtp.py with its options (NULL-terminated, at most 12; see
 * its header: --no-starttls, --smtps, --san SAN, --refuse ADDR=CODE[/N]),
 * its URL's scheme being scheme ("smtp", "smtps"); 0 or -1. */
int relay_start(struct relay *r, const char *scheme, const char *const *opts);

/* Stop it and remove its folder; a relay never started is fine. */
void relay_stop(struct relay *r);

/* The transcript so far; free() it. */
char *relay_wire(const struct relay *r);

/* Its length in bytes. */
size_t relay_wire_len(const struct relay *r);

/* What the relay wrote after byte from, once it holds needle (waiting up
 * to 15 s); NULL when it never does.  free() it. */
char *relay_wait(const struct relay *r, size_t from, const char *needle);

/* The first message of a transcript (what came between "DATA-BEGIN" and
 * "DATA-END"), its body decoded to text (web.h: mail_decoded()); NULL
 * when it holds none.  free() it. */
char *relay_message(const char *wire);

/* How many times needle occurs in hay. */
int relay_count(const char *hay, const char *needle);

#endif
