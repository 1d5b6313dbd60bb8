/* cx-hub-db-private.h: what the files of the hub's store share */
#pragma once

#include <sqlite3.h>

#include "cx-hub-db.h"

G_BEGIN_DECLS

gboolean _cx_hub_db_set_error (CxHubDb *self, GError **error, const char *what);
gboolean _cx_hub_db_exec (CxHubDb *self, const char *sql, GError **error);
sqlite3_stmt *_cx_hub_db_prepare (CxHubDb *self, const char *sql, GError **error);
void _cx_hub_db_rollback (CxHubDb *self);
gint64 _cx_hub_db_now (void);

G_END_DECLS
