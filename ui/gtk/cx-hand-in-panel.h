/* cx-hand-in-panel.h: a pupil hands in work to an assignment of their class */
#pragma once

#include "cx-application.h"

G_BEGIN_DECLS

#define CX_TYPE_HAND_IN_PANEL (cx_hand_in_panel_get_type ())
G_DECLARE_FINAL_TYPE (CxHandInPanel, cx_hand_in_panel, CX, HAND_IN_PANEL, AdwBin)

GtkWidget *cx_hand_in_panel_new (CxApplication *app);
void cx_hand_in_panel_set_class (CxHandInPanel *self, const char *class_name);
void cx_hand_in_panel_set_pupil (CxHandInPanel *self, const char *pupil);
void cx_hand_in_panel_reset (CxHandInPanel *self);

G_END_DECLS
