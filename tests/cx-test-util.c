/* cx-test-util.c: helpers the core tests share */
#include "config.h"

#include "cx-test-util.h"

/* A fresh, empty folder; tests run with G_TEST_OPTION_ISOLATE_DIRS, so it is
 * removed with the test's own temporary tree. */
char *
cx_test_make_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("cx-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* A new store in a fresh folder; its path goes to @out_dir when given. */
CxStore *
cx_test_new_store (char **out_dir)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = cx_test_make_dir ();
  CxStore *store = cx_store_create (dir, &error);

  g_assert_no_error (error);
  if (out_dir != NULL)
    *out_dir = g_steal_pointer (&dir);
  return store;
}
