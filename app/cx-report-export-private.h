/* cx-report-export-private.h: the writers of each format, into an open temporary file */
#pragma once

#include "cx-atomic-file.h"
#include "cx-report-layout.h"

G_BEGIN_DECLS

gboolean
_cx_sheets_write_xlsx (GPtrArray *sheets, const char *title, CxAtomicFile *file, GError **error);
gboolean _cx_sheets_write_csv (GPtrArray *sheets, CxAtomicFile *file, GError **error);
gboolean _cx_report_write_json (const CxReport *report, CxAtomicFile *file, GError **error);

void _cx_csv_write_field (FILE *stream, const char *text);
void _cx_json_write_string (FILE *stream, const char *text);

G_END_DECLS
