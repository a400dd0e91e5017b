/*
 * backend.c: what both backends do alike, so that neither writes it again
 * (store/backend.h): the key of an e-mail address, the final states as an
 * array value, the label of a retention item, and the numbering of the
 * embedded migrations.
 */
#include <stdio.h>
#include <string.h>

#include "core/numbering.h"
#include "core/petition_state.h"
#include "lib/arena.h"
#include "lib/embed.h"
#include "lib/strbuf.h"
#include "store/backend.h"
#include "lib/banned.h"

void
store_email_key(char *out, size_t cap, const char *email)
{
    size_t i = 0;
    for (; email && email[i] && i + 1 < cap; i++)
        out[i] = (email[i] >= 'A' && email[i] <= 'Z') ? (char)(email[i] - 'A' + 'a') : email[i];
    out[i] = '\0';
}

const char *
store_final_states(struct arena *a, char open, char close)
{
    struct strbuf sb;
    bool first = true;
    sb_init(&sb, a);
    sb_addch(&sb, open);
    for (int i = 0; i < PETITION_STATE_COUNT; i++) {
        if (!petition_state_is_final((enum petition_state)i))
            continue;
        sb_addf(&sb, "%s\"%s\"", first ? "" : ",", petition_state_name((enum petition_state)i));
        first = false;
    }
    sb_addch(&sb, close);
    return sb.buf;
}

const char *
store_retention_label(struct arena *a, bool draft, int64_t draft_id, int64_t petition_id,
                      long e_number, const struct presented_number *pn)
{
    struct strbuf label;
    sb_init(&label, a);
    if (draft)
        sb_addf(&label, "draft %lld", (long long)draft_id);
    else if (e_number)
        e_number_format(&label, e_number);
    else if (pn)
        presented_number_format(&label, pn);
    else
        sb_addf(&label, "petition %lld", (long long)petition_id);
    return label.buf;
}

int
store_migration_number(const char *path, const char *dir, int *n)
{
    /* "sql/sqlite/0001_register.sql" */
    const char *name = path + strlen(dir);
    int v = 0;
    for (int i = 0; i < 4; i++) {
        if (name[i] < '0' || name[i] > '9')
            return -1;
        v = v * 10 + (name[i] - '0');
    }
    if (name[4] != '_')
        return -1;
    *n = v;
    return 0;
}

int
store_migrations_count(const char *dir)
{
    int n = 0;
    for (const struct embedded_file *f = embedded_files; f->path; f++)
        if (strncmp(f->path, dir, strlen(dir)) == 0)
            n++;
    return n;
}
