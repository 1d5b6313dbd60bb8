/* cx-student-mode.h: entering and leaving student mode, for the whole app
 *
 * While on, the only window is the student window, the app's keyboard
 * shortcuts and teacher actions are off, and file choosers leave no recent
 * files behind. The mode is kept in GSettings so a restart (a power cut)
 * comes back into it.
 */
#pragma once

#include "cx-application.h"

G_BEGIN_DECLS

gboolean cx_student_mode_is_on (CxApplication *app);
void cx_student_mode_ask_to_enter (CxApplication *app, GtkWindow *parent);
GtkWindow *cx_student_mode_resume (CxApplication *app);
void cx_student_mode_leave (CxApplication *app, GtkWindow *student_window);

G_END_DECLS
