/* cx-usage-export.c: the journal's rows of a date range, streamed to a file */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <time.h>

#include "cx-atomic-file.h"
#include "cx-report-export-private.h"
#include "cx-report-payload.h"
#include "cx-store-private.h"
#include "cx-usage-export.h"

#define USAGE_FORMAT        "cunxiao-usage"
#define USAGE_VERSION       1
#define CHECK_EVERY_ROWS    8192
#define PROGRESS_EVERY_USEC (G_USEC_PER_SEC / 4)

static gboolean
parse_date (const char *text, GDateTime **out_midnight, GError **error)
{
  guint64 year, month, day;
  g_auto (GStrv) parts = g_strsplit (text, "-", -1);

  if (g_strv_length (parts) != 3 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 1970, 9999, &year, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, 12, &month, NULL) ||
      !g_ascii_string_to_unsigned (parts[2], 10, 1, 31, &day, NULL) ||
      !g_date_valid_dmy (day, month, year))
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                   _ ("“%s” is not a date; write it as YYYY-MM-DD, like 2026-10-01"), text);
      return FALSE;
    }
  *out_midnight = g_date_time_new_local (year, month, day, 0, 0, 0);
  return TRUE;
}

/**
 * cx_usage_parse_range:
 * @from_date: the first day, "YYYY-MM-DD"
 * @to_date: the last day, included
 * @out_from: (out): its first second, local time
 * @out_to: (out): the first second after @to_date
 */
gboolean
cx_usage_parse_range (
    const char *from_date, const char *to_date, gint64 *out_from, gint64 *out_to, GError **error)
{
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  g_autoptr (GDateTime) after = NULL;

  g_return_val_if_fail (from_date != NULL && to_date != NULL, FALSE);

  if (!parse_date (from_date, &from, error) || !parse_date (to_date, &to, error))
    return FALSE;
  if (g_date_time_compare (from, to) > 0)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                   _ ("The range ends (%s) before it starts (%s)"), to_date, from_date);
      return FALSE;
    }
  after = g_date_time_add_days (to, 1);
  *out_from = g_date_time_to_unix (from);
  *out_to = g_date_time_to_unix (after);
  return TRUE;
}

/* Local time, formatted once per clock hour: localtime_r() for every
 * one of a million rows was a third of an export's time. The UTC offset
 * changes only on the hour, so an hour's rows share their prefix. */
typedef struct
{
  gint64 hour_start; /* seconds; -1 before the first row */
  char prefix[24];   /* "2026-10-01T09:" */
  char offset[8];    /* "+08:00" */
} TimeCache;

static void
format_time (TimeCache *cache, gint64 time_us, char *buffer, gsize size)
{
  gint64 seconds = time_us / G_USEC_PER_SEC - (time_us % G_USEC_PER_SEC < 0 ? 1 : 0);
  gint64 within;

  if (cache->hour_start < 0 || seconds < cache->hour_start || seconds >= cache->hour_start + 3600)
    {
      time_t t = (time_t) seconds;
      struct tm local;
      long offset;

      if (localtime_r (&t, &local) == NULL)
        {
          g_snprintf (buffer, size, "%" G_GINT64_FORMAT, time_us);
          cache->hour_start = -1;
          return;
        }
      cache->hour_start = seconds - local.tm_min * 60 - local.tm_sec;
      strftime (cache->prefix, sizeof cache->prefix, "%Y-%m-%dT%H:", &local);
      offset = local.tm_gmtoff / 60;
      g_snprintf (cache->offset, sizeof cache->offset, "%c%02ld:%02ld", offset < 0 ? '-' : '+',
                  ABS (offset) / 60, ABS (offset) % 60);
    }
  within = seconds - cache->hour_start;
  g_snprintf (buffer, size, "%s%02d:%02d%s", cache->prefix, (int) (within / 60),
              (int) (within % 60), cache->offset);
}

static void
write_header (FILE *stream, CxExportFormat format, gint64 from, gint64 to)
{
  TimeCache cache = { -1 };
  char from_text[40], to_text[40];

  if (format == CX_EXPORT_FORMAT_CSV)
    {
      fputs ("\xEF\xBB\xBF序号,时间,类型,内容\r\n", stream);
      return;
    }
  format_time (&cache, from * G_USEC_PER_SEC, from_text, sizeof from_text);
  format_time (&cache, to * G_USEC_PER_SEC, to_text, sizeof to_text);
  fprintf (stream,
           "{\"format\": \"" USAGE_FORMAT "\", \"version\": %d, \"from\": \"%s\", \"to\": "
           "\"%s\",\n \"events\": [",
           USAGE_VERSION, from_text, to_text);
}

static void
write_row (
    FILE *stream, CxExportFormat format, TimeCache *cache, sqlite3_stmt *stmt, gboolean first)
{
  char time_text[40];
  const char *kind = (const char *) sqlite3_column_text (stmt, 2);
  const char *payload = (const char *) sqlite3_column_text (stmt, 3);

  format_time (cache, sqlite3_column_int64 (stmt, 1), time_text, sizeof time_text);
  if (format == CX_EXPORT_FORMAT_CSV)
    {
      fprintf (stream, "%" G_GINT64_FORMAT ",%s,", (gint64) sqlite3_column_int64 (stmt, 0),
               time_text);
      _cx_csv_write_field (stream, kind);
      fputc (',', stream);
      _cx_csv_write_field (stream, payload);
      fputs ("\r\n", stream);
      return;
    }
  fprintf (stream,
           "%s\n  {\"seq\": %" G_GINT64_FORMAT ", \"time\": \"%s\", \"kind\": ", first ? "" : ",",
           (gint64) sqlite3_column_int64 (stmt, 0), time_text);
  _cx_json_write_string (stream, kind);
  fputs (", \"payload\": ", stream);
  /* An old row that is not JSON goes out as the text it holds. */
  if (cx_payload_is_json (payload, sqlite3_column_bytes (stmt, 3)))
    fputs (payload, stream);
  else
    _cx_json_write_string (stream, payload);
  fputc ('}', stream);
}

static gboolean
valid_text (sqlite3_stmt *stmt)
{
  return g_utf8_validate ((const char *) sqlite3_column_text (stmt, 2), -1, NULL) &&
         g_utf8_validate ((const char *) sqlite3_column_text (stmt, 3), -1, NULL);
}

/**
 * cx_usage_export_to_stream:
 * @from: the first second, inclusive
 * @to: the first second after the range
 * @format: CSV or JSON
 * @out_rows: (out) (optional): how many events were written
 *
 * Writes the journal's events of [@from, @to) in time order. Rows whose
 * text is not UTF-8 are left out (counted in the log).
 */
gboolean
cx_usage_export_to_stream (CxStore *store,
                           gint64 from,
                           gint64 to,
                           CxExportFormat format,
                           FILE *stream,
                           GCancellable *cancellable,
                           CxReportProgressFunc progress,
                           gpointer progress_data,
                           guint64 *out_rows,
                           GError **error)
{
  g_autoptr (sqlite3_stmt) count = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  TimeCache cache = { -1 };
  guint64 total = 0, done = 0, written = 0;
  gint64 last_progress = 0;
  int rc;

  g_return_val_if_fail (CX_IS_STORE (store), FALSE);
  g_return_val_if_fail (stream != NULL, FALSE);

  if (format == CX_EXPORT_FORMAT_XLSX)
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                           _ ("The usage log is exported as CSV or JSON"));
      return FALSE;
    }

  count = _cx_store_prepare (
      store, "SELECT count (*) FROM journal WHERE time_us >= ?1 AND time_us < ?2", error);
  stmt = _cx_store_prepare (store,
                            "SELECT seq, time_us, kind, payload FROM journal"
                            " WHERE time_us >= ?1 AND time_us < ?2 ORDER BY time_us, seq",
                            error);
  if (count == NULL || stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (count, 1, from * G_USEC_PER_SEC);
  sqlite3_bind_int64 (count, 2, to * G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 1, from * G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 2, to * G_USEC_PER_SEC);
  if (sqlite3_step (count) == SQLITE_ROW)
    total = sqlite3_column_int64 (count, 0);

  write_header (stream, format, from, to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (valid_text (stmt))
        write_row (stream, format, &cache, stmt, written++ == 0);
      if (++done % CHECK_EVERY_ROWS != 0)
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (ferror (stream))
        break;
      if (progress != NULL && g_get_monotonic_time () - last_progress > PROGRESS_EVERY_USEC)
        {
          last_progress = g_get_monotonic_time ();
          progress (done, MAX (done, total), progress_data);
        }
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cx_store_set_error (store, error, _ ("Could not read the usage journal"));
      return FALSE;
    }
  if (format == CX_EXPORT_FORMAT_JSON)
    fputs (written > 0 ? "\n ]}\n" : "]}\n", stream);
  if (done != written)
    g_message ("%" G_GUINT64_FORMAT " usage records with text that is not UTF-8 were left out",
               done - written);
  if (progress != NULL)
    progress (done, done, progress_data);
  if (fflush (stream) != 0 || ferror (stream))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Could not write the usage log: %s"),
                   g_strerror (errno));
      return FALSE;
    }
  if (out_rows != NULL)
    *out_rows = written;
  return TRUE;
}

/**
 * cx_usage_export:
 * @path: the file; an existing one is replaced only on success
 *
 * Like cx_usage_export_to_stream(), into a file written whole or not at all.
 */
gboolean
cx_usage_export (CxStore *store,
                 gint64 from,
                 gint64 to,
                 CxExportFormat format,
                 const char *path,
                 GCancellable *cancellable,
                 CxReportProgressFunc progress,
                 gpointer progress_data,
                 guint64 *out_rows,
                 GError **error)
{
  g_autoptr (CxAtomicFile) file = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  file = cx_atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;
  return cx_usage_export_to_stream (store, from, to, format, cx_atomic_file_get_stream (file),
                                    cancellable, progress, progress_data, out_rows, error) &&
         cx_atomic_file_commit (file, error);
}

typedef struct
{
  gint64 from;
  gint64 to;
  CxExportFormat format;
  char *path;
  char *data_dir;
  CxReportProgressFunc progress;
  gpointer progress_data;
  GMainContext *context;
  guint64 rows;
} ExportData;

typedef struct
{
  CxReportProgressFunc progress;
  gpointer progress_data;
  guint64 done;
  guint64 total;
} ProgressCall;

static void
export_data_free (ExportData *data)
{
  g_free (data->path);
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

static void
progress_in_caller (guint64 done, guint64 total, gpointer user_data)
{
  ExportData *data = user_data;
  ProgressCall *call = g_new (ProgressCall, 1);

  call->progress = data->progress;
  call->progress_data = data->progress_data;
  call->done = done;
  call->total = total;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, call_progress, call, g_free);
}

static void
export_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr (CxStore) store = NULL;
  GError *error = NULL;

  store = cx_store_open (data->data_dir, &error);
  if (store == NULL ||
      !cx_usage_export (store, data->from, data->to, data->format, data->path, cancellable,
                        data->progress != NULL ? progress_in_caller : NULL, data, &data->rows,
                        &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * cx_usage_export_async:
 *
 * Does cx_usage_export() in a worker thread through its own connection;
 * @progress is called in the caller's thread-default main context.
 */
void
cx_usage_export_async (CxStore *store,
                       gint64 from,
                       gint64 to,
                       CxExportFormat format,
                       const char *path,
                       GCancellable *cancellable,
                       CxReportProgressFunc progress,
                       gpointer progress_data,
                       GAsyncReadyCallback callback,
                       gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (CX_IS_STORE (store));
  g_return_if_fail (path != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cx_usage_export_async);
  data = g_new0 (ExportData, 1);
  data->from = from;
  data->to = to;
  data->format = format;
  data->path = g_strdup (path);
  data->data_dir = g_strdup (cx_store_get_data_dir (store));
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_worker);
}

gboolean
cx_usage_export_finish (CxStore *store, GAsyncResult *result, guint64 *out_rows, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cx_usage_export_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (out_rows != NULL)
    *out_rows = ((ExportData *) g_task_get_task_data (G_TASK (result)))->rows;
  return TRUE;
}
