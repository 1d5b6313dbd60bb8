/* cx-delta.c: delta frames, delta indexes and the delta pack writer
 *
 * Delta index layout (sync/PROTOCOL.md §7): magic "CXDELTA\n", u32le
 * format, u32le entry count, then per entry the SHA-256 of the target
 * path, the base file's SHA-256, the target file's SHA-256, u64le offset,
 * u32le compressed size, u32le base size, u32le target size.  Entries are
 * strictly ascending by path hash and tile the delta pack in that order,
 * so the index fixes the pack's length, like a pack index does.
 */
#include "config.h"

#include <string.h>

#include <zstd.h>
#include <zstd_errors.h>

#include <glib/gi18n-lib.h>

#include "cx-delta.h"
#include "cx-pack-private.h"
#include "cx-sync-error.h"

/* Largest window the frames use: base + target ≤ 2 × 64 MiB. */
#define MAX_WINDOW_LOG 27
/* zstd's smallest window (ZSTD_WINDOWLOG_MIN, outside the stable API). */
#define MIN_WINDOW_LOG 10

struct _CxDeltaIndex
{
  CxChunkId id;
  GArray *entries; /* CxDeltaEntry, by path hash and by offset */
};

struct _CxDeltaWriter
{
  GOutputStream *pack;
  GArray *entries;
  guint64 offset;
  gboolean failed;
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZSTD_CCtx, ZSTD_freeCCtx)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZSTD_DCtx, ZSTD_freeDCtx)

static const CxIndexLayout delta_layout = {
  .kind = CX_INDEX_DELTA,
  .magic = CX_DELTA_INDEX_MAGIC,
  .magic_len = CX_DELTA_INDEX_MAGIC_LEN,
  .format = CX_DELTA_INDEX_FORMAT,
  .min_entries = 1,
  .max_entries = CX_DELTA_MAX_ENTRIES,
  .entry_len = CX_DELTA_INDEX_ENTRY,
};

static int
compare_hash (const CxChunkId *a, const CxChunkId *b)
{
  return memcmp (a->bytes, b->bytes, CX_CHUNK_ID_LEN);
}

/**
 * cx_delta_index_size_is_valid:
 *
 * Whether @size is a possible delta index length: a header and 1 …
 * %CX_DELTA_MAX_ENTRIES entries.
 */
gboolean
cx_delta_index_size_is_valid (guint64 size)
{
  return size > CX_DELTA_INDEX_HEADER && size <= CX_DELTA_INDEX_MAX_SIZE &&
         (size - CX_DELTA_INDEX_HEADER) % CX_DELTA_INDEX_ENTRY == 0;
}

/**
 * cx_delta_path_hash:
 *
 * The key a delta index files @path under: SHA-256 of its UTF-8 bytes.
 */
void
cx_delta_path_hash (const char *path, CxChunkId *out_hash)
{
  g_return_if_fail (path != NULL);
  g_return_if_fail (out_hash != NULL);

  cx_chunk_id_compute (path, strlen (path), out_hash);
}

static gboolean
set_malformed (GError **error, const char *reason)
{
  return _cx_index_set_malformed (CX_INDEX_DELTA, error, reason);
}

static gboolean
parse_index (CxDeltaIndex *self, const guint8 *data, gsize length, GError **error)
{
  guint32 count;
  guint64 expected_offset = 0;

  if (!_cx_index_read_header (&delta_layout, data, length, &count, error))
    return FALSE;

  g_array_set_size (self->entries, count);
  for (guint32 i = 0; i < count; i++)
    {
      const guint8 *p = data + CX_DELTA_INDEX_HEADER + (gsize) i * CX_DELTA_INDEX_ENTRY;
      CxDeltaEntry *entry = &g_array_index (self->entries, CxDeltaEntry, i);

      memcpy (entry->path_hash.bytes, p, CX_CHUNK_ID_LEN);
      memcpy (entry->base_sha256.bytes, p + 32, CX_CHUNK_ID_LEN);
      memcpy (entry->target_sha256.bytes, p + 64, CX_CHUNK_ID_LEN);
      entry->offset = _cx_read_u64le (p + 96);
      entry->compressed_size = _cx_read_u32le (p + 104);
      entry->base_size = _cx_read_u32le (p + 108);
      entry->target_size = _cx_read_u32le (p + 112);

      if (i > 0 && compare_hash (&entry[-1].path_hash, &entry->path_hash) >= 0)
        return set_malformed (error, _ ("entries are not in ascending order"));
      if (entry->offset != expected_offset)
        return set_malformed (error, _ ("entries do not follow each other"));
      if (entry->compressed_size == 0 ||
          entry->compressed_size > ZSTD_compressBound (CX_DELTA_MAX_FILE_SIZE) ||
          entry->base_size > CX_DELTA_MAX_FILE_SIZE || entry->target_size > CX_DELTA_MAX_FILE_SIZE)
        return set_malformed (error, _ ("a size is out of range"));
      expected_offset += entry->compressed_size;
    }

  return TRUE;
}

static void
delta_index_clear (CxDeltaIndex *self)
{
  g_clear_pointer (&self->entries, g_array_unref);
}

/**
 * cx_delta_index_new_from_bytes:
 * @expected_id: the id the repository index names for this delta
 *
 * Checks the SHA-256 of @data against @expected_id before reading
 * anything else, then parses and checks the delta index.
 *
 * Returns: (transfer full): the index, or %NULL
 */
CxDeltaIndex *
cx_delta_index_new_from_bytes (GBytes *data, const CxChunkId *expected_id, GError **error)
{
  g_autoptr (CxDeltaIndex) self = NULL;
  const guint8 *bytes;
  gsize length;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (expected_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_cx_sync_ensure_sodium (error))
    return NULL;

  bytes = g_bytes_get_data (data, &length);
  if (bytes == NULL)
    bytes = (const guint8 *) "";
  if (length > CX_DELTA_INDEX_MAX_SIZE)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE,
                           _ ("The delta index is larger than the limit"));
      return NULL;
    }

  self = g_atomic_rc_box_new0 (CxDeltaIndex);
  self->entries = g_array_new (FALSE, TRUE, sizeof (CxDeltaEntry));
  cx_chunk_id_compute (bytes, length, &self->id);
  if (!cx_chunk_id_equal (&self->id, expected_id))
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH,
                           _ ("The delta index does not match its id"));
      return NULL;
    }
  if (!parse_index (self, bytes, length, error))
    return NULL;

  return g_steal_pointer (&self);
}

CxDeltaIndex *
cx_delta_index_ref (CxDeltaIndex *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
cx_delta_index_unref (CxDeltaIndex *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, (GDestroyNotify) delta_index_clear);
}

void
cx_delta_index_get_id (CxDeltaIndex *self, CxChunkId *out_id)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (out_id != NULL);
  *out_id = self->id;
}

guint
cx_delta_index_get_n_entries (CxDeltaIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->entries->len;
}

const CxDeltaEntry *
cx_delta_index_get_entry (CxDeltaIndex *self, guint index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);
  return &g_array_index (self->entries, CxDeltaEntry, index);
}

/**
 * cx_delta_index_get_pack_size:
 *
 * Returns: the exact length the delta pack must have
 */
guint64
cx_delta_index_get_pack_size (CxDeltaIndex *self)
{
  const CxDeltaEntry *last;

  g_return_val_if_fail (self != NULL, 0);

  last = &g_array_index (self->entries, CxDeltaEntry, self->entries->len - 1);
  return last->offset + last->compressed_size;
}

/**
 * cx_delta_index_lookup:
 * @path: a path of the target version
 * @out_index: (out) (optional): the entry's position
 *
 * Returns: (nullable): the delta rebuilding @path, or %NULL if the delta
 *   has none (the file is fetched by chunks instead)
 */
const CxDeltaEntry *
cx_delta_index_lookup (CxDeltaIndex *self, const char *path, guint *out_index)
{
  CxChunkId hash;
  guint low = 0, high;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  cx_delta_path_hash (path, &hash);
  high = self->entries->len;
  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      const CxDeltaEntry *entry = &g_array_index (self->entries, CxDeltaEntry, middle);
      int cmp = compare_hash (&entry->path_hash, &hash);

      if (cmp == 0)
        {
          if (out_index != NULL)
            *out_index = middle;
          return entry;
        }
      if (cmp < 0)
        low = middle + 1;
      else
        high = middle;
    }
  return NULL;
}

/**
 * cx_delta_index_coalesce:
 * @paths: (array length=n_paths): target paths whose deltas are wanted
 *
 * Groups the wanted frames into few single-range GETs of the delta pack,
 * by the rule packs use (cx_pack_coalesce_extents()).
 *
 * Returns: (transfer full) (element-type CxPackRange): ranges by offset
 */
GArray *
cx_delta_index_coalesce (CxDeltaIndex *self,
                         const char *const *paths,
                         gsize n_paths,
                         guint64 max_gap,
                         guint64 max_range,
                         GError **error)
{
  g_autoptr (GArray) extents = g_array_new (FALSE, FALSE, sizeof (CxPackExtent));

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (paths != NULL || n_paths == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (gsize i = 0; i < n_paths; i++)
    {
      CxPackExtent extent;
      const CxDeltaEntry *entry = cx_delta_index_lookup (self, paths[i], &extent.position);

      if (entry == NULL)
        {
          g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND,
                       _ ("The delta has nothing for “%s”"), paths[i]);
          return NULL;
        }
      extent.offset = entry->offset;
      extent.length = entry->compressed_size;
      g_array_append_val (extents, extent);
    }

  return cx_pack_coalesce_extents ((CxPackExtent *) extents->data, extents->len, max_gap,
                                   max_range);
}

static guint
window_log_for (gsize length)
{
  guint log = MIN_WINDOW_LOG;

  while (log < MAX_WINDOW_LOG && ((gsize) 1 << log) < length)
    log++;
  return log;
}

static gboolean
set_zstd_error (GError **error, size_t code)
{
  g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_FAILED, _ ("Compression failed: %s"),
               ZSTD_getErrorName (code));
  return FALSE;
}

/**
 * cx_delta_encode:
 * @level: zstd level (%CX_DELTA_DEFAULT_LEVEL for publishing)
 *
 * Compresses @target into one zstd frame that refers back into @base, as
 * `zstd --patch-from` does: the window covers base and target, and
 * long-distance matching finds moved blocks far back in the base.
 *
 * Returns: (transfer full): the frame, or %NULL
 */
GBytes *
cx_delta_encode (const guint8 *base,
                 gsize base_length,
                 const guint8 *target,
                 gsize target_length,
                 int level,
                 GError **error)
{
  g_autoptr (ZSTD_CCtx) cctx = NULL;
  g_autofree guint8 *frame = NULL;
  size_t bound, n;

  g_return_val_if_fail (base != NULL || base_length == 0, NULL);
  g_return_val_if_fail (target != NULL || target_length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (base_length > CX_DELTA_MAX_FILE_SIZE || target_length > CX_DELTA_MAX_FILE_SIZE)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE,
                           _ ("The file is too large for a delta"));
      return NULL;
    }

  cctx = ZSTD_createCCtx ();
  bound = ZSTD_compressBound (target_length);
  frame = g_malloc (bound);
  if (ZSTD_isError (n = ZSTD_CCtx_setParameter (cctx, ZSTD_c_compressionLevel, level)) ||
      ZSTD_isError (
          n = ZSTD_CCtx_setParameter (cctx, ZSTD_c_windowLog,
                                      (int) window_log_for (base_length + target_length))) ||
      ZSTD_isError (n = ZSTD_CCtx_setParameter (cctx, ZSTD_c_enableLongDistanceMatching, 1)) ||
      ZSTD_isError (n = ZSTD_CCtx_setParameter (cctx, ZSTD_c_checksumFlag, 0)) ||
      ZSTD_isError (n = ZSTD_CCtx_setParameter (cctx, ZSTD_c_contentSizeFlag, 1)) ||
      ZSTD_isError (n = ZSTD_CCtx_refPrefix (cctx, base, base_length)))
    {
      set_zstd_error (error, n);
      return NULL;
    }

  n = ZSTD_compress2 (cctx, frame, bound, target, target_length);
  if (ZSTD_isError (n))
    {
      set_zstd_error (error, n);
      return NULL;
    }

  return g_bytes_new_take (g_realloc (g_steal_pointer (&frame), MAX (n, 1)), n);
}

/**
 * cx_delta_decode:
 * @frame: exactly one zstd frame
 * @base: the base file's content, the frame's prefix
 * @target_size: the size the result must have
 *
 * Decompresses a delta frame without checking what it produces: the
 * building block of cx_delta_apply(), and what a benchmark times.  The
 * frame must declare @target_size; the output buffer has exactly that
 * size, so a frame that would inflate further fails instead of growing
 * memory.
 *
 * Returns: (transfer full): @target_size bytes, or %NULL
 */
GBytes *
cx_delta_decode (const guint8 *frame,
                 gsize frame_length,
                 const guint8 *base,
                 gsize base_length,
                 gsize target_size,
                 GError **error)
{
  g_autoptr (ZSTD_DCtx) dctx = NULL;
  g_autofree guint8 *out = NULL;
  unsigned long long content_size;
  size_t frame_size, n;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (base != NULL || base_length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (target_size > CX_DELTA_MAX_FILE_SIZE || base_length > CX_DELTA_MAX_FILE_SIZE)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE,
                           _ ("The delta is larger than the limit"));
      return NULL;
    }

  frame_size = ZSTD_findFrameCompressedSize (frame, frame_length);
  content_size = ZSTD_getFrameContentSize (frame, frame_length);
  if (ZSTD_isError (frame_size) || frame_size != frame_length ||
      content_size == ZSTD_CONTENTSIZE_ERROR)
    goto corrupt;
  if (content_size != target_size)
    goto wrong_size;

  dctx = ZSTD_createDCtx ();
  out = g_malloc (MAX (target_size, 1));
  n = ZSTD_DCtx_refPrefix (dctx, base, base_length);
  if (ZSTD_isError (n))
    goto corrupt;
  n = ZSTD_decompressDCtx (dctx, out, target_size, frame, frame_length);
  if (ZSTD_isError (n))
    {
      if (ZSTD_getErrorCode (n) == ZSTD_error_dstSize_tooSmall)
        goto wrong_size;
      goto corrupt;
    }
  if (n != target_size)
    goto wrong_size;

  return g_bytes_new_take (g_steal_pointer (&out), n);

corrupt:
  g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH,
                       _ ("A delta is corrupt or does not fit its base file"));
  return NULL;

wrong_size:
  g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_SIZE_MISMATCH,
               _ ("A delta does not decompress to its declared size of %zu bytes"), target_size);
  return NULL;
}

/**
 * cx_delta_apply:
 * @frame: the entry's bytes from the delta pack
 * @base: the base file's content (a #GBytes or a #GMappedFile's contents)
 *
 * Rebuilds the target file: checks @base against the entry's base size
 * and SHA-256, decodes within the entry's exact sizes, and checks the
 * result's SHA-256.
 *
 * Returns: (transfer full): the verified target file, or %NULL
 */
GBytes *
cx_delta_apply (const CxDeltaEntry *entry,
                const guint8 *frame,
                gsize frame_length,
                const guint8 *base,
                gsize base_length,
                GError **error)
{
  g_autoptr (GBytes) target = NULL;
  CxChunkId actual;

  g_return_val_if_fail (entry != NULL, NULL);
  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (base != NULL || base_length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (frame_length != entry->compressed_size)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TRUNCATED,
                           _ ("A delta's compressed data has the wrong length"));
      return NULL;
    }

  cx_chunk_id_compute (base != NULL ? base : (const guint8 *) "", base_length, &actual);
  if (base_length != entry->base_size || !cx_chunk_id_equal (&actual, &entry->base_sha256))
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT,
                           _ ("The file a delta starts from is not the one it was made for"));
      return NULL;
    }

  target = cx_delta_decode (frame, frame_length, base, base_length, entry->target_size, error);
  if (target == NULL)
    return NULL;

  cx_chunk_id_compute (g_bytes_get_data (target, NULL), g_bytes_get_size (target), &actual);
  if (!cx_chunk_id_equal (&actual, &entry->target_sha256))
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH,
                           _ ("A file rebuilt from a delta failed verification"));
      return NULL;
    }

  return g_steal_pointer (&target);
}

/**
 * cx_delta_writer_new:
 * @pack: where the delta pack goes; the caller closes it
 */
CxDeltaWriter *
cx_delta_writer_new (GOutputStream *pack)
{
  CxDeltaWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (pack), NULL);

  self = g_new0 (CxDeltaWriter, 1);
  self->pack = g_object_ref (pack);
  self->entries = g_array_new (FALSE, TRUE, sizeof (CxDeltaEntry));
  return self;
}

void
cx_delta_writer_free (CxDeltaWriter *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->pack);
  g_clear_pointer (&self->entries, g_array_unref);
  g_free (self);
}

/**
 * cx_delta_writer_add:
 * @frame: from cx_delta_encode()
 *
 * Appends one frame.  Paths must come in strictly ascending order of
 * their cx_delta_path_hash(), which is the order of the index and of the
 * pack.
 */
gboolean
cx_delta_writer_add (CxDeltaWriter *self,
                     const char *path,
                     const CxChunkId *base_sha256,
                     gsize base_size,
                     const CxChunkId *target_sha256,
                     gsize target_size,
                     GBytes *frame,
                     GCancellable *cancellable,
                     GError **error)
{
  CxDeltaEntry entry = { 0 };
  gsize frame_length = g_bytes_get_size (frame);

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL && base_sha256 != NULL && target_sha256 != NULL, FALSE);
  g_return_val_if_fail (frame != NULL, FALSE);
  g_return_val_if_fail (!self->failed, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  cx_delta_path_hash (path, &entry.path_hash);
  if (frame_length == 0 || frame_length > ZSTD_compressBound (CX_DELTA_MAX_FILE_SIZE) ||
      base_size > CX_DELTA_MAX_FILE_SIZE || target_size > CX_DELTA_MAX_FILE_SIZE ||
      self->entries->len >= CX_DELTA_MAX_ENTRIES ||
      (self->entries->len > 0 &&
       compare_hash (&g_array_index (self->entries, CxDeltaEntry, self->entries->len - 1).path_hash,
                     &entry.path_hash) >= 0))
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("Cannot add a delta for “%s”: out of order, too large, or the delta is full"),
                   path);
      return FALSE;
    }

  if (!g_output_stream_write_all (self->pack, g_bytes_get_data (frame, NULL), frame_length, NULL,
                                  cancellable, error))
    {
      self->failed = TRUE;
      return FALSE;
    }

  entry.base_sha256 = *base_sha256;
  entry.target_sha256 = *target_sha256;
  entry.offset = self->offset;
  entry.compressed_size = (guint32) frame_length;
  entry.base_size = (guint32) base_size;
  entry.target_size = (guint32) target_size;
  g_array_append_val (self->entries, entry);
  self->offset += frame_length;
  return TRUE;
}

guint
cx_delta_writer_get_n_entries (CxDeltaWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->entries->len;
}

/**
 * cx_delta_writer_finish:
 * @out_id: (out) (optional): the delta id, SHA-256 of the returned index
 * @out_pack_size: (out) (optional): bytes written to the delta pack
 *
 * Flushes the pack stream and returns the delta index file's contents.
 * A delta needs at least one entry.
 */
GBytes *
cx_delta_writer_finish (CxDeltaWriter *self,
                        CxChunkId *out_id,
                        guint64 *out_pack_size,
                        GCancellable *cancellable,
                        GError **error)
{
  g_autoptr (GByteArray) out = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (!self->failed, NULL);
  g_return_val_if_fail (self->entries->len > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_output_stream_flush (self->pack, cancellable, error))
    return NULL;

  out = _cx_index_new_bytes (&delta_layout, self->entries->len);
  for (guint i = 0; i < self->entries->len; i++)
    {
      const CxDeltaEntry *entry = &g_array_index (self->entries, CxDeltaEntry, i);

      g_byte_array_append (out, entry->path_hash.bytes, CX_CHUNK_ID_LEN);
      g_byte_array_append (out, entry->base_sha256.bytes, CX_CHUNK_ID_LEN);
      g_byte_array_append (out, entry->target_sha256.bytes, CX_CHUNK_ID_LEN);
      _cx_put_u64le (out, entry->offset);
      _cx_put_u32le (out, entry->compressed_size);
      _cx_put_u32le (out, entry->base_size);
      _cx_put_u32le (out, entry->target_size);
    }

  if (out_id != NULL)
    cx_chunk_id_compute (out->data, out->len, out_id);
  if (out_pack_size != NULL)
    *out_pack_size = self->offset;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
