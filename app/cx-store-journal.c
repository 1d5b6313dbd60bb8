/* cx-store-journal.c: the usage journal in the device store */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cx-store-journal.h"
#include "cx-store-private.h"

#define ACKNOWLEDGED_KEY "journal-acknowledged"

void
cx_journal_entry_free (CxJournalEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->kind);
  g_free (entry->payload);
  g_free (entry);
}

/**
 * cx_store_journal_append:
 * @kind: what happened, such as `resource-opened`
 * @payload_json: a JSON document with the details
 *
 * Appends one entry. When this returns, the entry is on disk: it survives a
 * crash or a power cut.
 *
 * Returns: the entry's sequence number (1, 2, 3, …), or 0 with @error set
 */
gint64
cx_store_journal_append (CxStore *self, const char *kind, const char *payload_json, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), 0);
  g_return_val_if_fail (kind != NULL, 0);
  g_return_val_if_fail (payload_json != NULL, 0);

  if (*kind == '\0' || !g_utf8_validate (kind, -1, NULL))
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                           _ ("A journal entry needs a kind"));
      return 0;
    }

  stmt = _cx_store_prepare (self,
                            "INSERT INTO journal (time_us, kind, payload)"
                            " VALUES (?1, ?2, json (?3))"
                            " RETURNING seq",
                            error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, payload_json, -1, SQLITE_TRANSIENT);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cx_store_set_error (self, error, _ ("Could not record the usage event"));
      return 0;
    }

  /* The row is returned before the statement finishes; reset commits it. */
  {
    gint64 seq = sqlite3_column_int64 (stmt, 0);

    if (sqlite3_reset (stmt) != SQLITE_OK)
      {
        _cx_store_set_error (self, error, _ ("Could not record the usage event"));
        return 0;
      }
    return seq;
  }
}

/**
 * cx_store_journal_read:
 * @after_seq: return entries after this number
 * @limit: the most entries to return
 *
 * Returns: (transfer full) (element-type CxJournalEntry): entries in sequence order
 */
GPtrArray *
cx_store_journal_read (CxStore *self, gint64 after_seq, guint limit, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GPtrArray) entries =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cx_journal_entry_free);
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  stmt = _cx_store_prepare (self,
                            "SELECT seq, time_us, kind, payload FROM journal"
                            " WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                            error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int64 (stmt, 2, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CxJournalEntry *entry = g_new0 (CxJournalEntry, 1);

      entry->seq = sqlite3_column_int64 (stmt, 0);
      entry->time_us = sqlite3_column_int64 (stmt, 1);
      entry->kind = _cx_store_column_dup (stmt, 2);
      entry->payload = _cx_store_column_dup (stmt, 3);
      g_ptr_array_add (entries, entry);
    }

  if (rc != SQLITE_DONE)
    {
      _cx_store_set_error (self, error, _ ("Could not read the usage journal"));
      return NULL;
    }

  return g_steal_pointer (&entries);
}

/**
 * cx_store_journal_get_last_seq:
 *
 * Returns: the highest sequence number ever given out (0 for none), or -1
 *   with @error set
 */
gint64
cx_store_journal_get_last_seq (CxStore *self, GError **error)
{
  gint64 seq;

  g_return_val_if_fail (CX_IS_STORE (self), -1);

  /* sqlite_sequence remembers the high mark even after acknowledged entries
   * have been pruned. */
  if (!_cx_store_count_rows (self,
                             "SELECT coalesce ((SELECT seq FROM sqlite_sequence"
                             "                  WHERE name = 'journal'), 0)",
                             &seq, error))
    return -1;

  return seq;
}

/**
 * cx_store_journal_get_acknowledged:
 *
 * Returns: the hub's acknowledged high-water mark (0 for none), or -1 with
 *   @error set
 */
gint64
cx_store_journal_get_acknowledged (CxStore *self, GError **error)
{
  gint64 seq;

  g_return_val_if_fail (CX_IS_STORE (self), -1);

  if (!_cx_store_count_rows (self,
                             "SELECT coalesce ((SELECT CAST (value AS INTEGER) FROM sync_state"
                             "                  WHERE key = '" ACKNOWLEDGED_KEY "'), 0)",
                             &seq, error))
    return -1;

  return seq;
}

/**
 * cx_store_journal_acknowledge:
 * @up_to_seq: the hub's high-water mark
 *
 * Records that the hub holds every entry up to @up_to_seq. The mark never
 * moves back, and never past an entry this device has not written.
 */
gboolean
cx_store_journal_acknowledge (CxStore *self, gint64 up_to_seq, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 last;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);

  if (!_cx_store_begin (self, error))
    return FALSE;

  last = cx_store_journal_get_last_seq (self, error);
  if (last < 0)
    goto fail;

  if (up_to_seq < 0 || up_to_seq > last)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                   _ ("The hub acknowledged usage event %lld, but this device has recorded "
                      "only %lld"),
                   (long long) up_to_seq, (long long) last);
      goto fail;
    }

  stmt =
      _cx_store_prepare (self,
                         "INSERT INTO sync_state (key, value) VALUES ('" ACKNOWLEDGED_KEY "', ?1)"
                         " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                         " WHERE CAST (excluded.value AS INTEGER) > CAST (value AS INTEGER)",
                         error);
  if (stmt == NULL)
    goto fail;

  sqlite3_bind_int64 (stmt, 1, up_to_seq);
  if (!_cx_store_step_done (self, stmt, error))
    goto fail;

  return _cx_store_commit (self, error);

fail:
  _cx_store_rollback (self);
  return FALSE;
}

/**
 * cx_store_journal_prune_acknowledged:
 * @before_time_us: prune only entries recorded before this time
 *
 * Deletes acknowledged entries older than @before_time_us; the retention
 * policy decides when to call it. Unacknowledged entries are never touched.
 *
 * Returns: the number of entries deleted, or -1 with @error set
 */
gint64
cx_store_journal_prune_acknowledged (CxStore *self, gint64 before_time_us, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), -1);

  stmt = _cx_store_prepare (self,
                            "DELETE FROM journal WHERE time_us < ?1 AND seq <= coalesce ("
                            "  (SELECT CAST (value AS INTEGER) FROM sync_state"
                            "   WHERE key = '" ACKNOWLEDGED_KEY "'), 0)",
                            error);
  if (stmt == NULL)
    return -1;

  sqlite3_bind_int64 (stmt, 1, before_time_us);
  if (!_cx_store_step_done (self, stmt, error))
    return -1;

  return sqlite3_changes (_cx_store_get_db (self));
}
