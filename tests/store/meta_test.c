/*
 * meta_test.c: the store's named settings (store/meta.h): an unset name
 * reads as NULL without an error, a value set is read back as it was
 * written, and setting again replaces it.
 */
#include "store_fixture.h"

#include <string.h>

#include "lib/banned.h"

static void
unset_setting_is_null(void **state)
{
    struct fx *f = *state;
    const char *v = "x";
    FX_OK(f, store_meta_get(f->s, NULL, f->a, "link_key", &v, &f->e));
    assert_null(v);
}

static void
setting_round_trips_and_is_replaced(void **state)
{
    struct fx *f = *state;
    const char *v = NULL;
    FX_WRITE(f, store_meta_set(t, "demo_loaded", "2025-06-02 « été »", &f->e));
    FX_OK(f, store_meta_get(f->s, NULL, f->a, "demo_loaded", &v, &f->e));
    assert_string_equal(v, "2025-06-02 « été »");

    FX_WRITE(f, store_meta_set(t, "demo_loaded", "", &f->e));
    FX_OK(f, store_meta_get(f->s, NULL, f->a, "demo_loaded", &v, &f->e));
    assert_string_equal(v, "");

    /* Another name is another setting. */
    FX_OK(f, store_meta_get(f->s, NULL, f->a, "demo_loaded_", &v, &f->e));
    assert_null(v);
}

static void
setting_read_in_its_transaction(void **state)
{
    struct fx *f = *state;
    const char *v = NULL;
    struct store_txn *t = fx_begin(f);
    FX_OK(f, store_meta_set(t, "k", "one", &f->e));
    FX_OK(f, store_meta_set(t, "k", "two", &f->e));
    FX_OK(f, store_meta_get(f->s, t, f->a, "k", &v, &f->e));
    assert_string_equal(v, "two");
    fx_commit(f, t);
    FX_OK(f, store_meta_get(f->s, NULL, f->a, "k", &v, &f->e));
    assert_string_equal(v, "two");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(unset_setting_is_null),
        FX_TEST(setting_round_trips_and_is_replaced),
        FX_TEST(setting_read_in_its_transaction),
    };
    return cmocka_run_group_tests_name(fx_backend(), tests, NULL, NULL);
}
