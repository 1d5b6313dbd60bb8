/* cx-chunk-id.c: SHA-256 content ids
 *
 * libsodium's SHA-256 is used rather than GChecksum so the hot path (every
 * chunk of every package) avoids a heap allocation per hash.
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "cx-chunk-id.h"

void
cx_chunk_id_compute (const void *data, gsize length, CxChunkId *out_id)
{
  g_return_if_fail (data != NULL || length == 0);
  g_return_if_fail (out_id != NULL);

  crypto_hash_sha256 (out_id->bytes, data, length);
}

void
cx_chunk_id_to_hex_buf (const CxChunkId *id, char *buf)
{
  static const char digits[] = "0123456789abcdef";

  g_return_if_fail (id != NULL);
  g_return_if_fail (buf != NULL);

  for (gsize i = 0; i < CX_CHUNK_ID_LEN; i++)
    {
      buf[2 * i] = digits[id->bytes[i] >> 4];
      buf[2 * i + 1] = digits[id->bytes[i] & 0xf];
    }
  buf[CX_CHUNK_ID_HEX_LEN] = '\0';
}

char *
cx_chunk_id_to_hex (const CxChunkId *id)
{
  char *buf;

  g_return_val_if_fail (id != NULL, NULL);

  buf = g_malloc (CX_CHUNK_ID_HEX_LEN + 1);
  cx_chunk_id_to_hex_buf (id, buf);
  return buf;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* Only lower-case hex of exactly 64 digits: one spelling per id, so ids
 * compare equal as strings too. */
gboolean
cx_chunk_id_from_hex (const char *hex, CxChunkId *out_id)
{
  CxChunkId id;

  g_return_val_if_fail (hex != NULL, FALSE);
  g_return_val_if_fail (out_id != NULL, FALSE);

  for (gsize i = 0; i < CX_CHUNK_ID_LEN; i++)
    {
      int hi, lo;

      hi = hex_value (hex[2 * i]);
      if (hi < 0)
        return FALSE;
      lo = hex_value (hex[2 * i + 1]);
      if (lo < 0)
        return FALSE;
      id.bytes[i] = (guint8) ((hi << 4) | lo);
    }
  if (hex[CX_CHUNK_ID_HEX_LEN] != '\0')
    return FALSE;

  *out_id = id;
  return TRUE;
}

gboolean
cx_chunk_id_equal (gconstpointer a, gconstpointer b)
{
  return memcmp (a, b, CX_CHUNK_ID_LEN) == 0;
}

/* The id is already uniformly distributed; its first bytes are a hash. */
guint
cx_chunk_id_hash (gconstpointer id)
{
  guint h;

  memcpy (&h, id, sizeof h);
  return h;
}

CxChunkId *
cx_chunk_id_dup (const CxChunkId *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_memdup2 (id, sizeof *id);
}
