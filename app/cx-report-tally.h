/* cx-report-tally.h: counts a month's usage events into a CxReport
 *
 * Shared by the device's report (cx-report.c) and the hub's county table,
 * so both count the same way. The caller reads the rows with
 * CX_REPORT_ROW_COLUMNS from any table of events, and tells the tally what it knows of timetable
 * entries, classes and lesson plans.
 */
#pragma once

#include <sqlite3.h>

#include "cx-report.h"

G_BEGIN_DECLS

/* The columns cx_report_tally_add_row() reads, in this order, from any
 * table of events. */
#define CX_REPORT_ROW_COLUMNS "time_us, kind, payload"

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
