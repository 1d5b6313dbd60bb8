/* cx-store-sync-state.c: key/value sync state in the device store */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cx-store-private.h"
#include "cx-store-sync-state.h"

/* Keys the store itself manages; the sync service must not overwrite them. */
static gboolean
is_reserved_key (const char *key)
{
  return g_str_equal (key, "device-id") || g_str_equal (key, "journal-acknowledged");
}

/**
 * cx_store_get_sync_value:
 *
 * Returns: (transfer full) (nullable): the value, or %NULL if unset or on
 *   error (then with @error set)
 */
char *
cx_store_get_sync_value (CxStore *self, const char *key, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = _cx_store_prepare (self, "SELECT value FROM sync_state WHERE key = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _cx_store_column_dup (stmt, 0);
  if (rc != SQLITE_DONE)
    _cx_store_set_error (self, error, _ ("Could not read the sync state"));
  return NULL;
}

gboolean
cx_store_set_sync_value (CxStore *self, const char *key, const char *value, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL && *key != '\0', FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (is_reserved_key (key))
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                   _ ("The sync state “%s” is managed by the store"), key);
      return FALSE;
    }

  stmt = _cx_store_prepare (self,
                            "INSERT INTO sync_state (key, value) VALUES (?1, ?2)"
                            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  return _cx_store_step_done (self, stmt, error);
}
