/* cx-chunker.c: FastCDC content-defined chunking
 *
 * Gear rolling hash, cut-point skipping below the minimum size, and
 * normalised chunking: a mask with two more bits than log2(avg) before the
 * average size and two fewer after it, which narrows the size spread.  The
 * state machine advances one byte at a time and keeps no data, so feeding
 * in any split gives the same boundaries, and SHA-256 ids are computed
 * incrementally.  The exact algorithm is specified in sync/PROTOCOL.md.
 */
#include "config.h"

#include <sodium.h>

#include <glib/gi18n-lib.h>

#include "cx-chunker.h"
#include "cx-sync-error.h"

struct _CxChunker
{
  GObject parent_instance;

  guint32 min_size;
  guint32 avg_size;
  guint32 max_size;
  guint64 mask_small; /* used while the chunk is shorter than avg: harder to hit */
  guint64 mask_large; /* used after avg: easier to hit */

  /* Streaming state */
  guint64 chunk_offset;
  guint32 pos;
  guint64 fp;
  crypto_hash_sha256_state sha;
};

G_DEFINE_FINAL_TYPE (CxChunker, cx_chunker, G_TYPE_OBJECT)

/* "Cunxiao1" in ASCII; changing it changes every chunk id ever published. */
#define GEAR_SEED    G_GUINT64_CONSTANT (0x43756e7869616f31)
#define STREAM_BLOCK (64 * 1024)

static guint64 gear[256];

/* splitmix64: a tiny, well-known generator, so a second implementation can
 * rebuild the table from the seed instead of copying 2 KiB of constants. */
static guint64
splitmix64_next (guint64 *state)
{
  guint64 z;

  *state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  z = *state;
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static void
ensure_gear_table (void)
{
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      guint64 state = GEAR_SEED;

      for (guint i = 0; i < G_N_ELEMENTS (gear); i++)
        gear[i] = splitmix64_next (&state);
      g_once_init_leave (&initialised, 1);
    }
}

/* The top @bits bits: with a left-shifting Gear hash, bit 63 depends on the
 * last 64 bytes, so high bits give the widest effective window. */
static guint64
top_bits_mask (guint bits)
{
  return ~G_GUINT64_CONSTANT (0) << (64 - bits);
}

static void
emit_chunk (CxChunker *self, GArray *chunks)
{
  CxChunk chunk;

  chunk.offset = self->chunk_offset;
  chunk.length = self->pos;
  crypto_hash_sha256_final (&self->sha, chunk.id.bytes);
  if (chunks != NULL)
    g_array_append_val (chunks, chunk);

  self->chunk_offset += self->pos;
  self->pos = 0;
  self->fp = 0;
  crypto_hash_sha256_init (&self->sha);
}

static void
cx_chunker_class_init (CxChunkerClass *klass)
{
}

static void
cx_chunker_init (CxChunker *self)
{
  ensure_gear_table ();
  crypto_hash_sha256_init (&self->sha);
}

/**
 * cx_chunker_new:
 *
 * Returns: a chunker with the protocol's default 16/64/256 KiB sizes.
 */
CxChunker *
cx_chunker_new (void)
{
  return cx_chunker_new_full (CX_CHUNKER_DEFAULT_MIN, CX_CHUNKER_DEFAULT_AVG,
                              CX_CHUNKER_DEFAULT_MAX, NULL);
}

/**
 * cx_chunker_new_full:
 *
 * @avg_size must be a power of two; @min_size < @avg_size < @max_size, all
 * within %CX_CHUNKER_LIMIT_MIN and %CX_CHUNKER_LIMIT_MAX.
 */
CxChunker *
cx_chunker_new_full (guint32 min_size, guint32 avg_size, guint32 max_size, GError **error)
{
  g_autoptr (CxChunker) self = NULL;
  guint bits;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (min_size < CX_CHUNKER_LIMIT_MIN || max_size > CX_CHUNKER_LIMIT_MAX || min_size >= avg_size ||
      avg_size >= max_size || (avg_size & (avg_size - 1)) != 0)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("Invalid chunk sizes %u/%u/%u: the average must be a power of two "
                      "between the minimum and the maximum"),
                   min_size, avg_size, max_size);
      return NULL;
    }

  if (!_cx_sync_ensure_sodium (error))
    return NULL;

  self = g_object_new (CX_TYPE_CHUNKER, NULL);
  self->min_size = min_size;
  self->avg_size = avg_size;
  self->max_size = max_size;
  bits = (guint) g_bit_nth_msf (avg_size, -1);
  self->mask_small = top_bits_mask (bits + 2);
  self->mask_large = top_bits_mask (bits - 2);

  return g_steal_pointer (&self);
}

guint32
cx_chunker_get_min_size (CxChunker *self)
{
  g_return_val_if_fail (CX_IS_CHUNKER (self), 0);
  return self->min_size;
}

guint32
cx_chunker_get_avg_size (CxChunker *self)
{
  g_return_val_if_fail (CX_IS_CHUNKER (self), 0);
  return self->avg_size;
}

guint32
cx_chunker_get_max_size (CxChunker *self)
{
  g_return_val_if_fail (CX_IS_CHUNKER (self), 0);
  return self->max_size;
}

/**
 * cx_chunker_reset:
 *
 * Forgets any partial chunk and restarts offsets at zero.
 */
void
cx_chunker_reset (CxChunker *self)
{
  g_return_if_fail (CX_IS_CHUNKER (self));

  self->chunk_offset = 0;
  self->pos = 0;
  self->fp = 0;
  crypto_hash_sha256_init (&self->sha);
}

GArray *
cx_chunk_array_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (CxChunk));
}

/**
 * cx_chunker_feed:
 * @chunks: (nullable): a #GArray of #CxChunk to append finished chunks to
 *
 * Consumes @length bytes.  Every chunk that ends inside them is appended to
 * @chunks; the tail stays pending until more data or cx_chunker_finish().
 */
void
cx_chunker_feed (CxChunker *self, const guint8 *data, gsize length, GArray *chunks)
{
  gsize i = 0;
  gsize segment_start = 0;

  g_return_if_fail (CX_IS_CHUNKER (self));
  g_return_if_fail (data != NULL || length == 0);

  while (i < length)
    {
      guint64 fp;
      guint32 pos;
      gboolean cut = FALSE;

      /* Cut-point skipping: no boundary can fall below the minimum, so
       * those bytes are only counted (and hashed for the id, below). */
      if (self->pos < self->min_size)
        {
          gsize skip = MIN ((gsize) (self->min_size - self->pos), length - i);

          self->pos += (guint32) skip;
          i += skip;
          continue;
        }

      fp = self->fp;
      pos = self->pos;
      while (i < length)
        {
          guint64 mask;

          fp = (fp << 1) + gear[data[i]];
          i++;
          pos++;
          mask = pos <= self->avg_size ? self->mask_small : self->mask_large;
          if ((fp & mask) == 0 || pos >= self->max_size)
            {
              cut = TRUE;
              break;
            }
        }
      self->fp = fp;
      self->pos = pos;

      if (cut)
        {
          crypto_hash_sha256_update (&self->sha, data + segment_start, i - segment_start);
          segment_start = i;
          emit_chunk (self, chunks);
        }
    }

  crypto_hash_sha256_update (&self->sha, data + segment_start, length - segment_start);
}

/**
 * cx_chunker_finish:
 *
 * Ends the stream: the pending tail (if any) becomes the last chunk, and
 * the chunker is ready for a new stream.
 */
void
cx_chunker_finish (CxChunker *self, GArray *chunks)
{
  g_return_if_fail (CX_IS_CHUNKER (self));

  if (self->pos > 0)
    emit_chunk (self, chunks);
  cx_chunker_reset (self);
}

/**
 * cx_chunker_chunk_stream:
 * @func: (nullable): called with each chunk and its bytes, in order
 *
 * Chunks everything @stream yields, from a fresh state.  At most one
 * maximum-sized chunk plus one read block is held in memory.
 *
 * Returns: (transfer full): a #GArray of #CxChunk, or %NULL on error
 */
GArray *
cx_chunker_chunk_stream (CxChunker *self,
                         GInputStream *stream,
                         CxChunkerFunc func,
                         gpointer user_data,
                         GCancellable *cancellable,
                         GError **error)
{
  g_autoptr (GArray) chunks = cx_chunk_array_new ();
  g_autoptr (GByteArray) pending = g_byte_array_new ();
  g_autofree guint8 *block = g_malloc (STREAM_BLOCK);
  gboolean eof = FALSE;

  g_return_val_if_fail (CX_IS_CHUNKER (self), NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cx_chunker_reset (self);

  while (!eof)
    {
      gssize n_read;
      guint first_new = chunks->len;
      gsize consumed = 0;

      n_read = g_input_stream_read (stream, block, STREAM_BLOCK, cancellable, error);
      if (n_read < 0)
        {
          cx_chunker_reset (self);
          return NULL;
        }

      if (n_read == 0)
        {
          eof = TRUE;
          cx_chunker_finish (self, chunks);
        }
      else
        {
          g_byte_array_append (pending, block, (guint) n_read);
          cx_chunker_feed (self, block, (gsize) n_read, chunks);
        }

      for (guint i = first_new; i < chunks->len; i++)
        {
          const CxChunk *chunk = &g_array_index (chunks, CxChunk, i);

          g_assert (consumed + chunk->length <= pending->len);
          if (func != NULL && !func (chunk, pending->data + consumed, user_data, error))
            {
              cx_chunker_reset (self);
              return NULL;
            }
          consumed += chunk->length;
        }
      if (consumed > 0)
        g_byte_array_remove_range (pending, 0, (guint) consumed);
    }

  g_assert (pending->len == 0);
  return g_steal_pointer (&chunks);
}

/**
 * cx_chunker_chunk_file:
 *
 * cx_chunker_chunk_stream() over the contents of @file.
 */
GArray *
cx_chunker_chunk_file (CxChunker *self,
                       GFile *file,
                       CxChunkerFunc func,
                       gpointer user_data,
                       GCancellable *cancellable,
                       GError **error)
{
  g_autoptr (GFileInputStream) stream = NULL;

  g_return_val_if_fail (CX_IS_CHUNKER (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  return cx_chunker_chunk_stream (self, G_INPUT_STREAM (stream), func, user_data, cancellable,
                                  error);
}
