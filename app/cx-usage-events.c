/* cx-usage-events.c: lesson.prepared, and the timetable entry in an event's payload */
#include "config.h"

#include "cx-report.h"
#include "cx-store-journal.h"
#include "cx-store-lessons.h"
#include "cx-store-timetable.h"
#include "cx-usage-events.h"

/* The hub takes payloads of at most 8 KiB: texts are cut to this many characters. */
#define TEXT_MAX_CHARS 200

static void
add_text (JsonBuilder *builder, const char *member, const char *text)
{
  g_autofree char *cut = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    text = "";
  cut = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), TEXT_MAX_CHARS));
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, cut);
}

/**
 * cx_usage_events_record_lesson_prepared:
 * @plan_id: the lesson plan just made
 * @teacher: (nullable): who made it, as the account is named
 *
 * Records a lesson.prepared event. Call it when a plan is created (or
 * duplicated into a new one), not on every edit: the report counts plans.
 *
 * Returns: the event's sequence number, or 0 with @error set
 */
gint64
cx_usage_events_record_lesson_prepared (CxStore *store,
                                        gint64 plan_id,
                                        const char *teacher,
                                        GError **error)
{
  g_autoptr (CxLessonPlan) plan = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (CX_IS_STORE (store), 0);

  plan = cx_store_get_lesson_plan (store, plan_id, error);
  if (plan == NULL)
    return 0;
  json_builder_begin_object (builder);
  add_text (builder, "plan", plan->uuid);
  add_text (builder, "title", plan->title);
  add_text (builder, "class", plan->class_name);
  add_text (builder, "subject", plan->subject);
  if (teacher != NULL && *teacher != '\0')
    add_text (builder, "teacher", teacher);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  return cx_store_journal_append (store, CX_EVENT_LESSON_PREPARED, text, error);
}

/**
 * cx_usage_events_describe_entry:
 * @uuid: a timetable entry
 * @payload: an object being built (between begin and end)
 *
 * Adds the entry to @payload: `timetable`, `form`, `subject`, `class` and
 * `teacher`. An entry this store does not know adds only `timetable`.
 *
 * Returns: %FALSE with @error set if the timetable cannot be read
 */
gboolean
cx_usage_events_describe_entry (CxStore *store,
                                const char *uuid,
                                JsonBuilder *payload,
                                GError **error)
{
  g_autoptr (CxTimetableEntry) entry = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (CX_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);
  g_return_val_if_fail (JSON_IS_BUILDER (payload), FALSE);

  add_text (payload, "timetable", uuid);
  entry = cx_store_get_timetable_entry (store, uuid, &local_error);
  if (entry == NULL)
    {
      if (g_error_matches (local_error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  add_text (payload, "form", cx_activity_form_to_string (entry->form));
  add_text (payload, "subject", entry->subject);
  add_text (payload, "class", entry->class_name);
  add_text (payload, "teacher", entry->teacher);
  return TRUE;
}

/**
 * cx_usage_events_describe_lesson:
 * @plan_id: the lesson plan being taught
 * @now: Unix seconds
 *
 * For a lesson taught: the timetable entry it is linked to today, the one
 * starting nearest @now, described as cx_usage_events_describe_entry()
 * does; nothing when no entry of today links the plan (a local lesson).
 *
 * Returns: %FALSE with @error set when the timetable cannot be read
 */
gboolean
cx_usage_events_describe_lesson (
    CxStore *store, gint64 plan_id, gint64 now, JsonBuilder *payload, GError **error)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_local (now);
  g_autoptr (GDateTime) midnight = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  const CxTimetableEntry *nearest = NULL;
  gint64 from;

  g_return_val_if_fail (CX_IS_STORE (store), FALSE);
  g_return_val_if_fail (JSON_IS_BUILDER (payload), FALSE);

  if (plan_id == 0 || time == NULL)
    return TRUE;
  midnight = g_date_time_new_local (g_date_time_get_year (time), g_date_time_get_month (time),
                                    g_date_time_get_day_of_month (time), 0, 0, 0);
  from = g_date_time_to_unix (midnight);
  entries = cx_store_list_timetable (store, from, from + 24 * 3600, error);
  if (entries == NULL)
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      const CxTimetableEntry *entry = g_ptr_array_index (entries, i);

      if (entry->lesson_plan_id == plan_id &&
          (nearest == NULL || ABS (entry->starts_at - now) < ABS (nearest->starts_at - now)))
        nearest = entry;
    }
  return nearest == NULL || cx_usage_events_describe_entry (store, nearest->uuid, payload, error);
}
