/* cx-window.h: the main window: Today, Timetable, Library, Lessons and Sync */
#pragma once

#include <adwaita.h>

#include "cx-application.h"

G_BEGIN_DECLS

#define CX_TYPE_WINDOW (cx_window_get_type ())
G_DECLARE_FINAL_TYPE (CxWindow, cx_window, CX, WINDOW, AdwApplicationWindow)

CxWindow *cx_window_new (CxApplication *app, const GError *store_error);
void cx_window_show_page (CxWindow *self, const char *name);
void cx_window_open_lesson (CxWindow *self, gint64 plan_id);
void cx_window_open_package (CxWindow *self, const char *package_key, const char *unit);
void cx_window_open_resource (CxWindow *self, gint64 resource_id);
void cx_window_show_timetable_entry (CxWindow *self, const char *uuid);
void cx_window_toast (CxWindow *self, const char *text);

G_END_DECLS
