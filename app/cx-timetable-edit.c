/* cx-timetable-edit.c: the school's own timetable entries, checked and saved
 *
 * What a teacher types is checked here, field by field, with the same
 * limits the hub applies, so that an entry saved on this computer is never
 * refused at the next sync.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-timetable-edit.h"
#include "cx-timetable-record.h"

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

static gboolean
fail (CxTimetableFields field,
      CxTimetableFields *out_bad_field,
      GError **error,
      const char *message)
{
  if (out_bad_field != NULL)
    *out_bad_field = field;
  g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
check_length (const char *text,
              CxTimetableFields field,
              const char *message,
              CxTimetableFields *out_bad_field,
              GError **error)
{
  if (text != NULL && strlen (text) > CX_TIMETABLE_TEXT_MAX)
    return fail (field, out_bad_field, error, message);
  return TRUE;
}

/* The checks the hub applies to the live-class address and the fallback. */
static gboolean
check_link (gboolean (*check) (const char *, GError **),
            const char *text,
            CxTimetableFields field,
            CxTimetableFields *out_bad_field,
            GError **error)
{
  if (check (text != NULL ? text : "", error))
    return TRUE;
  if (out_bad_field != NULL)
    *out_bad_field = field;
  return FALSE;
}

/**
 * cx_timetable_check_entry:
 * @out_bad_field: (out) (optional): the field at fault
 *
 * Checks an entry of the school's own before it is saved: a subject and a
 * class, an end after the start, and texts the hub takes.
 *
 * Returns: %TRUE when it may be saved, or %FALSE with a message that says
 *   what to change in @error
 */
gboolean
cx_timetable_check_entry (const CxTimetableEntry *entry,
                          CxTimetableFields *out_bad_field,
                          GError **error)
{
  g_return_val_if_fail (entry != NULL, FALSE);

  if (out_bad_field != NULL)
    *out_bad_field = 0;
  if ((guint) entry->form > CX_ACTIVITY_LOCAL)
    return fail (CX_TIMETABLE_FIELD_FORM, out_bad_field, error,
                 _ ("Choose the activity form of the class."));
  if (is_blank (entry->subject))
    return fail (CX_TIMETABLE_FIELD_SUBJECT, out_bad_field, error,
                 _ ("Give the subject, for example 数学."));
  if (is_blank (entry->class_name))
    return fail (CX_TIMETABLE_FIELD_CLASS, out_bad_field, error,
                 _ ("Give the class, for example 三年级."));
  if (entry->starts_at <= 0)
    return fail (CX_TIMETABLE_FIELD_STARTS, out_bad_field, error,
                 _ ("Give the date and the time the class starts."));
  if (entry->ends_at <= entry->starts_at)
    return fail (CX_TIMETABLE_FIELD_ENDS, out_bad_field, error,
                 _ ("The class must end after it starts."));
  if (entry->ends_at - entry->starts_at > 24 * 3600)
    return fail (CX_TIMETABLE_FIELD_ENDS, out_bad_field, error,
                 _ ("A class lasts at most a day: check the end time."));
  if (!is_blank (entry->fallback) && is_blank (entry->package_key))
    return fail (CX_TIMETABLE_FIELD_FALLBACK, out_bad_field, error,
                 _ ("The file to open instead is one of a package: choose the package too."));
  return check_length (entry->subject, CX_TIMETABLE_FIELD_SUBJECT, _ ("The subject is too long."),
                       out_bad_field, error) &&
         check_length (entry->class_name, CX_TIMETABLE_FIELD_CLASS,
                       _ ("The class name is too long."), out_bad_field, error) &&
         check_length (entry->teacher, CX_TIMETABLE_FIELD_TEACHER,
                       _ ("The teacher’s name is too long."), out_bad_field, error) &&
         check_length (entry->partner_school, CX_TIMETABLE_FIELD_PARTNER,
                       _ ("The partner school’s name is too long."), out_bad_field, error) &&
         check_length (entry->package_key, CX_TIMETABLE_FIELD_PACKAGE,
                       _ ("The package name is too long."), out_bad_field, error) &&
         check_length (entry->unit, CX_TIMETABLE_FIELD_UNIT, _ ("The unit name is too long."),
                       out_bad_field, error) &&
         check_link (cx_timetable_check_live_url, entry->live_url, CX_TIMETABLE_FIELD_LIVE_URL,
                     out_bad_field, error) &&
         check_link (cx_timetable_check_fallback, entry->fallback, CX_TIMETABLE_FIELD_FALLBACK,
                     out_bad_field, error);
}

/* Whether @uuid is stored; %FALSE with @error set when that cannot be told. */
static gboolean
is_stored (CxStore *store, const char *uuid, GError **error)
{
  g_autoptr (CxTimetableEntry) stored = NULL;
  g_autoptr (GError) local_error = NULL;

  stored = cx_store_get_timetable_entry (store, uuid, &local_error);
  if (stored == NULL && !g_error_matches (local_error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return stored != NULL;
}

/**
 * cx_timetable_save_school_entry:
 * @entry: a new entry (its uuid %NULL, or not yet stored), or one of the
 *   school's own, changed
 *
 * Checks and saves an entry of the school's own, marked to go to the hub at
 * the next sync. A changed entry keeps the revision it was based on, so the
 * hub can tell whether it changed there meanwhile; the district's entries
 * cannot be changed here.
 *
 * Returns: the entry's id, or 0 with @error set and nothing written
 */
gint64
cx_timetable_save_school_entry (CxStore *store, const CxTimetableEntry *entry, GError **error)
{
  g_autoptr (CxTimetableItem) saved = NULL;
  g_autoptr (GError) local_error = NULL;
  CxTimetableEntry added;

  g_return_val_if_fail (CX_IS_STORE (store), 0);
  g_return_val_if_fail (entry != NULL, 0);

  if (!cx_timetable_check_entry (entry, NULL, error))
    return 0;
  if (entry->uuid == NULL || !is_stored (store, entry->uuid, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return 0;
        }
      added = *entry;
      added.origin = CX_TIMETABLE_FROM_SCHOOL;
      added.revision = 0;
      added.dirty = TRUE;
      added.deleted = FALSE;
      return cx_store_save_timetable_entry (store, &added, error);
    }
  if (!cx_store_edit_timetable_entry (store, entry, error))
    return 0;
  saved = cx_timetable_find_item (store, entry->uuid, error);
  if (saved == NULL)
    return 0;
  return cx_timetable_item_get_entry (saved)->id;
}
