/* cx-student-courses.h: a class's courses in student mode: tree, search, viewer */
#pragma once

#include "cx-application.h"

G_BEGIN_DECLS

#define CX_TYPE_STUDENT_COURSES (cx_student_courses_get_type ())
G_DECLARE_FINAL_TYPE (CxStudentCourses, cx_student_courses, CX, STUDENT_COURSES, AdwBin)

GtkWidget *cx_student_courses_new (CxApplication *app);
void cx_student_courses_set_class (CxStudentCourses *self, const char *class_name);
void cx_student_courses_set_pupil (CxStudentCourses *self, const char *pupil);
void cx_student_courses_reset (CxStudentCourses *self);

G_END_DECLS
