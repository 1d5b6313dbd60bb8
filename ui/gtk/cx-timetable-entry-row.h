/* cx-timetable-entry-row.h: one class in the day list of the timetable */
#pragma once

#include <adwaita.h>

#include "cx-timetable-item.h"
#include "cx-timetable-names.h"

G_BEGIN_DECLS

#define CX_TYPE_TIMETABLE_ENTRY_ROW (cx_timetable_entry_row_get_type ())
G_DECLARE_FINAL_TYPE (CxTimetableEntryRow, cx_timetable_entry_row, CX, TIMETABLE_ENTRY_ROW, AdwBin)

GtkWidget *cx_timetable_entry_row_new (void);
void cx_timetable_entry_row_bind (CxTimetableEntryRow *self,
                                  CxTimetableItem *item,
                                  CxTimetableNames *names);

G_END_DECLS
