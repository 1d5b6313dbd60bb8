/* cx-hub-request-log.h: one structured line per request */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

void cx_hub_request_log_attach (SoupServer *server);

G_END_DECLS
