/* cx-report-layout.h: the report as the paper form's rows, for XLSX and CSV
 *
 * The form is a Chinese government form: its headings are Chinese in every
 * locale, as on paper, and are not translated.
 */
#pragma once

#include "cx-report.h"

G_BEGIN_DECLS

typedef enum
{
  CX_REPORT_ROW_TITLE,
  CX_REPORT_ROW_INFO,   /* label, value, label, value … */
  CX_REPORT_ROW_HEADER, /* a table's headings */
  CX_REPORT_ROW_BODY,
  CX_REPORT_ROW_TOTAL,
  CX_REPORT_ROW_TEXT, /* a label and a long text written across the table */
  CX_REPORT_ROW_NOTE,
  CX_REPORT_ROW_BLANK,
} CxReportRowStyle;

typedef struct
{
  gboolean is_number;
  gint64 number;
  char *text; /* also the number, as text */
} CxReportCell;

typedef struct
{
  CxReportRowStyle style;
  GPtrArray *cells; /* (element-type CxReportCell) */
} CxReportRow;

typedef struct
{
  char *name;
  guint columns;   /* the table's width, for titles and texts across it */
  GPtrArray *rows; /* (element-type CxReportRow) */
} CxReportSheet;

CxReportSheet *cx_report_sheet_new (const char *name, guint columns);
void cx_report_sheet_free (CxReportSheet *sheet);
CxReportRow *cx_report_sheet_add_row (CxReportSheet *sheet, CxReportRowStyle style);
void cx_report_row_add_text (CxReportRow *row, const char *text);
void cx_report_row_add_number (CxReportRow *row, gint64 number);

GPtrArray *cx_report_layout (const CxReport *report);

G_END_DECLS
