/* cx-pin.c: Argon2id hashing of PINs through libsodium
 *
 * Only the self-describing Argon2id string (salt and cost included) is kept,
 * so the cost can be raised later without breaking old hashes.
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include <glib/gi18n-lib.h>

#include "cx-pin.h"
#include "cx-sync-error.h"
#include "cx-store.h"

/**
 * cx_pin_validate:
 *
 * Checks that @pin is acceptable: valid UTF-8, no control characters, and
 * between %CX_PIN_MIN_LENGTH and %CX_PIN_MAX_LENGTH characters long.
 */
gboolean
cx_pin_validate (const char *pin, GError **error)
{
  glong length;

  g_return_val_if_fail (pin != NULL, FALSE);

  if (!g_utf8_validate (pin, -1, NULL))
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                           _ ("The PIN is not valid text"));
      return FALSE;
    }

  for (const char *p = pin; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                             _ ("The PIN must not contain control characters"));
        return FALSE;
      }

  length = g_utf8_strlen (pin, -1);
  if (length < CX_PIN_MIN_LENGTH || length > CX_PIN_MAX_LENGTH)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                   _ ("The PIN must be %d to %d characters long"), CX_PIN_MIN_LENGTH,
                   CX_PIN_MAX_LENGTH);
      return FALSE;
    }

  return TRUE;
}

/**
 * cx_pin_hash:
 *
 * Returns: (transfer full): an Argon2id string for @pin, or %NULL with @error set
 */
char *
cx_pin_hash (const char *pin, GError **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (pin != NULL, NULL);

  if (!_cx_sync_ensure_sodium (error) || !cx_pin_validate (pin, error))
    return NULL;

  if (crypto_pwhash_str_alg (hash, pin, strlen (pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_FAILED,
                           _ ("Not enough memory to protect the PIN"));
      return NULL;
    }

  return g_strdup (hash);
}

/**
 * cx_pin_verify:
 *
 * Returns: %TRUE if @pin matches @hash; %FALSE for any mismatch or a malformed hash
 */
gboolean
cx_pin_verify (const char *hash, const char *pin)
{
  g_return_val_if_fail (hash != NULL, FALSE);
  g_return_val_if_fail (pin != NULL, FALSE);

  if (!_cx_sync_ensure_sodium (NULL))
    return FALSE;

  return crypto_pwhash_str_verify (hash, pin, strlen (pin)) == 0;
}
