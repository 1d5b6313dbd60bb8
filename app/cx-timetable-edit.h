/* cx-timetable-edit.h: the school's own timetable entries, checked and saved */
#pragma once

#include "cx-store-timetable.h"
#include "cx-timetable-item.h"

G_BEGIN_DECLS

gboolean cx_timetable_check_entry (const CxTimetableEntry *entry,
                                   CxTimetableFields *out_bad_field,
                                   GError **error);
gint64
cx_timetable_save_school_entry (CxStore *store, const CxTimetableEntry *entry, GError **error);

G_END_DECLS
