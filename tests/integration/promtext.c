/*
 * promtext.c: a strict reader of the Prometheus text format; see
 * promtext.h.
 */
#include "promtext.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/banned.h"

enum { MAX_FAMILIES = 128, MAX_SERIES = 8192, NAME_MAX_LEN = 200, LABELS_MAX_LEN = 1024 };

struct family {
    char name[NAME_MAX_LEN];
    char type[16];
    bool help, typed, ended;
};

/* The histogram series being read: its labels without le. */
struct hist {
    char family[NAME_MAX_LEN];
    char labels[LABELS_MAX_LEN];
    double last_le, last_count;
    int buckets;
    bool inf, sum, count;
};

struct reader {
    struct family fam[MAX_FAMILIES];
    int nfam;
    int current; /* the family of the last line, -1 none */
    char **series;
    int nseries;
    struct hist h;
    bool in_hist;
    char *why;
    size_t why_size;
    int line;
};

static bool
fault(struct reader *r, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(r->why, r->why_size, "line %d: ", r->line);
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < r->why_size)
        vsnprintf(r->why + n, r->why_size - (size_t)n, fmt, ap);
    va_end(ap);
    return false;
}

static bool
name_ok(const char *s, size_t n, bool metric)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = isalpha((unsigned char)c) || c == '_' || (metric && c == ':') ||
                  (i > 0 && isdigit((unsigned char)c));
        if (!ok)
            return false;
    }
    return true;
}

/* A Go float: +Inf, -Inf, NaN or a decimal number. */
static bool
value_ok(const char *s, double *out)
{
    if (strcmp(s, "+Inf") == 0) {
        *out = INFINITY;
        return true;
    }
    if (strcmp(s, "-Inf") == 0) {
        *out = -INFINITY;
        return true;
    }
    if (strcmp(s, "NaN") == 0) {
        *out = NAN;
        return true;
    }
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p) && !strchr("+-.eE", *p))
            return false;
    char *end;
    *out = strtod(s, &end);
    return *s && !*end;
}

static struct family *
family_named(struct reader *r, const char *name, size_t n)
{
    for (int i = 0; i < r->nfam; i++)
        if (strlen(r->fam[i].name) == n && memcmp(r->fam[i].name, name, n) == 0)
            return &r->fam[i];
    return NULL;
}

/* Make the family current: it may not come back once another began. */
static bool
enter(struct reader *r, struct family *f)
{
    int i = (int)(f - r->fam);
    if (r->current == i)
        return true;
    if (f->ended)
        return fault(r, "family %s comes back after another", f->name);
    if (r->current >= 0)
        r->fam[r->current].ended = true;
    r->current = i;
    return true;
}

static bool
comment(struct reader *r, const char *line)
{
    bool help = strncmp(line, "# HELP ", 7) == 0, type = strncmp(line, "# TYPE ", 7) == 0;
    if (!help && !type)
        return true; /* another comment: ignored, as the format says */
    const char *name = line + 7;
    size_t n = strcspn(name, " ");
    if (!name_ok(name, n, true) || name[n] != ' ')
        return fault(r, "bad name in \"%s\"", line);
    const char *rest = name + n + 1;
    struct family *f = family_named(r, name, n);
    if (!f) {
        if (r->nfam == MAX_FAMILIES || n >= NAME_MAX_LEN)
            return fault(r, "too many families");
        f = &r->fam[r->nfam++];
        memcpy(f->name, name, n);
    }
    if (!enter(r, f))
        return false;
    if (help) {
        if (f->help)
            return fault(r, "HELP twice for %s", f->name);
        f->help = true;
        for (const char *p = rest; *p; p++)
            if (*p == '\\' && p[1] != '\\' && p[1] != 'n')
                return fault(r, "bad escape in HELP of %s", f->name);
            else if (*p == '\\')
                p++;
        return true;
    }
    if (f->typed)
        return fault(r, "TYPE twice for %s", f->name);
    if (strcmp(rest, "counter") && strcmp(rest, "gauge") && strcmp(rest, "histogram") &&
        strcmp(rest, "summary") && strcmp(rest, "untyped"))
        return fault(r, "unknown type \"%s\"", rest);
    f->typed = true;
    snprintf(f->type, sizeof(f->type), "%s", rest);
    if (strcmp(rest, "counter") == 0 && (n < 6 || memcmp(name + n - 6, "_total", 6) != 0))
        return fault(r, "counter %s does not end in _total", f->name);
    return true;
}

/* Read {labels} at *p into out (without le, which goes to le); p moves past '}'. */
static bool
labels(struct reader *r, const char **pp, char *out, size_t out_size, char *le, size_t le_size,
       bool *has_le)
{
    const char *p = *pp;
    char seen[32][64];
    int nseen = 0;
    size_t used = 0;
    out[0] = '\0';
    *has_le = false;
    if (*p != '{') {
        *pp = p;
        return true;
    }
    p++;
    while (*p != '}') {
        size_t n = strcspn(p, "=");
        if (!name_ok(p, n, false) || p[n] != '=' || p[n + 1] != '"' || n >= 64)
            return fault(r, "bad label name");
        if (n >= 2 && p[0] == '_' && p[1] == '_')
            return fault(r, "label names starting __ are reserved");
        for (int i = 0; i < nseen; i++)
            if (strlen(seen[i]) == n && memcmp(seen[i], p, n) == 0)
                return fault(r, "label %.*s twice", (int)n, p);
        if (nseen == 32)
            return fault(r, "too many labels");
        memcpy(seen[nseen], p, n);
        seen[nseen++][n] = '\0';
        bool is_le = n == 2 && memcmp(p, "le", 2) == 0;
        const char *name = p;
        p += n + 2;
        char value[512];
        size_t v = 0;
        for (; *p != '"'; p++) {
            if (!*p || *p == '\n')
                return fault(r, "label value not closed");
            char c = *p;
            if (c == '\\') {
                p++;
                if (*p == 'n')
                    c = '\n';
                else if (*p == '\\' || *p == '"')
                    c = *p;
                else
                    return fault(r, "bad escape in a label value");
            }
            if (v + 1 >= sizeof(value))
                return fault(r, "label value too long");
            value[v++] = c;
        }
        value[v] = '\0';
        p++;
        if (is_le) {
            *has_le = true;
            if (v >= le_size)
                return fault(r, "le too long");
            memcpy(le, value, v + 1);
        } else {
            int w = snprintf(out + used, out_size - used, "%s%.*s=%s", used ? "," : "", (int)n,
                             name, value);
            if (w < 0 || (size_t)w >= out_size - used)
                return fault(r, "labels too long");
            used += (size_t)w;
        }
        if (*p == ',') {
            p++;
            if (*p == '}')
                return fault(r, "a comma before '}'");
        } else if (*p != '}') {
            return fault(r, "expected ',' or '}'");
        }
    }
    *pp = p + 1;
    return true;
}

/* A histogram's series ends: it must have been whole. */
static bool
hist_end(struct reader *r)
{
    if (!r->in_hist)
        return true;
    r->in_hist = false;
    if (!r->h.inf || !r->h.sum || !r->h.count)
        return fault(r, "histogram %s{%s} lacks its +Inf bucket, _sum or _count", r->h.family,
                     r->h.labels);
    return true;
}

static bool
sample(struct reader *r, const char *line)
{
    size_t n = strcspn(line, "{ ");
    if (!name_ok(line, n, true) || n >= NAME_MAX_LEN)
        return fault(r, "bad metric name in \"%s\"", line);
    char name[NAME_MAX_LEN];
    memcpy(name, line, n);
    name[n] = '\0';
    const char *p = line + n;
    char lab[LABELS_MAX_LEN], le[64] = "";
    bool has_le;
    if (!labels(r, &p, lab, sizeof(lab), le, sizeof(le), &has_le))
        return false;
    if (*p != ' ')
        return fault(r, "expected a space before the value");
    p++;
    char vtext[64];
    size_t vn = strcspn(p, " ");
    if (vn == 0 || vn >= sizeof(vtext))
        return fault(r, "bad value");
    memcpy(vtext, p, vn);
    vtext[vn] = '\0';
    double v;
    if (!value_ok(vtext, &v))
        return fault(r, "bad value \"%s\"", vtext);
    if (p[vn]) {
        /* A timestamp: an integer of milliseconds. */
        const char *ts = p + vn + 1;
        if (!*ts || (*ts == '-' && !ts[1]))
            return fault(r, "bad timestamp");
        for (const char *q = ts + (*ts == '-'); *q; q++)
            if (!isdigit((unsigned char)*q))
                return fault(r, "bad timestamp");
    }

    /* Its family: the name itself, or a histogram's name without its suffix. */
    struct family *f = family_named(r, name, n);
    const char *suffix = "";
    if (!f) {
        static const char *const sfx[] = {"_bucket", "_sum", "_count"};
        for (int i = 0; i < 3 && !f; i++) {
            size_t sl = strlen(sfx[i]);
            if (n > sl && strcmp(name + n - sl, sfx[i]) == 0) {
                f = family_named(r, name, n - sl);
                if (f && strcmp(f->type, "histogram") != 0 && strcmp(f->type, "summary") != 0)
                    f = NULL;
                suffix = sfx[i];
            }
        }
    } else if (strcmp(f->type, "histogram") == 0) {
        return fault(r, "histogram %s has a bare sample", name);
    }
    if (!f || !f->typed)
        return fault(r, "%s has no TYPE before it", name);
    if (!enter(r, f))
        return false;

    /* No series twice. */
    char key[NAME_MAX_LEN + LABELS_MAX_LEN + 80];
    snprintf(key, sizeof(key), "%s{%s}le=%s", name, lab, le);
    for (int i = 0; i < r->nseries; i++)
        if (strcmp(r->series[i], key) == 0)
            return fault(r, "series %s twice", key);
    if (r->nseries == MAX_SERIES)
        return fault(r, "too many series");
    r->series[r->nseries++] = strdup(key);

    if (strcmp(f->type, "counter") == 0 && (isnan(v) || v < 0))
        return fault(r, "counter %s is %s", name, vtext);
    if (strcmp(f->type, "histogram") != 0) {
        if (has_le)
            return fault(r, "le on %s, not a histogram", name);
        return true;
    }

    /* Histograms, one series (a set of labels) at a time. */
    if (strcmp(suffix, "_bucket") == 0) {
        if (!has_le)
            return fault(r, "bucket without le");
        double lev;
        if (!value_ok(le, &lev) || isnan(lev))
            return fault(r, "bad le \"%s\"", le);
        if (!r->in_hist || strcmp(r->h.family, f->name) || strcmp(r->h.labels, lab)) {
            if (!hist_end(r))
                return false;
            memset(&r->h, 0, sizeof(r->h));
            snprintf(r->h.family, sizeof(r->h.family), "%s", f->name);
            snprintf(r->h.labels, sizeof(r->h.labels), "%s", lab);
            r->in_hist = true;
        } else if (r->h.inf || r->h.sum || r->h.count) {
            return fault(r, "a bucket after +Inf, _sum or _count");
        } else if (!(lev > r->h.last_le)) {
            return fault(r, "le %s does not grow", le);
        } else if (v < r->h.last_count) {
            return fault(r, "bucket le=%s falls to %s: not cumulative", le, vtext);
        }
        r->h.last_le = lev;
        r->h.last_count = v;
        r->h.buckets++;
        if (isinf(lev))
            r->h.inf = true;
        return true;
    }
    if (has_le)
        return fault(r, "le on %s", name);
    if (!r->in_hist || strcmp(r->h.family, f->name) || strcmp(r->h.labels, lab) || !r->h.inf)
        return fault(r, "%s before its buckets end at +Inf", name);
    if (strcmp(suffix, "_sum") == 0) {
        if (r->h.sum || r->h.count)
            return fault(r, "_sum out of place");
        r->h.sum = true;
        return true;
    }
    if (!r->h.sum)
        return fault(r, "_count before _sum");
    if (v != r->h.last_count)
        return fault(r, "_count %s is not the +Inf bucket's %g", vtext, r->h.last_count);
    r->h.count = true;
    return hist_end(r);
}

bool
promtext_check(const char *text, char *why, size_t why_size)
{
    struct reader r = {.current = -1, .why = why, .why_size = why_size};
    r.series = calloc(MAX_SERIES, sizeof(char *));
    bool ok = true;
    why[0] = '\0';
    const char *p = text;
    if (!*p) {
        ok = fault(&r, "empty");
        goto out;
    }
    while (ok && *p) {
        r.line++;
        const char *nl = strchr(p, '\n');
        if (!nl) {
            ok = fault(&r, "the last line does not end with a new line");
            break;
        }
        size_t n = (size_t)(nl - p);
        char *line = strndup(p, n);
        if (n == 0)
            ok = fault(&r, "an empty line");
        else if (strchr(line, '\r'))
            ok = fault(&r, "a carriage return");
        else if (line[0] == '#')
            ok = comment(&r, line) && (!r.in_hist || hist_end(&r));
        else
            ok = sample(&r, line);
        free(line);
        p = nl + 1;
    }
    if (ok)
        ok = hist_end(&r);
out:
    for (int i = 0; i < r.nseries; i++)
        free(r.series[i]);
    free(r.series);
    return ok;
}

double
promtext_value(const char *text, const char *series)
{
    size_t n = strlen(series);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncmp(p, series, n) == 0 && p[n] == ' ')
            return strtod(p + n + 1, NULL);
    }
    return 0;
}
