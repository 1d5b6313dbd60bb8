/* cx-hub-db-timetable.c: the shared timetable in the hub's store, with revisions and a change
 * counter */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include <glib/gi18n.h>

#include "cx-hub-db-private.h"
#include "cx-json-private.h"

static gint64
next_change (CxHubDb *self)
{
  sqlite3_stmt *stmt =
      _cx_hub_db_prepare (self, "SELECT coalesce (max (change), 0) + 1 FROM timetable", NULL);
  gint64 change = 1;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    change = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return change;
}

static char *
stored_text (const CxTimetableRecord *record)
{
  CxTimetableRecord copy = *record;

  /* Revision and ownership live in their own columns. */
  copy.revision = 0;
  copy.own = FALSE;
  return cx_timetable_record_to_json (&copy);
}

/* Writes @record (revision @revision, school @school_id or district) in the
 * caller's transaction. */
static gboolean
write_entry (CxHubDb *self,
             const CxTimetableRecord *record,
             gint64 school_id,
             gint64 revision,
             GError **error)
{
  g_autofree char *text = stored_text (record);
  sqlite3_stmt *stmt =
      _cx_hub_db_prepare (self,
                          "INSERT INTO timetable (uuid, school_id, entry, revision, change)"
                          " VALUES (?1, nullif (?2, 0), ?3, ?4, ?5)"
                          " ON CONFLICT (uuid) DO UPDATE SET entry = excluded.entry,"
                          " revision = excluded.revision, change = excluded.change",
                          error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, school_id);
  sqlite3_bind_text (stmt, 3, text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, revision);
  sqlite3_bind_int64 (stmt, 5, next_change (self));
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _cx_hub_db_set_error (self, error, _ ("Could not store the timetable"));
  return TRUE;
}

/* Revision and school of an entry; FALSE if there is none. */
static gboolean
lookup_entry (
    CxHubDb *self, const char *uuid, gint64 *out_school_id, gint64 *out_revision, char **out_text)
{
  sqlite3_stmt *stmt = _cx_hub_db_prepare (
      self, "SELECT coalesce (school_id, 0), revision, entry FROM timetable WHERE uuid = ?", NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  if (found)
    {
      *out_school_id = sqlite3_column_int64 (stmt, 0);
      *out_revision = sqlite3_column_int64 (stmt, 1);
      if (out_text != NULL)
        *out_text = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_finalize (stmt);
  return found;
}

static CxTimetableRecord *
record_from_text (const char *text, gint64 revision, gboolean own)
{
  g_autoptr (JsonNode) node = _cx_json_parse_strict (text, strlen (text), NULL);
  CxTimetableRecord *record;

  if (node == NULL)
    return NULL;
  record = cx_timetable_record_new_from_json (json_node_get_object (node), NULL);
  if (record != NULL)
    {
      record->revision = revision;
      record->own = own;
    }
  return record;
}

/**
 * cx_hub_db_import_timetable:
 * @records: (element-type CxTimetableRecord): the district's entries
 *
 * Adds or replaces district entries, in one transaction; an entry whose
 * content did not change keeps its revision. Entries of a school cannot be
 * replaced this way.
 */
gboolean
cx_hub_db_import_timetable (CxHubDb *self, GPtrArray *records, guint *out_changed, GError **error)
{
  *out_changed = 0;
  if (!_cx_hub_db_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (guint i = 0; i < records->len; i++)
    {
      const CxTimetableRecord *r = g_ptr_array_index (records, i);
      g_autofree char *old = NULL;
      g_autofree char *text = stored_text (r);
      gint64 school_id = 0, revision = 0;

      if (lookup_entry (self, r->uuid, &school_id, &revision, &old))
        {
          if (school_id != 0)
            {
              _cx_hub_db_rollback (self);
              g_set_error (error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_CONFLICT,
                           _ ("Entry %s belongs to a school; the district cannot replace it"),
                           r->uuid);
              return FALSE;
            }
          if (g_strcmp0 (old, text) == 0)
            continue;
        }
      if (!write_entry (self, r, 0, revision + 1, error))
        {
          _cx_hub_db_rollback (self);
          return FALSE;
        }
      (*out_changed)++;
    }
  if (!_cx_hub_db_exec (self, "COMMIT", error))
    {
      _cx_hub_db_rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gint64
school_of (CxHubDb *self, gint64 device_id)
{
  sqlite3_stmt *stmt =
      _cx_hub_db_prepare (self, "SELECT school_id FROM devices WHERE id = ?", NULL);
  gint64 school = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, device_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    school = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return school;
}

/**
 * cx_hub_db_list_timetable:
 * @since: the "change" the device saw last; 0 for everything
 * @out_change: where the device should ask from next time
 *
 * Returns: (transfer full) (element-type CxTimetableRecord): the entries
 *   the device's school may see (the district's and its own) changed after
 *   @since, removed ones as tombstones (none when @since is 0)
 */
GPtrArray *
cx_hub_db_list_timetable (
    CxHubDb *self, gint64 device_id, gint64 since, gint64 *out_change, GError **error)
{
  g_autoptr (GPtrArray) list =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cx_timetable_record_free);
  gint64 school = school_of (self, device_id);
  sqlite3_stmt *stmt =
      _cx_hub_db_prepare (self,
                          "SELECT entry, revision, school_id IS NOT NULL FROM timetable"
                          " WHERE change > ?1 AND (school_id IS NULL OR school_id = ?2)"
                          /* A device that knows nothing yet needs no tombstones. */
                          "  AND (?1 > 0 OR json_extract (entry, '$.deleted') IS NOT 1)"
                          " ORDER BY change",
                          error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, school);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      CxTimetableRecord *r =
          record_from_text ((const char *) sqlite3_column_text (stmt, 0),
                            sqlite3_column_int64 (stmt, 1), sqlite3_column_int (stmt, 2) != 0);

      if (r != NULL)
        g_ptr_array_add (list, r);
    }
  sqlite3_finalize (stmt);
  *out_change = next_change (self) - 1;
  return g_steal_pointer (&list);
}

/**
 * cx_hub_db_put_timetable_entry:
 * @base_revision: the revision the device's edit started from; 0 for new
 * @out_current: (out) (transfer full): on a conflict, the hub's entry
 *
 * Stores a school's own entry if nobody changed it since @base_revision;
 * otherwise fails with CX_HUB_DB_ERROR_CONFLICT and the current entry.
 */
gboolean
cx_hub_db_put_timetable_entry (CxHubDb *self,
                               gint64 device_id,
                               const CxTimetableRecord *record,
                               gint64 base_revision,
                               gint64 *out_revision,
                               CxTimetableRecord **out_current,
                               GError **error)
{
  g_autofree char *old = NULL;
  gint64 school = school_of (self, device_id);
  gint64 owner = 0, revision = 0;

  *out_current = NULL;
  if (!_cx_hub_db_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (lookup_entry (self, record->uuid, &owner, &revision, &old))
    {
      if (owner != school)
        {
          _cx_hub_db_rollback (self);
          g_set_error_literal (
              error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_FORBIDDEN,
              owner == 0 ? _ ("That entry is the district’s; only the district changes it")
                         : _ ("That entry belongs to another school"));
          return FALSE;
        }
    }
  if (revision != base_revision)
    {
      _cx_hub_db_rollback (self);
      *out_current = revision > 0 ? record_from_text (old, revision, TRUE) : NULL;
      g_set_error (error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_CONFLICT,
                   _ ("The entry was changed elsewhere (revision %lld, not %lld)"),
                   (long long) revision, (long long) base_revision);
      return FALSE;
    }
  if (!write_entry (self, record, school, revision + 1, error) ||
      !_cx_hub_db_exec (self, "COMMIT", error))
    {
      _cx_hub_db_rollback (self);
      return FALSE;
    }
  *out_revision = revision + 1;
  return TRUE;
}
