/* cx-pin-dialog.h: asks for a teacher's PIN before student mode is left */
#pragma once

#include "cx-application.h"

G_BEGIN_DECLS

#define CX_TYPE_PIN_DIALOG (cx_pin_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CxPinDialog, cx_pin_dialog, CX, PIN_DIALOG, AdwWindow)

GtkWidget *cx_pin_dialog_new (CxApplication *app, GtkWindow *parent);
gboolean cx_pin_dialog_teacher_pin_exists (CxApplication *app);

G_END_DECLS
