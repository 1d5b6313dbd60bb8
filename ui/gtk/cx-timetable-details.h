/* cx-timetable-details.h: one class of the timetable, its material, and its conflict if any */
#pragma once

#include <adwaita.h>

#include "cx-application.h"
#include "cx-timetable-item.h"
#include "cx-timetable-names.h"

G_BEGIN_DECLS

#define CX_TYPE_TIMETABLE_DETAILS (cx_timetable_details_get_type ())
G_DECLARE_FINAL_TYPE (CxTimetableDetails, cx_timetable_details, CX, TIMETABLE_DETAILS, AdwWindow)

GtkWidget *
cx_timetable_details_new (CxApplication *app, CxTimetableItem *item, CxTimetableNames *names);

G_END_DECLS
