/*
 * template.c: the HTML template renderer; see template.h for the syntax.
 *
 * A template is compiled once into a flat array of nodes.  A section's
 * children are the nodes after it up to its `end` index, so rendering is a
 * walk over the array with no allocation but the output.  The context
 * stack lives on the C stack of the rendering thread, which makes a
 * compiled set safe to render from many threads at once.
 *
 * Values are only ever written through html_escape() or, for {{%name}},
 * url_encode(): there is no node kind that copies a value as it is.
 */
#include "web/template.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/die.h"
#include "lib/err.h"
#include "lib/escape.h"
#include "lib/json_path.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

enum { MAX_NESTING = 32, MAX_PARTIAL_DEPTH = 16, MAX_STACK = 64 };

enum node_kind {
    NODE_TEXT,
    NODE_VALUE,    /* {{name}} */
    NODE_URL,      /* {{%name}} */
    NODE_SECTION,  /* {{#name}} */
    NODE_INVERTED, /* {{^name}} */
    NODE_PARTIAL,  /* {{> name}} */
};

struct node {
    enum node_kind kind;
    const char *s; /* text, or the tag's name (NUL-terminated copy) */
    size_t len;
    int end;       /* sections: index of the first node after the section */
    int line;
};

struct template {
    char *name;
    char *names; /* storage of the node names */
    struct node *nodes;
    int count;
    char *src;   /* our copy of the source: text nodes point into it */
};

struct template_set {
    struct template *items;
    int count;
    int cap;
};

static void *
xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        die_oom();
    return p;
}

static char *
xstrndup(const char *s, size_t n)
{
    char *p = xcalloc(n + 1, 1);
    memcpy(p, s, n);
    return p;
}

struct template_set *
template_set_new(void)
{
    return xcalloc(1, sizeof(struct template_set));
}

static void
template_release(struct template *t)
{
    free(t->name);
    free(t->names);
    free(t->nodes);
    free(t->src);
    memset(t, 0, sizeof(*t));
}

void
template_set_free(struct template_set *ts)
{
    if (!ts)
        return;
    for (int i = 0; i < ts->count; i++)
        template_release(&ts->items[i]);
    free(ts->items);
    free(ts);
}

static const struct template *
find(const struct template_set *ts, const char *name)
{
    for (int i = 0; i < ts->count; i++)
        if (strcmp(ts->items[i].name, name) == 0)
            return &ts->items[i];
    return NULL;
}

/* ---- compiling --------------------------------------------------------------- */

static bool
name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.' || c == '@';
}

static int
line_of(const char *src, const char *p)
{
    int line = 1;
    for (const char *q = src; q < p; q++)
        if (*q == '\n')
            line++;
    return line;
}

static int
compile(struct template *t, const char *name, struct err *e)
{
    const char *src = t->src, *p = src;
    size_t len = strlen(src);
    int cap = 16, open[MAX_NESTING], depth = 0;
    size_t names_used = 0;

    /* Names are copied into one buffer no larger than the source. */
    t->names = xcalloc(len + 1, 1);
    t->nodes = xcalloc((size_t)cap, sizeof(*t->nodes));
    t->count = 0;
    while (*p) {
        const char *tag = strstr(p, "{{");
        const char *text_end = tag ? tag : src + len;
        if (t->count + 2 > cap) {
            struct node *n = xcalloc((size_t)cap * 2, sizeof(*n));
            memcpy(n, t->nodes, (size_t)cap * sizeof(*n));
            free(t->nodes);
            t->nodes = n;
            cap *= 2;
        }
        if (text_end > p) {
            struct node *n = &t->nodes[t->count++];
            n->kind = NODE_TEXT;
            n->s = p;
            n->len = (size_t)(text_end - p);
            n->line = line_of(src, p);
        }
        if (!tag)
            break;
        int line = line_of(src, tag);
        const char *close = strstr(tag + 2, "}}");
        if (!close)
            return err_set(e, ERR_INVALID, "error.template", NULL, "%s:%d: unterminated tag",
                           name, line);
        const char *in = tag + 2;
        char sigil = *in;
        enum node_kind kind = NODE_VALUE;
        switch (sigil) {
        case '!':
            p = close + 2;
            continue;
        case '{':
        case '&':
            return err_set(e, ERR_INVALID, "error.template", NULL,
                           "%s:%d: unescaped output ({{{ or {{&) is not allowed", name, line);
        case '#':
            kind = NODE_SECTION;
            in++;
            break;
        case '^':
            kind = NODE_INVERTED;
            in++;
            break;
        case '/':
            in++;
            break;
        case '>':
            kind = NODE_PARTIAL;
            in++;
            break;
        case '%':
            kind = NODE_URL;
            in++;
            break;
        default:
            if (!name_char(sigil) && sigil != ' ')
                return err_set(e, ERR_INVALID, "error.template", NULL, "%s:%d: unknown tag type",
                               name, line);
        }
        while (in < close && *in == ' ')
            in++;
        const char *nend = close;
        while (nend > in && nend[-1] == ' ')
            nend--;
        if (nend == in)
            return err_set(e, ERR_INVALID, "error.template", NULL, "%s:%d: empty tag name", name,
                           line);
        for (const char *c = in; c < nend; c++)
            if (!name_char(*c))
                return err_set(e, ERR_INVALID, "error.template", NULL,
                               "%s:%d: bad character in tag name", name, line);
        size_t nlen = (size_t)(nend - in);
        char *copy = t->names + names_used;
        memcpy(copy, in, nlen);
        copy[nlen] = '\0';
        names_used += nlen + 1;
        p = close + 2;

        if (sigil == '/') {
            if (depth == 0)
                return err_set(e, ERR_INVALID, "error.template", NULL,
                               "%s:%d: {{/%s}} closes no section", name, line, copy);
            struct node *sec = &t->nodes[open[--depth]];
            if (strcmp(sec->s, copy) != 0)
                return err_set(e, ERR_INVALID, "error.template", NULL,
                               "%s:%d: {{/%s}} closes {{#%s}}", name, line, copy, sec->s);
            sec->end = t->count;
            continue;
        }
        struct node *n = &t->nodes[t->count];
        n->kind = kind;
        n->s = copy;
        n->len = nlen;
        n->line = line;
        if (kind == NODE_SECTION || kind == NODE_INVERTED) {
            if (depth == MAX_NESTING)
                return err_set(e, ERR_INVALID, "error.template", NULL,
                               "%s:%d: sections nested deeper than %d", name, line, MAX_NESTING);
            open[depth++] = t->count;
        }
        t->count++;
    }
    if (depth)
        return err_set(e, ERR_INVALID, "error.template", NULL, "%s:%d: {{#%s}} is never closed",
                       name, t->nodes[open[depth - 1]].line, t->nodes[open[depth - 1]].s);
    return 0;
}

int
template_set_add(struct template_set *ts, const char *name, const char *src, size_t len,
                 struct err *e)
{
    struct template t;
    memset(&t, 0, sizeof(t));
    if (memchr(src, '\0', len))
        return err_set(e, ERR_INVALID, "error.template", NULL, "%s: NUL byte in template", name);
    t.src = xstrndup(src, len);
    t.name = xstrndup(name, strlen(name));
    int r = compile(&t, name, e);
    if (r) {
        template_release(&t);
        return r;
    }
    for (int i = 0; i < ts->count; i++) {
        if (strcmp(ts->items[i].name, name) == 0) {
            template_release(&ts->items[i]);
            ts->items[i] = t;
            return 0;
        }
    }
    if (ts->count == ts->cap) {
        int cap = ts->cap ? ts->cap * 2 : 16;
        struct template *items = xcalloc((size_t)cap, sizeof(*items));
        if (ts->count)
            memcpy(items, ts->items, (size_t)ts->count * sizeof(*items));
        free(ts->items);
        ts->items = items;
        ts->cap = cap;
    }
    ts->items[ts->count++] = t;
    return 0;
}

int
template_set_check(const struct template_set *ts, struct err *e)
{
    for (int i = 0; i < ts->count; i++) {
        const struct template *t = &ts->items[i];
        for (int j = 0; j < t->count; j++)
            if (t->nodes[j].kind == NODE_PARTIAL && !find(ts, t->nodes[j].s))
                return err_set(e, ERR_INVALID, "error.template", NULL,
                               "%s:%d: no template named %s", t->name, t->nodes[j].line,
                               t->nodes[j].s);
    }
    return 0;
}

/* ---- rendering ----------------------------------------------------------------- */

struct frame {
    json_t *value;
    int index; /* position in the array being iterated, or -1 */
};

struct render {
    const struct template_set *ts;
    struct frame stack[MAX_STACK];
    int depth;
    int partials;
    struct strbuf *out;
    struct err *e;
    const char *template_name;
};

/* Resolve a name against the context stack; NULL when missing.  Integers
 * for @index/@number are returned through *number. */
static json_t *
lookup(struct render *r, const char *name, bool *is_number, json_int_t *number)
{
    *is_number = false;
    if (strcmp(name, ".") == 0)
        return r->stack[r->depth - 1].value;
    if (name[0] == '@') {
        for (int i = r->depth - 1; i >= 0; i--) {
            if (r->stack[i].index >= 0) {
                *is_number = true;
                *number = r->stack[i].index + (strcmp(name, "@number") == 0 ? 1 : 0);
                return NULL;
            }
        }
        return NULL;
    }
    /* The first part is looked up from the top of the stack down; the
     * rest of a dotted name only inside what the first part found. */
    char first[64];
    const char *dot = strchr(name, '.');
    size_t n = dot ? (size_t)(dot - name) : strlen(name);
    if (n >= sizeof(first))
        return NULL;
    memcpy(first, name, n);
    first[n] = '\0';
    json_t *v = NULL;
    for (int i = r->depth - 1; i >= 0 && !v; i--)
        if (json_is_object(r->stack[i].value))
            v = json_object_get(r->stack[i].value, first);
    return v && dot ? json_path_get(v, dot + 1) : v;
}

static bool
truthy(json_t *v)
{
    if (!v)
        return false;
    switch (json_typeof(v)) {
    case JSON_NULL:
    case JSON_FALSE:
        return false;
    case JSON_STRING:
        return json_string_length(v) > 0;
    case JSON_INTEGER:
        return json_integer_value(v) != 0;
    case JSON_REAL:
        return json_real_value(v) != 0.0;
    case JSON_ARRAY:
        return json_array_size(v) > 0;
    case JSON_OBJECT:
        return json_object_size(v) > 0;
    default:
        return true;
    }
}

static int
emit(struct render *r, const struct node *n)
{
    bool is_number;
    json_int_t number = 0;
    json_t *v = lookup(r, n->s, &is_number, &number);
    char buf[64];
    const char *s = NULL;
    size_t len = 0;

    if (is_number) {
        len = (size_t)snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, number);
        s = buf;
    } else if (!v || json_is_null(v)) {
        return 0;
    } else if (json_is_string(v)) {
        s = json_string_value(v);
        len = json_string_length(v);
    } else if (json_is_integer(v)) {
        len = (size_t)snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        s = buf;
    } else if (json_is_real(v)) {
        len = (size_t)snprintf(buf, sizeof(buf), "%g", json_real_value(v));
        s = buf;
    } else if (json_is_boolean(v)) {
        s = json_is_true(v) ? "true" : "false";
        len = strlen(s);
    } else {
        return err_set(r->e, ERR_INVALID, "error.template", NULL,
                       "%s:%d: {{%s}} is an object or array", r->template_name, n->line, n->s);
    }
    if (n->kind == NODE_URL) {
        struct strbuf enc;
        sb_init(&enc, NULL);
        url_encode(&enc, s, len);
        html_escape(r->out, enc.buf, enc.len);
        sb_release(&enc);
    } else {
        html_escape(r->out, s, len);
    }
    return 0;
}

static int render_nodes(struct render *r, const struct template *t, int from, int to);

static int
push(struct render *r, json_t *v, int index, const struct node *n)
{
    if (r->depth == MAX_STACK)
        return err_set(r->e, ERR_INVALID, "error.template", NULL, "%s:%d: context too deep",
                       r->template_name, n->line);
    r->stack[r->depth].value = v;
    r->stack[r->depth].index = index;
    r->depth++;
    return 0;
}

static int
render_section(struct render *r, const struct template *t, int i)
{
    const struct node *n = &t->nodes[i];
    bool is_number;
    json_int_t number;
    json_t *v = lookup(r, n->s, &is_number, &number);
    bool on = is_number ? true : truthy(v);
    int rc;

    if (n->kind == NODE_INVERTED)
        return on ? 0 : render_nodes(r, t, i + 1, n->end);
    if (!on)
        return 0;
    if (json_is_array(v)) {
        size_t k;
        json_t *item;
        json_array_foreach(v, k, item)
        {
            if ((rc = push(r, item, (int)k, n)))
                return rc;
            rc = render_nodes(r, t, i + 1, n->end);
            r->depth--;
            if (rc)
                return rc;
        }
        return 0;
    }
    if (json_is_object(v)) {
        if ((rc = push(r, v, -1, n)))
            return rc;
        rc = render_nodes(r, t, i + 1, n->end);
        r->depth--;
        return rc;
    }
    return render_nodes(r, t, i + 1, n->end);
}

static int
render_nodes(struct render *r, const struct template *t, int from, int to)
{
    int rc;
    for (int i = from; i < to;) {
        const struct node *n = &t->nodes[i];
        switch (n->kind) {
        case NODE_TEXT:
            sb_add(r->out, n->s, n->len);
            i++;
            break;
        case NODE_VALUE:
        case NODE_URL:
            if ((rc = emit(r, n)))
                return rc;
            i++;
            break;
        case NODE_SECTION:
        case NODE_INVERTED:
            if ((rc = render_section(r, t, i)))
                return rc;
            i = n->end;
            break;
        case NODE_PARTIAL: {
            const struct template *p = find(r->ts, n->s);
            if (!p)
                return err_set(r->e, ERR_NOT_FOUND, "error.template", NULL,
                               "%s:%d: no template named %s", t->name, n->line, n->s);
            if (r->partials == MAX_PARTIAL_DEPTH)
                return err_set(r->e, ERR_INVALID, "error.template", NULL,
                               "%s:%d: partials nested deeper than %d", t->name, n->line,
                               MAX_PARTIAL_DEPTH);
            const char *outer = r->template_name;
            r->partials++;
            r->template_name = p->name;
            rc = render_nodes(r, p, 0, p->count);
            r->template_name = outer;
            r->partials--;
            if (rc)
                return rc;
            i++;
            break;
        }
        }
    }
    return 0;
}

int
template_render(const struct template_set *ts, const char *name, json_t *ctx, struct strbuf *out,
                struct err *e)
{
    const struct template *t = find(ts, name);
    if (!t)
        return err_set(e, ERR_NOT_FOUND, "error.template", NULL, "no template named %s", name);
    struct render r;
    memset(&r, 0, sizeof(r));
    r.ts = ts;
    r.out = out;
    r.e = e;
    r.template_name = t->name;
    r.stack[0].value = ctx;
    r.stack[0].index = -1;
    r.depth = 1;
    return render_nodes(&r, t, 0, t->count);
}
