/* cx-report-export.h: the monthly report as a file: XLSX, CSV or JSON
 *
 * XLSX is laid out like the paper form, with its Chinese headings; CSV holds
 * the same rows (UTF-8 with a byte order mark, so spreadsheet programs read
 * the Chinese); JSON follows data/report.schema.json. Files are written
 * whole or not at all.
 */
#pragma once

#include "cx-report.h"

G_BEGIN_DECLS

typedef enum
{
  CX_EXPORT_FORMAT_XLSX,
  CX_EXPORT_FORMAT_CSV,
  CX_EXPORT_FORMAT_JSON,
} CxExportFormat;

gboolean
cx_export_format_from_string (const char *text, CxExportFormat *out_format, GError **error);
gboolean cx_export_format_from_path (const char *path, CxExportFormat *out_format);

gboolean
cx_report_export (const CxReport *report, CxExportFormat format, const char *path, GError **error);

gboolean cx_report_sheets_write (
    GPtrArray *sheets, CxExportFormat format, const char *title, const char *path, GError **error);

/* Computes the month's report and writes it, in a worker thread. */
void cx_report_export_async (CxStore *store,
                             int year,
                             int month,
                             CxExportFormat format,
                             const char *path,
                             GCancellable *cancellable,
                             CxReportProgressFunc progress,
                             gpointer progress_data,
                             GAsyncReadyCallback callback,
                             gpointer user_data);
gboolean cx_report_export_finish (CxStore *store, GAsyncResult *result, GError **error);

G_END_DECLS
