/* cx-sync-timetable.c: what changed at the hub comes down, the school's changes go up
 *
 * Down first, so that every change sent up starts from the newest revision
 * this computer could know. A change the hub refuses because the entry
 * changed there meanwhile is not lost: both versions are kept for the
 * school to choose between.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-json-private.h"
#include "cx-store-sync-state.h"
#include "cx-store-timetable.h"
#include "cx-sync-error.h"
#include "cx-sync-timetable.h"

#define KEY_CHANGE "timetable-change"

static void
to_entry (const CxTimetableRecord *r, CxTimetableEntry *e)
{
  memset (e, 0, sizeof *e);
  e->uuid = r->uuid;
  if (!cx_activity_form_from_string (r->form, &e->form))
    e->form = CX_ACTIVITY_LOCAL;
  e->subject = r->subject;
  e->class_name = r->class_name;
  e->teacher = r->teacher;
  e->partner_school = r->partner_school;
  e->starts_at = r->starts_at;
  e->ends_at = r->ends_at;
  e->package_key = r->package_key;
  e->unit = r->unit;
  e->live_url = r->live_url;
  e->fallback = r->fallback;
  e->deleted = r->deleted;
  e->origin = r->own ? CX_TIMETABLE_FROM_SCHOOL : CX_TIMETABLE_FROM_HUB;
  e->revision = r->revision;
}

static void
to_record (const CxTimetableEntry *e, CxTimetableRecord *r)
{
  memset (r, 0, sizeof *r);
  r->uuid = e->uuid;
  r->revision = e->revision;
  r->form = (char *) cx_activity_form_to_string (e->form);
  r->subject = e->subject;
  r->class_name = e->class_name;
  r->teacher = e->teacher;
  r->partner_school = e->partner_school;
  r->starts_at = e->starts_at;
  r->ends_at = e->ends_at;
  r->package_key = e->package_key;
  r->unit = e->unit;
  r->live_url = e->live_url;
  r->fallback = e->fallback;
  r->deleted = e->deleted;
  r->own = TRUE;
}

static gboolean
pull (CxStore *store,
      CxApiClient *client,
      CxSyncReport *report,
      GCancellable *cancellable,
      GError **error)
{
  g_autofree char *kept = cx_store_get_sync_value (store, KEY_CHANGE, NULL);
  g_autofree char *change_text = NULL;
  g_autoptr (GPtrArray) records = NULL;
  gint64 since = kept != NULL ? g_ascii_strtoll (kept, NULL, 10) : 0;
  gint64 change = 0;

  records = cx_api_client_get_timetable (client, since, &change, cancellable, error);
  if (records == NULL)
    return FALSE;
  report->requests++;
  for (guint i = 0; i < records->len; i++)
    {
      const CxTimetableRecord *r = g_ptr_array_index (records, i);
      g_autofree char *json = cx_timetable_record_to_json (r);
      CxTimetableEntry entry;
      gboolean conflict = FALSE;

      to_entry (r, &entry);
      if (!cx_store_apply_hub_timetable_entry (store, &entry, json, &conflict, error))
        return FALSE;
      report->timetable_received++;
      report->timetable_conflicts += conflict ? 1 : 0;
    }
  /* Only once every entry is in: a run cut off before asks again. */
  change_text = g_strdup_printf ("%lld", (long long) change);
  return cx_store_set_sync_value (store, KEY_CHANGE, change_text, error);
}

static gboolean
push (CxStore *store,
      CxApiClient *client,
      CxSyncReport *report,
      GCancellable *cancellable,
      GError **error)
{
  g_autoptr (GPtrArray) dirty = cx_store_list_timetable_to_push (store, error);

  if (dirty == NULL)
    return FALSE;
  for (guint i = 0; i < dirty->len; i++)
    {
      const CxTimetableEntry *e = g_ptr_array_index (dirty, i);
      g_autoptr (CxTimetableRecord) current = NULL;
      g_autoptr (GError) local_error = NULL;
      CxTimetableRecord record;
      gint64 revision = 0;

      to_record (e, &record);
      report->requests++;
      if (cx_api_client_put_timetable_entry (client, &record, e->revision, &revision, &current,
                                             cancellable, &local_error))
        {
          if (!cx_store_timetable_entry_pushed (store, e->uuid, revision, error))
            return FALSE;
          report->timetable_sent++;
          continue;
        }
      if (!g_error_matches (local_error, CX_SYNC_ERROR, CX_SYNC_ERROR_CHANGED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* The hub holds this very change: an earlier reply was lost. */
      if (current != NULL && cx_timetable_record_same_content (current, &record))
        {
          if (!cx_store_timetable_entry_pushed (store, e->uuid, current->revision, error))
            return FALSE;
          report->timetable_sent++;
          continue;
        }
      {
        g_autofree char *json =
            current != NULL ? cx_timetable_record_to_json (current) : g_strdup ("{}");

        if (!cx_store_timetable_entry_conflicts (store, e->uuid, json, error))
          return FALSE;
        report->timetable_conflicts++;
      }
    }
  return TRUE;
}

gboolean
_cx_sync_timetable (CxStore *store,
                    CxApiClient *client,
                    CxSyncReport *report,
                    GCancellable *cancellable,
                    GError **error)
{
  return pull (store, client, report, cancellable, error) &&
         push (store, client, report, cancellable, error);
}

/**
 * cx_sync_service_resolve_timetable_conflict:
 * @keep_local: TRUE to keep this computer's change or removal (it goes to
 *   the hub at the next sync, over the hub's), FALSE to take the hub's
 *   version (which may be its removal)
 *
 * Settles an entry changed both here and at the hub (see
 * cx_store_list_timetable_conflicts()).
 */
gboolean
cx_sync_service_resolve_timetable_conflict (CxSyncService *self,
                                            const char *uuid,
                                            gboolean keep_local,
                                            GError **error)
{
  CxStore *store = _cx_sync_service_get_store (self);
  g_autoptr (CxTimetableEntry) mine = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (CxTimetableRecord) remote = NULL;
  CxTimetableEntry entry;

  g_return_val_if_fail (uuid != NULL, FALSE);

  mine = cx_store_get_timetable_entry (store, uuid, NULL);
  if (mine == NULL || mine->conflict == NULL)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND,
                   _ ("Timetable entry %s has no conflict to resolve"), uuid);
      return FALSE;
    }
  node = _cx_json_parse_strict (mine->conflict, strlen (mine->conflict), NULL);
  remote =
      node != NULL ? cx_timetable_record_new_from_json (json_node_get_object (node), NULL) : NULL;

  if (mine->deleted && remote == NULL)
    return cx_store_forget_timetable_entry (store, uuid, error);
  if (keep_local || remote == NULL)
    {
      /* Ours (a change or a removal), now based on the hub's revision, so
       * the hub takes it; 0 when the hub has no such entry at all. */
      entry = *mine;
      entry.revision = remote != NULL ? remote->revision : 0;
      entry.dirty = TRUE;
    }
  else if (remote->deleted)
    return cx_store_forget_timetable_entry (store, uuid, error);
  else
    {
      to_entry (remote, &entry);
      entry.origin = mine->origin;
      entry.lesson_plan_id = mine->lesson_plan_id;
      entry.dirty = FALSE;
    }
  return cx_store_save_timetable_entry (store, &entry, error) != 0 &&
         cx_store_timetable_entry_conflicts (store, uuid, NULL, error);
}
