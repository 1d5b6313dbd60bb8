/* cx-sync-hand-ins.h: sending queued hand-ins, the part of a sync that uploads files */
#pragma once

#include "cx-api-client.h"
#include "cx-sync-service.h"

G_BEGIN_DECLS

gboolean _cx_sync_push_hand_ins (CxStore *store,
                                 CxApiClient *client,
                                 CxSyncReport *report,
                                 GCancellable *cancellable,
                                 GError **error);

G_END_DECLS
