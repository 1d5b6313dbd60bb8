/* cx-timetable-names.h: the titles of what timetable entries link to
 *
 * Entries name a package by key, a unit by id and a lesson plan by number;
 * people read titles. Looked up once and kept until reset.
 */
#pragma once

#include "cx-application.h"
#include "cx-store-timetable.h"

G_BEGIN_DECLS

#define CX_TYPE_TIMETABLE_NAMES (cx_timetable_names_get_type ())
G_DECLARE_FINAL_TYPE (CxTimetableNames, cx_timetable_names, CX, TIMETABLE_NAMES, GObject)

CxTimetableNames *cx_timetable_names_new (CxApplication *app);
void cx_timetable_names_reset (CxTimetableNames *self);
const char *cx_timetable_names_get_package (CxTimetableNames *self, const char *package_key);
gboolean cx_timetable_names_is_installed (CxTimetableNames *self, const char *package_key);
const char *
cx_timetable_names_get_unit (CxTimetableNames *self, const char *package_key, const char *unit);
GListModel *cx_timetable_names_list_units (CxTimetableNames *self, const char *package_key);
GListModel *cx_timetable_names_list_packages (CxTimetableNames *self);
const char *cx_timetable_names_get_plan (CxTimetableNames *self, gint64 plan_id);
char *cx_timetable_names_describe_links (CxTimetableNames *self, const CxTimetableEntry *entry);

G_END_DECLS
