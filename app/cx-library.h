/* cx-library.h: the installed curriculum as list models for the front end
 *
 * Packages by subject, grade and edition, each a course tree (units →
 * lessons → resources) read from its verified manifest, with which units
 * are on this computer; and search across everything installed.
 */
#pragma once

#include <gio/gio.h>

#include "cx-course-node.h"
#include "cx-store-lessons.h"
#include "cx-store-timetable.h"
#include "cx-store.h"

G_BEGIN_DECLS

/* Whether a timetable entry's fallback (a file of its package, shown when
 * the live class cannot be reached) can be opened on this computer. */
typedef enum
{
  CX_FALLBACK_READY,           /* installed: its resource id is returned */
  CX_FALLBACK_NONE,            /* the entry names no fallback */
  CX_FALLBACK_PACKAGE_MISSING, /* the entry's package is not installed */
  CX_FALLBACK_UNIT_MISSING,    /* the package is, the unit holding the file not: fetch it */
  CX_FALLBACK_FILE_MISSING,    /* the installed version has no such file */
} CxFallbackState;

#define CX_TYPE_LIBRARY (cx_library_get_type ())
G_DECLARE_FINAL_TYPE (CxLibrary, cx_library, CX, LIBRARY, GObject)

CxLibrary *cx_library_new (CxStore *store, GError **error);
CxStore *cx_library_get_store (CxLibrary *self);
GListModel *cx_library_list_packages (CxLibrary *self, GError **error);
GListModel *cx_library_search (CxLibrary *self, const char *text, guint limit, GError **error);
void cx_library_prepare_search (CxLibrary *self);
gboolean cx_library_get_search_ready (CxLibrary *self);
char *cx_library_get_resource_file (
    CxLibrary *self, gint64 resource_id, char **out_kind, char **out_title, GError **error);
char *cx_library_get_lesson_item_file (CxLibrary *self,
                                       const CxLessonItem *item,
                                       char **out_kind,
                                       GError **error);
char **cx_library_units_with (CxLibrary *self, const char *package_key, const char *unit_id);
gint64 cx_library_find_fallback (CxLibrary *self,
                                 const CxTimetableEntry *entry,
                                 CxFallbackState *out_state,
                                 char **out_unit,
                                 GError **error);

G_END_DECLS
