/*
 * relay.c: the fake SMTP relay of the integration tests; see relay.h.
 */
#include "relay.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "web.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

#define FAKE_SMTP "tests/integration/fake_smtp.py"

int
relay_start(struct relay *r, const char *scheme, const char *const *opts)
{
    int out[2];
    memset(r, 0, sizeof(*r));
    snprintf(r->dir, sizeof(r->dir), "/tmp/petitiond-smtp-XXXXXX");
    if (!mkdtemp(r->dir) || pipe(out))
        return -1;
    snprintf(r->cert, sizeof(r->cert), "%s/cert.pem", r->dir);
    snprintf(r->wire, sizeof(r->wire), "%s/wire.txt", r->dir);
    r->pid = fork();
    if (r->pid < 0)
        return -1;
    if (r->pid == 0) {
        const char *argv[16] = {"python3", FAKE_SMTP, r->dir};
        size_t n = 3;
        for (; opts && *opts && n < 15; opts++)
            argv[n++] = *opts;
        dup2(out[1], 1);
        close(out[0]);
        close(out[1]);
        execvp("python3", (char *const *)argv);
        _exit(127);
    }
    close(out[1]);
    /* "port N" once it listens: openssl makes the key first, so allow
     * for a slow machine. */
    char line[64];
    size_t len = 0;
    struct pollfd pfd = {out[0], POLLIN, 0};
    while (len < sizeof(line) - 1 && !memchr(line, '\n', len) && poll(&pfd, 1, 30000) > 0) {
        ssize_t k = read(out[0], line + len, sizeof(line) - 1 - len);
        if (k <= 0)
            break;
        len += (size_t)k;
    }
    close(out[0]);
    line[len] = '\0';
    if (sscanf(line, "port %d", &r->port) != 1) {
        fprintf(stderr, "fake_smtp.py did not start (python3 and openssl installed?): %s\n", line);
        return -1;
    }
    snprintf(r->url, sizeof(r->url), "%s://127.0.0.1:%d", scheme, r->port);
    return 0;
}

void
relay_stop(struct relay *r)
{
    char path[128];
    if (r->pid > 0) {
        kill(r->pid, SIGTERM);
        waitpid(r->pid, NULL, 0);
        r->pid = 0;
    }
    const char *files[] = {"cert.pem", "key.pem", "wire.txt"};
    for (size_t i = 0; r->dir[0] && i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", r->dir, files[i]);
        unlink(path);
    }
    if (r->dir[0])
        rmdir(r->dir);
}

char *
relay_wire(const struct relay *r)
{
    struct strbuf sb;
    char buf[4096];
    size_t n;
    sb_init(&sb, NULL);
    FILE *fp = fopen(r->wire, "rb");
    if (fp) {
        while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
            sb_add(&sb, buf, n);
        fclose(fp);
    }
    return sb_detach(&sb, NULL);
}

size_t
relay_wire_len(const struct relay *r)
{
    struct stat st;
    return stat(r->wire, &st) == 0 ? (size_t)st.st_size : 0;
}

char *
relay_wait(const struct relay *r, size_t from, const char *needle)
{
    for (int i = 0; i < 300; i++) {
        char *all = relay_wire(r);
        if (strlen(all) >= from && strstr(all + from, needle)) {
            char *part = strdup(all + from);
            free(all);
            return part;
        }
        free(all);
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

char *
relay_message(const char *wire)
{
    const char *begin = strstr(wire, "DATA-BEGIN\n");
    const char *end = begin ? strstr(begin, "DATA-END") : NULL;
    if (!end)
        return NULL;
    begin += strlen("DATA-BEGIN\n");
    char *raw = strndup(begin, (size_t)(end - begin));
    char *text = mail_decoded(raw);
    free(raw);
    return text;
}

int
relay_count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}
