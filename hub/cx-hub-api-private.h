/* cx-hub-api-private.h: what the handlers of the hub's API share */
#pragma once

#include <json-glib/json-glib.h>

#include "cx-hub-api.h"

G_BEGIN_DECLS

void _cx_hub_api_send_json (SoupServerMessage *msg, guint status, JsonBuilder *builder);
void _cx_hub_api_send_error (
    SoupServerMessage *msg, guint status, const char *code, const char *message, gint64 extra_mark);
void _cx_hub_api_send_db_error (SoupServerMessage *msg, const GError *error);
GBytes *_cx_hub_api_request_body (SoupServerMessage *msg);
gboolean _cx_hub_api_has_content_type (SoupServerMessage *msg, const char *expected);

void _cx_hub_api_handle_missing_chunks (CxHubFiles *files, SoupServerMessage *msg);
void _cx_hub_api_handle_put_chunks (CxHubFiles *files, SoupServerMessage *msg);
void _cx_hub_api_handle_upload (CxHubDb *db,
                                CxHubFiles *files,
                                SoupServerMessage *msg,
                                gint64 device_id);
void _cx_hub_api_handle_list_timetable (CxHubDb *db,
                                        SoupServerMessage *msg,
                                        GHashTable *query,
                                        gint64 device_id);
void _cx_hub_api_handle_put_timetable (CxHubDb *db, SoupServerMessage *msg, gint64 device_id);

G_END_DECLS
