/* cx-store-accounts.c: accounts and roles in the device store */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-pin.h"
#include "cx-store-accounts.h"
#include "cx-store-private.h"

#define ACCOUNT_NAME_MAX_CHARS 64

static const char *const role_names[] = {
  [CX_ROLE_TEACHER] = "teacher",
  [CX_ROLE_STUDENT] = "student",
  [CX_ROLE_ADMIN] = "admin",
};

void
cx_account_free (CxAccount *account)
{
  if (account == NULL)
    return;

  g_free (account->name);
  g_free (account);
}

const char *
cx_role_to_string (CxRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), NULL);

  return role_names[role];
}

/**
 * cx_role_get_label:
 *
 * Returns: the role's name for people, translated
 */
const char *
cx_role_get_label (CxRole role)
{
  switch (role)
    {
    case CX_ROLE_TEACHER:
      return _ ("Teacher");
    case CX_ROLE_STUDENT:
      return _ ("Student");
    case CX_ROLE_ADMIN:
      return _ ("School admin");
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
cx_role_from_string (const char *text, CxRole *out_role)
{
  g_return_val_if_fail (out_role != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (role_names); i++)
    if (g_str_equal (text, role_names[i]))
      {
        *out_role = (CxRole) i;
        return TRUE;
      }

  return FALSE;
}

static gboolean
validate_name (const char *name, GError **error)
{
  glong length;

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                           _ ("The account name is not valid text"));
      return FALSE;
    }

  for (const char *p = name; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                             _ ("The account name must not contain control characters"));
        return FALSE;
      }

  length = g_utf8_strlen (name, -1);
  if (length == 0 || g_unichar_isspace (g_utf8_get_char (name)) ||
      g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (name + strlen (name)))))
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                           _ ("The account name must not be empty or start or end with a space"));
      return FALSE;
    }

  if (length > ACCOUNT_NAME_MAX_CHARS)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                   _ ("The account name is longer than %d characters"), ACCOUNT_NAME_MAX_CHARS);
      return FALSE;
    }

  return TRUE;
}

static CxAccount *
account_from_row (sqlite3_stmt *stmt)
{
  CxAccount *account = g_new0 (CxAccount, 1);

  account->id = sqlite3_column_int64 (stmt, 0);
  account->name = _cx_store_column_dup (stmt, 1);
  if (!cx_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &account->role))
    g_assert_not_reached (); /* the CHECK constraint admits only known roles */
  account->has_pin = sqlite3_column_type (stmt, 3) != SQLITE_NULL;
  account->created_at = sqlite3_column_int64 (stmt, 4);

  return account;
}

/**
 * cx_store_add_account:
 * @pin: (nullable): a PIN to protect the account, or %NULL for none
 *
 * Returns: the new account's id, or 0 with @error set
 */
gint64
cx_store_add_account (CxStore *self, const char *name, CxRole role, const char *pin, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), 0);
  g_return_val_if_fail (name != NULL, 0);
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), 0);

  if (!validate_name (name, error))
    return 0;

  if (pin != NULL && (hash = cx_pin_hash (pin, error)) == NULL)
    return 0;

  stmt = _cx_store_prepare (self,
                            "INSERT INTO accounts (name, role, pin_hash, created_at)"
                            " VALUES (?1, ?2, ?3, ?4)",
                            error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, role_names[role], -1, SQLITE_STATIC);
  _cx_store_bind_text_or_null (stmt, 3, hash);
  sqlite3_bind_int64 (stmt, 4, _cx_store_now ());

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      g_autofree char *what = g_strdup_printf (_ ("Could not add the account “%s”"), name);
      _cx_store_set_error (self, error, what);
      return 0;
    }

  return sqlite3_last_insert_rowid (_cx_store_get_db (self));
}

/**
 * cx_store_find_account:
 *
 * Returns: (transfer full): the account called @name, or %NULL with
 *   %CX_STORE_ERROR_NOT_FOUND
 */
CxAccount *
cx_store_find_account (CxStore *self, const char *name, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  stmt = _cx_store_prepare (self,
                            "SELECT id, name, role, pin_hash, created_at FROM accounts"
                            " WHERE name = ?1",
                            error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return account_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                 _ ("There is no account called “%s”"), name);
  else
    _cx_store_set_error (self, error, _ ("Could not read the accounts"));
  return NULL;
}

/**
 * cx_store_list_accounts:
 *
 * Returns: (transfer full) (element-type CxAccount): every account, by name
 */
GPtrArray *
cx_store_list_accounts (CxStore *self, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GPtrArray) accounts =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cx_account_free);
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  stmt = _cx_store_prepare (self,
                            "SELECT id, name, role, pin_hash, created_at FROM accounts"
                            " ORDER BY name, id",
                            error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (accounts, account_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      _cx_store_set_error (self, error, _ ("Could not read the accounts"));
      return NULL;
    }

  return g_steal_pointer (&accounts);
}

gboolean
cx_store_set_account_pin (CxStore *self, const char *name, const char *pin, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (pin != NULL, FALSE);

  if ((hash = cx_pin_hash (pin, error)) == NULL)
    return FALSE;

  stmt = _cx_store_prepare (self, "UPDATE accounts SET pin_hash = ?2 WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  if (!_cx_store_step_done (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (_cx_store_get_db (self)) == 0)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                   _ ("There is no account called “%s”"), name);
      return FALSE;
    }

  return TRUE;
}

/**
 * cx_store_verify_account_pin:
 *
 * Returns: %TRUE if @pin is the PIN of @name; else %FALSE with
 *   %CX_STORE_ERROR_WRONG_PIN (also for an account without a PIN) or
 *   %CX_STORE_ERROR_NOT_FOUND
 */
gboolean
cx_store_verify_account_pin (CxStore *self, const char *name, const char *pin, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (pin != NULL, FALSE);

  stmt = _cx_store_prepare (self, "SELECT pin_hash FROM accounts WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                   _ ("There is no account called “%s”"), name);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _cx_store_set_error (self, error, _ ("Could not read the accounts"));
      return FALSE;
    }

  if (sqlite3_column_type (stmt, 0) == SQLITE_NULL ||
      !cx_pin_verify ((const char *) sqlite3_column_text (stmt, 0), pin))
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_WRONG_PIN, _ ("Wrong PIN"));
      return FALSE;
    }

  return TRUE;
}
