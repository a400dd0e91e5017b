/*
 * embed.c: look-up in the table of embedded files; see embed.h.
 */
#include "lib/embed.h"

#include <string.h>

#include "lib/banned.h"

const struct embedded_file *
embed_find(const char *path)
{
    for (const struct embedded_file *f = embedded_files; f->path; f++)
        if (strcmp(f->path, path) == 0)
            return f;
    return NULL;
}
