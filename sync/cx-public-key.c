/* cx-public-key.c: ed25519 public keys through libsodium
 *
 * The key id is the first 8 bytes of SHA-256 of the raw key: short enough to
 * sit next to each signature in an index, long enough that two keys of one
 * repository never collide by accident (a collision only costs a failed
 * verification, never a false accept).
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include <glib/gi18n-lib.h>

#include "cx-public-key.h"
#include "cx-sync-error.h"

struct _CxPublicKey
{
  GObject parent_instance;

  guint8 key[CX_PUBLIC_KEY_LEN];
  guint8 id[CX_KEY_ID_LEN];
  char id_hex[CX_KEY_ID_HEX_LEN + 1];
};

G_DEFINE_FINAL_TYPE (CxPublicKey, cx_public_key, G_TYPE_OBJECT)

static void
cx_public_key_class_init (CxPublicKeyClass *klass)
{
}

static void
cx_public_key_init (CxPublicKey *self)
{
}

/* Reads a small key file, refusing anything larger than a key file can be,
 * and strips one trailing newline. */
gboolean
_cx_key_file_read (const char *path, char **out_text, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) stream = NULL;
  g_autofree char *buf = g_malloc0 (CX_KEY_FILE_MAX_SIZE + 2);
  gsize n_read = 0;

  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return FALSE;
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buf, CX_KEY_FILE_MAX_SIZE + 1, &n_read,
                                NULL, error))
    return FALSE;

  if (n_read > CX_KEY_FILE_MAX_SIZE)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_KEY,
                   _ ("The key file “%s” is too large to be a key"), path);
      return FALSE;
    }
  if (memchr (buf, '\0', n_read) != NULL)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_KEY,
                   _ ("The key file “%s” is not a text file"), path);
      return FALSE;
    }
  if (n_read > 0 && buf[n_read - 1] == '\n')
    buf[--n_read] = '\0';

  *out_text = g_steal_pointer (&buf);
  return TRUE;
}

static gboolean
is_base64_char (char c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/';
}

/* Strict decoding: exactly PREFIX + canonical padded base64 of the expected
 * length, so a key has one spelling and a damaged one is never "repaired"
 * by g_base64_decode()'s leniency.  (Messages use %lu with a cast, since
 * xgettext cannot read through G_GSIZE_FORMAT.) */
guint8 *
_cx_key_text_decode (const char *text, const char *prefix, gsize expected_length, GError **error)
{
  gsize prefix_len = strlen (prefix);
  gsize b64_len = 4 * ((expected_length + 2) / 3);
  gsize n_pad = (3 - expected_length % 3) % 3;
  const char *b64;
  g_autofree guint8 *decoded = NULL;
  g_autofree char *reencoded = NULL;
  gsize decoded_len = 0;

  if (!g_str_has_prefix (text, prefix))
    goto bad;
  b64 = text + prefix_len;
  if (strlen (b64) != b64_len)
    goto bad;
  for (gsize i = 0; i < b64_len; i++)
    {
      if (i >= b64_len - n_pad)
        {
          if (b64[i] != '=')
            goto bad;
        }
      else if (!is_base64_char (b64[i]))
        goto bad;
    }

  decoded = g_base64_decode (b64, &decoded_len);
  if (decoded_len != expected_length)
    goto bad;
  reencoded = g_base64_encode (decoded, decoded_len);
  if (strcmp (reencoded, b64) != 0)
    goto bad;

  return g_steal_pointer (&decoded);

bad:
  if (decoded != NULL)
    sodium_memzero (decoded, decoded_len);
  g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_KEY,
               _ ("Not a valid key: expected “%s” followed by %lu base64 characters"), prefix,
               (gulong) b64_len);
  return NULL;
}

/**
 * cx_public_key_new_from_bytes:
 *
 * Returns: (transfer full): a key for the 32 raw bytes at @key, or %NULL
 */
CxPublicKey *
cx_public_key_new_from_bytes (const guint8 *key, gsize length, GError **error)
{
  g_autoptr (CxPublicKey) self = NULL;
  guint8 digest[crypto_hash_sha256_BYTES];

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_cx_sync_ensure_sodium (error))
    return NULL;

  if (length != CX_PUBLIC_KEY_LEN)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_KEY,
                   _ ("A public key must be %d bytes long, not %lu"), CX_PUBLIC_KEY_LEN,
                   (gulong) length);
      return NULL;
    }

  self = g_object_new (CX_TYPE_PUBLIC_KEY, NULL);
  memcpy (self->key, key, CX_PUBLIC_KEY_LEN);
  crypto_hash_sha256 (digest, key, CX_PUBLIC_KEY_LEN);
  memcpy (self->id, digest, CX_KEY_ID_LEN);
  for (gsize i = 0; i < CX_KEY_ID_LEN; i++)
    g_snprintf (self->id_hex + 2 * i, 3, "%02x", self->id[i]);

  return g_steal_pointer (&self);
}

/**
 * cx_public_key_new_from_string:
 * @text: "ed25519:" and base64, as printed by cx_public_key_to_string()
 *
 * Leading and trailing white space is ignored, since keys are pasted.
 */
CxPublicKey *
cx_public_key_new_from_string (const char *text, GError **error)
{
  g_autofree char *copy = NULL;
  g_autofree guint8 *raw = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  copy = g_strstrip (g_strdup (text));
  raw = _cx_key_text_decode (copy, CX_PUBLIC_KEY_PREFIX, CX_PUBLIC_KEY_LEN, error);
  if (raw == NULL)
    return NULL;

  return cx_public_key_new_from_bytes (raw, CX_PUBLIC_KEY_LEN, error);
}

/**
 * cx_public_key_load:
 *
 * Reads a public key file: the text form on one line.
 */
CxPublicKey *
cx_public_key_load (const char *path, GError **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_cx_key_file_read (path, &text, error))
    return NULL;

  return cx_public_key_new_from_string (text, error);
}

gboolean
cx_public_key_save (CxPublicKey *self, const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;

  g_return_val_if_fail (CX_IS_PUBLIC_KEY (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  text = cx_public_key_to_string (self);
  line = g_strconcat (text, "\n", NULL);
  return g_file_set_contents_full (
      path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, error);
}

const guint8 *
cx_public_key_get_bytes (CxPublicKey *self)
{
  g_return_val_if_fail (CX_IS_PUBLIC_KEY (self), NULL);
  return self->key;
}

/**
 * cx_public_key_get_id_bytes:
 *
 * Returns: the %CX_KEY_ID_LEN raw bytes of the key id
 */
const guint8 *
cx_public_key_get_id_bytes (CxPublicKey *self)
{
  g_return_val_if_fail (CX_IS_PUBLIC_KEY (self), NULL);
  return self->id;
}

/**
 * cx_public_key_get_id:
 *
 * Returns: the key id as 16 lower-case hex digits
 */
const char *
cx_public_key_get_id (CxPublicKey *self)
{
  g_return_val_if_fail (CX_IS_PUBLIC_KEY (self), NULL);
  return self->id_hex;
}

char *
cx_public_key_to_string (CxPublicKey *self)
{
  g_autofree char *b64 = NULL;

  g_return_val_if_fail (CX_IS_PUBLIC_KEY (self), NULL);

  b64 = g_base64_encode (self->key, CX_PUBLIC_KEY_LEN);
  return g_strconcat (CX_PUBLIC_KEY_PREFIX, b64, NULL);
}

gboolean
cx_public_key_equal (CxPublicKey *a, CxPublicKey *b)
{
  g_return_val_if_fail (CX_IS_PUBLIC_KEY (a), FALSE);
  g_return_val_if_fail (CX_IS_PUBLIC_KEY (b), FALSE);

  return memcmp (a->key, b->key, CX_PUBLIC_KEY_LEN) == 0;
}

/**
 * cx_public_key_verify:
 *
 * Checks a detached ed25519 signature over exactly @length bytes of @data.
 */
gboolean
cx_public_key_verify (CxPublicKey *self,
                      const guint8 *data,
                      gsize length,
                      const guint8 *signature,
                      gsize signature_length,
                      GError **error)
{
  g_return_val_if_fail (CX_IS_PUBLIC_KEY (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (signature != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (signature_length != CX_SIGNATURE_LEN ||
      crypto_sign_verify_detached (signature, data, length, self->key) != 0)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_SIGNATURE,
                   _ ("The signature by key %s does not match the data"), self->id_hex);
      return FALSE;
    }

  return TRUE;
}
