/* cx-student-window.h: the classroom computer in student mode */
#pragma once

#include "cx-application.h"

G_BEGIN_DECLS

#define CX_TYPE_STUDENT_WINDOW (cx_student_window_get_type ())
G_DECLARE_FINAL_TYPE (CxStudentWindow, cx_student_window, CX, STUDENT_WINDOW, AdwApplicationWindow)

CxStudentWindow *cx_student_window_new (CxApplication *app);

G_END_DECLS
