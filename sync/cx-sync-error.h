/* cx-sync-error.h: the error domain of the sync/ library
 *
 * Every fallible call in sync/ reports through CX_SYNC_ERROR (or G_IO_ERROR
 * for plain file-system failures), so callers can tell a hostile or damaged
 * repository from a local problem by the code alone.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CX_SYNC_ERROR (cx_sync_error_quark ())

typedef enum
{
  CX_SYNC_ERROR_FAILED,
  CX_SYNC_ERROR_INVALID_ARGUMENT,
  CX_SYNC_ERROR_MALFORMED,
  CX_SYNC_ERROR_TRUNCATED,
  CX_SYNC_ERROR_TOO_LARGE,
  CX_SYNC_ERROR_UNSUPPORTED_VERSION,
  CX_SYNC_ERROR_BAD_KEY,
  CX_SYNC_ERROR_BAD_SIGNATURE,
  CX_SYNC_ERROR_UNTRUSTED,
  CX_SYNC_ERROR_EXPIRED,
  CX_SYNC_ERROR_ROLLBACK,
  CX_SYNC_ERROR_WRONG_REPOSITORY,
  CX_SYNC_ERROR_HASH_MISMATCH,
  CX_SYNC_ERROR_SIZE_MISMATCH,
  CX_SYNC_ERROR_BAD_PATH,
  CX_SYNC_ERROR_NOT_FOUND,
  CX_SYNC_ERROR_HTTP,          /* the server answered with an error status */
  CX_SYNC_ERROR_NETWORK,       /* connection failed, dropped or timed out */
  CX_SYNC_ERROR_RANGE_IGNORED, /* the server does not honour single Range requests */
  CX_SYNC_ERROR_CHANGED,       /* a file changed on the server between requests */
  CX_SYNC_ERROR_UNAUTHORIZED,  /* the hub does not know this device, or revoked it */
  CX_SYNC_ERROR_REFUSED,       /* the hub refused the request, and said why */
} CxSyncError;

GQuark cx_sync_error_quark (void);

gboolean _cx_sync_ensure_sodium (GError **error);

G_END_DECLS
