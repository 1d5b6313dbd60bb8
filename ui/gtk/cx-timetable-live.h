/* cx-timetable-live.h: a synchronous class's live stream, and what to open instead */
#pragma once

#include <adwaita.h>

#include "cx-application.h"
#include "cx-store-timetable.h"

G_BEGIN_DECLS

#define CX_TYPE_TIMETABLE_LIVE (cx_timetable_live_get_type ())
G_DECLARE_FINAL_TYPE (CxTimetableLive, cx_timetable_live, CX, TIMETABLE_LIVE, AdwBin)

void
cx_timetable_live_show (CxTimetableLive *self, CxApplication *app, const CxTimetableEntry *entry);

G_END_DECLS
