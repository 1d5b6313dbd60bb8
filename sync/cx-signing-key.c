/* cx-signing-key.c: ed25519 key pairs through libsodium
 *
 * Secret key file: one line, "ed25519-secret:" + base64 of libsodium's
 * 64-byte secret key (seed followed by public key).  Loading re-derives the
 * public half from the seed and compares, so a damaged file is refused
 * instead of producing signatures nobody can verify.
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include <glib/gi18n-lib.h>

#include "cx-signing-key.h"
#include "cx-sync-error.h"

struct _CxSigningKey
{
  GObject parent_instance;

  guint8 *secret; /* crypto_sign_SECRETKEYBYTES, sodium_malloc()ed */
  CxPublicKey *public_key;
};

G_DEFINE_FINAL_TYPE (CxSigningKey, cx_signing_key, G_TYPE_OBJECT)

static void
cx_signing_key_finalize (GObject *object)
{
  CxSigningKey *self = CX_SIGNING_KEY (object);

  g_clear_pointer (&self->secret, sodium_free);
  g_clear_object (&self->public_key);

  G_OBJECT_CLASS (cx_signing_key_parent_class)->finalize (object);
}

static void
cx_signing_key_class_init (CxSigningKeyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cx_signing_key_finalize;
}

static void
cx_signing_key_init (CxSigningKey *self)
{
}

static CxSigningKey *
signing_key_new_from_seed (const guint8 *seed, const guint8 *expected_public, GError **error)
{
  g_autoptr (CxSigningKey) self = NULL;
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];

  self = g_object_new (CX_TYPE_SIGNING_KEY, NULL);
  self->secret = sodium_malloc (crypto_sign_SECRETKEYBYTES);
  if (self->secret == NULL)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_FAILED,
                           _ ("Could not allocate protected memory for a secret key"));
      return NULL;
    }
  crypto_sign_seed_keypair (public_key, self->secret, seed);

  if (expected_public != NULL &&
      sodium_memcmp (public_key, expected_public, crypto_sign_PUBLICKEYBYTES) != 0)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_KEY,
                           _ ("The secret key file is damaged: its two halves do not match"));
      return NULL;
    }

  self->public_key = cx_public_key_new_from_bytes (public_key, sizeof public_key, error);
  if (self->public_key == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * cx_signing_key_generate:
 *
 * Returns: (transfer full): a fresh key pair from the system's CSPRNG
 */
CxSigningKey *
cx_signing_key_generate (GError **error)
{
  guint8 seed[crypto_sign_SEEDBYTES];
  CxSigningKey *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_cx_sync_ensure_sodium (error))
    return NULL;

  randombytes_buf (seed, sizeof seed);
  self = signing_key_new_from_seed (seed, NULL, error);
  sodium_memzero (seed, sizeof seed);
  return self;
}

/**
 * cx_signing_key_load:
 *
 * Reads a secret key file written by cx_signing_key_save().  A file of the
 * wrong form or length fails with %CX_SYNC_ERROR_BAD_KEY.
 */
CxSigningKey *
cx_signing_key_load (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autofree guint8 *raw = NULL;
  g_autoptr (GError) local_error = NULL;
  CxSigningKey *self;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_cx_sync_ensure_sodium (error))
    return NULL;

  if (!_cx_key_file_read (path, &text, error))
    return NULL;

  raw = _cx_key_text_decode (text, CX_SECRET_KEY_PREFIX, crypto_sign_SECRETKEYBYTES, &local_error);
  sodium_memzero (text, strlen (text));
  if (raw == NULL)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_KEY,
                   _ ("“%s” is not a Cunxiao secret key file: %s"), path, local_error->message);
      return NULL;
    }

  /* libsodium's secret key is seed ‖ public key. */
  self = signing_key_new_from_seed (raw, raw + crypto_sign_SEEDBYTES, error);
  sodium_memzero (raw, crypto_sign_SECRETKEYBYTES);
  return self;
}

/**
 * cx_signing_key_save:
 *
 * Writes the secret key to @path atomically (temporary file, fsync, rename)
 * with mode 0600, replacing any file there.  Callers that must not
 * overwrite an existing key check for it first.
 */
gboolean
cx_signing_key_save (CxSigningKey *self, const char *path, GError **error)
{
  g_autofree char *b64 = NULL;
  g_autofree char *line = NULL;
  gboolean ok;

  g_return_val_if_fail (CX_IS_SIGNING_KEY (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  b64 = g_base64_encode (self->secret, crypto_sign_SECRETKEYBYTES);
  line = g_strconcat (CX_SECRET_KEY_PREFIX, b64, "\n", NULL);
  ok = g_file_set_contents_full (
      path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, error);
  sodium_memzero (b64, strlen (b64));
  sodium_memzero (line, strlen (line));
  return ok;
}

/**
 * cx_signing_key_get_public_key:
 *
 * Returns: (transfer none): the public half
 */
CxPublicKey *
cx_signing_key_get_public_key (CxSigningKey *self)
{
  g_return_val_if_fail (CX_IS_SIGNING_KEY (self), NULL);
  return self->public_key;
}

const char *
cx_signing_key_get_id (CxSigningKey *self)
{
  g_return_val_if_fail (CX_IS_SIGNING_KEY (self), NULL);
  return cx_public_key_get_id (self->public_key);
}

/**
 * cx_signing_key_sign:
 *
 * Writes a detached ed25519 signature over exactly @length bytes of @data.
 */
void
cx_signing_key_sign (CxSigningKey *self,
                     const guint8 *data,
                     gsize length,
                     guint8 signature[CX_SIGNATURE_LEN])
{
  g_return_if_fail (CX_IS_SIGNING_KEY (self));
  g_return_if_fail (data != NULL || length == 0);
  g_return_if_fail (signature != NULL);

  crypto_sign_detached (signature, NULL, data, length, self->secret);
}
