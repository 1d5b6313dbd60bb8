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
  GPtrArray *rows; /* (element-type CxReportRow) */
} CxReportSheet;

#define CX_REPORT_LAYOUT_COLUMNS 6

void cx_report_sheet_free (CxReportSheet *sheet);
GPtrArray *cx_report_layout (const CxReport *report);

G_END_DECLS
