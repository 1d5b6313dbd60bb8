/* cx-hub-db-uploads.c: the files devices committed, per device and by day */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include <glib/gi18n.h>

#include "cx-hub-db-private.h"

/* Files one device may commit in 24 hours. */
#define UPLOADS_PER_DAY 2000

/**
 * cx_hub_db_record_upload:
 * @out_new: FALSE when this device had committed it already
 *
 * Records a committed upload. The same id again with the same file is a
 * repeat; with another file it is refused, as is a device's upload past
 * its daily allowance.
 */
gboolean
cx_hub_db_record_upload (
    CxHubDb *self, gint64 device_id, const CxUpload *upload, gboolean *out_new, GError **error)
{
  g_autofree char *sha = cx_chunk_id_to_hex (&upload->sha256);
  sqlite3_stmt *stmt;
  gint64 today;
  int rc;

  *out_new = FALSE;
  if (!_cx_hub_db_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  stmt =
      _cx_hub_db_prepare (self, "SELECT sha256 FROM uploads WHERE device_id = ? AND id = ?", error);
  if (stmt == NULL)
    {
      _cx_hub_db_rollback (self);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, device_id);
  sqlite3_bind_text (stmt, 2, upload->id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gboolean same = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), sha) == 0;

      sqlite3_finalize (stmt);
      _cx_hub_db_rollback (self);
      if (same)
        return TRUE;
      g_set_error (error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_CONFLICT,
                   _ ("Upload %s was committed before with another file"), upload->id);
      return FALSE;
    }
  sqlite3_finalize (stmt);

  stmt = _cx_hub_db_prepare (
      self, "SELECT count(*) FROM uploads WHERE device_id = ? AND received_at >= ?", error);
  if (stmt == NULL)
    {
      _cx_hub_db_rollback (self);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, device_id);
  sqlite3_bind_int64 (stmt, 2, _cx_hub_db_now () - 24 * 3600);
  sqlite3_step (stmt);
  today = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (today >= UPLOADS_PER_DAY)
    {
      _cx_hub_db_rollback (self);
      g_set_error (error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_LIMIT,
                   _ ("This device has sent %d files in the last day, the most the hub takes; "
                      "the rest can follow tomorrow"),
                   UPLOADS_PER_DAY);
      return FALSE;
    }

  stmt = _cx_hub_db_prepare (self,
                             "INSERT INTO uploads (device_id, id, kind, name, size, sha256, meta, "
                             "received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             error);
  if (stmt == NULL)
    {
      _cx_hub_db_rollback (self);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, device_id);
  sqlite3_bind_text (stmt, 2, upload->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, upload->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, upload->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, (gint64) upload->size);
  sqlite3_bind_text (stmt, 6, sha, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, upload->meta, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, _cx_hub_db_now ());
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE || !_cx_hub_db_exec (self, "COMMIT", error))
    {
      if (rc != SQLITE_DONE)
        _cx_hub_db_set_error (self, error, _ ("Could not record the upload"));
      _cx_hub_db_rollback (self);
      return FALSE;
    }
  *out_new = TRUE;
  return TRUE;
}
