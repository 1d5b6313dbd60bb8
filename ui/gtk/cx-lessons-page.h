/* cx-lessons-page.h: lesson plans (备课): create, fill, reorder, annotate, teach */
#pragma once

#include <adwaita.h>

#include "cx-application.h"

G_BEGIN_DECLS

#define CX_TYPE_LESSONS_PAGE (cx_lessons_page_get_type ())
G_DECLARE_FINAL_TYPE (CxLessonsPage, cx_lessons_page, CX, LESSONS_PAGE, AdwBin)

GtkWidget *cx_lessons_page_new (CxApplication *app);
void cx_lessons_page_open_plan (CxLessonsPage *self, gint64 plan_id);

G_END_DECLS
