/* cx-timetable-record.c: timetable entries, written and strictly read */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-json-private.h"
#include "cx-manifest.h"
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
  g_free (record->live_url);
  g_free (record->fallback);
  g_free (record);
}

static gboolean
set_bad (GError **error, const char *reason)
{
  g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED, _ ("Bad timetable entry: %s"),
               reason);
  return FALSE;
}

/* An optional text member, at most @max bytes. */
static gboolean
get_text (JsonObject *object, const char *member, gsize max, char **out, GError **error)
{
  const char *value = NULL;

  if (!_cx_json_get_string (object, member, FALSE, &value, error))
    return FALSE;
  if (value != NULL && strlen (value) > max)
    {
      g_autofree char *reason = g_strdup_printf (_ ("“%s” is too long"), member);

      return set_bad (error, reason);
    }
  *out = g_strdup (value != NULL ? value : "");
  return TRUE;
}

static gboolean
set_bad_value (GError **error, const char *message)
{
  g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED, message);
  return FALSE;
}

/**
 * cx_timetable_check_live_url:
 * @url: the address of a class's live stream or meeting; "" for none
 *
 * Accepts "" and absolute http or https URLs with a host, of at most
 * %CX_TIMETABLE_URL_MAX bytes, without spaces, control characters or a
 * user name (which could make one address look like another).
 */
gboolean
cx_timetable_check_live_url (const char *url, GError **error)
{
  g_autoptr (GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (url != NULL, FALSE);

  if (*url == '\0')
    return TRUE;
  if (strlen (url) > CX_TIMETABLE_URL_MAX)
    return set_bad_value (error, _ ("The live-class address is too long"));
  for (const char *p = url; *p; p++)
    if ((guchar) *p <= 0x20 || (guchar) *p == 0x7f)
      return set_bad_value (error, _ ("The live-class address must not contain spaces"));
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    return set_bad_value (error, _ ("The live-class address must start with http:// or https://"));
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return set_bad_value (error, _ ("The live-class address has no host"));
  if (g_uri_get_userinfo (uri) != NULL)
    return set_bad_value (error, _ ("The live-class address must not hold a user name"));
  return TRUE;
}

/**
 * cx_timetable_check_fallback:
 * @path: a file of the entry's package, such as "unit-2/lesson-2/静夜思.webm";
 *   "" for none
 *
 * Accepts "" and package paths (PROTOCOL.md §5.1: relative, no "." or
 * "..") of at most %CX_TIMETABLE_FALLBACK_MAX bytes.
 */
gboolean
cx_timetable_check_fallback (const char *path, GError **error)
{
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if (*path == '\0')
    return TRUE;
  if (strlen (path) > CX_TIMETABLE_FALLBACK_MAX)
    return set_bad_value (error, _ ("The fallback path is too long"));
  if (!cx_manifest_validate_path (path, -1, &local))
    {
      g_debug ("Fallback %s refused: %s", path, local->message);
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                   _ ("The fallback “%s” is not a file inside the package"), path);
      return FALSE;
    }
  return TRUE;
}

/**
 * cx_timetable_record_new_from_json:
 *
 * Reads and checks an entry: a UUID, a known activity form, times with the
 * end after the start, texts of bounded length, an http(s) live-class
 * address and a package path as fallback. "revision", "deleted" and "own"
 * are optional (0, false and false).
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
  r->deleted = json_object_get_boolean_member_with_default (object, "deleted", FALSE);
  if (!get_text (object, "subject", CX_TIMETABLE_TEXT_MAX, &r->subject, error) ||
      !get_text (object, "class", CX_TIMETABLE_TEXT_MAX, &r->class_name, error) ||
      !get_text (object, "teacher", CX_TIMETABLE_TEXT_MAX, &r->teacher, error) ||
      !get_text (object, "partner_school", CX_TIMETABLE_TEXT_MAX, &r->partner_school, error) ||
      !get_text (object, "package", CX_TIMETABLE_TEXT_MAX, &r->package_key, error) ||
      !get_text (object, "unit", CX_TIMETABLE_TEXT_MAX, &r->unit, error) ||
      !get_text (object, "live_url", CX_TIMETABLE_URL_MAX, &r->live_url, error) ||
      !get_text (object, "fallback", CX_TIMETABLE_FALLBACK_MAX, &r->fallback, error))
    return NULL;
  {
    g_autoptr (GError) local = NULL;

    if (!cx_timetable_check_live_url (r->live_url, &local) ||
        !cx_timetable_check_fallback (r->fallback, &local))
      {
        set_bad (error, local->message);
        return NULL;
      }
  }
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
  add_string (b, "live_url", r->live_url);
  add_string (b, "fallback", r->fallback);
  json_builder_set_member_name (b, "deleted");
  json_builder_add_boolean_value (b, r->deleted);
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

static gboolean
same_text (const char *a, const char *b)
{
  return g_strcmp0 (a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* Whether @a and @b say the same, whatever their revision and owner. */
gboolean
cx_timetable_record_same_content (const CxTimetableRecord *a, const CxTimetableRecord *b)
{
  return same_text (a->uuid, b->uuid) && same_text (a->form, b->form) &&
         same_text (a->subject, b->subject) && same_text (a->class_name, b->class_name) &&
         same_text (a->teacher, b->teacher) && same_text (a->partner_school, b->partner_school) &&
         a->starts_at == b->starts_at && a->ends_at == b->ends_at &&
         same_text (a->package_key, b->package_key) && same_text (a->unit, b->unit) &&
         same_text (a->live_url, b->live_url) && same_text (a->fallback, b->fallback) &&
         a->deleted == b->deleted;
}
