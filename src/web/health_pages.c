/*
 * health_pages.c: /healthz; see health_pages.h.
 */
#include "web/health_pages.h"

#include <string.h>

#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "site/site.h"
#include "store/store.h"
#include "workflow/counts.h"
#include "workflow/intake.h"
#include "workflow/outbox.h"
#include "lib/banned.h"

int
page_healthz(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    int version;
    int r = store_schema_version(site->store, &version, e);
    if (r)
        return r;
    const char *body = arena_printf(req->arena, "ok schema=%d\n", version);
    if (site->flow.intake) {
        /* How the signature writer is doing (intake.h). */
        struct intake_stats st;
        intake_stats(site->flow.intake, &st);
        body = arena_printf(req->arena,
                            "%sintake jobs=%llu batches=%llu largest=%u pending=%u"
                            " refused=%llu write_ms=%llu commit_ms=%llu commit_max_ms=%llu\n",
                            body, (unsigned long long)st.jobs, (unsigned long long)st.batches,
                            st.largest, st.pending, (unsigned long long)st.refused,
                            (unsigned long long)st.write_ms, (unsigned long long)st.commit_ms,
                            (unsigned long long)st.commit_max_ms);
    }
    body = arena_printf(req->arena, "%schanges data=%llu counts=%llu\n", body,
                        (unsigned long long)changes_data(&site->changes),
                        (unsigned long long)changes_counts(&site->changes));
    if (site->flow.counts) {
        /* The last reconciliation of the counts in memory (counts.h). */
        struct count_check_result c;
        count_mirror_last_check(site->flow.counts, &c);
        body = arena_printf(req->arena,
                            "%scounts checked_at=%lld petitions=%d drifted=%d"
                            " drifted_since_start=%lld\n",
                            body, (long long)c.at, c.checked, c.drifted,
                            (long long)c.drifted_since_start);
    }
    /* How e-mail is going (workflow/outbox.h). */
    struct outbox_status ms;
    int64_t now = clock_now(&site->clock);
    if ((r = outbox_status(&site->flow, NULL, now, &ms, e)))
        return r;
    int64_t oldest = ms.health.oldest_waiting_at;
    body = arena_printf(
        req->arena,
        "%smail waiting=%lld oldest_waiting_s=%lld errors_last_hour=%lld"
        " failed_last_hour=%lld failed=%lld last_sent_at=%lld delayed=%d\n",
        body, (long long)ms.health.waiting, (long long)(oldest && now > oldest ? now - oldest : 0),
        (long long)ms.health.errors_since, (long long)ms.health.failed_since,
        (long long)ms.health.failed, (long long)ms.health.last_sent_at, ms.delayed ? 1 : 0);
    resp_header(req, "Cache-Control", "no-store");
    resp_body(req, 200, "text/plain; charset=utf-8", body, strlen(body));
    return 0;
}
