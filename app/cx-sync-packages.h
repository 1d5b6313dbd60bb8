/* cx-sync-packages.h: packages down, what the timetable needs soon first */
#pragma once

#include "cx-sync-service.h"

G_BEGIN_DECLS

/* How far ahead the timetable is read for what to fetch first. */
#define CX_SYNC_PREFETCH_DAYS 3

gboolean _cx_sync_pull_packages (CxStore *store,
                                 guint64 rate_limit,
                                 CxSyncProgressFunc progress_func,
                                 gpointer progress_data,
                                 CxSyncReport *report,
                                 GCancellable *cancellable,
                                 GError **error);

G_END_DECLS
