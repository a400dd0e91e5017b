/*
 * jurisdiction_file.c: the jurisdiction JSON file into struct jurisdiction.
 * Every field is required, so a typo in the file is an error at start-up,
 * not a silent default.
 */
#include "workflow/jurisdiction_file.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/jurisdiction.h"
#include "lib/embed.h"
#include "lib/err.h"
#include "lib/json_path.h"
#include "lib/banned.h"

/* The integer at a dotted path such as "supporters.min". */
static int
get_int(json_t *root, const char *path, int *out, struct err *e)
{
    json_t *v = json_path_get(root, path);
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000000)
        return err_set(e, ERR_INVALID, "error.invalid", NULL,
                       "jurisdiction: %s must be a whole number", path);
    *out = (int)json_integer_value(v);
    return 0;
}

static int
get_str(json_t *v, char *out, size_t size, const char *what, struct err *e)
{
    const char *s = json_string_value(v);
    if (!s || !s[0] || strlen(s) >= size)
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "jurisdiction: %s missing", what);
    memcpy(out, s, strlen(s) + 1);
    return 0;
}

/* A committee's list of codes (optional: absent is empty): at most
 * COMMITTEE_MAX_CODES non-empty strings shorter than COMMITTEE_CODE_MAX. */
static int
read_codes(json_t *arr, char (*out)[COMMITTEE_CODE_MAX], int *n, const char *what, size_t i,
           struct err *e)
{
    *n = 0;
    if (!arr)
        return 0;
    size_t len = json_array_size(arr);
    if (!json_is_array(arr) || len > COMMITTEE_MAX_CODES)
        return err_set(e, ERR_INVALID, "error.invalid", NULL,
                       "jurisdiction: committees[%zu].%s is a list of at most %d codes", i, what,
                       COMMITTEE_MAX_CODES);
    for (size_t k = 0; k < len; k++) {
        const char *code = json_string_value(json_array_get(arr, k));
        if (!code || !*code || strlen(code) >= COMMITTEE_CODE_MAX)
            return err_set(e, ERR_INVALID, "error.invalid", NULL,
                           "jurisdiction: committees[%zu].%s[%zu] must be a short code", i, what,
                           k);
        memcpy(out[k], code, strlen(code) + 1);
    }
    *n = (int)len;
    return 0;
}

int
jurisdiction_parse(const char *text, size_t len, struct jurisdiction *j, struct err *e)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, 0, &jerr);
    int r;

    memset(j, 0, sizeof(*j));
    if (!root)
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "jurisdiction: line %d: %s",
                       jerr.line, jerr.text);
    json_t *name = json_object_get(root, "name");
    if ((r = get_str(json_object_get(root, "id"), j->id, sizeof(j->id), "id", e)) ||
        (r = get_str(json_object_get(name, "en"), j->name_en, sizeof(j->name_en), "name.en", e)) ||
        (r = get_str(json_object_get(name, "fr"), j->name_fr, sizeof(j->name_fr), "name.fr", e)) ||
        (r = get_int(root, "supporters.min", &j->supporters_min, e)) ||
        (r = get_int(root, "supporters.max", &j->supporters_max, e)) ||
        (r = get_int(root, "supporters.days", &j->supporters_days, e)) ||
        (r = get_int(root, "signatures_to_certify", &j->signatures_to_certify, e)) ||
        (r = get_int(root, "paper_signatures_min", &j->paper_signatures_min, e)) ||
        (r = get_int(root, "words_max", &j->words_max, e)) ||
        (r = get_int(root, "members.days_each", &j->member_days, e)) ||
        (r = get_int(root, "members.max", &j->members_max, e)) ||
        (r = get_int(root, "review.warn_days", &j->review_warn_days, e)) ||
        (r = get_int(root, "review.overdue_days", &j->review_overdue_days, e)) ||
        (r = get_int(root, "confirm_grace_hours", &j->confirm_grace_hours, e)) ||
        (r = get_int(root, "response_days", &j->response_days, e)) ||
        (r = get_int(root, "retention_days", &j->retention_days, e)) ||
        (r = get_int(root, "rate_limits.burst.count", &j->rate_burst_count, e)) ||
        (r = get_int(root, "rate_limits.burst.seconds", &j->rate_burst_seconds, e)) ||
        (r = get_int(root, "rate_limits.sustained.count", &j->rate_sustained_count, e)) ||
        (r = get_int(root, "rate_limits.sustained.seconds", &j->rate_sustained_seconds, e)))
        goto out;

    json_t *periods = json_object_get(root, "signature_periods_days");
    size_t n = json_array_size(periods);
    if (n == 0 || n > JURISDICTION_MAX_PERIODS) {
        r = err_set(e, ERR_INVALID, "error.invalid", NULL,
                    "jurisdiction: signature_periods_days needs 1 to %d periods",
                    JURISDICTION_MAX_PERIODS);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(periods, i);
        if (!json_is_integer(v) || json_integer_value(v) <= 0 || json_integer_value(v) > 3650) {
            r = err_set(e, ERR_INVALID, "error.invalid", NULL,
                        "jurisdiction: signature_periods_days[%zu] is not a number of days", i);
            goto out;
        }
        j->periods_days[i] = (int)json_integer_value(v);
    }
    j->periods_count = (int)n;
    /* Standing committees (optional): code, en, fr, and the codes of the
     * subjects they study and the ministries that answer for them. */
    json_t *cl = json_object_get(root, "committees");
    size_t nc = json_array_size(cl);
    if (nc > JURISDICTION_MAX_COMMITTEES) {
        r = err_set(e, ERR_INVALID, "error.invalid", NULL,
                    "jurisdiction: at most %d committees", JURISDICTION_MAX_COMMITTEES);
        goto out;
    }
    for (size_t i = 0; i < nc; i++) {
        json_t *c = json_array_get(cl, i);
        const char *code = json_string_value(json_object_get(c, "code"));
        const char *en = json_string_value(json_object_get(c, "en"));
        const char *fr = json_string_value(json_object_get(c, "fr"));
        struct committee *k = &j->committees[i];
        if (!code || !en || !fr || !*code || strlen(code) >= sizeof(k->code) ||
            strlen(en) >= sizeof(k->name[0]) || strlen(fr) >= sizeof(k->name[1])) {
            r = err_set(e, ERR_INVALID, "error.invalid", NULL,
                        "jurisdiction: committees[%zu] needs a short code, en and fr", i);
            goto out;
        }
        memcpy(k->code, code, strlen(code) + 1);
        memcpy(k->name[0], en, strlen(en) + 1);
        memcpy(k->name[1], fr, strlen(fr) + 1);
        if ((r = read_codes(json_object_get(c, "subjects"), k->subjects, &k->subjects_count,
                            "subjects", i, e)) ||
            (r = read_codes(json_object_get(c, "ministries"), k->ministries, &k->ministries_count,
                            "ministries", i, e)))
            goto out;
    }
    j->committees_count = (int)nc;
    r = jurisdiction_check(j, e);
out:
    json_decref(root);
    return r;
}

int
jurisdiction_load(const char *path, struct jurisdiction *j, struct err *e)
{
    if (!path) {
        const struct embedded_file *f = embed_find(JURISDICTION_DEFAULT);
        if (!f)
            return err_set(e, ERR_INTERNAL, "error.internal", NULL, "no embedded jurisdiction");
        return jurisdiction_parse((const char *)f->data, f->len, j, e);
    }
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return err_set(e, ERR_IO, "error.io", NULL, "cannot open %s", path);
    char buf[64 * 1024];
    size_t n = fread(buf, 1, sizeof(buf), fp);
    int bad = ferror(fp) || !feof(fp);
    fclose(fp);
    if (bad)
        return err_set(e, ERR_IO, "error.io", NULL, "cannot read %s (or larger than 64 KiB)",
                       path);
    return jurisdiction_parse(buf, n, j, e);
}
