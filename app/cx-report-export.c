/* cx-report-export.c: writing the report in the format asked for, whole or not at all */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cx-report-export-private.h"
#include "cx-report-export.h"

/**
 * cx_export_format_from_string:
 * @text: "xlsx", "csv" or "json"
 */
gboolean
cx_export_format_from_string (const char *text, CxExportFormat *out_format, GError **error)
{
  static const char *const names[] = { "xlsx", "csv", "json" };

  g_return_val_if_fail (text != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (text, names[i]) == 0)
      {
        *out_format = (CxExportFormat) i;
        return TRUE;
      }
  g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
               _ ("“%s” is not a format; use xlsx, csv or json"), text);
  return FALSE;
}

/**
 * cx_export_format_from_path:
 * @path: a file name ending in .xlsx, .csv or .json (any case)
 *
 * Returns: %FALSE when the name ends otherwise
 */
gboolean
cx_export_format_from_path (const char *path, CxExportFormat *out_format)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".xlsx"))
    *out_format = CX_EXPORT_FORMAT_XLSX;
  else if (g_str_has_suffix (lower, ".csv"))
    *out_format = CX_EXPORT_FORMAT_CSV;
  else if (g_str_has_suffix (lower, ".json"))
    *out_format = CX_EXPORT_FORMAT_JSON;
  else
    return FALSE;
  return TRUE;
}

/**
 * cx_report_export:
 * @path: the file to write; an existing one is replaced only on success
 *
 * Writes @report to @path in @format.
 */
gboolean
cx_report_export (const CxReport *report, CxExportFormat format, const char *path, GError **error)
{
  g_autoptr (CxAtomicFile) file = NULL;
  g_autoptr (GPtrArray) sheets = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (format != CX_EXPORT_FORMAT_JSON)
    {
      sheets = cx_report_layout (report);
      title = g_strdup_printf ("%s %s", report->school, report->month);
      return cx_report_sheets_write (sheets, format, title, path, error);
    }
  file = cx_atomic_file_new (path, error);
  return file != NULL && _cx_report_write_json (report, file, error) &&
         cx_atomic_file_commit (file, error);
}

/**
 * cx_report_sheets_write:
 * @sheets: (element-type CxReportSheet): as cx_report_layout() makes them
 * @format: XLSX or CSV
 * @title: the workbook's title, in its properties
 *
 * Writes tables laid out as rows, whole or not at all.
 */
gboolean
cx_report_sheets_write (
    GPtrArray *sheets, CxExportFormat format, const char *title, const char *path, GError **error)
{
  g_autoptr (CxAtomicFile) file = NULL;
  gboolean written;

  g_return_val_if_fail (sheets != NULL && path != NULL, FALSE);
  g_return_val_if_fail (format != CX_EXPORT_FORMAT_JSON, FALSE);

  file = cx_atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;
  written = format == CX_EXPORT_FORMAT_XLSX ? _cx_sheets_write_xlsx (sheets, title, file, error)
                                            : _cx_sheets_write_csv (sheets, file, error);
  return written && cx_atomic_file_commit (file, error);
}

typedef struct
{
  int year;
  int month;
  CxExportFormat format;
  char *path;
  char *data_dir;
  CxReportProgressFunc progress;
  gpointer progress_data;
  GMainContext *context;
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
  g_autoptr (CxReport) report = NULL;
  GError *error = NULL;

  store = cx_store_open (data->data_dir, &error);
  if (store != NULL)
    report = cx_report_compute (store, data->year, data->month, cancellable,
                                data->progress != NULL ? progress_in_caller : NULL, data, &error);
  if (report == NULL || g_cancellable_set_error_if_cancelled (cancellable, &error) ||
      !cx_report_export (report, data->format, data->path, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * cx_report_export_async:
 * @progress: (nullable): called in the caller's thread-default main
 *   context as the journal is read
 *
 * Computes the month's report from @store's journal in a worker thread
 * (through its own connection) and writes it to @path.
 */
void
cx_report_export_async (CxStore *store,
                        int year,
                        int month,
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
  g_return_if_fail (month >= 1 && month <= 12);
  g_return_if_fail (path != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cx_report_export_async);
  data = g_new0 (ExportData, 1);
  data->year = year;
  data->month = month;
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
cx_report_export_finish (CxStore *store, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cx_report_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
