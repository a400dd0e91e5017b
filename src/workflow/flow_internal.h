/*
 * flow_internal.h: what the use-case files of src/workflow share (flow.c,
 * signing.c): one transaction per use case, e-mail texts, and the people
 * a petition's news goes to.  Not for the edges: they call flow.h and
 * signing.h.
 */
#ifndef PETITIOND_FLOW_INTERNAL_H
#define PETITIOND_FLOW_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "core/draft.h"
#include "core/fields.h"
#include "core/lang.h"
#include "workflow/flow.h"

struct arena;
struct err;

#define OPS(f) ((f)->store->ops)

/* Open the use case's transaction. */
int flow_begin(const struct flow *f, struct err *e);
/* Commit when r is 0 (and wake the mail thread), else roll back; returns
 * r or the commit's error. */
int flow_finish(const struct flow *f, int r, struct err *e);
/* An ERR_INVALID for a form whose fields are listed in fe. */
int flow_invalid(struct field_errors *fe, struct err *e);
/* An ERR_CONFLICT whose message key is key. */
int flow_conflict(struct err *e, const char *key);

/* Append the audit record of a staff action to the open transaction:
 * actor NULL is petitiond itself ("system").  target, reason may be NULL;
 * details (borrowed, may be NULL) is a JSON object.  Every use case that
 * changes what staff decide calls it before its writes: the store refuses
 * those writes otherwise (store.h, audit_append). */
int flow_audit(const struct flow *f, const struct user *actor, const char *action,
               int64_t petition_id, const char *target, const char *reason, json_t *details,
               int64_t now, struct err *e);

/* "23 November 2026" / "23 novembre 2026", Eastern time. */
const char *flow_date_text(struct arena *a, int64_t t, enum lang lang);
const char *flow_full_name(struct arena *a, const char *first, const char *last);

/* Queue mail of kind to the petitioner of d, or to every account of a Member;
 * "name" (and the account or workspace address) is added to vars. */
int flow_mail_petitioner(const struct flow *f, struct arena *a, const struct draft_record *d,
                         const char *kind, json_t *vars, int64_t now, struct err *e);
int flow_mail_member(const struct flow *f, struct arena *a, int64_t member_id,
                     const char *kind, json_t *vars, int64_t now, struct err *e);

#endif
