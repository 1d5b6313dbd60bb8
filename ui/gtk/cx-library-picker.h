/* cx-library-picker.h: a search of the library beside a lesson, to add from */
#pragma once

#include <adwaita.h>

#include "cx-library.h"

G_BEGIN_DECLS

#define CX_TYPE_LIBRARY_PICKER (cx_library_picker_get_type ())
G_DECLARE_FINAL_TYPE (CxLibraryPicker, cx_library_picker, CX, LIBRARY_PICKER, AdwBin)

GtkWidget *cx_library_picker_new (CxLibrary *library);
void cx_library_picker_refresh (CxLibraryPicker *self);

G_END_DECLS
