/* cx-report.c: a month's report from the device's journal and store */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "cx-report-tally.h"
#include "cx-report.h"
#include "cx-store-private.h"
#include "cx-store-sync-state.h"

/* How often the scan looks at the clock, the cancellable and the caller. */
#define CHECK_EVERY_ROWS    8192
#define PROGRESS_EVERY_USEC (G_USEC_PER_SEC / 4)

void
cx_report_count_free (CxReportCount *count)
{
  if (count == NULL)
    return;
  g_free (count->key);
  g_free (count->label);
  g_free (count);
}

void
cx_report_free (CxReport *report)
{
  if (report == NULL)
    return;
  g_free (report->month);
  g_free (report->school);
  for (int i = 0; i < CX_REPORT_N_FORMS; i++)
    g_strfreev (report->forms[i].subjects);
  g_clear_pointer (&report->per_day, g_ptr_array_unref);
  g_clear_pointer (&report->by_subject, g_ptr_array_unref);
  g_clear_pointer (&report->by_form, g_ptr_array_unref);
  g_clear_pointer (&report->top_resources, g_ptr_array_unref);
  cx_report_fields_clear (&report->fields);
  g_free (report);
}

/**
 * cx_report_parse_month:
 * @text: a month as "2026-10"
 *
 * Returns: %TRUE with the year and month (1–12), or %FALSE with @error set
 */
gboolean
cx_report_parse_month (const char *text, int *out_year, int *out_month, GError **error)
{
  guint64 year = 0, month = 0;
  g_auto (GStrv) parts = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  parts = g_strsplit (text, "-", -1);
  if (g_strv_length (parts) != 2 || strlen (parts[0]) != 4 || strlen (parts[1]) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 1970, 9999, &year, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, 12, &month, NULL))
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                   _ ("“%s” is not a month; write it as YYYY-MM, like 2026-10"), text);
      return FALSE;
    }
  *out_year = year;
  *out_month = month;
  return TRUE;
}

/**
 * cx_report_note_skipped:
 *
 * Returns: (nullable): a sentence on the journal entries the report could
 *   not count, or %NULL when it counted them all
 */
char *
cx_report_note_skipped (const CxReport *report)
{
  gint64 skipped = report->skipped_invalid + report->skipped_unknown + report->skipped_missing;

  g_return_val_if_fail (report != NULL, NULL);

  if (skipped == 0)
    return NULL;
  return g_strdup_printf (_ ("%lld of %lld usage records were not counted: %lld unreadable, "
                             "%lld of a kind the report does not know, %lld incomplete."),
                          (long long) skipped, (long long) report->events,
                          (long long) report->skipped_invalid, (long long) report->skipped_unknown,
                          (long long) report->skipped_missing);
}

/* What the tally needs from the store besides the journal. */
static gboolean
load_context (CxStore *store, CxReportTally *tally, GError **error)
{
  g_autoptr (sqlite3_stmt) entries = NULL;
  g_autoptr (sqlite3_stmt) roster = NULL;
  g_autoptr (sqlite3_stmt) plans = NULL;
  int rc;

  /* Removed entries too: what took place still counts. */
  entries = _cx_store_prepare (
      store, "SELECT uuid, form, subject, class_name, teacher FROM timetable_entries", error);
  if (entries == NULL)
    return FALSE;
  while ((rc = sqlite3_step (entries)) == SQLITE_ROW)
    {
      CxActivityForm form = CX_ACTIVITY_LOCAL;

      cx_activity_form_from_string ((const char *) sqlite3_column_text (entries, 1), &form);
      cx_report_tally_add_entry (tally, (const char *) sqlite3_column_text (entries, 0), form,
                                 (const char *) sqlite3_column_text (entries, 2),
                                 (const char *) sqlite3_column_text (entries, 3),
                                 (const char *) sqlite3_column_text (entries, 4));
    }
  if (rc != SQLITE_DONE)
    goto fail;

  roster = _cx_store_prepare (store, "SELECT class_name, count (*) FROM roster GROUP BY class_name",
                              error);
  if (roster == NULL)
    return FALSE;
  while ((rc = sqlite3_step (roster)) == SQLITE_ROW)
    cx_report_tally_set_class_pupils (tally, (const char *) sqlite3_column_text (roster, 0),
                                      sqlite3_column_int64 (roster, 1));
  if (rc != SQLITE_DONE)
    goto fail;

  plans = _cx_store_prepare (store,
                             "SELECT p.uuid, a.name, p.created_at >= ?1 AND p.created_at < ?2"
                             " FROM lesson_plans p LEFT JOIN accounts a ON a.id = p.author_id",
                             error);
  if (plans == NULL)
    return FALSE;
  sqlite3_bind_int64 (plans, 1, cx_report_tally_get_from (tally));
  sqlite3_bind_int64 (plans, 2, cx_report_tally_get_to (tally));
  while ((rc = sqlite3_step (plans)) == SQLITE_ROW)
    {
      const char *uuid = (const char *) sqlite3_column_text (plans, 0);

      cx_report_tally_set_plan_author (tally, uuid, (const char *) sqlite3_column_text (plans, 1));
      if (sqlite3_column_int (plans, 2))
        cx_report_tally_add_plan (tally, uuid);
    }
  if (rc != SQLITE_DONE)
    goto fail;
  return TRUE;

fail:
  _cx_store_set_error (store, error, _ ("Could not read the timetable, classes and lessons"));
  return FALSE;
}

/* Lesson plans and hand-ins of the month that reached the hub: the
 * process materials (过程资料) in the school's space. */
static gboolean
count_process_materials (CxStore *store, CxReport *report, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  stmt = _cx_store_prepare (
      store,
      "SELECT (SELECT count (*) FROM hand_ins WHERE upload_state = 'uploaded'"
      "          AND created_at >= ?1 AND created_at < ?2)"
      "     + (SELECT count (*) FROM lesson_plans WHERE upload_state = 'uploaded'"
      "          AND created_at >= ?1 AND created_at < ?2)",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report->from);
  sqlite3_bind_int64 (stmt, 2, report->to);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cx_store_set_error (store, error, _ ("Could not count the uploaded materials"));
      return FALSE;
    }
  report->process_materials = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
scan_journal (CxStore *store,
              CxReportTally *tally,
              GCancellable *cancellable,
              CxReportProgressFunc progress,
              gpointer progress_data,
              GError **error)
{
  g_autoptr (sqlite3_stmt) count = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 from_us = cx_report_tally_get_from (tally) * G_USEC_PER_SEC;
  gint64 to_us = cx_report_tally_get_to (tally) * G_USEC_PER_SEC;
  gint64 total = 0, done = 0, last_progress = 0;
  int rc;

  count = _cx_store_prepare (
      store, "SELECT count (*) FROM journal WHERE time_us >= ?1 AND time_us < ?2", error);
  if (count == NULL)
    return FALSE;
  sqlite3_bind_int64 (count, 1, from_us);
  sqlite3_bind_int64 (count, 2, to_us);
  if (sqlite3_step (count) == SQLITE_ROW)
    total = sqlite3_column_int64 (count, 0);

  stmt = _cx_store_prepare (store,
                            "SELECT " CX_REPORT_ROW_COLUMNS " FROM journal"
                            " WHERE time_us >= ?1 AND time_us < ?2",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from_us);
  sqlite3_bind_int64 (stmt, 2, to_us);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      cx_report_tally_add_row (tally, stmt);
      if (++done % CHECK_EVERY_ROWS != 0)
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (progress != NULL && g_get_monotonic_time () - last_progress > PROGRESS_EVERY_USEC)
        {
          last_progress = g_get_monotonic_time ();
          progress (done, MAX (done, total), progress_data);
        }
    }
  if (rc != SQLITE_DONE)
    {
      _cx_store_set_error (store, error, _ ("Could not read the usage journal"));
      return FALSE;
    }
  if (progress != NULL)
    progress (done, done, progress_data);
  return TRUE;
}

/**
 * cx_report_compute:
 * @month: 1–12
 * @progress: (nullable): called as the journal is read, in this thread
 *
 * Counts the month (in local time) of @store's journal. Entries that cannot
 * be counted are skipped and counted as such (cx_report_note_skipped()).
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
CxReport *
cx_report_compute (CxStore *store,
                   int year,
                   int month,
                   GCancellable *cancellable,
                   CxReportProgressFunc progress,
                   gpointer progress_data,
                   GError **error)
{
  g_autoptr (CxReportTally) tally = NULL;
  g_autoptr (CxReport) report = NULL;
  g_autoptr (GError) school_error = NULL;

  g_return_val_if_fail (CX_IS_STORE (store), NULL);
  g_return_val_if_fail (month >= 1 && month <= 12, NULL);

  tally = cx_report_tally_new (year, month);
  report = g_new0 (CxReport, 1);
  report->month = g_strdup_printf ("%04d-%02d", year, month);
  report->school = cx_store_get_sync_value (store, "enrolment-school", &school_error);
  if (report->school == NULL)
    {
      if (school_error != NULL)
        g_debug ("No school name for the report: %s", school_error->message);
      report->school = g_strdup ("");
    }

  /* One read transaction (deferred: writers go on): the figures agree. */
  if (!_cx_store_exec (store, "BEGIN", error))
    return NULL;
  if (!load_context (store, tally, error) ||
      !scan_journal (store, tally, cancellable, progress, progress_data, error))
    {
      _cx_store_rollback (store);
      return NULL;
    }
  cx_report_tally_finish (tally, report);
  if (!count_process_materials (store, report, error) ||
      !cx_store_get_report_fields (store, year, month, &report->fields, error))
    {
      _cx_store_rollback (store);
      return NULL;
    }
  _cx_store_rollback (store);
  return g_steal_pointer (&report);
}

typedef struct
{
  int year;
  int month;
  char *data_dir;
  CxReportProgressFunc progress;
  gpointer progress_data;
  GMainContext *context;
} ComputeData;

typedef struct
{
  CxReportProgressFunc progress;
  gpointer progress_data;
  guint64 done;
  guint64 total;
} ProgressCall;

static void
compute_data_free (ComputeData *data)
{
  g_free (data->data_dir);
  g_main_context_unref (data->context);
  g_free (data);
}

static gboolean
call_progress (gpointer user_data)
{
  ProgressCall *call = user_data;

  call->progress (call->done, call->total, call->progress_data);
  return G_SOURCE_REMOVE;
}

/* From the worker: the caller hears of progress in its own thread. */
static void
progress_in_caller (guint64 done, guint64 total, gpointer user_data)
{
  ComputeData *data = user_data;
  ProgressCall *call = g_new (ProgressCall, 1);

  call->progress = data->progress;
  call->progress_data = data->progress_data;
  call->done = done;
  call->total = total;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, call_progress, call, g_free);
}

static void
compute_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ComputeData *data = task_data;
  g_autoptr (CxStore) store = NULL;
  GError *error = NULL;
  CxReport *report;

  /* The caller's connection stays with the caller: the worker reads
   * through its own (the store is in WAL mode). */
  store = cx_store_open (data->data_dir, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  report = cx_report_compute (store, data->year, data->month, cancellable,
                              data->progress != NULL ? progress_in_caller : NULL, data, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) cx_report_free);
}

/**
 * cx_report_compute_async:
 * @progress: (nullable): called in the thread-default main context of the
 *   caller, a few times a second
 *
 * Does cx_report_compute() in a worker thread with its own connection.
 */
void
cx_report_compute_async (CxStore *store,
                         int year,
                         int month,
                         GCancellable *cancellable,
                         CxReportProgressFunc progress,
                         gpointer progress_data,
                         GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  ComputeData *data;

  g_return_if_fail (CX_IS_STORE (store));
  g_return_if_fail (month >= 1 && month <= 12);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cx_report_compute_async);
  data = g_new0 (ComputeData, 1);
  data->year = year;
  data->month = month;
  data->data_dir = g_strdup (cx_store_get_data_dir (store));
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, data, (GDestroyNotify) compute_data_free);
  g_task_run_in_thread (task, compute_worker);
}

/**
 * cx_report_compute_finish:
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
CxReport *
cx_report_compute_finish (CxStore *store, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cx_report_compute_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
