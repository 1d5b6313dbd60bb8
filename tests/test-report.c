/* test-report.c: the monthly report counted from a journal of known content */
#include "config.h"

#include <string.h>

#include "cx-report-export.h"
#include "cx-report-payload.h"
#include "cx-report.h"
#include "cx-store-journal.h"
#include "cx-store-lessons.h"
#include "cx-store-timetable.h"
#include "cx-test-report-fixture.h"
#include "cx-test-util.h"
#include "cx-usage-events.h"
#include "cx-usage-export.h"

static CxStore *
new_fixture (void)
{
  CxStore *store = cx_test_new_store (NULL);

  cx_test_report_fixture_fill (store);
  return store;
}

static CxReport *
compute (CxStore *store, int year, int month)
{
  g_autoptr (GError) error = NULL;
  CxReport *report = cx_report_compute (store, year, month, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static void
assert_form (const CxReport *report,
             CxActivityForm form,
             gint64 activities,
             gint64 teachers,
             gint64 pupils,
             const char *subjects)
{
  const CxReportForm *row = &report->forms[form];
  g_autofree char *joined = g_strjoinv (",", row->subjects);

  g_assert_cmpint (row->form, ==, form);
  g_assert_cmpint (row->activities, ==, activities);
  g_assert_cmpint (row->teachers, ==, teachers);
  g_assert_cmpint (row->pupils, ==, pupils);
  g_assert_cmpstr (joined, ==, subjects);
}

static void
assert_count (GPtrArray *counts, guint index, const char *key, gint64 count, gint64 seconds)
{
  const CxReportCount *c;

  g_assert_cmpuint (index, <, counts->len);
  c = g_ptr_array_index (counts, index);
  g_assert_cmpstr (c->key, ==, key);
  g_assert_cmpint (c->count, ==, count);
  g_assert_cmpint (c->seconds, ==, seconds);
}

static void
test_parse_month (void)
{
  const char *bad[] = { "2026-13", "2026-1", "26-10", "2026/10", "2026-10-01", "", "abcd-ef" };
  int year = 0, month = 0;

  g_assert_true (cx_report_parse_month ("2026-10", &year, &month, NULL));
  g_assert_cmpint (year, ==, 2026);
  g_assert_cmpint (month, ==, 10);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (cx_report_parse_month (bad[i], &year, &month, &error));
      g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
    }
}

static void
test_fixture (void)
{
  g_autoptr (CxStore) store = new_fixture ();
  g_autoptr (CxReport) report = compute (store, 2026, 10);
  g_autofree char *note = NULL;
  const gint64 per_day[] = { 3, 1, 2, 1, 2, 3, 5, 2 };
  g_autoptr (GDateTime) from = g_date_time_new_local (2026, 10, 1, 0, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_local (2026, 11, 1, 0, 0, 0);

  g_assert_cmpstr (report->month, ==, "2026-10");
  g_assert_cmpint (report->from, ==, g_date_time_to_unix (from));
  g_assert_cmpint (report->to, ==, g_date_time_to_unix (to));

  assert_form (report, CX_ACTIVITY_SYNC_CLASSROOM, 1, 2, 11, "数学");
  assert_form (report, CX_ACTIVITY_REMOTE_DELIVERY, 1, 1, 12, "英语");
  assert_form (report, CX_ACTIVITY_MASTER_CLASSROOM, 1, 1, 8, "科学");
  assert_form (report, CX_ACTIVITY_ONLINE_RESEARCH, 1, 1, 0, "语文");
  assert_form (report, CX_ACTIVITY_LOCAL, 1, 1, 8, "数学");

  g_assert_cmpint (report->lesson_plans, ==, 2);
  g_assert_cmpint (report->hand_ins, ==, 2);
  g_assert_cmpint (report->process_materials, ==, 2);
  g_assert_cmpint (report->resources_opened, ==, 5);
  g_assert_cmpint (report->seconds_spent, ==, 720);

  g_assert_cmpint (report->events, ==, 24);
  g_assert_cmpint (report->skipped_invalid, ==, 2);
  g_assert_cmpint (report->skipped_unknown, ==, 1);
  g_assert_cmpint (report->skipped_missing, ==, 2);
  note = cx_report_note_skipped (report);
  g_assert_nonnull (note);
  g_assert_true (g_str_has_prefix (note, "5 of 24 "));

  g_assert_cmpuint (report->per_day->len, ==, 31);
  assert_count (report->per_day, 0, "2026-10-01", 3, 0);
  for (guint day = 0; day < 31; day++)
    {
      const CxReportCount *c = g_ptr_array_index (report->per_day, day);

      g_assert_cmpint (c->count, ==, day < G_N_ELEMENTS (per_day) ? per_day[day] : 0);
    }
  assert_count (report->per_day, 30, "2026-10-31", 0, 0);

  g_assert_cmpuint (report->by_subject->len, ==, 4);
  assert_count (report->by_subject, 0, "数学", 2, 0);
  assert_count (report->by_subject, 1, "科学", 1, 0);
  assert_count (report->by_subject, 2, "英语", 1, 0);
  assert_count (report->by_subject, 3, "语文", 1, 0);

  g_assert_cmpuint (report->by_form->len, ==, CX_REPORT_N_FORMS);
  assert_count (report->by_form, 0, "sync-classroom", 1, 0);
  assert_count (report->by_form, 4, "local", 1, 0);

  g_assert_cmpuint (report->top_resources->len, ==, 2);
  assert_count (report->top_resources, 0, "7", 3, 600);
  assert_count (report->top_resources, 1, "9", 2, 120);
  g_assert_cmpstr (((CxReportCount *) report->top_resources->pdata[0])->label, ==, "静夜思.mp4");
}

static void
test_empty_month (void)
{
  g_autoptr (CxStore) store = new_fixture ();
  g_autoptr (CxReport) report = compute (store, 2026, 12);

  g_assert_cmpint (report->events, ==, 0);
  g_assert_null (cx_report_note_skipped (report));
  g_assert_cmpuint (report->per_day->len, ==, 31);
  g_assert_cmpuint (report->by_subject->len, ==, 0);
  g_assert_cmpuint (report->top_resources->len, ==, 0);
  for (int form = 0; form < CX_REPORT_N_FORMS; form++)
    {
      g_assert_cmpint (report->forms[form].activities, ==, 0);
      g_assert_cmpuint (g_strv_length (report->forms[form].subjects), ==, 0);
    }
  g_assert_cmpstr (report->fields.highlights, ==, "");
}

static void
test_fields (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) journal = NULL;
  CxReportFields fields = { 0 };
  CxReportFields again = { 0 };
  const CxJournalEntry *entry;

  g_assert_true (cx_store_get_report_fields (store, 2026, 10, &fields, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fields.next_plan, ==, "");
  g_assert_cmpint (fields.agreement_signed, ==, CX_REPORT_ANSWER_UNKNOWN);

  g_assert_true (cx_report_fields_set_by_name (&fields, "publicity", "3", NULL));
  g_assert_true (cx_report_fields_set_by_name (&fields, "publicity-county", "1", NULL));
  g_assert_true (cx_report_fields_set_by_name (&fields, "highlights", "同步课堂全覆盖", NULL));
  g_assert_true (cx_report_fields_set_by_name (&fields, "next-plan", "开展网络研修", NULL));
  g_assert_true (cx_report_fields_set_by_name (&fields, "agreement-signed", "是", NULL));
  g_assert_true (cx_report_fields_set_by_name (&fields, "equipment-ok", "no", NULL));
  g_assert_false (cx_report_fields_set_by_name (&fields, "publicity", "many", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cx_report_fields_set_by_name (&fields, "space-opened", "maybe", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cx_report_fields_set_by_name (&fields, "weather", "fine", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "next-plan"));
  g_clear_error (&error);

  g_assert_true (cx_store_set_report_fields (store, 2026, 10, &fields, &error));
  g_assert_no_error (error);
  g_assert_true (cx_store_get_report_fields (store, 2026, 10, &again, &error));
  g_assert_no_error (error);
  g_assert_cmpint (again.publicity_school, ==, 3);
  g_assert_cmpint (again.publicity_county, ==, 1);
  g_assert_cmpstr (again.highlights, ==, "同步课堂全覆盖");
  g_assert_cmpstr (again.next_plan, ==, "开展网络研修");
  g_assert_cmpint (again.agreement_signed, ==, CX_REPORT_ANSWER_YES);
  g_assert_cmpint (again.equipment_ok, ==, CX_REPORT_ANSWER_NO);
  g_assert_cmpint (again.space_opened, ==, CX_REPORT_ANSWER_UNKNOWN);
  cx_report_fields_clear (&again);

  /* Another month keeps its own. */
  g_assert_true (cx_store_get_report_fields (store, 2026, 11, &again, &error));
  g_assert_cmpstr (again.highlights, ==, "");
  cx_report_fields_clear (&again);

  /* The hub hears of the answers through the journal. */
  journal = cx_store_journal_read (store, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (journal->len, ==, 1);
  entry = g_ptr_array_index (journal, 0);
  g_assert_cmpstr (entry->kind, ==, "report.fields");
  g_assert_nonnull (strstr (entry->payload, "\"month\":\"2026-10\""));
  g_assert_nonnull (strstr (entry->payload, "\"publicity-school\":3"));
  g_assert_nonnull (strstr (entry->payload, "\"agreement-signed\":\"yes\""));
  g_clear_pointer (&journal, g_ptr_array_unref);

  /* Long texts of control characters (six bytes each in JSON): kept here
   * whole, cut in the event so the hub takes it. */
  {
    g_autofree char *tabs = g_strnfill (1000, '\x01');

    g_assert_true (cx_report_fields_set_by_name (&fields, "highlights", tabs, NULL));
    g_assert_true (cx_report_fields_set_by_name (&fields, "next-plan", tabs, NULL));
    g_assert_true (cx_report_fields_set_by_name (&fields, "reporter", tabs, NULL));
    g_assert_true (cx_store_set_report_fields (store, 2026, 10, &fields, &error));
    g_assert_no_error (error);
    g_assert_true (cx_store_get_report_fields (store, 2026, 10, &again, &error));
    g_assert_cmpuint (strlen (again.highlights), ==, 1000);
    cx_report_fields_clear (&again);
    journal = cx_store_journal_read (store, 1, 10, &error);
    g_assert_cmpuint (journal->len, ==, 1);
    entry = g_ptr_array_index (journal, 0);
    g_assert_cmpuint (strlen (entry->payload), <=, 8000);
    g_assert_cmpuint (strlen (entry->payload), >, 4000);
  }
  cx_report_fields_clear (&fields);
}

typedef struct
{
  GMainLoop *loop;
  CxReport *report;
  GError *error;
  guint progress_calls;
  guint64 last_done;
} AsyncState;

static void
on_progress (guint64 done, guint64 total, gpointer user_data)
{
  AsyncState *state = user_data;

  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >=, state->last_done);
  state->last_done = done;
  state->progress_calls++;
}

static void
on_computed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncState *state = user_data;

  state->report = cx_report_compute_finish (CX_STORE (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
test_async (void)
{
  g_autoptr (CxStore) store = new_fixture ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  AsyncState state = { g_main_loop_new (NULL, FALSE) };

  cx_test_report_fixture_add_bulk (store, 2026, 10, 100000);
  cx_report_compute_async (store, 2026, 10, NULL, on_progress, &state, on_computed, &state);
  g_main_loop_run (state.loop);
  g_assert_no_error (state.error);
  g_assert_nonnull (state.report);
  g_assert_cmpuint (state.progress_calls, >=, 1);
  g_assert_cmpuint (state.last_done, ==, 100024);

  /* One event in ten of each kind (see the fixture's bulk). */
  g_assert_cmpint (state.report->events, ==, 100024);
  g_assert_cmpint (state.report->hand_ins, ==, 2 + 10000);
  g_assert_cmpint (state.report->resources_opened, ==, 5 + 10000 + 40000);
  g_assert_cmpint (state.report->forms[CX_ACTIVITY_LOCAL].activities, ==, 1 + 10000);
  g_assert_cmpint (state.report->forms[CX_ACTIVITY_LOCAL].teachers, ==, 1 + 7);
  g_assert_cmpint (state.report->lesson_plans, ==, 2);
  g_clear_pointer (&state.report, cx_report_free);

  /* Cancelled: an error, no report. */
  g_cancellable_cancel (cancellable);
  cx_report_compute_async (store, 2026, 10, cancellable, NULL, NULL, on_computed, &state);
  g_main_loop_run (state.loop);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (state.report);
  g_clear_error (&state.error);
  g_main_loop_unref (state.loop);
}

static void
test_payload (void)
{
  const char *not_objects[] = {
    "",
    "[]",
    "\"text\"",
    "{",
    "{\"a\":}",
    "{\"a\" 1}",
    "{\"a\":1,}",
    "{\"a\":1}x",
    "{not json",
    "{\"a\":01}",
    "{\"a\":1.}",
    "{\"a\":\"\\q\"}",
    "{\"a\":[1,}",
    "{\"a\":tru}",
    "{'a':1}",
    "{\"a\":\"\\ud800\"}",
  };
  static const char event[] = " { \"title\" : \"\\u9759\\u591c\\u601d \\\"\\ud83d\\ude00\\\"\","
                              " \"x\": {\"resource\": 5, \"y\": [1, -2.5e3, true, null, \"}\"]},"
                              " \"resource\": 7, \"pupils\": 1.5, \"timetable_entry\": \"t\" } ";
  CxPayload payload;
  gint64 number = 0;

  cx_payload_init (&payload);
  g_assert_true (cx_payload_parse (&payload, event, strlen (event)));
  g_assert_cmpstr (cx_payload_get_string (&payload, CX_PAYLOAD_TITLE), ==, "静夜思 \"😀\"");
  /* A nested member of the same name is not the event's. */
  g_assert_true (cx_payload_get_int (&payload, CX_PAYLOAD_RESOURCE, &number));
  g_assert_cmpint (number, ==, 7);
  g_assert_false (cx_payload_get_int (&payload, CX_PAYLOAD_PUPILS, &number));
  g_assert_null (cx_payload_get_string (&payload, CX_PAYLOAD_RESOURCE));
  g_assert_cmpstr (cx_payload_get_string (&payload, CX_PAYLOAD_TIMETABLE), ==, "t");
  g_assert_null (cx_payload_get_string (&payload, CX_PAYLOAD_PLAN));

  g_assert_true (cx_payload_parse (&payload, "{}", 2));
  g_assert_null (cx_payload_get_string (&payload, CX_PAYLOAD_TITLE));
  for (guint i = 0; i < G_N_ELEMENTS (not_objects); i++)
    {
      g_test_message ("%s", not_objects[i]);
      g_assert_false (cx_payload_parse (&payload, not_objects[i], strlen (not_objects[i])));
    }
  g_assert_true (cx_payload_is_json ("\"text\"", 6));
  g_assert_true (cx_payload_is_json (" [1, {\"a\": null}] ", 18));
  g_assert_false (cx_payload_is_json ("{not json", 9));
  g_assert_false (cx_payload_is_json ("1 2", 3));
  cx_payload_clear (&payload);
}

static char *
describe (CxStore *store, const char *uuid)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;

  json_builder_begin_object (builder);
  g_assert_true (cx_usage_events_describe_entry (store, uuid, builder, &error));
  g_assert_no_error (error);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
test_usage_events (void)
{
  g_autoptr (CxStore) store = new_fixture ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) journal = NULL;
  g_autofree char *known = describe (store, CX_TEST_REPORT_T1);
  g_autofree char *unknown = describe (store, "55555555-5555-4555-8555-555555555555");
  gint64 last = cx_store_journal_get_last_seq (store, NULL);
  gint64 seq = cx_usage_events_record_lesson_prepared (store, 2, "陈老师", &error);

  g_assert_no_error (error);
  g_assert_cmpint (seq, ==, last + 1);
  journal = cx_store_journal_read (store, last, 1, &error);
  g_assert_cmpstr (((CxJournalEntry *) journal->pdata[0])->kind, ==, "lesson.prepared");
  g_assert_cmpstr (((CxJournalEntry *) journal->pdata[0])->payload, ==,
                   "{\"plan\":\"plan-2\",\"title\":\"静夜思\",\"class\":\"一年级\","
                   "\"subject\":\"语文\",\"teacher\":\"陈老师\"}");
  g_assert_cmpint (cx_usage_events_record_lesson_prepared (store, 99, NULL, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);

  g_assert_cmpstr (known, ==,
                   "{\"timetable\":\"" CX_TEST_REPORT_T1 "\",\"form\":\"sync-classroom\","
                   "\"subject\":\"数学\",\"class\":\"一年级\",\"teacher\":\"王老师\"}");
  g_assert_cmpstr (unknown, ==, "{\"timetable\":\"55555555-5555-4555-8555-555555555555\"}");
}

typedef struct
{
  GMainLoop *loop;
  gboolean ok;
  guint64 rows;
  GError *error;
} ExportState;

static void
on_report_exported (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ExportState *state = user_data;

  state->ok = cx_report_export_finish (CX_STORE (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
on_usage_exported (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ExportState *state = user_data;

  state->ok = cx_usage_export_finish (CX_STORE (source), result, &state->rows, &state->error);
  g_main_loop_quit (state->loop);
}

static char *
describe_lesson (CxStore *store, gint64 plan_id, gint64 now)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;

  json_builder_begin_object (builder);
  g_assert_true (cx_usage_events_describe_lesson (store, plan_id, now, builder, &error));
  g_assert_no_error (error);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* A lesson taught is the class of today's timetable that links its plan,
 * the one nearest the time it is taught; with none, a local lesson. */
static void
test_describe_lesson (void)
{
  g_autofree char *dir = NULL;
  g_autoptr (CxStore) store = cx_test_new_store (&dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) nine = g_date_time_new_local (2026, 11, 23, 9, 0, 0);
  gint64 at_nine = g_date_time_to_unix (nine);
  CxLessonPlan draft = { .title = (char *) "静夜思",
                         .class_name = (char *) "一年级",
                         .subject = (char *) "语文",
                         .lesson_date = (char *) "2026-11-23" };
  CxTimetableEntry morning = { .uuid = (char *) "11111111-1111-4111-8111-111111111111",
                               .form = CX_ACTIVITY_SYNC_CLASSROOM,
                               .subject = (char *) "语文",
                               .class_name = (char *) "一年级",
                               .teacher = (char *) "李老师",
                               .starts_at = at_nine,
                               .ends_at = at_nine + 2400 };
  CxTimetableEntry afternoon = morning;
  CxTimetableEntry tomorrow = morning;
  gint64 plan_id = cx_store_create_lesson_plan (store, &draft, &error);
  g_autofree char *local = NULL, *first = NULL, *second = NULL;

  g_assert_no_error (error);
  local = describe_lesson (store, plan_id, at_nine);
  g_assert_cmpstr (local, ==, "{}");

  morning.lesson_plan_id = plan_id;
  afternoon.uuid = (char *) "22222222-2222-4222-8222-222222222222";
  afternoon.form = CX_ACTIVITY_REMOTE_DELIVERY;
  afternoon.starts_at = at_nine + 5 * 3600;
  afternoon.ends_at = afternoon.starts_at + 2400;
  afternoon.lesson_plan_id = plan_id;
  tomorrow.uuid = (char *) "33333333-3333-4333-8333-333333333333";
  tomorrow.starts_at = at_nine + 24 * 3600 + 60;
  tomorrow.ends_at = tomorrow.starts_at + 2400;
  tomorrow.lesson_plan_id = plan_id;
  g_assert_cmpint (cx_store_save_timetable_entry (store, &morning, &error), >, 0);
  g_assert_cmpint (cx_store_save_timetable_entry (store, &afternoon, &error), >, 0);
  g_assert_cmpint (cx_store_save_timetable_entry (store, &tomorrow, &error), >, 0);
  g_assert_no_error (error);

  first = describe_lesson (store, plan_id, at_nine + 600);
  g_assert_cmpstr (first, ==,
                   "{\"timetable\":\"11111111-1111-4111-8111-111111111111\","
                   "\"form\":\"sync-classroom\",\"subject\":\"语文\",\"class\":\"一年级\","
                   "\"teacher\":\"李老师\"}");
  second = describe_lesson (store, plan_id, at_nine + 5 * 3600 - 300);
  g_assert_true (strstr (second, "22222222-2222-4222-8222-222222222222") != NULL);
}

static void
test_export_async (void)
{
  g_autofree char *dir = NULL;
  g_autoptr (CxStore) store = cx_test_new_store (&dir);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *json = g_build_filename (dir, "report.json", NULL);
  g_autofree char *csv = g_build_filename (dir, "usage.csv", NULL);
  g_autofree char *text = NULL;
  ExportState state = { g_main_loop_new (NULL, FALSE) };
  gint64 from = 0, to = 0;

  cx_test_report_fixture_fill (store);
  cx_report_export_async (store, 2026, 10, CX_EXPORT_FORMAT_JSON, json, NULL, NULL, NULL,
                          on_report_exported, &state);
  g_main_loop_run (state.loop);
  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  g_assert_true (g_file_get_contents (json, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"format\" : \"cunxiao-report\""));

  g_assert_true (cx_usage_parse_range ("2026-10-01", "2026-10-31", &from, &to, NULL));
  cx_usage_export_async (store, from, to, CX_EXPORT_FORMAT_CSV, csv, NULL, NULL, NULL,
                         on_usage_exported, &state);
  g_main_loop_run (state.loop);
  g_assert_no_error (state.error);
  g_assert_cmpuint (state.rows, ==, 24);

  /* Cancelled: an error, and the file that was there stays as it was. */
  g_cancellable_cancel (cancellable);
  cx_report_export_async (store, 2026, 10, CX_EXPORT_FORMAT_CSV, csv, cancellable, NULL, NULL,
                          on_report_exported, &state);
  g_main_loop_run (state.loop);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&state.error);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF序号,时间,类型,内容\r\n"));
  g_main_loop_unref (state.loop);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cx/report/parse-month", test_parse_month);
  g_test_add_func ("/cx/report/fixture", test_fixture);
  g_test_add_func ("/cx/report/empty-month", test_empty_month);
  g_test_add_func ("/cx/report/fields", test_fields);
  g_test_add_func ("/cx/report/async", test_async);
  g_test_add_func ("/cx/report/payload", test_payload);
  g_test_add_func ("/cx/report/usage-events", test_usage_events);
  g_test_add_func ("/cx/report/describe-lesson", test_describe_lesson);
  g_test_add_func ("/cx/report/export-async", test_export_async);

  return g_test_run ();
}
