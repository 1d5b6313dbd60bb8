/* cx-application.h: the Cunxiao desktop app
 *
 * Owns what every window shares: the store, the library models over it, the
 * sync service, the sync under way and the settings. Everything works with no network.
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "cx-library.h"
#include "cx-store.h"
#include "cx-sync-controller.h"
#include "cx-sync-service.h"

G_BEGIN_DECLS

#define CX_TYPE_APPLICATION (cx_application_get_type ())
G_DECLARE_FINAL_TYPE (CxApplication, cx_application, CX, APPLICATION, AdwApplication)

CxApplication *cx_application_new (void);
CxStore *cx_application_get_store (CxApplication *self);
CxLibrary *cx_application_get_library (CxApplication *self);
CxSyncService *cx_application_get_sync_service (CxApplication *self);
CxSyncController *cx_application_get_sync_controller (CxApplication *self);
GSettings *cx_application_get_settings (CxApplication *self);
void cx_application_lessons_changed (CxApplication *self);
void cx_application_library_changed (CxApplication *self);
void cx_application_timetable_changed (CxApplication *self);
void cx_application_record (CxApplication *self, const char *kind, JsonBuilder *payload);

G_END_DECLS
