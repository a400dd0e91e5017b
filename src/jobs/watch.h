/*
 * watch.h: the thread by which a node follows what the other nodes
 * sharing its database commit (issue 17).
 *
 * Every WATCH_POLL_MS it reads the store's change version (one row:
 * store_change_version(), moved in the transaction of every use case by
 * flow_finish()); when it has moved since the last poll, it bumps the
 * data counter of the node's cached pages (lib/changes.h) and drops the
 * counts in memory, as flow_finish() does after a commit of this node.
 * Then it polls the counts in memory (count_mirror_poll() in
 * workflow/counts.h: one read of the stored totals of the petitions held)
 * and bumps the counts counter when another node's signatures moved one.
 * So a publication, a response or any staff action on one node shows on
 * every node within the poll interval plus a page's drawing, and a
 * confirmed signature within the poll interval plus the count freshness
 * (--count-freshness-ms).  A store that fails is logged once per outage
 * and polled again.  A single node runs it too: it costs two reads of a
 * few rows every interval.
 */
#ifndef PETITIOND_WATCH_H
#define PETITIOND_WATCH_H

struct err;
struct flow;
struct watch;

enum { WATCH_POLL_MS = 250 };

/* Start polling every interval_ms (0 = WATCH_POLL_MS); f's store,
 * changes and counts must outlive watch_stop(). */
int watch_start(const struct flow *f, unsigned interval_ms, struct watch **out, struct err *e);

/* Stop after the poll in hand; NULL is fine. */
void watch_stop(struct watch *w);

#endif
