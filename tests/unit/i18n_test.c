/*
 * i18n_test.c: every message a page can show exists in English and in
 * French.  Keys are collected from the embedded templates ({{t.KEY}}) and
 * from the C sources (string literals such as "error.not_found" passed to
 * err_set() and msg()), then looked up in both catalogues.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/embed.h"
#include "lib/strbuf.h"
#include "site/site.h"
#include "lib/banned.h"

static json_t *catalogue[2];

static const char *const prefixes[] = {"error.", "petition.", "home.", "list.", "keyword.",
                                       "keywords.", "nav.", "site.", "footer.", "lang."};

static int
load(void **state)
{
    (void)state;
    const char *paths[] = {"data/i18n/en.json", "data/i18n/fr.json"};
    for (int i = 0; i < 2; i++) {
        const struct embedded_file *f = embed_find(paths[i]);
        if (!f)
            return -1;
        catalogue[i] = json_loadb((const char *)f->data, f->len, 0, NULL);
        if (!catalogue[i])
            return -1;
    }
    return 0;
}

static int
unload(void **state)
{
    (void)state;
    json_decref(catalogue[0]);
    json_decref(catalogue[1]);
    return 0;
}

/* Looked up the way pages look messages up: site_msg() answers the key
 * itself when the catalogue lacks it. */
static bool
has_key(enum lang lang, const char *key)
{
    struct site site;
    memset(&site, 0, sizeof(site));
    site.messages[LANG_EN] = catalogue[0];
    site.messages[LANG_FR] = catalogue[1];
    return strcmp(site_msg(&site, lang, key), key) != 0;
}

static void
check(const char *key, const char *where)
{
    if (!has_key(LANG_EN, key))
        fail_msg("%s: key %s missing from en.json", where, key);
    if (!has_key(LANG_FR, key))
        fail_msg("%s: key %s missing from fr.json", where, key);
}

static bool
key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

static void
every_template_message_exists_in_both_languages(void **state)
{
    (void)state;
    int seen = 0;
    for (const struct embedded_file *f = embedded_files; f->path; f++) {
        if (strncmp(f->path, "templates/", 10) != 0)
            continue;
        const char *s = (const char *)f->data;
        for (const char *p = strstr(s, "t."); p; p = strstr(p + 1, "t.")) {
            /* {{t.key}} and {{#t.key}} only, not other names ending in t. */
            if (p < s + 2 || !(p[-1] == '{' || p[-1] == '#' || p[-1] == '^'))
                continue;
            char key[96];
            size_t n = 0;
            for (const char *q = p + 2; key_char(*q) && n < sizeof(key) - 1; q++)
                key[n++] = *q;
            key[n] = '\0';
            check(key, f->path);
            seen++;
        }
    }
    assert_true(seen > 50);
}

/* Every "prefix.key" string literal in one C file. */
static int
check_source(const char *path)
{
    FILE *fp = fopen(path, "r");
    struct strbuf sb;
    char buf[4096];
    size_t n;
    int seen = 0;
    assert_non_null(fp);
    sb_init(&sb, NULL);
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
        sb_add(&sb, buf, n);
    fclose(fp);
    for (const char *p = strchr(sb.buf, '"'); p; p = strchr(p + 1, '"')) {
        for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
            size_t len = strlen(prefixes[i]);
            if (strncmp(p + 1, prefixes[i], len) != 0)
                continue;
            char key[96];
            size_t k = 0;
            const char *q = p + 1;
            while (key_char(*q) && k < sizeof(key) - 1)
                key[k++] = *q++;
            key[k] = '\0';
            /* Only whole literals that name a message: "error.x" then a quote. */
            if (*q == '"' && key[k - 1] != '.') {
                check(key, path);
                seen++;
            }
        }
    }
    sb_release(&sb);
    return seen;
}

static void
every_message_key_in_the_code_exists_in_both_languages(void **state)
{
    (void)state;
    const char *dirs[] = {"src/lib", "src/core", "src/store", "src/http", "src/web", "src/api"};
    int seen = 0;
    for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
        DIR *dir = opendir(dirs[d]);
        struct dirent *ent;
        assert_non_null(dir);
        while ((ent = readdir(dir))) {
            size_t len = strlen(ent->d_name);
            if (len < 3 || strcmp(ent->d_name + len - 2, ".c") != 0)
                continue;
            char path[512];
            snprintf(path, sizeof(path), "%s/%s", dirs[d], ent->d_name);
            seen += check_source(path);
        }
        closedir(dir);
    }
    assert_true(seen > 20);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_template_message_exists_in_both_languages),
        cmocka_unit_test(every_message_key_in_the_code_exists_in_both_languages),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
