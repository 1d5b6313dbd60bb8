/* cx-sync-error.c: the CX_SYNC_ERROR quark and libsodium start-up */
#include "config.h"

#include <sodium.h>

#include <glib/gi18n-lib.h>

#include "cx-sync-error.h"

/* clang-format off */
G_DEFINE_QUARK (cx-sync-error-quark, cx_sync_error)
/* clang-format on */

/* sodium_init() is idempotent but not free; run it once per process. */
gboolean
_cx_sync_ensure_sodium (GError **error)
{
  static gsize initialised = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&initialised))
    {
      ok = sodium_init () >= 0;
      g_once_init_leave (&initialised, 1);
    }

  if (!ok)
    g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_FAILED,
                         _ ("The cryptography library could not be started"));
  return ok;
}
