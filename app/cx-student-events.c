/* cx-student-events.c: student mode's usage events, with or without the pupil's name */
#include "config.h"

#include <json-glib/json-glib.h>
#include <glib/gi18n-lib.h>

#include "cx-store-journal.h"
#include "cx-store-settings.h"
#include "cx-store-timetable.h"
#include "cx-student-events.h"

/* The hub takes payloads of at most 8 KiB, and an event it refuses would
 * hold back every later one: text members are cut to this many characters. */
#define TEXT_MAX_CHARS 200

static void
add_text (JsonBuilder *builder, const char *member, const char *text)
{
  g_autofree char *cut = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    text = "";
  if (g_utf8_strlen (text, -1) > TEXT_MAX_CHARS)
    text = cut = g_utf8_substring (text, 0, TEXT_MAX_CHARS);
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, text);
}

/* Starts the payload every student event shares: the mode, the class, the
 * timetable entry of that class running at @now (if any) and the pupil
 * (if the school records names). */
static JsonBuilder *
begin_payload (
    CxStore *store, const char *class_name, const char *pupil, gint64 now, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GPtrArray) running = NULL;
  gboolean names = FALSE;

  if (class_name == NULL || *class_name == '\0')
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                           _ ("A student-mode event needs the class"));
      return NULL;
    }
  if (!cx_store_get_setting_boolean (store, CX_SETTING_RECORD_PUPIL_NAMES, FALSE, &names, error))
    return NULL;
  running = cx_store_list_timetable (store, now, now + 1, error);
  if (running == NULL)
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, "student");
  add_text (builder, "class", class_name);
  for (guint i = 0; i < running->len; i++)
    {
      const CxTimetableEntry *entry = g_ptr_array_index (running, i);

      if (g_strcmp0 (entry->class_name, class_name) != 0)
        continue;
      json_builder_set_member_name (builder, "timetable");
      json_builder_add_string_value (builder, entry->uuid);
      json_builder_set_member_name (builder, "form");
      json_builder_add_string_value (builder, cx_activity_form_to_string (entry->form));
      add_text (builder, "subject", entry->subject);
      break;
    }
  if (names && pupil != NULL && *pupil != '\0')
    {
      add_text (builder, "pupil", pupil);
    }
  return g_steal_pointer (&builder);
}

static gint64
append (CxStore *store, const char *kind, JsonBuilder *builder, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  return cx_store_journal_append (store, kind, text, error);
}

/**
 * cx_student_events_record_resource_opened:
 * @pupil: (nullable): who opened it, if student mode knows; recorded only
 *   with the school's consent (CX_SETTING_RECORD_PUPIL_NAMES)
 * @kind: (nullable): the resource's kind, like "pdf"
 * @now: the time, in seconds since the epoch, to find the running class
 *
 * Returns: the event's sequence number, or 0 with @error set
 */
gint64
cx_student_events_record_resource_opened (CxStore *store,
                                          const char *class_name,
                                          const char *pupil,
                                          gint64 resource_id,
                                          const char *title,
                                          const char *kind,
                                          gint64 now,
                                          GError **error)
{
  g_autoptr (JsonBuilder) builder = NULL;

  g_return_val_if_fail (CX_IS_STORE (store), 0);

  builder = begin_payload (store, class_name, pupil, now, error);
  if (builder == NULL)
    return 0;
  json_builder_set_member_name (builder, "resource");
  json_builder_add_int_value (builder, resource_id);
  add_text (builder, "title", title);
  if (kind != NULL)
    add_text (builder, "kind", kind);
  return append (store, CX_STUDENT_EVENT_RESOURCE_OPENED, builder, error);
}

/**
 * cx_student_events_record_hand_in:
 * @hand_in_id: as cx_hand_in_files_add() returned it
 *
 * Records that work was handed in: its id, assignment and size, never the
 * file's name (which often carries the pupil's).
 *
 * Returns: the event's sequence number, or 0 with @error set
 */
gint64
cx_student_events_record_hand_in (CxStore *store, gint64 hand_in_id, gint64 now, GError **error)
{
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (CxHandIn) hand_in = NULL;

  g_return_val_if_fail (CX_IS_STORE (store), 0);

  hand_in = cx_store_get_hand_in (store, hand_in_id, error);
  if (hand_in == NULL)
    return 0;
  builder = begin_payload (store, hand_in->class_name, hand_in->pupil, now, error);
  if (builder == NULL)
    return 0;
  json_builder_set_member_name (builder, "hand_in");
  json_builder_add_string_value (builder, hand_in->uuid);
  add_text (builder, "assignment", hand_in->assignment);
  if (hand_in->assignment_id != 0)
    {
      json_builder_set_member_name (builder, "assignment_id");
      json_builder_add_int_value (builder, hand_in->assignment_id);
    }
  if (hand_in->lesson_plan_id != 0)
    {
      json_builder_set_member_name (builder, "lesson_plan");
      json_builder_add_int_value (builder, hand_in->lesson_plan_id);
    }
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, hand_in->size);
  return append (store, CX_STUDENT_EVENT_HAND_IN, builder, error);
}
