/* cx-report-tally.h: counts a month's usage events into a CxReport
 *
 * Shared by the device's report (cx-report.c) and the hub's county table,
 * so both count the same way. The caller reads the rows with
 * CX_REPORT_ROW_COLUMNS from any table with `time_us`, `kind` and `payload`
 * columns, and tells the tally what it knows of timetable entries, classes
 * and lesson plans.
 */
#pragma once

#include <sqlite3.h>

#include "cx-report.h"

G_BEGIN_DECLS

/* The columns cx_report_row_read() expects, in this order. A payload that
 * is not a JSON object yields NULLs, never an SQL error. */
#define CX_REPORT_ROW_COLUMNS                                                \
  "time_us, kind, ok,"                                                       \
  " iif (ok, json_extract (payload, '$.resource'), NULL),"                   \
  " iif (ok, json_extract (payload, '$.title'), NULL),"                      \
  " iif (ok, json_extract (payload, '$.seconds'), NULL),"                    \
  " iif (ok, coalesce (json_extract (payload, '$.timetable'),"               \
  "                    json_extract (payload, '$.timetable_entry')), NULL)," \
  " iif (ok, json_extract (payload, '$.form'), NULL),"                       \
  " iif (ok, json_extract (payload, '$.subject'), NULL),"                    \
  " iif (ok, json_extract (payload, '$.class'), NULL),"                      \
  " iif (ok, json_extract (payload, '$.teacher'), NULL),"                    \
  " iif (ok, json_extract (payload, '$.pupils'), NULL),"                     \
  " iif (ok, json_extract (payload, '$.plan'), NULL)"

/* The inner query gives `ok`:
 *   SELECT CX_REPORT_ROW_COLUMNS FROM (SELECT time_us, kind, payload, CX_REPORT_ROW_OK FROM …) */
#define CX_REPORT_ROW_OK \
  "CASE WHEN json_valid (payload) THEN json_type (payload) = 'object' ELSE 0 END AS ok"

typedef struct _CxReportTally CxReportTally;

CxReportTally *cx_report_tally_new (int year, int month);
void cx_report_tally_free (CxReportTally *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxReportTally, cx_report_tally_free)

gint64 cx_report_tally_get_from (CxReportTally *self);
gint64 cx_report_tally_get_to (CxReportTally *self);

void cx_report_tally_add_entry (CxReportTally *self,
                                const char *uuid,
                                CxActivityForm form,
                                const char *subject,
                                const char *class_name,
                                const char *teacher);
void cx_report_tally_set_class_pupils (CxReportTally *self, const char *class_name, gint64 pupils);
void cx_report_tally_set_plan_author (CxReportTally *self, const char *uuid, const char *author);
void cx_report_tally_add_plan (CxReportTally *self, const char *uuid);

void cx_report_tally_add_row (CxReportTally *self, sqlite3_stmt *stmt);
void cx_report_tally_finish (CxReportTally *self, CxReport *report);

G_END_DECLS
