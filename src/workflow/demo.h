/*
 * demo.h: loading the demo data (data/demo/demo.json) into a store, the
 * use case of `petitiond demo`.
 *
 * The file holds Parliaments, subjects, keywords, Members, ministries and
 * petitions in every public state, starting with e-2829 as the House
 * published it.  Dates are Eastern wall-clock times ("2020-09-15 09:30"),
 * or relative to the moment of loading ("-12d 14:40": twelve days before
 * today, Eastern, at 14:40), so the open petitions stay open.
 *
 * Loading happens once per database: the whole file is written in one
 * transaction together with the meta row "demo_loaded" and its audit
 * record ("register.import"); a second call finds that row and changes
 * nothing.
 */
#ifndef PETITIOND_DEMO_H
#define PETITIOND_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err;
struct store;

#define DEMO_DEFAULT "data/demo/demo.json"

/*
 * Load the demo JSON text (len bytes) into s, with now as the moment of
 * loading (UTC seconds).  *loaded is true when it was written, false when
 * the database already had it.  Returns 0, or ERR_INVALID naming the bad
 * record (nothing is written then), or a store error.
 */
int demo_load(struct store *s, const char *text, size_t len, int64_t now, bool *loaded,
              struct err *e);

#endif
