/*
 * harness.c: a real petitiond on a free port, for integration tests; see
 * harness.h.
 */
#include "harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixtures.h"
#include "lib/strbuf.h"
#include "store/store.h"
#include "lib/banned.h"

const char *
harness_binary(void)
{
    const char *b = getenv("PETITIOND");
    return b && b[0] ? b : "build/test/petitiond";
}

static int run_program(const char *program, const char *const *args, char **out, bool merge);

int
harness_run(const char *const *args, char **out)
{
    return run_program(harness_binary(), args, out, false);
}

int
harness_run_program(const char *const *args, char **out)
{
    return run_program(args[0], args, out, true);
}

/* Run program with args, its standard output in *out (and its standard
 * error too when merge). */
static int
run_program(const char *program, const char *const *args, char **out, bool merge)
{
    int fds[2];
    if (pipe(fds))
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        if (merge)
            dup2(1, 2);
        execv(program, (char *const *)args);
        _exit(127);
    }
    close(fds[1]);
    struct strbuf sb;
    sb_init(&sb, NULL);
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof(buf))) > 0)
        sb_add(&sb, buf, (size_t)n);
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    if (out)
        *out = sb_detach(&sb, NULL);
    else
        sb_release(&sb);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* PETITIOND_TEST_STORE, or NULL for SQLite files. */
static const char *
store_setting(void)
{
    const char *v = getenv("PETITIOND_TEST_STORE");
    return v && *v && strcmp(v, "sqlite") != 0 ? v : NULL;
}

void
harness_db_new(char *out, size_t size, const char *dir, const char *name)
{
    static int serial;
    const char *spec = store_setting();
    const char *at = spec ? strstr(spec, "{n}") : NULL;
    if (!spec)
        snprintf(out, size, "%s/%s.db", dir, name);
    else if (!at)
        snprintf(out, size, "%s", spec); /* one database for every test: the caller's choice */
    else
        snprintf(out, size, "%.*s%ld_%d%s", (int)(at - spec), spec, (long)getpid(), ++serial,
                 at + 3);
}

bool
harness_db_is_postgresql(void)
{
    const char *spec = store_setting();
    return spec &&
           (strncmp(spec, "postgres://", 11) == 0 || strncmp(spec, "postgresql://", 13) == 0);
}

static int serve(struct harness *h);
static int start(struct harness *h, const char *demo_file, bool dev, const char *const *serve_args);

int
harness_start(struct harness *h, const char *demo_file)
{
    return harness_start_with(h, demo_file, false);
}

int
harness_start_with(struct harness *h, const char *demo_file, bool dev)
{
    return start(h, demo_file, dev, NULL);
}

int
harness_start_args(struct harness *h, const char *demo_file, const char *const *serve_args)
{
    return start(h, demo_file, false, serve_args);
}

static int
start(struct harness *h, const char *demo_file, bool dev, const char *const *serve_args)
{
    memset(h, 0, sizeof(*h));
    h->serve_args = serve_args;
    snprintf(h->dir, sizeof(h->dir), "/tmp/petitiond-test-XXXXXX");
    if (!mkdtemp(h->dir))
        return -1;
    harness_db_new(h->db, sizeof(h->db), h->dir, "test");
    snprintf(h->log, sizeof(h->log), "%s/server.log", h->dir);
    snprintf(h->clock, sizeof(h->clock), "%s/clock", h->dir);
    snprintf(h->mail, sizeof(h->mail), "%s/mail", h->dir);
    snprintf(h->log_key, sizeof(h->log_key), "%s/log.key", h->dir);
    if (dev && mkdir(h->mail, 0700))
        return -1;

    const char *bin = harness_binary();
    const char *migrate[] = {bin, "migrate", "--db", h->db, NULL};
    if (harness_run(migrate, NULL) != 0)
        return -1;
    const char *demo[] = {bin, "demo", "--db", h->db, demo_file ? "--file" : NULL, demo_file, NULL};
    if (harness_run(demo, NULL) != 0)
        return -1;
    h->dev = dev;
    return serve(h);
}

int
harness_start_node(struct harness *node, const struct harness *first)
{
    memset(node, 0, sizeof(*node));
    node->serve_args = first->serve_args;
    node->dev = first->dev;
    node->node = true;
    snprintf(node->dir, sizeof(node->dir), "/tmp/petitiond-test-XXXXXX");
    if (!mkdtemp(node->dir))
        return -1;
    snprintf(node->db, sizeof(node->db), "%s", first->db);
    snprintf(node->clock, sizeof(node->clock), "%s", first->clock);
    snprintf(node->log_key, sizeof(node->log_key), "%s", first->log_key);
    snprintf(node->log, sizeof(node->log), "%s/server.log", node->dir);
    snprintf(node->mail, sizeof(node->mail), "%s/mail", node->dir);
    if (node->dev && mkdir(node->mail, 0700))
        return -1;
    return serve(node);
}

void
harness_kill(struct harness *h)
{
    int status;
    harness_store_close(h);
    if (h->pid > 0) {
        kill(h->pid, SIGKILL);
        waitpid(h->pid, &status, 0);
        h->pid = 0;
    }
}

void
harness_store_close(struct harness *h)
{
    store_close(h->store);
    h->store = NULL;
}

/* Close the kept connection (keep_alive), so that the server never stops
 * with one of ours open and a restarted server is reached afresh. */
static void
conn_close(struct harness *h)
{
    curl_easy_cleanup(h->conn);
    h->conn = NULL;
}

int
harness_kill_restart(struct harness *h)
{
    int status;
    harness_store_close(h);
    conn_close(h);
    if (h->pid > 0) {
        kill(h->pid, SIGKILL);
        waitpid(h->pid, &status, 0);
        h->pid = 0;
    }
    return serve(h);
}

/* Start petitiond serve on h's database and read its URL. */
static int
serve(struct harness *h)
{
    const char *bin = harness_binary();
    bool dev = h->dev;
    int out[2];
    if (pipe(out))
        return -1;
    h->pid = fork();
    if (h->pid < 0)
        return -1;
    if (h->pid == 0) {
        int logfd = open(h->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(out[1], 1);
        dup2(logfd, 2);
        close(out[0]);
        close(out[1]);
        close(logfd);
        /* 14 arguments, 7 more in development mode, then h->serve_args
         * (which may override them).  Cached pages show a count as soon as
         * it moves (--count-freshness-ms 0), so tests read what they did. */
        const char *argv[14 + 7 + 16 + 1] = {bin,
                                             "serve",
                                             "--listen",
                                             "127.0.0.1:0",
                                             "--db",
                                             h->db,
                                             "--threads",
                                             "2",
                                             "--clock-file",
                                             h->clock,
                                             "--count-freshness-ms",
                                             "0",
                                             "--log-key",
                                             h->log_key};
        size_t n = 14;
        const char *more[] = {"--dev", "--mail-dir",      h->mail,    "--tick",
                              "100",   "--trusted-proxy", "127.0.0.1"};
        for (size_t i = 0; dev && i < sizeof(more) / sizeof(more[0]); i++)
            argv[n++] = more[i];
        for (const char *const *a = h->serve_args;
             a && *a && n < sizeof(argv) / sizeof(argv[0]) - 1; a++)
            argv[n++] = *a;
        argv[n] = NULL;
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    close(out[1]);
    /* Wait (at most 20 s: sanitised builds start slowly) for the URL line. */
    char line[512];
    size_t len = 0;
    struct pollfd pfd = {out[0], POLLIN, 0};
    /* Development mode prints the demo accounts first: read up to the
     * "serving" line. */
    while (len < sizeof(line) - 1) {
        line[len] = '\0';
        const char *serving = strstr(line, "serving http://");
        if (serving && strchr(serving, '\n'))
            break;
        if (poll(&pfd, 1, 20000) <= 0)
            break;
        ssize_t n = read(out[0], line + len, sizeof(line) - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(out[0]);
    line[len] = '\0';
    const char *url = strstr(line, "http://127.0.0.1:");
    if (!url) {
        fprintf(stderr, "harness: no URL from petitiond: %s\n", line);
        harness_stop(h);
        return -1;
    }
    h->port = (int)strtol(url + strlen("http://127.0.0.1:"), NULL, 10);
    snprintf(h->base, sizeof(h->base), "http://127.0.0.1:%d", h->port);
    return 0;
}

int
harness_stop(struct harness *h)
{
    int status = -1;
    harness_store_close(h);
    conn_close(h);
    if (h->pid > 0) {
        kill(h->pid, SIGTERM);
        if (waitpid(h->pid, &status, 0) < 0)
            return -1;
        h->pid = 0;
        status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    if (status == 0 && h->dir[0]) {
        /* Keep the folder and database of a failed run for a post-mortem
         * (scripts/run-tests drops a test cluster's databases after each
         * test binary). */
        char path[700];
        /* Another node's: the database and the clock are the first's. */
        if (!h->node && fixture_database_drop(h->db))
            return -1;
        const char *files[] = {"server.log", "clock", "log.key", "log.key.signed"};
        for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
            snprintf(path, sizeof(path), "%s/%s", h->dir, files[i]);
            unlink(path);
        }
        DIR *d = h->mail[0] ? opendir(h->mail) : NULL;
        struct dirent *de;
        while (d && (de = readdir(d)))
            if (de->d_name[0] != '.') {
                snprintf(path, sizeof(path), "%s/%s", h->mail, de->d_name);
                unlink(path);
            }
        if (d) {
            closedir(d);
            rmdir(h->mail);
        }
        rmdir(h->dir);
    }
    return status;
}

void
harness_set_clock(struct harness *h, int64_t utc)
{
    if (!utc) {
        unlink(h->clock);
        return;
    }
    /* Write then rename, so the server never reads half a number. */
    char tmp[320];
    snprintf(tmp, sizeof(tmp), "%s.tmp", h->clock);
    FILE *fp = fopen(tmp, "w");
    if (!fp)
        return;
    fprintf(fp, "%lld\n", (long long)utc);
    fclose(fp);
    rename(tmp, h->clock);
}

char *
harness_log(struct harness *h)
{
    FILE *fp = fopen(h->log, "rb");
    struct strbuf sb;
    char buf[4096];
    size_t n;
    sb_init(&sb, NULL);
    if (fp) {
        while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
            sb_add(&sb, buf, n);
        fclose(fp);
    }
    return sb_detach(&sb, NULL);
}

static size_t
collect(char *data, size_t size, size_t n, void *cls)
{
    sb_add(cls, data, size * n);
    return size * n;
}

int
http_request(struct harness *h, const char *method, const char *path, const char *body,
             size_t body_len, const char *const *headers, struct http_result *out)
{
    CURL *c = h->keep_alive ? h->conn : NULL;
    struct curl_slist *list = NULL;
    struct strbuf b, hd;
    char url[65536];
    int r = -1;

    memset(out, 0, sizeof(*out));
    if (c)
        curl_easy_reset(c); /* the options go, the open connection stays */
    else
        c = curl_easy_init();
    if (!c)
        return -1;
    if (h->keep_alive)
        h->conn = c;
    sb_init(&b, NULL);
    sb_init(&hd, NULL);
    snprintf(url, sizeof(url), "%s%s", h->base, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &hd);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, h->timeout_ms ? h->timeout_ms : 30000L);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    else if (strcmp(method, "GET") != 0)
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body_len);
    }
    for (const char *const *p = headers; p && *p; p++)
        list = curl_slist_append(list, *p);
    list = curl_slist_append(list, "Expect:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK || rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
        if (out->status)
            r = 0;
    }
    if (r)
        fprintf(stderr, "harness: %s %s: %s\n", method, path, curl_easy_strerror(rc));
    out->body = sb_detach(&b, &out->len);
    out->headers = sb_detach(&hd, NULL);
    curl_slist_free_all(list);
    if (!h->keep_alive)
        curl_easy_cleanup(c);
    return r;
}

int
http_get(struct harness *h, const char *path, struct http_result *out)
{
    return http_request(h, "GET", path, NULL, 0, NULL, out);
}

void
http_result_free(struct http_result *r)
{
    free(r->body);
    free(r->headers);
    memset(r, 0, sizeof(*r));
}

const char *
http_header(const struct http_result *r, const char *name)
{
    static _Thread_local char value[1024];
    size_t n = strlen(name);
    for (const char *p = r->headers; p && *p;) {
        const char *eol = strstr(p, "\r\n");
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > n && p[n] == ':' && strncasecmp(p, name, n) == 0) {
            const char *v = p + n + 1;
            while (*v == ' ')
                v++;
            size_t vl = len - (size_t)(v - p);
            if (vl >= sizeof(value))
                vl = sizeof(value) - 1;
            memcpy(value, v, vl);
            value[vl] = '\0';
            return value;
        }
        if (!eol)
            break;
        p = eol + 2;
    }
    return NULL;
}

bool
body_has(const struct http_result *r, const char *needle)
{
    return r->body && strstr(r->body, needle) != NULL;
}

int
harness_stop_checked(struct harness *h)
{
    int status = harness_stop(h);
    if (status != 0)
        fprintf(stderr, "petitiond exited with %d; log kept in %s\n", status, h->dir);
    return status == 0 ? 0 : -1;
}

char *
harness_raw_exchange(struct harness *h, const char *req)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return NULL;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)h->port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    size_t n = strlen(req), cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    if (!out || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        write(fd, req, n) != (ssize_t)n)
        goto fail;
    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        if (poll(&pfd, 1, 10000) != 1)
            goto fail;
        ssize_t k = read(fd, out + len, cap - len - 1);
        if (k <= 0)
            break;
        len += (size_t)k;
        if (len >= cap - 1)
            goto fail;
    }
    out[len] = '\0';
    close(fd);
    return out;
fail:
    free(out);
    close(fd);
    return NULL;
}
