/*
 * harness.h: integration tests drive a real petitiond over HTTP.
 *
 * harness_start() makes a temporary folder (the server's log, clock and
 * mail), creates a database of its own (petitiond migrate: a SQLite file
 * in that folder, or a PostgreSQL database, as PETITIOND_TEST_STORE says:
 * harness_db_new()), loads demo data (petitiond demo, the built-in file
 * or the one given), starts petitiond serve on 127.0.0.1 with port 0 and
 * reads the URL it prints; requests go through libcurl.  harness_stop()
 * sends SIGTERM and returns the exit status, so every test file also
 * checks the graceful shutdown; after a clean stop it removes the folder
 * and drops the database.  The binary is $PETITIOND (set by
 * scripts/run-tests), else build/test/petitiond.
 */
#ifndef PETITIOND_HARNESS_H
#define PETITIOND_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct store;

struct harness {
    pid_t pid;
    char dir[256];
    char db[300]; /* the store spec given to --db: a file, or a PostgreSQL URI */
    char log[300];
    char clock[300];   /* the server's --clock-file */
    char mail[300];    /* the server's --mail-dir (development mode) */
    char log_key[300]; /* the server's --log-key (a node shares its first's) */
    char base[64];     /* "http://127.0.0.1:PORT" */
    int port;
    bool dev;
    const char *const *serve_args; /* more arguments for serve, or NULL */
    long timeout_ms;               /* the time a request may take in http_request(); 0 = 30 s */
    struct store *store;           /* the fixtures' store on db (fixtures.h), opened on first use */
    bool node;                     /* another node on a first harness's database and clock
                                    * (harness_start_node()): stopping it leaves them */
    bool keep_alive;               /* http_request() sends every request over one connection,
                                    * kept open between them (HTTP/1.1 keep-alive); for
                                    * one thread only */
    void *conn;                    /* that connection's libcurl handle, or NULL */
};

struct http_result {
    long status;
    char *body; /* NUL-terminated */
    size_t len;
    char *headers; /* the raw response headers, NUL-terminated */
};

/*
 * A new database for a test, not yet made, as the --db of petitiond: with
 * PETITIOND_TEST_STORE unset, empty or "sqlite", the SQLite file
 * dir/name.db; else that store spec with "{n}" replaced by a number
 * unique to this database among this process's (<pid>_<k>), e.g.
 * "postgresql:///t{n}?host=/tmp/pg&user=petitiond" (scripts/pg-cluster)
 * gives database t<pid>_<k>, which `petitiond migrate` creates.  Remove
 * it with fixture_database_drop() (fixtures.h).
 */
void harness_db_new(char *out, size_t size, const char *dir, const char *name);

/* Whether harness_db_new() makes PostgreSQL databases (PETITIOND_TEST_STORE
 * names a postgres:// or postgresql:// URI). */
bool harness_db_is_postgresql(void);

/* Start a server (demo_file NULL = the built-in demo data).  0 or -1. */
int harness_start(struct harness *h, const char *demo_file);

/* The same in development mode (--dev --mail-dir DIR/mail --tick 100
 * --trusted-proxy 127.0.0.1): e-mails are .eml files under h->mail, demo
 * staff accounts exist, and an X-Forwarded-For header names the client. */
int harness_start_with(struct harness *h, const char *demo_file, bool dev);

/* harness_start() with more arguments for petitiond serve, a
 * NULL-terminated list (at most 16) that the caller keeps until
 * harness_stop(), e.g. {"--max-connections", "200", NULL}. */
int harness_start_args(struct harness *h, const char *demo_file, const char *const *serve_args);
/*
 * Start node, another petitiond serve on the database and clock of first
 * (already started), with first's mode and arguments, its own log and
 * folder and, in development mode, its own mail folder (so the e-mails
 * each node sent can be told apart).  Stopping it stops that process
 * only.  0 or -1.
 */
int harness_start_node(struct harness *node, const struct harness *first);

/* Kill the server with SIGKILL and leave it dead (harness_kill_restart()
 * starts it again). */
void harness_kill(struct harness *h);

/* Set the server's clock to utc (UTC seconds), or back to the real time
 * with 0.  The server reads the clock file at each use. */
void harness_set_clock(struct harness *h, int64_t utc);

/* Close the fixtures' store on h's database (h->store), if open; the
 * next fixture opens it again.  harness_stop() and harness_kill_restart()
 * call it first, so that the server never stops or starts beside a test
 * connection. */
void harness_store_close(struct harness *h);

/* Kill the server with SIGKILL (no clean shutdown) and start it again
 * on the same database, clock and mail folder; its port changes.  0 or -1. */
int harness_kill_restart(struct harness *h);
/* Stop it with SIGTERM; the exit status (0 = clean), or -1. */
int harness_stop(struct harness *h);
/* harness_stop() for a cmocka teardown: 0 when it stopped cleanly, else
 * -1 after saying on stderr where its log is kept. */
int harness_stop_checked(struct harness *h);

/* Run the petitiond binary with args (NULL-terminated) and capture its
 * standard output into out (may be NULL); returns the exit status. */
int harness_run(const char *const *args, char **out);

/* The same for another program, args[0] (a path). */
int harness_run_program(const char *const *args, char **out);

/* The petitiond binary under test. */
const char *harness_binary(void);

/* Requests: method "GET", "HEAD", "POST"...; body may be NULL; headers a
 * NULL-terminated list of "Name: value" or NULL.  0 or -1. */
int http_request(struct harness *h, const char *method, const char *path, const char *body,
                 size_t body_len, const char *const *headers, struct http_result *out);
int http_get(struct harness *h, const char *path, struct http_result *out);
void http_result_free(struct http_result *r);

/* The value of a response header (case-insensitive name), in a static
 * buffer, or NULL. */
const char *http_header(const struct http_result *r, const char *name);

/* Send req as it is on a connection of its own and read the whole answer
 * until the server closes (the request should say Connection: close, or
 * be one the server answers by closing), waiting at most 10 s for each
 * read; malloc'd, or NULL when the exchange failed. */
char *harness_raw_exchange(struct harness *h, const char *req);

/* True when needle occurs in the response body. */
bool body_has(const struct http_result *r, const char *needle);

/* The whole server log (standard error) so far; free() it. */
char *harness_log(struct harness *h);

#endif
