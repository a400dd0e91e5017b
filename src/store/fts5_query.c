/*
 * fts5_query.c: search words as an FTS5 query; see fts5_query.h.
 */
#include "store/fts5_query.h"

#include "lib/strbuf.h"
#include "lib/banned.h"

void
fts5_query_build(struct strbuf *out, const struct search_terms *t)
{
    for (int i = 0; i < t->count; i++) {
        if (i > 0)
            sb_adds(out, " AND ");
        sb_addch(out, '"');
        for (size_t k = 0; k < t->len[i]; k++) {
            if (t->term[i][k] == '"')
                sb_addch(out, '"');
            sb_addch(out, t->term[i][k]);
        }
        sb_addch(out, '"');
        if (i == t->count - 1)
            sb_addch(out, '*');
    }
}
