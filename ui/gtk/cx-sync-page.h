/* cx-sync-page.h */
#pragma once

#include <adwaita.h>

#include "cx-application.h"

G_BEGIN_DECLS

#define CX_TYPE_SYNC_PAGE (cx_sync_page_get_type ())
G_DECLARE_FINAL_TYPE (CxSyncPage, cx_sync_page, CX, SYNC_PAGE, AdwBin)

GtkWidget *cx_sync_page_new (CxApplication *app);

G_END_DECLS
