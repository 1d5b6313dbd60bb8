/* cx-sync-events.h: sending the usage journal, the part of a sync that pushes events */
#pragma once

#include "cx-api-client.h"
#include "cx-sync-service.h"

G_BEGIN_DECLS

gboolean _cx_sync_push_events (CxStore *store,
                               CxApiClient *client,
                               guint batch_size,
                               CxSyncReport *report,
                               GCancellable *cancellable,
                               GError **error);

G_END_DECLS
