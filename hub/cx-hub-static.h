/* cx-hub-static.h: serves a folder as static files, with Range, ETag and If-Range */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define CX_TYPE_HUB_STATIC (cx_hub_static_get_type ())
G_DECLARE_FINAL_TYPE (CxHubStatic, cx_hub_static, CX, HUB_STATIC, GObject)

CxHubStatic *cx_hub_static_new (const char *root, GError **error);
void cx_hub_static_attach (CxHubStatic *self, SoupServer *server, const char *path_prefix);

G_END_DECLS
