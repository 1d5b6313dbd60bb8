/* cx-store-timetable.c: timetable entries in the device store */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cx-store-private.h"
#include "cx-store-timetable.h"
#include "cx-timetable-record.h"

#define ENTRY_COLUMNS                                                                 \
  "id, uuid, form, subject, class_name, teacher, partner_school, starts_at, ends_at," \
  " package_key, unit, lesson_plan_id, origin, revision, dirty, conflict, live_url,"  \
  " fallback, deleted"

static const char *const form_names[] = {
  [CX_ACTIVITY_SYNC_CLASSROOM] = "sync-classroom",
  [CX_ACTIVITY_REMOTE_DELIVERY] = "remote-delivery",
  [CX_ACTIVITY_MASTER_CLASSROOM] = "master-classroom",
  [CX_ACTIVITY_ONLINE_RESEARCH] = "online-research",
  [CX_ACTIVITY_LOCAL] = "local",
};

void
cx_timetable_entry_free (CxTimetableEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->uuid);
  g_free (entry->subject);
  g_free (entry->class_name);
  g_free (entry->teacher);
  g_free (entry->partner_school);
  g_free (entry->package_key);
  g_free (entry->unit);
  g_free (entry->conflict);
  g_free (entry->live_url);
  g_free (entry->fallback);
  g_free (entry);
}

/**
 * cx_timetable_entry_copy:
 *
 * Returns: (transfer full): a deep copy of @entry
 */
CxTimetableEntry *
cx_timetable_entry_copy (const CxTimetableEntry *entry)
{
  CxTimetableEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_memdup2 (entry, sizeof *entry);
  copy->uuid = g_strdup (entry->uuid);
  copy->subject = g_strdup (entry->subject);
  copy->class_name = g_strdup (entry->class_name);
  copy->teacher = g_strdup (entry->teacher);
  copy->partner_school = g_strdup (entry->partner_school);
  copy->package_key = g_strdup (entry->package_key);
  copy->unit = g_strdup (entry->unit);
  copy->conflict = g_strdup (entry->conflict);
  copy->live_url = g_strdup (entry->live_url);
  copy->fallback = g_strdup (entry->fallback);
  return copy;
}

/**
 * cx_timetable_entry_get_hub_version:
 *
 * Returns: (transfer full) (nullable): the hub's version of an entry in
 *   conflict (its @deleted set if the hub removed it), to show beside
 *   this computer's; %NULL when @entry is in no conflict or the hub had
 *   no version of it
 */
CxTimetableEntry *
cx_timetable_entry_get_hub_version (const CxTimetableEntry *entry)
{
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (CxTimetableRecord) r = NULL;
  CxTimetableEntry *hub;

  g_return_val_if_fail (entry != NULL, NULL);

  if (entry->conflict == NULL)
    return NULL;
  node = json_from_string (entry->conflict, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  r = cx_timetable_record_new_from_json (json_node_get_object (node), NULL);
  if (r == NULL)
    return NULL;
  hub = g_new0 (CxTimetableEntry, 1);
  hub->id = entry->id;
  hub->uuid = g_steal_pointer (&r->uuid);
  if (!cx_activity_form_from_string (r->form, &hub->form))
    hub->form = CX_ACTIVITY_LOCAL;
  hub->subject = g_steal_pointer (&r->subject);
  hub->class_name = g_steal_pointer (&r->class_name);
  hub->teacher = g_steal_pointer (&r->teacher);
  hub->partner_school = g_steal_pointer (&r->partner_school);
  hub->starts_at = r->starts_at;
  hub->ends_at = r->ends_at;
  hub->package_key = g_steal_pointer (&r->package_key);
  hub->unit = g_steal_pointer (&r->unit);
  hub->lesson_plan_id = entry->lesson_plan_id;
  hub->origin = entry->origin;
  hub->revision = r->revision;
  hub->live_url = g_steal_pointer (&r->live_url);
  hub->fallback = g_steal_pointer (&r->fallback);
  hub->deleted = r->deleted;
  return hub;
}

const char *
cx_activity_form_to_string (CxActivityForm form)
{
  g_return_val_if_fail ((guint) form < G_N_ELEMENTS (form_names), NULL);

  return form_names[form];
}

/**
 * cx_activity_form_get_label:
 *
 * Returns: the form's name as the programme's report forms use it, translated
 */
const char *
cx_activity_form_get_label (CxActivityForm form)
{
  switch (form)
    {
    case CX_ACTIVITY_SYNC_CLASSROOM:
      return _ ("Synchronous classroom");
    case CX_ACTIVITY_REMOTE_DELIVERY:
      return _ ("Remote-delivery classroom");
    case CX_ACTIVITY_MASTER_CLASSROOM:
      return _ ("Master-teacher classroom");
    case CX_ACTIVITY_ONLINE_RESEARCH:
      return _ ("Teacher online research");
    case CX_ACTIVITY_LOCAL:
      return _ ("Local lesson");
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
cx_activity_form_from_string (const char *text, CxActivityForm *out_form)
{
  g_return_val_if_fail (out_form != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (form_names); i++)
    if (g_str_equal (text, form_names[i]))
      {
        *out_form = (CxActivityForm) i;
        return TRUE;
      }

  return FALSE;
}

static const char *
or_empty (const char *text)
{
  return text ? text : "";
}

/* The live-class address and the fallback, as the wire allows them. */
static gboolean
check_links (const CxTimetableEntry *entry, GError **error)
{
  g_autoptr (GError) local = NULL;

  if (!cx_timetable_check_live_url (or_empty (entry->live_url), &local) ||
      !cx_timetable_check_fallback (or_empty (entry->fallback), &local))
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID, local->message);
      return FALSE;
    }
  return TRUE;
}

static CxTimetableEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  CxTimetableEntry *entry = g_new0 (CxTimetableEntry, 1);

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->uuid = _cx_store_column_dup (stmt, 1);
  if (!cx_activity_form_from_string ((const char *) sqlite3_column_text (stmt, 2), &entry->form))
    g_assert_not_reached (); /* the CHECK constraint admits only known forms */
  entry->subject = _cx_store_column_dup (stmt, 3);
  entry->class_name = _cx_store_column_dup (stmt, 4);
  entry->teacher = _cx_store_column_dup (stmt, 5);
  entry->partner_school = _cx_store_column_dup (stmt, 6);
  entry->starts_at = sqlite3_column_int64 (stmt, 7);
  entry->ends_at = sqlite3_column_int64 (stmt, 8);
  entry->package_key = _cx_store_column_dup (stmt, 9);
  entry->unit = _cx_store_column_dup (stmt, 10);
  entry->lesson_plan_id = sqlite3_column_int64 (stmt, 11);
  entry->origin = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 12), "hub") == 0
                      ? CX_TIMETABLE_FROM_HUB
                      : CX_TIMETABLE_FROM_SCHOOL;
  entry->revision = sqlite3_column_int64 (stmt, 13);
  entry->dirty = sqlite3_column_int (stmt, 14) != 0;
  entry->conflict = _cx_store_column_dup (stmt, 15);
  entry->live_url = _cx_store_column_dup (stmt, 16);
  entry->fallback = _cx_store_column_dup (stmt, 17);
  entry->deleted = sqlite3_column_int (stmt, 18) != 0;

  return entry;
}

/**
 * cx_store_save_timetable_entry:
 *
 * Inserts @entry, or replaces the entry with the same uuid. An entry without
 * a uuid gets a new one.
 *
 * Returns: the entry's id, or 0 with @error set
 */
gint64
cx_store_save_timetable_entry (CxStore *self, const CxTimetableEntry *entry, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *uuid = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), 0);
  g_return_val_if_fail (entry != NULL, 0);
  g_return_val_if_fail ((guint) entry->form < G_N_ELEMENTS (form_names), 0);

  if (entry->ends_at <= entry->starts_at)
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                           _ ("A timetable entry must end after it starts"));
      return 0;
    }

  uuid = entry->uuid ? g_strdup (entry->uuid) : g_uuid_string_random ();
  if (!g_uuid_string_is_valid (uuid))
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                   _ ("“%s” is not a valid timetable entry id"), uuid);
      return 0;
    }
  if (!check_links (entry, error))
    return 0;

  stmt =
      _cx_store_prepare (self,
                         "INSERT INTO timetable_entries (uuid, form, subject, class_name,"
                         "  teacher, partner_school, starts_at, ends_at, package_key, unit,"
                         "  lesson_plan_id, origin, revision, dirty, live_url, fallback, deleted)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, nullif (?11, 0),"
                         "  ?12, ?13, ?14, ?15, ?16, ?17)"
                         " ON CONFLICT (uuid) DO UPDATE SET form = excluded.form,"
                         "  subject = excluded.subject, class_name = excluded.class_name,"
                         "  teacher = excluded.teacher, partner_school = excluded.partner_school,"
                         "  starts_at = excluded.starts_at, ends_at = excluded.ends_at,"
                         "  package_key = excluded.package_key, unit = excluded.unit,"
                         "  lesson_plan_id = excluded.lesson_plan_id, origin = excluded.origin,"
                         "  revision = excluded.revision, dirty = excluded.dirty,"
                         "  live_url = excluded.live_url, fallback = excluded.fallback,"
                         "  deleted = excluded.deleted"
                         " RETURNING id",
                         error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, form_names[entry->form], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, or_empty (entry->subject), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, or_empty (entry->class_name), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, or_empty (entry->teacher), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, or_empty (entry->partner_school), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, entry->starts_at);
  sqlite3_bind_int64 (stmt, 8, entry->ends_at);
  sqlite3_bind_text (stmt, 9, or_empty (entry->package_key), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, or_empty (entry->unit), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 11, entry->lesson_plan_id);
  sqlite3_bind_text (stmt, 12, entry->origin == CX_TIMETABLE_FROM_HUB ? "hub" : "school", -1,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 13, entry->revision);
  sqlite3_bind_int (stmt, 14, entry->dirty ? 1 : 0);
  sqlite3_bind_text (stmt, 15, or_empty (entry->live_url), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 16, or_empty (entry->fallback), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 17, entry->deleted ? 1 : 0);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cx_store_set_error (self, error, _ ("Could not save the timetable entry"));
      return 0;
    }

  return sqlite3_column_int64 (stmt, 0);
}

/**
 * cx_store_list_timetable:
 * @from: start of the window, in seconds since the epoch
 * @to: end of the window
 *
 * Returns: (transfer full) (element-type CxTimetableEntry): entries that
 *   overlap [@from, @to), in start order; entries removed here are left
 *   out even while the hub does not know yet
 */
GPtrArray *
cx_store_list_timetable (CxStore *self, gint64 from, gint64 to, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GPtrArray) entries =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cx_timetable_entry_free);
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  stmt = _cx_store_prepare (self,
                            "SELECT " ENTRY_COLUMNS " FROM timetable_entries"
                            " WHERE starts_at < ?2 AND ends_at > ?1 AND deleted = 0"
                            " ORDER BY starts_at, id",
                            error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      _cx_store_set_error (self, error, _ ("Could not read the timetable"));
      return NULL;
    }

  return g_steal_pointer (&entries);
}

static GPtrArray *
list_where (CxStore *self, const char *where, const char *uuid, GError **error)
{
  g_autofree char *sql =
      g_strconcat ("SELECT " ENTRY_COLUMNS " FROM timetable_entries WHERE ", where, NULL);
  g_autoptr (sqlite3_stmt) stmt = _cx_store_prepare (self, sql, error);
  g_autoptr (GPtrArray) entries =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cx_timetable_entry_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (uuid != NULL)
    sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _cx_store_set_error (self, error, _ ("Could not read the timetable"));
      return NULL;
    }
  return g_steal_pointer (&entries);
}

/**
 * cx_store_get_timetable_entry:
 *
 * Returns: (transfer full): the entry @uuid, also one removed here whose
 *   removal has not reached the hub yet (its @deleted set); or %NULL with
 *   %CX_STORE_ERROR_NOT_FOUND
 */
CxTimetableEntry *
cx_store_get_timetable_entry (CxStore *self, const char *uuid, GError **error)
{
  g_autoptr (GPtrArray) found = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  found = list_where (self, "uuid = ?1", uuid, error);
  if (found == NULL)
    return NULL;
  if (found->len == 0)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                   _ ("There is no timetable entry %s"), uuid);
      return NULL;
    }
  return g_ptr_array_steal_index (found, 0);
}

/**
 * cx_store_list_timetable_conflicts:
 *
 * Returns: (transfer full) (element-type CxTimetableEntry): the entries
 *   changed (or removed, @deleted set) both here and at the hub, waiting
 *   for someone to choose (cx_sync_service_resolve_timetable_conflict()),
 *   in start order
 */
GPtrArray *
cx_store_list_timetable_conflicts (CxStore *self, GError **error)
{
  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  return list_where (self, "conflict IS NOT NULL ORDER BY starts_at, id", NULL, error);
}

/* The school's own entry @uuid, as it is now, if people may change it. */
static CxTimetableEntry *
get_changeable (CxStore *self, const char *uuid, GError **error)
{
  g_autoptr (CxTimetableEntry) entry = cx_store_get_timetable_entry (self, uuid, error);

  if (entry == NULL)
    return NULL;
  if (entry->deleted)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                   _ ("Timetable entry %s was removed"), uuid);
      return NULL;
    }
  if (entry->origin == CX_TIMETABLE_FROM_HUB)
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_READ_ONLY,
                           _ ("That entry is the district’s timetable; only the district "
                              "changes it"));
      return NULL;
    }
  return g_steal_pointer (&entry);
}

/**
 * cx_store_edit_timetable_entry:
 * @entry: the changed entry, found by its uuid; its origin, revision,
 *   dirty flag, conflict and lesson plan are taken from the store
 *
 * Changes one of the school's own entries; the change goes to the hub at
 * the next sync. The district's entries are %CX_STORE_ERROR_READ_ONLY.
 */
gboolean
cx_store_edit_timetable_entry (CxStore *self, const CxTimetableEntry *entry, GError **error)
{
  g_autoptr (CxTimetableEntry) current = NULL;
  CxTimetableEntry changed;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);
  g_return_val_if_fail (entry != NULL && entry->uuid != NULL, FALSE);

  current = get_changeable (self, entry->uuid, error);
  if (current == NULL)
    return FALSE;
  changed = *entry;
  changed.origin = CX_TIMETABLE_FROM_SCHOOL;
  changed.revision = current->revision;
  changed.lesson_plan_id =
      entry->lesson_plan_id != 0 ? entry->lesson_plan_id : current->lesson_plan_id;
  changed.dirty = TRUE;
  changed.deleted = FALSE;
  return cx_store_save_timetable_entry (self, &changed, error) != 0;
}

/**
 * cx_store_delete_timetable_entry:
 *
 * Removes one of the school's own entries. One the hub never had goes at
 * once; otherwise it stays as a tombstone, hidden from the timetable,
 * until the next sync tells the hub. The district's entries are
 * %CX_STORE_ERROR_READ_ONLY.
 */
gboolean
cx_store_delete_timetable_entry (CxStore *self, const char *uuid, GError **error)
{
  g_autoptr (CxTimetableEntry) current = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  current = get_changeable (self, uuid, error);
  if (current == NULL)
    return FALSE;
  if (current->revision == 0)
    return cx_store_forget_timetable_entry (self, uuid, error);
  stmt = _cx_store_prepare (
      self, "UPDATE timetable_entries SET deleted = 1, dirty = 1 WHERE uuid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  return _cx_store_step_done (self, stmt, error);
}

/**
 * cx_store_list_timetable_to_push:
 *
 * Returns: (transfer full) (element-type CxTimetableEntry): the school's
 *   own entries changed or removed here and not yet taken by the hub,
 *   leaving out those waiting for a conflict to be resolved
 */
GPtrArray *
cx_store_list_timetable_to_push (CxStore *self, GError **error)
{
  return list_where (self, "origin = 'school' AND dirty = 1 AND conflict IS NULL ORDER BY id", NULL,
                     error);
}

static gboolean
same_text (const char *a, const char *b)
{
  return g_strcmp0 (or_empty (a), or_empty (b)) == 0;
}

/* Whether two versions of an entry say the same, whatever their revision. */
static gboolean
same_content (const CxTimetableEntry *a, const CxTimetableEntry *b)
{
  return a->form == b->form && same_text (a->subject, b->subject) &&
         same_text (a->class_name, b->class_name) && same_text (a->teacher, b->teacher) &&
         same_text (a->partner_school, b->partner_school) && a->starts_at == b->starts_at &&
         a->ends_at == b->ends_at && same_text (a->package_key, b->package_key) &&
         same_text (a->unit, b->unit) && same_text (a->live_url, b->live_url) &&
         same_text (a->fallback, b->fallback) && a->deleted == b->deleted;
}

/**
 * cx_store_apply_hub_timetable_entry:
 * @remote_json: @remote as the hub sent it, kept if it conflicts
 * @out_conflict: set when a change made here had not reached the hub
 *   before the hub's changed too: the local one is kept, with the hub's
 *   beside it, for the school to choose
 *
 * Takes an entry from the hub; a tombstone (@remote->deleted) removes it.
 * A change made here that the hub holds already (its reply was lost on
 * the way) is no conflict: it is simply taken as sent.
 */
gboolean
cx_store_apply_hub_timetable_entry (CxStore *self,
                                    const CxTimetableEntry *remote,
                                    const char *remote_json,
                                    gboolean *out_conflict,
                                    GError **error)
{
  g_autoptr (GPtrArray) local = list_where (self, "uuid = ?1", remote->uuid, error);
  const CxTimetableEntry *mine;

  *out_conflict = FALSE;
  if (local == NULL)
    return FALSE;
  mine = local->len > 0 ? g_ptr_array_index (local, 0) : NULL;
  if (mine != NULL && mine->revision >= remote->revision && mine->conflict == NULL)
    return TRUE; /* nothing newer */
  if (mine != NULL && mine->dirty && !same_content (mine, remote))
    {
      *out_conflict = TRUE;
      return cx_store_timetable_entry_conflicts (self, remote->uuid, remote_json, error);
    }
  if (remote->deleted)
    return mine == NULL || cx_store_forget_timetable_entry (self, remote->uuid, error);
  {
    CxTimetableEntry copy = *remote;

    copy.dirty = FALSE;
    copy.lesson_plan_id = mine != NULL ? mine->lesson_plan_id : 0;
    return cx_store_save_timetable_entry (self, &copy, error) != 0 &&
           cx_store_timetable_entry_conflicts (self, remote->uuid, NULL, error);
  }
}

/* The hub took the change: it is now at @revision. A removal the hub
 * took needs no tombstone any more. */
gboolean
cx_store_timetable_entry_pushed (CxStore *self, const char *uuid, gint64 revision, GError **error)
{
  g_autoptr (sqlite3_stmt) forget = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  forget = _cx_store_prepare (self, "DELETE FROM timetable_entries WHERE uuid = ?1 AND deleted = 1",
                              error);
  if (forget == NULL)
    return FALSE;
  sqlite3_bind_text (forget, 1, uuid, -1, SQLITE_TRANSIENT);
  if (!_cx_store_step_done (self, forget, error))
    return FALSE;
  stmt = _cx_store_prepare (
      self, "UPDATE timetable_entries SET revision = ?2, dirty = 0 WHERE uuid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, revision);
  return _cx_store_step_done (self, stmt, error);
}

/* Keeps (or, with %NULL, clears) the hub's version beside a local change. */
gboolean
cx_store_timetable_entry_conflicts (CxStore *self,
                                    const char *uuid,
                                    const char *remote_json,
                                    GError **error)
{
  g_autoptr (sqlite3_stmt) stmt =
      _cx_store_prepare (self, "UPDATE timetable_entries SET conflict = ?2 WHERE uuid = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  if (remote_json != NULL)
    sqlite3_bind_text (stmt, 2, remote_json, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  return _cx_store_step_done (self, stmt, error);
}

/**
 * cx_store_forget_timetable_entry:
 *
 * Removes the entry's row outright, without telling the hub: for sync,
 * once the hub knows it is gone (or never knew it).
 */
gboolean
cx_store_forget_timetable_entry (CxStore *self, const char *uuid, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt =
      _cx_store_prepare (self, "DELETE FROM timetable_entries WHERE uuid = ?1", error);

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  return _cx_store_step_done (self, stmt, error);
}
