/*
 * embed.h: files compiled into the binary.
 *
 * The build turns templates/, static/, data/ and sql/ into a table of
 * byte arrays (tools/embed.c writes build/gen/embedded.c), so the server
 * reads no file to answer a request and `build/petitiond` runs from any
 * directory.  Paths are relative to the source tree, e.g.
 * "templates/petition.html".  The bytes are NUL-terminated for
 * convenience; len does not count that NUL.
 */
#ifndef PETITIOND_EMBED_H
#define PETITIOND_EMBED_H

#include <stddef.h>

struct embedded_file {
    const char *path;
    const unsigned char *data;
    size_t len;
};

/* Every embedded file, sorted by path, ending with a {NULL, NULL, 0} entry. */
extern const struct embedded_file embedded_files[];

/* The file at path, or NULL. */
const struct embedded_file *embed_find(const char *path);

#endif
