/* cx-timetable-format.h: how timetable entries read and look, the same on every page */
#pragma once

#include <gtk/gtk.h>

#include "cx-store-timetable.h"

G_BEGIN_DECLS

const char *cx_timetable_form_icon (CxActivityForm form);
void cx_timetable_set_form_class (GtkWidget *widget, CxActivityForm form);
char *cx_timetable_format_clock (gint64 unix_time);
char *cx_timetable_format_range (const CxTimetableEntry *entry);
char *cx_timetable_format_day (gint64 unix_time);
char *cx_timetable_format_title (const CxTimetableEntry *entry);
char *cx_timetable_describe (const CxTimetableEntry *entry);
GDateTime *cx_timetable_day_start (GDateTime *time);
GDateTime *cx_timetable_week_start (GDateTime *time);

G_END_DECLS
