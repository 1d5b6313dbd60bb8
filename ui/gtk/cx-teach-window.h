/* cx-teach-window.h: teach mode (授课), the lesson full screen on the classroom display */
#pragma once

#include <gtk/gtk.h>

#include "cx-application.h"

G_BEGIN_DECLS

#define CX_TYPE_TEACH_WINDOW (cx_teach_window_get_type ())
G_DECLARE_FINAL_TYPE (CxTeachWindow, cx_teach_window, CX, TEACH_WINDOW, GtkWindow)

GtkWidget *cx_teach_window_new (CxApplication *app, gint64 plan_id);

G_END_DECLS
