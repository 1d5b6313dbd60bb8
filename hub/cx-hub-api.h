/* cx-hub-api.h: the hub's JSON API under /api/v1/ (PROTOCOL.md §10) */
#pragma once

#include <libsoup/soup.h>

#include "cx-hub-db.h"
#include "cx-hub-files.h"

G_BEGIN_DECLS

#define CX_HUB_API_PATH "/api/v1/"

#define CX_TYPE_HUB_API (cx_hub_api_get_type ())
G_DECLARE_FINAL_TYPE (CxHubApi, cx_hub_api, CX, HUB_API, GObject)

CxHubApi *cx_hub_api_new (CxHubDb *db, CxHubFiles *files);
void cx_hub_api_attach (CxHubApi *self, SoupServer *server);

G_END_DECLS
