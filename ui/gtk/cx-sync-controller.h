/* cx-sync-controller.h: the app's one sync: started, paused, resumed,
 * cancelled, and run by itself when the link and the hours allow
 */
#pragma once

#include <gio/gio.h>

#include "cx-sync-service.h"

G_BEGIN_DECLS

typedef struct _CxApplication CxApplication;

typedef enum
{
  CX_SYNC_CONTROLLER_IDLE,
  CX_SYNC_CONTROLLER_RUNNING,
  CX_SYNC_CONTROLLER_PAUSED,
} CxSyncControllerState;

#define CX_TYPE_SYNC_CONTROLLER_STATE (cx_sync_controller_state_get_type ())
GType cx_sync_controller_state_get_type (void);

#define CX_TYPE_SYNC_CONTROLLER (cx_sync_controller_get_type ())
G_DECLARE_FINAL_TYPE (CxSyncController, cx_sync_controller, CX, SYNC_CONTROLLER, GObject)

CxSyncController *cx_sync_controller_new (CxApplication *app);
CxSyncControllerState cx_sync_controller_get_state (CxSyncController *self);
const CxSyncProgress *cx_sync_controller_get_progress (CxSyncController *self);
gint64 cx_sync_controller_get_next_auto_sync (CxSyncController *self);
void cx_sync_controller_start (CxSyncController *self);
void cx_sync_controller_pause (CxSyncController *self);
void cx_sync_controller_resume (CxSyncController *self);
void cx_sync_controller_cancel (CxSyncController *self);
void cx_sync_controller_enrolment_changed (CxSyncController *self);
void cx_sync_controller_shutdown (CxSyncController *self);

G_END_DECLS
