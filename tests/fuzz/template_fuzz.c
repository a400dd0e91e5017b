/*
 * template_fuzz.c: libFuzzer target for the template compiler and
 * renderer (src/lib/template.c).
 *
 * The input is a template's source.  It is compiled into a set beside a
 * partial, checked, and rendered with a context whose every string is
 * markup.  Invariant: escaping by construction; when the source holds
 * no '<' or '>', neither does the rendering, whatever the template
 * does with the values.
 */
#include <assert.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/template.h"
#include "lib/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static json_t *ctx;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx) {
        json_error_t je;
        /* Arrays of one element: sections nested 32 deep stay linear. */
        ctx = json_loads("{\"x\": \"<b>&\\\"'\", \"items\": [{\"x\": \"<i>\", \"y\": 2}],"
                         " \"n\": 3, \"r\": 1.5, \"t\": true, \"f\": false, \"z\": null,"
                         " \"o\": {\"x\": \"<o>\", \"a\": {\"b\": \"<ab>\"}}, \"e\": []}",
                         0, &je);
        assert(ctx);
    }
    const char *src = (const char *)data;
    struct err e = ERR_INIT;
    struct template_set *ts = template_set_new();
    const char partial[] = "<p>{{x}}</p>";
    assert(template_set_add(ts, "p", partial, strlen(partial), &e) == 0);
    if (template_set_add(ts, "t", src, size, &e) == 0 && template_set_check(ts, &e) == 0) {
        struct strbuf out;
        sb_init(&out, NULL);
        sb_set_max(&out, 1 << 20);
        /* No '>' in the source: no partial either ({{> p}}). */
        if (template_render(ts, "t", ctx, &out, &e) == 0 && out.len > 0 &&
            !memchr(src, '<', size) && !memchr(src, '>', size)) {
            assert(!memchr(out.buf, '<', out.len) && !memchr(out.buf, '>', out.len));
        }
        sb_release(&out);
    }
    template_set_free(ts);
    return 0;
}
