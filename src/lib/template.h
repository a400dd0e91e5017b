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
 *                                 with any other truthy value pushed (so
 *                                 {{.}} is that value).  Falsy: null,
 *                                 missing, false, "", 0, 0.0, [] and {}.
 *   {{^name}}...{{/name}}        rendered only when name is falsy.
 *   {{> partial}}                another template of the same set, with the
 *                                 same context stack.
 *   {{! comment }}               nothing (it ends at the first "}}").
 *
 * There is no way to emit an unescaped value: "{{{" and "{{&" are
 * compile errors.  A tag's name may have spaces around it ({{# items }});
 * it is made of letters, digits and _ - . @, and is ".", "@index",
 * "@number" or non-empty parts joined by single dots.  Names are looked
 * up from the top of the context stack down, in the objects there
 * (Mustache rules); a dotted name resolves its first part that way and
 * the rest only inside what that found (no falling back).  Inside a
 * section over an array, {{@index}} is the 0-based and {{@number}} the
 * 1-based position of the element of the innermost such array (outside
 * one they are missing); as section names they are numbers, so
 * {{^@index}}...{{/@index}} renders for the first element only.
 * Everything outside tags is copied as it is, newlines included (no
 * Mustache "standalone line" trimming); there are no delimiter changes.
 *
 * Limits: sections nest at most 32 deep in one template; while rendering,
 * at most 32 frames are pushed on the context stack (across partials) and
 * partials nest at most 16 deep.
 *
 * Templates are compiled once at start-up (template_set_add and
 * template_set_check are not thread-safe); a compiled set is then
 * read-only and may be rendered from many threads at once.
 */
#ifndef PETITIOND_TEMPLATE_H
#define PETITIOND_TEMPLATE_H

#include <jansson.h>
#include <stddef.h>

struct err;
struct strbuf;
struct template_set;

/* An empty set.  The caller owns it; free with template_set_free().  Aborts
 * (die_oom) when memory runs out, as every function here does. */
struct template_set *template_set_new(void);

/* An empty set for plain text (e-mail bodies): {{name}} writes the value
 * as it is, not HTML-escaped.  Never use it for anything a browser
 * reads. */
struct template_set *template_set_new_plain(void);

/* Free ts and every template in it; ts may be NULL. */
void template_set_free(struct template_set *ts);

/*
 * Compile the template src (len bytes, copied) under name (copied),
 * replacing any template of that name.  Returns 0, or ERR_INVALID with
 * the key "error.template" and a log text "NAME:LINE: what is wrong"
 * (unbalanced or mismatched sections, unknown tag type, unterminated
 * tag, triple mustache or {{&, empty or malformed name, nesting deeper
 * than 32, a NUL byte); the set is then unchanged.  Partials are not
 * looked up here: call template_set_check() once every template is in.
 */
int template_set_add(struct template_set *ts, const char *name, const char *src, size_t len,
                     struct err *e);

/* Check that every {{> partial}} names a template of the set.  Returns 0
 * or ERR_INVALID naming the first missing one. */
int template_set_check(const struct template_set *ts, struct err *e);

/*
 * Render template name with ctx (borrowed; not modified) at the end of
 * out.  Safe to call from many threads at once on one set.  Returns 0;
 * ERR_NOT_FOUND for an unknown template (or a {{> partial}} missing
 * because template_set_check() was not called); ERR_INVALID when a
 * {{value}} is an object or array, partials recurse deeper than 16 or
 * the context stack grows deeper than 32; or ERR_INTERNAL when out has
 * failed (sb_failed(), e.g. over its sb_set_max() limit).  Errors carry
 * the key "error.template".  On error out may hold a partial rendering:
 * discard it.
 */
int template_render(const struct template_set *ts, const char *name, json_t *ctx,
                    struct strbuf *out, struct err *e);

#endif
