/* cx-timetable-editor.h: adding or changing a class of the school's own */
#pragma once

#include <adwaita.h>

#include "cx-application.h"
#include "cx-timetable-item.h"
#include "cx-timetable-names.h"

G_BEGIN_DECLS

#define CX_TYPE_TIMETABLE_EDITOR (cx_timetable_editor_get_type ())
G_DECLARE_FINAL_TYPE (CxTimetableEditor, cx_timetable_editor, CX, TIMETABLE_EDITOR, AdwWindow)

GtkWidget *cx_timetable_editor_new (CxApplication *app,
                                    CxTimetableItem *item,
                                    GDateTime *day,
                                    CxTimetableNames *names);

G_END_DECLS
