/*
 * json_path.c: dotted-path look-up in jansson objects; see json_path.h.
 */
#include "lib/json_path.h"

#include <string.h>

#include "lib/banned.h"

json_t *
json_path_get(json_t *root, const char *path)
{
    char part[64];
    json_t *v = root;
    const char *p = path;
    while (v && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof(part))
            return NULL;
        memcpy(part, p, n);
        part[n] = '\0';
        v = json_object_get(v, part);
        p += n + (dot ? 1 : 0);
    }
    return v;
}
