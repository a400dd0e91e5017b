/*
 * template.c: the HTML template renderer; see template.h for the syntax.
 *
 * A template is compiled once, at start-up, into a flat array of nodes:
 * runs of literal text, and tags (value, URL value, section, inverted
 * section, partial) whose names are checked while compiling.  A section's
 * body is the nodes after it up to its `end` index, so rendering is a walk
 * over the array that allocates nothing but the output.  The context stack
 * lives in a local array on the rendering thread's C stack and nothing in
 * the set is written while rendering, so one compiled set serves many
 * threads at once.
 *
 * Values are only ever written through html_escape() or, for {{%name}},
 * url_encode(): there is no node kind that copies a value as it is, and
 * the compiler refuses the Mustache forms that would ({{{name}}} and
 * {{&name}}).  Literal text is the only thing copied unchanged, and it
 * comes from our own template files.
 *
 * Memory: the set owns everything it holds (its array of templates, and
 * for each template four heap blocks: its name, its source, its node
 * array and its tag names); a failed allocation aborts through die_oom().
 */
#include "lib/template.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/die.h"
#include "lib/err.h"
#include "lib/escape.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

enum {
    TEMPLATE_MAX_NESTING = 32,  /* sections open at once, and context frames pushed */
    TEMPLATE_MAX_PARTIALS = 16, /* partials inside partials while rendering */
};

enum node_kind {
    NODE_TEXT,     /* literal bytes of the template */
    NODE_VALUE,    /* {{name}} */
    NODE_URL,      /* {{%name}} */
    NODE_SECTION,  /* {{#name}}...{{/name}} */
    NODE_INVERTED, /* {{^name}}...{{/name}} */
    NODE_PARTIAL,  /* {{> name}} */
};

/* What a tag's name refers to, decided once while compiling. */
enum name_kind {
    NAME_PATH,   /* name or a.b.c: looked up in the context stack */
    NAME_DOT,    /* {{.}}: the top of the context stack */
    NAME_INDEX,  /* {{@index}}: 0-based position in the nearest array */
    NAME_NUMBER, /* {{@number}}: 1-based position in the nearest array */
};

struct node {
    enum node_kind kind;
    enum name_kind name_kind;
    const char *s; /* the text (not NUL-terminated), or the tag's name (NUL-terminated) */
    size_t len;    /* bytes at s, without the NUL of a name */
    size_t end;    /* sections: index of the first node after {{/name}} */
    int line;      /* 1-based line of the tag, for error messages */
};

struct compiled_template {
    char *name;
    char *src;   /* our copy of the source: text nodes point into it */
    char *names; /* the tags' names, each NUL-terminated: tag nodes point into it */
    struct node *nodes;
    size_t count;
    size_t cap;
};

struct template_set {
    struct compiled_template *items;
    size_t count;
    size_t cap;
    bool plain; /* plain text (e-mail): values as they are */
};

static void *
xrealloc(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        die_oom();
    size_t bytes = n * size;
    p = realloc(p, bytes > 0 ? bytes : 1);
    if (!p)
        die_oom();
    return p;
}

static char *
xmemdup0(const char *s, size_t len)
{
    char *p = xrealloc(NULL, len + 1, 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

struct template_set *
template_set_new(void)
{
    struct template_set *ts = xrealloc(NULL, 1, sizeof(*ts));
    memset(ts, 0, sizeof(*ts));
    return ts;
}

struct template_set *
template_set_new_plain(void)
{
    struct template_set *ts = template_set_new();
    ts->plain = true;
    return ts;
}

static void
template_release(struct compiled_template *t)
{
    free(t->name);
    free(t->src);
    free(t->names);
    free(t->nodes);
    memset(t, 0, sizeof(*t));
}

void
template_set_free(struct template_set *ts)
{
    if (!ts)
        return;
    for (size_t i = 0; i < ts->count; i++)
        template_release(&ts->items[i]);
    free(ts->items);
    free(ts);
}

static const struct compiled_template *
template_find(const struct template_set *ts, const char *name)
{
    for (size_t i = 0; i < ts->count; i++)
        if (strcmp(ts->items[i].name, name) == 0)
            return &ts->items[i];
    return NULL;
}

/* ---- compiling -------------------------------------------------------------- */

static bool
name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == '@';
}

static int
count_lines(const char *p, const char *end)
{
    int n = 0;
    for (; p < end; p++)
        if (*p == '\n')
            n++;
    return n;
}

/* The first "cc" in [p, end), or NULL. */
static const char *
find_pair(const char *p, const char *end, char c)
{
    for (; end - p >= 2; p++)
        if (p[0] == c && p[1] == c)
            return p;
    return NULL;
}

static struct node *
node_append(struct compiled_template *t)
{
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 32;
        t->nodes = xrealloc(t->nodes, t->cap, sizeof(*t->nodes));
    }
    struct node *n = &t->nodes[t->count++];
    memset(n, 0, sizeof(*n));
    return n;
}

/*
 * Decide what a value or section name refers to.  Returns false for a
 * name that could never be found: an empty part ("a..b", ".a", "a."), or
 * '@' anywhere but in the whole names @index and @number.
 */
static bool
classify_name(const char *name, size_t len, enum name_kind *kind)
{
    if (len == 1 && name[0] == '.') {
        *kind = NAME_DOT;
        return true;
    }
    if (strcmp(name, "@index") == 0) {
        *kind = NAME_INDEX;
        return true;
    }
    if (strcmp(name, "@number") == 0) {
        *kind = NAME_NUMBER;
        return true;
    }
    if (name[0] == '.' || name[len - 1] == '.' || strstr(name, "..") || memchr(name, '@', len))
        return false;
    *kind = NAME_PATH;
    return true;
}

/*
 * Compile t->src (t->len bytes, no NUL among them) into t->nodes.  On
 * error the caller releases t.
 */
static int
compile(struct compiled_template *t, size_t len, struct err *e)
{
    const char *src = t->src, *end = src + len, *p = src;
    size_t open[TEMPLATE_MAX_NESTING];
    size_t names_used = 0;
    int depth = 0, line = 1;

    /*
     * Every tag spends at least four bytes of source on its braces, so its
     * name and NUL always fit in a buffer as long as the source.
     */
    t->names = xrealloc(NULL, len + 1, 1);
    while (p < end) {
        const char *tag = find_pair(p, end, '{');
        const char *text_end = tag ? tag : end;

        if (text_end > p) {
            struct node *n = node_append(t);
            n->kind = NODE_TEXT;
            n->s = p;
            n->len = (size_t)(text_end - p);
            n->line = line;
            line += count_lines(p, text_end);
        }
        if (!tag)
            break;

        const char *in = tag + 2;
        const char *close = find_pair(in, end, '}');
        if (!close || find_pair(in, close, '{'))
            return err_set(e, ERR_INVALID, "error.template", NULL,
                           "%s:%d: unterminated tag (no }} before the next {{ or the end)", t->name,
                           line);
        int tag_line = line;
        line += count_lines(tag, close);
        p = close + 2;

        char sigil = *in;
        enum node_kind kind = NODE_VALUE;
        switch (sigil) {
        case '!':
            continue;
        case '{':
        case '&':
            return err_set(e, ERR_INVALID, "error.template", NULL,
                           "%s:%d: {{%c is unescaped output, which templates cannot write", t->name,
                           tag_line, sigil);
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
            if (sigil != ' ' && sigil != '}' && !name_char(sigil))
                return err_set(e, ERR_INVALID, "error.template", NULL,
                               "%s:%d: unknown tag type {{%c", t->name, tag_line, sigil);
        }

        /* The name, without the spaces around it. */
        const char *nend = close;
        while (in < nend && *in == ' ')
            in++;
        while (nend > in && nend[-1] == ' ')
            nend--;
        if (nend == in)
            return err_set(e, ERR_INVALID, "error.template", NULL, "%s:%d: empty tag name", t->name,
                           tag_line);
        for (const char *c = in; c < nend; c++)
            if (!name_char(*c))
                return err_set(e, ERR_INVALID, "error.template", NULL,
                               "%s:%d: bad character '%c' in tag name", t->name, tag_line, *c);
        size_t nlen = (size_t)(nend - in);
        char *name = t->names + names_used;
        memcpy(name, in, nlen);
        name[nlen] = '\0';
        names_used += nlen + 1;

        enum name_kind name_kind = NAME_PATH;
        if (kind != NODE_PARTIAL && !classify_name(name, nlen, &name_kind))
            return err_set(e, ERR_INVALID, "error.template", NULL, "%s:%d: bad tag name %s",
                           t->name, tag_line, name);

        if (sigil == '/') {
            if (depth == 0)
                return err_set(e, ERR_INVALID, "error.template", NULL,
                               "%s:%d: {{/%s}} closes no section", t->name, tag_line, name);
            struct node *sec = &t->nodes[open[--depth]];
            if (strcmp(sec->s, name) != 0)
                return err_set(e, ERR_INVALID, "error.template", NULL,
                               "%s:%d: {{/%s}} closes {{%c%s}} of line %d", t->name, tag_line, name,
                               sec->kind == NODE_SECTION ? '#' : '^', sec->s, sec->line);
            sec->end = t->count;
            continue;
        }
        if ((kind == NODE_SECTION || kind == NODE_INVERTED) && depth == TEMPLATE_MAX_NESTING)
            return err_set(e, ERR_INVALID, "error.template", NULL,
                           "%s:%d: sections nested deeper than %d", t->name, tag_line,
                           TEMPLATE_MAX_NESTING);

        struct node *n = node_append(t);
        n->kind = kind;
        n->name_kind = name_kind;
        n->s = name;
        n->len = nlen;
        n->line = tag_line;
        if (kind == NODE_SECTION || kind == NODE_INVERTED)
            open[depth++] = t->count - 1;
    }
    if (depth) {
        const struct node *sec = &t->nodes[open[depth - 1]];
        return err_set(e, ERR_INVALID, "error.template", NULL, "%s:%d: {{%c%s}} is never closed",
                       t->name, sec->line, sec->kind == NODE_SECTION ? '#' : '^', sec->s);
    }
    return 0;
}

int
template_set_add(struct template_set *ts, const char *name, const char *src, size_t len,
                 struct err *e)
{
    struct compiled_template t;
    const char *nul = len ? memchr(src, '\0', len) : NULL;
    int r;

    memset(&t, 0, sizeof(t));
    if (nul)
        return err_set(e, ERR_INVALID, "error.template", NULL, "%s:%d: NUL byte in template", name,
                       1 + count_lines(src, nul));
    t.name = xmemdup0(name, strlen(name));
    t.src = xmemdup0(src, len);
    if ((r = compile(&t, len, e)))
        goto fail;

    for (size_t i = 0; i < ts->count; i++) {
        if (strcmp(ts->items[i].name, name) == 0) {
            template_release(&ts->items[i]);
            ts->items[i] = t;
            return 0;
        }
    }
    if (ts->count == ts->cap) {
        ts->cap = ts->cap ? ts->cap * 2 : 16;
        ts->items = xrealloc(ts->items, ts->cap, sizeof(*ts->items));
    }
    ts->items[ts->count++] = t;
    return 0;

fail:
    template_release(&t);
    return r;
}

int
template_set_check(const struct template_set *ts, struct err *e)
{
    for (size_t i = 0; i < ts->count; i++) {
        const struct compiled_template *t = &ts->items[i];
        for (size_t j = 0; j < t->count; j++) {
            const struct node *n = &t->nodes[j];
            if (n->kind == NODE_PARTIAL && !template_find(ts, n->s))
                return err_set(e, ERR_INVALID, "error.template", NULL,
                               "%s:%d: {{> %s}} names no template of the set", t->name, n->line,
                               n->s);
        }
    }
    return 0;
}

/* ---- rendering -------------------------------------------------------------- */

struct frame {
    json_t *value;
    size_t index; /* position in the array the value is an element of */
    bool in_array;
};

/*
 * One rendering: lives on the caller's stack, so threads share nothing
 * but the (read-only) set and context.  stack[0] is the context given to
 * template_render(); each section over an array element, an object or a
 * scalar pushes one frame.
 */
struct render {
    const struct template_set *ts;
    struct strbuf *out;
    struct err *e;
    struct frame stack[1 + TEMPLATE_MAX_NESTING];
    int depth;
    int partials;
};

/* What a name resolved to: a JSON value (NULL when missing), or a position. */
struct value {
    json_t *json;
    bool is_position;
    json_int_t position;
};

/* Look part (len bytes) up in v when v is an object; NULL otherwise. */
static json_t *
object_part(json_t *v, const char *part, size_t len)
{
    return json_is_object(v) ? json_object_getn(v, part, len) : NULL;
}

/*
 * Resolve n's name.  A name's first part is looked up from the top of the
 * stack down, in the objects there; once found, the rest of a dotted name
 * is looked up only inside it (it never falls back to outer frames).
 */
static struct value
lookup(const struct render *r, const struct node *n)
{
    struct value v = {NULL, false, 0};

    switch (n->name_kind) {
    case NAME_DOT:
        v.json = r->stack[r->depth - 1].value;
        return v;
    case NAME_INDEX:
    case NAME_NUMBER:
        for (int i = r->depth - 1; i >= 0; i--) {
            if (r->stack[i].in_array) {
                v.is_position = true;
                v.position = (json_int_t)r->stack[i].index + (n->name_kind == NAME_NUMBER);
                break;
            }
        }
        return v;
    case NAME_PATH:
        break;
    }

    const char *part = n->s, *dot = memchr(part, '.', n->len);
    size_t plen = dot ? (size_t)(dot - part) : n->len;
    for (int i = r->depth - 1; i >= 0 && !v.json; i--)
        v.json = object_part(r->stack[i].value, part, plen);
    while (v.json && dot) {
        part = dot + 1;
        dot = memchr(part, '.', n->len - (size_t)(part - n->s));
        plen = dot ? (size_t)(dot - part) : n->len - (size_t)(part - n->s);
        v.json = object_part(v.json, part, plen);
    }
    return v;
}

static bool
truthy(const struct value *v)
{
    if (v->is_position)
        return v->position != 0;
    if (!v->json)
        return false;
    switch (json_typeof(v->json)) {
    case JSON_NULL:
    case JSON_FALSE:
        return false;
    case JSON_STRING:
        return json_string_length(v->json) > 0;
    case JSON_INTEGER:
        return json_integer_value(v->json) != 0;
    case JSON_REAL:
        return json_real_value(v->json) != 0.0;
    case JSON_ARRAY:
        return json_array_size(v->json) > 0;
    case JSON_OBJECT:
        return json_object_size(v->json) > 0;
    case JSON_TRUE:
        break;
    }
    return true;
}

/*
 * The text of a scalar: *s points into v's string or into buf (size
 * bytes, enough for any number).  Missing and null are the empty text.
 * Returns false for an object or an array, which have no text.
 */
static bool
value_text(const struct value *v, char *buf, size_t size, const char **s, size_t *len)
{
    int w = 0;

    *s = buf;
    buf[0] = '\0';
    if (v->is_position) {
        w = snprintf(buf, size, "%" JSON_INTEGER_FORMAT, v->position);
    } else if (v->json) {
        switch (json_typeof(v->json)) {
        case JSON_STRING:
            *s = json_string_value(v->json);
            *len = json_string_length(v->json);
            return true;
        case JSON_INTEGER:
            w = snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v->json));
            break;
        case JSON_REAL:
            w = snprintf(buf, size, "%g", json_real_value(v->json));
            break;
        case JSON_TRUE:
            w = snprintf(buf, size, "true");
            break;
        case JSON_FALSE:
            w = snprintf(buf, size, "false");
            break;
        case JSON_NULL:
            break;
        case JSON_OBJECT:
        case JSON_ARRAY:
            return false;
        }
    }
    *len = w > 0 ? (size_t)w : 0;
    return true;
}

/* Write the value of {{name}} or {{%name}}. */
static int
emit(struct render *r, const struct compiled_template *t, const struct node *n)
{
    struct value v = lookup(r, n);
    char buf[64];
    const char *s;
    size_t len;

    if (!value_text(&v, buf, sizeof(buf), &s, &len))
        return err_set(r->e, ERR_INVALID, "error.template", NULL,
                       "%s:%d: {{%s%s}} is an %s, which has no text", t->name, n->line,
                       n->kind == NODE_URL ? "%" : "", n->s,
                       json_is_object(v.json) ? "object" : "array");
    /*
     * url_encode() writes only A-Z a-z 0-9 - . _ ~ and %XX, none of which
     * means anything to HTML, so its output is HTML-safe as it stands.
     */
    if (n->kind == NODE_URL)
        url_encode(r->out, s, len);
    else if (r->ts->plain)
        sb_add(r->out, s, len);
    else
        html_escape(r->out, s, len);
    return 0;
}

static int render_nodes(struct render *r, const struct compiled_template *t, size_t from,
                        size_t to);

/* Render the body of section t->nodes[i] once with v on top of the stack. */
static int
render_with(struct render *r, const struct compiled_template *t, size_t i, json_t *v, bool in_array,
            size_t index)
{
    const struct node *n = &t->nodes[i];
    int rc;

    if (r->depth == 1 + TEMPLATE_MAX_NESTING)
        return err_set(r->e, ERR_INVALID, "error.template", NULL,
                       "%s:%d: {{#%s}} nests the context deeper than %d", t->name, n->line, n->s,
                       TEMPLATE_MAX_NESTING);
    r->stack[r->depth].value = v;
    r->stack[r->depth].index = index;
    r->stack[r->depth].in_array = in_array;
    r->depth++;
    rc = render_nodes(r, t, i + 1, n->end);
    r->depth--;
    return rc;
}

static int
render_section(struct render *r, const struct compiled_template *t, size_t i)
{
    const struct node *n = &t->nodes[i];
    struct value v = lookup(r, n);
    bool on = truthy(&v);
    int rc;

    if (n->kind == NODE_INVERTED)
        return on ? 0 : render_nodes(r, t, i + 1, n->end);
    if (!on)
        return 0;
    /* {{#@index}}: a number, not a JSON value; nothing to push. */
    if (v.is_position)
        return render_nodes(r, t, i + 1, n->end);
    if (json_is_array(v.json)) {
        size_t k;
        json_t *item;
        json_array_foreach(v.json, k, item)
        {
            if ((rc = render_with(r, t, i, item, true, k)))
                return rc;
        }
        return 0;
    }
    /* An object, or a truthy scalar (so {{.}} is the value, as in Mustache). */
    return render_with(r, t, i, v.json, false, 0);
}

static int
render_partial(struct render *r, const struct compiled_template *t, const struct node *n)
{
    const struct compiled_template *p = template_find(r->ts, n->s);
    int rc;

    if (!p)
        return err_set(r->e, ERR_NOT_FOUND, "error.template", NULL,
                       "%s:%d: {{> %s}} names no template of the set", t->name, n->line, n->s);
    if (r->partials == TEMPLATE_MAX_PARTIALS)
        return err_set(r->e, ERR_INVALID, "error.template", NULL,
                       "%s:%d: {{> %s}} nests partials deeper than %d", t->name, n->line, n->s,
                       TEMPLATE_MAX_PARTIALS);
    r->partials++;
    rc = render_nodes(r, p, 0, p->count);
    r->partials--;
    return rc;
}

static int
render_nodes(struct render *r, const struct compiled_template *t, size_t from, size_t to)
{
    int rc;

    for (size_t i = from; i < to;) {
        const struct node *n = &t->nodes[i];
        /* The output is lost anyway: stop early. */
        if (sb_failed(r->out))
            return 0;
        switch (n->kind) {
        case NODE_TEXT:
            sb_add(r->out, n->s, n->len);
            i++;
            break;
        case NODE_VALUE:
        case NODE_URL:
            if ((rc = emit(r, t, n)))
                return rc;
            i++;
            break;
        case NODE_SECTION:
        case NODE_INVERTED:
            if ((rc = render_section(r, t, i)))
                return rc;
            i = n->end;
            break;
        case NODE_PARTIAL:
            if ((rc = render_partial(r, t, n)))
                return rc;
            i++;
            break;
        }
    }
    return 0;
}

int
template_render(const struct template_set *ts, const char *name, json_t *ctx, struct strbuf *out,
                struct err *e)
{
    const struct compiled_template *t = template_find(ts, name);
    struct render r;
    int rc;

    if (!t)
        return err_set(e, ERR_NOT_FOUND, "error.template", NULL, "no template named %s", name);
    memset(&r, 0, sizeof(r));
    r.ts = ts;
    r.out = out;
    r.e = e;
    r.stack[0].value = ctx;
    r.depth = 1;
    if ((rc = render_nodes(&r, t, 0, t->count)))
        return rc;
    if (sb_failed(out))
        return err_set(e, ERR_INTERNAL, "error.template", NULL,
                       "%s: the output failed (over its size limit)", name);
    return 0;
}
