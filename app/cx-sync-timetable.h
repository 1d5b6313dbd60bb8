/* cx-sync-timetable.h: the shared timetable both ways, the part of a sync for 大课表 */
#pragma once

#include "cx-api-client.h"
#include "cx-sync-service.h"

G_BEGIN_DECLS

gboolean _cx_sync_timetable (CxStore *store,
                             CxApiClient *client,
                             CxSyncReport *report,
                             GCancellable *cancellable,
                             GError **error);

CxStore *_cx_sync_service_get_store (CxSyncService *self);

G_END_DECLS
