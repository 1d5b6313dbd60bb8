/* cx-reports-page.h: the Reports page: the admin's monthly report, its charts and exports */
#pragma once

#include <adwaita.h>

#include "cx-application.h"

G_BEGIN_DECLS

#define CX_TYPE_REPORTS_PAGE (cx_reports_page_get_type ())
G_DECLARE_FINAL_TYPE (CxReportsPage, cx_reports_page, CX, REPORTS_PAGE, AdwBin)

GtkWidget *cx_reports_page_new (CxApplication *app);

G_END_DECLS
