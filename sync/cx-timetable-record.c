/* cx-timetable-record.c: timetable entries, written and strictly read */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-json-private.h"
#include "cx-sync-error.h"
#include "cx-timetable-record.h"

static const char *const forms[] = {
  "sync-classroom", "remote-delivery", "master-classroom", "online-research", "local", NULL,
};

void
cx_timetable_record_free (CxTimetableRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->uuid);
  g_free (record->form);
  g_free (record->subject);
  g_free (record->class_name);
  g_free (record->teacher);
  g_free (record->partner_school);
  g_free (record->package_key);
  g_free (record->unit);
  g_free (record);
}

static gboolean
set_bad (GError **error, const char *reason)
{
  g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED, _ ("Bad timetable entry: %s"),
               reason);
  return FALSE;
}

/* An optional text member, at most CX_TIMETABLE_TEXT_MAX bytes. */
static gboolean
get_text (JsonObject *object, const char *member, char **out, GError **error)
{
  const char *value = NULL;

  if (!_cx_json_get_string (object, member, FALSE, &value, error))
    return FALSE;
  if (value != NULL && strlen (value) > CX_TIMETABLE_TEXT_MAX)
    {
      g_autofree char *reason = g_strdup_printf (_ ("“%s” is too long"), member);

      return set_bad (error, reason);
    }
  *out = g_strdup (value != NULL ? value : "");
  return TRUE;
}

/**
 * cx_timetable_record_new_from_json:
 *
 * Reads and checks an entry: a UUID, a known activity form, times with the
 * end after the start, texts of bounded length. "revision" and "own" are
 * optional (0 and false).
 */
CxTimetableRecord *
cx_timetable_record_new_from_json (JsonObject *object, GError **error)
{
  g_autoptr (CxTimetableRecord) r = g_new0 (CxTimetableRecord, 1);
  const char *uuid = NULL, *form = NULL;
  guint64 starts = 0, ends = 0, revision = 0;

  if (!_cx_json_get_string (object, "uuid", TRUE, &uuid, error) ||
      !_cx_json_get_string (object, "form", TRUE, &form, error) ||
      !_cx_json_get_uint (object, "starts_at", CX_JSON_MAX_INT, &starts, error) ||
      !_cx_json_get_uint (object, "ends_at", CX_JSON_MAX_INT, &ends, error))
    return NULL;
  if (json_object_has_member (object, "revision") &&
      !_cx_json_get_uint (object, "revision", CX_JSON_MAX_INT, &revision, error))
    return NULL;
  if (!g_uuid_string_is_valid (uuid))
    {
      set_bad (error, _ ("its id is not a UUID"));
      return NULL;
    }
  if (!g_strv_contains (forms, form))
    {
      set_bad (error, _ ("its activity form is not one of the five"));
      return NULL;
    }
  if (ends <= starts)
    {
      set_bad (error, _ ("it ends before it starts"));
      return NULL;
    }

  r->uuid = g_strdup (uuid);
  r->form = g_strdup (form);
  r->starts_at = (gint64) starts;
  r->ends_at = (gint64) ends;
  r->revision = (gint64) revision;
  r->own = json_object_get_boolean_member_with_default (object, "own", FALSE);
  if (!get_text (object, "subject", &r->subject, error) ||
      !get_text (object, "class", &r->class_name, error) ||
      !get_text (object, "teacher", &r->teacher, error) ||
      !get_text (object, "partner_school", &r->partner_school, error) ||
      !get_text (object, "package", &r->package_key, error) ||
      !get_text (object, "unit", &r->unit, error))
    return NULL;
  return g_steal_pointer (&r);
}

static void
add_string (JsonBuilder *b, const char *member, const char *value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, value != NULL ? value : "");
}

/* The entry's members, into an object the caller has begun. */
void
cx_timetable_record_add_fields (const CxTimetableRecord *r, JsonBuilder *b)
{
  add_string (b, "uuid", r->uuid);
  json_builder_set_member_name (b, "revision");
  json_builder_add_int_value (b, r->revision);
  add_string (b, "form", r->form);
  add_string (b, "subject", r->subject);
  add_string (b, "class", r->class_name);
  add_string (b, "teacher", r->teacher);
  add_string (b, "partner_school", r->partner_school);
  json_builder_set_member_name (b, "starts_at");
  json_builder_add_int_value (b, r->starts_at);
  json_builder_set_member_name (b, "ends_at");
  json_builder_add_int_value (b, r->ends_at);
  add_string (b, "package", r->package_key);
  add_string (b, "unit", r->unit);
  json_builder_set_member_name (b, "own");
  json_builder_add_boolean_value (b, r->own);
}

char *
cx_timetable_record_to_json (const CxTimetableRecord *record)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  cx_timetable_record_add_fields (record, b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return _cx_json_to_data (root, NULL);
}
