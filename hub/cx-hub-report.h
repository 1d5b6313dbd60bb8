/* cx-hub-report.h: the county's monthly table (附件6) from the events schools uploaded
 *
 * One row per enrolled school (a school with a computer enrolled), counted
 * from its computers' events by the same tally as the school's own report
 * (docs/report.md), with the answers of its latest report.fields event for
 * the month, and the rates the form asks for.
 */
#pragma once

#include "cx-hub-db.h"
#include "cx-report.h"

G_BEGIN_DECLS

typedef struct
{
  char *school;
  gint64 devices;
  CxReport *report;  /* fields from the school's answers; process_materials: files received */
  gboolean answered; /* a report.fields event for the month reached the hub */
} CxHubSchoolRow;

typedef struct
{
  char *month;
  gint64 from;
  gint64 to;
  GPtrArray *schools; /* (element-type CxHubSchoolRow), by name */
  gint64 agreements_signed;
  gint64 equipment_ok;
  gint64 spaces_opened;
  gint64 answered;
  gint64 process_materials; /* new in the month, all schools */
} CxHubCountyReport;

void cx_hub_county_report_free (CxHubCountyReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxHubCountyReport, cx_hub_county_report_free)

CxHubCountyReport *cx_hub_db_county_report (CxHubDb *self, int year, int month, GError **error);

double cx_hub_county_report_rate (const CxHubCountyReport *report, gint64 count);

G_END_DECLS
