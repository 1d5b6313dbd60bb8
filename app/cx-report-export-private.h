/* cx-report-export-private.h: the writers of each format, into an open temporary file */
#pragma once

#include "cx-atomic-file.h"
#include "cx-report.h"

G_BEGIN_DECLS

gboolean _cx_report_write_xlsx (const CxReport *report, CxAtomicFile *file, GError **error);
gboolean _cx_report_write_csv (const CxReport *report, CxAtomicFile *file, GError **error);
gboolean _cx_report_write_json (const CxReport *report, CxAtomicFile *file, GError **error);

void _cx_csv_write_field (FILE *stream, const char *text);
void _cx_json_write_string (FILE *stream, const char *text);

G_END_DECLS
