/* cx-store-sync-state.h: small named facts the sync service keeps (cursors, marks) */
#pragma once

#include "cx-store.h"

G_BEGIN_DECLS

char *cx_store_get_sync_value (CxStore *self, const char *key, GError **error);
gboolean
cx_store_set_sync_value (CxStore *self, const char *key, const char *value, GError **error);

G_END_DECLS
