/* cx-preferences-window.h */
#pragma once

#include <adwaita.h>

#include "cx-application.h"

G_BEGIN_DECLS

#define CX_TYPE_PREFERENCES_WINDOW (cx_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (
    CxPreferencesWindow, cx_preferences_window, CX, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *cx_preferences_window_new (CxApplication *app);

G_END_DECLS
