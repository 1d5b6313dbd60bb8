/* cx-library-page.h: packages, their course trees, search, and the viewer */
#pragma once

#include <adwaita.h>

#include "cx-application.h"

G_BEGIN_DECLS

#define CX_TYPE_LIBRARY_PAGE (cx_library_page_get_type ())
G_DECLARE_FINAL_TYPE (CxLibraryPage, cx_library_page, CX, LIBRARY_PAGE, AdwBin)

GtkWidget *cx_library_page_new (CxApplication *app);
void cx_library_page_show_package (CxLibraryPage *self, const char *package_key, const char *unit);
void cx_library_page_open_resource (CxLibraryPage *self, gint64 resource_id);

G_END_DECLS
