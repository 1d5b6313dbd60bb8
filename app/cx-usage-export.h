/* cx-usage-export.h: the raw usage journal of a date range, as CSV or JSON
 *
 * Rows are read and written one at a time: a million-row export holds one
 * row in memory, never the lot.
 */
#pragma once

#include <stdio.h>

#include "cx-report-export.h"

G_BEGIN_DECLS

gboolean cx_usage_parse_range (
    const char *from_date, const char *to_date, gint64 *out_from, gint64 *out_to, GError **error);

gboolean cx_usage_export_to_stream (CxStore *store,
                                    gint64 from,
                                    gint64 to,
                                    CxExportFormat format,
                                    FILE *stream,
                                    GCancellable *cancellable,
                                    CxReportProgressFunc progress,
                                    gpointer progress_data,
                                    guint64 *out_rows,
                                    GError **error);
gboolean cx_usage_export (CxStore *store,
                          gint64 from,
                          gint64 to,
                          CxExportFormat format,
                          const char *path,
                          GCancellable *cancellable,
                          CxReportProgressFunc progress,
                          gpointer progress_data,
                          guint64 *out_rows,
                          GError **error);

void cx_usage_export_async (CxStore *store,
                            gint64 from,
                            gint64 to,
                            CxExportFormat format,
                            const char *path,
                            GCancellable *cancellable,
                            CxReportProgressFunc progress,
                            gpointer progress_data,
                            GAsyncReadyCallback callback,
                            gpointer user_data);
gboolean
cx_usage_export_finish (CxStore *store, GAsyncResult *result, guint64 *out_rows, GError **error);

G_END_DECLS
