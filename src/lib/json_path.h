/*
 * json_path.h: reading a jansson value by a dotted path ("nav.home"), as
 * message keys, template names and the jurisdiction file's fields are
 * written.
 */
#ifndef PETITIOND_JSON_PATH_H
#define PETITIOND_JSON_PATH_H

#include <jansson.h>

/* The value at path under root (borrowed), or NULL when any step is
 * missing, not an object, or longer than 63 bytes. */
json_t *json_path_get(json_t *root, const char *path);

#endif
