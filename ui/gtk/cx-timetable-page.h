/* cx-timetable-page.h: the Timetable page (课表): the week as a grid, a day as a list */
#pragma once

#include <adwaita.h>

#include "cx-application.h"

G_BEGIN_DECLS

#define CX_TYPE_TIMETABLE_PAGE (cx_timetable_page_get_type ())
G_DECLARE_FINAL_TYPE (CxTimetablePage, cx_timetable_page, CX, TIMETABLE_PAGE, AdwBin)

GtkWidget *cx_timetable_page_new (CxApplication *app);
void cx_timetable_page_show_entry (CxTimetablePage *self, const char *uuid);

G_END_DECLS
