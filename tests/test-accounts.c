/* test-accounts.c: accounts, roles and PINs */
#include "config.h"

#include "cx-test-util.h"

#include <string.h>

#include "cx-pin.h"
#include "cx-store-accounts.h"
#include "cx-store-private.h"

#define SECRET_PIN "731946"

static gboolean
file_contains (const char *path, const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  for (gsize i = 0; i + strlen (needle) <= length; i++)
    if (memcmp (contents + i, needle, strlen (needle)) == 0)
      return TRUE;

  return FALSE;
}

static void
test_pin_checked (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (cx_store_add_account (store, "王老师", CX_ROLE_TEACHER, SECRET_PIN, &error), >,
                   0);
  g_assert_no_error (error);

  g_assert_true (cx_store_verify_account_pin (store, "王老师", SECRET_PIN, &error));
  g_assert_no_error (error);

  g_assert_false (cx_store_verify_account_pin (store, "王老师", "731947", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_WRONG_PIN);
  g_clear_error (&error);

  g_assert_false (cx_store_verify_account_pin (store, "王老师", "", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_WRONG_PIN);
  g_clear_error (&error);

  g_assert_false (cx_store_verify_account_pin (store, "李老师", SECRET_PIN, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Changing the PIN retires the old one. */
  g_assert_true (cx_store_set_account_pin (store, "王老师", "2468", &error));
  g_assert_no_error (error);
  g_assert_true (cx_store_verify_account_pin (store, "王老师", "2468", NULL));
  g_assert_false (cx_store_verify_account_pin (store, "王老师", SECRET_PIN, NULL));
}

static void
test_account_without_pin_never_unlocks (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxAccount) account = NULL;

  g_assert_cmpint (cx_store_add_account (store, "一年级", CX_ROLE_STUDENT, NULL, &error), >, 0);
  account = cx_store_find_account (store, "一年级", &error);
  g_assert_no_error (error);
  g_assert_false (account->has_pin);

  g_assert_false (cx_store_verify_account_pin (store, "一年级", "0000", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_WRONG_PIN);
}

static void
test_pin_never_stored_in_clear (void)
{
  g_autofree char *dir = NULL;
  g_autoptr (CxStore) store = cx_test_new_store (&dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *wal_path = NULL;
  const char *hash;

  g_assert_cmpint (cx_store_add_account (store, "admin", CX_ROLE_ADMIN, SECRET_PIN, &error), >, 0);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_prepare_v2 (_cx_store_get_db (store),
                                       "SELECT pin_hash FROM accounts WHERE name = 'admin'", -1,
                                       &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  hash = (const char *) sqlite3_column_text (stmt, 0);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_null (strstr (hash, SECRET_PIN));
  g_assert_true (cx_pin_verify (hash, SECRET_PIN));

  /* Neither the database nor its write-ahead log holds the PIN's bytes. */
  db_path = cx_store_database_path (dir);
  wal_path = g_strconcat (db_path, "-wal", NULL);
  g_assert_true (file_contains (wal_path, "$argon2id$") || file_contains (db_path, "$argon2id$"));
  g_assert_false (file_contains (db_path, SECRET_PIN));
  g_assert_false (file_contains (wal_path, SECRET_PIN));

  /* The schema refuses anything but an Argon2id string in that column. */
  g_assert_cmpint (sqlite3_exec (_cx_store_get_db (store),
                                 "INSERT INTO accounts (name, role, pin_hash, created_at)"
                                 " VALUES ('x', 'admin', '1234', 0)",
                                 NULL, NULL, NULL) &
                       0xff,
                   ==, SQLITE_CONSTRAINT);
}

static void
test_bad_names_and_pins (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *too_long = g_strnfill (65, 'a');
  const char *bad_names[] = { "", " 王老师", "王老师 ", "a\tb", "a\nb", "\xff", too_long };
  const char *bad_pins[] = { "", "123", "12\n34", "\xff\xfe\xfd\xfc" };
  CxStoreCounts counts;

  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      g_assert_cmpint (cx_store_add_account (store, bad_names[i], CX_ROLE_TEACHER, NULL, &error),
                       ==, 0);
      g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
      g_clear_error (&error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad_pins); i++)
    {
      g_assert_cmpint (cx_store_add_account (store, "张老师", CX_ROLE_TEACHER, bad_pins[i], &error),
                       ==, 0);
      g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
      g_clear_error (&error);
    }

  g_assert_cmpint (cx_store_add_account (store, "张老师", CX_ROLE_TEACHER, NULL, &error), >, 0);
  g_assert_cmpint (cx_store_add_account (store, "张老师", CX_ROLE_ADMIN, NULL, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "张老师"));

  /* Nothing half-added by the refusals. */
  g_assert_true (cx_store_get_counts (store, &counts, NULL));
  g_assert_cmpint (counts.accounts, ==, 1);
}

static void
test_roles_and_listing (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GPtrArray) accounts = NULL;
  g_autoptr (GError) error = NULL;
  CxRole role;

  g_assert_cmpint (cx_store_add_account (store, "b-teacher", CX_ROLE_TEACHER, NULL, NULL), >, 0);
  g_assert_cmpint (cx_store_add_account (store, "a-admin", CX_ROLE_ADMIN, "9999", NULL), >, 0);
  g_assert_cmpint (cx_store_add_account (store, "c-class", CX_ROLE_STUDENT, NULL, NULL), >, 0);

  accounts = cx_store_list_accounts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 3);
  g_assert_cmpstr (((CxAccount *) accounts->pdata[0])->name, ==, "a-admin");
  g_assert_cmpint (((CxAccount *) accounts->pdata[0])->role, ==, CX_ROLE_ADMIN);
  g_assert_true (((CxAccount *) accounts->pdata[0])->has_pin);
  g_assert_cmpint (((CxAccount *) accounts->pdata[1])->role, ==, CX_ROLE_TEACHER);
  g_assert_cmpint (((CxAccount *) accounts->pdata[2])->role, ==, CX_ROLE_STUDENT);

  for (role = CX_ROLE_TEACHER; role <= CX_ROLE_ADMIN; role++)
    {
      CxRole parsed;

      g_assert_true (cx_role_from_string (cx_role_to_string (role), &parsed));
      g_assert_cmpint (parsed, ==, role);
    }
  g_assert_false (cx_role_from_string ("principal", &role));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cx/accounts/pin-checked", test_pin_checked);
  g_test_add_func ("/cx/accounts/without-pin-never-unlocks",
                   test_account_without_pin_never_unlocks);
  g_test_add_func ("/cx/accounts/pin-never-stored-in-clear", test_pin_never_stored_in_clear);
  g_test_add_func ("/cx/accounts/bad-names-and-pins", test_bad_names_and_pins);
  g_test_add_func ("/cx/accounts/roles-and-listing", test_roles_and_listing);

  return g_test_run ();
}
