/* cx-store-settings.c: the school's settings in the device store */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cx-store-private.h"
#include "cx-store-settings.h"

static const char *const known_booleans[] = {
  CX_SETTING_RECORD_PUPIL_NAMES,
};

static gboolean
check_key (const char *key, GError **error)
{
  for (guint i = 0; key != NULL && i < G_N_ELEMENTS (known_booleans); i++)
    if (g_str_equal (key, known_booleans[i]))
      return TRUE;
  g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND, _ ("There is no setting “%s”"),
               key != NULL ? key : "");
  return FALSE;
}

/**
 * cx_store_get_setting_boolean:
 * @default_value: the value while nobody set it
 *
 * Returns: %TRUE with the value in @out_value; %FALSE with @error set
 */
gboolean
cx_store_get_setting_boolean (
    CxStore *self, const char *key, gboolean default_value, gboolean *out_value, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_value != NULL, FALSE);

  if (!check_key (key, error))
    return FALSE;
  stmt = _cx_store_prepare (self, "SELECT value FROM settings WHERE key = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_value = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "true") == 0;
  else if (rc == SQLITE_DONE)
    *out_value = default_value;
  else
    {
      _cx_store_set_error (self, error, _ ("Could not read the settings"));
      return FALSE;
    }
  return TRUE;
}

gboolean
cx_store_set_setting_boolean (CxStore *self, const char *key, gboolean value, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);

  if (!check_key (key, error))
    return FALSE;
  stmt = _cx_store_prepare (self,
                            "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value ? "true" : "false", -1, SQLITE_STATIC);
  return _cx_store_step_done (self, stmt, error);
}
