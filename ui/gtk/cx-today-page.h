/* cx-today-page.h */
#pragma once

#include <adwaita.h>

#include "cx-application.h"

G_BEGIN_DECLS

#define CX_TYPE_TODAY_PAGE (cx_today_page_get_type ())
G_DECLARE_FINAL_TYPE (CxTodayPage, cx_today_page, CX, TODAY_PAGE, AdwBin)

GtkWidget *cx_today_page_new (CxApplication *app);

G_END_DECLS
