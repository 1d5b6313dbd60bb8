/* cx-pack.c: pack writer, pack index reader, range coalescing
 *
 * Pack index layout (sync/PROTOCOL.md §6): magic "CXPACKX\n", u32le format,
 * u32le entry count, then per entry 32-byte chunk id, u64le offset, u32le
 * compressed size, u32le uncompressed size.  Entries tile the pack file
 * from offset 0 with no gaps, so the index also fixes the pack's length.
 * The pack id is the SHA-256 of the index file, which is what manifests
 * name; the pack data itself is trusted one verified chunk at a time.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <glib/gi18n-lib.h>

#include "cx-pack-private.h"
#include "cx-pack.h"
#include "cx-sync-error.h"

#define INDEX_HEADER_LEN (CX_PACK_INDEX_MAGIC_LEN + 4 + 4)
#define INDEX_ENTRY_LEN  (CX_CHUNK_ID_LEN + 8 + 4 + 4)

struct _CxPackIndex
{
  CxChunkId id;
  GArray *entries;   /* CxPackEntry, by offset */
  GHashTable *by_id; /* CxChunkId* (into entries) → index + 1 */
};

struct _CxPackWriter
{
  GOutputStream *pack;
  ZSTD_CCtx *cctx;
  int level;
  GArray *entries;
  GHashTable *seen; /* owned CxChunkId* set */
  guint64 offset;
  gboolean failed;
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZSTD_DCtx, ZSTD_freeDCtx)

static const CxIndexLayout pack_layout = {
  .kind = CX_INDEX_PACK,
  .magic = CX_PACK_INDEX_MAGIC,
  .magic_len = CX_PACK_INDEX_MAGIC_LEN,
  .format = CX_PACK_INDEX_FORMAT,
  .min_entries = 0,
  .max_entries = CX_PACK_MAX_ENTRIES,
  .entry_len = INDEX_ENTRY_LEN,
};

guint32
_cx_read_u32le (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

guint64
_cx_read_u64le (const guint8 *p)
{
  return (guint64) _cx_read_u32le (p) | ((guint64) _cx_read_u32le (p + 4) << 32);
}

void
_cx_put_u32le (GByteArray *out, guint32 value)
{
  guint8 b[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, (value >> 24) & 0xff };

  g_byte_array_append (out, b, sizeof b);
}

void
_cx_put_u64le (GByteArray *out, guint64 value)
{
  _cx_put_u32le (out, (guint32) (value & 0xffffffff));
  _cx_put_u32le (out, (guint32) (value >> 32));
}

/* The messages name the index, so each kind keeps its own strings. */
gboolean
_cx_index_set_malformed (CxIndexKind kind, GError **error, const char *reason)
{
  if (kind == CX_INDEX_DELTA)
    g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED, _ ("Malformed delta index: %s"),
                 reason);
  else
    g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED, _ ("Malformed pack index: %s"),
                 reason);
  return FALSE;
}

static gboolean
set_index_truncated (CxIndexKind kind, GError **error)
{
  g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TRUNCATED,
                       kind == CX_INDEX_DELTA ? _ ("The delta index is truncated")
                                              : _ ("The pack index is truncated"));
  return FALSE;
}

static gboolean
set_index_unsupported (const CxIndexLayout *layout, guint32 format, GError **error)
{
  if (layout->kind == CX_INDEX_DELTA)
    g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNSUPPORTED_VERSION,
                 _ ("The delta index has format %u; this version of Cunxiao reads format %d"),
                 format, (int) layout->format);
  else
    g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNSUPPORTED_VERSION,
                 _ ("The pack index has format %u; this version of Cunxiao reads format %d"),
                 format, (int) layout->format);
  return FALSE;
}

/**
 * _cx_index_read_header:
 * @out_count: (out): the number of entries, each @layout->entry_len bytes
 *   long, that follow the header and end exactly where @data does
 *
 * Checks the magic, the format, the entry count and the length of an
 * index file.
 */
gboolean
_cx_index_read_header (const CxIndexLayout *layout,
                       const guint8 *data,
                       gsize length,
                       guint32 *out_count,
                       GError **error)
{
  gsize header_len = layout->magic_len + 8;
  guint32 format, count;

  if (length < header_len)
    {
      if (memcmp (data, layout->magic, MIN (length, layout->magic_len)) != 0)
        return _cx_index_set_malformed (layout->kind, error, _ ("wrong magic number"));
      return set_index_truncated (layout->kind, error);
    }
  if (memcmp (data, layout->magic, layout->magic_len) != 0)
    return _cx_index_set_malformed (layout->kind, error, _ ("wrong magic number"));

  format = _cx_read_u32le (data + layout->magic_len);
  if (format != layout->format)
    return set_index_unsupported (layout, format, error);

  count = _cx_read_u32le (data + layout->magic_len + 4);
  if (layout->kind == CX_INDEX_PACK && count > layout->max_entries)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE,
                   _ ("The pack index lists too many chunks (%u)"), count);
      return FALSE;
    }
  if (count < layout->min_entries || count > layout->max_entries)
    return _cx_index_set_malformed (layout->kind, error, _ ("the entry count is out of range"));
  if (length < header_len + (gsize) count * layout->entry_len)
    return set_index_truncated (layout->kind, error);
  if (length > header_len + (gsize) count * layout->entry_len)
    return _cx_index_set_malformed (layout->kind, error,
                                    _ ("unexpected data after the last entry"));

  *out_count = count;
  return TRUE;
}

/* An index file's header, with room for @count entries after it. */
GByteArray *
_cx_index_new_bytes (const CxIndexLayout *layout, guint32 count)
{
  GByteArray *out = g_byte_array_sized_new (layout->magic_len + 8 + count * layout->entry_len);

  g_byte_array_append (out, (const guint8 *) layout->magic, layout->magic_len);
  _cx_put_u32le (out, layout->format);
  _cx_put_u32le (out, count);
  return out;
}

static CxPackIndex *
pack_index_new (void)
{
  CxPackIndex *self = g_atomic_rc_box_new0 (CxPackIndex);

  self->entries = g_array_new (FALSE, TRUE, sizeof (CxPackEntry));
  self->by_id = g_hash_table_new (cx_chunk_id_hash, cx_chunk_id_equal);
  return self;
}

static void
pack_index_clear (CxPackIndex *self)
{
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->entries, g_array_unref);
}

static gboolean
set_malformed_index (GError **error, const char *reason)
{
  return _cx_index_set_malformed (CX_INDEX_PACK, error, reason);
}

static gboolean
parse_index (CxPackIndex *self, const guint8 *data, gsize length, GError **error)
{
  guint32 count;
  guint64 expected_offset = 0;

  if (!_cx_index_read_header (&pack_layout, data, length, &count, error))
    return FALSE;

  g_array_set_size (self->entries, count);
  for (guint32 i = 0; i < count; i++)
    {
      const guint8 *p = data + INDEX_HEADER_LEN + (gsize) i * INDEX_ENTRY_LEN;
      CxPackEntry *entry = &g_array_index (self->entries, CxPackEntry, i);

      memcpy (entry->id.bytes, p, CX_CHUNK_ID_LEN);
      entry->offset = _cx_read_u64le (p + CX_CHUNK_ID_LEN);
      entry->compressed_size = _cx_read_u32le (p + CX_CHUNK_ID_LEN + 8);
      entry->size = _cx_read_u32le (p + CX_CHUNK_ID_LEN + 12);

      if (entry->offset != expected_offset)
        return set_malformed_index (error, _ ("entries do not follow each other"));
      if (entry->compressed_size == 0 || entry->size == 0 || entry->size > CX_PACK_MAX_CHUNK_SIZE ||
          entry->compressed_size > ZSTD_compressBound (CX_PACK_MAX_CHUNK_SIZE))
        return set_malformed_index (error, _ ("a chunk size is out of range"));
      if (g_hash_table_contains (self->by_id, &entry->id))
        return set_malformed_index (error, _ ("a chunk is listed twice"));
      expected_offset += entry->compressed_size;
    }

  /* Pointers into entries are stable now that its size is final. */
  for (guint32 i = 0; i < count; i++)
    g_hash_table_insert (self->by_id, &g_array_index (self->entries, CxPackEntry, i).id,
                         GUINT_TO_POINTER (i + 1));

  return TRUE;
}

/**
 * cx_pack_index_new_from_bytes:
 *
 * Parses and checks a pack index file.  Callers compare
 * cx_pack_index_get_id() with the id the manifest names.
 *
 * Returns: (transfer full): the index, or %NULL
 */
CxPackIndex *
cx_pack_index_new_from_bytes (GBytes *data, GError **error)
{
  g_autoptr (CxPackIndex) self = NULL;
  const guint8 *bytes;
  gsize length;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_cx_sync_ensure_sodium (error))
    return NULL;

  bytes = g_bytes_get_data (data, &length);
  if (length > INDEX_HEADER_LEN + (gsize) CX_PACK_MAX_ENTRIES * INDEX_ENTRY_LEN)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE,
                           _ ("The pack index is larger than the limit"));
      return NULL;
    }

  self = pack_index_new ();
  if (!parse_index (self, bytes != NULL ? bytes : (const guint8 *) "", length, error))
    return NULL;
  cx_chunk_id_compute (bytes != NULL ? bytes : (const guint8 *) "", length, &self->id);

  return g_steal_pointer (&self);
}

CxPackIndex *
cx_pack_index_ref (CxPackIndex *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
cx_pack_index_unref (CxPackIndex *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, (GDestroyNotify) pack_index_clear);
}

/**
 * cx_pack_index_get_id:
 *
 * The pack id: SHA-256 of the index file's bytes.
 */
void
cx_pack_index_get_id (CxPackIndex *self, CxChunkId *out_id)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (out_id != NULL);
  *out_id = self->id;
}

guint
cx_pack_index_get_n_entries (CxPackIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->entries->len;
}

const CxPackEntry *
cx_pack_index_get_entry (CxPackIndex *self, guint index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);
  return &g_array_index (self->entries, CxPackEntry, index);
}

/**
 * cx_pack_index_lookup:
 * @out_index: (out) (optional): the entry's position in offset order
 *
 * Returns: (nullable): the entry for @id, or %NULL if the pack lacks it
 */
const CxPackEntry *
cx_pack_index_lookup (CxPackIndex *self, const CxChunkId *id, guint *out_index)
{
  guint position;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  position = GPOINTER_TO_UINT (g_hash_table_lookup (self->by_id, id));
  if (position == 0)
    return NULL;
  if (out_index != NULL)
    *out_index = position - 1;
  return &g_array_index (self->entries, CxPackEntry, position - 1);
}

/**
 * cx_pack_index_get_pack_size:
 *
 * Returns: the exact length the pack file must have
 */
guint64
cx_pack_index_get_pack_size (CxPackIndex *self)
{
  const CxPackEntry *last;

  g_return_val_if_fail (self != NULL, 0);

  if (self->entries->len == 0)
    return 0;
  last = &g_array_index (self->entries, CxPackEntry, self->entries->len - 1);
  return last->offset + last->compressed_size;
}

static int
compare_extent_position (gconstpointer a, gconstpointer b)
{
  guint pa = ((const CxPackExtent *) a)->position;
  guint pb = ((const CxPackExtent *) b)->position;

  return pa < pb ? -1 : pa > pb;
}

/**
 * cx_pack_coalesce_extents:
 * @extents: (array length=n_extents): wanted entries; sorted in place
 * @max_gap: bytes of unwanted entries worth fetching to save a request
 * @max_range: the longest range to build (a single larger entry still gets
 *   its own range)
 *
 * The coalescing rule of PROTOCOL.md §6.1, shared by packs and delta
 * packs: wanted entries in offset order are merged while the hole between
 * them is at most @max_gap and the merged range stays within @max_range.
 * Every range starts at a wanted entry and ends with one.  The entries'
 * list must tile its file in offset order, so position order is offset
 * order.
 *
 * Returns: (transfer full) (element-type CxPackRange): ranges by offset
 */
GArray *
cx_pack_coalesce_extents (CxPackExtent *extents,
                          guint n_extents,
                          guint64 max_gap,
                          guint64 max_range)
{
  g_autoptr (GArray) ranges = g_array_new (FALSE, TRUE, sizeof (CxPackRange));
  CxPackRange current = { 0 };
  guint last = 0;

  g_return_val_if_fail (extents != NULL || n_extents == 0, NULL);

  if (n_extents > 0)
    qsort (extents, n_extents, sizeof (CxPackExtent), compare_extent_position);

  for (guint i = 0; i < n_extents; i++)
    {
      const CxPackExtent *extent = &extents[i];
      guint64 end = extent->offset + extent->length;

      if (current.n_entries > 0 && extent->position == last)
        continue; /* wanted twice */

      if (current.n_entries > 0 && extent->offset - (current.offset + current.length) <= max_gap &&
          end - current.offset <= max_range)
        {
          current.length = end - current.offset;
          current.n_entries = extent->position - current.first_entry + 1;
        }
      else
        {
          if (current.n_entries > 0)
            g_array_append_val (ranges, current);
          current.offset = extent->offset;
          current.length = extent->length;
          current.first_entry = extent->position;
          current.n_entries = 1;
        }
      last = extent->position;
    }
  if (current.n_entries > 0)
    g_array_append_val (ranges, current);

  return g_steal_pointer (&ranges);
}

/**
 * cx_pack_index_coalesce:
 * @wanted: (array length=n_wanted): chunk ids to fetch from this pack
 * @max_gap: bytes of unwanted chunks worth fetching to save a request
 * @max_range: the longest range to build
 *
 * Turns a set of wanted chunks into few single-range GETs, by
 * cx_pack_coalesce_extents().
 *
 * Returns: (transfer full) (element-type CxPackRange): ranges by offset
 */
GArray *
cx_pack_index_coalesce (CxPackIndex *self,
                        const CxChunkId *wanted,
                        gsize n_wanted,
                        guint64 max_gap,
                        guint64 max_range,
                        GError **error)
{
  g_autoptr (GArray) extents = g_array_new (FALSE, FALSE, sizeof (CxPackExtent));

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (wanted != NULL || n_wanted == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (gsize i = 0; i < n_wanted; i++)
    {
      const CxPackEntry *entry;
      CxPackExtent extent;

      entry = cx_pack_index_lookup (self, &wanted[i], &extent.position);
      if (entry == NULL)
        {
          g_autofree char *hex = cx_chunk_id_to_hex (&wanted[i]);

          g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND,
                       _ ("Chunk %s is not in this pack"), hex);
          return NULL;
        }
      extent.offset = entry->offset;
      extent.length = entry->compressed_size;
      g_array_append_val (extents, extent);
    }

  return cx_pack_coalesce_extents ((CxPackExtent *) extents->data, extents->len, max_gap,
                                   max_range);
}

/**
 * cx_pack_decode_chunk:
 * @frame: exactly the @entry's compressed bytes
 *
 * Decompresses one chunk without ever producing more than the declared
 * size, then checks the SHA-256 of the result against the chunk id.
 *
 * Returns: (transfer full): the verified chunk, or %NULL
 */
GBytes *
cx_pack_decode_chunk (const CxPackEntry *entry,
                      const guint8 *frame,
                      gsize frame_length,
                      GError **error)
{
  g_autoptr (ZSTD_DCtx) dctx = NULL;
  g_autofree guint8 *out = NULL;
  unsigned long long content_size;
  size_t frame_size, n;
  CxChunkId actual;

  g_return_val_if_fail (entry != NULL, NULL);
  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (frame_length != entry->compressed_size)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TRUNCATED,
                           _ ("A chunk's compressed data has the wrong length"));
      return NULL;
    }

  /* Exactly one frame, no trailing bytes. */
  frame_size = ZSTD_findFrameCompressedSize (frame, frame_length);
  content_size = ZSTD_getFrameContentSize (frame, frame_length);
  if (ZSTD_isError (frame_size) || frame_size != frame_length ||
      content_size == ZSTD_CONTENTSIZE_ERROR)
    goto corrupt;
  if (content_size != ZSTD_CONTENTSIZE_UNKNOWN && content_size != entry->size)
    goto wrong_size;

  /* The output buffer is the declared size: a frame that would inflate
   * further fails inside zstd instead of growing memory. */
  dctx = ZSTD_createDCtx ();
  out = g_malloc (entry->size);
  n = ZSTD_decompressDCtx (dctx, out, entry->size, frame, frame_length);
  if (ZSTD_isError (n))
    {
      if (ZSTD_getErrorCode (n) == ZSTD_error_dstSize_tooSmall)
        goto wrong_size;
      goto corrupt;
    }
  if (n != entry->size)
    goto wrong_size;

  cx_chunk_id_compute (out, n, &actual);
  if (!cx_chunk_id_equal (&actual, &entry->id))
    {
      g_autofree char *hex = cx_chunk_id_to_hex (&entry->id);

      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH,
                   _ ("Chunk %s failed verification: its content does not match its id"), hex);
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&out), n);

corrupt:
  {
    g_autofree char *hex = cx_chunk_id_to_hex (&entry->id);

    g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH,
                 _ ("Chunk %s failed verification: its compressed data is corrupt"), hex);
    return NULL;
  }

wrong_size:
  {
    g_autofree char *hex = cx_chunk_id_to_hex (&entry->id);

    g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_SIZE_MISMATCH,
                 _ ("Chunk %s does not decompress to its declared size of %u bytes"), hex,
                 entry->size);
    return NULL;
  }
}

/**
 * cx_pack_read_chunk:
 * @pack: a seekable stream over the pack file
 *
 * Reads and verifies one chunk from a local pack file.
 */
GBytes *
cx_pack_read_chunk (CxPackIndex *index,
                    GInputStream *pack,
                    const CxChunkId *id,
                    GCancellable *cancellable,
                    GError **error)
{
  const CxPackEntry *entry;
  g_autofree guint8 *frame = NULL;
  gsize n_read = 0;

  g_return_val_if_fail (index != NULL, NULL);
  g_return_val_if_fail (G_IS_SEEKABLE (pack), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  entry = cx_pack_index_lookup (index, id, NULL);
  if (entry == NULL)
    {
      g_autofree char *hex = cx_chunk_id_to_hex (id);

      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND,
                   _ ("Chunk %s is not in this pack"), hex);
      return NULL;
    }

  if (!g_seekable_seek (G_SEEKABLE (pack), (goffset) entry->offset, G_SEEK_SET, cancellable, error))
    return NULL;
  frame = g_malloc (entry->compressed_size);
  if (!g_input_stream_read_all (pack, frame, entry->compressed_size, &n_read, cancellable, error))
    return NULL;
  if (n_read != entry->compressed_size)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TRUNCATED,
                           _ ("The pack file is truncated"));
      return NULL;
    }

  return cx_pack_decode_chunk (entry, frame, n_read, error);
}

/**
 * cx_pack_writer_new:
 * @pack: where the pack data goes; the caller closes it
 * @level: zstd compression level (publishers use 19; tests use 1)
 */
CxPackWriter *
cx_pack_writer_new (GOutputStream *pack, int level)
{
  CxPackWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (pack), NULL);

  self = g_new0 (CxPackWriter, 1);
  self->pack = g_object_ref (pack);
  self->cctx = ZSTD_createCCtx ();
  self->level = level;
  self->entries = g_array_new (FALSE, TRUE, sizeof (CxPackEntry));
  self->seen = g_hash_table_new_full (cx_chunk_id_hash, cx_chunk_id_equal, g_free, NULL);
  return self;
}

void
cx_pack_writer_free (CxPackWriter *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->pack);
  g_clear_pointer (&self->cctx, ZSTD_freeCCtx);
  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->seen, g_hash_table_unref);
  g_free (self);
}

/**
 * cx_pack_writer_add_chunk:
 * @out_id: (out) (optional): the chunk id
 *
 * Compresses one chunk into the pack.  A chunk already in this pack is not
 * written twice.
 */
gboolean
cx_pack_writer_add_chunk (CxPackWriter *self,
                          const guint8 *data,
                          gsize length,
                          CxChunkId *out_id,
                          GCancellable *cancellable,
                          GError **error)
{
  g_autofree guint8 *frame = NULL;
  CxPackEntry entry = { 0 };
  size_t bound, n;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (!self->failed, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (length == 0 || length > CX_PACK_MAX_CHUNK_SIZE || self->entries->len >= CX_PACK_MAX_ENTRIES)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT,
                           _ ("A chunk is empty or too large for a pack, or the pack is full"));
      return FALSE;
    }

  cx_chunk_id_compute (data, length, &entry.id);
  if (out_id != NULL)
    *out_id = entry.id;
  if (g_hash_table_contains (self->seen, &entry.id))
    return TRUE;

  bound = ZSTD_compressBound (length);
  frame = g_malloc (bound);
  ZSTD_CCtx_reset (self->cctx, ZSTD_reset_session_and_parameters);
  ZSTD_CCtx_setParameter (self->cctx, ZSTD_c_compressionLevel, self->level);
  /* The chunk id already protects the content; a zstd checksum would add
   * four bytes per chunk for nothing. */
  ZSTD_CCtx_setParameter (self->cctx, ZSTD_c_checksumFlag, 0);
  n = ZSTD_compress2 (self->cctx, frame, bound, data, length);
  if (ZSTD_isError (n))
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_FAILED, _ ("Compression failed: %s"),
                   ZSTD_getErrorName (n));
      return FALSE;
    }

  if (!g_output_stream_write_all (self->pack, frame, n, NULL, cancellable, error))
    {
      self->failed = TRUE;
      return FALSE;
    }

  entry.offset = self->offset;
  entry.compressed_size = (guint32) n;
  entry.size = (guint32) length;
  g_array_append_val (self->entries, entry);
  g_hash_table_add (self->seen, cx_chunk_id_dup (&entry.id));
  self->offset += n;

  return TRUE;
}

guint
cx_pack_writer_get_n_entries (CxPackWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->entries->len;
}

/**
 * cx_pack_writer_finish:
 * @out_pack_id: (out) (optional): SHA-256 of the returned index bytes
 *
 * Flushes the pack stream and returns the pack index file's contents.
 */
GBytes *
cx_pack_writer_finish (CxPackWriter *self,
                       CxChunkId *out_pack_id,
                       GCancellable *cancellable,
                       GError **error)
{
  g_autoptr (GByteArray) out = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (!self->failed, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_output_stream_flush (self->pack, cancellable, error))
    return NULL;

  out = _cx_index_new_bytes (&pack_layout, self->entries->len);
  for (guint i = 0; i < self->entries->len; i++)
    {
      const CxPackEntry *entry = &g_array_index (self->entries, CxPackEntry, i);

      g_byte_array_append (out, entry->id.bytes, CX_CHUNK_ID_LEN);
      _cx_put_u64le (out, entry->offset);
      _cx_put_u32le (out, entry->compressed_size);
      _cx_put_u32le (out, entry->size);
    }

  if (out_pack_id != NULL)
    cx_chunk_id_compute (out->data, out->len, out_pack_id);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
