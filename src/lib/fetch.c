/*
 * fetch.c: GET over HTTP(S) with libcurl; see fetch.h.
 */
#include "lib/fetch.h"

#include <stdlib.h>

#include <curl/curl.h>

#include "lib/die.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

struct fetcher {
    CURL *curl;
};

static size_t
gather(char *p, size_t size, size_t n, void *arg)
{
    sb_add(arg, p, size * n);
    return size * n;
}

struct fetcher *
fetcher_new(long timeout_s, const char *user_agent)
{
    struct fetcher *f;
    CURL *curl = curl_easy_init();
    if (!curl)
        die_oom();
    f = calloc(1, sizeof(*f));
    if (!f)
        die_oom();
    f->curl = curl;
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_s);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, gather);
    return f;
}

void
fetcher_free(struct fetcher *f)
{
    if (!f)
        return;
    curl_easy_cleanup(f->curl);
    free(f);
}

long
fetch_get(struct fetcher *f, const char *url, struct strbuf *out, const char **why)
{
    long status = -1;
    sb_reset(out);
    curl_easy_setopt(f->curl, CURLOPT_URL, url);
    curl_easy_setopt(f->curl, CURLOPT_WRITEDATA, out);
    CURLcode rc = curl_easy_perform(f->curl);
    *why = NULL;
    if (rc != CURLE_OK) {
        *why = curl_easy_strerror(rc);
        return -1;
    }
    curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &status);
    sb_addch(out, '\0');
    out->len--;
    return status;
}
