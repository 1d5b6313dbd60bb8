/* cx-timetable-week-view.h: a week of the timetable as a grid, days across, hours down */
#pragma once

#include <gtk/gtk.h>

#include "cx-timetable-names.h"

G_BEGIN_DECLS

#define CX_TYPE_TIMETABLE_WEEK_VIEW (cx_timetable_week_view_get_type ())
G_DECLARE_FINAL_TYPE (
    CxTimetableWeekView, cx_timetable_week_view, CX, TIMETABLE_WEEK_VIEW, GtkWidget)

GtkWidget *cx_timetable_week_view_new (void);
void cx_timetable_week_view_set_week (CxTimetableWeekView *self,
                                      GDateTime *monday,
                                      GListModel *items,
                                      CxTimetableNames *names);
int cx_timetable_week_view_get_now_y (CxTimetableWeekView *self);
void cx_timetable_week_view_update_now (CxTimetableWeekView *self);

G_END_DECLS
