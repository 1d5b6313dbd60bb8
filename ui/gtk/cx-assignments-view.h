/* cx-assignments-view.h: a lesson plan's assignments and the work handed in to them */
#pragma once

#include "cx-application.h"

G_BEGIN_DECLS

#define CX_TYPE_ASSIGNMENTS_VIEW (cx_assignments_view_get_type ())
G_DECLARE_FINAL_TYPE (CxAssignmentsView, cx_assignments_view, CX, ASSIGNMENTS_VIEW, AdwBin)

void cx_assignments_view_show_plan (CxAssignmentsView *self, CxApplication *app, gint64 plan_id);

G_END_DECLS
