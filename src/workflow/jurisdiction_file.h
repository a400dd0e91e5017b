/*
 * jurisdiction_file.h: reading the rules of a parliament from its JSON
 * file (data/jurisdictions/<id>.json) into struct jurisdiction, the rules
 * every use case applies (core/jurisdiction.h).  No database is involved:
 * the commands read the file at start-up and hand the rules to the flow.
 */
#ifndef PETITIOND_JURISDICTION_FILE_H
#define PETITIOND_JURISDICTION_FILE_H

#include <stddef.h>

struct err;
struct jurisdiction;

/* The jurisdiction used when no file is named: the embedded
 * data/jurisdictions/canada-house-of-commons.json. */
#define JURISDICTION_DEFAULT "data/jurisdictions/canada-house-of-commons.json"

/* Parse the JSON text (len bytes) into *j and check it.  Returns 0 or
 * ERR_INVALID with a log text naming the missing or bad field. */
int jurisdiction_parse(const char *text, size_t len, struct jurisdiction *j, struct err *e);

/* Read path (a file), or the embedded default when path is NULL. */
int jurisdiction_load(const char *path, struct jurisdiction *j, struct err *e);

#endif
