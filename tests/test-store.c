/* test-store.c: creating, opening and migrating the device store */
#include "config.h"

#include "cx-test-util.h"

#include <glib/gstdio.h>

#include "cx-store-accounts.h"
#include "cx-store-private.h"

static void
set_user_version (const char *data_dir, int version)
{
  g_autofree char *path = cx_store_database_path (data_dir);
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", version);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static char *
query_text (CxStore *store, const char *sql)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_cx_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static void
test_create_empty (void)
{
  g_autofree char *dir = cx_test_make_dir ();
  g_autofree char *store_dir = g_build_filename (dir, "nested", "cunxiao", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = NULL;
  g_autofree char *journal_mode = NULL;
  g_autofree char *foreign_keys = NULL;
  g_autofree char *synchronous = NULL;
  CxStoreCounts counts;

  store = cx_store_create (store_dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  g_assert_cmpint (cx_store_get_schema_version (store), ==, cx_store_get_supported_schema ());
  g_assert_cmpint (cx_store_get_schema_version (store), >=, 1);
  g_assert_true (g_uuid_string_is_valid (cx_store_get_device_id (store)));

  journal_mode = query_text (store, "PRAGMA journal_mode");
  foreign_keys = query_text (store, "PRAGMA foreign_keys");
  synchronous = query_text (store, "PRAGMA synchronous");
  g_assert_cmpstr (journal_mode, ==, "wal");
  g_assert_cmpstr (foreign_keys, ==, "1");
  g_assert_cmpstr (synchronous, ==, "2"); /* FULL */

  g_assert_true (cx_store_get_counts (store, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts.accounts, ==, 0);
  g_assert_cmpint (counts.journal_entries, ==, 0);

  g_assert_true (cx_store_check_integrity (store, &error));
  g_assert_no_error (error);
}

static void
test_no_leftovers (void)
{
  g_autofree char *dir = cx_test_make_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_create (dir, &error);
  g_autoptr (GDir) listing = NULL;
  const char *name;

  g_assert_no_error (error);
  g_clear_object (&store);

  /* Only the database itself (and SQLite's WAL side files) remain. */
  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (listing)) != NULL)
    g_assert_true (g_str_equal (name, "cunxiao.db") || g_str_equal (name, "cunxiao.db-wal") ||
                   g_str_equal (name, "cunxiao.db-shm"));
}

static void
test_reopen (void)
{
  g_autofree char *dir = cx_test_make_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_create (dir, &error);
  g_autoptr (CxAccount) account = NULL;
  g_autofree char *device_id = NULL;

  g_assert_no_error (error);
  device_id = g_strdup (cx_store_get_device_id (store));
  g_assert_cmpint (cx_store_add_account (store, "王老师", CX_ROLE_TEACHER, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_clear_object (&store);

  store = cx_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cx_store_get_device_id (store), ==, device_id);
  account = cx_store_find_account (store, "王老师", &error);
  g_assert_no_error (error);
  g_assert_cmpint (account->role, ==, CX_ROLE_TEACHER);
  g_assert_true (cx_store_check_integrity (store, &error));
}

static void
test_create_twice (void)
{
  g_autofree char *dir = cx_test_make_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) first = cx_store_create (dir, &error);
  g_autoptr (CxStore) second = NULL;

  g_assert_no_error (error);
  second = cx_store_create (dir, &error);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_EXISTS);
  g_assert_null (second);
  /* The first store is untouched. */
  g_assert_true (cx_store_check_integrity (first, NULL));
}

static void
test_open_missing (void)
{
  g_autofree char *dir = cx_test_make_dir ();
  g_autofree char *missing = g_build_filename (dir, "nothing-here", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (missing, &error);

  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
  g_assert_null (store);
  g_assert_nonnull (strstr (error->message, missing));
  /* Opening must not create anything. */
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

static void
test_too_new_refused (void)
{
  g_autofree char *dir = cx_test_make_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_create (dir, &error);
  int newer = cx_store_get_supported_schema () + 5;
  g_autofree char *expected = g_strdup_printf ("schema %d", newer);

  g_assert_no_error (error);
  g_clear_object (&store);
  set_user_version (dir, newer);

  store = cx_store_open (dir, &error);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_TOO_NEW);
  g_assert_null (store);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_assert_nonnull (strstr (error->message, expected));
}

static void
stamp_empty_store (const char *path, const char *extra_sql)
{
  g_autofree char *sql = g_strconcat ("PRAGMA application_id = 1129861937;", extra_sql, NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_migrate_from_schema_zero (void)
{
  g_autofree char *dir = cx_test_make_dir ();
  g_autofree char *path = cx_store_database_path (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = NULL;

  /* Our application id, schema 0, no tables: every migration runs on open. */
  stamp_empty_store (path, "");

  store = cx_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cx_store_get_schema_version (store), ==, cx_store_get_supported_schema ());
  g_assert_true (g_uuid_string_is_valid (cx_store_get_device_id (store)));
  g_assert_cmpint (cx_store_add_account (store, "Ms Li", CX_ROLE_ADMIN, NULL, &error), >, 0);
  g_assert_true (cx_store_check_integrity (store, &error));
  g_assert_no_error (error);
}

static void
test_failed_migration_rolls_back (void)
{
  g_autofree char *dir = cx_test_make_dir ();
  g_autofree char *path = cx_store_database_path (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = NULL;
  sqlite3 *db = NULL;

  /* A table in the way makes migration 1 fail half-way through. */
  stamp_empty_store (path, "CREATE TABLE journal (x);");

  store = cx_store_open (dir, &error);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_FAILED);
  g_assert_null (store);
  g_assert_nonnull (strstr (error->message, "schema 1"));

  /* Nothing of the migration stayed behind: no tables, still schema 0. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "SELECT * FROM hubs", NULL, NULL, NULL), ==, SQLITE_ERROR);
  g_assert_cmpint (sqlite3_exec (db, "SELECT * FROM accounts", NULL, NULL, NULL), ==, SQLITE_ERROR);
  sqlite3_close (db);
}

static void
test_not_a_store (void)
{
  g_autofree char *dir = cx_test_make_dir ();
  g_autofree char *path = cx_store_database_path (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = NULL;
  sqlite3 *db = NULL;

  g_assert_true (g_file_set_contents (path, "this is a lesson plan, not a database\n", -1, NULL));
  store = cx_store_open (dir, &error);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_A_STORE);
  g_assert_null (store);
  g_clear_error (&error);

  /* A real SQLite database of another program is refused too, and not touched. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE other (x)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = cx_store_open (dir, &error);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_A_STORE);
  g_assert_null (store);
}

static void
test_unwritable_location (void)
{
  g_autofree char *dir = cx_test_make_dir ();
  g_autofree char *file = g_build_filename (dir, "a-file", NULL);
  g_autofree char *below_file = g_build_filename (file, "cunxiao", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = NULL;

  g_assert_true (g_file_set_contents (file, "", 0, NULL));
  store = cx_store_create (below_file, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_assert_null (store);
  g_assert_nonnull (strstr (error->message, below_file));
  g_clear_error (&error);

  if (geteuid () != 0)
    {
      g_autofree char *locked = g_build_filename (dir, "locked", NULL);
      g_autoptr (GDir) listing = NULL;

      g_assert_cmpint (g_mkdir (locked, 0500), ==, 0);
      store = cx_store_create (locked, &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_assert_null (store);
      listing = g_dir_open (locked, 0, NULL);
      g_assert_null (g_dir_read_name (listing));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cx/store/create-empty", test_create_empty);
  g_test_add_func ("/cx/store/no-leftovers", test_no_leftovers);
  g_test_add_func ("/cx/store/reopen", test_reopen);
  g_test_add_func ("/cx/store/create-twice", test_create_twice);
  g_test_add_func ("/cx/store/open-missing", test_open_missing);
  g_test_add_func ("/cx/store/too-new-refused", test_too_new_refused);
  g_test_add_func ("/cx/store/migrate-from-schema-zero", test_migrate_from_schema_zero);
  g_test_add_func ("/cx/store/failed-migration-rolls-back", test_failed_migration_rolls_back);
  g_test_add_func ("/cx/store/not-a-store", test_not_a_store);
  g_test_add_func ("/cx/store/unwritable-location", test_unwritable_location);

  return g_test_run ();
}
