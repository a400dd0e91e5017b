/*
 * template.h: HTML templates that escape every value by construction.
 *
 * The syntax is a subset of Mustache, looked up in a jansson context:
 *
 *   {{name}}  {{a.b.c}}  {{.}}   the value, HTML-escaped (& < > " ' all
 *                                 become references).  Strings as they are,
 *                                 integers in decimal, reals with %g, true
 *                                 and false as words, null or missing as
 *                                 nothing.  Objects and arrays: an error.
 *   {{%name}}                    the value percent-encoded for a URL path
 *                                 segment or query value (then HTML-safe).
 *   {{#name}}...{{/name}}        a section: once per element of an array
 *                                 (the element on top of the context
 *                                 stack), once with an object pushed, once
 *                                 for any other truthy value.  Falsy: null,
 *                                 missing, false, "", 0, 0.0, [] and {}.
 *   {{^name}}...{{/name}}        rendered only when name is falsy.
 *   {{> partial}}                another template of the same set, with the
 *                                 same context stack.
 *   {{! comment }}               nothing.
 *
 * There is no way to emit an unescaped value: "{{{" and "{{&" are
 * compile errors.  Names are looked up from the top of the context stack
 * down (Mustache rules); a dotted name resolves its first part that way,
 * the rest inside it.  Inside a section over an array, {{@index}} is the
 * 0-based and {{@number}} the 1-based position of the element.
 *
 * Templates are compiled once at start-up; a compiled set is read-only
 * and may be rendered from many threads at once.
 */
#ifndef PETITIOND_TEMPLATE_H
#define PETITIOND_TEMPLATE_H

#include <jansson.h>
#include <stddef.h>

struct err;
struct strbuf;
struct template_set;

/* An empty set.  The caller owns it; free with template_set_free(). */
struct template_set *template_set_new(void);

void template_set_free(struct template_set *ts);

/*
 * Compile the template src (len bytes) under name (copied), replacing
 * any template of that name.  Returns 0, or ERR_INVALID with a log text
 * "NAME:LINE: what is wrong" (unbalanced or mismatched sections, unknown
 * tag type, unterminated tag, triple mustache, empty name, nesting
 * deeper than 32).
 */
int template_set_add(struct template_set *ts, const char *name, const char *src, size_t len,
                     struct err *e);

/* Check that every {{> partial}} names a template of the set.  Returns 0
 * or ERR_INVALID naming the first missing one. */
int template_set_check(const struct template_set *ts, struct err *e);

/*
 * Render template name with ctx (borrowed; not modified) at the end of
 * out.  Returns 0, ERR_NOT_FOUND for an unknown template, or ERR_INVALID
 * when a {{value}} is an object or array, or partials recurse deeper
 * than 16.  On error out may hold a partial rendering: discard it.
 */
int template_render(const struct template_set *ts, const char *name, json_t *ctx,
                    struct strbuf *out, struct err *e);

#endif
